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

    String length 4+3d..6+3d (7..36, size; odd at d1-2, whose even strings allow few counts);
    one string in eight cannot be made alternating, the
    others need k swaps, k drawn uniformly (see `_with_swaps`).
    Answer: one integer. Reward 1/0.
    """

    name = "binary_alternation"
    title = "BinaryAlternation"
    description = "Fewest character swaps that make a binary string alternate, or -1."
    difficulty_doc = "string length 4+3d..6+3d (7..36; size; odd at d1-2); 1 in 8 impossible, the swaps needed uniform"
    equivalents = {"reasoning_gym": "binary_alternation"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 4 + 3 * difficulty + rng.randint(0, 2)
        if difficulty <= 2 and length % 2 == 0:
            # an even string needs at most length/4 swaps: at d1-2 its few counts made `2` or
            # `1` right on 29-31% of the tasks; an odd one has one pattern and more counts
            length += 1
        # the answer first: shuffled strings bunched on one count (`2` on half of d2's tasks,
        # one value on 35-48% at most levels), so a policy answering it blindly was paid
        if rng.random() < 1 / 8:
            ones = rng.choice([length // 2 + 2, (length + 1) // 2 - 2])
            chars = ["1"] * ones + ["0"] * (length - ones)
            rng.shuffle(chars)
            bits = "".join(chars)
        else:
            bits = self._with_swaps(rng, length)
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

    @staticmethod
    def _with_swaps(rng: random.Random, length: int) -> str:
        """A string of `length` that needs k swaps, k drawn uniformly from 1 up to the most any
        string of that length needs (0, already alternating, on one string in 20): an
        alternating pattern with k of its 1s and k of its 0s flipped. With an even length the
        other pattern needs length/2 - k, so k stays at most length/4."""
        first = rng.randint(0, 1)
        pattern = [(first + i) % 2 for i in range(length)]
        most = length // 4 if length % 2 == 0 else length // 2
        k = 0 if rng.random() < 1 / 20 else rng.randint(1, most)
        ones = [i for i, b in enumerate(pattern) if b == 1]
        zeros = [i for i, b in enumerate(pattern) if b == 0]
        for i in rng.sample(ones, k) + rng.sample(zeros, k):
            pattern[i] ^= 1
        return "".join(map(str, pattern))

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_int(answer, min_swaps(task.metadata["bits"]), "the minimum")

    def format_answer(self, task: Task) -> str:
        return str(min_swaps(task.metadata["bits"]))
