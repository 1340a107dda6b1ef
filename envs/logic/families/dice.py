"""Dice probabilities: the chance that the sum of some dice reaches a target.

The verifier convolves the dice distributions exactly (integers, `fractions.Fraction`) and
accepts any exactly equal number: a fraction `a/b` (reduced or not), or a terminating decimal.
"""

from __future__ import annotations

import random
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, fraction_text, read_number
from gymhub.types import Task, Verdict

_SIDES = [4, 6, 8, 10, 12, 20]


def at_least(dice: list[int], target: int) -> Fraction:
    counts = {0: 1}
    for sides in dice:
        nxt: dict[int, int] = {}
        for total, ways in counts.items():
            for face in range(1, sides + 1):
                nxt[total + face] = nxt.get(total + face, 0) + ways
        counts = nxt
    total_ways = sum(counts.values())
    return Fraction(sum(w for s, w in counts.items() if s >= target), total_ways)


@register_family
class Dice(LogicFamily):
    """Roll 2+(d-1)//2 dice (2..6) of the given sizes: what is P(sum >= t)?

    Dice are all six-sided at d1-2, mixed sizes (4..20 sides) from d3. Answer: the exact
    probability as a fraction `a/b` (any equal fraction) or an exact decimal. size = dice.
    Reward 1/0.
    """

    name = "dice"
    title = "Dice"
    description = "Exact probability that the sum of several dice reaches a target."
    difficulty_doc = (
        "dice 2+(d-1)//2 (2..6); six-sided at d1-2, mixed 4..20 sides from d3; size = dice"
    )
    equivalents = {"reasoning_gym": "dice"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 2 + (difficulty - 1) // 2
        dice = [6] * count if difficulty <= 2 else sorted(rng.choice(_SIDES) for _ in range(count))
        low, high = count, sum(dice)
        spread = (high - low) // 4
        target = rng.randint(low + 1 + spread, max(low + 1 + spread, high - spread))
        names = ", ".join(
            f"{dice.count(s)} {s}-sided {'dice' if dice.count(s) > 1 else 'die'}"
            for s in sorted(set(dice))
        )
        question = ask(
            f"You roll {names} (faces numbered 1 to the number of sides, all equally likely). "
            f"What is the probability that the sum of the rolls is at least {target}?",
            "Answer with the exact probability as a fraction a/b, for example <answer>5/7</answer>.",
        )
        return make_task(
            question, fraction_text(at_least(dice, target)), count, dice=dice, target=target
        )

    def check(self, task: Task, answer: str) -> Verdict:
        value = read_number(answer)
        if value is None:
            return Verdict.unparseable("expected a fraction a/b")
        gold = at_least(task.metadata["dice"], int(task.metadata["target"]))
        return Verdict.correct() if value == gold else Verdict.incorrect("wrong probability")

    def format_answer(self, task: Task) -> str:
        return fraction_text(at_least(task.metadata["dice"], int(task.metadata["target"])))
