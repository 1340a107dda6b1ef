"""Sort a list of numbers (integers or decimals, some negative).

The verifier checks the rules: the answer is a permutation of the given values (compared as
exact numbers, so `2.50` is `2.5`) and is in the asked order.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, read_number_list
from gymhub.types import Task, Verdict


def random_numbers(rng: random.Random, count: int, difficulty: int) -> list[str]:
    places = 0 if difficulty <= 3 else 1 + difficulty // 5
    high = 10 * difficulty * difficulty
    out: list[str] = []
    while len(out) < count:
        value = (
            Decimal(rng.randint(-high if difficulty >= 3 else 0, high * 10**places)) / 10**places
        )
        text = f"{value:.{places}f}"
        if text not in out and text != "-0":
            out.append(text)
    return out


@register_family
class NumberSorting(LogicFamily):
    """Sort 3+2d numbers (5..23) ascending or descending.

    Values up to 10d^2; negatives from d3, decimals from d4 (2 places from d5). Answer: all the
    numbers in order, separated by commas or spaces. size = numbers. Reward 1/0.
    """

    name = "number_sorting"
    title = "NumberSorting"
    description = "Sort a list of numbers ascending or descending."
    difficulty_doc = "numbers 3+2d (5..23); negatives from d3, decimals from d4; size = numbers"
    equivalents = {"reasoning_gym": "number_sorting"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 3 + 2 * difficulty
        numbers = random_numbers(rng, count, difficulty)
        descending = rng.random() < 0.5
        ordered = sorted(numbers, key=Decimal, reverse=descending)
        if numbers == ordered:
            numbers[0], numbers[-1] = numbers[-1], numbers[0]
        question = ask(
            f"Sort these numbers in {'descending' if descending else 'ascending'} order: "
            + "; ".join(numbers),
            "Answer with all the numbers in order, separated by commas, for example "
            "<answer>-3, 0.5, 12</answer>.",
        )
        return make_task(question, ordered, count, numbers=numbers, descending=descending)

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_number_list(answer)
        if got is None:
            return Verdict.unparseable("expected a list of numbers")
        given = [Fraction(Decimal(t)) for t in task.metadata["numbers"]]
        if Counter(got) != Counter(given):
            return Verdict.incorrect("not the given numbers")
        if got != sorted(got, reverse=bool(task.metadata["descending"])):
            return Verdict.incorrect("not in the asked order")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return ", ".join(task.answer)
