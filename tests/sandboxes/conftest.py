"""Sandbox fixtures: one backend object per kind for the whole session.

Docker pools are slow to start (a container copy per start with the vfs storage driver), so the
pool is warmed in a background thread as soon as tests that use it are collected, and the parametrized
fixtures are session-scoped, which makes pytest run all local tests, then all bwrap tests, then
all docker tests; the same warm container is reused across tests, exercising its reset.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from tests.conftest import require

_CACHE: dict[str, object] = {}
_ERRORS: dict[str, str] = {}
_LOCKS = {name: threading.Lock() for name in ("local", "bwrap", "docker")}


def _docker_ok() -> bool:
    from gymhub.sandboxes.docker_pool import docker_available

    return docker_available()


def _bwrap_ok() -> bool:
    from gymhub.sandboxes.bwrap import bwrap_available

    return shutil.which("bwrap") is not None and bwrap_available()


def _create(name: str):
    from gymhub.sandboxes import get_sandbox

    with _LOCKS[name]:
        if name not in _CACHE and name not in _ERRORS:
            try:
                if name == "docker":
                    sandbox = get_sandbox(
                        "docker", pool_size=int(os.environ.get("GYMHUB_TEST_POOL", "1"))
                    )
                    sandbox.warm()
                else:
                    sandbox = get_sandbox(name)
                _CACHE[name] = sandbox
            except Exception as exc:  # reported by the fixture that needs it
                _ERRORS[name] = repr(exc)
        return _CACHE.get(name)


def make_backend(name: str):
    if name == "bwrap":
        require(_bwrap_ok(), "bubblewrap")
    if name == "docker":
        require(_docker_ok(), "a Docker engine with the gymhub-sandbox image")
    sandbox = _create(name)
    if sandbox is None:
        pytest.fail(f"could not start the {name} sandbox: {_ERRORS.get(name)}")
    return sandbox


_WARMING: list[threading.Thread] = []


def pytest_collection_finish(session):
    """Warm the docker pool in the background, only when a collected test will use it."""
    if any("docker" in item.nodeid for item in session.items) and _docker_ok():
        thread = threading.Thread(target=_create, args=("docker",), daemon=True)
        thread.start()
        _WARMING.append(thread)


@pytest.fixture(scope="session", params=["local", "bwrap", "docker"])
def sandbox(request):
    """Every backend: the common contract holds for all of them."""
    return make_backend(request.param)


@pytest.fixture(scope="session", params=["bwrap", "docker"])
def isolating(request):
    """The isolating backends, which the security tests attack."""
    return make_backend(request.param)


@pytest.fixture(scope="session")
def docker_sandbox():
    return make_backend("docker")


@pytest.fixture(scope="session")
def bwrap_sandbox():
    return make_backend("bwrap")


def pytest_sessionfinish(session, exitstatus):
    for thread in _WARMING:  # a container still being created must not be left behind
        thread.join(timeout=300)
    for sandbox in _CACHE.values():
        try:
            sandbox.close()
        except Exception:
            pass
