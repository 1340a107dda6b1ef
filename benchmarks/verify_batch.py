"""verify_batch scaling with cores: math (MathVerifier over a WorkerPool), code (CodeVerifier over
the bwrap sandbox), and a mixed math + code + logic batch.

    python benchmarks/verify_batch.py [--workers 1 2] [--math-repeat 1] [--code-cases 12]
                                      [--logic-cases 300] [--json]

Scaling: the same batch is verified with 1 worker and with each larger count in `--workers`, in
the same process run, after an untimed warm-up, the counts alternating for `--rounds` rounds
(the shortest time of each counts); `speedup` is time with 1 worker over time with N (goal: 2 workers at least 1.7x one, on an idle machine). Math is timed twice: as shipped (the
fast path decides simple answers in the calling process, so only the rest reaches the workers)
and with `fast_path=False` (every comparison in a worker: what the pool itself scales to).
Code uses `max_workers` threads, each running verifications in its own bwrap sandbox.

Math also gets a bound that load hardly changes: the CPU seconds one run with 1 worker spends
in this process (serial, under the GIL) and in the workers (parallel), and the speedup on 2
cores they allow, (S + P) / (S + P / 2).

Mixed: a math batch (pool of one worker per core), a code batch (one thread per core) and a
logic batch (in this process) submitted at once; `busy` is the share of all cores' time that was
not idle during the batch, machine-wide (/proc/stat: 1.0 is every core busy the whole time; only
meaningful on an otherwise idle machine), `own_busy` the share this process and its math workers
used (sandbox processes in their own pid namespaces are not counted by getrusage). The load
average is printed: on a shared machine other work takes cores too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import threading
import time
from pathlib import Path
from typing import Any

from gymhub.verifiers.math_verifier import MathVerifier
from gymhub.verifiers.pool import WorkerPool

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "math_corpus.jsonl"
BUNDLED = ROOT / "envs" / "math" / "data" / "bundled.jsonl"
PRELOAD = ("gymhub.verifiers.math_core:warmup",)
TICK = os.sysconf("SC_CLK_TCK")


def math_batch(repeat: int) -> tuple[list[str], list[str]]:
    cases = [json.loads(line) for line in CORPUS.read_text().splitlines() if line]
    cases = [c for c in cases if c["category"] != "hostile"] * repeat
    return [c["response"] for c in cases], [c["gold"] for c in cases]


def code_batch(n: int) -> tuple[list[str], list[dict[str, Any]]]:
    """Stdin/stdout problems of 8 tests each (one sandbox run per verification)."""
    answer = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
    refs = [
        {"tests": [{"stdin": f"{i} {j}\n", "expected_stdout": f"{i + j}\n"} for j in range(8)]}
        for i in range(n)
    ]
    return [answer] * n, refs


def logic_batch(n: int) -> tuple[Any, list[str], list[Any]]:
    from gymhub.envs.logic import discover_families
    from gymhub.envs.logic.env import generate_task

    family = discover_families()["sudoku"]
    tasks = [generate_task(family, 0, i, 5) for i in range(n)]
    return family, [family.reference_response(t) for t in tasks], tasks


class CpuMeter:
    """CPU seconds of this process, its waited-for children (replaced workers; not sandbox
    processes, which end in their own pid namespaces) and the live workers of the pools."""

    def __init__(self, pools: list[WorkerPool]) -> None:
        self.pools = pools

    def _workers(self) -> dict[int, float]:
        found = {}
        for pool in self.pools:
            for worker in list(pool._all):
                try:
                    fields = Path(f"/proc/{worker.proc.pid}/stat").read_text().rsplit(")", 1)[1]
                    utime, stime = fields.split()[11:13]
                    found[worker.proc.pid] = (int(utime) + int(stime)) / TICK
                except (OSError, ValueError, IndexError):
                    pass
        return found

    def sample(self) -> tuple[float, dict[int, float], float]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time(), self._workers(), children.ru_utime + children.ru_stime

    @staticmethod
    def used(before: tuple, after: tuple) -> float:
        own = after[0] - before[0]
        workers = sum(t - before[1].get(pid, 0.0) for pid, t in after[1].items())
        return own + workers + (after[2] - before[2])


def amdahl(fn, pools: list[WorkerPool]) -> dict[str, float]:
    """CPU seconds of one run of `fn` in this process (serial: the GIL) and in its workers
    (parallel), and the speedup on 2 cores they allow: (S + P) / (S + P / 2).
    CPU time hardly depends on other load, so this bound holds on a busy machine too."""
    meter = CpuMeter(pools)
    c0, before = time.process_time(), meter.sample()
    fn()
    serial = time.process_time() - c0
    parallel = CpuMeter.used(before, meter.sample()) - serial
    return {
        "caller_cpu_s": serial,
        "workers_cpu_s": parallel,
        "bound_speedup_2_vs_1": (serial + parallel) / (serial + parallel / 2),
    }


def machine_busy(since: tuple[int, int] | None = None) -> Any:
    """(busy, total) jiffies of all cores from /proc/stat; with `since`, the busy fraction."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle, total = fields[3] + fields[4], sum(fields[:8])
    if since is None:
        return total - idle, total
    return (total - idle - since[0]) / max(1, total - since[1])


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def best_of(rounds: int, configs: dict[int, Any], before: dict[int, Any] | None = None):
    """The shortest of `rounds` timings per configuration, the configurations alternating round
    by round (load that comes and goes on a shared machine hits each alike); `before[n]` runs
    untimed ahead of each timing of configuration n."""
    times: dict[int, list[float]] = {n: [] for n in configs}
    for r in range(rounds):
        for n in sorted(configs) if r % 2 == 0 else sorted(configs, reverse=True):
            if before:
                before[n]()
            times[n].append(timed(configs[n]))
    return {n: min(t) for n, t in times.items()}


