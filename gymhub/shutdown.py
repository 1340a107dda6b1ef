"""A server told to stop with SIGTERM must still run its clean-up (atexit, `finally` blocks).

uvicorn catches SIGTERM, shuts down gracefully, then raises the signal again so that the
process ends the way it was asked to. Under the default handler that kills the interpreter on
the spot: no `finally` block and no atexit handler runs, so warm sandbox containers and
browsers outlive the server. With this handler the re-raised SIGTERM becomes `SystemExit(143)`.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType


def _exit(signum: int, _frame: FrameType | None) -> None:
    sys.exit(128 + signum)


def exit_cleanly_on_sigterm() -> None:
    """Make SIGTERM raise SystemExit in the main thread (only where nobody else handles it)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, _exit)
