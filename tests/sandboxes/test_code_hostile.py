"""Hostile submissions through the code verifier and the code envs, on bwrap and docker: every
one ends as the policy's own status (`error`, `timeout`, `incorrect`, `unparseable`), never
`infra_error`; the docker pool keeps its containers; a verification never takes longer than the
verifier's total budget allows, whatever the tests' own deadlines add up to."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gymhub
from gymhub.verifiers import CodeVerifier
from gymhub.verifiers.code_harness import BuildCache
from tests.sandboxes.hostile import FUZZ, PROGRAMS

POLICY_VERDICTS = {"incorrect", "error", "timeout", "unparseable"}
#: the corpus entries that attack the test harness itself (the sandbox-level tests run them all)
HARNESS_ATTACKS = [
    "close_stdout", "daemon_holds_stdout", "deep_tree", "fork_bomb", "forged_result",
    "huge_stdout_no_newline", "kill_everything", "kill_parent", "lock_own_folder",
    "surrogate_output",
]  # fmt: skip
STDIO_REF = {
    "language": "python",
    "timeout_s": 1.0,
    "tests": [
        {"stdin": "2 3\n", "expected_stdout": "5\n"},
        {"stdin": "4 4\n", "expected_stdout": "8\n"},
    ],
}
FN_REF = {
    "language": "python",
    "fn_name": "add",
    "timeout_s": 1.0,
    "tests": [{"args": [2, 3], "expected": 5}, {"args": [4, 4], "expected": 8}],
}


def block(code: str, lang: str = "python") -> str:
    return f"My answer:\n```{lang}\n{code}\n```"


def _pool(sandbox) -> set[str]:
    return {c.id for c in getattr(sandbox, "_all", [])}


@pytest.fixture()
def verifier(isolating):
    return CodeVerifier(isolating, total_timeout_s=4.0)


def _check(verifier, response: str, reference: dict) -> None:
    pool_before = _pool(verifier.sandbox)
    verdict = verifier.verify(response, reference)
    assert verdict.status in POLICY_VERDICTS and verdict.reward == 0.0, verdict
    if verdict.detail:
        verdict.detail.encode("utf-8")  # printable: no lone surrogates in what the hub records
    json.dumps(verdict.model_dump())
    assert _pool(verifier.sandbox) == pool_before, "a warm container was discarded"


@pytest.mark.parametrize("name", HARNESS_ATTACKS)
def test_hostile_programs_as_stdio_submissions(verifier, name):
    _check(verifier, block(PROGRAMS[name]), STDIO_REF)


@pytest.mark.parametrize("name", HARNESS_ATTACKS)
def test_hostile_programs_as_function_submissions(verifier, name):
    body = "\n".join("    " + line for line in PROGRAMS[name].splitlines())
    _check(verifier, block(f"def add(a, b):\n{body}\n    return a + b + 1"), FN_REF)


SURROGATES = {
    "in_code": block("print('\ud800')"),
    "in_comment": block("# \udfff\nimport sys\nprint(sum(map(int, sys.stdin.read().split())) + 1)"),
    "in_string_literal_of_answer": block("x = '\ud83d'\nprint(5)"),
    "around_the_fence": "\ud800```python\nprint(1)\n```\udc00",
    "in_the_error_text": block("raise ValueError('\ud800' * 50)"),
}


@pytest.mark.parametrize("name", sorted(SURROGATES))
def test_text_the_hub_cannot_encode(verifier, name):
    _check(verifier, SURROGATES[name], STDIO_REF)
    _check(
        verifier, SURROGATES[name].replace("print(", "def add(a, b): return ('\ud800', "), FN_REF
    )


def test_oversized_code_is_the_programs_error(isolating):
    small = CodeVerifier(isolating, max_code_bytes=1000)
    verdict = small.verify(block("x = 1\n" + "#" * 5000), STDIO_REF)
    assert verdict.status == "error" and "over the limit" in verdict.detail
    huge = CodeVerifier(isolating).verify(block("x = 1\n" + "#" * 70_000_000), STDIO_REF)
    assert huge.status in POLICY_VERDICTS, huge


def test_many_slow_tests_stay_inside_the_total_budget(verifier):
    """Each test sleeps just under its own deadline: without a total budget the run would
    take 20 x 0.9 s; the verifier stops at its budget and calls it a timeout."""
    ref = {**STDIO_REF, "tests": [{"stdin": "", "expected_stdout": "ok\n"}] * 20}
    start = time.monotonic()
    verdict = verifier.verify(block("import time\ntime.sleep(0.9)\nprint('ok')"), ref)
    assert verdict.status == "timeout", verdict
    assert time.monotonic() - start < verifier.total_timeout_s + 10


def test_code_envs_never_give_infra_errors(isolating):
    for env_id, options in (
        ("gymhub/Code-v0", {}),
        ("gymhub/CodeFeedback-v0", {"max_attempts": 1}),
    ):
        env = gymhub.make(env_id, sandbox=isolating, **options)
        env.reset(seed=0)
        task = env.task.model_dump()
        task["answer"]["timeout_s"] = 1.0  # hostile programs run into deadlines: keep them short
        for name in ("fork_bomb", "kill_everything"):
            env.reset(seed=0, options={"task": task})
            done = False
            while not done:
                _, reward, terminated, truncated, info = env.step(block(PROGRAMS[name]))
                assert info["verdict"] != "infra_error" and not info.get("infra_error"), info
                done = terminated or truncated
            assert reward == 0.0
        env.close()


texts = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)  # surrogates too
snippets = st.sampled_from(sorted(PROGRAMS)).map(lambda name: PROGRAMS[name])
responses = st.builds(
    lambda before, code, junk, after, fence: f"{before}```{fence}\n{code}{junk}\n```{after}",
    texts,
    snippets,
    texts,
    texts,
    st.sampled_from(["python", "py", "", "bash", "c", "cobol"]),
)


@settings(max_examples=6, **FUZZ)
@given(response=responses)
def test_generated_responses_never_cause_infra_errors(verifier, response):
    verdict = verifier.verify(response, STDIO_REF)
    assert verdict.status != "infra_error", (response, verdict)
    assert verdict.status != "correct"


def test_values_out_of_float_range_are_wrong_answers(verifier):
    """An int no float can hold, compared with a float (either way round), is a wrong answer;
    it made the comparison raise OverflowError, which the hub reports as its own failure."""
    ref = {"fn_name": "f", "timeout_s": 1.0, "tests": [{"args": [], "expected": 1.5}]}
    verdict = verifier.verify(block("def f(): return 10 ** 400"), ref)
    assert verdict.status == "incorrect", verdict
    ref["tests"] = [{"args": [], "expected": 10**400}]
    verdict = verifier.verify(block("def f(): return 1.5"), ref)
    assert verdict.status == "incorrect", verdict


def _at_depth(frames: int, call):
    return call() if frames == 0 else _at_depth(frames - 1, call)


def test_a_deeply_nested_return_value_is_the_programs_error(verifier):
    """A value nested nearly as deep as Python's recursion limit survives the sandbox's JSON,
    but not the hub's own parse of the report when the hub calls from a deeper stack (a trainer,
    an event loop): the RecursionError escaped `verify` and read as the hub's failure."""
    code = "def add(a, b):\n    x = a + b\n    for _ in range(985):\n        x = [x]\n    return x"
    verdict = _at_depth(100, lambda: verifier.verify(block(code), FN_REF))
    assert verdict.status == "error" and verdict.reward == 0.0, verdict


