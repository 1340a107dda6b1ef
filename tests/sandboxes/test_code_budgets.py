"""Time budgets and ends of the code verifier's runner: a compile's time is its own
(`compile_timeout_s`), never the tests' shared `total_timeout_s`; a case is over when its
program has exited, not when it has closed its pipes."""

from __future__ import annotations

import pytest

from gymhub.sandboxes import languages
from gymhub.sandboxes.languages import Language
from gymhub.verifiers import CodeVerifier
from gymhub.verifiers.code_harness import BuildCache

# a "compiled" language whose compiler takes a fixed time: a slow compile without a heavy C++
# program (whose time depends on the machine's load); the echo keeps bash from exec'ing chmod,
# which closes its stdout and stderr before it exits (the other test's case)
SLOW = Language(
    "slowbuild",
    "main.sb",
    ("./{bin}",),
    compile=("bash", "-c", "sleep 1.2; cp {src} {bin}; chmod 755 {bin}; echo built"),
    binary="main",
)
ADD = "#!/bin/bash\nread a b\nsleep 0.3\necho $((a + b))"
REF = {
    "language": "slowbuild",
    "timeout_s": 1.0,
    "tests": [{"stdin": f"{n} {n}\n", "expected_stdout": f"{2 * n}\n"} for n in range(1, 5)],
}


@pytest.fixture()
def slow_language(monkeypatch):
    monkeypatch.setitem(languages.LANGUAGES, SLOW.name, SLOW)
    monkeypatch.setitem(languages._ALIASES, SLOW.name, SLOW)


def test_a_compile_does_not_use_up_the_tests_total_budget(isolating, slow_language):
    """The runner started the tests' shared deadline before the compile: a compile of 1.2 s
    left a right program with `total_timeout_s=1.5` 0.3 s for 4 tests of 0.3 s each (timeout),
    and one slower than `total_timeout_s` was 'compilation timed out' though well inside
    `compile_timeout_s`; the hub budgets the compile on top of the tests' time."""
    verifier = CodeVerifier(isolating, total_timeout_s=1.5, build_cache=BuildCache())
    verdict = verifier.verify(f"```slowbuild\n{ADD}\n```", REF)
    assert verdict.status == "correct", verdict
    quick = CodeVerifier(isolating, total_timeout_s=1.0, build_cache=BuildCache())
    verdict = quick.verify(f"```slowbuild\n{ADD}\n```", {**REF, "tests": REF["tests"][:1]})
    assert verdict.status == "correct", verdict


CLOSES_BOTH = {
    "python": "import os, time\nprint(5, flush=True)\nos.close(1)\nos.close(2)\ntime.sleep(0.2)",
    "c": '#include <stdio.h>\n#include <unistd.h>\nint main(void) {\n  printf("5\\n");\n'
    "  fclose(stdout);\n  fclose(stderr);\n  usleep(200000);\n  return 0;\n}",
    # bash exec's the last command of `bash -c`: cat closes its stdout and stderr at exit
    "bash": "exec bash -c 'echo 5; sleep 0.2 && /usr/bin/cat /dev/null'",
}


@pytest.mark.parametrize("lang", sorted(CLOSES_BOTH))
def test_a_program_that_closes_its_pipes_before_exiting_is_not_killed(isolating, lang):
    """The runner took a case's two pipes at their end for the program's: closed before the
    program exited (a C program's fclose of both, coreutils at exit), it SIGKILLed the program
    in that moment, and a right answer was an error (exit -9)."""
    verifier = CodeVerifier(isolating, total_timeout_s=5.0)
    ref = {"language": lang, "timeout_s": 2.0, "tests": [{"stdin": "", "expected_stdout": "5\n"}]}
    verdict = verifier.verify(f"```{lang}\n{CLOSES_BOTH[lang]}\n```", ref)
    assert verdict.status == "correct", verdict
    # closed, then running past the deadline: the program's timeout, as before
    late = CLOSES_BOTH["python"].replace("0.2", "30")
    verdict = verifier.verify(f"```python\n{late}\n```", {**ref, "language": "python"})
    assert verdict.status == "timeout", verdict
