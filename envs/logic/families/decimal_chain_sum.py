"""Add and subtract a chain of decimal numbers exactly.

The verifier sums the stored terms again with `fractions.Fraction` and accepts any exactly equal
number (`3.10`, `3.1`, `31/10`).
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_decimal, expect_number
from gymhub.envs.logic.families.decimal_arithmetic import decimal_literal
from gymhub.envs.logic.families.power_function import exact_text
from gymhub.types import Task, Verdict


def chain_value(terms: list[str]) -> Fraction:
    return sum((Fraction(Decimal(t)) for t in terms), Fraction(0))


@register_family
class DecimalChainSum(LogicFamily):
    """Compute a + b - c + ... over 2+d decimal terms (3..12).

    Up to 1+d//3 decimal places (1..4), terms up to 10d. Answer: the exact value (any equal
    decimal or fraction). size = terms. Reward 1/0.
    """

    name = "decimal_chain_sum"
    title = "DecimalChainSum"
    description = "Add and subtract a chain of decimal numbers exactly."
    difficulty_doc = "terms 2+d (3..12) with 1+d//3 decimal places (1..4), up to 10d; size = terms"
    equivalents = {"reasoning_gym": "decimal_chain_sum"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, places = 2 + difficulty, 1 + difficulty // 3
        terms = []
        text = ""
        for i in range(count):
            literal = decimal_literal(rng, rng.randint(1, places), 10 * difficulty)
            negative = i > 0 and rng.random() < 0.4
            terms.append(f"-{literal}" if negative else literal)
            text += literal if i == 0 else f" {'-' if negative else '+'} {literal}"
        question = ask(
            f"Calculate {text} exactly.",
            f"Answer with the exact decimal value, for example <answer>{example_decimal(rng, chain_value(terms))}</answer>.",
        )
        return make_task(question, exact_text(chain_value(terms)), count, terms=terms)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_number(answer, chain_value(task.metadata["terms"]))

    def format_answer(self, task: Task) -> str:
        return exact_text(chain_value(task.metadata["terms"]))
