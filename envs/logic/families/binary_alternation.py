"""Fewest swaps that make a binary string alternate (`0101...` or `1010...`), or -1.

Any two characters may be swapped. The verifier recomputes the minimum from the string: a target
pattern is reachable only with the right counts of 0s and 1s, and then needs (mismatches / 2)
swaps; the answer is the smaller over the reachable patterns.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, examples_besides, expect_int
from gymhub.types import Task, Verdict


def min_swaps(bits: str) -> int:
    best = -1
    for first in "01":
        target = "".join(first if i % 2 == 0 else "10"[int(first)] for i in range(len(bits)))
        if sorted(target) != sorted(bits):
            continue
        swaps = sum(a != b for a, b in zip(bits, target)) // 2
        best = swaps if best < 0 else min(best, swaps)
    return best


@register_family
class BinaryAlternation(LogicFamily):
    """Minimum number of swaps to make a binary string alternating, -1 if impossible.

    String length 4+3d..6+3d (7..36, size); about one string in six cannot be made alternating.
    Answer: one integer. Reward 1/0.
    """

    name = "binary_alternation"
    title = "BinaryAlternation"
    description = "Fewest character swaps that make a binary string alternate, or -1."
    difficulty_doc = "string length 4+3d..6+3d (7..36; size); about 1 in 6 impossible"
    equivalents = {"reasoning_gym": "binary_alternation"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 4 + 3 * difficulty + rng.randint(0, 2)
        if rng.random() < 1 / 6:
            ones = rng.choice([length // 2 + 2, (length + 1) // 2 - 2])
        else:
            ones = rng.choice([length // 2, (length + 1) // 2])
        chars = ["1"] * ones + ["0"] * (length - ones)
        rng.shuffle(chars)
        bits = "".join(chars)
        gold = min_swaps(bits)
        one, other = examples_besides(gold, "-1", "5", "4", count=2)
        question = ask(
            f"Binary string: {bits}\nA swap exchanges any two characters (they need not be "
            "adjacent). What is the minimum number of swaps that makes the string alternating "
            "(no two equal neighbours)? Answer -1 if it is impossible.",
            f"Answer with one integer, for example <answer>{one}</answer> or "
            f"<answer>{other}</answer>.",
        )
        return make_task(question, gold, length, bits=bits)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_int(answer, min_swaps(task.metadata["bits"]), "the minimum")

    def format_answer(self, task: Task) -> str:
        return str(min_swaps(task.metadata["bits"]))
