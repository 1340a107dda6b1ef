"""Compute a power exactly: an integer or one-decimal base to an integer exponent.

The verifier computes base**exponent with `fractions.Fraction` and accepts any exactly equal
number: an integer, a terminating decimal or a fraction `a/b`.
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, expect_number, fraction_text
from gymhub.types import Task, Verdict


def power_of(task: Task) -> Fraction:
    return Fraction(Decimal(task.metadata["base"])) ** int(task.metadata["exponent"])


def exact_text(value: Fraction) -> str:
    """A terminating decimal when there is one, else `a/b`."""
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return fraction_text(value)
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@register_family
class PowerFunction(LogicFamily):
    """Compute b^n exactly.

    |n| = 1+d (2..11); the base is an integer 2..9 up to d3, a one-decimal number (`1.5`, `-0.3`)
    from d4; negative exponents from d7. Answer: the exact value (integer, decimal or `a/b`).
    size = |n|. Reward 1/0.
    """

    name = "power_function"
    title = "PowerFunction"
    description = "Compute an integer or decimal base to an integer power exactly."
    difficulty_doc = (
        "|exponent| 1+d or 2+d (2..12); integer bases 2-40, one-decimal bases up to 9.9 from d4, "
        "negative exponents from d7; size = |exponent|"
    )
    equivalents = {"reasoning_gym": "power_function"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        exponent = 1 + difficulty + rng.randint(0, 1)
        if difficulty >= 4:
            base = f"{rng.choice([-1, 1]) * rng.randint(1, 99) / 10:.1f}"  # 196 bases
            if base in ("0.0", "-0.0", "1.0", "-1.0"):
                base = "1.5"
        else:
            base = str(rng.randint(2, 40))
        if difficulty >= 7 and rng.random() < 0.5:
            exponent = -exponent
        shown = f"({base})" if base.startswith("-") else base
        question = ask(
            f"Compute {shown}^{exponent} exactly.",
            "Answer with the exact value as an integer, a decimal or a fraction a/b, for example "
            "<answer>-0.125</answer> or <answer>1/81</answer>.",
        )
        task = make_task(question, "", abs(exponent), base=base, exponent=exponent)
        task.answer = exact_text(power_of(task))
        return task

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_number(answer, power_of(task), "one exact number")

    def format_answer(self, task: Task) -> str:
        return exact_text(power_of(task))
