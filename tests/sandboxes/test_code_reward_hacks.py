"""Reward hacks against the code verifier's test harnesses, on bwrap and docker: none is paid
(never `correct`, never reward above 0) and none becomes the hub's own failure (`infra_error`,
which trainers mask). The hacks that the older files cover (always-equal objects, exits, forged
result lines, reading the disk and /proc, killing the runner, floods, bombs) are not repeated.

Also the bundled problems themselves: a program that knows only the examples in the prompt and
answers everything else with one constant is never paid (two problems once expected the same
answer on every test, so `print(51)` and `return [1, 5]` scored 1.0)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from gymhub.envs.code.env import DATA
from gymhub.verifiers import CodeVerifier

HIDDEN = "HIDDEN-ANSWER-7f3a9c"
STDIO_REF = {
    "language": "python",
    "timeout_s": 1.0,
    "tests": [
        {"stdin": "2 3\n", "expected_stdout": "5\n"},
        {"stdin": "hidden\n", "expected_stdout": HIDDEN + "\n"},
    ],
}
FN_REF = {
    "language": "python",
    "fn_name": "secret",
    "timeout_s": 1.0,
    "tests": [
        {"args": [1], "kwargs": {}, "expected": 9137},
        {"args": [2], "kwargs": {}, "expected": [True, "x"]},
        {"args": [3], "kwargs": {}, "expected": HIDDEN},
    ],
}


def block(code: str, lang: str = "python") -> str:
    return f"My solution:\n```{lang}\n{code}\n```"


@pytest.fixture(scope="module")
def verifiers():
    return {}


@pytest.fixture()
def verifier(isolating, verifiers):
    if isolating.name not in verifiers:
        verifiers[isolating.name] = CodeVerifier(isolating, total_timeout_s=4.0)
    return verifiers[isolating.name]


def _unpaid(verdict) -> None:
    assert verdict.reward == 0.0, verdict
    assert verdict.status in ("incorrect", "error", "timeout", "unparseable"), verdict
    assert HIDDEN not in (verdict.detail or ""), verdict


FRAME_WALK = """
import gc, inspect, sys
def steal():
    found = []
    frame = sys._getframe()
    while frame is not None:  # every caller's locals: the runner's spec, tests, results
        found.append(repr(frame.f_locals))
        frame = frame.f_back
    found += [repr(f.frame.f_globals.keys()) for f in inspect.stack()]
    gc.unfreeze()  # the runner's own objects too
    found += [repr(o) for o in gc.get_objects() if isinstance(o, (dict, list))]
    text = " ".join(found)
    at = text.find("HIDDEN-ANSWER")
    return text[at : at + 20] if at >= 0 else None
