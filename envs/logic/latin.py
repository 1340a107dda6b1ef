"""Latin-square helpers shared by sudoku, futoshiki, skyscrapers and calcudoku: random squares
built constructively from the given rng, and a rule check for a filled grid."""

from __future__ import annotations

import random
from collections.abc import Callable

from gymhub.envs.logic.grids import read_digit_grid
from gymhub.types import Verdict


def random_latin_square(rng: random.Random, n: int) -> list[list[int]]:
    """An n x n Latin square over 1..n: a cyclic square with rows, columns and symbols shuffled.
    Constructive (no rejection loop), so it costs O(n^2) at any size."""
    rows = list(range(n))
    cols = list(range(n))
    symbols = list(range(1, n + 1))
    rng.shuffle(rows)
    rng.shuffle(cols)
    rng.shuffle(symbols)
    return [[symbols[(rows[r] + cols[c]) % n] for c in range(n)] for r in range(n)]


def is_latin(grid: list[list[int]], n: int) -> str | None:
    """None when every row and column holds 1..n exactly once, else the first violation."""
    want = set(range(1, n + 1))
    for r in range(n):
        if set(grid[r]) != want:
            return f"row {r + 1} does not hold 1..{n} exactly once"
    for c in range(n):
        if {grid[r][c] for r in range(n)} != want:
            return f"column {c + 1} does not hold 1..{n} exactly once"
    return None


def givens_kept(grid: list[list[int]], puzzle: list[list[int]]) -> str | None:
    """None when every given (non-zero) cell of `puzzle` is unchanged in `grid`."""
    for r, row in enumerate(puzzle):
        for c, v in enumerate(row):
            if v and grid[r][c] != v:
                return f"the given {v} at row {r + 1}, column {c + 1} was changed"
    return None


def check_square(
    answer: str,
    n: int,
    givens: list[list[int]],
    rule: Callable[[list[list[int]]], str | None],
) -> Verdict:
    """The verdict of an n x n Latin-square answer: unparseable unless exactly n*n digits are
    read; else the first broken rule among the givens, the rows and columns, then the puzzle's
    own `rule` (the description of its first unmet clue, or None)."""
    grid = read_digit_grid(answer, n)
    if grid is None:
        return Verdict.unparseable(f"expected {n}x{n} = {n * n} digits")
    problem = givens_kept(grid, givens) or is_latin(grid, n) or rule(grid)
    return Verdict.incorrect(problem) if problem else Verdict.correct()
