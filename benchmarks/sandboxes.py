"""Sandbox throughput: runs/s and p50/p99 latency of a trivial Python program per backend, with
one cold `docker run` per execution and one bare `bwrap` invocation with the same namespaces as
baselines, plus CodeVerifier test cases per second.

    python benchmarks/sandboxes.py [--runs 30] [--baseline-runs 3] [--pairs 40] [--json]

Overhead ratios (goal: at most 1.3x each) come from paired runs: the backend and its baseline
alternate run by run (ABBA order) on the same request, so load that comes and goes on a shared
machine hits both alike; each ratio is the median time per backend run over the median time per
baseline run of the same pairs:

- `bwrap_vs_bare_bwrap`: `get_sandbox("bwrap").run` over one bare `bwrap` with the same
  namespaces, mounts and user (no hub, no limits);
- `bwrap_shell_setup_vs_bare_bwrap`: the same for the bwrap backend's shell set-up (what runs
  where no C compiler is available; the only set-up before the fast one existed);
- `bwrap_bash_gate_vs_bare_bwrap`, `bwrap_move_by_pid_vs_bare_bwrap` and
  `bwrap_no_cgroup_vs_bare_bwrap` (where runs get memory cgroups): the fast set-up with a bash as
  the gate that moves a run into its cgroup (`compiled_gate=False`), with the hub moving each run
  by pid (the way before the gate moved itself; `cgroup_self_move=False`), and without the
  cgroup at all;
- `docker_vs_docker_exec`: a pooled `DockerSandbox.run` over a raw `docker exec` of the same
  command into a warm container of the same pool.

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


def paired(backend: Callable[[], object], baseline: Callable[[], object], pairs: int) -> dict:
    """Backend and baseline alternately (ABBA), after one warm-up run of each."""
    backend()
    baseline()
    times: dict[str, list[float]] = {"backend": [], "baseline": []}
    for i in range(pairs):
        order = [("backend", backend), ("baseline", baseline)]
        for name, fn in order if i % 2 == 0 else order[::-1]:
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    back, base = (statistics.median(times[k]) for k in ("backend", "baseline"))
    return {
        "pairs": pairs,
        "backend_p50_ms": back * 1000,
        "baseline_p50_ms": base * 1000,
        "backend_mean_ms": statistics.mean(times["backend"]) * 1000,
        "baseline_mean_ms": statistics.mean(times["baseline"]) * 1000,
        "ratio": back / base,
    }


def _raw_docker_exec(sandbox, command: list[str]) -> None:
    """The baseline of the docker pool: one `docker exec` of `command` into a warm container of
    the pool (the same engine calls the pool makes, without the pool around them)."""
    container = sandbox._idle.get()
    try:
        api = sandbox.client.api
        exec_id = api.exec_create(container.id, command, user="10001", workdir="/sandbox")["Id"]
        output = api.exec_start(exec_id)
        assert output == b"1\n", output
    finally:
        sandbox._idle.put(container)


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
    parser.add_argument("--pairs", type=int, default=40, help="paired runs per overhead ratio")
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

    def run_ok(sandbox) -> None:
        result = sandbox.run(request)
        assert result.status == "ok", result

    if "bwrap" in found:
        from gymhub.sandboxes.bwrap import BwrapSandbox

        bare = measure(lambda: _bare_bwrap(request.command), args.runs)
        results["bare_bwrap_baseline"] = bare
        fast = sandboxes["bwrap"]
        results["bwrap_setup"] = "fast (compiled init)" if fast.init else "shell (no C compiler)"
        results["bwrap_cgroup_move"] = (
            "none (no memory cgroups here)"
            if fast.cgroup is None
            else "the run's gate moves itself (cgroup v1 tasks; "
            + ("compiled gate)" if fast.gate is not None else "bash gate)")
            if fast.cgroup_self_move
            else "the hub moves the run by pid"
        )
        pair = paired(lambda: run_ok(fast), lambda: _bare_bwrap(request.command), args.pairs)
        results["bwrap_vs_bare_bwrap_pairs"] = pair
        results["bwrap_vs_bare_bwrap"] = pair["ratio"]
        shell = BwrapSandbox(fast=False)
        pair = paired(lambda: run_ok(shell), lambda: _bare_bwrap(request.command), args.pairs)
        results["bwrap_shell_setup_vs_bare_bwrap_pairs"] = pair
        results["bwrap_shell_setup_vs_bare_bwrap"] = pair["ratio"]
        if fast.cgroup is not None:
            for key, kwargs in (
                ("bwrap_bash_gate", {"compiled_gate": False}),
                ("bwrap_move_by_pid", {"cgroup_self_move": False}),
                ("bwrap_no_cgroup", {"cgroup": False}),
            ):
                other = BwrapSandbox(**kwargs)
                pair = paired(
                    lambda other=other: run_ok(other),
                    lambda: _bare_bwrap(request.command),
                    args.pairs,
                )
                results[f"{key}_vs_bare_bwrap_pairs"] = pair
                results[f"{key}_vs_bare_bwrap"] = pair["ratio"]
    if "docker" in found:
        pool = sandboxes["docker"]
        pair = paired(
            lambda: run_ok(pool), lambda: _raw_docker_exec(pool, request.command), args.pairs
        )
        results["docker_vs_docker_exec_pairs"] = pair
        results["docker_vs_docker_exec"] = pair["ratio"]
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
                f"{key:38s} "
                + "  ".join(
                    f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items()
                )
            )
        elif isinstance(value, float):
            print(f"{key:38s} {value:.2f}x")
        else:
            print(f"{key:38s} {value}")


if __name__ == "__main__":
    main()