"""
FN_HACKS = {
    # objects that lie about equality: only plain JSON leaves the sandbox
    "str_subclass_eq": "class S(str):\n    def __eq__(s, o): return True\n    def __ne__(s, o): return False\n    __hash__ = str.__hash__\ndef secret(n): return S('x')",
    "list_subclass_eq": "class L(list):\n    def __eq__(s, o): return True\ndef secret(n): return L()",
    "dict_subclass_items": "class D(dict):\n    def items(s): return iter([])\n    def __eq__(s, o): return True\ndef secret(n): return D(a=1)",
    "float_subclass_repr": "class F(float):\n    def __repr__(s): return '9137'\n    def __eq__(s, o): return True\ndef secret(n): return F(1.5)",
    "int_subclass_repr": "class I(int):\n    def __repr__(s): return '9137'\n    __str__ = __repr__\n    def __eq__(s, o): return True\n    def __index__(s): return 9137\ndef secret(n): return I(3)",
    "numpy_like": "class A:\n    def __eq__(s, o): return True\n    def tolist(s): return 9137\n    def __array__(s): return s\n    def __len__(s): return 0\ndef secret(n): return A()",
    "json_default_patched": "import json\nclass A: pass\njson.JSONEncoder.default = lambda self, o: 'anything'\ndef secret(n): return A()",
    "runner_encoder_patched": "import sys\nsetattr(sys.modules['__main__'], '_dumps', lambda *a, **k: '{\"ok\": true, \"value\": 9137}')\ndef secret(n): return 0",
    # exceptions that are not Exception
    "raise_system_exit_0": "def secret(n): raise SystemExit(0)",
    "raise_keyboard_interrupt": "def secret(n): raise KeyboardInterrupt",
    "raise_base_exception_subclass": "class E(BaseException): pass\ndef secret(n): raise E()",
    "exception_whose_str_raises": "class E(BaseException):\n    def __str__(s): raise E()\ndef secret(n): raise E()",
    "raise_generator_exit": "def secret(n): raise GeneratorExit",
    # the harness's own exits and hooks patched
    "os_exit_patched_at_import": "import os\nos._exit = lambda *a: None\nos.execvp = lambda *a: None\nos.kill = lambda *a: None\ndef secret(n): return 9137",
    "os_exit_patched_in_call": "import os\ndef secret(n):\n    os._exit = lambda *a: None\n    os.kill = lambda *a: None\n    return 9137",
    "atexit_and_excepthook": "import atexit, os, sys\natexit.register(lambda: os.write(1, b'9137'))\nsys.excepthook = lambda *a: None\ndef secret(n): raise ValueError",
    "builtins_patched": "import builtins\nbuiltins.__import__ = None\nbuiltins.isinstance = lambda *a: True\nbuiltins.type = lambda *a: int\ndef secret(n): return 9137",
    # looking for the expected values in the harness's memory
    "frame_walk_and_gc": FRAME_WALK + "def secret(n): return steal()",
    # the result channel: frames written ahead, by a thread of the template, by a daemon
    "frames_written_at_import": 'import os\nfor fd in range(3, 30):\n    try: os.write(fd, b\'27\\n{"ok": true, "value": 9137}\' * 3)\n    except OSError: pass\ndef secret(n): return 0',
    "template_thread_floods_fds": 'import os, threading\ndef flood():\n    while True:\n        for fd in range(3, 20):\n            try: os.write(fd, b\'27\\n{"ok": true, "value": 9137}\')\n            except OSError: pass\nthreading.Thread(target=flood, daemon=True).start()\ndef secret(n): return 9137',
    "daemon_writes_frames": 'import os, time\nif os.fork() == 0:\n    os.setsid()\n    while True:\n        for fd in range(3, 30):\n            try: os.write(fd, b\'27\\n{"ok": true, "value": 9137}\\n\')\n            except OSError: pass\n        time.sleep(0.001)\ndef secret(n): return 0',
    "template_steals_results": "import os, threading\ndef steal():\n    while True:\n        try: os.read(3, 1 << 16)\n        except OSError: pass\nthreading.Thread(target=steal, daemon=True).start()\ndef secret(n): return 9137",
    # signals, stack, native code
    "alarm_at_import": "import signal, time\nsignal.alarm(1)\ndef secret(n):\n    time.sleep(0.6)\n    return 9137 if n == 1 else 0",
    "ignore_signals_and_spin": "import signal\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM): signal.signal(s, signal.SIG_IGN)\ndef secret(n):\n    while True: pass",
    "unbounded_recursion": "import sys\nsys.setrecursionlimit(10**7)\ndef f(n): return f(n + 1)\ndef secret(n): return f(0)",
    "ctypes_null_read": "import ctypes\ndef secret(n): return ctypes.string_at(0)",
    "stop_the_runner": "import os, signal\ndef secret(n):\n    os.kill(os.getppid(), signal.SIGSTOP)\n    return 9137",
    # values the encoders refuse
    "self_referencing_list": "def secret(n):\n    a = []\n    a.append(a)\n    return a",
    "int_past_str_digits_limit": "def secret(n): return 10**5000",
    "huge_string": "def secret(n): return 'x' * 50_000_000",
    "nul_byte_in_source": "def secret(n): return 1\x00",
}


@pytest.mark.parametrize("hack", sorted(FN_HACKS))
def test_function_call_hacks_are_not_paid(verifier, hack):
    _unpaid(verifier.verify(block(FN_HACKS[hack]), FN_REF))


STDIO_HACKS = {
    "str_subclass_eq": "class S(str):\n    def __eq__(s, o): return True\nprint(S('x'))",
    "system_exit_with_text": "print(5)\nraise SystemExit('5')",
    "keyboard_interrupt": "print(5)\nraise KeyboardInterrupt",
    "base_exception_subclass": "class E(BaseException): pass\nprint(5)\nraise E",
    "silenced_excepthook": "import sys\nsys.excepthook = lambda *a: None\nprint(5)\nraise ValueError",
    "atexit_exits_zero_after_error": "import atexit, sys\natexit.register(lambda: sys.exit(0))\nprint(5)\nraise ValueError",
    "stdout_that_swallows": "import sys\nclass W:\n    def write(s, x): return len(x)\n    def flush(s): raise OSError\nsys.stdout = W()\nprint(5)",
    "nul_in_output": "import sys\nsys.stdout.buffer.write(b'5\\x00\\n')",
    "invalid_utf8_in_output": "import sys\nsys.stdout.buffer.write(b'5\\n\\xff\\xfe')",
    "carriage_return_overwrite": "print('9999\\x1b[2K\\r5')",
    "writes_to_other_fds": 'import os\nfor fd in range(3, 64):\n    try: os.write(fd, b\'\\n{"results": [{"status": "ok", "stdout": "5"}]}\\n\')\n    except OSError: pass\nprint(5)',
    "writes_to_proc_fds": "import os\nfor p in filter(str.isdigit, os.listdir('/proc')):\n    for fd in '012':\n        try:\n            with open(f'/proc/{p}/fd/{fd}', 'w') as f: f.write('\\n{\"results\": []}\\n')\n        except OSError: pass\nprint(5)",
    "ptrace_the_runner": "import ctypes, os\nprint(ctypes.CDLL(None).ptrace(16, os.getppid(), 0, 0))",
    "stop_the_runner": "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\nprint(5)",
    "stop_the_runner_from_a_daemon": "import os, signal, time\nr = os.getppid()\nif os.fork() == 0:\n    os.setsid()\n    os.kill(r, signal.SIGSTOP)\n    time.sleep(0.5)\n    os.kill(r, signal.SIGCONT)\n    os._exit(0)\nprint(5)",
    "kill_own_process_group": "import os, signal\nos.killpg(0, signal.SIGKILL)",
    "alarm_then_sleep": "import signal, time\nsignal.alarm(1)\nprint(5, flush=True)\ntime.sleep(5)",
    "unbounded_recursion": "import sys\nsys.setrecursionlimit(10**7)\ndef f(n): return f(n + 1)\nf(0)",
    "frame_walk_and_gc": FRAME_WALK + "print(steal())",
    "thread_prints_after_main": "import threading, time\ndef late():\n    time.sleep(0.2)\n    print('late', flush=True)\nthreading.Thread(target=late, daemon=True).start()\nprint(5)",
    "child_writes_after_exit": "import os, time\nif os.fork() == 0:\n    for i in range(50):\n        try: os.write(1, b'5\\n')\n        except OSError: break\n        time.sleep(0.05)\n    os._exit(0)\nos._exit(0)",
    "unknown_source_encoding": "# -*- coding: rot13 -*-\nprint(5)",
    "not_python_at_all": "#include <stdio.h>\nint main(){return 0;}",
}


@pytest.mark.parametrize("hack", sorted(STDIO_HACKS))
def test_stdio_hacks_are_not_paid(verifier, hack):
    _unpaid(verifier.verify(block(STDIO_HACKS[hack]), STDIO_REF))


COMPILER_HACKS = {
    "include_dev_zero": ('#include "/dev/zero"\nint main(){}', "c"),
    "include_own_stdin": ("#include </proc/self/fd/0>\nint main(){}", "c"),
    "macro_explosion": (
        "#define A x x x x x x x x x x\n#define B A A A A A A A A A A\n"
        "#define C B B B B B B B B B B\n#define D C C C C C C C C C C\nint main(){D D D D}",
        "c",
    ),
    "template_recursion": (
        "template<int N> struct F { static const int v = F<N-1>::v + F<N-2>::v; };\n"
        "template<> struct F<0>{static const int v=0;};\n"
        "template<> struct F<1>{static const int v=1;};\nint main(){ return F<100000>::v; }",
        "cpp",
    ),
}


@pytest.mark.parametrize("hack", sorted(COMPILER_HACKS))
def test_compiler_hacks_are_not_paid(verifier, hack):
    code, lang = COMPILER_HACKS[hack]
    _unpaid(verifier.verify(block(code, lang), STDIO_REF))


def test_dict_keys_that_json_would_turn_into_strings_are_not_paid(verifier):
    """JSON writes an int, float, bool or None dict key as a string: `return {1: 2}` came back
    as {"1": 2} and was paid for an expected string-keyed dict, a type confusion the hub
    refuses everywhere else (True is not 1). Such a key is the program's error now; the
    string-keyed result is still correct, and a cyclic result still ends."""
    ref = {"fn_name": "f", "timeout_s": 2.0, "tests": [{"args": [1], "expected": [{"1": 2}]}]}
    for code in (
        "def f(n): return [{1: 2}]",
        "def f(n): return ({True: 2},)",
        "def f(n): return [{'1': 2, None: 3}]",
        "class D(dict):\n    pass\ndef f(n): return [D({1: 2})]",
    ):
        verdict = verifier.verify(block(code), ref)
        _unpaid(verdict)
        assert "dict keys must be str" in (verdict.detail or ""), verdict
    assert verifier.verify(block("def f(n): return [{'1': 2}]"), ref).status == "correct"
    cyclic = "def f(n):\n    a = []\n    a.append(a)\n    return a"
    _unpaid(verifier.verify(block(cyclic), ref))


def test_a_correct_program_that_patches_os_exit_is_still_correct(verifier):
    """The runner's forked case used `os._exit` and `os.execvp` as the program left them: a
    program that replaced them fell through into the runner's own loop and failed (exit 1),
    where `python3 main.py` runs it fine."""
    code = (
        "import os\nos._exit = lambda *a: None\nos.execvp = lambda *a: None\n"
        "a, b = map(int, input().split())\nprint(a + b)"
    )
    ref = {**STDIO_REF, "tests": [{"stdin": "2 3\n", "expected_stdout": "5\n"}] * 3}
    assert verifier.verify(block(code), ref).status == "correct"
    fn = "import os\nos._exit = lambda *a: None\ndef add(a, b): return a + b"
    fn_ref = {"fn_name": "add", "timeout_s": 1.0, "tests": [{"args": [2, 3], "expected": 5}] * 3}
    assert verifier.verify(block(fn), fn_ref).status == "correct"


def test_correct_programs_that_close_or_swap_stdout_are_still_correct(verifier):
    """`python3 main.py` skips closed streams at exit; the runner flushed them anyway, got a
    ValueError and reported exit 120, failing a correct program."""
    code = "import sys\na, b = map(int, input().split())\nprint(a + b)\nsys.stdout.close()"
    ref = {**STDIO_REF, "tests": [{"stdin": "2 3\n", "expected_stdout": "5\n"}]}
    assert verifier.verify(block(code), ref).status == "correct"
    code = "import sys\nprint(5)\nsys.stderr.close()\nsys.stdout.close()"
    assert verifier.verify(block(code), ref).status == "correct"
    # the fast-output idiom: print into a StringIO, write it all to sys.__stdout__ at the end;
    # the runner flushed only sys.stdout at exit, and the output was lost
    code = (
        "import io, sys\nsys.stdout = io.StringIO()\na, b = map(int, input().split())\n"
        "print(a + b)\nsys.__stdout__.write(sys.stdout.getvalue())"
    )
    assert verifier.verify(block(code), ref).status == "correct"


def test_correct_programs_that_flood_stderr_are_still_correct(verifier):
    """Debug output on stderr counted against the output limit: a right program writing a few
    MB of it (Python or C) was `output_limit`, scored 0, for output no judge reads. Only the
    end of stderr is kept now; stdout keeps its cap, and a program that only floods stderr runs
    into its deadline (`timeout`), never paid."""
    ref = {**STDIO_REF, "timeout_s": 5.0}
    ref["tests"] = [{"stdin": "2 3\n", "expected_stdout": "5\n"}] * 2
    roomy = CodeVerifier(verifier.sandbox, total_timeout_s=20.0)
    code = (
        "import sys\nfor i in range(3000): print('debug', i, 'x' * 1000, file=sys.stderr)\n"
        "a, b = map(int, input().split())\nprint(a + b)"
    )
    assert roomy.verify(block(code), ref).status == "correct"
    c_code = (
        '#include <stdio.h>\nint main(){int a,b;scanf("%d %d",&a,&b);'
        'for(int i=0;i<200000;i++)fprintf(stderr,"dbg %d\\n",i);printf("%d\\n",a+b);}'
    )
    assert roomy.verify(block(c_code, "c"), ref).status == "correct"
    flood = "import os\nwhile True: os.write(2, b'x' * 65536)"
    verdict = verifier.verify(block(flood), {**ref, "timeout_s": 1.0})
    assert verdict.status == "timeout" and verdict.reward == 0.0, verdict
    assert "xxxx" in (verdict.detail or "")  # the end of stderr is still reported
    stdout_flood = "import os\nwhile True: os.write(1, b'5' * 65536)"
    verdict = verifier.verify(block(stdout_flood), ref)
    assert verdict.status == "error" and "output_limit" in verdict.detail, verdict


DEEP_DFS = r"""#include <bits/stdc++.h>
using namespace std;
vector<int> adj[300005];
long long dfs(int u, int p) { long long s = 1; for (int v : adj[u]) if (v != p) s += dfs(v, u); return s; }
int main() {
    int n; cin >> n;
    for (int i = 1; i < n; i++) { adj[i].push_back(i + 1); adj[i + 1].push_back(i); }
    cout << dfs(1, 0) << "\n";
}"""
EIGHT_THREADS = r"""#include <bits/stdc++.h>
using namespace std;
int main() {
    int n; cin >> n; atomic<long long> s{0}; vector<thread> ts;
    for (int i = 0; i < 8; i++) ts.emplace_back([&] { s += 1; });
    for (auto& t : ts) t.join();
    cout << n + s - 8 << "\n";
}"""


def test_a_deep_recursion_in_cpp_is_still_correct(verifier):
    """Programs got the host's 8 MiB stack: a right C++ depth-first search 300,000 calls deep
    (a path graph, as judges test) died of SIGSEGV, scored 0. The runner gives the programs it
    starts a 64 MiB stack (an eighth of the address space at most), and threads still start."""
    roomy = CodeVerifier(verifier.sandbox, total_timeout_s=20.0)
    ref = {"timeout_s": 10.0, "tests": [{"stdin": "300000\n", "expected_stdout": "300000\n"}]}
    assert roomy.verify(block(DEEP_DFS, "cpp"), ref).status == "correct"
    assert roomy.verify(block(EIGHT_THREADS, "cpp"), ref).status == "correct"


def test_large_results_of_many_cases_are_still_correct(verifier):
    """Each case may return up to 1 MB, but the whole report was capped at 4 MB: eight correct
    results of 0.9 MB each ended as `error` (output_limit)."""
    ref = {
        "fn_name": "f",
        "timeout_s": 3.0,
        "tests": [{"args": [i], "expected": [i] * 300_000} for i in range(8)],
    }
    big = CodeVerifier(verifier.sandbox, total_timeout_s=20.0)
    verdict = big.verify(block("def f(i): return [i] * 300_000"), ref)
    assert verdict.status == "correct", verdict
    # results far larger than anything expected stay bounded (they would be parsed in the hub)
    ref["tests"] = [{"args": [i], "expected": i} for i in range(8)]
    verdict = big.verify(block("def f(i): return [i] * 300_000"), ref)
    assert verdict.status == "error" and "output_limit" in verdict.detail, verdict


def test_right_outputs_larger_than_a_megabyte_are_still_correct(verifier):
    """Each test's output was capped at a fixed 1 MB: a right program printing 200,000 numbers
    (1.4 MB) or a function returning them was `output_limit` / `error`, scored 0. A task that
    sets no `output_limit_bytes` gets room for twice its largest expected output; far more
    output than that is still the program's error."""
    n = 200_000
    lines = "\n".join(str(100_000 + i) for i in range(n)) + "\n"
    ref = {"timeout_s": 3.0, "tests": [{"stdin": f"{n}\n", "expected_stdout": lines}]}
    code = "n = int(input())\nprint('\\n'.join(str(100_000 + i) for i in range(n)))"
    assert verifier.verify(block(code), ref).status == "correct"
    flood = "import os\nwhile True: os.write(1, b'1\\n' * 65536)"
    verdict = verifier.verify(block(flood), ref)
    assert verdict.status == "error" and "output_limit" in verdict.detail, verdict
    fn_ref = {
        "fn_name": "f",
        "timeout_s": 3.0,
        "tests": [{"args": [n], "expected": [100_000 + i for i in range(n)]}],
    }
    fn = "def f(n): return [100_000 + i for i in range(n)]"
    assert verifier.verify(block(fn), fn_ref).status == "correct"
    # a task's own limit is kept as it is
    assert verifier.verify(block(code), {**ref, "output_limit_bytes": 1000}).status == "error"


