"""Shared readers and prompt pieces of the small arithmetic, algebra and algorithmic families.

Not a family (the leading underscore keeps discovery from importing it as one). Every reader is
strict about the asked form and bounded: it looks at a capped prefix of the text and returns None
for anything it cannot read, never raises.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeVar

from gymhub.types import Task, Verdict

ANSWER_HINT = "Put your final answer inside <answer></answer>."
MAX_READ = 20_000
_SIGNS = str.maketrans({"−": "-", "–": "-", "—": "-"})
_INT = re.compile(r"[-+]?\d{1,60}")
_NUMBER = re.compile(r"[-+]?(?:\d{1,60}(?:\.\d{0,60})?|\.\d{1,60})(?:/[-+]?\d{1,60})?")
_SEP = re.compile(r"[\s,;]+")
T = TypeVar("T")


def ask(body: str, form: str) -> str:
    """The question: the task, then the exact answer form (with an example of the form)."""
    return f"{body}\n\n{form} {ANSWER_HINT}"


def clean(text: str) -> str:
    return text[:MAX_READ].translate(_SIGNS).strip()


def strip_brackets(text: str) -> str:
    """`[1, 2, 3]` -> `1, 2, 3` (one pair of outer brackets, and a final period, tolerated)."""
    text = text.strip().rstrip(".").strip()
    if len(text) >= 2 and text[0] + text[-1] in ("[]", "()", "{}"):
        text = text[1:-1].strip()
    return text


def tokens(text: str) -> list[str]:
    text = strip_brackets(clean(text))
    return [t for t in _SEP.split(text) if t]


def read_int(text: str) -> int | None:
    """One integer (sign, thousands commas, `.0` and a final period allowed)."""
    text = clean(text).rstrip(".").strip()
    if re.fullmatch(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d{1,60})(?:\.0+)?", text) is None:
        return None
    return int(text.replace(",", "").split(".")[0])


def read_number(text: str) -> Fraction | None:
    """One exact number: an integer, a decimal (`-0.25`, `1,234.5`) or a fraction (`3/4`); None
    otherwise."""
    text = clean(text)
    if text.endswith(".") and "." in text[:-1]:
        text = text[:-1]
    if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d{1,60})?", text):
        text = text.replace(",", "")  # thousands separators in one number
    if _NUMBER.fullmatch(text) is None:
        return None
    try:
        if "/" in text:
            num, den = text.split("/")
            if int(den) == 0:
                return None
            return Fraction(Decimal(num)) / int(den)
        return Fraction(Decimal(text))
    except (InvalidOperation, ValueError, ZeroDivisionError):
        return None


def read_int_list(text: str, max_items: int = 5_000) -> list[int] | None:
    """Integers separated by commas, semicolons or whitespace (outer brackets allowed)."""
    items = tokens(text)
    if not items or len(items) > max_items or not all(_INT.fullmatch(t) for t in items):
        return None
    return [int(t) for t in items]


def read_number_list(text: str, max_items: int = 5_000) -> list[Fraction] | None:
    items = tokens(text)
    if not items or len(items) > max_items:
        return None
    out = []
    for item in items:
        value = read_number(item)
        if value is None:
            return None
        out.append(value)
    return out


def read_words(text: str, max_items: int = 5_000) -> list[str] | None:
    """Words (letters only, case folded) separated by commas, semicolons or whitespace."""
    items = tokens(text)
    if not items or len(items) > max_items or not all(re.fullmatch(r"[A-Za-z]+", t) for t in items):
        return None
    return [t.lower() for t in items]


def _read_rows(
    text: str, read_row: Callable[[str], list[T] | None], max_cells: int
) -> list[list[T]] | None:
    """Lines read by `read_row` (spaces, commas or `|` between values; brackets around a row
    allowed; blank lines skipped); None when a line cannot be read or past `max_cells`."""
    rows = []
    cells = 0  # counted as rows come: a sum over all rows per line was quadratic in the lines
    for line in clean(text).splitlines():
        line = line.replace("|", " ").strip().strip(",").strip().strip("[]").strip()
        if not line:
            continue
        row = read_row(line)
        if row is None:
            return None
        rows.append(row)
        cells += len(row)
        if cells > max_cells:
            return None
    return rows or None


def read_int_grid(text: str, max_cells: int = 10_000) -> list[list[int]] | None:
    """Lines of integers (spaces, commas or `|` between them; brackets around a row allowed)."""
    return _read_rows(text, read_int_list, max_cells)


def read_bool(text: str) -> bool | None:
    word = clean(text).rstrip(".").strip().lower()
    if word in ("true", "yes"):
        return True
    if word in ("false", "no"):
        return False
    return None


def fraction_text(value: Fraction) -> str:
    """`3`, `-3/4`: the canonical written form of an exact rational."""
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def expect_int(answer: str, gold: int, what: str = "the answer") -> Verdict:
    """The verdict of a one-integer answer against the value the rules give."""
    value = read_int(answer)
    if value is None:
        if re.search(r"\d\s*[-+*/×÷^(]|[)]\s*\d", answer[:200]):
            return Verdict.incorrect("an expression is not a value: give the number")
        return Verdict.unparseable("expected one integer")
    if value != gold:
        return Verdict.incorrect(f"{value} is not {what}")
    return Verdict.correct()


def expect_number(answer: str, gold: Fraction, what: str = "one decimal number") -> Verdict:
    """The verdict of a one-exact-number answer (`read_number`: any equal decimal or fraction
    scores) against the value the rules give; `what` is the form asked for."""
    value = read_number(answer)
    if value is None:
        return Verdict.unparseable(f"expected {what}")
    return Verdict.correct() if value == gold else Verdict.incorrect("wrong value")


def expect_bool(answer: str, gold: bool) -> Verdict:
    value = read_bool(answer)
    if value is None:
        return Verdict.unparseable("expected True or False")
    return Verdict.correct() if value == gold else Verdict.incorrect("wrong truth value")


def read_packed_digits(text: str, widths: list[int]) -> list[list[int]] | None:
    """A grid of one-digit cells written without spaces (`0110` a line), one line per row of
    the given widths; None unless every line is exactly its row's run of digits."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) != len(widths) or any(
        not (line.isascii() and line.isdigit()) or len(line) != width
        for line, width in zip(lines, widths)
    ):
        return None
    return [[int(ch) for ch in line] for line in lines]


