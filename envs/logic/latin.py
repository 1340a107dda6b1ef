"""Latin-square helpers shared by sudoku, futoshiki, skyscrapers and calcudoku: random squares
built constructively from the given rng, and a rule check for a filled grid."""

from __future__ import annotations

import random


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