# ---------------------------------------------------------------------------- bundled problems
def _bundled() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]


def _table_program(record: dict, constant: bool = True) -> str:
    """The examples of the prompt as a lookup table; every other input gets the answer most
    hidden tests expect (`constant`), or an empty answer."""
    answer = record["answer"]
    public = record["metadata"]["public_tests"]
    hidden = [t for t in answer["tests"] if t not in public]
    if "fn_name" in answer:
        table = {json.dumps(t["args"]): t["expected"] for t in public}
        common = Counter(json.dumps(t["expected"]) for t in hidden).most_common(1)[0][0]
        common = common if constant else "null"
        return (
            f"import json\nTABLE = {table!r}\nCOMMON = json.loads({common!r})\n"
            f"def {answer['fn_name']}(*args):\n"
            "    return TABLE.get(json.dumps(list(args)), COMMON)\n"
        )
    table = {t["stdin"]: t["expected_stdout"] for t in public}
    common = Counter(t["expected_stdout"] for t in hidden).most_common(1)[0][0] if constant else ""
    return (
        f"import sys\nTABLE = {table!r}\n"
        f"sys.stdout.write(TABLE.get(sys.stdin.read(), {common!r}))\n"
    )


def test_no_bundled_problem_has_one_answer_for_all_hidden_tests():
    for record in _bundled():
        public = record["metadata"]["public_tests"]
        hidden = [t for t in record["answer"]["tests"] if t not in public]
        answers = {json.dumps(t.get("expected", t.get("expected_stdout"))) for t in hidden}
        assert len(answers) >= 2, (record["id"], answers)


