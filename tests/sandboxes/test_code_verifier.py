"""CodeVerifier: correct programs pass; every reward hack from the field scores 0 (never
`correct`, never `infra_error`), on bwrap and on docker."""

from __future__ import annotations

import json

import pytest

from gymhub.sandboxes import ExecResult
from gymhub.sandboxes.types import Sandbox, SandboxError
from gymhub.verifiers import CodeVerifier
from gymhub.verifiers.code import extract_code
from gymhub.verifiers.code_compare import outputs_match, values_equal

HIDDEN = "HIDDEN-ANSWER-7f3a9c"
STDIO_REF = {
    "language": "python",
    "tests": [
        {"stdin": "2 3\n", "expected_stdout": "5\n"},
        {"stdin": "hidden\n", "expected_stdout": HIDDEN + "\n"},
    ],
}
FN_REF = {
    "language": "python",
    "fn_name": "secret",
    "tests": [
        {"args": [1], "kwargs": {}, "expected": 9137},
        {"args": [2], "kwargs": {}, "expected": [True, "x"]},
    ],
}
STDIO_GOLD = (
    f"a = input()\nprint(int(a.split()[0]) + int(a.split()[1]) if a[0].isdigit() else {HIDDEN!r})"
)
FN_GOLD = "def secret(n):\n    return 9137 if n == 1 else [True, 'x']"


def block(code: str, lang: str = "python") -> str:
    return f"Here you go:\n```{lang}\n{code}\n```"


@pytest.fixture(scope="module")
def verifiers():
    return {}


@pytest.fixture()
def verifier(isolating, verifiers):
    if isolating.name not in verifiers:
        verifiers[isolating.name] = CodeVerifier(isolating)
    return verifiers[isolating.name]


def test_gold_programs_pass(verifier):
    assert verifier.verify(block(STDIO_GOLD), STDIO_REF).status == "correct"
    assert verifier.verify(block(FN_GOLD), FN_REF).reward == 1.0
    assert verifier.verify(block(FN_GOLD), json.dumps(FN_REF)).reward == 1.0  # JSON text reference


STDIO_HACKS = {
    "exit_zero_after_crash": "import os\nprint('5')\nos._exit(0)",
    "sys_exit_zero": "import sys\nsys.exit(0)",
    "syntax_error": "def (:\n  print(5",
    "prints_nothing": "pass",
    "read_tests_from_disk": """
import os
hits = []
for root in ("/", ):
    for dirpath, dirs, files in os.walk(root):
        if dirpath.startswith(("/proc", "/sys", "/usr")):
            dirs[:] = []
            continue
        for f in files:
            try:
                data = open(os.path.join(dirpath, f), errors="ignore").read(1_000_000)
            except OSError:
                continue
            if "HIDDEN-ANSWER" in data and f != "main.py":
                hits.append(data[data.index("HIDDEN-ANSWER"):][:20])
print(hits[0] if hits else "nothing")
""",
    "read_parent_memory_and_environ": """
import os
found = "nothing"
for pid in filter(str.isdigit, os.listdir("/proc")):
    for name in ("environ", "cmdline"):
        try:
            data = open(f"/proc/{pid}/{name}", "rb").read().decode(errors="ignore")
        except OSError:
            continue
        if "HIDDEN-ANSWER" in data:
            found = data
print(found)
""",
    "kill_the_harness": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint(5)",
    "patch_print_and_json": "import builtins, json\njson.dumps = lambda *a, **k: '{}'\nbuiltins.print = lambda *a, **k: None\nprint(5)",
    "patch_time_then_loop": "import time\ntime.time = time.monotonic = time.perf_counter = lambda: 0.0\nwhile True: pass",
    "copy_host_environment": "import os\nprint(dict(os.environ))",
    "fork_bomb": "import os\nwhile True:\n    try: os.fork()\n    except OSError: pass",
    "output_flood": "while True: print('5' * 10000)",
    "memory_bomb": "x = [bytearray(1 << 24) for _ in range(1000)]",
}


