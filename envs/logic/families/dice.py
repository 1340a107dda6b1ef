"""Dice: the exact probability that the total of several dice reaches a threshold.

The verifier recomputes the distribution of the total by convolution over the dice stored in the
metadata (the rule) and accepts any number exactly equal to the probability.
"""

from __future__ import annotations

import random
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._balance import pick_balanced
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.envs.logic.families.coin_flip import read_fraction
from gymhub.types import Task, Verdict

SIDES = (4, 6, 8, 10, 12, 20)


def at_least(dice: list[int], threshold: int) -> tuple[Fraction, int]:
    """(P(total >= threshold), convolution updates) for fair dice numbered 1..sides."""
    ways = {0: 1}
    updates = 0
    for sides in dice:
        nxt: dict[int, int] = {}
        for total, count in ways.items():
            for face in range(1, sides + 1):
                updates += 1
                nxt[total + face] = nxt.get(total + face, 0) + count
        ways = nxt
    outcomes = 1
    for sides in dice:
        outcomes *= sides
    hits = sum(count for total, count in ways.items() if total >= threshold)
    return Fraction(hits, outcomes), updates


def _roll(
    rng: random.Random, count: int, pool: tuple[int, ...]
) -> tuple[list[int], int, Fraction, int]:
    """Dice, a threshold above the lowest total, the probability and its convolution updates."""
    dice = sorted((rng.choice(pool) for _ in range(count)), reverse=True)
    low, high = count, sum(dice)
    threshold = rng.randint(low + 1, high) if high > low else high
    value, updates = at_least(dice, threshold)
    return dice, threshold, value, updates


@register_family
class Dice(LogicFamily):
    """The exact probability that a roll of several fair dice totals at least a threshold.

    Difficulty d sets the dice 1+d//2 (1..6, size) with sides from 4, 6 (d1-2) up to 4..20
    (d5+); effort = the convolution updates for the largest dice the level allows (the
    task's own count is `updates`). Sixteen rolls are drawn and one kept, each probability they
    show as likely, so that no one fraction is right on many tasks. Accepted: any number exactly equal to the probability:
    `a/b` in any terms, `0`, `1` or a terminating decimal. Reward 1/0.
    """

    name = "dice"
    title = "Dice"
    description = "Give the exact probability that several dice total at least a threshold."
    difficulty_doc = "dice 1+d//2 (1..6); sides 4/6 (d1-2), up to 12 (d3-4), up to 20 (d5+)"
    equivalents = {"reasoning_gym": "dice"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 1 + difficulty // 2
        pool = SIDES[:2] if difficulty <= 2 else SIDES[:5] if difficulty <= 4 else SIDES
        # several rolls are drawn and one kept by its probability, each probability they show
        # as likely (`pick_balanced`): one die of 4 or 6 sides made `1/2` right on 28% of the d1
        # tasks, so a blind answer paid
        dice, threshold, value, updates = pick_balanced(
            rng, [_roll(rng, count, pool) for _ in range(16)], lambda c: c[2]
        )
        top = max(pool)  # the convolution's work for the largest dice this level allows
        bound = sum((i * (top - 1) + 1) * top for i in range(count))
        shown = ", ".join(f"a {s}-sided die" for s in dice)
        question = (
            f"You roll {shown} (each fair, numbered from 1). What is the exact probability that "
            f"the total is at least {threshold}? Answer with a fraction, for example "
            f"`{examples_besides(value, '5/36', '7/12')[0]}` (any "
            "equal fraction, an integer or an exact decimal is accepted).\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question, f"{value.numerator}/{value.denominator}", count, dice=dice,
            threshold=threshold, updates=updates, effort=bound,
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        value = read_fraction(answer)
        if value is None:
            return Verdict.unparseable("expected a fraction a/b, an integer or a decimal")
        exact, _ = at_least(task.metadata["dice"], task.metadata["threshold"])
        if value != exact:
            return Verdict.incorrect(f"{value} is not the probability")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