@pytest.mark.parametrize("pid", ["gymhub-code/second-largest", "gymhub-code/fn-two-sum"])
def test_the_once_constant_problems_pay_no_constant(verifier, pid):
    record = next(r for r in _bundled() if r["id"] == pid)
    constant = (
        "def two_sum(nums, target): return [1, 5]" if "fn_name" in record["answer"] else "print(51)"
    )
    _unpaid(verifier.verify(block(constant), record["answer"]))


def test_examples_and_a_constant_never_solve_a_bundled_problem(verifier):
    for record in _bundled():
        verdict = verifier.verify(block(_table_program(record)), record["answer"])
        assert verdict.reward == 0.0 and verdict.status == "incorrect", (record["id"], verdict)


def test_partial_credit_pays_nothing_for_the_prompts_examples(bwrap_sandbox):
    """With `partial_credit=True`, a lookup table of the prompt's examples earned their share
    (2 of 6 tests: 0.33) without solving anything. Code-v0 now passes the task's public tests to
    the verifier, and partial credit counts the other tests only."""
    import gymhub

    env = gymhub.make("gymhub/Code-v0", partial_credit=True, sandbox=bwrap_sandbox)
    paid = []
    for seed in range(4):
        env.reset(seed=seed)
        record = {"answer": env.task.answer, "metadata": env.task.metadata}
        _obs, reward, *_rest, info = env.step(block(_table_program(record, constant=False)))
        assert info["verdict"] != "infra_error", info
        paid.append(reward)
        env.reset(seed=seed)
        _obs, gold, *_rest = env.step(env.reference_action())
        assert gold == 1.0
    assert paid == [0.0] * 4, paid


