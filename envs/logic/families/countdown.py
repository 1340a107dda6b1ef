"""Countdown (Enigmata's arithmetic task): reach a target with the given numbers, where every
intermediate result must be a positive whole number.

The answer is an arithmetic expression read with the shared `ast` whitelist (never eval). The
verifier checks the rules itself: each given number used exactly once, no other numbers, only
binary + - * / and parentheses, every operation's result a positive integer (no fractions, no
zero or negatives on the way), and the final value equals the target. Any such expression
scores 1; the stored one is only the generator's witness.
"""

from __future__ import annotations

import ast
import random
from collections import Counter
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.arithmetic_chain import ExprError, literals, parse_expression
from gymhub.types import Task, Verdict


def _count(difficulty: int) -> int:
    return 3 + (difficulty - 1) * 4 // 9  # 3..7 numbers


def _high(difficulty: int) -> int:
    return 10 if difficulty <= 2 else 25 if difficulty <= 6 else 100


def positive_value(tree: ast.expr) -> int:
    """The value of `tree` when every operation yields a positive integer; ExprError otherwise."""
    if isinstance(tree, ast.Constant):
        if type(tree.value) is not int or tree.value <= 0:
            raise ExprError("only the given positive whole numbers may appear")
        return tree.value
    if not isinstance(tree, ast.BinOp):
        raise ExprError("only binary + - * / are allowed")
    left, right = positive_value(tree.left), positive_value(tree.right)
    op = type(tree.op)
    if op is ast.Add:
        out = Fraction(left + right)
    elif op is ast.Sub:
        out = Fraction(left - right)
    elif op is ast.Mult:
        out = Fraction(left * right)
    elif op is ast.Div:
        out = Fraction(left, right)
    else:
        raise ExprError("only + - * / are allowed")
    if out.denominator != 1 or out <= 0:
        raise ExprError(f"an intermediate result ({out}) is not a positive whole number")
    if out > 10**12:
        raise ExprError("an intermediate result is too large")
    return int(out)


def _build(rng: random.Random, numbers: list[int]) -> tuple[int, str] | None:
    """Combine random pairs until one value is left, keeping every step a positive integer."""
    items = [(n, str(n)) for n in numbers]
    while len(items) > 1:
        i, j = rng.sample(range(len(items)), 2)
        (a, ta), (b, tb) = items[i], items[j]
        if a < b:
            (a, ta), (b, tb) = (b, tb), (a, ta)
        ops = ["+", "*"] + (["-"] if a > b else []) + (["/"] if b > 1 and a % b == 0 else [])
        op = rng.choice(ops)
        value = {"+": a + b, "-": a - b, "*": a * b, "/": a // b if b else 0}[op]
        rest = [items[k] for k in range(len(items)) if k not in (i, j)]
        items = [*rest, (value, f"({ta} {op} {tb})")]
    value, text = items[0]
    return (value, text[1:-1] if text.startswith("(") else text) if len(numbers) > 1 else None


@register_family
class Countdown(LogicFamily):
    """Use each given number once with + - * / so that every intermediate result is a positive
    whole number and the final value is the target.

    Accepted: one expression (`... = target` allowed). Not accepted: unary minus, fractions or
    negatives along the way, numbers not given, a number used twice, two expressions.
    """

    name = "countdown"
    title = "Countdown"
    description = "Reach the target with the given numbers; every intermediate result positive."
    difficulty_doc = (
        "numbers 3+(d-1)*4//9 (3..7; size), each 1..10 (d1-2), 1..25 (d3-6), 1..100 (d7+); "
        "targets up to 100, 500, 999"
    )
    equivalents = {"enigmata": "countdown", "reasoning_gym": "countdown"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, high = _count(difficulty), _high(difficulty)
        top = 100 if difficulty <= 2 else 500 if difficulty <= 6 else 999
        numbers: list[int] = []
        target, gold = 0, ""
        for _attempt in range(200):
            numbers = sorted(rng.randint(1, high) for _ in range(count))
            built = _build(rng, numbers)
            if built and 10 <= built[0] <= top and built[0] not in numbers:
                target, gold = built
                break
        else:  # bounded fallback: the sum always satisfies the rules
            target, gold = sum(numbers), " + ".join(map(str, numbers))
        question = (
            f"Numbers: {', '.join(map(str, numbers))}\nTarget: {target}\n\n"
            "Countdown: write an arithmetic expression that uses each number above exactly once "
            "(a number listed twice is used twice) and no other number, with the binary "
            "operators + - * / and parentheses, whose value is the target. Every intermediate "
            "result (the value of each operation) must be a positive whole number: no fractions, "
            "no zero, no negative values. No unary minus, no joining digits.\n"
            "Answer with the expression only, for example (with other numbers) "
            "<answer>(7 - 2) * 3</answer>. Put your final answer inside <answer></answer>."
        )
        return make_task(question, gold, count, numbers=numbers, target=target)

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer.strip().rstrip(".")
        if text.count("=") == 1:
            text, right = text.split("=")
            if right.strip() != str(task.metadata["target"]):
                return Verdict.incorrect("the expression is said to equal another number")
        try:
            tree = parse_expression(text)
        except ExprError as exc:
            return Verdict.unparseable(f"not an arithmetic expression: {exc}")
        consts = literals(tree)
        if any(type(c.value) is not int for c in consts):
            return Verdict.incorrect("only the given whole numbers may appear")
        used = Counter(int(c.value) for c in consts)
        if used != Counter(task.metadata["numbers"]):
            return Verdict.incorrect(f"numbers used {sorted(used.elements())} are not the given")
        try:
            value = positive_value(tree)
        except (ExprError, RecursionError) as exc:
            return Verdict.incorrect(str(exc))
        if value != task.metadata["target"]:
            return Verdict.incorrect(f"value {value} is not {task.metadata['target']}")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
