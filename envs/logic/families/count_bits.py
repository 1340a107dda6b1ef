"""Count the 1 bits in the binary form of a number (rule: `bin(n).count("1")`)."""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.types import Task, Verdict


@register_family
class CountBits(LogicFamily):
    """How many 1 bits does the binary representation of n have?

    n has 4+3d bits (7..34), size = bits; the count of 1 bits is drawn first, uniform in
    1..bits, so that no count is right on many tasks. Answer: one whole number. Reward 1/0.
    """

    name = "count_bits"
    title = "CountBits"
    description = "Count the 1 bits in the binary representation of a number."
    difficulty_doc = "the number has 4+3d bits (7..34); size = bits"
    equivalents = {"reasoning_gym": "count_bits"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        bits = 4 + 3 * difficulty
        # the count is drawn first, uniform in 1..bits, then which lower bits are set: a
        # number drawn alone has a count near bits/2 (binomial), and `4` was right on 29% of
        # the d1 tasks
        ones = rng.randint(1, bits)
        n = 2 ** (bits - 1) + sum(2**p for p in rng.sample(range(bits - 1), ones - 1))
        question = ask(
            f"How many 1 bits are there in the binary representation of the number {n}?",
            f"Answer with one whole number, for example <answer>{example_int(rng, bin(n).count('1'), 1, bits)}</answer>.",
        )
        return make_task(question, bin(n).count("1"), bits, n=n)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_int(answer, bin(int(task.metadata["n"])).count("1"), "the count of 1 bits")

    def format_answer(self, task: Task) -> str:
        return str(bin(int(task.metadata["n"])).count("1"))
