"""The verifier pool's worker keeps its protocol stream to itself: output a called function
writes on descriptor 1 (a subprocess, a C library) goes to stderr instead."""

from __future__ import annotations

import sys

import pytest

from gymhub.verifiers.pool import WorkerPool


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
def test_output_on_descriptor_1_does_not_corrupt_the_protocol():
    """A subprocess's "junk" on fd 1 was read as a 1.7 GB length prefix: the worker was killed
    and the call was an error. The call now succeeds, and so does the next one."""
    with WorkerPool(1) as pool:
        result = pool.call(
            "os:system", "echo junkjunkjunk; printf 'x%.0s' $(seq 1 5000)", deadline=10
        )
        assert result.status == "ok" and result.value == 0, result
        after = pool.call("math:sqrt", 4.0, deadline=10)
        assert after.status == "ok" and after.value == 2.0, after
        assert pool.stats()["crashes"] == 0 and pool.stats()["kills"] == 0
