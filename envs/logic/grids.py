"""Tolerant readers and writers for grid-shaped answers, shared by the grid families.

Answers are read leniently (any whitespace or layout, optional separators such as `,` `|` `-`),
and every reader bounds its work so that hostile text cannot make it slow. Also the small grid
helpers several families share: orthogonal neighbours, connectivity, region labels.
"""

from __future__ import annotations

import re
import string

MAX_GRID_TEXT = 20_000
_FILLED = set("#1xX■█*@")
_EMPTY = set(".0_□·")


def read_numbers(text: str, count: int, single_digits: bool = True) -> list[int] | None:
    """Exactly `count` numbers from `text`, in reading order; None otherwise.

    With `single_digits` each digit is one value (so "123" and "1 2 3" both read as 1, 2, 3), as
    in grids of values 1..9; otherwise whole integers are read.
    """
    if not isinstance(text, str) or len(text) > MAX_GRID_TEXT:
        return None
    values = [int(c) for c in re.findall(r"\d" if single_digits else r"\d+", text)]
    return values if len(values) == count else None


def read_digit_grid(text: str, n: int, m: int | None = None) -> list[list[int]] | None:
    """An n x m grid of single-digit values, read in row-major order; None if the count is off."""
    m = n if m is None else m
    values = read_numbers(text, n * m)
    if values is None:
        return None
    return [values[r * m : (r + 1) * m] for r in range(n)]


def read_binary_grid(text: str, n: int, m: int | None = None) -> list[list[int]] | None:
    """An n x m grid of filled (1, #, X, ■) / empty (0, ., _) cells; other characters (spaces,
    commas, bars) are ignored. None unless exactly n*m cell symbols are found."""
    m = n if m is None else m
    if not isinstance(text, str) or len(text) > MAX_GRID_TEXT:
        return None
    cells = [1 if c in _FILLED else 0 for c in text if c in _FILLED or c in _EMPTY]
    if len(cells) != n * m:
        return None
    return [cells[r * m : (r + 1) * m] for r in range(n)]


# a cell named with its labels, row first: `r1c2`, `R1C2`, `row 1, col 2`, `row 1 column 2`
_LABELLED_CELL = re.compile(
    r"\br(\d+)\s*c(\d+)\b|\brow\s*(\d+)\s*,?\s*(?:col|column)\s*(\d+)\b", re.I
)


def read_pairs(text: str, limit: int = 1000) -> list[tuple[int, int]] | None:
    """`(r,c)` pairs (or `r c`, `r1c2`, `(row 1, col 2)`), separated by commas, semicolons,
    spaces or lines; None on any other word or symbol, an odd count, or more than `limit`
    pairs."""
    if not isinstance(text, str) or len(text) > MAX_GRID_TEXT:
        return None
    text = _LABELLED_CELL.sub(lambda m: " ".join(g for g in m.groups() if g) + " ", text)
    if re.search(r"[^\d\s(),;\[\]]", text):  # "or", "/", "maybe": a hedge, not a list
        return None
    numbers = re.findall(r"\d+", text)
    if not numbers or len(numbers) % 2 or len(numbers) > 2 * limit:
        return None
    if any(len(x) > 9 for x in numbers):  # no grid is that large; int() would refuse 4300 digits
        return None
    values = [int(x) for x in numbers]
    return [(values[i], values[i + 1]) for i in range(0, len(values), 2)]


def read_coordinates(text: str, limit: int = 1000) -> list[tuple[int, int]] | None:
    """A list of 1-based (row, column) pairs such as "(1,2), (3,4)" or "1 2; 3 4"; an empty
    answer like "none" gives []. None when the text holds anything else (a word such as "or"
    included) or too many pairs."""
    if not isinstance(text, str) or len(text) > MAX_GRID_TEXT:
        return None
    stripped = text.strip().lower().strip(".")
    if stripped in ("none", "empty", "[]", "()", "no presses", "nothing"):
        return []
    return read_pairs(text, limit)


def format_grid(grid: list[list[int]], sep: str = " ", symbols: str | None = None) -> str:
    """Rows on lines; `symbols` maps a value v to symbols[v] (e.g. ".#" for binary grids)."""
    if symbols is None:
        return "\n".join(sep.join(str(v) for v in row) for row in grid)
    return "\n".join(sep.join(symbols[v] for v in row) for row in grid)


_LABELS = string.ascii_uppercase + string.ascii_lowercase


def region_label(k: int) -> str:
    """The name of region (or cage) number k: A..Z, a..z, then a letter followed by a number."""
    return _LABELS[k] if k < len(_LABELS) else f"{_LABELS[k // len(_LABELS) - 1]}{k % 52}"


def format_coordinates(cells: list[tuple[int, int]]) -> str:
    return ", ".join(f"({r},{c})" for r, c in cells) if cells else "none"


Cell = tuple[int, int]


def orth(cell: Cell, n: int) -> list[Cell]:
    """The orthogonal neighbours of `cell` inside an n x n grid: up, down, left, right."""
    r, c = cell
    return [
        (rr, cc)
        for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1))
        if 0 <= rr < n and 0 <= cc < n
    ]


def connected(cells: list[Cell]) -> bool:
    """Whether `cells` form one orthogonally connected group; an empty list does not."""
    if not cells:
        return False
    pool = set(cells)
    seen = {cells[0]}
    stack = [cells[0]]
    while stack:
        r, c = stack.pop()
        for nb in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if nb in pool and nb not in seen:
                seen.add(nb)
                stack.append(nb)
    return len(seen) == len(cells)


def answer_lines(text: str) -> list[str]:
    """The non-blank lines of an answer, surrounding blank lines and outer whitespace dropped."""
    return [ln for ln in text.strip().splitlines() if ln.strip()]


def symbol_cells(line: str) -> list[str]:
    """The cell symbols of one line of a symbol grid: every character but whitespace and the
    separators `,` `|` and a backtick."""
    return [ch for ch in line if not ch.isspace() and ch not in ",|`"]
