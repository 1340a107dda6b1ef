"""The worker pool that runs sync env calls: results, errors, bounds, cancellation, shutdown."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from gymhub.server.pool import EnvThreadPool


async def test_results_and_errors_come_back_on_the_loop():
    pool = EnvThreadPool(4)
    loop_thread = threading.get_ident()
    assert await pool.run(lambda a, b=0: a + b, 2, b=3) == 5
    assert await pool.run(threading.get_ident) != loop_thread
    with pytest.raises(ZeroDivisionError):
        await pool.run(lambda: 1 / 0)
    results = await asyncio.gather(*(pool.run(lambda i=i: i * i) for i in range(500)))
    assert results == [i * i for i in range(500)]
    pool.shutdown()


async def test_never_more_threads_than_max_workers_and_calls_run_in_parallel():
    pool = EnvThreadPool(3)
    running, peak, lock = 0, 0, threading.Lock()

    def work() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    start = time.monotonic()
    await asyncio.gather(*(pool.run(work) for _ in range(9)))
    elapsed = time.monotonic() - start
    assert pool.threads == 3 and peak == 3
    assert 0.14 <= elapsed < 1.0  # three waves of three
    pool.shutdown()


async def test_a_cancelled_call_that_has_not_started_never_runs():
    pool = EnvThreadPool(1)
    release, ran = threading.Event(), []
    blocker = pool.submit(release.wait, 5)
    queued = pool.submit(ran.append, "queued")
    assert queued.cancel() is True
    assert queued.future.cancelled()
    release.set()
    assert await blocker.future is True
    await pool.run(lambda: None)  # the single worker has passed the cancelled call by now
    assert ran == []
    pool.shutdown()


async def test_on_finished_runs_once_a_stuck_call_returns():
    pool = EnvThreadPool(2)
    release, finished = threading.Event(), threading.Event()
    call = pool.submit(release.wait, 5)
    await asyncio.sleep(0.05)
    assert call.cancel() is False  # running: it cannot be stopped
    call.on_finished(finished.set)
    assert not finished.is_set()
    release.set()
    assert await asyncio.to_thread(finished.wait, 5)
    assert call.value is True
    done = []
    call.on_finished(lambda: done.append(1))  # already finished: runs at once
    assert done == [1]
    pool.shutdown()


async def test_waiting_task_cancelled_cancels_a_queued_call():
    pool = EnvThreadPool(1)
    release, ran = threading.Event(), []
    pool.submit(release.wait, 5)
    task = asyncio.ensure_future(pool.run(ran.append, 1))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    release.set()
    await pool.run(lambda: None)
    assert ran == []
    pool.shutdown()


async def test_shutdown_cancels_queued_work_and_refuses_more():
    pool = EnvThreadPool(1)
    release = threading.Event()
    running = pool.submit(release.wait, 5)
    queued = pool.submit(lambda: "never")
    await asyncio.sleep(0.02)
    pool.shutdown()
    await asyncio.sleep(0.02)
    assert queued.future.cancelled()
    with pytest.raises(RuntimeError, match="shut down"):
        pool.submit(lambda: None)
    release.set()
    assert await running.future is True


def test_rejects_a_pool_without_workers():
    with pytest.raises(ValueError, match="max_workers"):
        EnvThreadPool(0)


def test_threads_are_daemons_so_a_stuck_call_cannot_block_exit():
    async def main() -> EnvThreadPool:
        pool = EnvThreadPool(1)
        pool.submit(time.sleep, 0.5)
        await asyncio.sleep(0.01)
        return pool

    pool = asyncio.run(main())
    assert all(t.daemon for t in pool._threads)
    pool.shutdown()