@pytest.mark.parametrize("hack", sorted(STDIO_HACKS))
def test_stdio_reward_hacks_score_zero(verifier, hack):
    verdict = verifier.verify(block(STDIO_HACKS[hack]), {**STDIO_REF, "timeout_s": 2})
    assert verdict.reward == 0.0 and verdict.status not in ("correct", "infra_error"), verdict


FN_HACKS = {
    "always_equal_object": "class Any:\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\ndef secret(n): return Any()",
    "int_subclass_lies": "class I(int):\n    def __eq__(self, o): return True\ndef secret(n): return I(1)",
    "sys_exit_at_import": "import sys\nsys.exit(0)",
    "os_exit_at_import": "import os\nos._exit(0)",
    "os_exit_in_call": "import os\ndef secret(n): os._exit(0)",
    "kill_the_harness": "import os, signal\ndef secret(n):\n    os.kill(os.getppid(), signal.SIGKILL)",
    "kill_everything": "import os, signal\ndef secret(n):\n    os.kill(-1, signal.SIGKILL)",
    "patch_json_encoder": 'import json\njson.dumps = lambda *a, **k: \'{"ok": true, "value": 9137}\'\ndef secret(n): return 0',
    "skip_exception": "import unittest\ndef secret(n): raise unittest.SkipTest('skip')",
    "forge_result_line": 'import os\ndef secret(n):\n    os.write(1, b\'[{"status": "ok", "value": 9137}, {"status": "ok", "value": [true, "x"]}]\\n\')\n    return None',
    "bool_for_int": "def secret(n): return True if n == 1 else [1, 'x']",
    "nan_and_inf": "def secret(n): return float('nan')",
    "infinite_loop": "def secret(n):\n    while True: pass",
    "syntax_error": "def secret(n) return 1",
}


@pytest.mark.parametrize("hack", sorted(FN_HACKS))
def test_function_reward_hacks_score_zero(verifier, hack):
    verdict = verifier.verify(block(FN_HACKS[hack]), {**FN_REF, "timeout_s": 2})
    assert verdict.reward == 0.0 and verdict.status not in ("correct", "infra_error"), verdict


def test_compiled_languages_and_compile_errors(bwrap_sandbox):
    v = CodeVerifier(bwrap_sandbox)
    ref = {
        "language": "cpp",
        "tests": [
            {"stdin": "2 3\n", "expected_stdout": "5\n"},
            {"stdin": "10 -4\n", "expected_stdout": "6\n"},
        ],
    }
    good = '#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<"\\n";}'
    assert v.verify(block(good, "cpp"), ref).status == "correct"
    c_good = '#include <stdio.h>\nint main(){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);}'
    assert v.verify(block(c_good, "c"), {**ref, "language": "c"}).status == "correct"
    bad = v.verify(block("int main( {", "cpp"), ref)
    assert bad.status == "error" and "compilation failed" in bad.detail
    assert v.verify(block("read a b; echo $((a+b))", "bash"), ref).status == "correct"


def test_unparseable_and_bad_references(bwrap_sandbox):
    v = CodeVerifier(bwrap_sandbox)
    assert v.verify("print(5)", STDIO_REF).status == "unparseable"
    assert v.verify("```python\n   \n```", STDIO_REF).status == "unparseable"
    with pytest.raises(ValueError, match="tests"):
        v.verify(block("print(1)"), {"language": "python"})
    with pytest.raises(ValueError, match="unsupported language"):
        v.verify(
            block("print(1)"),
            {"language": "cobol", "tests": [{"stdin": "", "expected_stdout": ""}]},
        )
    with pytest.raises(ValueError, match="identifier"):
        v.verify(block("x"), {"fn_name": "a b", "tests": [{"args": [], "expected": 1}]})


