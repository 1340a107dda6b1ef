"""Requests that are large in odd ways (an argument list past the kernel's limit, thousands of
tiny input files) end the same way on every backend, and never as the hub's `infra_error`."""

from __future__ import annotations

from gymhub.sandboxes import ExecRequest


def test_an_argument_list_too_long_is_the_programs_failure(sandbox):
    """execve refuses it (E2BIG): docker's launcher reported the program unable to run (127),
    while bwrap and local failed to start their own helper and said infra_error."""
    request = ExecRequest(command=["python3", "-c", "print(1)", "a" * 200_000], timeout_s=5)
    result = sandbox.run(request)
    assert (result.status, result.exit_code) == ("nonzero_exit", 127), result
    assert "Argument list too long" in result.stderr


def test_many_tiny_input_files_fit(sandbox):
    """bwrap sized its working tmpfs by the inputs' byte count, but each file takes a whole
    page: 20000 one-byte files (80 MiB of pages) did not fit and the set-up failed."""
    files = {f"in/f{i}": "x" for i in range(20000)}
    code = "import os; print(len(os.listdir('in')))"
    result = sandbox.run(ExecRequest(command=["python3", "-c", code], files=files, timeout_s=20))
    assert (result.status, result.stdout) == ("ok", "20000\n"), result
