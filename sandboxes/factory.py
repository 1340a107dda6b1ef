"""`get_sandbox(name)`: the backend registry, `auto` (the strongest backend available), and the
process-wide shared sandboxes.

A backend is a `Sandbox` subclass that declares its `name`, its isolation `strength` and a cheap
`available()` check; registering it is one line (`register_backend`), either with the class or
with a `"module:Class"` string that is imported on first use.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from typing import Any

from gymhub import lifecycle
from gymhub.sandboxes.errors import SandboxConfigError, SandboxError
from gymhub.sandboxes.types import Sandbox

log = logging.getLogger("gymhub.sandboxes")

_BACKENDS: dict[str, type[Sandbox] | str] = {}
_SHARED: dict[str, Sandbox] = {}
_SHARED_LOCK = threading.Lock()


def register_backend(name: str, backend: type[Sandbox] | str) -> None:
    """Make `get_sandbox(name)` build `backend` (a Sandbox subclass, or "module:Class")."""
    if not isinstance(name, str) or not name.isidentifier() or name == "auto":
        raise SandboxConfigError(f"invalid sandbox backend name {name!r}")
    if not isinstance(backend, str) and not (
        isinstance(backend, type) and issubclass(backend, Sandbox)
    ):
        raise SandboxConfigError(f"backend {name!r} must be a Sandbox subclass or 'module:Class'")
    _BACKENDS[name] = backend


register_backend("docker", "gymhub.sandboxes.docker_pool:DockerSandbox")
register_backend("bwrap", "gymhub.sandboxes.bwrap:BwrapSandbox")
register_backend("remote", "gymhub.sandboxes.remote:RemoteSandbox")
register_backend("local", "gymhub.sandboxes.local:LocalSandbox")


def backend_names() -> list[str]:
    """Every registered backend name."""
    return list(_BACKENDS)


def backend_class(name: str) -> type[Sandbox]:
    """The Sandbox subclass registered as `name`."""
    target = _BACKENDS.get(name)
    if target is None:
        raise SandboxConfigError(
            f"unknown sandbox backend {name!r}; choose one of {['auto', *_BACKENDS]}"
        )
    if isinstance(target, str):
        module, _, attr = target.partition(":")
        target = _BACKENDS[name] = getattr(importlib.import_module(module), attr)
    return target


def _usable(name: str) -> bool:
    try:
        return bool(backend_class(name).available())
    except Exception as exc:  # a broken check means "not here", and says why in the log
        log.debug("gymhub sandbox: backend %s is unavailable: %r", name, exc)
        return False


def available_backends() -> list[str]:
    """The backends usable on this machine, strongest first."""
    found = [name for name in _BACKENDS if _usable(name)]
    return sorted(found, key=lambda name: -backend_class(name).strength)


def resolve_backend(name: str = "auto", *, allow_local: bool = False) -> str:
    """The backend name `get_sandbox(name)` builds: `name` itself, or what `auto` picks here.

    `auto` takes the strongest available backend that isolates at all (`strength > 0`); the
    GYMHUB_SANDBOX environment variable overrides the choice. It never falls back to a
    non-isolating backend (`local`) unless `allow_local=True`.
    """
    asked = name
    if name == "auto":
        name = os.environ.get("GYMHUB_SANDBOX", "auto")
    if name != "auto":
        backend = backend_class(name)  # an unknown name fails here, with the known ones
        if asked == "auto" and backend.strength <= 0 and not allow_local:
            # isolation was asked for (`auto`); the environment picked a backend without it
            log.warning(
                "gymhub sandbox: GYMHUB_SANDBOX=%s picks a backend that isolates nothing "
                "for untrusted code",
                name,
            )
        return name
    found = available_backends()
    isolating = [n for n in found if backend_class(n).strength > 0]
    if isolating:
        log.info("gymhub sandbox: auto picked %s (available: %s)", isolating[0], found)
        return isolating[0]
    if allow_local and found:
        log.warning("gymhub sandbox: no isolating backend available; using UNSAFE %s", found[0])
        return found[0]
    raise SandboxError(
        "no isolating sandbox backend is available (install bubblewrap or run a Docker "
        "engine with the sandbox image; see scripts/setup_sandboxes.sh), and allow_local "
        "was not set"
    )


def get_sandbox(name: str = "auto", **options: Any) -> Sandbox:
    """A sandbox backend by name (`docker`, `bwrap`, `remote`, `local`, or any registered one),
    or `auto` (see `resolve_backend`); `options` go to the backend's constructor."""
    allow_local = bool(options.pop("allow_local", False))
    return backend_class(resolve_backend(name, allow_local=allow_local))(**options)


def shared_sandbox(backend: str = "auto") -> Sandbox:
    """One sandbox per backend name for the whole process (docker pools are expensive): what
    verifiers and envs use when they are not given a sandbox."""
    with _SHARED_LOCK:
        sandbox = _SHARED.get(backend)
        if sandbox is None:
            sandbox = _SHARED[backend] = get_sandbox(backend)
            lifecycle.register("shared sandboxes", close_shared_sandboxes, stage="sandboxes")
        return sandbox


def close_shared_sandboxes() -> None:
    """Close every shared sandbox (their containers go); later calls make new ones."""
    with _SHARED_LOCK:
        sandboxes = list(_SHARED.values())
        _SHARED.clear()
        lifecycle.unregister("shared sandboxes")
    for sandbox in sandboxes:
        try:
            sandbox.close()
        except Exception as exc:  # closing is best effort: one failure must not stop the rest
            log.warning("gymhub sandbox: closing %r failed: %r", sandbox, exc)
