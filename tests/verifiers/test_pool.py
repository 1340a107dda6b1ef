"""WorkerPool: real worker processes, real kills, from threads and asyncio."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import pytest

from gymhub.verifiers.pool import WorkerPool

PROBE = "pool_probe:"


@pytest.fixture(scope="module", autouse=True)
def _probe_importable():
    """Workers inherit the environment: put pool_probe.py (next to this file) on their path."""
    old = os.environ.get("PYTHONPATH")
    here = str(Path(__file__).resolve().parent)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [here, old]))
    yield
    if old is None:
        del os.environ["PYTHONPATH"]
    else:
        os.environ["PYTHONPATH"] = old


@pytest.fixture(scope="module")
def pool(_probe_importable):
    with WorkerPool(2, deadline=1.0, memory_mb=1024) as p:
        p.start(wait=True)
        yield p


def test_call_returns_value_and_reuses_worker(pool):
    assert pool.call(PROBE + "echo", {"a": [1, 2]}).value == {"a": [1, 2]}
    pids = {pool.call(PROBE + "pid").value for _ in range(6)}
    assert len(pids) <= 2


def test_pure_python_hang_is_killed_at_deadline(pool):
    t0 = time.monotonic()
    result = pool.call(PROBE + "spin", 30, deadline=0.5)
    assert result.status == "timeout"
    assert time.monotonic() - t0 < 0.5 + 0.5
    assert pool.call(PROBE + "echo", 1).value == 1


def test_c_level_computation_holding_the_gil_is_killed(pool):
    t0 = time.monotonic()
    result = pool.call(PROBE + "big_power", 10**9, deadline=0.5)
    assert result.status == "timeout"
    assert time.monotonic() - t0 < 1.0
    assert pool.call(PROBE + "echo", "still serving").value == "still serving"


def test_crash_and_memory_blowup_are_errors_and_pool_keeps_serving(pool):
    crashed = pool.call(PROBE + "crash", 3)
    assert crashed.status == "error" and "died" in crashed.detail
    memory = pool.call(PROBE + "allocate", 4096)
    assert memory.status == "error" and "MemoryError" in memory.detail
    raised = pool.call(PROBE + "sleep", "not a number")
    assert raised.status == "error" and "TypeError" in raised.detail
    assert pool.call(PROBE + "echo", 2).value == 2


def test_a_result_too_deep_to_send_is_an_error_and_the_worker_lives_on(pool):
    """json.dumps raises RecursionError (not ValueError) on a deep result: it killed the worker,
    whose pending calls then failed as if it had crashed."""
    before = {pool.call(PROBE + "pid").value for _ in range(4)}
    deep = pool.call(PROBE + "nested", 100_000)
    assert deep.status == "error" and "not JSON-serializable" in deep.detail
    assert pool.call(PROBE + "echo", 3).value == 3
    after = {pool.call(PROBE + "pid").value for _ in range(4)}
    assert after <= before  # the same workers: none died


def test_threads_and_asyncio_each_get_their_deadline(pool):
    assert pool.wait_idle(120)  # replacements of workers killed above are ready
    results = []

    def work():
        results.append(pool.call(PROBE + "sleep", 5, deadline=0.3))

    threads = [threading.Thread(target=work) for _ in range(2)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in results] == ["timeout", "timeout"]
    assert time.monotonic() - t0 < 0.3 + 0.7

    async def main():
        return await asyncio.gather(*(pool.acall(PROBE + "echo", i) for i in range(20)))

    assert [r.value for r in asyncio.run(main())] == list(range(20))


def test_map_keeps_order(pool):
    results = pool.map(PROBE + "echo", [[i] for i in range(25)])
    assert [r.value for r in results] == list(range(25))
    assert pool.map(PROBE + "echo", []) == []


def test_map_gives_each_pipelined_call_its_own_deadline():
    """`map` sends a worker its next call before the current one ends: the queued call's
    deadline must count from when it starts, not from when it was sent."""
    with WorkerPool(1, deadline=1.0, memory_mb=1024) as one:
        one.start(wait=True)
        results = one.map(PROBE + "sleep", [[0.6]] * 4)
        assert [r.status for r in results] == ["ok"] * 4, results


def test_map_survives_hangs_crashes_and_bad_arguments_around_queued_calls(pool):
    """A worker killed at a deadline or crashing takes only its own call: the call queued
    behind it in the pipe is run by another worker and gets its own result."""
    results = pool.map(PROBE + "echo", [[i] for i in range(3)] + [[object()]])
    assert [r.status for r in results] == ["ok", "ok", "ok", "error"]
    assert "arguments" in results[-1].detail
    kills = pool.kills
    spins = pool.map(PROBE + "spin", [[30], [0.01], [0.01], [30], [0.01], [0.01]], deadline=0.5)
    assert [r.status for r in spins] == ["timeout", "ok", "ok", "timeout", "ok", "ok"]
    assert pool.kills == kills + 2
    crashes = pool.map(PROBE + "crash", [[3]]) + pool.map(PROBE + "echo", [[7]] * 6)
    assert [r.status for r in crashes] == ["error"] + ["ok"] * 6
    # and the pool is back at full size
    assert pool.wait_idle(30)


def test_bad_use_raises_clear_errors():
    with pytest.raises(ValueError, match="module:function"):
        WorkerPool(1).call("no_colon")
    with pytest.raises(ValueError, match="positive"):
        WorkerPool(0)
    with pytest.raises(ValueError, match="deadline"):
        WorkerPool(1, deadline=0)
    p = WorkerPool(1)
    p.close()
    p.close()
    with pytest.raises(RuntimeError, match="closed"):
        p.call(PROBE + "echo", 1)


def test_workers_die_with_the_hub_process():
    """A hub killed without cleanup must not leave verifier workers burning CPU."""
    import os
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        "from gymhub.verifiers.pool import WorkerPool\n"
        "p = WorkerPool(1).start(wait=True)\n"
        "print(p.call('pool_probe:pid').value, flush=True)\n"
        "import threading, time\n"
        "threading.Thread(target=p.call, args=('pool_probe:spin', 60),\n"
        "                 kwargs={'deadline': 120}, daemon=True).start()\n"
        "time.sleep(1.0)  # the worker is now busy: only the kernel can stop it\n"
        "os._exit(0)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    pid = int(out.stdout.split()[-1])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail(f"worker {pid} outlived its hub")


def test_call_each_runs_once_on_every_worker(pool):
    assert pool.wait_idle(120)
    results = pool.call_each(PROBE + "pid")
    assert [r.status for r in results] == ["ok", "ok"]
    assert len({r.value for r in results}) == 2  # two different workers
    slow = pool.call_each(PROBE + "sleep", 5, deadline=0.3)
    assert [r.status for r in slow] == ["timeout", "timeout"]
    assert pool.wait_idle(120) and pool.call(PROBE + "echo", 3).value == 3
    with pytest.raises(ValueError, match="module:function"):
        pool.call_each("no_colon")
