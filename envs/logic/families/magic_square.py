"""Magic square (Enigmata's grid task): complete a partly filled n x n square with the numbers
1..n^2, each once, so that every row, column and both main diagonals add up to the magic sum.

Squares are built from known constructions (the 3x3 Lo Shu square, the 4x4 doubly-even method,
and for 5x5/7x7 two orthogonal linear Latin squares) and then scrambled by transformations that
keep them magic: the eight symmetries of the square, the complement v -> n^2+1-v, and the same
reflection-symmetric permutation applied to rows and columns. The verifier checks the rules, so
any valid completion scores 1, not only the generator's square.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines
from gymhub.types import Task, Verdict

# (side, blanks) per difficulty 1..10
_SHAPES = ((3, 3), (3, 5), (4, 6), (4, 8), (4, 10), (5, 10), (5, 13), (5, 16), (7, 22), (7, 28))


def _linear(rng: random.Random, n: int) -> list[list[int]]:
    """n*A + B + 1 for linear Latin squares A, B (n prime >= 5): pandiagonal magic."""
    units = list(range(1, n))
    while True:
        a1, b1, a2, b2 = (rng.choice(units) for _ in range(4))
        ok = all(x % n for x in (a1 + b1, a1 - b1, a2 + b2, a2 - b2, a1 * b2 - a2 * b1))
        if ok:
            break
    c1, c2 = rng.randrange(n), rng.randrange(n)
    return [
        [n * ((a1 * i + b1 * j + c1) % n) + (a2 * i + b2 * j + c2) % n + 1 for j in range(n)]
        for i in range(n)
    ]


def _base(rng: random.Random, n: int) -> list[list[int]]:
    if n == 3:
        return [[2, 7, 6], [9, 5, 1], [4, 3, 8]]
    if n == 4:  # doubly-even method: complement the cells on the two diagonals
        return [
            [
                16 - (4 * i + j) if (i in (0, 3)) == (j in (0, 3)) else 4 * i + j + 1
                for j in range(4)
            ]
            for i in range(4)
        ]
    return _linear(rng, n)


def magic_square(rng: random.Random, n: int) -> list[list[int]]:
    square = _base(rng, n)
    for _ in range(rng.randrange(4)):  # rotate
        square = [list(row) for row in zip(*square[::-1])]
    if rng.random() < 0.5:
        square = [row[::-1] for row in square]
    if rng.random() < 0.5:
        square = [[n * n + 1 - v for v in row] for row in square]
    # a permutation commuting with i -> n-1-i, applied to rows and columns alike
    pairs = list(range(n // 2))
    rng.shuffle(pairs)
    perm = list(range(n))
    for k, p in enumerate(pairs):
        flip = rng.random() < 0.5
        perm[k], perm[n - 1 - k] = (n - 1 - p, p) if flip else (p, n - 1 - p)
    return [[square[perm[i]][perm[j]] for j in range(n)] for i in range(n)]


def violations(grid: list[list[int]], n: int) -> list[str]:
    target = n * (n * n + 1) // 2
    out = []
    if sorted(v for row in grid for v in row) != list(range(1, n * n + 1)):
        out.append(f"the numbers are not 1..{n * n} each exactly once")
    for i in range(n):
        if sum(grid[i]) != target:
            out.append(f"row {i + 1} sums to {sum(grid[i])}")
        col = sum(grid[r][i] for r in range(n))
        if col != target:
            out.append(f"column {i + 1} sums to {col}")
    if sum(grid[i][i] for i in range(n)) != target:
        out.append("the main diagonal does not sum to the magic sum")
    if sum(grid[i][n - 1 - i] for i in range(n)) != target:
        out.append("the anti-diagonal does not sum to the magic sum")
    return out


def read_int_grid(answer: str, n: int) -> list[list[int]] | None:
    """n lines of n whole numbers (spaces, commas or bars between them)."""
    lines = answer_lines(answer)
    if len(lines) != n or len(answer) > 20_000:
        return None
    grid = []
    for line in lines:
        cells = line.replace(",", " ").replace("|", " ").split()
        if len(cells) != n or not all(c.isdecimal() and len(c) <= 6 for c in cells):
            return None
        grid.append([int(c) for c in cells])
    return grid


@register_family
class MagicSquare(LogicFamily):
    """Fill the blanks of an n x n magic square (numbers 1..n^2, all lines and both diagonals
    summing to n(n^2+1)/2); any valid completion keeping the givens scores 1.

    Accepted: n lines of n whole numbers separated by spaces, commas or bars. Not accepted:
    `.` left in a cell, other line or number counts.
    """

    name = "magic_square"
    title = "MagicSquare"
    description = "Complete a magic square: numbers 1..n^2 once, all lines and diagonals equal."
    difficulty_doc = (
        "side x blanks: 3x3 (3, 5 blanks), 4x4 (6, 8, 10), 5x5 (10, 13, 16), 7x7 (22, 28) "
        "for d1..d10; size = blank cells"
    )
    equivalents = {"enigmata": "magic_square"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, blanks = _SHAPES[difficulty - 1]
        square = magic_square(rng, n)
        hidden = set(rng.sample(range(n * n), blanks))
        shown = [
            ["." if r * n + c in hidden else str(square[r][c]) for c in range(n)] for r in range(n)
        ]
        width = len(str(n * n))
        grid = "\n".join(" ".join(v.rjust(width) for v in row) for row in shown)
        magic = n * (n * n + 1) // 2
        question = (
            f"Complete this {n}x{n} magic square. Replace every '.' with a number so that the "
            f"square holds each of the numbers 1 to {n * n} exactly once and every row, every "
            f"column and both main diagonals add up to {magic}. Given numbers must not change.\n\n"
            f"{grid}\n\n"
            f"Answer with the completed square: {n} lines of {n} numbers separated by spaces "
            "(for example a line `8 1 6`), inside <answer></answer>."
        )
        givens = [
            [r, c, square[r][c]] for r in range(n) for c in range(n) if r * n + c not in hidden
        ]
        return make_task(question, square, blanks, n=n, givens=givens)

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = read_int_grid(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n} lines of {n} whole numbers")
        for r, c, v in task.metadata["givens"]:
            if grid[r][c] != v:
                return Verdict.incorrect(f"given number at ({r + 1},{c + 1}) was changed")
        problems = violations(grid, n)
        return Verdict.incorrect("; ".join(problems)) if problems else Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return "\n".join(" ".join(map(str, row)) for row in task.answer)