def test_partial_credit_counts_hidden_tests_only(bwrap_sandbox):
    ref = {
        "language": "python",
        "tests": [
            {"stdin": "1\n", "expected_stdout": "2\n"},
            {"stdin": "2\n", "expected_stdout": "4\n"},
            {"stdin": "3\n", "expected_stdout": "6\n"},
            {"stdin": "4\n", "expected_stdout": "8\n"},
        ],
    }
    shown = ref["tests"][:2]
    partial = CodeVerifier(bwrap_sandbox, partial_credit=True)
    # right on the examples and on one hidden test of two: half the hidden credit
    code = "n = int(input())\nprint(2 * n if n != 4 else 0)"
    verdict = partial.verify(block(code), ref, public_tests=shown)
    assert verdict.status == "partial" and verdict.reward == 0.5, verdict
    assert verdict.components == {"tests_passed": 0.75, "hidden_tests_passed": 0.5}
    # right on the examples only: nothing
    table = "print({'1': 2, '2': 4}.get(input(), 0))"
    verdict = partial.verify(block(table), ref, public_tests=shown)
    assert verdict.reward == 0.0 and verdict.status == "incorrect", verdict
    # every test right: 1.0; no public tests named: the old fraction of all tests
    assert partial.verify(block("print(2 * int(input()))"), ref, public_tests=shown).reward == 1.0
    assert partial.verify(block(table), ref).reward == 0.5
    # every test shown: they all count
    assert partial.verify(block(code), ref, public_tests=ref["tests"]).reward == 0.75
    # strict scoring is unchanged by the context
    strict = CodeVerifier(bwrap_sandbox).verify(block(code), ref, public_tests=shown)
    assert strict.reward == 0.0 and strict.status == "incorrect"
    with pytest.raises(ValueError, match="public_tests"):
        partial.verify(block(code), ref, public_tests="1\n")


