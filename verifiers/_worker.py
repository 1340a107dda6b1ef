"""The worker process of `gymhub.verifiers.pool` (run as `python -m gymhub.verifiers._worker`).

Reads length-prefixed JSON requests `{"fn": "module:function", "args": [...]}` on stdin and
writes `{"value": ...}` or `{"error": "..."}` on stdout. It caps its own memory, and dies with
its parent, so that a runaway computation cannot outlive or starve the hub.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import struct
import sys
from typing import Any

_HEADER = struct.Struct("!I")


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:  # best effort: the parent also kills workers on close
        pass


def _limit_memory() -> None:
    memory_mb = int(os.environ.get("GYMHUB_WORKER_MEMORY_MB", "0") or 0)
    if memory_mb <= 0:
        return
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def _read_exact(stream: Any, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _write(stream: Any, message: dict[str, Any]) -> None:
    try:
        data = json.dumps(message).encode()
    except (TypeError, ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        data = json.dumps({"error": f"result is not JSON-serializable: {exc}"}).encode()
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def main() -> None:
    _die_with_parent()
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(200_000)
    sys.stdout.flush()
    stdin = sys.stdin.buffer
    # nothing else may write on the protocol stream: it moves to a descriptor of its own and
    # descriptor 1 becomes stderr, so a print, a C library's write or a subprocess (which
    # writes on fd 1, not through sys.stdout) cannot put bytes into it; a stray "junk" was read
    # as a length prefix of 1.7 GB and the worker was killed, its call an error
    stdout = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for name in filter(None, os.environ.get("GYMHUB_WORKER_PRELOAD", "").split(",")):
        module_name, _, attr = name.partition(":")
        module = importlib.import_module(module_name)
        if attr:  # "module:function" names a warm-up function to run once
            getattr(module, attr)()
    _limit_memory()
    # the preloaded modules (sympy: hundreds of thousands of objects) live as long as the worker:
    # keep them out of the cyclic collector, which would walk them on every full collection
    gc.collect()
    gc.freeze()
    functions: dict[str, Any] = {}
    _write(stdout, {"ready": True})
    while True:
        header = _read_exact(stdin, _HEADER.size)
        if header is None:
            return
        (size,) = _HEADER.unpack(header)
        body = _read_exact(stdin, size)
        if body is None:
            return
        try:
            request = json.loads(body)
            fn_name = request["fn"]
            fn = functions.get(fn_name)
            if fn is None:
                module_name, _, attr = fn_name.partition(":")
                fn = getattr(importlib.import_module(module_name), attr)
                functions[fn_name] = fn
            reply = {"value": fn(*request.get("args", []))}
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            reply = {"error": f"{type(exc).__name__}: {str(exc)[:500]}"}
        _write(stdout, reply)


if __name__ == "__main__":
    main()
