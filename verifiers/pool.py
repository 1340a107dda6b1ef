"""Hard deadlines for verifier work: a pool of worker processes that are killed when late.

Parsing and comparing model output with sympy can hang or blow up (power towers, huge
factorials, pathological simplifications). Python cannot interrupt such work in a thread, and
SIGALRM only works on the main thread, so the work runs in separate worker processes. The caller
waits on a pipe with a timeout; a worker that misses its deadline is SIGKILLed and replaced in
the background, and the caller gets a `timeout` result at once. A worker that crashes gives an
`error` result. The pool keeps serving either way, from any thread or event loop.

Messages are JSON (length-prefixed) in both directions: nothing a worker sends back is unpickled.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import queue
import selectors
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from gymhub import lifecycle

DEFAULT_DEADLINE_S = 1.0
_HEADER = struct.Struct("!I")
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


# `map` keeps a second request in a worker's pipe while it works on the first, so the worker
# never waits for the caller between two calls; only requests this small are sent ahead, so that
# the write can never block on a pipe the (possibly hung) worker is not reading
PIPELINE_MAX_BYTES = 16 * 1024


def encode(message: dict[str, Any]) -> bytes:
    """A request as it goes down the pipe: length prefix, then JSON."""
    data = json.dumps(message).encode()
    return _HEADER.pack(len(data)) + data


@dataclass
class PoolResult:
    """The outcome of one call: `ok` with `value`, or `timeout` / `error` with `detail`."""

    status: Literal["ok", "timeout", "error"]
    value: Any = None
    detail: str | None = None
    wall_s: float = 0.0

    @classmethod
    def late(cls, limit: float, started: float) -> PoolResult:
        return cls(
            "timeout",
            detail=f"worker passed its {limit:g} s deadline and was killed",
            wall_s=time.monotonic() - started,
        )

    @classmethod
    def died(cls, exc: BaseException, started: float) -> PoolResult:
        return cls("error", detail=f"worker died: {exc!r}", wall_s=time.monotonic() - started)

    @classmethod
    def reply(cls, message: dict[str, Any], wall: float) -> PoolResult:
        if "error" in message:
            return cls("error", detail=str(message["error"]), wall_s=wall)
        return cls("ok", value=message.get("value"), wall_s=wall)


class _Worker:
    """One worker process and the pipes to it."""

    def __init__(self, memory_mb: int | None, preload: Sequence[str]) -> None:
        cmd = [sys.executable, "-m", "gymhub.verifiers._worker"]
        env = dict(os.environ)
        env["GYMHUB_WORKER_MEMORY_MB"] = str(memory_mb or 0)
        env["GYMHUB_WORKER_PRELOAD"] = ",".join(preload)
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._out = self.proc.stdin
        self._in_fd = self.proc.stdout.fileno()
        # one selector for the worker's life (not one per read: two syscalls saved a read)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._in_fd, selectors.EVENT_READ)
        self.calls = 0

    def wait_ready(self, timeout: float) -> None:
        message = self.recv(timeout)
        if message.get("ready") is not True:
            raise RuntimeError(f"worker sent {message!r} instead of ready")

    def send(self, message: dict[str, Any]) -> None:
        self.send_bytes(encode(message))

    def send_bytes(self, data: bytes) -> None:
        self._out.write(data)
        self._out.flush()

    def _read_exact(self, n: int, deadline: float) -> bytes:
        chunks, got = [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0 or not self._selector.select(left):
                raise TimeoutError
            chunk = os.read(self._in_fd, min(n - got, 1 << 20))
            if not chunk:
                raise EOFError("worker exited")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def recv(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        (size,) = _HEADER.unpack(self._read_exact(_HEADER.size, deadline))
        if size > MAX_MESSAGE_BYTES:
            raise EOFError(f"worker sent an oversized message ({size} bytes)")
        try:
            return json.loads(self._read_exact(size, deadline))
        except (ValueError, RecursionError) as exc:  # not a message the worker protocol writes
            raise EOFError(f"worker sent an unreadable message: {exc}") from None

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self._selector.close()
        except (OSError, ValueError):
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


class _Calls:
    """The calls of one `WorkerPool.map` still to send, in one queue per feeding thread when
    they have affinity keys (calls sharing a key share a queue), else in one shared queue. A
    feeder whose queue is empty takes from the end of the longest other one."""

    def __init__(self, n: int, feeders: int, keys: Sequence[Hashable] | None) -> None:
        self.lock = threading.Lock()
        shards = feeders if keys is not None else 1
        self.shards: list[collections.deque[int]] = [collections.deque() for _ in range(shards)]
        for index in range(n):
            self.shards[0 if keys is None else hash(keys[index]) % shards].append(index)
        self.left = n
        self.feeders = feeders

    def take(self, shard: int, queued: bool) -> int | None:
        """The next call for feeder `shard`; None when none is left, or when `queued` (the
        feeder's worker is busy) and too few are left to queue one behind a running call
        while another worker might sit idle."""
        with self.lock:
            if self.left == 0 or (queued and self.left < self.feeders):
                return None
            own = self.shards[shard % len(self.shards)]
            if own:
                index = own.popleft()
            else:
                index = max(self.shards, key=len).pop()
            self.left -= 1
            return index

    def put_back(self, shard: int, indices: list[int]) -> None:
        with self.lock:
            self.shards[shard % len(self.shards)].extendleft(reversed(indices))
            self.left += len(indices)


class WorkerPool:
    """A fixed number of worker processes running `module:function` calls under deadlines.

    `call(fn, *args, deadline=...)` blocks the calling thread only; `acall` is the asyncio
    version; `map` spreads a list of calls over all workers. `deadline` bounds the time a worker
    spends on the call; `max_wait` bounds the time spent waiting for a free worker (None: wait).
    Arguments and results must be JSON-serializable.
    """

    def __init__(
        self,
        size: int | None = None,
        *,
        deadline: float = DEFAULT_DEADLINE_S,
        memory_mb: int | None = 2048,
        max_wait: float | None = None,
        preload: Sequence[str] = (),
        start_timeout: float = 60.0,
    ) -> None:
        size = size if size is not None else max(1, os.cpu_count() or 1)
        if not isinstance(size, int) or size < 1:
            raise ValueError(f"pool size must be a positive integer, got {size!r}")
        if deadline <= 0:
            raise ValueError(f"deadline must be positive, got {deadline!r}")
        self.size = size
        self.deadline = float(deadline)
        self.memory_mb = memory_mb
        self.max_wait = max_wait
        self.preload = tuple(preload)
        self.start_timeout = start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._spawn_requests: queue.Queue[_Worker | None | str] = queue.Queue()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._spawner: threading.Thread | None = None
        self._all: set[_Worker] = set()
        self._executor: ThreadPoolExecutor | None = None
        self.kills = 0
        self.crashes = 0
        self.spawn_failures = 0
        self.broken: str | None = None  # why workers cannot start, after repeated failures
        self._lifecycle_name = f"verifier worker pool {id(self):x}"

    # ----- lifecycle ------------------------------------------------------------------------
    def start(self, wait: bool = False) -> WorkerPool:
        """Start the workers (done automatically by the first call); `wait` blocks until all
        are ready."""
        with self._lock:
            if self._closed:
                raise RuntimeError("this WorkerPool is closed")
            if not self._started:
                self._started = True
                # all workers are started from this one long-lived thread: a worker asks the
                # kernel to kill it when the thread that started it dies (PR_SET_PDEATHSIG)
                self._spawner = threading.Thread(
                    target=self._spawn_loop, name="gymhub-verifier-spawner", daemon=True
                )
                self._spawner.start()
                lifecycle.register(self._lifecycle_name, self.close, stage="workers")
                for _ in range(self.size):
                    self._spawn_requests.put("spawn")
        if wait:
            self.wait_idle(self.start_timeout)
        return self

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until every worker is started and idle (or `timeout`); True when they are."""
        end = time.monotonic() + timeout
        while self._idle.qsize() < self.size:
            if time.monotonic() >= end or self.broken or self._closed:
                return False
            time.sleep(0.01)
        return True

    def _spawn_loop(self) -> None:
        while True:
            request = self._spawn_requests.get()
            if request is None:
                return
            if isinstance(request, _Worker):  # a worker to kill, then replace
                request.kill()
                with self._lock:
                    self._all.discard(request)
            if self._closed:
                continue
            for attempt in range(3):
                worker: _Worker | None = None
                try:
                    worker = _Worker(self.memory_mb, self.preload)
                    worker.wait_ready(self.start_timeout)
                except (TimeoutError, EOFError, OSError, ValueError, RuntimeError) as exc:
                    self.spawn_failures += 1
                    if worker is not None:
                        worker.kill()
                    if attempt == 2:
                        self.broken = f"verifier workers fail to start: {exc!r}"
                    time.sleep(0.2 * (attempt + 1))
                    continue
                self.broken = None
                with self._lock:
                    if self._closed:
                        worker.kill()
                        break
                    self._all.add(worker)
                self._idle.put(worker)
                break

    def close(self) -> None:
        """Kill every worker; idempotent. Calls made afterwards raise RuntimeError."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._all)
            lifecycle.unregister(self._lifecycle_name)
            self._all.clear()
        self._spawn_requests.put(None)
        for worker in workers:
            worker.kill()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    # ----- calls ----------------------------------------------------------------------------
    def call(self, fn: str, *args: Any, deadline: float | None = None) -> PoolResult:
        """Run `fn` ("package.module:function") on `args` in a worker within `deadline` s."""
        self._check_call(fn)
        self.start()
        limit = self.deadline if deadline is None else float(deadline)
        started = time.monotonic()
        worker = self._get_worker(started)
        if isinstance(worker, PoolResult):
            return worker
        return self._run_on(worker, fn, args, limit, started)

    def _check_call(self, fn: str) -> None:
        if ":" not in fn:
            raise ValueError(f"fn must look like 'package.module:function', got {fn!r}")
        if self._closed:
            raise RuntimeError("this WorkerPool is closed")

    def _run_on(
        self, worker: _Worker, fn: str, args: Sequence[Any], limit: float, started: float
    ) -> PoolResult:
        """One call on a worker taken from the idle queue; the worker goes back to it after
        (or is replaced)."""
        t0 = time.monotonic()
        try:
            worker.send({"fn": fn, "args": list(args)})
            message = worker.recv(limit)
        except TimeoutError:
            self.kills += 1
            self._retire(worker)
            return PoolResult.late(limit, started)
        except (EOFError, OSError, ValueError) as exc:
            self.crashes += 1
            self._retire(worker)
            return PoolResult.died(exc, started)
        except BaseException:
            self._retire(worker)
            raise
        worker.calls += 1
        self._idle.put(worker)
        return PoolResult.reply(message, time.monotonic() - t0)

    def _get_worker(self, started: float) -> _Worker | PoolResult:
        while True:
            try:
                return self._idle.get(timeout=0.25)
            except queue.Empty:
                pass
            waited = time.monotonic() - started
            if self.broken:
                return PoolResult("error", detail=self.broken, wall_s=waited)
            if self._closed:
                return PoolResult("error", detail="the pool was closed", wall_s=waited)
            if self.max_wait is not None and waited >= self.max_wait:
                return PoolResult("timeout", detail="no free worker", wall_s=waited)

    def _retire(self, worker: _Worker) -> None:
        try:
            worker.proc.kill()  # at once, so a hung worker stops burning CPU
        except OSError:
            pass
        self._spawn_requests.put(worker)

    def _get_executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=max(64, 4 * self.size), thread_name_prefix="gymhub-pool"
                )
            return self._executor

    async def acall(self, fn: str, *args: Any, deadline: float | None = None) -> PoolResult:
        """`call` for asyncio: waits in the pool's own threads, never blocks the loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._get_executor(), lambda: self.call(fn, *args, deadline=deadline)
        )

    def map(
        self,
        fn: str,
        arglists: Sequence[Sequence[Any]],
        deadline: float | None = None,
        keys: Sequence[Hashable] | None = None,
    ) -> list[PoolResult]:
        """Run `fn(*args)` for every args in `arglists`, spread over all workers, in order.

        Each call gets the same deadline and results as with `call`; the calls are pipelined
        (see `_feed`), which saves a round trip of idle worker time per call. `keys` (one per
        call) keeps calls with the same key on the same worker while it has work, so that its
        caches serve them all (math answers sharing a gold parse it once, not once a worker)."""
        self._check_call(fn)
        if keys is not None and len(keys) != len(arglists):
            raise ValueError(f"map got {len(arglists)} calls and {len(keys)} keys")
        if not arglists:
            return []
        self.start()
        limit = self.deadline if deadline is None else float(deadline)
        results: list[PoolResult | None] = [None] * len(arglists)
        feeders = min(self.size, len(arglists))
        calls = _Calls(len(arglists), feeders, keys)
        # one feeding thread per worker: more threads would only contend for the GIL
        with ThreadPoolExecutor(max_workers=feeders) as executor:
            futures = [
                executor.submit(self._feed, fn, arglists, limit, calls, shard, results)
                for shard in range(feeders)
            ]
            for future in futures:
                future.result()
        assert all(r is not None for r in results)
        return results  # type: ignore[return-value]

    def _feed(
        self,
        fn: str,
        arglists: Sequence[Sequence[Any]],
        limit: float,
        calls: _Calls,
        shard: int,
        results: list[PoolResult | None],
    ) -> None:
        """One feeding thread of `map`: takes calls from `todo` and keeps up to two of them in
        one worker's pipe. The worker runs them in order, so the second starts when the first's
        reply arrives: its deadline counts from then, exactly as if it had been sent then. A
        worker killed at a deadline (or dead) takes the call it was running; the call queued
        behind it goes back to `todo` for another worker."""
        worker: _Worker | None = None
        inflight: collections.deque[int] = collections.deque()
        started = time.monotonic()  # the running call's start (the front of `inflight`)
        try:
            while True:
                while len(inflight) < 2:
                    index = calls.take(shard, queued=bool(inflight))
                    if index is None:
                        break
                    try:
                        data = encode({"fn": fn, "args": list(arglists[index])})
                    except (TypeError, ValueError) as exc:
                        results[index] = PoolResult("error", detail=f"arguments: {exc}")
                        continue
                    if inflight and len(data) > PIPELINE_MAX_BYTES:
                        calls.put_back(shard, [index])
                        break
                    if worker is None:
                        got = self._get_worker(time.monotonic())
                        if isinstance(got, PoolResult):
                            results[index] = got
                            continue
                        worker = got
                    try:
                        worker.send_bytes(data)
                    except OSError as exc:
                        self.crashes += 1
                        results[index] = PoolResult.died(exc, time.monotonic())
                        worker = self._drop(worker, inflight, calls, shard)
                        continue
                    if not inflight:
                        started = time.monotonic()
                    inflight.append(index)
                if not inflight:
                    return
                index = inflight.popleft()
                try:
                    message = worker.recv(max(0.0, started + limit - time.monotonic()))
                except TimeoutError:
                    self.kills += 1
                    results[index] = PoolResult.late(limit, started)
                    worker = self._drop(worker, inflight, calls, shard)
                    continue
                except (EOFError, OSError, ValueError) as exc:
                    self.crashes += 1
                    results[index] = PoolResult.died(exc, started)
                    worker = self._drop(worker, inflight, calls, shard)
                    continue
                now = time.monotonic()
                worker.calls += 1
                results[index] = PoolResult.reply(message, now - started)
                started = now  # the next queued call starts now
        except BaseException:
            if worker is not None:
                self._retire(worker)
                worker = None
            raise
        finally:
            if worker is not None:
                self._idle.put(worker)

    def _drop(
        self,
        worker: _Worker,
        inflight: collections.deque[int],
        calls: _Calls,
        shard: int,
    ) -> None:
        """Retire a worker that is late or dead; calls queued in its pipe go back to `calls`."""
        self._retire(worker)
        calls.put_back(shard, list(inflight))
        inflight.clear()
        return None

    def call_each(
        self, fn: str, *args: Any, deadline: float | None = None, timeout: float = 60.0
    ) -> list[PoolResult]:
        """Run `fn(*args)` once on every worker, at the same time (warm-ups, cache resets,
        settings): waits until all of them are idle (at most `timeout` s)."""
        self._check_call(fn)
        self.start()
        limit = self.deadline if deadline is None else float(deadline)
        held: list[_Worker] = []
        end = time.monotonic() + timeout
        while len(held) < self.size:
            left = end - time.monotonic()
            if left <= 0 or self.broken or self._closed:
                for worker in held:
                    self._idle.put(worker)
                raise RuntimeError(
                    self.broken or f"{self.size - len(held)} workers stayed busy for {timeout} s"
                )
            try:
                held.append(self._idle.get(timeout=min(left, 0.25)))
            except queue.Empty:
                pass
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=self.size) as executor:
            return list(executor.map(lambda w: self._run_on(w, fn, args, limit, started), held))

    def stats(self) -> dict[str, int]:
        return {
            "size": self.size,
            "idle": self._idle.qsize(),
            "kills": self.kills,
            "crashes": self.crashes,
            "spawn_failures": self.spawn_failures,
        }


_default_pool: WorkerPool | None = None
_default_lock = threading.Lock()


def default_pool() -> WorkerPool:
    """The process-wide pool shared by verifiers: one worker per CPU core, at most 8
    (`GYMHUB_VERIFIER_WORKERS` overrides), math modules preloaded and warmed."""
    global _default_pool
    with _default_lock:
        if _default_pool is None or _default_pool.closed:
            size = os.environ.get("GYMHUB_VERIFIER_WORKERS", "")
            workers = int(size) if size.isdigit() and int(size) > 0 else min(8, os.cpu_count() or 1)
            _default_pool = WorkerPool(workers, preload=("gymhub.verifiers.math_core:warmup",))
        return _default_pool
