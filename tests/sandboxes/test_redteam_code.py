"""Red-team findings against the code verifier's harness, on bwrap and docker: each hostile
submission ends as the policy's own status, never `infra_error` (which trainers mask), and a
right program is still paid."""

from __future__ import annotations

import pytest

import gymhub
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


def test_a_short_program_with_compile_warnings_is_not_infra_error_in_code_v0(isolating):
    """Each warning shows its source line, so one line of 2,500 `1 is 1` printed 50 MB for a
    20 KB answer: a bundled stdin/stdout task of Code-v0 ended as `infra_error`."""
    env = gymhub.make("gymhub/Code-v0", sandbox=isolating)
    for seed in range(50):
        env.reset(seed=seed)
        if "fn_name" not in env.task.answer:
            break
    code = "x = [" + "1 is 1, " * 2500 + "]\nprint(0)\n"
    _, reward, _, _, info = env.step(block(code))
    assert info["verdict"] in POLICY_VERDICTS and reward == 0.0, info


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


CHECKER_REF = {
    "language": "python",
    "timeout_s": 2.0,
    "checker": {
        "code": "import sys\n"
        "got = open(sys.argv[2], 'rb').read()\n"
        "sys.exit(0 if got == bytes.fromhex(open(sys.argv[3]).read().strip()) else 1)"
    },
    "tests": [{"stdin": "", "expected_stdout": "ff00fe0a"}],
}


def test_the_checker_reads_the_bytes_the_program_printed(verifier):
    """output.txt held the output as text with each invalid byte replaced (3 bytes of U+FFFD
    for 1): a checker could not see what was printed, and 1 MB of 0xff took 3 MB to send."""
    program = "import sys\nsys.stdout.buffer.write(bytes.fromhex('ff00fe0a'))"
    verdict = verifier.verify(block(program), CHECKER_REF)
    assert verdict.status == "correct", verdict


class _Accepting:
    """A sandbox stand-in whose every run succeeds (the checker accepts)."""

    name = "stand-in"

    def run(self, request):
        return ExecResult(status="ok", exit_code=0)


def test_an_output_too_large_for_the_checker_is_wrong_not_a_crash():
    """A program's output with the checker's files went into one request unmeasured: over the
    request's 64 MiB the request itself raised ValueError, which the env reports as
    `infra_error`. Far more than a right output (twice the expected one) is wrong now."""
    verifier = CodeVerifier(_Accepting(), build_cache=BuildCache())
    checker = {"code": "import sys"}
    test = {"stdin": "", "expected_stdout": "5\n"}
    assert verifier._check(checker, "", b"5\n", test) is True
    assert verifier._check(checker, "", b"x" * (65 * 1024 * 1024), test) is False
    huge = {"stdin": "", "expected_stdout": "y" * (40 * 1024 * 1024)}
    with pytest.raises(_Infra):  # even a right output could not be sent: the hub's limit
        verifier._check(checker, "", b"x" * (40 * 1024 * 1024), huge)
