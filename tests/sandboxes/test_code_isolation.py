"""Isolation between the test cases of one submission, on bwrap and docker: whatever one case
leaves behind (files in its working folder, /tmp and /dev/shm, module globals, environment
variables, changes to its own program file, child processes, setsid'd and double-forked
daemons that act after the case ended) is invisible to the next case. Also: the forked Python
runner keeps the semantics of `python3 main.py`, and compiled binaries are cached safely."""

from __future__ import annotations

import json

import pytest

from gymhub.verifiers import CodeVerifier
from gymhub.verifiers.code_harness import BuildCache

#: what a case sees when nothing of an earlier case survived
CLEAN = {
    "cwd_file": False,
    "tmp_file": False,
    "shm_file": False,
    "daemon_files": False,
    "env": None,
    "global": 0,
    "program_changed": False,
    "cwd_entries": ["harness.py", "{program}"],
    "sleepers": 0,
}

# Observes the state, then leaves every kind of state behind. Cases after the first wait 0.6 s
# first: a daemon of the previous case that survived would have written its files by then.
OBSERVE_AND_LEAK = r"""
import os, subprocess, sys, time

STATE = []
MARK = "-".join(["leak", "mark"])  # not in this source as written


def sleepers():
    n = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if open("/proc/%s/cmdline" % pid, "rb").read().startswith(b"sleep"):
                n += 1
        except OSError:
            pass
    return n


def observe(n, program):
    if n:
        time.sleep(0.6)
    seen = {
        "cwd_file": os.path.exists("left.txt"),
        "tmp_file": os.path.exists("/tmp/left.txt"),
        "shm_file": os.path.exists("/dev/shm/left.txt"),
        "daemon_files": os.path.exists("/tmp/daemon.txt") or os.path.exists("daemon.txt"),
        "env": os.environ.get("LEAKED"),
        "global": len(STATE),
        "program_changed": MARK in open(program).read(),
        "cwd_entries": sorted(os.listdir(".")),
        "sleepers": sleepers(),
    }
    for path in ("left.txt", "/tmp/left.txt", "/dev/shm/left.txt"):
        open(path, "w").write("from an earlier case")
    os.makedirs("sub/dir", exist_ok=True)
    os.chmod("sub", 0)
    STATE.append(n)
    os.environ["LEAKED"] = "yes"
    with open(program, "a") as handle:
        handle.write("\n# " + MARK + "\n")
    subprocess.Popen(["sleep", "300"], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if os.fork() == 0:  # a double-forked daemon in its own session, acting after the case
        os.setsid()
        if os.fork() == 0:
            time.sleep(0.3)
            open("/tmp/daemon.txt", "w").write("late")
            open("daemon.txt", "w").write("late")
            os.execvp("sleep", ["sleep", "300"])
        os._exit(0)
    os.wait()
    return seen
"""


def block(code: str, lang: str = "python") -> str:
    return f"```{lang}\n{code}\n```"


def clean_for(program: str) -> dict:
    return {**CLEAN, "cwd_entries": sorted(["harness.py", program])}


@pytest.fixture()
def verifier(isolating):
    return CodeVerifier(isolating, partial_credit=True, total_timeout_s=30.0)


def test_function_cases_see_nothing_of_earlier_cases(verifier):
    code = OBSERVE_AND_LEAK + "\ndef probe(n):\n    return observe(n, 'solution.py')\n"
    ref = {
        "fn_name": "probe",
        "timeout_s": 5,
        "tests": [{"args": [n], "expected": clean_for("solution.py")} for n in range(3)],
    }
    verdict = verifier.verify(block(code), ref)
    assert verdict.status == "correct", verdict


def test_stdio_cases_see_nothing_of_earlier_cases(verifier):
    code = OBSERVE_AND_LEAK + "\nimport json\nprint(json.dumps(observe(int(input()), 'main.py')))"
    ref = {
        "timeout_s": 5,
        "compare": "exact",
        "tests": [
            {"stdin": f"{n}\n", "expected_stdout": json.dumps(clean_for("main.py")) + "\n"}
            for n in range(3)
        ],
    }
    verdict = verifier.verify(block(code), ref)
    assert verdict.status == "correct", verdict


def test_exec_cases_see_nothing_of_earlier_cases(verifier):
    """The fork + exec path (any language but Python): files and setsid daemons."""
    script = r"""
read n
if [ "$n" -gt 0 ]; then sleep 0.6; fi
seen=""
for f in left.txt /tmp/left.txt /dev/shm/left.txt daemon.txt /tmp/daemon.txt; do
  [ -e "$f" ] && seen="$seen $f"
done
echo "seen:$seen"
echo x > left.txt; echo x > /tmp/left.txt; echo x > /dev/shm/left.txt
setsid sh -c 'sleep 0.3; echo late > /tmp/daemon.txt; echo late > daemon.txt; sleep 300' \
  </dev/null >/dev/null 2>&1 &
"""
    ref = {
        "language": "bash",
        "timeout_s": 5,
        "tests": [{"stdin": f"{n}\n", "expected_stdout": "seen:\n"} for n in range(3)],
    }
    verdict = verifier.verify(block(script, "bash"), ref)
    assert verdict.status == "correct", verdict


