"""MathVerifier vs plain math-verify on the labelled corpus: accuracy and throughput.

    python benchmarks/math_verifier.py [--corpus PATH] [--mv-timeout 5] [--repeat 1] [--failures]
                                       [--first-sight 600]

Accuracy: a verifier is right on a case when its reward (1 for correct, else 0) matches the
label's; for MathVerifier the exact status (correct / incorrect / unparseable) is also reported.
Errors are reported separately for both verifiers: the false-positive rate (share of the cases
labelled not correct that get reward 1) and the false-negative rate (share of the cases labelled
correct that get reward 0).
Throughput: verifications per second on the non-hostile cases, for plain math-verify in this
process, MathVerifier with a 1-worker pool and MathVerifier with one worker per core
(`verify_batch`), all in the same process run, each after an untimed warm-up on the bundled
problems of gymhub/Math-v0 (the LaTeX parser is slow until warm).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import time
from pathlib import Path

from gymhub.verifiers.math_baseline import clear_math_verify_caches, math_verify_reward
from gymhub.verifiers.math_fast import fast_compare
from gymhub.verifiers.math_verifier import MathVerifier
from gymhub.verifiers.pool import WorkerPool

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "math_corpus.jsonl"
BUNDLED = ROOT / "envs" / "math" / "data" / "bundled.jsonl"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def error_rates(rewards: list[float], want: list[float]) -> tuple[float, float, int, int]:
    """(false-positive rate, false-negative rate, #false positives, #false negatives)."""
    negatives = [r for r, w in zip(rewards, want) if w == 0.0]
    positives = [r for r, w in zip(rewards, want) if w == 1.0]
    fp, fn = sum(r == 1.0 for r in negatives), sum(r == 0.0 for r in positives)
    return fp / max(1, len(negatives)), fn / max(1, len(positives)), fp, fn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--mv-timeout", type=int, default=5, help="math-verify's own timeout (s)")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the corpus for speed")
    parser.add_argument("--failures", action="store_true", help="list the cases each gets wrong")
    parser.add_argument("--first-sight", type=int, default=600, help="simple first-sight answers")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    cases = load(args.corpus)
    cores = os.cpu_count() or 1

    # ---- accuracy ------------------------------------------------------------------------
    pool_all = WorkerPool(cores, preload=("gymhub.verifiers.math_core:warmup",)).start(wait=True)
    ours = MathVerifier(pool=pool_all)
    warm = [json.loads(line)["answer"] for line in BUNDLED.read_text().splitlines() if line]
    warm_responses = [f"The final answer is $\\boxed{{{g}}}$." for g in warm]
    ours.verify_batch(warm_responses, warm)  # steady state: workers as in a running trainer
    t0 = time.perf_counter()
    verdicts = ours.verify_batch([c["response"] for c in cases], [c["gold"] for c in cases])
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    mv = [math_verify_reward(c["gold"], c["response"], args.mv_timeout) for c in cases]
    mv_s = time.perf_counter() - t0

    want = [1.0 if c["expected"] == "correct" else 0.0 for c in cases]
    ours_reward_ok = sum(v.reward == w for v, w in zip(verdicts, want))
    ours_status_ok = sum(v.status == c["expected"] for v, c in zip(verdicts, cases))
    mv_ok = sum(r == w for r, w in zip(mv, want))
    n = len(cases)
    print(f"corpus: {n} cases ({args.corpus.name})")
    print(
        f"MathVerifier  reward accuracy {ours_reward_ok / n:.2%} ({ours_reward_ok}/{n}), "
        f"exact status {ours_status_ok / n:.2%}; whole corpus {ours_s:.2f} s"
    )
    print(
        f"math-verify   reward accuracy {mv_ok / n:.2%} ({mv_ok}/{n}); "
        f"whole corpus {mv_s:.2f} s (timeout {args.mv_timeout} s)"
    )
    ours_rates = error_rates([v.reward for v in verdicts], want)
    mv_rates = error_rates(mv, want)
    positives = sum(w == 1.0 for w in want)
    print(f"errors ({positives} cases labelled correct, {n - positives} labelled not correct):")
    for name, (fpr, fnr, fp, fn) in (("MathVerifier", ours_rates), ("math-verify", mv_rates)):
        print(f"  {name:13} false positives {fpr:6.2%} ({fp})   false negatives {fnr:6.2%} ({fn})")
    print(
        f"cases math-verify gets wrong and MathVerifier gets right: "
        f"{sum(r != w and v.reward == w for r, w, v in zip(mv, want, verdicts))}"
    )
    if args.failures:
        for c, v in zip(cases, verdicts):
            if v.status != c["expected"]:
                print(
                    f"  ours  {c['id']} {c['category']}: {c['gold']!r} vs {c['response'][:70]!r}"
                    f" -> {v.status} ({v.detail}), want {c['expected']}"
                )
        for c, r, w in zip(cases, mv, want):
            if r != w:
                print(f"  mv    {c['id']} {c['category']}: {c['gold']!r} vs {c['response'][:70]!r}")

    # ---- hostile inputs: wall time per verification ---------------------------------------
    hostile = {
        "power tower": "\\boxed{9^{9^{9^9}}}",
        "3,000 nested parentheses": "\\boxed{" + "(" * 3000 + "1" + ")" * 3000 + "}",
        "2 MB response": "Let me think. " * 150_000 + "\\boxed{2}",
        "10^{10^{10}}!": "\\boxed{10^{10^{10}}!}",
        "100,000-term sum": "\\boxed{" + "+".join(["1"] * 100_000) + "}",
    }
    print("hostile inputs (gold 2): wall time, reward")
    for name, text in hostile.items():
        t0 = time.perf_counter()
        ours_v = ours.verify(text, "2")
        ours_t = time.perf_counter() - t0
        t0 = time.perf_counter()
        mv_r = math_verify_reward("2", text, args.mv_timeout)
        mv_t = time.perf_counter() - t0
        print(
            f"  {name:26} MathVerifier {ours_t:6.3f} s reward {ours_v.reward:g} ({ours_v.status})"
            f" | math-verify {mv_t:6.2f} s reward {mv_r:g}"
        )

    # ---- throughput on the ordinary (non-hostile) cases ----------------------------------
    # Steady state, as in a long training run: every contender first verifies the bundled math
    # problems (untimed; this warms the LaTeX parser), then its answer caches are cleared
    # (math-verify's lru caches; our workers never saw the corpus), then the corpus is timed.
    pool_all.close()
    normal = [c for c in cases if c["category"] != "hostile"] * args.repeat
    responses, golds = [c["response"] for c in normal], [c["gold"] for c in normal]
    for g, r in zip(warm, warm_responses):
        math_verify_reward(g, r, args.mv_timeout)
    clear_math_verify_caches()
    t0 = time.perf_counter()
    for c in normal:
        math_verify_reward(c["gold"], c["response"], args.mv_timeout)
    base = len(normal) / (time.perf_counter() - t0)
    rates, kills = {}, {}
    for size in (1, cores):
        with WorkerPool(size, preload=("gymhub.verifiers.math_core:warmup",)) as pool:
            pool.start(wait=True)
            verifier = MathVerifier(pool=pool)
            verifier.verify_batch(warm_responses, warm)
            t0 = time.perf_counter()
            if size == 1:
                for r, g in zip(responses, golds):
                    verifier.verify(r, g)
            else:
                verifier.verify_batch(responses, golds)
            rates[size] = len(normal) / (time.perf_counter() - t0)
            kills[size] = pool.stats()["kills"]
    one_rate, all_rate = rates[1], rates[cores]
    print(f"throughput on {len(normal)} ordinary verifications (corpus x{args.repeat}):")
    print(f"  math-verify in-process      {base:8.1f} /s  (1.00x)")
    print(f"  MathVerifier, 1 worker      {one_rate:8.1f} /s  ({one_rate / base:.2f}x)")
    print(f"  MathVerifier, {cores} workers     {all_rate:8.1f} /s  ({all_rate / base:.2f}x)")
    print(f"  (workers killed at the 1 s deadline while timing: {kills[1]} and {kills[cores]})")
    fast = sum(fast_compare_prepared(verifier, r, g) for r, g in zip(responses, golds))
    print(f"  decided by the fast path (no sympy, no worker): {fast} of {len(normal)}")
    first_sight(args)
    if hasattr(os, "getloadavg"):
        print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {cores} cores")


def fast_compare_prepared(verifier: MathVerifier, response: str, gold: str) -> bool:
    """Whether the fast path decides this verification."""
    prepared = MathVerifier(fast_path=False, pool=verifier.pool)._prepare(response, gold, {})
    if not isinstance(prepared, tuple):
        return False
    return fast_compare(prepared[0], prepared[1], prepared[2]["rel_tol"]) is not None


def first_sight(args: argparse.Namespace) -> None:
    """Per core, on answers neither side has seen: integers, decimals and fractions (right and
    off by one), the shapes of most math datasets' golds. One thread each, same inputs."""
    rng = random.Random(16)
    pairs = []
    for k in range(args.first_sight):
        num, den = rng.randint(1, 10**6), rng.randint(2, 999)
        gold = [str(num), f"\\frac{{{num}}}{{{den}}}", f"{num / 8:.3f}"][k % 3]
        answer = gold if k % 2 else [str(num + 1), f"\\frac{{{num + 1}}}{{{den}}}", "0.5"][k % 3]
        pairs.append((gold, f"The final answer is $\\boxed{{{answer}}}$."))
    clear_math_verify_caches()
    t0 = time.perf_counter()
    for gold, response in pairs:
        math_verify_reward(gold, response, args.mv_timeout)
    base = len(pairs) / (time.perf_counter() - t0)
    with WorkerPool(1, preload=("gymhub.verifiers.math_core:warmup",)) as pool:
        pool.start(wait=True)
        rates = {}
        for fast in (True, False):
            verifier = MathVerifier(pool=pool, fast_path=fast)
            t0 = time.perf_counter()
            for gold, response in pairs:
                verifier.verify(response, gold)
            rates[fast] = len(pairs) / (time.perf_counter() - t0)
    print(f"first-sight simple answers, one core each ({len(pairs)} verifications):")
    print(f"  math-verify in-process          {base:10.1f} /s  (1.00x)")
    print(f"  MathVerifier, fast path         {rates[True]:10.1f} /s  ({rates[True] / base:.2f}x)")
    print(
        f"  MathVerifier, full path only    {rates[False]:10.1f} /s  ({rates[False] / base:.2f}x)"
    )


if __name__ == "__main__":
    main()