# ------------------------------------------------------------------------- remote sandbox server
def test_a_large_binary_never_makes_a_remote_request_too_large(isolating):
    """Through `gymhub sandbox serve`: a C program with a 30 MB static array passes; its binary
    was cached and sent in with the next verification of the same source (a GRPO group, the
    feedback env's hidden tests), a body over the server's 32 MiB limit, answered 413, an
    `infra_error` any program could force by declaring a big array. Now sent only when small."""
    from gymhub.sandboxes import get_sandbox
    from gymhub.sandboxes.server import create_app
    from gymhub.verifiers.code_harness import BuildCache
    from tests.conftest import serve_app

    ref = {
        "language": "c",
        "timeout_s": 2.0,
        "tests": [{"stdin": "2 3\n", "expected_stdout": "5\n"}],
    }
    code = (
        "#include <stdio.h>\nchar big[30000000] = {1};\n"
        'int main(){int a, b; scanf("%d %d", &a, &b); printf("%d\\n", a + b + big[a + b + 9]);}'
    )
    with serve_app(create_app(isolating, token="t0ken", max_concurrency=2)) as url:
        remote = get_sandbox("remote", url=url, token="t0ken")
        verifier = CodeVerifier(remote, build_cache=BuildCache())
        try:
            for _ in range(2):
                verdict = verifier.verify(block(code, "c"), ref)
                assert verdict.status == "correct", verdict
            wrong = code.replace("a + b +", "a - b +")
            for _ in range(2):
                verdict = verifier.verify(block(wrong, "c"), ref)
                assert verdict.status == "incorrect", verdict
        finally:
            remote.close()


def test_a_cached_binary_and_large_inputs_never_make_a_remote_request_too_large(isolating):
    """The cached binary was sent in when it and the sources fit in 16 MB, but the spec (every
    test's stdin) travels in the same body and counted for nothing: a task with 18 MB of inputs
    and a right program with a 10 MB static array got its second verification answered 413,
    an `infra_error` the program caused. The inputs count now: the binary is compiled there."""
    from gymhub.sandboxes import get_sandbox
    from gymhub.sandboxes.server import create_app
    from gymhub.verifiers.code_harness import BuildCache
    from tests.conftest import serve_app

    many = "1 " * 4_500_000
    ref = {
        "language": "cpp",
        "timeout_s": 5.0,
        "tests": [
            {"stdin": many, "expected_stdout": "1\n"},
            {"stdin": many, "expected_stdout": "1\n"},
        ],
    }
    code = (
        "#include <cstdio>\nstatic char big[10000000] = {1};\n"
        'int main(int argc, char **argv){printf("%d\\n", big[argc - 1]);}'
    )
    with serve_app(create_app(isolating, token="t0ken", max_concurrency=2)) as url:
        remote = get_sandbox("remote", url=url, token="t0ken")
        verifier = CodeVerifier(remote, build_cache=BuildCache())
        try:
            for _ in range(2):
                verdict = verifier.verify(block(code, "cpp"), ref)
                assert verdict.status == "correct", verdict
            assert len(verifier.build_cache) == 1  # the binary is kept for smaller requests
        finally:
            remote.close()


# -------------------------------------------------------------------------------- MathPython-v0
class _Broken:
    """A sandbox that fails as the hub's: an infra_error result, or an exception."""

    name = "broken"

    def __init__(self, raises: bool) -> None:
        self.raises = raises

    def run(self, request):
        from gymhub.sandboxes import ExecResult

        if self.raises:
            raise RuntimeError("no sandbox backend")
        return ExecResult.infra("the engine is down", "broken")


def _tool_step(env, code: str):
    call = {"name": "python", "arguments": {"code": code}}
    return env.step(f"<tool_call>{json.dumps(call)}</tool_call>")


@pytest.mark.parametrize("raises", [False, True])
def test_math_python_sandbox_failure_is_masked_not_scored(raises):
    """The tool said "the sandbox is unavailable" and the episode went on: the policy's next
    answer was scored as if it had been given its tool, a hub failure counted as the policy's."""
    import gymhub

    env = gymhub.make("gymhub/MathPython-v0", sandbox=_Broken(raises))
    env.reset(seed=3)
    _, reward, terminated, _, info = _tool_step(env, "print(1)")
    assert terminated and reward == 0.0 and info["verdict"] == "infra_error", info
    assert info["infra_error"] is True
    env.reset(seed=3)  # a fresh episode starts clean
    assert not env.done


def test_math_python_tool_hacks_stay_the_policys(isolating):
    """Hostile tool programs and an oversized one are tool output, never an infra_error."""
    import gymhub
    from tests.sandboxes.hostile import PROGRAMS

    env = gymhub.make("gymhub/MathPython-v0", sandbox=isolating, tool_timeout_s=2)
    env.reset(seed=3)
    for code in (
        "x = 1\n" + "#" * 30_000_000,
        PROGRAMS["kill_everything"],
        PROGRAMS["fork_bomb"],
        "import os\nos.kill(os.getppid(), 19)\nprint(1)",
    ):
        obs, reward, terminated, _, info = _tool_step(env, code)
        assert not terminated and info["verdict"] != "infra_error", info
        assert obs.messages and obs.messages[0].role == "tool"
    _, reward, terminated, _, info = env.step("The answer is \\boxed{-1}.")
    assert terminated and reward == 0.0 and info["verdict"] != "infra_error", info