def test_a_case_that_kills_the_template_does_not_harm_the_next(verifier):
    code = (
        "import os, signal\n"
        "def f(n):\n"
        "    if n == 0:\n"
        "        os.kill(os.getppid(), signal.SIGKILL)\n"
        "    return n * 2\n"
    )
    ref = {"fn_name": "f", "tests": [{"args": [n], "expected": n * 2} for n in range(3)]}
    verdict = verifier.verify(block(code), ref)
    # the killing case itself may or may not get its result out; the next ones run normally
    assert verdict.components["tests_passed"] >= 2 / 3, verdict
    assert verdict.status == "correct" or verdict.detail.startswith("test 0"), verdict


SEMANTICS = r"""
import atexit, sys, threading, time
atexit.register(lambda: print("atexit ran"))
def late():
    time.sleep(0.05)
    print("thread joined")
threading.Thread(target=late).start()
print(__name__, sys.argv, __file__.endswith("main.py"), sys.stdin.readline().strip())
sys.stdout.write("unflushed")
"""


@pytest.mark.parametrize(
    ("code", "status", "stdout"),
    [
        (
            SEMANTICS,
            "correct",
            "__main__ ['main.py'] True in\nunflushedthread joined\natexit ran\n",
        ),
        ("print('partial')\nraise SystemExit(3)", "error", None),
        ("import sys\nprint('bye')\nsys.exit(0)", "correct", "bye\n"),
        ("import sys\nsys.exit('a message')", "error", None),
        ("print('x')\n1 / 0", "error", None),
        ("import os\nprint('lost')\nos._exit(0)", "incorrect", "lost\n"),
        (
            "if __name__ != '__main__':\n    print('imported')\nelse:\n    print('main')",
            "correct",
            "main\n",
        ),
    ],
)
def test_forked_python_behaves_like_python3_main(verifier, code, status, stdout):
    ref = {
        "compare": "exact",
        "tests": [{"stdin": "in\n", "expected_stdout": stdout if stdout else "never"}],
    }
    verdict = verifier.verify(block(code), ref)
    assert verdict.status == status, verdict


def test_uncaught_exception_reports_the_programs_traceback(verifier):
    verdict = verifier.verify(
        block("def f():\n    raise ValueError('boom')\nf()"),
        {"tests": [{"stdin": "", "expected_stdout": "x"}]},
    )
    assert verdict.status == "error"
    assert "main.py" in verdict.detail and "ValueError: boom" in verdict.detail
    assert "harness" not in verdict.detail


CPP_SUM = '#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<"\\n";}'
CPP_REF = {
    "language": "cpp",
    "tests": [
        {"stdin": "2 3\n", "expected_stdout": "5\n"},
        {"stdin": "10 -4\n", "expected_stdout": "6\n"},
    ],
}


def test_compiled_once_then_cached(isolating):
    cache = BuildCache()
    first = CodeVerifier(isolating, build_cache=cache)
    assert first.verify(block(CPP_SUM, "cpp"), CPP_REF).status == "correct"
    assert len(cache) == 1 and cache.misses == 1
    second = CodeVerifier(isolating, build_cache=cache)  # another verifier, the same cache
    assert second.verify(block(CPP_SUM, "cpp"), CPP_REF).status == "correct"
    assert cache.hits == 1
    broken = block("int main( {", "cpp")
    assert first.verify(broken, CPP_REF).status == "error"
    again = first.verify(broken, CPP_REF)  # the compiler's error is cached too
    assert again.status == "error" and "compilation failed" in again.detail
    assert cache.hits == 2


def test_a_program_that_rewrites_its_binary_cannot_poison_the_cache(isolating):
    """Each case overwrites ./main; the runner restores it between cases and the cache only
    keeps a binary whose hash matches what the compiler wrote."""
    code = (
        "#include <stdio.h>\n"
        'int main(){long a,b;if(scanf("%ld %ld",&a,&b)!=2)return 1;\n'
        'FILE*f=fopen("main","w");if(f){fputs("#!/bin/sh\\necho 999\\n",f);fclose(f);}\n'
        'printf("%ld\\n",a+b);return 0;}'
    )
    cache = BuildCache()
    verifier = CodeVerifier(isolating, build_cache=cache)
    ref = {**CPP_REF, "language": "c"}
    assert verifier.verify(block(code, "c"), ref).status == "correct"
    assert verifier.verify(block(code, "c"), ref).status == "correct"  # from the cache
    assert cache.hits == 1


def test_build_cache_bounds_and_keys():
    cache = BuildCache(max_entries=2, max_bytes=10)
    keys = [BuildCache.key("bwrap", ["g++", "x"], f"src{i}") for i in range(3)]
    assert len(set(keys)) == 3 and keys[0] == BuildCache.key("bwrap", ["g++", "x"], "src0")
    assert BuildCache.key("docker", ["g++", "x"], "src0") != keys[0]
    cache.put(keys[0], "binary", b"1234")
    cache.put(keys[1], "binary", b"5678")
    cache.put(keys[2], "error", "oops")
    assert cache.get(keys[0]) is None and cache.get(keys[2]) == ("error", "oops")
    cache.put(keys[0], "binary", b"x" * 11)  # larger than the whole cache: not kept
    assert cache.get(keys[0]) is None
    with pytest.raises(ValueError):
        cache.put(keys[0], "other", b"")
    with pytest.raises(ValueError):
        BuildCache(max_entries=0)
