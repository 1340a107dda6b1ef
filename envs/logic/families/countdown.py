"""Countdown: reach a target with + - * / using some of the given numbers, each at most once.

Unlike the game of 24 (every number exactly once), any subset may be used. The target is built
from a random expression over the numbers, so a solution exists. The verifier reads the answer
with the shared `ast` whitelist (never eval), checks that it uses only given numbers, none more
often than given, and evaluates it exactly (the rules): any correct expression scores 1.
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
from gymhub.envs.logic.families.game_of_24 import _random_expression
from gymhub.types import Task, Verdict

LARGE = (25, 50, 75, 100)


def _shape(difficulty: int) -> tuple[int, int, int]:
    """(numbers shown, numbers the built target uses, largest target)."""
    shown = 3 + (difficulty + 1) // 3  # 3..6
    used = min(shown, 2 + difficulty // 2)  # 2..6
    return shown, used, 99 if difficulty <= 3 else 999


@register_family
class Countdown(LogicFamily):
    """Make the target from some of the numbers (each at most once) with + - * /.

    Difficulty d sets the numbers shown 3+(d+1)//3 (3..6), the numbers the target was built
    from 2+d//2 (2..6; size) and the target range (up to 99, then 999 from d4); large numbers
    25/50/75/100 from d4. Accepted: one arithmetic expression (`... = target` allowed). Reward
    1/0.
    """

    name = "countdown"
    title = "Countdown"
    description = "Reach a target with + - * / using some of the given numbers at most once each."
    difficulty_doc = (
        "numbers 3+(d+1)//3 (3..6); target built from 2+d//2 of them (size); up to 99 (d1-3) "
        "or 999; large numbers from d4"
    )
    equivalents = {"reasoning_gym": "countdown"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        shown, used, top = _shape(difficulty)
        for _attempt in range(200):
            numbers = [rng.randint(1, 10) for _ in range(shown)]
            if difficulty >= 4:
                numbers[0] = rng.choice(LARGE)
            picked = rng.sample(numbers, used)
            built = _random_expression(rng, picked)
            if built and built[0].denominator == 1 and 10 <= built[0] <= top:
                if built[0] not in numbers:
                    target, gold = int(built[0]), built[1]
                    break
        else:  # bounded fallback: the sum of the picked numbers
            target, gold = sum(picked), " + ".join(map(str, picked))
        numbers.sort()
        question = (
            f"Numbers: {', '.join(map(str, numbers))}\nTarget: {target}\n\n"
            "Write an arithmetic expression equal to the target using some of the numbers above, "
            "each at most as often as it is listed, combined with + - * / and parentheses. "
            "Division must be exact at the end (fractions may appear in between); no other "
            "numbers, no unary minus, no joining digits.\n"
            "Answer with the expression only, for example (with other numbers) "
            "`(6 + 4) * 25`.\nPut your final answer inside <answer></answer>."
        )
        return make_task(question, gold, used, numbers=numbers, target=target)

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer.strip().rstrip(".")
        if "=" in text:
            text = text.split("=", 1)[0]
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
        if used - given:
            return Verdict.incorrect(f"numbers not available: {sorted((used - given).elements())}")
        try:
            value = evaluate(tree, text.strip())
        except ExprError as exc:
            return Verdict.incorrect(f"cannot evaluate: {exc}")
        if value != Fraction(int(task.metadata["target"])):
            return Verdict.incorrect(f"value {value} is not {task.metadata['target']}")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
