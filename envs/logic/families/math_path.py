"""Math path: place given digits into the blanks of an equation so that it holds.

The equation has some numbers replaced by `?` and the question lists the digits to place, each
exactly once. The verifier checks that the answer uses exactly those digits and evaluates the
filled equation with the usual precedence (`*` before `+` and `-`), so any valid placement
scores 1 (several may exist: it checks the rules, never a stored order).
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.arithmetic_chain import read_integer
from gymhub.types import Task, Verdict

_LIST = re.compile(r"\s*\d+(?:\s*[,;\s]\s*\d+)*\s*[.]?\s*")
_NUMBER = re.compile(r"\d+")


def value(numbers: list[int], ops: list[str]) -> int:
    """numbers[0] ops[0] numbers[1] ... with `*` binding tighter than `+` and `-`."""
    total, sign, term = 0, 1, numbers[0]
    for op, number in zip(ops, numbers[1:], strict=True):
        if op == "*":
            term *= number
        else:
            total += sign * term
            sign, term = (1 if op == "+" else -1), number
    return total + sign * term


def _shape(difficulty: int) -> tuple[int, bool, bool]:
    """(blanks, products allowed, digits all different)."""
    return 2 + (difficulty - 1) * 5 // 9, difficulty >= 3, difficulty >= 4


def equation_text(slots: list[int | None], ops: list[str], rhs: int) -> str:
    parts = ["?" if slots[0] is None else str(slots[0])]
    for op, slot in zip(ops, slots[1:], strict=True):
        parts += [op, "?" if slot is None else str(slot)]
    return " ".join(parts) + f" = {rhs}"


@register_family
class MathPath(LogicFamily):
    """Place the listed digits into the `?` blanks of an equation so that it holds.

    Difficulty d sets the blanks 2 + (d-1)*5//9 (2..7, size) plus one given number; `*` appears
    from d3 and from d4 the digits to place all differ. Reward 1/0.
    """

    name = "math_path"
    title = "MathPath"
    description = "Place the given digits into the blanks of an equation so that it holds."
    difficulty_doc = (
        "blanks 2+(d-1)*5//9 (2..7) plus one given number; `*` from d3; digits all different "
        "from d4"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        blanks, products, distinct = _shape(difficulty)
        terms = blanks + 1
        digits = (
            rng.sample(range(1, 10), blanks)
            if distinct
            else [rng.randint(1, 9) for _ in range(blanks)]
        )
        given_at = rng.randrange(terms)
        numbers = list(digits)
        numbers.insert(given_at, rng.randint(2, 20))
        choices = ["+", "-", "*"] if products else ["+", "-"]
        ops = [rng.choice(choices) for _ in range(terms - 1)]
        rhs = value(numbers, ops)
        slots: list[int | None] = [None] * terms
        slots[given_at] = numbers[given_at]
        question = (
            "Place the digits listed below into the `?` blanks of the equation, each listed digit "
            "exactly once (a digit listed twice is used twice), so that the equation holds. `*` "
            "is multiplication and is done before `+` and `-`; otherwise work left to right.\n\n"
            f"{equation_text(slots, ops, rhs)}\n"
            f"Digits: {', '.join(map(str, sorted(digits)))}\n\n"
            f"Answer with the {blanks} digits in the order they fill the `?` from left to right, "
            "separated by spaces, for example `4 1 3` for three blanks (the completed equation is "
            "also accepted).\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question, digits, blanks, slots=slots, ops=ops, rhs=rhs, digits=sorted(digits)
        )

    def check(self, task: Task, answer: str) -> Verdict:
        slots = list(task.metadata["slots"])
        ops = list(task.metadata["ops"])
        blanks = [i for i, s in enumerate(slots) if s is None]
        text = answer[:2000]
        if "=" in text:  # the completed equation: every number, with the given ones unchanged
            left, _, right = text.partition("=")
            found = [int(n) for n in _NUMBER.findall(left)]
            if len(found) != len(slots):
                return Verdict.incorrect(f"{len(found)} numbers left of `=`, expected {len(slots)}")
            if read_integer(right) != task.metadata["rhs"] or any(
                found[i] != s for i, s in enumerate(slots) if s is not None
            ):
                return Verdict.incorrect("the given numbers of the equation were changed")
            filled = [found[i] for i in blanks]
        else:
            if not _LIST.fullmatch(text):
                return Verdict.unparseable("expected digits separated by spaces")
            filled = [int(n) for n in _NUMBER.findall(text)]
        if len(filled) != len(blanks):
            return Verdict.incorrect(f"{len(filled)} digits given, {len(blanks)} blanks")
        if any(not 1 <= d <= 9 for d in filled):
            return Verdict.incorrect("every blank takes one digit from 1 to 9")
        if sorted(filled) != sorted(task.metadata["digits"]):
            return Verdict.incorrect("not exactly the listed digits")
        numbers = list(slots)
        for i, digit in zip(blanks, filled, strict=True):
            numbers[i] = digit
        if value(numbers, ops) != task.metadata["rhs"]:
            return Verdict.incorrect("the equation does not hold")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """The gold with two digits exchanged (kept only where the equation then fails), and
        with its first digit changed."""
        gold = list(task.answer)
        out: list[str] = []
        for i, j in ((0, 1), (0, len(gold) - 1), (1, len(gold) - 1)):
            wrong = list(gold)
            wrong[i], wrong[j] = gold[j], gold[i]
            text = " ".join(map(str, wrong))
            if self.check(task, text).status != "correct" and text not in out:
                out.append(text)
        changed = [gold[0] % 9 + 1, *gold[1:]]
        return [*out, " ".join(map(str, changed))]

    def secret_strings(self, task: Task) -> list[str]:
        return []  # short digit lists may occur in the question by chance

    def format_answer(self, task: Task) -> str:
        return " ".join(map(str, task.answer))
