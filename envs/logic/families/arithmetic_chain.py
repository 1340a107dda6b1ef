"""Multi-step arithmetic chains, plus the safe expression reader other families share.

A value answer (here: the final result) is one integer literal: an expression that restates the
steps is not the value asked for. Answers that are expressions by design (Game of 24) are parsed
with `ast` into a whitelist of number and + - * / nodes and evaluated exactly with
`fractions.Fraction`, never `eval`; length, depth and magnitudes are capped.
"""

from __future__ import annotations

import ast
import random
import re
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

MAX_EXPR_CHARS = 400
MAX_EXPR_DEPTH = 40
_MAX_ABS = 10**30
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_SYMBOLS = str.maketrans({"×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "x": "*", "X": "*"})


class ExprError(ValueError):
    """The text is not an arithmetic expression we are willing to evaluate."""


def parse_expression(text: str) -> ast.expr:
    """Parse `text` into an AST holding only numbers, + - * / and (optionally) unary minus.

    Raises ExprError for anything else (names, calls, powers, huge or deeply nested input)."""
    if not isinstance(text, str):
        raise ExprError("not a string")
    text = text.translate(_SYMBOLS).strip()
    if not text:
        raise ExprError("empty expression")
    if len(text) > MAX_EXPR_CHARS:
        raise ExprError(f"expression longer than {MAX_EXPR_CHARS} characters")
    if not re.fullmatch(r"[0-9+\-*/().\s]+", text):
        raise ExprError("only digits, + - * / and parentheses are allowed")
    if "**" in text or "//" in text:
        raise ExprError("only + - * / are allowed")
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth > MAX_EXPR_DEPTH:
            raise ExprError("expression nested too deeply")
    try:
        tree = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ExprError(f"not a valid expression: {exc.__class__.__name__}") from None
    _check_nodes(tree, 0)
    return tree


def _check_nodes(node: ast.AST, depth: int) -> None:
    if depth > MAX_EXPR_DEPTH * 2:
        raise ExprError("expression nested too deeply")
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        _check_nodes(node.left, depth + 1)
        _check_nodes(node.right, depth + 1)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check_nodes(node.operand, depth + 1)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    else:
        raise ExprError(f"{type(node).__name__} is not allowed")


def _number(node: ast.Constant, source: str) -> Fraction:
    # Read the literal from its source text so that 0.1 is exactly 1/10, not a binary float.
    literal = ast.get_source_segment(source, node) or str(node.value)
    try:
        value = Fraction(literal.strip())
    except (ValueError, ZeroDivisionError):
        raise ExprError(f"bad number {literal!r}") from None
    if abs(value) > _MAX_ABS:
        raise ExprError("number too large")
    return value


def evaluate(tree: ast.expr, source: str = "") -> Fraction:
    """Exact value of a tree from `parse_expression`. Raises ExprError (division by zero,
    overflow of the magnitude cap)."""
    if isinstance(tree, ast.Constant):
        return _number(tree, source)
    if isinstance(tree, ast.UnaryOp):
        return -evaluate(tree.operand, source)
    assert isinstance(tree, ast.BinOp)
    left, right = evaluate(tree.left, source), evaluate(tree.right, source)
    op = type(tree.op)
    if op is ast.Add:
        out = left + right
    elif op is ast.Sub:
        out = left - right
    elif op is ast.Mult:
        out = left * right
    else:
        if right == 0:
            raise ExprError("division by zero")
        out = left / right
    if abs(out.numerator) > _MAX_ABS or out.denominator > _MAX_ABS:
        raise ExprError("intermediate value too large")
    return out


def safe_value(text: str) -> Fraction:
    """Parse and evaluate in one go; `text` is read as written (after symbol normalisation)."""
    source = text.translate(_SYMBOLS).strip()
    return evaluate(parse_expression(source), source)


def literals(tree: ast.expr) -> list[ast.Constant]:
    """The number literals of a parsed expression, left to right."""
    out: list[ast.Constant] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant):
            out.append(node)
        elif isinstance(node, ast.BinOp):
            stack.extend((node.right, node.left))
        elif isinstance(node, ast.UnaryOp):
            stack.append(node.operand)
    return out


_INTEGER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d{1,40})(?:\.0+)?")


