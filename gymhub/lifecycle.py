"""The one owner of process-wide resources: closes them in a fixed order at exit and on demand.

Shared things that outlive a single env (the verifier worker processes, Docker sandbox
containers, the shared Chromium, HTTP connection pools) register a close function here when they
are created and unregister when they close themselves. `close_all()` (also `gymhub.close_all()`,
and run once at interpreter exit) closes whatever is still open, stage by stage:

    browsers -> sandboxes -> workers -> connections

Users of a resource close before the resource: connection pools close last because closing
the others may still talk over them. Within a stage the newest resource closes first.

This module imports only the standard library, so `gymhub.sandboxes` (which imports nothing
else from gymhub) may register here too.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable

#: the stages in the order `close_all` closes them
STAGES = ("browsers", "sandboxes", "workers", "connections")

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_resources: dict[str, tuple[int, int, Callable[[], object]]] = {}  # name -> (stage, seq, close)
_seq = 0


def register(name: str, close: Callable[[], object], *, stage: str) -> None:
    """Have `close()` called by `close_all()` and at exit. `name` identifies the resource:
    registering a name again replaces the earlier entry (so a re-created singleton never
    piles up stale entries); `unregister(name)` drops it once the resource closed itself."""
    if stage not in STAGES:
        raise ValueError(f"unknown lifecycle stage {stage!r}; stages: {', '.join(STAGES)}")
    if not callable(close):
        raise TypeError("close must be callable")
    global _seq
    with _lock:
        _seq += 1
        _resources[name] = (STAGES.index(stage), _seq, close)


def unregister(name: str) -> None:
    """Forget `name` (no-op when it is not registered)."""
    with _lock:
        _resources.pop(name, None)


def registered() -> list[str]:
    """The names still registered, in the order `close_all` would close them."""
    with _lock:
        return [name for name, _ in sorted(_resources.items(), key=_close_order)]


def _close_order(item: tuple[str, tuple[int, int, Callable[[], object]]]) -> tuple[int, int]:
    stage, seq, _ = item[1]
    return stage, -seq


def close_all() -> list[str]:
    """Close every registered resource in stage order; returns the names closed. Idempotent:
    a resource is closed once, and a failing close is logged without stopping the others.
    Resources created afterwards register again and are closed by the next call."""
    with _lock:
        items = sorted(_resources.items(), key=_close_order)
        _resources.clear()
    closed = []
    for name, (_stage, _seq_no, close) in items:
        try:
            close()
        except Exception:
            _log.warning("closing %s failed", name, exc_info=True)
        closed.append(name)
    return closed


atexit.register(close_all)
