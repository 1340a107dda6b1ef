"""What the difficulty knob of each logic family measurably does, and how varied its tasks are.

`calibrate(family)` generates tasks at every difficulty and measures, per level: the solver
effort (`family.effort(task)`: search nodes, propagation or simulation steps, else the size),
the gold answer's length, and the success rate of two reference policies, the gold answer (it
must be 1) and a weak baseline that answers with another task's gold of the same level (well
formed, but for another puzzle: the rate a format-only guess reaches). `is_monotone` checks that
effort never drops as difficulty grows and is larger at the top level than at the bottom.

`dedup(family, difficulty, seeds)` counts the distinct questions among the first seeds, so a
family whose space is too small to train on shows up. Both feed `gymhub logic calibrate` and
`gymhub logic dedup`, whose `--markdown` tables land in docs/logic.md.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from gymhub.envs.logic.base import LogicFamily
from gymhub.envs.logic.env import generate_task
from gymhub.errors import GymhubError

LEVELS = tuple(range(1, 11))


class CalibrationError(GymhubError, ValueError):
    """Bad arguments to a calibration or dedup run (unknown family, empty seed range, ...)."""


@dataclass(frozen=True)
class LevelStats:
    """One family at one difficulty, averaged over the seeds."""

    difficulty: int
    seeds: int
    size: float
    effort: float
    answer_chars: float
    gold_rate: float
    baseline_rate: float
    gen_ms: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class DedupStats:
    """Distinct questions among the first `seeds` seeds of one family at one difficulty."""

    difficulty: int
    seeds: int
    distinct: int

    @property
    def ratio(self) -> float:
        return self.distinct / self.seeds if self.seeds else 0.0


def _check_seeds(seeds: int) -> int:
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise CalibrationError(f"seeds must be an integer >= 1, got {seeds!r}")
    return seeds


def _check_levels(family: LogicFamily, levels: Iterable[int]) -> list[int]:
    lo, hi = family.difficulty_range
    out = sorted(set(levels))
    bad = [d for d in out if isinstance(d, bool) or not isinstance(d, int) or not lo <= d <= hi]
    if not out or bad:
        raise CalibrationError(f"difficulties must be integers in {lo}..{hi}, got {bad or out}")
    return out


def calibrate_level(family: LogicFamily, difficulty: int, seeds: int) -> LevelStats:
    """Generate `seeds` tasks at `difficulty` (seeds 0..n-1, episode 0) and measure them."""
    _check_seeds(seeds)
    start = time.perf_counter()
    tasks = [generate_task(family, s, 0, difficulty) for s in range(seeds)]
    gen_ms = (time.perf_counter() - start) * 1000 / seeds
    golds = [family.reference_response(t) or "" for t in tasks]
    gold_ok = sum(family.verify(g, t).reward >= 1.0 for g, t in zip(golds, tasks, strict=True))
    # the weak baseline: the gold of the next seed's task, a well-formed answer to another puzzle
    base_ok = (
        sum(family.verify(golds[(i + 1) % seeds], t).reward >= 1.0 for i, t in enumerate(tasks))
        if seeds > 1
        else 0
    )
    return LevelStats(
        difficulty=difficulty,
        seeds=seeds,
        size=sum(family.size(t) for t in tasks) / seeds,
        effort=sum(family.effort(t) for t in tasks) / seeds,
        answer_chars=sum(len(family.format_answer(t)) for t in tasks) / seeds,
        gold_rate=gold_ok / seeds,
        baseline_rate=base_ok / seeds if seeds > 1 else float("nan"),
        gen_ms=gen_ms,
    )


def calibrate(
    family: LogicFamily, seeds: int = 5, levels: Iterable[int] = LEVELS
) -> list[LevelStats]:
    """`calibrate_level` at every difficulty in `levels` (default 1..10)."""
    return [calibrate_level(family, d, seeds) for d in _check_levels(family, levels)]


def is_monotone(stats: Sequence[LevelStats]) -> bool:
    """Effort never drops from one level to the next and the hardest level costs more than the
    easiest."""
    efforts = [s.effort for s in stats]
    steady = all(b >= a - 1e-9 for a, b in zip(efforts, efforts[1:], strict=False))
    return steady and (len(efforts) < 2 or efforts[-1] > efforts[0])


def question_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def dedup(
    family: LogicFamily, difficulty: int, seeds: int = 10_000, budget_s: float | None = None
) -> DedupStats:
    """Distinct questions among seeds 0..seeds-1 at `difficulty`. With `budget_s`, stops early
    once that much time is spent and reports the seeds it reached."""
    _check_seeds(seeds)
    _check_levels(family, [difficulty])
    start = time.perf_counter()
    seen: set[bytes] = set()
    done = 0
    for seed in range(seeds):
        seen.add(question_digest(generate_task(family, seed, 0, difficulty).question))
        done += 1
        if budget_s is not None and time.perf_counter() - start >= budget_s:
            break
    return DedupStats(difficulty=difficulty, seeds=done, distinct=len(seen))


# ----- reports -----------------------------------------------------------------------------------


def _g(value: float) -> str:
    if value != value:  # nan
        return "-"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def calibration_markdown(results: dict[str, list[LevelStats]]) -> str:
    """One row per family: effort at every level, answer length and both policies' success rates
    at the lowest / middle / highest level, the generation time at the middle level, and
    whether effort is monotone."""
    out = [
        "| family | effort by difficulty (1..10) | answer chars (first / middle / last level) | gold rate | "
        "baseline rate (first / middle / last) | generate ms (middle) | monotone |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, stats in sorted(results.items()):
        picks = [stats[0], stats[(len(stats) - 1) // 2], stats[-1]]  # d1 / d5 / d10
        gold = min(s.gold_rate for s in stats)
        out.append(
            f"| `{name}` | {' · '.join(_g(s.effort) for s in stats)} | "
            f"{' / '.join(_g(s.answer_chars) for s in picks)} | {_g(gold)} | "
            f"{' / '.join(_g(s.baseline_rate) for s in picks)} | {_g(picks[1].gen_ms)} | "
            f"{'yes' if is_monotone(stats) else '**no**'} |"
        )
    return "\n".join(out)


def dedup_markdown(results: dict[str, list[DedupStats]]) -> str:
    """One row per family: distinct questions / seeds tried at each difficulty."""
    levels = sorted({s.difficulty for stats in results.values() for s in stats})
    out = [
        "| family | " + " | ".join(f"d{d}" for d in levels) + " |",
        "| --- | " + " | ".join("---" for _ in levels) + " |",
    ]
    for name, stats in sorted(results.items()):
        by_level = {s.difficulty: s for s in stats}
        cells = []
        for d in levels:
            s = by_level.get(d)
            cells.append("-" if s is None else f"{s.distinct:,}/{s.seeds:,}")
        out.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(out)


def replace_section(text: str, begin: str, end: str, body: str) -> str:
    """`text` with the part between the `begin` and `end` marker lines replaced by `body`
    (appended with its markers when they are missing)."""
    block = f"{begin}\n\n{body}\n\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        return head + block + rest.split(end, 1)[1]
    return text.rstrip() + "\n\n" + block + "\n"
