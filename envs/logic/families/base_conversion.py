"""Base conversion: rewrite a number given in one base in another base.

The verifier reads the answer as a numeral of the target base (digits 0-9 then letters a-z,
case ignored) and compares its value with the value of the given numeral, both computed with
`int(text, base)`; a leading zero, a base prefix (`0x`) or a digit outside the base is refused.
"""

from __future__ import annotations

import random
import re
import string

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

DIGITS = string.digits + string.ascii_lowercase
_BASES = [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 16, 20, 36]
_NUMERAL = re.compile(r"\s*([0-9A-Za-z]+)\s*\.?\s*")


def to_base(value: int, base: int) -> str:
    out = ""
    while True:
        value, digit = divmod(value, base)
        out = DIGITS[digit] + out
        if value == 0:
            return out


@register_family
class BaseConversion(LogicFamily):
    """Convert a numeral from one base to another (bases 2..36, digits a-z above 9).

    Difficulty d sets the value range up to 2**(4 + 3d) (2**7 .. 2**34, size = bits) and the
    bases: decimal on one side up to d3, any two bases from d4. Reward 1/0.
    """

    name = "base_conversion"
    title = "BaseConversion"
    description = "Rewrite a number given in one base in another base."
    difficulty_doc = (
        "values up to 2^(4+3d) (7..34 bits); decimal on one side up to d3, any bases from d4"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        bits = 4 + 3 * difficulty
        value = rng.randrange(2 ** (bits - 1), 2**bits)
        if difficulty <= 3:
            other = rng.choice([b for b in _BASES if b != 10])
            source, target = (10, other) if rng.random() < 0.5 else (other, 10)
        else:
            source, target = rng.sample(_BASES, 2)
        numeral = to_base(value, source)
        question = (
            f"The number {numeral} is written in base {source}. Write it in base {target}. "
            "Digits above 9 are the letters a, b, c, ... (a = 10). Give only the numeral, without "
            "a prefix or leading zeros, for example `1a7` for the base-16 value of 423.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question, to_base(value, target), bits, numeral=numeral, source=source, target=target
        )

    def check(self, task: Task, answer: str) -> Verdict:
        match = _NUMERAL.fullmatch(answer[:200])
        if match is None:
            return Verdict.unparseable("expected one numeral")
        text = match.group(1).lower()
        target = int(task.metadata["target"])
        if any(DIGITS.index(ch) >= target for ch in text):
            return Verdict.incorrect(f"a digit outside base {target}")
        if len(text) > 1 and text[0] == "0":
            return Verdict.incorrect("leading zeros are not the asked form")
        if int(text, target) != int(task.metadata["numeral"], int(task.metadata["source"])):
            return Verdict.incorrect("wrong value")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        value = int(task.metadata["numeral"], int(task.metadata["source"]))
        return to_base(value, int(task.metadata["target"]))
