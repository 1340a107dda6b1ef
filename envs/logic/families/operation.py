"""Operation: evaluate an expression built from newly defined operators.

Each operator symbol gets a definition in terms of its operands a and b (a polynomial such as
`2a + b - 3`, or from d6 a case split such as "a - b if a >= b, otherwise a + 2b"). The verifier
evaluates the stored expression tree with the stored definitions itself and compares the value;
the answer must be one integer (an expression still to be evaluated is not the value).
"""

from __future__ import annotations

import random
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.arithmetic_chain import read_integer
from gymhub.types import Task, Verdict

SYMBOLS = ["⊕", "⊗", "⊙", "△"]
MAX_ABS = 20_000
CONDITIONS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}
MAX_DEPTH = 12


def _poly(terms: list[int], a: int, b: int) -> int:
    ca, cb, cab, c0 = terms
    return ca * a + cb * b + cab * a * b + c0


def apply(definition: dict[str, Any], a: int, b: int) -> int:
    """The value of `a op b` under `definition` ({"terms": [ca, cb, cab, c0]} or
    {"if": cond, "then": terms, "else": terms})."""
    if "terms" in definition:
        return _poly(definition["terms"], a, b)
    branch = "then" if CONDITIONS[definition["if"]](a, b) else "else"
    return _poly(definition[branch], a, b)


def evaluate(node: Any, definitions: dict[str, Any], depth: int = 0) -> int:
    """Value of an expression tree: an int, or [symbol, left, right]."""
    if isinstance(node, int):
        return node
    if depth > MAX_DEPTH or not isinstance(node, list) or len(node) != 3:
        raise ValueError("malformed expression tree")
    symbol, left, right = node
    return apply(
        definitions[symbol],
        evaluate(left, definitions, depth + 1),
        evaluate(right, definitions, depth + 1),
    )


def _poly_text(terms: list[int]) -> str:
    parts = []
    for coef, var in zip(terms, ("a", "b", "a*b", ""), strict=True):
        if coef == 0:
            continue
        mag = abs(coef)
        body = var if var and mag == 1 else f"{mag}{'*' + var if var else ''}"
        parts.append(("- " if coef < 0 else "+ ") + body)
    text = " ".join(parts) or "+ 0"
    return text[2:] if text.startswith("+ ") else "-" + text[2:]


def _definition_text(symbol: str, definition: dict[str, Any]) -> str:
    if "terms" in definition:
        return f"a {symbol} b = {_poly_text(definition['terms'])}"
    cond = {">=": "a >= b", ">": "a > b", "<": "a < b"}[definition["if"]]
    return (
        f"a {symbol} b = {_poly_text(definition['then'])} if {cond}, "
        f"otherwise {_poly_text(definition['else'])}"
    )


def _expression_text(node: Any, top: bool = True) -> str:
    if isinstance(node, int):
        return str(node)
    text = f"{_expression_text(node[1], False)} {node[0]} {_expression_text(node[2], False)}"
    return text if top else f"({text})"


def _terms(rng: random.Random, product: bool) -> list[int]:
    terms = [rng.randint(-3, 3), rng.randint(-3, 3), 0, rng.randint(-5, 5)]
    if product and rng.random() < 0.5:
        terms[2] = rng.choice([-1, 1])
    if terms[0] == 0 and terms[1] == 0 and terms[2] == 0:
        terms[0] = rng.choice([1, 2])
    return terms


def _tree(rng: random.Random, ops: int, symbols: list[str]) -> Any:
    if ops == 0:
        return rng.randint(1, 9)
    left = rng.randint(0, ops - 1)
    return [rng.choice(symbols), _tree(rng, left, symbols), _tree(rng, ops - 1 - left, symbols)]


@register_family
class Operation(LogicFamily):
    """Evaluate an expression over operators defined in the question.

    Difficulty d sets the operator applications d (1..10, size), the operators defined
    1 + (d-1)//3 (1..4), products a*b in definitions from d3, and case-split definitions from d6.
    Reward 1/0.
    """

    name = "operation"
    title = "Operation"
    description = "Evaluate an expression over custom operators defined in the question."
    difficulty_doc = (
        "operator applications d (1..10); operators 1+(d-1)//3 (1..4); a*b terms from d3; "
        "case-split definitions from d6"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        symbols = SYMBOLS[: 1 + (difficulty - 1) // 3]
        for _ in range(200):
            definitions: dict[str, Any] = {}
            for symbol in symbols:
                if difficulty >= 6 and rng.random() < 0.5:
                    definitions[symbol] = {
                        "if": rng.choice(sorted(CONDITIONS)),
                        "then": _terms(rng, difficulty >= 3),
                        "else": _terms(rng, difficulty >= 3),
                    }
                else:
                    definitions[symbol] = {"terms": _terms(rng, difficulty >= 3)}
            tree = _tree(rng, difficulty, symbols)
            value = evaluate(tree, definitions)
            if abs(value) <= MAX_ABS:
                break
        rules = "\n".join(_definition_text(s, definitions[s]) for s in symbols)
        question = (
            "New operators are defined for integers a and b (`*` is ordinary multiplication):\n"
            f"{rules}\n\n"
            f"Evaluate: {_expression_text(tree)}\n\n"
            "Parentheses are evaluated first. Answer with the final value as one integer (it may "
            "be negative), for example -12.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, value, difficulty, definitions=definitions, tree=tree)

    def check(self, task: Task, answer: str) -> Verdict:
        given = read_integer(answer[:100])
        if given is None:
            return Verdict.unparseable("expected one integer")
        if given != evaluate(task.metadata["tree"], task.metadata["definitions"]):
            return Verdict.incorrect("wrong value")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        value = evaluate(task.metadata["tree"], task.metadata["definitions"])
        return [str(value + 1), str(value - 1), str(-value if value else 7)]

    def secret_strings(self, task: Task) -> list[str]:
        return []  # a short integer may occur in the question by chance

    def format_answer(self, task: Task) -> str:
        return str(evaluate(task.metadata["tree"], task.metadata["definitions"]))
