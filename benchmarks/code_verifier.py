"""CodeVerifier per-test-case cost against one bare `python3` per case, measured in one run.

The baseline is what running each test case as its own fresh interpreter costs:
`python3 -I main.py` started by subprocess with the case's stdin, output captured, on the host,
in this process. A verification runs all cases of a submission in ONE sandbox run, so its cost
is the sandbox launch plus a per-case part; the per-case part is the slope between a
verification with 1 test and one with `--tests` tests of the same program:

- `function_per_case_vs_bare_python3`: function-call cases (goal <= 0.25x);
- `stdio_per_case_vs_bare_python3`: Python stdin/stdout cases (goal <= 1.2x);
- C and C++: the cold verification (one compile + every case), the same submission again
  (binary from the cache, no compiler), the compiles counted, the per-case slope against one
  bare exec of the same binary per case.

Whole-verification ratios (`*_whole_vs_bare_python3`: a verification of `--tests` cases over
`--tests` bare python3 runs) are printed too; they include the sandbox launch.

    python benchmarks/code_verifier.py [--backend bwrap] [--tests 40] [--repeats 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable

PY_SUM = "a, b = map(int, input().split())\nprint(a + b)"
FN_SUM = "def add(a, b):\n    return a + b"
C_SUM = '#include <stdio.h>\nint main(){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);}'
CPP_SUM = '#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<"\\n";}'


def median_s(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stdio_ref(n: int, language: str = "python") -> dict:
    return {
        "language": language,
        "tests": [
            {"stdin": f"{i} {i + 1}\n", "expected_stdout": f"{2 * i + 1}\n"} for i in range(n)
        ],
    }


def fn_ref(n: int) -> dict:
    return {
        "fn_name": "add",
        "tests": [{"args": [i, i + 1], "expected": 2 * i + 1} for i in range(n)],
    }


def bare_per_case(argv: list[str], folder: str, n: int) -> None:
    for i in range(n):
        out = subprocess.run(
            argv, input=f"{i} {i + 1}\n".encode(), capture_output=True, cwd=folder, check=False
        )
        assert out.stdout == f"{2 * i + 1}\n".encode(), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="bwrap")
    parser.add_argument("--tests", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.tests < 2 or args.repeats < 1:
        parser.error("--tests must be at least 2 and --repeats at least 1")

    from gymhub.sandboxes import get_sandbox
    from gymhub.verifiers import CodeVerifier
    from gymhub.verifiers.code_harness import BuildCache

    sandbox = get_sandbox(args.backend)
    n = args.tests
    out: dict[str, object] = {"backend": args.backend, "tests": n, "repeats": args.repeats}
    python3 = shutil.which("python3", path="/usr/bin:/bin") or "python3"
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "main.py"), "w") as handle:
            handle.write(PY_SUM)
        bare_s = median_s(
            lambda: bare_per_case([python3, "-I", "main.py"], folder, n), args.repeats
        )
        bare = bare_s / n
        out["bare_python3_per_case_ms"] = bare * 1000

        verifier = CodeVerifier(sandbox, timeout_s=10, total_timeout_s=60)

        def block(code: str, lang: str = "python") -> str:
            return f"```{lang}\n{code}\n```"

        def timed(code: str, ref: dict, lang: str = "python") -> float:
            def once() -> None:
                verdict = verifier.verify(block(code, lang), ref)
                assert verdict.status == "correct", verdict

            return median_s(once, args.repeats)

        for name, code, ref_of in (("function", FN_SUM, fn_ref), ("stdio", PY_SUM, stdio_ref)):
            one, many = timed(code, ref_of(1)), timed(code, ref_of(n))
            per_case = (many - one) / (n - 1)
            out[f"{name}_verify_1_test_ms"] = one * 1000
            out[f"{name}_verify_{n}_tests_ms"] = many * 1000
            out[f"{name}_per_case_ms"] = per_case * 1000
            out[f"{name}_per_case_vs_bare_python3"] = per_case / bare
            out[f"{name}_whole_vs_bare_python3"] = many / bare_s

        for lang, code, compiler in (("c", C_SUM, "gcc"), ("cpp", CPP_SUM, "g++")):
            source = os.path.join(folder, f"main.{lang}")
            with open(source, "w") as handle:
                handle.write(code)
            binary = os.path.join(folder, f"main_{lang}")
            subprocess.run([compiler, "-O2", "-o", binary, source], check=True)
            bare_bin = median_s(lambda b=binary: bare_per_case([b], folder, n), args.repeats) / n
            cache = BuildCache()
            cold = CodeVerifier(sandbox, build_cache=cache, timeout_s=10, total_timeout_s=60)
            start = time.perf_counter()
            assert cold.verify(block(code, lang), stdio_ref(n, lang)).status == "correct"
            cold_ms = (time.perf_counter() - start) * 1000
            verifier = CodeVerifier(sandbox, build_cache=cache, timeout_s=10, total_timeout_s=60)
            one = timed(code, stdio_ref(1, lang), lang)
            many = timed(code, stdio_ref(n, lang), lang)
            per_case = (many - one) / (n - 1)
            out[f"{lang}_cold_verify_{n}_tests_ms"] = cold_ms
            out[f"{lang}_cached_verify_{n}_tests_ms"] = many * 1000
            out[f"{lang}_compiles"] = cache.misses
            out[f"{lang}_cache_hits"] = cache.hits
            out[f"{lang}_per_case_ms"] = per_case * 1000
            out[f"{lang}_bare_exec_per_case_ms"] = bare_bin * 1000
            out[f"{lang}_per_case_vs_bare_exec"] = per_case / bare_bin
            out[f"{lang}_per_case_vs_bare_python3"] = per_case / bare
    sandbox.close()
    try:
        out["load_average"] = os.getloadavg()[0]
    except OSError:
        pass
    if args.json:
        print(json.dumps(out, indent=2))
        return
    for key, value in out.items():
        print(f"{key:40s} {value:.3f}" if isinstance(value, float) else f"{key:40s} {value}")


if __name__ == "__main__":
    main()
