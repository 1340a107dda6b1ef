"""Coin flips: the exact probability of an event over n independent flips, as a fraction.

The verifier recomputes the probability exactly (a dynamic program over flips, heads so far and
the current run of heads) from the event stored in the metadata and accepts any exactly equal
number: a fraction in any terms, an integer, or a terminating decimal.
"""

from __future__ import annotations

import random
import re
from fractions import Fraction
from math import comb

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._balance import pick_balanced
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.types import Task, Verdict

_NUMBER = re.compile(r"\s*(\d{1,60})(?:\s*/\s*(\d{1,60})|\.(\d{1,60}))?\s*\.?\s*")


def _check_event(flips: object, p: object, event: object, k: object, events: tuple) -> None:
    if not isinstance(flips, int) or isinstance(flips, bool) or flips < 0:
        raise ValueError(f"flips must be a whole number >= 0, got {flips!r}")
    if not isinstance(p, Fraction) or not 0 <= p <= 1:
        raise ValueError(f"p must be a Fraction within [0, 1], got {p!r}")
    if event not in events:
        raise ValueError(f"event must be one of {', '.join(events)}, got {event!r}")
    if not isinstance(k, int) or isinstance(k, bool):
        raise ValueError(f"k must be a whole number, got {k!r}")


def probability(flips: int, p: Fraction, event: str, k: int) -> tuple[Fraction, int]:
    """(exact probability, DP state updates). Events: exactly / at_least / at_most k heads, or
    a run of at least k heads in a row. One DP serves every event: its state is (heads so far,
    current run of heads, whether a run of k was reached)."""
    _check_event(flips, p, event, k, ("exactly", "at_least", "at_most", "run"))
    states: dict[tuple[int, int, bool], Fraction] = {(0, 0, False): Fraction(1)}
    updates = 0
    for _ in range(flips):
        nxt: dict[tuple[int, int, bool], Fraction] = {}
        for (heads, run, reached), weight in states.items():
            updates += 1
            up = (heads + 1, run + 1, reached or (event == "run" and run + 1 >= k))
            down = (heads, 0, reached)
            nxt[up] = nxt.get(up, 0) + weight * p
            nxt[down] = nxt.get(down, 0) + weight * (1 - p)
        states = nxt
    test = {
        "exactly": lambda h, reached: h == k,
        "at_least": lambda h, reached: h >= k,
        "at_most": lambda h, reached: h <= k,
        "run": lambda h, reached: reached,
    }[event]
    total = sum((w for (h, _, reached), w in states.items() if test(h, reached)), Fraction(0))
    return total, updates


def read_fraction(text: str) -> Fraction | None:
    """`a/b`, an integer or a terminating decimal; None for anything else."""
    match = _NUMBER.fullmatch(text[:200])
    if not match:
        return None
    whole, den, decimals = match.groups()
    if den is not None:
        return None if int(den) == 0 else Fraction(int(whole), int(den))
    if decimals is not None:
        return Fraction(int(whole + decimals), 10 ** len(decimals))
    return Fraction(int(whole))


_WORDING = {
    "exactly": "exactly {k} of the flips show heads",
    "at_least": "at least {k} of the flips show heads",
    "at_most": "at most {k} of the flips show heads",
    "run": "somewhere there are at least {k} heads in a row",
}


_CANDIDATES = 16


def binomial_probability(flips: int, p: Fraction, event: str, k: int) -> Fraction:
    """The probability of a count event (exactly / at_least / at_most k heads) in closed form,
    cheap enough to score many candidate tasks; `probability` stays the verifier's reference."""
    _check_event(flips, p, event, k, ("exactly", "at_least", "at_most"))
    heads = {
        "exactly": [k] if 0 <= k <= flips else [],
        "at_least": range(max(k, 0), flips + 1),
        "at_most": range(0, min(k, flips) + 1),
    }[event]
    return sum((comb(flips, h) * p**h * (1 - p) ** (flips - h) for h in heads), Fraction(0))


def _flips(rng: random.Random, difficulty: int) -> int:
    return 2 + 2 * difficulty + rng.randint(0, 1)


