"""Evaluate an expression with bitwise operators (& | ^ << >>) and + - on (hex) integers.

The stored expression is evaluated again with a whitelist `ast` evaluator (integer literals,
the listed operators, shifts of at most 16); the answer may be decimal or `0x` hexadecimal.
"""

from __future__ import annotations

import ast
import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, clean, example_int
from gymhub.types import Task, Verdict

_BINOPS = {
    ast.BitAnd: lambda a, b: a & b,
    ast.BitOr: lambda a, b: a | b,
    ast.BitXor: lambda a, b: a ^ b,
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.LShift: lambda a, b: a << b,
    ast.RShift: lambda a, b: a >> b,
}
_SYMBOL = {"&": "&", "|": "|", "^": "^", "+": "+", "-": "-"}


def bit_value(text: str) -> int:
    """Value of a generated expression (raises ValueError on anything outside the whitelist)."""

    def walk(node: ast.AST) -> int:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, (ast.LShift, ast.RShift)) and not 0 <= right <= 16:
                raise ValueError("shift out of range")
            return _BINOPS[type(node.op)](left, right)
        raise ValueError(f"{type(node).__name__} not allowed")

    return walk(ast.parse(text, mode="eval").body)


def read_int_any_base(text: str) -> int | None:
    text = clean(text).rstrip(".").strip().lower()
    match = re.fullmatch(r"(-?)\s*(0x[0-9a-f]{1,40}|\d{1,40})", text)
    if match is None:
        return None
    digits = match.group(2)  # `0021` is decimal 21 (base 0 would refuse the leading zeros)
    value = int(digits, 16) if digits.startswith("0x") else int(digits, 10)
    return -value if match.group(1) else value


def _operand(rng: random.Random, bits: int, hexa: bool) -> str:
    value = rng.randrange(1, 2**bits)
    return hex(value) if hexa and rng.random() < 0.6 else str(value)


@register_family
class BitwiseArithmetic(LogicFamily):
    """Evaluate e.g. `(0x3a & 29) << 2 ^ 7` with Python's operator rules.

    Operations 1+d (2..11) on 4+2d-bit operands (6..24 bits); shifts from d3, hexadecimal
    literals from d4, `+`/`-` mixed in from d6. Answer: one integer in decimal or as 0x hex.
    size = operations. Reward 1/0.
    """

    name = "bitwise_arithmetic"
    title = "BitwiseArithmetic"
    description = "Evaluate an expression with & | ^ << >> and + - on integers."
    difficulty_doc = "operations 1+d (2..11), operands of 4+2d bits; shifts from d3, hex from d4, + - from d6; size = operations"
    equivalents = {"reasoning_gym": "bitwise_arithmetic"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        ops = (
            ["&", "|", "^"]
            + (["<<", ">>"] if difficulty >= 3 else [])
            + (["+", "-"] if difficulty >= 6 else [])
        )
        bits, hexa = 4 + 2 * difficulty, difficulty >= 4
        text = _operand(rng, bits, hexa)
        for _ in range(1 + difficulty):
            op = rng.choice(ops)
            if op in ("<<", ">>"):
                text = f"({text} {op} {rng.randint(1, 4)})"
            elif rng.random() < 0.7:
                text = f"({text} {op} {_operand(rng, bits, hexa)})"
            else:
                text = f"({_operand(rng, bits, hexa)} {op} {text})"
        text = text[1:-1]
        question = ask(
            f"Evaluate {text} using Python's integer semantics (& and, | or, ^ xor, << and >> "
            "shifts; numbers are arbitrary-precision two's complement integers).",
            "Answer with one integer, in decimal or as hexadecimal with 0x, for example "
            f"<answer>-{hex(example_int(rng, -bit_value(text), 16, 255))}</answer> or <answer>{example_int(rng, bit_value(text), 100, 9999)}</answer>.",
        )
        return make_task(question, bit_value(text), 1 + difficulty, expression=text)

    def check(self, task: Task, answer: str) -> Verdict:
        value = read_int_any_base(answer)
        if value is None:
            return Verdict.unparseable("expected one integer (decimal or 0x hex)")
        gold = bit_value(task.metadata["expression"])
        return (
            Verdict.correct() if value == gold else Verdict.incorrect(f"{value} is not the value")
        )

    def format_answer(self, task: Task) -> str:
        return str(bit_value(task.metadata["expression"]))
