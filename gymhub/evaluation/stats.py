"""Statistics of an evaluation: unbiased pass@k, mean@k, maj@k, bootstrap confidence intervals
and a paired test between two runs. Pure functions over plain numbers, so each can be checked
against a hand computation."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from statistics import NormalDist

CI_LEVEL = 0.95
BOOTSTRAP_RESAMPLES = 1000


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from n samples of which c passed (Chen et al., 2021):
    1 - C(n-c, k) / C(n, k), exact for any n (integer arithmetic, then one division)."""
    for name, value in (("n", n), ("c", c), ("k", k)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"pass_at_k needs integers, got {name}={value!r}")
    if not 0 <= c <= n or k < 1:
        raise ValueError(f"need 0 <= c <= n and k >= 1, got n={n}, c={c}, k={k}")
    if k > n:
        raise ValueError(f"pass@{k} needs at least k samples, got n={n}")
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def mean_at_k(scores: Sequence[float], k: int) -> float:
    """Mean score of the first k samples of one task (samples are in the order they were drawn)."""
    if k < 1 or k > len(scores):
        raise ValueError(f"mean@{k} needs 1 <= k <= {len(scores)} samples")
    _check_finite(scores[:k], "mean@k")
    return sum(scores[:k]) / k


def _check_finite(values: Sequence[float], what: str) -> None:
    """A NaN or infinite value would make every figure it enters NaN (and sort bootstrap draws
    arbitrarily): refused with a clear error instead."""
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError(f"{what} needs finite numbers, got {v!r}")


def maj_at_k(answers: Sequence[str | None], correct: Sequence[bool], k: int) -> float:
    """1.0 when the most frequent answer among the first k samples is a correct one.

    Samples with no answer do not vote; a tie between answers goes to the one seen first, so the
    figure is deterministic. 0.0 when no sample of the k gave an answer."""
    if k < 1 or k > len(answers) or len(answers) != len(correct):
        raise ValueError(f"maj@{k} needs 1 <= k <= {len(answers)} samples, answers == verdicts")
    votes = Counter(a for a in answers[:k] if a is not None)
    if not votes:
        return 0.0
    top = max(votes.values())
    winner = next(a for a in answers[:k] if a is not None and votes[a] == top)
    return 1.0 if any(ok for a, ok in zip(answers[:k], correct[:k]) if a == winner) else 0.0


def bootstrap_ci(
    values: Sequence[float],
    *,
    statistic: Callable[[Sequence[float]], float] | None = None,
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = CI_LEVEL,
    seed: int = 0,
    widen: bool = True,
) -> tuple[float, float]:
    """Percentile bootstrap interval of `statistic` (default: the mean) over per-task values.

    Tasks, not episodes, are resampled: samples of one task are correlated. Seeded, so a summary
    is reproducible. For the mean of values that all lie in [0, 1] (pass@k, success rates, most
    rewards) the interval is never narrower than the Wilson score interval for as many tasks:
    the bootstrap of a few tasks that all passed (or all failed) is the single point [1, 1],
    which would claim certainty that 3 tasks cannot give. `widen=False` gives the bootstrap alone
    (the paired test's differences: a Wilson bound is not theirs)."""
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        raise ValueError(f"resamples must be an integer >= 1, got {resamples!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    if not values:
        return (math.nan, math.nan)
    _check_finite(values, "bootstrap_ci")
    stat = statistic or (lambda xs: sum(xs) / len(xs))
    rng = random.Random(seed)
    n = len(values)
    draws = sorted(stat([values[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples))
    tail = (1.0 - level) / 2
    lo = draws[int(math.floor(tail * (resamples - 1)))]
    hi = draws[int(math.ceil((1.0 - tail) * (resamples - 1)))]
    if widen and statistic is None and all(0.0 <= v <= 1.0 for v in values):
        w_lo, w_hi = wilson_interval(sum(values) / n, n, level)
        lo, hi = min(lo, w_lo), max(hi, w_hi)
    return (lo, hi)


def wilson_interval(p: float, n: int, level: float = CI_LEVEL) -> tuple[float, float]:
    """Wilson score interval of a proportion `p` observed over `n` trials (never the single point
    that the normal approximation gives at p = 0 or 1)."""
    if n < 1 or not 0.0 <= p <= 1.0 or not 0 < level < 1:
        raise ValueError(f"need n >= 1, 0 <= p <= 1 and 0 < level < 1, got {n}, {p}, {level}")
    z = NormalDist().inv_cdf(1.0 - (1.0 - level) / 2)
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def paired_test(
    a: Sequence[float], b: Sequence[float], *, resamples: int = 10_000, seed: int = 0
) -> dict[str, float]:
    """Paired sign-flip permutation test on per-task differences b - a.

    Returns the mean difference, its bootstrap 95% interval and a two-sided p-value (exact
    enumeration for up to 16 tasks with a non-zero difference, Monte Carlo beyond)."""
    if len(a) != len(b):
        raise ValueError("a paired test needs the same tasks in both runs")
    _check_finite(a, "paired_test")
    _check_finite(b, "paired_test")
    diffs = [y - x for x, y in zip(a, b)]
    if not diffs:
        return {"tasks": 0, "mean_diff": math.nan, "ci_low": math.nan, "ci_high": math.nan, "p": 1}
    observed = abs(sum(diffs))
    nonzero = [d for d in diffs if d != 0]
    if not nonzero:
        p = 1.0
    elif len(nonzero) <= 16:
        total = 1 << len(nonzero)
        hits = 0
        for mask in range(total):
            s = sum(d if mask >> i & 1 else -d for i, d in enumerate(nonzero))
            hits += abs(s) >= observed - 1e-12
        p = hits / total
    else:
        rng = random.Random(seed)
        hits = sum(
            abs(sum(d if rng.random() < 0.5 else -d for d in nonzero)) >= observed - 1e-12
            for _ in range(resamples)
        )
        p = (hits + 1) / (resamples + 1)
    lo, hi = bootstrap_ci(diffs, seed=seed, widen=False)
    return {
        "tasks": len(diffs),
        "mean_diff": sum(diffs) / len(diffs),
        "ci_low": lo,
        "ci_high": hi,
        "p": p,
    }