def test_a_cached_binary_too_large_to_send_back_in_is_compiled_again(isolating):
    """A C program whose binary nearly fills the disk limit passes; the binary was cached, and
    the next verification of the same source (a GRPO group, the feedback env's hidden tests)
    sent it in with the sources: over the request's file limit, a ValidationError, read as the
    hub's failure. Now such a binary is compiled in the sandbox each time, never cached."""
    verifier = CodeVerifier(isolating, build_cache=BuildCache())
    ref = {
        "language": "c",
        "timeout_s": 2.0,
        "tests": [{"stdin": "2 3\n", "expected_stdout": "5\n"}],
    }
    code = (
        "#include <stdio.h>\nchar big[66900000] = {1};\n"
        'int main(){int a, b; scanf("%d %d", &a, &b); printf("%d\\n", a + b + big[a + b + 9]);}\n'
        "/*" + "x" * 390_000 + "*/\n"
    )
    for _ in range(2):
        verdict = verifier.verify(block(code, "c"), ref)
        assert verdict.status == "correct", verdict
    assert len(verifier.build_cache) == 0


class _Recording:
    """Passes runs to a real backend and keeps each request."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.requests = inner, inner.name, []

    def run(self, request):
        self.requests.append(request)
        return self.inner.run(request)


def test_output_of_invalid_bytes_at_the_cap_on_every_test_is_scored(isolating):
    """The runner sent each test's output as JSON text, where an invalid byte takes 6 bytes
    (\\ufffd), so the hub asked room for 7 x the cap per test (3 tests: over a remote server's
    16 MiB; the hub held 6 x what a program printed). Outputs travel as base64 now: a program
    printing its cap of invalid bytes on every test is still scored, right or wrong, and the
    hub asks 4/3 of the cap per test."""
    recording = _Recording(isolating)
    verifier = CodeVerifier(recording, total_timeout_s=20.0)
    size = 999_000
    tests = [{"stdin": f"{n}\n", "expected_stdout": "\ufffd" * size + f"{n}\n"} for n in range(6)]
    ref = {"language": "python", "timeout_s": 5.0, "output_limit_bytes": 1_000_000, "tests": tests}
    code = "import sys\nsys.stdout.buffer.write(b'\\xff' * {} + input().encode() + b'\\n')"
    right = verifier.verify(block(code.format(size)), ref)
    assert right.status == "correct" and right.reward == 1.0, right
    wrong = verifier.verify(block(code.format(size - 1)), ref)
    assert wrong.status == "incorrect" and wrong.reward == 0.0, wrong
    asked = recording.requests[-1].output_limit_bytes
    assert asked <= 6 * (4 * 1_000_000 // 3 + 20_000) + 1_000_000, asked
    assert asked < 16 * 1024 * 1024  # a default remote server's ceiling, for 6 tests