_ONE_TEST = [{"stdin": "2 3\n", "expected_stdout": "5\n"}]


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("timeout_s", {"timeout_s": -1}),
        ("timeout_s", {"timeout_s": float("nan")}),
        ("timeout_s", {"timeout_s": "2"}),
        ("timeout_s", {"timeout_s": True}),
        ("timeout_s", {"tests": [{**_ONE_TEST[0], "timeout_s": 0}]}),
        ("stdin", {"tests": [{"stdin": ["2 3"], "expected_stdout": "5\n"}]}),
        ("expected_stdout", {"tests": [{"stdin": "2 3\n", "expected_stdout": None}]}),
        ("memory_mb", {"memory_mb": "512"}),
        ("memory_mb", {"memory_mb": 1}),
        ("output_limit_bytes", {"output_limit_bytes": -5}),
        ("rel_tol", {"compare": "numeric", "rel_tol": float("nan")}),
        ("abs_tol", {"abs_tol": -1e-9}),
        ("checker", {"checker": "import sys; sys.exit(0)"}),
        ("checker", {"checker": {"language": "python"}}),
        ("checker.timeout_s", {"checker": {"code": "pass", "timeout_s": -3}}),
        ("expected", {"fn_name": "f", "tests": [{"args": [1], "expected": {1, 2}}]}),
        ("expected", {"fn_name": "f", "tests": [{"args": [1], "expected": float("nan")}]}),
        ("expected", {"fn_name": "f", "tests": [{"args": [1], "expected": [{1: "a"}]}]}),
        ("args", {"fn_name": "f", "tests": [{"args": [object()], "expected": 1}]}),
        ("kwargs", {"fn_name": "f", "tests": [{"kwargs": {"x": {2}}, "expected": 1}]}),
    ],
)
def test_malformed_reference_fields_are_refused_before_any_run(field, bad):
    """These were read as they came: a negative timeout or output limit failed every right
    program (scored 0 as the program's `timeout`/`error`), a list as stdin or None as the
    expected output was compared as its repr, and a checker without code raised KeyError or
    AttributeError after the program had run. A clear ValueError now, with nothing run."""
    ref = {"language": "python", "tests": _ONE_TEST, **bad}
    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        CodeVerifier(_BrokenSandbox()).verify(block("print(5)"), ref)


def test_a_tuple_expected_in_a_python_reference_is_a_list(bwrap_sandbox):
    """Results come back as JSON, where a tuple is a list: an expected `(2, 3)` in a reference
    written in Python matched nothing, every right program scored 0."""
    assert values_equal([2, 3], (2, 3)) and values_equal([[1], [2]], ([1], (2,)))
    assert not values_equal([2, 3], (2, 3, 4)) and not values_equal((2, 3), [2, 3])
    ref = {"fn_name": "pair", "tests": [{"args": [2, 3], "expected": (2, 3)}]}
    v = CodeVerifier(bwrap_sandbox)
    assert v.verify(block("def pair(a, b): return (a, b)"), ref).status == "correct"
    assert v.verify(block("def pair(a, b): return (b, a)"), ref).status == "incorrect"


def test_partial_credit_and_per_test_deadline(bwrap_sandbox):
    code = "a = input()\nimport time\nif a == 'slow': time.sleep(30)\nprint(a)"
    ref = {
        "tests": [
            {"stdin": "x\n", "expected_stdout": "x\n"},
            {"stdin": "slow\n", "expected_stdout": "slow\n", "timeout_s": 1},
            {"stdin": "y\n", "expected_stdout": "y\n"},
        ]
    }
    strict = CodeVerifier(bwrap_sandbox).verify(block(code), ref)
    assert strict.reward == 0.0 and strict.status == "timeout"
    partial = CodeVerifier(bwrap_sandbox, partial_credit=True).verify(block(code), ref)
    assert partial.status == "partial" and partial.reward == pytest.approx(2 / 3)