# ------------------------------------------------------------------------------------ loaders
BRACKETS = {
    "task_id": "HumanEval/61",
    "prompt": 'def correct_bracketing(brackets: str):\n    """True when every ( is closed."""\n',
    "canonical_solution": (
        "    depth = 0\n    for b in brackets:\n        depth += 1 if b == '(' else -1\n"
        "        if depth < 0:\n            return False\n    return depth == 0\n"
    ),
    "test": (
        "def check(candidate):\n"
        '    assert candidate("()")\n'
        '    assert candidate("(()())") == True\n'
        '    assert not candidate(")(()")\n'
        '    assert candidate("((") is False\n'
        '    assert not candidate("(()")\n'
    ),
    "entry_point": "correct_bracketing",
}


def test_truth_assertions_keep_converted_tests_two_sided(verifier):
    """Only `== literal` assertions were converted: this task kept `candidate("(()())") == True`
    alone, and `return True` was paid. Bare, negated and `is` assertions are bool tests now."""
    from gymhub.envs.code.loaders import convert

    task = convert(BRACKETS, "humaneval")
    assert [t["expected"] for t in task.answer["tests"]] == [True, True, False, False, False]
    gold = verifier.reference_response(task.answer)
    assert verifier.verify(gold, task.answer).status == "correct"
    _unpaid(verifier.verify(block("def correct_bracketing(b): return True"), task.answer))
    mbpp = {"text": "t", "test_list": ["assert is_even(2)", "assert not is_even(3)"]}
    task = convert(mbpp, "mbpp")
    _unpaid(verifier.verify(block("def is_even(n): return True"), task.answer))
    _unpaid(verifier.verify(block("def is_even(n): return 1 - n % 2"), task.answer))  # not bool


ANSWER_FROM_DISK = """
import json, os, sys
data = sys.stdin.read()
for dirpath, dirs, files in os.walk("/"):
    if dirpath.startswith(("/proc", "/sys", "/dev")):
        dirs[:] = []
        continue
    for name in files:
        if not name.endswith(".jsonl"):
            continue
        try:
            with open(os.path.join(dirpath, name), errors="ignore") as handle:
                text = handle.read(50_000_000)
        except OSError:
            continue
        for line in text.splitlines():
            if "gymhub-code/" not in line:
                continue
            try:
                tests = json.loads(line)["answer"]["tests"]
            except Exception:
                continue
            for test in tests:
                if test.get("stdin") == data:
                    sys.stdout.write(test["expected_stdout"])
                    sys.exit(0)
print("nothing found")
"""


def test_the_bundled_answers_are_nowhere_in_the_sandbox(isolating):
    """The bundled problems' expected outputs ship with gymhub (envs/code/data/problems.jsonl);
    a program that finds that file anywhere it can read (/usr included, where a system-wide
    install would put it) answers every test. It must find nothing."""
    record = next(r for r in _bundled() if r["id"] == "gymhub-code/sum-two")
    verifier = CodeVerifier(isolating, timeout_s=20.0, total_timeout_s=60.0)
    _unpaid(verifier.verify(block(ANSWER_FROM_DISK), {**record["answer"], "timeout_s": 20.0}))


def test_assertions_json_cannot_express_are_left_out(verifier):
    """JSON keeps only string keys: `freq([1, 1, 2]) == {1: 2, 2: 1}` became an expected
    {"1": 2, "2": 1}, which a program returning string keys was paid for, and an argument
    {1: 'x'} reached the program as {"1": 'x'}, failing the right `d[k]`. Such assertions are
    dropped like any other that is not data."""
    from gymhub.envs.code.loaders import convert

    mbpp = {
        "text": "Count each value.",
        "code": "def freq(xs):\n    out = {}\n    for x in xs:\n        out[x] = out.get(x, 0) + 1\n    return out",
        "test_list": [
            "assert freq([1, 1, 2]) == {1: 2, 2: 1}",
            "assert freq(['a', 'b', 'a']) == {'a': 2, 'b': 1}",
            "assert freq([]) == {}",
        ],
    }
    task = convert(mbpp, "mbpp")
    assert [t["expected"] for t in task.answer["tests"]] == [{"a": 2, "b": 1}, {}]
    assert verifier.verify(verifier.reference_response(task.answer), task.answer).reward == 1.0
    lookup = {
        "text": "Look a key up.",
        "code": "def get(d, k):\n    return d[k]",
        "test_list": ["assert get({1: 'x'}, 1) == 'x'", "assert get({'k': 'y'}, 'k') == 'y'"],
    }
    task = convert(lookup, "mbpp")
    assert [t["args"] for t in task.answer["tests"]] == [[{"k": "y"}, "k"]]
    assert verifier.verify(verifier.reference_response(task.answer), task.answer).reward == 1.0


CONSTANT_TASKS = {
    # the only assertion that is data is the example the question shows: `return 9` was paid
    "mbpp-example-only": (
        {
            "text": "Square a number.",
            "code": "def sq(x):\n    return x * x",
            "test_list": [
                "assert sq(3) == 9",
                "assert math.isclose(sq(1.5), 2.25)",
                "assert sq(-2) in (4,)",
            ],
        },
        "mbpp",
        "def sq(x):\n    return 9",
    ),
    # every test left is a truth test expecting True: `return True` was paid
    "humaneval-all-true": (
        {
            "task_id": "HumanEval/x",
            "prompt": 'def is_sorted(xs):\n    """True when xs is sorted."""\n',
            "canonical_solution": "    return list(xs) == sorted(xs)\n",
            "test": (
                "def check(candidate):\n    assert candidate([1, 2])\n"
                "    assert candidate([]) == True\n    assert candidate([3, 1]) is not True\n"
            ),
            "entry_point": "is_sorted",
        },
        "humaneval",
        "def is_sorted(xs):\n    return True",
    ),
    # the shown example's output is every hidden test's too: `print("Yes")` was paid
    "livecodebench-one-output": (
        {
            "question_id": "abc-yes",
            "question_content": "Print Yes when the number is positive.",
            "public_test_cases": json.dumps(
                [{"input": "3\n", "output": "Yes\n", "testtype": "stdin"}]
            ),
            "private_test_cases": json.dumps(
                [{"input": f"{n}\n", "output": "Yes", "testtype": "stdin"} for n in (5, 8)]
            ),
            "metadata": "{}",
        },
        "livecodebench",
        "print('Yes')",
    ),
}


