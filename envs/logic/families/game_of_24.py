"""Game of 24 and its generalisation: combine the given numbers with + - * / to hit a target.

The answer is an arithmetic expression, read with the shared `ast` whitelist (never eval) and
evaluated exactly with fractions. The verifier checks the rules itself: every given number used
exactly once, no other numbers, only binary + - * /, and the exact value equals the target (a
verifier that compared the result with itself once let every expression pass; tests prove this
one rejects wrong ones).
"""

from __future__ import annotations

import ast
import random
from collections import Counter
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.arithmetic_chain import (
    ExprError,
    evaluate,
    literals,
    parse_expression,
)
from gymhub.types import Task, Verdict

_OP_TEXT = "+-*/"


def _combine(a: Fraction, b: Fraction, op: str) -> Fraction | None:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return None if b == 0 else a / b


def solve(numbers: list[int], target: int, budget: int = 200_000) -> str | None:
    """An expression over `numbers` (each once) equal to `target`, or None; bounded search."""
    counter = [0]
    goal = Fraction(target)

    def search(items: list[tuple[Fraction, str]]) -> str | None:
        if len(items) == 1:
            return items[0][1] if items[0][0] == goal else None
        for i in range(len(items)):
            for j in range(len(items)):
                if i == j:
                    continue
                counter[0] += 1
                if counter[0] > budget:
                    return None
                (a, ea), (b, eb) = items[i], items[j]
                rest = [items[k] for k in range(len(items)) if k not in (i, j)]
                for op in _OP_TEXT:
                    if op in "+*" and i > j:
                        continue  # commutative: one order is enough
                    value = _combine(a, b, op)
                    if value is None:
                        continue
                    found = search(rest + [(value, f"({ea} {op} {eb})")])
                    if found:
                        return found
        return None

    found = search([(Fraction(n), str(n)) for n in numbers])
    return found[1:-1] if found and found.startswith("(") and found.endswith(")") else found


def _random_expression(rng: random.Random, numbers: list[int]) -> tuple[Fraction, str] | None:
    items = [(Fraction(n), str(n)) for n in numbers]
    while len(items) > 1:
        i, j = rng.sample(range(len(items)), 2)
        (a, ea), (b, eb) = items[i], items[j]
        op = rng.choice(_OP_TEXT)
        if op == "-" and a < b:
            (a, ea), (b, eb) = (b, eb), (a, ea)
        if op == "/" and (b == 0 or (a / b).denominator != 1):
            op = rng.choice("+*")
        value = _combine(a, b, op)
        assert value is not None
        items = [items[k] for k in range(len(items)) if k not in (i, j)]
        items.append((value, f"({ea} {op} {eb})"))
    value, text = items[0]
    return value, text[1:-1] if text.startswith("(") else text


def _shape(difficulty: int) -> tuple[int, int]:
    """(how many numbers, largest number) at a difficulty."""
    count = 4 if difficulty <= 4 else (5 if difficulty <= 7 else 6)
    high = 9 if difficulty <= 1 else (13 if difficulty <= 6 else 25)
    return count, high


@register_family
class GameOf24(LogicFamily):
    """Use each given number exactly once with + - * / and parentheses to reach the target.

    Difficulty d: d=1..4 is the classic game (four numbers, target 24; numbers 1..9 at d=1, 1..13
    from d=2); d=5..7 gives five numbers and d=8..10 six numbers (1..13, then 1..25 from d=7),
    with a target built from a random expression over them. size = how many numbers. Any correct
    expression scores 1 (the stored one is just one of them). Reward 1/0.
    """

    name = "game_of_24"
    title = "GameOf24"
    description = "Combine the given numbers with + - * / (each exactly once) to reach the target."
    difficulty_doc = (
        "numbers: 4 (d1-4, target 24), 5 (d5-7), 6 (d8-10); number range 1..9 (d1), 1..13, "
        "1..25 (d7+); targets beyond 24 from d5"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, high = _shape(difficulty)
        numbers: list[int] = []
        target, gold = 24, None
        if count == 4:
            for _attempt in range(60):
                numbers = sorted(rng.randint(1, high) for _ in range(count))
                gold = solve(numbers, 24)
                if gold:
                    break
        if gold is None:
            for _attempt in range(60):
                numbers = sorted(rng.randint(1, high) for _ in range(count))
                built = _random_expression(rng, numbers)
                if built and built[0].denominator == 1 and 10 <= built[0] <= 999:
                    target, gold = int(built[0]), built[1]
                    break
            else:  # a sum always works: bounded fallback
                target, gold = sum(numbers), " + ".join(map(str, numbers))
        shown = ", ".join(map(str, numbers))
        question = (
            f"Numbers: {shown}\nTarget: {target}\n\n"
            "Write an arithmetic expression that uses each of the numbers above exactly once (a "
            "number listed twice must be used twice), and no other numbers, combined with the "
            "binary operators + - * / and parentheses, so that its value is exactly the target. "
            "Division is exact (fractions are allowed in intermediate steps); no unary minus, no "
            "concatenating digits, no exponents.\n"
            "Answer with the expression only, for example (with other numbers) "
            "<answer>(7 - 2) * 3</answer>. Put your final answer inside <answer></answer>."
        )
        return make_task(
            question, gold, count, numbers=numbers, target=target, difficulty=difficulty
        )

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer.strip().rstrip(".")
        if "=" in text:  # "(...) = 24" (or "24 = (...)"): the other side must be the target
            sides = [side.strip() for side in text.split("=")]
            target = str(task.metadata["target"])
            if len(sides) == 2 and sides[1] in ("", target):
                text = sides[0]
            elif len(sides) == 2 and sides[0] == target:
                text = sides[1]
            else:
                return Verdict.incorrect("the expression is said to equal something else")
        try:
            tree = parse_expression(text)
        except ExprError as exc:
            return Verdict.unparseable(f"not an arithmetic expression: {exc}")
        if any(isinstance(node, ast.UnaryOp) for node in ast.walk(tree)):
            return Verdict.incorrect("unary minus is not allowed")
        consts = literals(tree)
        if any(type(c.value) is not int for c in consts):
            return Verdict.incorrect("only the given whole numbers may appear")
        used = Counter(int(c.value) for c in consts)
        given = Counter(int(n) for n in task.metadata["numbers"])
        if used != given:
            return Verdict.incorrect(
                f"numbers used {sorted(used.elements())} differ from {sorted(given.elements())}"
            )
        try:
            value = evaluate(tree, text.strip())
        except ExprError as exc:
            return Verdict.incorrect(f"cannot evaluate: {exc}")
        if value != Fraction(int(task.metadata["target"])):
            return Verdict.incorrect(f"value {value} is not {task.metadata['target']}")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
