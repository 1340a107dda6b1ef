"""Evaluate an integer arithmetic expression with + - * / and parentheses.

The expression is built as a random tree whose divisions are exact, printed with only the
parentheses precedence needs. The verifier evaluates the stored expression again with the safe
exact evaluator (`arithmetic_chain.safe_value`) and compares the one integer answer.
"""

from __future__ import annotations

import random
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.envs.logic.families.arithmetic_chain import safe_value
from gymhub.types import Task, Verdict

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def random_expression(rng: random.Random, leaves: int, high: int, ops: str) -> tuple[str, int, int]:
    """(text, value, precedence) of a random expression over `leaves` integers in 1..high whose
    divisions are all exact."""
    if leaves == 1:
        value = rng.randint(1, high)
        return str(value), value, 3
    split = rng.randint(1, leaves - 1)
    lt, lv, lp = random_expression(rng, split, high, ops)
    rt, rv, rp = random_expression(rng, leaves - split, high, ops)
    op = rng.choice(ops)
    if op == "/" and (rv == 0 or lv % rv != 0):
        op = rng.choice("+-")
    if op == "*" and abs(lv * rv) > 10**7:
        op = "+"
    value = {"+": lv + rv, "-": lv - rv, "*": lv * rv, "/": lv // rv if rv else 0}[op]
    p = _PRECEDENCE[op]
    if lp < p:
        lt = f"({lt})"
    if rp < p or (rp == p and op in "-/"):
        rt = f"({rt})"
    return f"{lt} {op} {rt}", value, p


@register_family
class BasicArithmetic(LogicFamily):
    """Evaluate an expression of 2+d integers (3..12) joined by + - * / (exact divisions).

    Operands up to 10d; only + and - at d1, * from d2, / from d3. Answer: one integer (an
    expression is not accepted). size = operands. Reward 1/0.
    """

    name = "basic_arithmetic"
    title = "BasicArithmetic"
    description = "Evaluate an integer expression with + - * / and parentheses."
    difficulty_doc = "operands 2+d (3..12) up to 10d; * from d2, / (exact) from d3; size = operands"
    equivalents = {"reasoning_gym": "basic_arithmetic"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        leaves = 2 + difficulty
        ops = "+-" if difficulty == 1 else "+-*" if difficulty == 2 else "+-*/"
        text, value, _ = random_expression(rng, leaves, 10 * difficulty, ops)
        assert safe_value(text) == Fraction(value)
        question = ask(
            f"Calculate {text} (usual precedence: * and / before + and -; every division is exact).",
            f"Answer with one integer, for example <answer>{example_int(rng, value, -99, 99)}</answer>.",
        )
        return make_task(question, value, leaves, expression=text)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_int(answer, int(safe_value(task.metadata["expression"])), "the value")

    def format_answer(self, task: Task) -> str:
        return str(int(safe_value(task.metadata["expression"])))