def _count_events(rng: random.Random, difficulty: int) -> list[tuple[Fraction, str, int, int]]:
    """Candidate (p, event, flips, k) for levels 1-7. d1-3, exactly k heads on a fair coin:
    every k in 0..flips for both flip counts (all of the few values the level has, so each is
    offered); d4-7, at least / at most k heads, k in 1..flips-1: 16 random draws."""
    base = 2 + 2 * difficulty
    if difficulty <= 3:
        half = Fraction(1, 2)
        return [(half, "exactly", f, k) for f in (base, base + 1) for k in range(f + 1)]
    candidates = []
    for _ in range(_CANDIDATES):
        flips = _flips(rng, difficulty)
        event = rng.choice(["at_least", "at_most"])
        p = Fraction(1, 2)
        if 6 <= difficulty <= 7 or rng.random() < 0.5:
            p = Fraction(rng.choice([1, 2, 3]), rng.choice([4, 5]))
        candidates.append((p, event, flips, rng.randint(1, flips - 1)))
    return candidates


def _run_event(rng: random.Random, difficulty: int) -> tuple[Fraction, str, int, int]:
    """(p, "run", flips, k) for levels 8-10: a run of k heads, on a biased coin half the time."""
    flips = _flips(rng, difficulty)
    p = Fraction(1, 2)
    if rng.random() < 0.5:
        p = Fraction(rng.choice([1, 2, 3]), rng.choice([4, 5]))
    return p, "run", flips, rng.randint(2, max(2, flips // 3))


@register_family
class CoinFlip(LogicFamily):
    """The exact probability of an event over independent coin flips.

    Difficulty d sets the flips 2+2d or one more (4..23; size) and the event: exactly k heads
    (d1-3), at least / at most k heads (d4-7), a run of k heads in a row (d8-10); a biased coin
    in half of the tasks from d4 and in all at d6-7; effort = DP state updates. Count events
    (d1-7) are drawn answer first (`pick_balanced`): at d1-3 among every k in 0..flips, all
    heads or all tails on 15% of tasks, at d4-7 among 16 random candidates; no probability is
    the answer of more than about a fifth of a level's tasks (22% at d1, 300 seeds). Accepted:
    any number exactly equal to the probability: `a/b` in any terms, `0`, `1`, or a
    terminating decimal. Reward 1/0.
    """

    name = "coin_flip"
    title = "CoinFlip"
    description = "Give the exact probability of an event over independent coin flips."
    difficulty_doc = (
        "flips 2+2d(+1) (4..23); exactly k heads (d1-3), at least/at most (d4-7), a run of k "
        "heads in a row (d8-10); biased coins from d4"
    )
    equivalents = {"reasoning_gym": "coin_flip"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        if difficulty <= 7:
            # a count event is drawn answer first: on a fair coin k and n-k heads are as likely,
            # so few values came out and `1/4` was the answer of 38% of d1; all heads or all
            # tails (d1-3) widens the few values, on a small share of tasks
            candidates = _count_events(rng, difficulty)
            answers = {c: binomial_probability(c[2], c[0], c[1], c[3]) for c in candidates}
            p, event, flips, k = pick_balanced(
                rng,
                candidates,
                answers.__getitem__,
                degenerate={answers[c] for c in candidates if c[3] in (0, c[2])},
            )
        else:
            p, event, flips, k = _run_event(rng, difficulty)
        value, updates = probability(flips, p, event, k)
        coin = (
            "a fair coin"
            if p == Fraction(1, 2)
            else f"a coin that shows heads with probability {p.numerator}/{p.denominator}"
        )
        gold = f"{value.numerator}/{value.denominator}"
        example = examples_besides(gold, "3/16", "5/16")[0]
        question = (
            f"You flip {coin} {flips} times; the flips are independent. What is the exact "
            f"probability that {_WORDING[event].format(k=k)}? Answer with a fraction, for "
            f"example `{example}` (any equal fraction, an integer or an exact decimal "
            "is accepted).\nPut your final answer inside <answer></answer>."
        )
        return make_task(
            question, gold, flips, flips=flips,
            p=[p.numerator, p.denominator], event=event, k=k, effort=updates,
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        value = read_fraction(answer)
        if value is None:
            return Verdict.unparseable("expected a fraction a/b, an integer or a decimal")
        m = task.metadata
        exact, _ = probability(m["flips"], Fraction(*m["p"]), m["event"], m["k"])
        if value != exact:
            return Verdict.incorrect(f"{value} is not the probability")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
