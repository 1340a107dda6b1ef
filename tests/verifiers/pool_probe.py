"""Tiny functions for exercising the verifier worker pool in tests.

The workers import this module by name; tests/verifiers/test_pool.py puts this folder on their
PYTHONPATH."""

from __future__ import annotations

import os
import time


def echo(value: object) -> object:
    return value


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def spin(seconds: float) -> int:
    """Burn CPU in pure Python (like a runaway sympy computation)."""
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
    return n


def big_power(exponent: int) -> int:
    """A C-level computation that holds the GIL for a long time."""
    return len(str(9**exponent))


def crash(code: int = 3) -> None:
    os._exit(code)


def pid() -> int:
    return os.getpid()


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def nested(depth: int) -> list:
    """A result nested deeper than JSON can write (a verifier returning a parse tree, say)."""
    value: list = []
    for _ in range(depth):
        value = [value]
    return value