def test_checker_program_accepts_any_valid_output(bwrap_sandbox):
    checker = "import sys\nnums = sorted(map(int, open(sys.argv[1]).read().split()))\ngot = list(map(int, open(sys.argv[2]).read().split()))\nsys.exit(0 if sorted(got) == nums and len(got) == len(nums) else 1)"
    ref = {"tests": [{"stdin": "3 1 2\n"}], "checker": {"language": "python", "code": checker}}
    v = CodeVerifier(bwrap_sandbox)
    assert v.verify(block("print(*input().split()[::-1])"), ref).status == "correct"
    assert v.verify(block("print(1, 1, 1)"), ref).status == "incorrect"


class _BrokenSandbox(Sandbox):
    name = "broken"

    def run(self, request):
        return ExecResult.infra("engine down")


class _MissingSandbox(Sandbox):
    name = "missing"

    def run(self, request):
        raise SandboxError("image missing")


def test_hub_failures_are_infra_errors_not_zero():
    for sandbox in (_BrokenSandbox(), _MissingSandbox()):
        verdict = CodeVerifier(sandbox).verify(block(STDIO_GOLD), STDIO_REF)
        assert verdict.status == "infra_error", verdict


def test_no_backend_here_is_an_infra_error_verdict_and_a_bad_name_is_refused(monkeypatch):
    """With no backend available, verify raised (the backend was looked up for the run's spec
    before the guarded run), so verify_batch lost the whole batch; it is an `infra_error`
    verdict now, as for a backend that fails to start, in every mode. A backend name that
    does not exist is a mistake in the set-up: refused when the verifier is made."""
    import gymhub.verifiers.code as code

    def none_here(name):
        raise SandboxError("no sandbox backend is available here")

    monkeypatch.setattr(code, "shared_sandbox", none_here)
    verifier = CodeVerifier()
    cpp = "```cpp\nint main(){}\n```"
    for response, ref in (
        (block(STDIO_GOLD), STDIO_REF),
        (cpp, STDIO_REF),
        (block(FN_GOLD), FN_REF),
    ):
        verdict = verifier.verify(response, ref)
        assert verdict.status == "infra_error" and "no sandbox backend" in verdict.detail, verdict
    verdicts = verifier.verify_batch([block(STDIO_GOLD)] * 2, [STDIO_REF] * 2)
    assert [v.status for v in verdicts] == ["infra_error"] * 2
    with pytest.raises(ValueError, match="unknown sandbox backend"):
        CodeVerifier(backend="bwarp")


@pytest.mark.parametrize(
    "bad",
    [
        {"timeout_s": 0},
        {"timeout_s": float("nan")},
        {"total_timeout_s": True},
        {"compile_timeout_s": 1e9},
        {"memory_mb": 4},
        {"max_workers": 0},
        {"max_code_bytes": "1000"},
    ],
)
def test_limits_are_validated_when_the_verifier_is_made(bad):
    """A bad limit failed every verification later, each an `infra_error`."""
    with pytest.raises(ValueError, match=next(iter(bad))):
        CodeVerifier(_BrokenSandbox(), **bad)


def test_verify_batch_and_async(bwrap_sandbox):
    v = CodeVerifier(bwrap_sandbox)
    out = v.verify_batch([block(FN_GOLD), block("def secret(n): return 0")], [FN_REF, FN_REF])
    assert [o.reward for o in out] == [1.0, 0.0]


async def test_averify(bwrap_sandbox):
    verdict = await CodeVerifier(bwrap_sandbox).averify(block(FN_GOLD), FN_REF)
    assert verdict.status == "correct"


def test_extract_last_block_after_thinking():
    text = "<think>```python\nprint(0)\n```</think>\n```py\nprint(1)\n```\n```python\nprint(2)\n```"
    assert extract_code(text) == ("python", "print(2)\n")
    assert extract_code("```python\nunclosed") == (None, None)