def read_integer(text: str) -> int | None:
    """A value answer: one integer literal (sign, thousands commas and `.0` allowed, a final
    period ignored), or None. An expression still to be evaluated (`9*2+3`) is not a value."""
    text = text.strip().replace("−", "-").rstrip(".").strip()
    if not _INTEGER.fullmatch(text):
        return None
    return int(text.replace(",", "").split(".")[0])


def expect_integer(answer: str, gold: int, what: str) -> Verdict:
    """The verdict of a one-whole-number answer (`read_integer`, first 100 characters) against
    the value the rules give; `what` names that value in the message ("the count")."""
    value = read_integer(answer[:100])
    if value is None:
        return Verdict.unparseable("expected one whole number")
    if value != gold:
        return Verdict.incorrect(f"{value} is not {what}")
    return Verdict.correct()


# ----- the family -------------------------------------------------------------------------------

_STEP_WORDS = {"+": "add {n}", "-": "subtract {n}", "*": "multiply by {n}", "/": "divide by {n}"}


def _steps_for(difficulty: int) -> int:
    return 2 + 2 * difficulty  # 4 .. 22 operations


@register_family
class ArithmeticChain(LogicFamily):
    """Start from a number and apply a chain of + - * / operations in order; give the result.

    Difficulty d sets the chain length to 2 + 2*d operations (4 at d=1, 22 at d=10) and widens the
    operands (up to 9 at d=1, up to 10*d+9 at d=10); from d=6 some steps say "the result of step k"
    instead of a number, so earlier values must be kept. Divisions always divide exactly, so every
    intermediate value is an integer. size = number of operations. Reward 1/0.
    """

    name = "arithmetic_chain"
    title = "ArithmeticChain"
    description = "Multi-step arithmetic: apply a chain of + - * / steps to a start value."
    difficulty_doc = (
        "chain length 2+2d operations (4..22); operand range grows to 10d+9; from d=6 some steps "
        "reuse an earlier intermediate result"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        steps = _steps_for(difficulty)
        high = 9 if difficulty <= 1 else 10 * difficulty + 9
        for _attempt in range(20):
            value = rng.randint(1, high)
            history = [value]
            lines = []
            for i in range(steps):
                op = rng.choice("+-*/")
                ref = None
                if difficulty >= 6 and i >= 2 and rng.random() < 0.25:
                    ref = rng.randrange(0, i)  # index into history (0 = the start value)
                if op == "/":
                    divisors = [k for k in range(2, 13) if value % k == 0 and value != 0]
                    if not divisors:
                        op = rng.choice("+-")
                    else:
                        n = rng.choice(divisors)
                        ref = None
                if op == "*":
                    n = rng.randint(2, 9 if difficulty < 8 else 12)
                    if abs(value) > 10**6:
                        op = "-"
                        ref = None
                if op in "+-":
                    n = history[ref] if ref is not None else rng.randint(1, high)
                value = {
                    "+": value + n,
                    "-": value - n,
                    "*": value * n,
                    "/": value // n if op == "/" else 0,
                }[op]
                history.append(value)
                if ref is not None and op in "+-":
                    what = "the start value" if ref == 0 else f"the result of step {ref}"
                    verb = "add" if op == "+" else "subtract"
                    lines.append(f"Step {i + 1}: {verb} {what}.")
                else:
                    lines.append(f"Step {i + 1}: {_STEP_WORDS[op].format(n=n)}.")
            question = (
                f"Start with the number {history[0]}. Apply the following steps in order, each to "
                "the result of the previous step:\n"
                + "\n".join(lines)
                + "\n\nWhat is the final result? Answer with a single integer (it may be negative), "
                "for example <answer>-15</answer>. Put your final answer inside <answer></answer>."
            )
            if not re.search(rf"(?<!\w){re.escape(str(value))}(?!\w)", question):
                break
        return make_task(question, value, steps, steps=steps, start=history[0])

    def check(self, task: Task, answer: str) -> Verdict:
        value = read_integer(answer)
        if value is None:
            if re.search(r"\d\s*[-+*/×÷x(]|[)]\s*\d", answer):
                return Verdict.incorrect("an expression is not the result: give its value")
            return Verdict.unparseable("expected a single integer")
        if value == int(task.answer):
            return Verdict.correct()
        return Verdict.incorrect(f"{value} is not the result")

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
