"""The server's hop to a worker thread and back: gymhub's EnvThreadPool against
`loop.run_in_executor` on a `ThreadPoolExecutor` of the same size (the baseline, what most
ASGI env servers use), in the same process, for a call that does nothing.

    .venv/bin/python benchmarks/worker_pool.py [--seconds 2] [--concurrency 1,64,256]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import time
from collections.abc import Awaitable, Callable

from gymhub.server.pool import EnvThreadPool


def _noop(x: int) -> int:
    return x


async def _rate(call: Callable[[int], Awaitable[int]], concurrency: int, seconds: float) -> float:
    count = 0
    stop = time.perf_counter() + seconds

    async def one() -> None:
        nonlocal count
        while time.perf_counter() < stop:
            await call(1)
            count += 1

    await asyncio.gather(*(one() for _ in range(concurrency)))
    return count / seconds


async def main(seconds: float, levels: list[int], workers: int) -> None:
    pool = EnvThreadPool(workers)
    executor = concurrent.futures.ThreadPoolExecutor(workers)
    loop = asyncio.get_running_loop()
    print(f"{'concurrency':>11} {'EnvThreadPool/s':>16} {'executor/s':>11} {'ratio':>6}")
    for n in levels:
        ours = await _rate(lambda x: pool.run(_noop, x), n, seconds)
        base = await _rate(lambda x: loop.run_in_executor(executor, _noop, x), n, seconds)
        print(f"{n:>11} {ours:>16.0f} {base:>11.0f} {ours / base:>5.2f}x")
    pool.shutdown()
    executor.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--concurrency", default="1,64,256")
    parser.add_argument("--workers", type=int, default=64, help="threads in both pools")
    args = parser.parse_args()
    asyncio.run(main(args.seconds, [int(x) for x in args.concurrency.split(",")], args.workers))