def test_comparisons_are_strict():
    assert values_equal([1, 2.0, {"a": None}], [1, 2, {"a": None}])
    assert not values_equal(True, 1) and not values_equal(1, True) and not values_equal(0, False)
    assert (
        not values_equal("1", 1)
        and not values_equal([1], [1, 2])
        and not values_equal({"a": 1}, {"a": 1, "b": 2})
    )
    assert not values_equal(float("nan"), 1.0)
    assert outputs_match("1 2  \n\n", "1 2\n") and not outputs_match("1 2", "1 2\n", "exact")
    assert outputs_match("1   2\n3", "1 2 3", "tokens")
    assert outputs_match("0.3333334", "0.333333", "numeric", rel_tol=1e-5) and not outputs_match(
        "0.4", "0.3", "numeric"
    )
    assert not outputs_match("nan", "nan0", "numeric")


def test_numeric_compare_takes_two_integers_exactly():
    """`numeric` compared every pair of number tokens within rel_tol (1e-6): an off-by-one
    count of a large answer (1000000008 for 1000000007, a sum of 10^12 off by 1000) was paid.
    Two integer tokens are one integer or not; a float on either side keeps the tolerance."""
    assert not outputs_match("1000000008", "1000000007", "numeric")
    assert not outputs_match("2 1000000000001000", "2 1000000000000000", "numeric")
    assert not outputs_match("-5", "5", "numeric") and not outputs_match("12", "120", "numeric")
    assert outputs_match("+007 -0 00", "7 0 -000", "numeric")
    assert outputs_match("1" * 5000, "0" + "1" * 5000, "numeric")  # past int()'s digit limit
    assert outputs_match("1000000007.0", "1000000007", "numeric")
    assert outputs_match("3", "2.9999999", "numeric") and outputs_match("2.9999999", "3", "numeric")


def test_a_float_result_for_an_int_must_round_to_it():
    """A float result was compared with an expected int within rel_tol (1e-9): for a large
    int the tolerance passes whole units, so `return 1000000008.0` was paid for 1000000007.
    It must round to the int now; float noise (3.0000000000000004 for 3) still passes."""
    assert not values_equal(1000000008.0, 1000000007)
    assert not values_equal([1.0, 1e12 + 1], [1, 10**12])
    assert values_equal(3.0000000000000004, 3) and values_equal(1e20, 10**20)
    assert values_equal(1000000007.0, 1000000007)
    assert not values_equal(float("inf"), 5) and not values_equal(2.5, 2)


def test_the_time_limit_reads_a_reference_given_as_json_text():
    """A reference may be given as its JSON text: its tests went uncounted (16 assumed), so a
    task of 100 tests got a step deadline below what its runs may take within their limits,
    and a slow program ended as the hub's infra_error."""
    verifier = CodeVerifier(_BrokenSandbox())
    ref = {"language": "python", "tests": [{"stdin": "", "expected_stdout": ""}] * 100}
    assert verifier.time_limit_s(json.dumps(ref)) == verifier.time_limit_s(ref)
    assert verifier.time_limit_s(ref) > verifier.time_limit_s(None)
    assert verifier.time_limit_s("not json") == verifier.time_limit_s(None)


@pytest.mark.parametrize(
    "token",
    [
        "1" * 20_000 + "x",
        "1" * 20_000 + ".x",
        "-" + "1" * 20_000 + "e",
        "1." * 10_000,
        "0" * 100_000 + "x",
        "-" + "0" * 100_000 + "-",
        "+" * 100_000,
        "9" * 100_000 + ".",
    ],
)
def test_numeric_compare_refuses_long_tokens_in_linear_time(token):
    """The number pattern read a run of digits as two overlapping runs (`\\d+\\.?\\d*`): a token of
    n digits and one letter, which a program prints, took n^2 steps to refuse (20,000 digits:
    about 10 s; the 1 MB a program may print hung the hub's verification thread for hours)."""
    import time

    start = time.monotonic()
    assert not outputs_match(token, "5", "numeric")
    assert not outputs_match(f"1 {token}", "1 5", "numeric")
    assert time.monotonic() - start < 1.0
    assert outputs_match("0." + "1" * 20_000, "0.1111111", "numeric")  # still a number
