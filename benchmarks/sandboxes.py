"""Sandbox throughput: runs/s and p50/p99 latency of a trivial Python program per backend, with
one cold `docker run` per execution and one bare `bwrap` invocation with the same namespaces as
baselines (`bwrap_vs_bare_bwrap`: the bwrap backend's time per run over bare bwrap's), plus
CodeVerifier test cases per second.

    python benchmarks/sandboxes.py [--runs 30] [--baseline-runs 3] [--json]

Backends that are not available here are reported as skipped.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable


def measure(fn: Callable[[], object], runs: int) -> dict[str, float]:
    fn()  # warm-up (first container, page cache)
    lat = []
    start = time.perf_counter()
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t)
    total = time.perf_counter() - start
    lat.sort()
    return {
        "runs": runs,
        "runs_per_s": runs / total,
        "p50_ms": statistics.median(lat) * 1000,
        "p99_ms": lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000,
    }


def _bare_bwrap(command: list[str]) -> None:
    """The baseline of the bwrap backend: one bare `bwrap` with the same namespaces, read-only
    /usr, /proc, /dev and tmpfs mounts, run as the same user, without the hub around it."""
    import os
    import subprocess

    from gymhub.sandboxes.bwrap import UNPRIVILEGED_UID

    argv = [
        "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
        "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev",
        "--tmpfs", "/tmp", "--tmpfs", "/sandbox", "--chdir", "/sandbox",
        "--setenv", "PATH", "/usr/bin:/bin", "--", *command,
    ]  # fmt: skip
    user = {}
    if os.geteuid() == 0:  # as the backend does: bubblewrap itself runs as nobody
        user = {"user": UNPRIVILEGED_UID, "group": UNPRIVILEGED_UID, "extra_groups": []}
    out = subprocess.run(argv, capture_output=True, timeout=60, check=False, **user)
    assert out.returncode == 0, out.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from gymhub.sandboxes import ExecRequest, available_backends, get_sandbox
    from gymhub.sandboxes.docker_pool import docker_run_once
    from gymhub.verifiers import CodeVerifier

    found = available_backends()
    request = ExecRequest(command=["python3", "-I", "-c", "print(1)"])
    results: dict[str, object] = {"available": found}
    sandboxes = {}
    for name in ("local", "bwrap", "docker"):
        if name not in found:
            results[name] = "skipped (not available)"
            continue
        sandbox = get_sandbox(name, **({"pool_size": 1} if name == "docker" else {}))
        sandboxes[name] = sandbox
        if name == "docker":
            sandbox.warm()

        def once(sandbox=sandbox) -> None:
            result = sandbox.run(request)
            assert result.status == "ok", result

        results[name] = measure(once, args.runs)
    if "bwrap" in found:
        bare = measure(lambda: _bare_bwrap(request.command), args.runs)
        results["bare_bwrap_baseline"] = bare
        results["bwrap_vs_bare_bwrap"] = bare["runs_per_s"] / results["bwrap"]["runs_per_s"]
    if "docker" in found:
        results["docker_run_baseline"] = measure(
            lambda: docker_run_once(["python3", "-I", "-c", "print(1)"]), args.baseline_runs
        )
        results["pooled_docker_speedup_vs_docker_run"] = (
            results["docker"]["runs_per_s"] / results["docker_run_baseline"]["runs_per_s"]
        )
    # CodeVerifier: an 8-test stdin/stdout problem and an 8-test function-call problem
    stdio_ref = {
        "tests": [{"stdin": f"{i} {i}\n", "expected_stdout": f"{2 * i}\n"} for i in range(8)]
    }
    fn_ref = {"fn_name": "f", "tests": [{"args": [i], "expected": 2 * i} for i in range(8)]}
    stdio_answer = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
    fn_answer = "```python\ndef f(x):\n    return 2 * x\n```"
    for name, sandbox in sandboxes.items():
        if name == "local":
            continue
        verifier = CodeVerifier(sandbox)
        for kind, answer, ref in (
            ("stdio", stdio_answer, stdio_ref),
            ("function", fn_answer, fn_ref),
        ):
            n = max(3, args.runs // 5)

            def check(verifier=verifier, answer=answer, ref=ref) -> None:
                assert verifier.verify(answer, ref).status == "correct"

            stats = measure(check, n)
            results[f"code_verifier_{name}_{kind}"] = {
                "verifications_per_s": stats["runs_per_s"],
                "test_cases_per_s": stats["runs_per_s"] * len(ref["tests"]),
                "p50_ms": stats["p50_ms"],
            }
    for sandbox in sandboxes.values():
        sandbox.close()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"available backends: {', '.join(found)}")
    for key, value in results.items():
        if key == "available":
            continue
        if isinstance(value, dict):
            print(
                f"{key:34s} "
                + "  ".join(
                    f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items()
                )
            )
        elif isinstance(value, float):
            print(f"{key:34s} {value:.2f}x")
        else:
            print(f"{key:34s} {value}")


if __name__ == "__main__":
    main()
