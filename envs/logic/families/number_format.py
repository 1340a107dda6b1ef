"""Pick the largest or smallest of numbers written in different formats.

Numbers appear as plain decimals, with thousands separators, or in scientific notation. The
verifier reads the answer in any of these forms and checks that its value is the extreme of the
listed values (read exactly from their stored text).
"""

from __future__ import annotations

import random
import re
from decimal import Decimal, InvalidOperation

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, clean
from gymhub.types import Task, Verdict

_FORM = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d{1,40})(?:\.\d{1,40})?(?:[eE][-+]?\d{1,3})?")


def read_formatted(text: str) -> Decimal | None:
    text = clean(text).rstrip(".").strip() if clean(text).count(".") > 1 else clean(text)
    text = re.sub(r"\s*[x×]\s*10\^\s*([-+]?\d{1,3})", r"e\1", text)
    if _FORM.fullmatch(text) is None:
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def render(value: Decimal, style: int) -> str:
    if style == 1:
        whole, _, frac = f"{value:f}".partition(".")
        return f"{int(whole):,}" + (f".{frac}" if frac else "")
    if style == 2:
        return f"{value:e}".replace("e+", "e")
    return f"{value:f}"


@register_family
class NumberFormat(LogicFamily):
    """Which of 2+d numbers (3..12) is the largest / the smallest?

    Plain, comma-grouped and scientific forms are mixed; from d5 the values are close together
    (they share leading digits). Answer: the number, in any of the three forms. size = numbers.
    Reward 1/0.
    """

    name = "number_format"
    title = "NumberFormat"
    description = "Pick the largest or smallest of numbers written in different formats."
    difficulty_doc = "numbers 2+d (3..12); values share leading digits from d5; size = numbers"
    equivalents = {"reasoning_gym": "number_format"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 2 + difficulty
        center = rng.randint(10**3, 10**7)
        values: list[Decimal] = []
        while len(values) < count:
            spread = center if difficulty < 5 else max(10, center // 10 ** (difficulty // 2))
            cents = rng.randint(0, 99)
            value = Decimal(max(1, center + rng.randint(-spread, spread))) + Decimal(cents) / 100
            if value not in values:
                values.append(value)
        texts = [render(v, rng.randrange(3)) for v in values]
        largest = rng.random() < 0.5
        question = ask(
            f"Which of these numbers is the {'largest' if largest else 'smallest'}?\n"
            + "\n".join(texts),
            "Answer with that number (in any of the forms above), for example "
            "<answer>1,234.567</answer>.",
        )
        return make_task(question, "", count, numbers=texts, largest=largest)

    def _target(self, task: Task) -> Decimal:
        values = [Decimal(t.replace(",", "")) for t in task.metadata["numbers"]]
        return max(values) if task.metadata["largest"] else min(values)

    def check(self, task: Task, answer: str) -> Verdict:
        value = read_formatted(answer)
        if value is None:
            return Verdict.unparseable("expected one number")
        return (
            Verdict.correct()
            if value == self._target(task)
            else Verdict.incorrect("not the asked number")
        )

    def secret_strings(self, task: Task) -> list[str]:
        return []  # the answer is one of the listed numbers by design

    def format_answer(self, task: Task) -> str:
        return render(self._target(task), 0)
