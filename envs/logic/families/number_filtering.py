"""Keep the numbers of a list that pass a threshold, in their original order.

The verifier compares the answer (read as exact numbers) with the subsequence the rule selects
from the stored list.
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_list_besides, read_number_list
from gymhub.envs.logic.families.number_sorting import random_numbers
from gymhub.types import Task, Verdict


def kept(task: Task) -> list[str]:
    limit = Decimal(task.metadata["threshold"])
    above = task.metadata["keep"] == "greater"
    return [
        t for t in task.metadata["numbers"] if (Decimal(t) > limit if above else Decimal(t) < limit)
    ]


@register_family
class NumberFiltering(LogicFamily):
    """Keep only the numbers greater (or smaller) than a threshold, in the given order.

    List of 3+2d numbers (5..23), as in `number_sorting`. Answer: the kept numbers in their
    original order, separated by commas. size = numbers. Reward 1/0.
    """

    name = "number_filtering"
    title = "NumberFiltering"
    description = "Keep the numbers above or below a threshold, in their original order."
    difficulty_doc = "numbers 3+2d (5..23); negatives from d3, decimals from d4; size = numbers"
    equivalents = {"reasoning_gym": "number_filtering"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 3 + 2 * difficulty
        numbers = random_numbers(rng, count, difficulty)
        ranked = sorted(numbers, key=Decimal)
        keep = rng.choice(["greater", "smaller"])
        cut = rng.randint(0, count - 2) if keep == "greater" else rng.randint(1, count - 1)
        threshold = ranked[cut]  # a listed value: strictly greater/smaller excludes it
        question = ask(
            f"Here is a list of numbers: {'; '.join(numbers)}.\nRemove every number that is not "
            f"strictly {keep} than {threshold}, keeping the others in their original order.",
            "Answer with the remaining numbers separated by commas, for example "
            "<answer>4.5, -2, 10</answer>.",
        )
        task = make_task(question, [], count, numbers=numbers, threshold=threshold, keep=keep)
        task.answer = kept(task)
        # no part of the example is the answer either (`10` alone was on some tasks)
        example = example_list_besides(task.answer, "4.5, -2, 10", "7, -3.5, 12", "-1, 8.5, 3")
        task.question = task.question.replace(
            "<answer>4.5, -2, 10</answer>", f"<answer>{example}</answer>"
        )
        return task

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_number_list(answer)
        if got is None:
            return Verdict.unparseable("expected a list of numbers")
        gold = [Fraction(Decimal(t)) for t in kept(task)]
        return (
            Verdict.correct() if got == gold else Verdict.incorrect("not the kept numbers in order")
        )

    def format_answer(self, task: Task) -> str:
        return ", ".join(kept(task))