EXAMPLES_ONLY_TASKS = {
    # APPS: the tests are the statement's examples, so a lookup table of them was paid
    "apps-examples": (
        {
            "problem_id": 11,
            "question": (
                "Given n, print n squared.\n\n-----Examples-----\nInput\n3\n\nOutput\n9\n\n"
                "Input\n12\n\nOutput\n144\n"
            ),
            "input_output": json.dumps({"inputs": ["3\n", "12\n"], "outputs": ["9\n", "144\n"]}),
        },
        "apps",
        "n = input().strip()\nprint({'3': 9, '12': 144}[n])",
    ),
    # LiveCodeBench with no private test: the samples are all there is
    "livecodebench-samples": (
        {
            "question_id": "abc-sq",
            "question_content": (
                "Print n squared.\nSample Input 1\n\n7\n\nSample Output 1\n\n49\n\n"
                "Sample Input 2\n\n3\n\nSample Output 2\n\n9"
            ),
            "public_test_cases": json.dumps(
                [
                    {"input": "7\n", "output": "49\n", "testtype": "stdin"},
                    {"input": "3\n", "output": "9\n", "testtype": "stdin"},
                ]
            ),
            "private_test_cases": "[]",
            "metadata": "{}",
        },
        "livecodebench",
        "print({'7': 49, '3': 9}[input().strip()])",
    ),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES_ONLY_TASKS))
def test_converted_tasks_whose_every_test_the_question_shows_are_refused(name, verifier):
    """A stdin/stdout record whose tests are only the question's examples (input and output
    shown) paid a table of the examples. Refused now; a record with one test the question
    does not show is kept."""
    import gymhub.envs.code.loaders as loaders

    record, fmt, table = EXAMPLES_ONLY_TASKS[name]
    with pytest.raises(loaders.ConstantAnswerError, match="shows the input and output"):
        loaders.convert(record, fmt)
    checked = loaders._checked
    loaders._checked = lambda task, n, shown=None: task
    try:
        task = loaders.convert(record, fmt)
    finally:
        loaders._checked = checked
    assert verifier.verify(block(table), task.answer).reward == 1.0  # why it must be refused
    if fmt == "apps":
        io = json.loads(record["input_output"])
        io["inputs"].append("5\n")
        io["outputs"].append("25\n")
        assert loaders.convert({**record, "input_output": json.dumps(io)}, fmt).answer["tests"]


@pytest.mark.parametrize("name", sorted(CONSTANT_TASKS))
def test_converted_tasks_a_constant_solves_are_refused(name, verifier, tmp_path, caplog):
    """A converted record whose every test expects one result the policy knows (shown in the
    prompt, or a truth value) paid a constant answer. `convert` refuses it now, and
    `load_code_tasks` leaves it out with a warning (the rest of the file still loads)."""
    from gymhub.envs.code.loaders import ConstantAnswerError, convert, load_code_tasks
    from gymhub.types import Task

    record, fmt, constant = CONSTANT_TASKS[name]
    with pytest.raises(ConstantAnswerError, match="constant"):
        convert(record, fmt)
    # the same tests as a hand-written task: the constant is paid (why it must be refused)
    import gymhub.envs.code.loaders as loaders

    converter = getattr(loaders, f"from_{fmt}")
    checked = loaders._checked
    loaders._checked = lambda task, n, shown=None: task
    try:
        task: Task = converter(record, 0)
    finally:
        loaders._checked = checked
    assert verifier.verify(block(constant), task.answer).reward == 1.0
    path = tmp_path / "tasks.jsonl"
    good = {"text": "Double.", "code": "def d(x):\n    return 2 * x", "test_list": [
        "assert d(1) == 2", "assert d(5) == 10"]}  # fmt: skip
    path.write_text(json.dumps(record) + "\n" + json.dumps(good) + "\n")
    with caplog.at_level("WARNING", logger="gymhub.envs.code"):
        tasks = load_code_tasks(path)  # each record's shape detected
    assert [t.answer["fn_name"] for t in tasks] == ["d"]
    assert "left out" in caplog.text


def test_a_single_hidden_value_is_not_a_known_constant():
    """Not refused: the one test left is not the question's example, and its value is not a
    truth value (the policy cannot know it)."""
    from gymhub.envs.code.loaders import convert

    lookup = {
        "text": "Look a key up.",
        "code": "def get(d, k):\n    return d[k]",
        "test_list": ["assert get({1: 'x'}, 1) == 'x'", "assert get({'k': 'y'}, 'k') == 'y'"],
    }
    assert len(convert(lookup, "mbpp").answer["tests"]) == 1
