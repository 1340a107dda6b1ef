"""Simple geometry: the missing interior angle of a convex polygon.

The interior angles of a convex n-gon sum to (n - 2) * 180 degrees; the verifier recomputes the
missing one from the given angles in the metadata (the rule).
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.envs.logic.families.arithmetic_chain import read_integer
from gymhub.types import Task, Verdict

_UNIT = re.compile(r"\s*(°|degrees?|deg)\s*\.?\s*$", re.I)


def missing_angle(sides: int, given: list[int]) -> int:
    return (sides - 2) * 180 - sum(given)


@register_family
class SimpleGeometry(LogicFamily):
    """Find the last interior angle of a convex polygon from the others.

    Difficulty d sets the sides 2+d (3..12; size = effort = angles summed). Accepted: one whole
    number of degrees (`°` or `degrees` after it allowed). Reward 1/0.
    """

    name = "simple_geometry"
    title = "SimpleGeometry"
    description = "Find the missing interior angle of a convex polygon."
    difficulty_doc = "polygon sides 2+d (3..12); angles are whole degrees"
    equivalents = {"reasoning_gym": "simple_geometry"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        sides = 2 + difficulty
        total = (sides - 2) * 180
        base, extra = divmod(total, sides)
        all_angles = [base + (i < extra) for i in range(sides)]
        for _ in range(4 * sides):  # random transfers keep the sum and every angle in 20..179
            i, j = rng.sample(range(sides), 2)
            amount = rng.randint(1, 40)
            if all_angles[i] - amount >= 20 and all_angles[j] + amount <= 179:
                all_angles[i] -= amount
                all_angles[j] += amount
        angles, last = all_angles[:-1], all_angles[-1]
        shown = ", ".join(f"{a}°" for a in angles)
        question = (
            f"A convex polygon has {sides} sides. {sides - 1} of its interior angles are "
            f"{shown}. What is the measure of the remaining interior angle in degrees? Answer "
            f"with one whole number, for example `{examples_besides(last, '95', '85')[0]}`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, last, sides, sides=sides, angles=angles, effort=sides)

    def check(self, task: Task, answer: str) -> Verdict:
        value = read_integer(_UNIT.sub("", answer[:100]))
        if value is None:
            return Verdict.unparseable("expected one whole number of degrees")
        m = task.metadata
        if value != missing_angle(m["sides"], m["angles"]):
            return Verdict.incorrect(f"{value} degrees does not complete the angle sum")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
