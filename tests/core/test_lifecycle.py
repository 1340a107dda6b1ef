"""One owner closes process-wide resources in stage order, on `gymhub.close_all()` and at exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

import gymhub
from gymhub import lifecycle


@pytest.fixture(autouse=True)
def _clean_owner():
    before = lifecycle.registered()
    yield
    for name in set(lifecycle.registered()) - set(before):
        lifecycle.unregister(name)


def test_close_all_closes_in_stage_order_then_newest_first_and_only_once():
    closed: list[str] = []
    for name, stage in [
        ("pool-a", "connections"),
        ("workers-1", "workers"),
        ("browser", "browsers"),
        ("box-1", "sandboxes"),
        ("box-2", "sandboxes"),
    ]:
        lifecycle.register(f"test {name}", lambda n=name: closed.append(n), stage=stage)
    names = gymhub.close_all()
    assert closed == ["browser", "box-2", "box-1", "workers-1", "pool-a"]
    assert [n.removeprefix("test ") for n in names if n.startswith("test ")] == closed
    assert gymhub.close_all() == [] and len(closed) == 5  # idempotent


def test_a_failing_close_does_not_stop_the_others():
    closed: list[str] = []

    def boom() -> None:
        raise RuntimeError("boom")

    lifecycle.register("test boom", boom, stage="browsers")
    lifecycle.register("test ok", lambda: closed.append("ok"), stage="workers")
    assert "test boom" in gymhub.close_all()
    assert closed == ["ok"]


def test_registering_a_name_again_replaces_it_and_unregister_forgets_it():
    calls: list[int] = []
    lifecycle.register("test single", lambda: calls.append(1), stage="workers")
    lifecycle.register("test single", lambda: calls.append(2), stage="workers")
    lifecycle.register("test gone", lambda: calls.append(3), stage="workers")
    lifecycle.unregister("test gone")
    lifecycle.unregister("test never registered")
    gymhub.close_all()
    assert calls == [2]


def test_bad_registrations_are_clear_errors():
    with pytest.raises(ValueError, match="stages: browsers, sandboxes"):
        lifecycle.register("test x", lambda: None, stage="later")
    with pytest.raises(TypeError, match="callable"):
        lifecycle.register("test x", "not callable", stage="workers")  # type: ignore[arg-type]


def test_the_verifier_pool_registers_while_open_and_close_all_kills_its_workers():
    from gymhub.verifiers.pool import WorkerPool

    pool = WorkerPool(1, memory_mb=None).start(wait=True)
    [worker] = list(pool._all)
    assert any(n.startswith("verifier worker pool") for n in lifecycle.registered())
    gymhub.close_all()
    assert pool.closed and worker.proc.poll() is not None
    assert not any(n.startswith("verifier worker pool") for n in lifecycle.registered())
    closed_early = WorkerPool(1).start()
    closed_early.close()  # closing itself unregisters: nothing stale is left behind
    assert not any(n.startswith("verifier worker pool") for n in lifecycle.registered())


def test_resources_close_in_order_at_interpreter_exit():
    code = textwrap.dedent(
        """
        import sys
        from gymhub import lifecycle
        from gymhub.verifiers.pool import WorkerPool

        pool = WorkerPool(1, memory_mb=None).start(wait=True)
        lifecycle.register(
            "conn", lambda: print("closed conn, pool closed", pool.closed, flush=True),
            stage="connections",
        )
        lifecycle.register("box", lambda: print("closed box", flush=True), stage="sandboxes")
        lifecycle.register(
            "pool-check", lambda: print("pool open", not pool.closed, flush=True), stage="sandboxes"
        )
        sys.exit(0)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()
    assert out == ["pool open True", "closed box", "closed conn, pool closed True"], out


def test_close_all_removes_docker_sandbox_containers():
    from gymhub.sandboxes.docker_pool import LABEL, DockerSandbox, docker_available
    from gymhub.sandboxes.types import ExecRequest
    from tests.conftest import require

    require(docker_available(), "the Docker engine with the sandbox image")
    sandbox = DockerSandbox(pool_size=1)
    result = sandbox.run(ExecRequest(command=["python3", "-c", "print(6 * 7)"], timeout_s=30))
    assert result.status == "ok" and result.stdout.strip() == "42"
    mine = {"label": f"{LABEL}={sandbox.session}"}
    assert sandbox.client.containers.list(all=True, filters=mine)
    assert f"docker sandbox {sandbox.session}" in lifecycle.registered()
    gymhub.close_all()
    assert sandbox.client.containers.list(all=True, filters=mine) == []
    assert f"docker sandbox {sandbox.session}" not in lifecycle.registered()


def test_close_all_stops_the_shared_browser():
    from gymhub.envs.web.host import BrowserHost, chromium_available
    from tests.conftest import require
    from tests.web.helpers import browser_processes

    require(chromium_available(), "Chromium (scripts/setup_browser.sh) and playwright")
    before = browser_processes()
    env = gymhub.make("gymhub/Web-ClickButton-v0")
    try:
        env.reset(seed=0)
        assert len(browser_processes()) > len(before)
        assert "shared browser" in lifecycle.registered()
        gymhub.close_all()
        assert BrowserHost._instance is None
        deadline = time.monotonic() + 15
        while len(browser_processes()) > len(before) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert browser_processes() == before
    finally:
        env.close()
