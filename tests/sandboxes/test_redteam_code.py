"""Red-team findings against the code verifier's harness, on bwrap and docker: each hostile
submission ends as the policy's own status, never `infra_error` (which trainers mask), and a
right program is still paid."""

from __future__ import annotations

import pytest

from gymhub.sandboxes.types import ExecResult
from gymhub.verifiers import CodeVerifier
from gymhub.verifiers.code import _check_report_room, _Infra
from gymhub.verifiers.code_harness import BuildCache

POLICY_VERDICTS = {"incorrect", "error", "timeout", "unparseable"}
STDIO_REF = {
    "language": "python",
    "timeout_s": 1.0,
    "tests": [
        {"stdin": "2 3\n", "expected_stdout": "5\n"},
        {"stdin": "4 4\n", "expected_stdout": "8\n"},
    ],
}
RIGHT = "print(sum(map(int, input().split())))\n"
#: each line is a SyntaxWarning when the source is compiled ("is" with a literal), about 80
#: bytes of warning for 7 bytes of source: 55,000 lines printed 4.5 MB
WARNINGS = "1 is 1\n" * 55_000


def block(code: str) -> str:
    return f"```python\n{code}```"


@pytest.fixture()
def verifier(isolating):
    return CodeVerifier(isolating, total_timeout_s=4.0, build_cache=BuildCache())


def test_compile_warnings_of_a_wrong_program_are_not_infra_error(verifier):
    """The runner compiled the program in its own process, so the compiler's SyntaxWarnings
    went to the runner's stderr: a wrong program with 55,000 of them flooded it past the
    output cap, and the cut report read as the sandbox's failure (`infra_error`, masked)."""
    verdict = verifier.verify(block("print(0)\n" + WARNINGS), STDIO_REF)
    assert verdict.status in POLICY_VERDICTS and verdict.reward == 0.0, verdict


def test_a_right_program_with_compile_warnings_is_paid(verifier):
    verdict = verifier.verify(block(RIGHT + WARNINGS), STDIO_REF)
    assert verdict.status == "correct" and verdict.reward == 1.0, verdict


def test_a_flooded_runner_stderr_is_the_programs_error_not_the_hubs():
    """Whatever floods the runner's stderr (only what it runs can) is the program's doing; a
    report cut short with a quiet stderr is still a backend that allows too little."""
    flooded = ExecResult(status="output_limit", stdout="", stderr="w" * 1_000_000)
    _check_report_room(flooded, 100_000)  # no _Infra
    quiet = ExecResult(status="output_limit", stdout="x" * 50_000, stderr="")
    with pytest.raises(_Infra):
        _check_report_room(quiet, 100_000)