def expect_grid(answer: str, gold: list[list[int]]) -> Verdict:
    grid = read_int_grid(answer)
    widths = [len(r) for r in gold]
    if (grid is None or [len(r) for r in grid] != widths) and all(
        0 <= v <= 9 for row in gold for v in row
    ):  # one-digit cells may be written without spaces, as Life boards often are
        grid = read_packed_digits(answer, widths) or grid
    if grid is None:
        return Verdict.unparseable("expected lines of integers")
    if [len(r) for r in grid] != [len(r) for r in gold]:
        return Verdict.incorrect("wrong shape")
    wrong = sum(a != b for ra, rb in zip(grid, gold) for a, b in zip(ra, rb))
    return Verdict.correct() if wrong == 0 else Verdict.incorrect(f"{wrong} wrong cells")


def example_int(rng: random.Random, gold: int, low: int, high: int) -> int:
    """A random example value in low..high for the answer-format line that is never the gold
    (a fixed example would sometimes be the answer, and copying the question back would pay)."""
    while True:
        value = rng.randint(low, high)
        if value != gold:
            return value


def examples_besides(gold: object, *choices: str, count: int = 1) -> list[str]:
    """The first `count` of `choices` that are not the gold (compared as text, case and
    whitespace ignored), for a question's fixed format example: an example that is the answer
    would pay for copying the question back. `choices` must hold `count` + 1 distinct values."""
    if len(set(choices)) < count + 1:
        raise ValueError("examples_besides needs count + 1 distinct choices")
    key = re.sub(r"\s+", "", str(gold)).lower()
    return [c for c in choices if re.sub(r"\s+", "", c).lower() != key][:count]


def _item_key(item: object) -> object:
    text = re.sub(r"\s+", "", str(item)).lower()
    try:
        return Fraction(Decimal(text))
    except (InvalidOperation, ValueError, ArithmeticError):
        return text


def example_list_besides(gold: list[Any], *choices: str, ordered: bool = True) -> str:
    """The first of `choices` (items separated by commas) of which no part is the gold list: not
    the whole, not one item, not a run of items (`ordered`), or not any selection of items in
    any order (an answer read in any order). Copying half of a list example (`2` of `2, 9`) must
    not pay any more than copying all of it. Numbers compare by value (`10` = `10.0`)."""
    if not isinstance(gold, list):
        raise TypeError(f"gold must be a list, got {type(gold).__name__}")
    key = [_item_key(x) for x in gold]
    if not ordered:
        key = sorted(key, key=repr)
    for choice in choices:
        items = [_item_key(x) for x in choice.split(",")]
        if ordered:
            parts = [items[i:j] for i in range(len(items)) for j in range(i + 1, len(items) + 1)]
        else:
            parts = [
                sorted((items[i] for i in range(len(items)) if mask >> i & 1), key=repr)
                for mask in range(1, 2 ** len(items))
            ]
        if key not in parts:
            return choice
    raise ValueError("every choice has a part that is the gold list")


def swap_paid_example(family: Any, task: Task, shown: str, *others: str) -> Task:
    """`task` with its question's format example `` `shown` `` replaced by the first of `others`
    that `family.check` does not accept, when `shown` itself is a right answer: for families with
    several right answers, where comparing the example with the gold is not enough."""
    if family.check(task, shown).status != "correct":
        return task
    for other in others:
        if family.check(task, other).status != "correct":
            task.question = task.question.replace(f"`{shown}`", f"`{other}`", 1)
            break
    return task


def example_decimal(rng: random.Random, gold: Fraction, places: int = 2) -> str:
    """A random signed decimal with `places` decimals that is not equal to `gold`."""
    while True:
        text = f"{rng.choice('-+').strip('+')}{rng.randint(1, 99)}.{rng.randint(1, 10**places - 1):0{places}d}"
        if Fraction(Decimal(text)) != gold:
            return text


def read_number_grid(text: str, max_cells: int = 10_000) -> list[list[Fraction]] | None:
    """Lines of exact numbers (integers, decimals or `a/b`), separated like `read_int_grid`."""
    return _read_rows(text, read_number_list, max_cells)
