"""Evaluate an expression of decimal numbers with + - * and parentheses, exactly.

Literals are read exactly (`fractions.Fraction` from their text, never binary floats); the
verifier evaluates the stored expression again and accepts any exactly equal number (`2.50`,
`2.5`, `5/2`).
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_decimal, expect_number
from gymhub.envs.logic.families.arithmetic_chain import safe_value
from gymhub.envs.logic.families.power_function import exact_text
from gymhub.types import Task, Verdict


def decimal_literal(rng: random.Random, places: int, high: int) -> str:
    whole = rng.randint(0, high)
    frac = rng.randint(1, 10**places - 1)
    return f"{whole}.{frac:0{places}d}"


def decimal_expression(
    rng: random.Random, leaves: int, places: int, high: int, ops: str
) -> tuple[str, int]:
    if leaves == 1:
        return decimal_literal(rng, rng.randint(1, places), high), 3
    split = rng.randint(1, leaves - 1)
    lt, lp = decimal_expression(rng, split, places, high, ops)
    rt, rp = decimal_expression(rng, leaves - split, places, high, ops)
    op = rng.choice(ops)
    p = 2 if op == "*" else 1
    if lp < p:
        lt = f"({lt})"
    if rp < p or (rp == p and op == "-"):
        rt = f"({rt})"
    return f"{lt} {op} {rt}", p


@register_family
class DecimalArithmetic(LogicFamily):
    """Evaluate an expression of 2+(d+1)//2 decimals (3..7) with + - * exactly.

    Up to 1+d//4 decimal places (1..3); * from d3; operands up to 5d. Answer: the exact value
    (any equal decimal or fraction). size = operands. Reward 1/0.
    """

    name = "decimal_arithmetic"
    title = "DecimalArithmetic"
    description = "Evaluate an expression of decimal numbers exactly."
    difficulty_doc = "operands 2+(d+1)//2 (3..7), 1+d//4 decimal places, * from d3; size = operands"
    equivalents = {"reasoning_gym": "decimal_arithmetic"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        leaves = 2 + (difficulty + 1) // 2
        ops = "+-" if difficulty <= 2 else "+-*"
        text, _ = decimal_expression(rng, leaves, 1 + difficulty // 4, 5 * difficulty, ops)
        question = ask(
            f"Calculate {text} exactly (* before + and -).",
            f"Answer with the exact decimal value, for example <answer>{example_decimal(rng, safe_value(text), 3)}</answer>.",
        )
        return make_task(question, exact_text(safe_value(text)), leaves, expression=text)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_number(answer, safe_value(task.metadata["expression"]))

    def format_answer(self, task: Task) -> str:
        return exact_text(safe_value(task.metadata["expression"]))
