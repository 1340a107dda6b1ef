"""Count the legs of a collection of animals, using a stated table of legs per animal.

The table is part of the question (no trivia needed); the verifier sums count x legs again.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.types import Task, Verdict

LEGS = {
    "chicken": 2, "duck": 2, "goose": 2, "parrot": 2, "ostrich": 2, "penguin": 2,
    "dog": 4, "cat": 4, "cow": 4, "horse": 4, "sheep": 4, "goat": 4, "pig": 4, "zebra": 4,
    "ant": 6, "bee": 6, "beetle": 6, "grasshopper": 6, "spider": 8, "scorpion": 8,
    "crab": 10, "lobster": 10, "snake": 0, "worm": 0, "snail": 0,
}  # fmt: skip


def total_legs(herd: dict[str, int]) -> int:
    return sum(LEGS[animal] * count for animal, count in herd.items())


@register_family
class LegCounting(LogicFamily):
    """A farm of animals: how many legs in total?

    Kinds of animals 1+d (2..11), up to 2+2d of each. Answer: one whole number. size = kinds.
    Reward 1/0.
    """

    name = "leg_counting"
    title = "LegCounting"
    description = "Count the legs of a collection of animals."
    difficulty_doc = "kinds of animals 1+d (2..11), up to 2+2d of each; size = kinds"
    equivalents = {"reasoning_gym": "leg_counting"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        kinds = rng.sample(sorted(LEGS), 1 + difficulty)
        herd = {k: rng.randint(1, 2 + 2 * difficulty) for k in kinds}
        listing = ", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in herd.items())
        legend = ", ".join(f"{k} {LEGS[k]}" for k in sorted(kinds))
        question = ask(
            f"Legs per animal: {legend}.\nA farm has {listing}. How many legs are there in total?",
            f"Answer with one whole number, for example <answer>{example_int(rng, total_legs(herd), 10, 99)}</answer>.",
        )
        return make_task(question, total_legs(herd), len(kinds), herd=herd)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_int(answer, total_legs(task.metadata["herd"]), "the number of legs")

    def format_answer(self, task: Task) -> str:
        return str(total_legs(task.metadata["herd"]))
