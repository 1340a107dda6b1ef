"""The bounded thread pool that runs sync environment calls off the event loop.

Lighter than `ThreadPoolExecutor` + `asyncio.wrap_future` on the step hot path, where the hop to a
worker and back was a large share of a fast env's step: work goes through a C `SimpleQueue`, a
call carries no `concurrent.futures.Future` (and its condition variable), and results come back
in batches: a worker wakes the loop only when no wake-up is already pending, so under load one
wake-up carries many results. Threads are daemons, so a call that never returns cannot keep the
process from exiting.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import weakref
from collections.abc import Callable
from queue import SimpleQueue
from typing import Any

_PENDING, _RUNNING, _FINISHED, _CANCELLED = range(4)


class PoolCall:
    """One call submitted to the pool; `future` resolves on the submitting event loop."""

    __slots__ = ("fn", "args", "kwargs", "future", "_results", "_state", "_on_finished", "_value")

    def __init__(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        future: asyncio.Future[Any],
        results: _Results,
    ) -> None:
        self.fn, self.args, self.kwargs, self.future = fn, args, kwargs, future
        self._results = results
        self._state = _PENDING
        self._on_finished: list[Callable[[], None]] = []
        self._value: tuple[bool, Any] = (False, None)

    def cancel(self) -> bool:
        """Make sure a call that has not started never does; True when that is the case."""
        with _STATE_LOCK:
            if self._state == _PENDING:
                self._state = _CANCELLED
            cancelled = self._state == _CANCELLED
            hooks = self._take_hooks() if cancelled else []
        if not self.future.done():
            self.future.cancel()
        for hook in hooks:
            _quietly(hook)
        return cancelled

    def on_finished(self, hook: Callable[[], None]) -> None:
        """Run `hook` once the call has returned (in the worker) or now, if it already has or
        never will: how a timed-out call's env is closed only after its stuck call returns."""
        with _STATE_LOCK:
            if self._state in (_PENDING, _RUNNING):
                self._on_finished.append(hook)
                return
        _quietly(hook)

    @property
    def value(self) -> Any:
        """What the call returned, once it has (None before, or when it raised)."""
        ok, value = self._value
        return value if ok and self._state == _FINISHED else None

    def _take_hooks(self) -> list[Callable[[], None]]:
        hooks, self._on_finished = self._on_finished, []
        return hooks

    def _run(self) -> None:  # in a worker thread
        with _STATE_LOCK:
            if self._state != _PENDING:
                return
            self._state = _RUNNING
        try:
            self._value = (True, self.fn(*self.args, **self.kwargs))
        except BaseException as exc:
            self._value = (False, exc)
        finally:
            self.fn = self.args = self.kwargs = None  # type: ignore[assignment]
        with _STATE_LOCK:
            self._state = _FINISHED
            hooks = self._take_hooks()
        for hook in hooks:
            _quietly(hook)
        self._results.post(self)

    def _settle(self) -> None:  # on the loop
        if self.future.done():
            return
        ok, value = self._value  # kept: a hook may still need it (see `value`)
        if ok:
            self.future.set_result(value)
        else:
            self.future.set_exception(value)


_STATE_LOCK = threading.Lock()  # held for a few bytecodes per state change only


def _quietly(hook: Callable[[], None]) -> None:
    try:
        hook()
    except Exception:
        pass


class _Results:
    """Finished calls waiting to be handed to one event loop, delivered in batches."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._ready: collections.deque[PoolCall] = collections.deque()
        self._lock = threading.Lock()
        self._wake_pending = False

    def post(self, call: PoolCall) -> None:  # any thread
        self._ready.append(call)
        with self._lock:
            if self._wake_pending:
                return
            self._wake_pending = True
        try:
            self.loop.call_soon_threadsafe(self._deliver)
        except RuntimeError:  # the loop is closed: nobody waits any more
            pass

    def _deliver(self) -> None:  # on the loop
        with self._lock:
            self._wake_pending = False
        ready = self._ready
        while ready:
            ready.popleft()._settle()


class EnvThreadPool:
    """At most `max_workers` threads, started as needed, shared by every session of a server."""

    def __init__(self, max_workers: int, name: str = "gymhub-env") -> None:
        if max_workers < 1:
            raise ValueError(f"max_workers must be >= 1, got {max_workers}")
        self.max_workers, self.name = max_workers, name
        self._queue: SimpleQueue[PoolCall | None] = SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._lock = threading.Lock()
        self._closed = False
        self._results: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Results] = (
            weakref.WeakKeyDictionary()
        )

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> PoolCall:
        """Queue `fn(*args, **kwargs)`; call from a running event loop, await `.future`."""
        if self._closed:
            raise RuntimeError("the worker pool is shut down")
        loop = asyncio.get_running_loop()
        results = self._results.get(loop)
        if results is None:
            results = self._results[loop] = _Results(loop)
        call = PoolCall(fn, args, kwargs, loop.create_future(), results)
        self._queue.put(call)
        thread = None
        with self._lock:
            if self._idle > 0:
                self._idle -= 1  # an idle worker will take it
            elif len(self._threads) < self.max_workers:
                thread = threading.Thread(
                    target=self._work, name=f"{self.name}-{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
        if thread is not None:
            thread.start()
        return call

    async def run(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Submit and wait; a cancelled wait cancels the call if it has not started."""
        call = self.submit(fn, *args, **kwargs)
        try:
            return await call.future
        except asyncio.CancelledError:
            call.cancel()
            raise

    @property
    def threads(self) -> int:
        return len(self._threads)

    def _work(self) -> None:
        queue, lock = self._queue, self._lock
        while True:
            call = queue.get()
            if call is None:
                return
            call._run()
            del call
            with lock:
                self._idle += 1

    def shutdown(self) -> None:
        """Stop taking work, cancel what has not started; running calls finish on their own."""
        self._closed = True
        while True:
            try:
                call = self._queue.get_nowait()
            except Exception:
                break
            if call is not None:
                loop = call._results.loop
                try:
                    loop.call_soon_threadsafe(call.cancel)
                except RuntimeError:
                    call.cancel()
        for _ in self._threads:
            self._queue.put(None)
