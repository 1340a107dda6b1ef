"""Boolean expressions: evaluate several expressions over True/False with not/and/or (and xor at
high difficulty).

Expressions are stored as trees in the metadata and re-evaluated by the verifier. Several
expressions per task keep the chance of guessing all of them low (1/16 for four).
"""

from __future__ import annotations

import random
import re
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

COUNT = 4  # expressions per task
_VALUE = re.compile(r"\b(true|false|t|f|1|0|yes|no)\b", re.I)
_NUMBERING = re.compile(r"(?:^|(?<=[\s,;]))(?:expression\s*)?\(?\d+\s*[.):]\s+", re.I)
_HEDGE_WORDS = frozenset({"or", "and", "not", "xor", "either", "maybe", "both", "nor"})


def _literals(difficulty: int) -> int:
    return 1 + 2 * difficulty  # literals per expression: 3..21


def build(rng: random.Random, leaves: int, ops: list[str]) -> Any:
    """A random tree with `leaves` literals: bool | ["not", t] | [op, l, r]."""
    if leaves == 1:
        node: Any = rng.random() < 0.5
    else:
        left = rng.randint(1, leaves - 1)
        node = [rng.choice(ops), build(rng, left, ops), build(rng, leaves - left, ops)]
    if rng.random() < 0.25:
        node = ["not", node]
    return node


def value(node: Any) -> bool:
    if isinstance(node, bool):
        return node
    if node[0] == "not":
        return not value(node[1])
    a, b = value(node[1]), value(node[2])
    return {"and": a and b, "or": a or b, "xor": a != b}[node[0]]


def render(node: Any, top: bool = True) -> str:
    """Fully parenthesised text (precedence never matters)."""
    if isinstance(node, bool):
        return str(node)
    if node[0] == "not":
        return f"not {render(node[1], False)}"
    text = f"{render(node[1], False)} {node[0]} {render(node[2], False)}"
    return text if top else f"({text})"


@register_family
class BooleanExpressions(LogicFamily):
    """Evaluate four Boolean expressions; answer their values in order.

    Difficulty d sets the literals per expression to 1 + 2d (3 at d=1, 21 at d=10), nesting with
    it; from d=6 the operator xor joins not/and/or. Every expression is fully parenthesised, so
    precedence never decides. size = literals per expression. Reward 1/0 (all four right).
    """

    name = "boolean_expressions"
    title = "BooleanExpressions"
    description = "Evaluate Boolean expressions built from True/False with not/and/or/xor."
    difficulty_doc = "literals per expression 1+2d (3..21), four expressions; xor from d6"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        leaves = _literals(difficulty)
        ops = ["and", "or"] + (["xor"] if difficulty >= 6 else [])
        trees = [build(rng, leaves, ops) for _ in range(COUNT)]
        values = [value(t) for t in trees]
        listing = "\n".join(f"{i + 1}. {render(t)}" for i, t in enumerate(trees))
        question = (
            "Evaluate each Boolean expression below. 'not' negates, 'and' is true when both sides "
            "are, 'or' when at least one side is"
            + (", 'xor' when exactly one side is" if "xor" in ops else "")
            + "; 'not' applies only to the value or parenthesised group right after it.\n"
            f"{listing}\n\n"
            f"Answer with the {COUNT} values in order, separated by commas, for example (for "
            "two expressions) <answer>False, True</answer>. Put your final answer inside "
            "<answer></answer>."
        )
        return make_task(question, values, leaves, expressions=trees)

    def check(self, task: Task, answer: str) -> Verdict:
        text = _NUMBERING.sub(" ", answer[:2000])
        found = [t.strip("()*\"'`.") for t in re.findall(r"[^\s,;]+", text)]
        found = [t for t in found if t]
        if not found:
            return Verdict.unparseable("no True/False values found")
        others = [t for t in found if not _VALUE.fullmatch(t)]
        if any(t.lower() in _HEDGE_WORDS or "/" in t for t in others):
            return Verdict.incorrect("each answer must be one value, not a choice or an expression")
        if others:
            return Verdict.unparseable(f"expected only True/False values, got {others[0][:20]!r}")
        got = [w.lower() in ("true", "t", "1", "yes") for w in found]
        truth = [value(t) for t in task.metadata["expressions"]]
        if len(got) != len(truth):
            return Verdict.incorrect(f"{len(got)} values for {len(truth)} expressions")
        wrong = [i + 1 for i, (g, v) in enumerate(zip(got, truth)) if g != v]
        if wrong:
            return Verdict.incorrect(f"wrong value for expression(s) {wrong}")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """One value flipped: first, middle, last."""
        out = []
        for i in sorted({0, len(task.answer) // 2, len(task.answer) - 1}):
            flipped = [(not v) if j == i else v for j, v in enumerate(task.answer)]
            out.append(", ".join(str(v) for v in flipped))
        return out

    def format_answer(self, task: Task) -> str:
        return ", ".join(str(v) for v in task.answer)