def forget(pool: WorkerPool) -> None:
    """Empty every worker's caches (sympy's, then ours: the warm-up clears them at its end)."""
    for fn in ("sympy.core.cache:clear_cache", "gymhub.verifiers.math_core:warmup"):
        for result in pool.call_each(fn, deadline=300):
            assert result.status == "ok", result


def scale_math(workers: list[int], repeat: int, rounds: int) -> dict[str, Any]:
    responses, golds = math_batch(repeat)
    warm = [json.loads(line)["answer"] for line in BUNDLED.read_text().splitlines() if line]
    warm_responses = [f"The final answer is $\\boxed{{{g}}}$." for g in warm]
    out: dict[str, Any] = {"cases": len(responses)}
    pools = {n: WorkerPool(n, preload=PRELOAD).start(wait=True) for n in workers}
    try:
        for fast in (True, False):
            configs = {}
            for n, pool in pools.items():
                verifier = MathVerifier(pool=pool, fast_path=fast)
                verifier.verify_batch(warm_responses, warm)
                configs[n] = lambda v=verifier: v.verify_batch(responses, golds)
            # each timing starts from workers that have not seen the batch
            reset = {n: lambda p=p: forget(p) for n, p in pools.items()}
            times = best_of(rounds, configs, reset)
            label = "as_shipped" if fast else "all_in_workers"
            out[label] = {f"{n}_workers_per_s": len(responses) / t for n, t in times.items()}
            out[label] |= {f"speedup_{n}_vs_1": times[1] / times[n] for n in workers if n != 1}
            reset[1]()
            out[label]["cpu_1_worker"] = amdahl(configs[1], [pools[1]])
        out["workers_killed_at_deadline"] = {n: p.stats()["kills"] for n, p in pools.items()}
    finally:
        for pool in pools.values():
            pool.close()
    return out


def scale_code(workers: list[int], n: int, rounds: int) -> dict[str, Any]:
    from gymhub.sandboxes import get_sandbox
    from gymhub.verifiers import CodeVerifier

    sandbox = get_sandbox("bwrap")
    responses, refs = code_batch(n)
    configs = {}
    for w in workers:
        verifier = CodeVerifier(sandbox, max_workers=w)
        verdicts = verifier.verify_batch(responses[:w], refs[:w])  # warm-up
        assert all(v.status == "correct" for v in verdicts), verdicts
        configs[w] = lambda v=verifier: v.verify_batch(responses, refs)
    times = best_of(rounds, configs)
    return (
        {"cases": n, "tests_per_case": 8}
        | {f"{w}_workers_per_s": n / t for w, t in times.items()}
        | {f"speedup_{w}_vs_1": times[1] / times[w] for w in workers if w != 1}
    )


def mixed(math_repeat: int, code_cases: int, logic_cases: int) -> dict[str, Any]:
    from gymhub.sandboxes import get_sandbox
    from gymhub.verifiers import CodeVerifier

    cores = os.cpu_count() or 1
    m_resp, m_gold = math_batch(math_repeat)
    c_resp, c_refs = code_batch(code_cases)
    family, l_resp, l_tasks = logic_batch(logic_cases)
    with WorkerPool(cores, preload=PRELOAD) as pool:
        pool.start(wait=True)
        math_v = MathVerifier(pool=pool)
        code_v = CodeVerifier(get_sandbox("bwrap"), max_workers=cores)
        math_v.verify_batch(m_resp[:20], m_gold[:20])
        code_v.verify_batch(c_resp[:2], c_refs[:2])
        meter = CpuMeter([pool])
        spent: dict[str, float] = {}

        def job(name: str, fn) -> threading.Thread:
            def run() -> None:
                spent[name] = timed(fn)

            return threading.Thread(target=run, name=name)

        jobs = [
            job("math", lambda: math_v.verify_batch(m_resp, m_gold)),
            job("code", lambda: code_v.verify_batch(c_resp, c_refs)),
            job("logic", lambda: family.verify_batch(l_resp, l_tasks)),
        ]
        before, machine = meter.sample(), machine_busy()
        start = time.perf_counter()
        for thread in jobs:
            thread.start()
        for thread in jobs:
            thread.join()
        wall = time.perf_counter() - start
        used = CpuMeter.used(before, meter.sample())
        machine = machine_busy(machine)
    return {
        "cores": cores,
        "wall_s": wall,
        "cpu_s": used,
        "busy": machine,
        "own_busy": used / (wall * cores),
        "seconds_per_kind": spent,
        "items": {"math": len(m_resp), "code": len(c_resp), "logic": len(l_resp)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--math-repeat", type=int, default=1)
    parser.add_argument("--code-cases", type=int, default=12)
    parser.add_argument("--logic-cases", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2, help="timings per configuration")
    parser.add_argument("--skip", nargs="*", default=[], choices=["math", "code", "mixed"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workers = sorted({1, *args.workers})
    results: dict[str, Any] = {}
    if "math" not in args.skip:
        results["math"] = scale_math(workers, args.math_repeat, args.rounds)
    if "code" not in args.skip:
        results["code"] = scale_code(workers, args.code_cases, args.rounds)
    if "mixed" not in args.skip:
        results["mixed"] = mixed(args.math_repeat, args.code_cases, args.logic_cases)
    results["load_average"] = os.getloadavg()[0]
    results["cores"] = os.cpu_count()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for key, value in results.items():
        print(f"{key}: {json.dumps(value, default=float)}")


if __name__ == "__main__":
    main()
