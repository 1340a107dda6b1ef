"""Binario (Takuzu): fill a grid with 0 and 1 so that no three equal digits are adjacent in a
line, every row and column has as many 0s as 1s, and no two rows (or columns) are equal.

Difficulty sets the side (4 to 10, `size` = cells) and the share of cells removed; cells are
removed in random order only while a solver still finds a single solution.
"""

from __future__ import annotations

import random
from functools import cache

from gymhub.envs.logic import linesolve
from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_grid, read_numbers
from gymhub.types import Task, Verdict

# difficulty -> (side, share of cells to try removing)
LEVELS = {
    1: (4, 0.5),
    2: (4, 0.8),
    3: (6, 0.5),
    4: (6, 0.7),
    5: (6, 0.9),
    6: (8, 0.6),
    7: (8, 0.8),
    8: (8, 0.95),
    9: (10, 0.7),
    10: (10, 0.85),
}
NODE_LIMIT = 1_000


@cache
def valid_lines(n: int) -> list[int]:
    """Every line of length n (bit i = cell i) with n/2 ones and no three equal in a row."""
    out = []
    for mask in range(1 << n):
        if bin(mask).count("1") != n // 2:
            continue
        bits = [mask >> i & 1 for i in range(n)]
        if any(bits[i] == bits[i + 1] == bits[i + 2] for i in range(n - 2)):
            continue
        out.append(mask)
    return out


def search(
    n: int,
    givens: list[list[int]],
    limit: int,
    rng: random.Random | None = None,
    node_limit: int = NODE_LIMIT,
) -> tuple[list[list[int]], int]:
    """Fill rows top to bottom. Returns (first solution found, number found up to `limit`);
    running out of nodes counts as `limit`. With `rng`, candidate rows are tried in random order
    (used to draw a random full grid)."""
    ones = [sum(1 << c for c in range(n) if givens[r][c] == 1) for r in range(n)]
    known = [sum(1 << c for c in range(n) if givens[r][c] >= 0) for r in range(n)]
    lines = valid_lines(n)
    half = n // 2
    rows: list[int] = []
    first: list[int] = []
    found = 0
    nodes = 0
    col_ones = [0] * n

    def ok_columns(row: int) -> bool:
        r = len(rows)
        for c in range(n):
            v = row >> c & 1
            count = col_ones[c] + v
            if count > half or (r + 1) - count > half:
                return False
            if r >= 2 and (rows[-1] >> c & 1) == v and (rows[-2] >> c & 1) == v:
                return False
        return True

    def solve() -> bool:
        nonlocal found, nodes, first
        nodes += 1
        if nodes > node_limit:
            found = limit
            return True
        r = len(rows)
        if r == n:
            cols = {sum((rows[i] >> c & 1) << i for i in range(n)) for c in range(n)}
            if len(cols) < n:
                return False
            found += 1
            if found == 1:
                first = rows[:]
            return found >= limit
        candidates = [m for m in lines if m & known[r] == ones[r] and m not in rows]
        if rng is not None:
            rng.shuffle(candidates)
        for row in candidates:
            if not ok_columns(row):
                continue
            rows.append(row)
            for c in range(n):
                col_ones[c] += row >> c & 1
            stop = solve()
            rows.pop()
            for c in range(n):
                col_ones[c] -= row >> c & 1
            if stop:
                return True
        return False

    solve()
    return [[row >> c & 1 for c in range(n)] for row in first], found


def _distinct_lines(grid: list[list[int]]) -> bool:
    return len({tuple(row) for row in grid}) == len(grid) and len(set(zip(*grid))) == len(grid)


@register_family
class Binario(LogicFamily):
    name = "binario"
    title = "Binario"
    description = "Binario/Takuzu: balanced 0/1 grid, no three in a row, distinct lines; unique."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "side 4 (d1-2), 6 (d3-5), 8 (d6-8), 10 (d9-10), size = cells; within a side a growing "
        "share of cells is removed (only while the solution stays unique)"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = LEVELS[difficulty]
        blank = [[-1] * n for _ in range(n)]
        lines = valid_lines(n)
        # a random full grid: the line solver with random branch values, bounded per try
        solution: list[list[int]] = []
        for _ in range(30):
            found, _ = linesolve.find_solutions(
                [lines] * n, [lines] * n, None, 1, 300, accept=_distinct_lines, rng=rng
            )
            if found:
                solution = found[0]
                break
        if not solution:  # never seen in practice; a plain search always finds one
            solution, _ = search(n, blank, 1, None, node_limit=10**6)
        puzzle = [row[:] for row in solution]
        cells = [(r, c) for r in range(n) for c in range(n)]
        rng.shuffle(cells)
        # big grids: accept a removal only when line logic alone still solves the grid (one
        # search node), which keeps generation fast and the puzzle solvable without guessing
        budget = NODE_LIMIT if n <= 6 else 1
        for r, c in cells[: int(len(cells) * share)]:
            keep = puzzle[r][c]
            puzzle[r][c] = -1
            found, exhausted = linesolve.find_solutions(
                [lines] * n, [lines] * n, puzzle, 2, budget, accept=_distinct_lines
            )
            if exhausted or len(found) != 1:
                puzzle[r][c] = keep
        shown = "\n".join(" ".join("." if v < 0 else str(v) for v in row) for row in puzzle)
        question = (
            f"Solve this {n}x{n} Binario (Takuzu) puzzle. Fill every '.' with 0 or 1 so that:\n"
            "- no row or column has three equal digits next to each other;\n"
            f"- every row and every column has exactly {n // 2} zeros and {n // 2} ones;\n"
            "- no two rows are identical and no two columns are identical.\n"
            "Given digits must not change.\n\n"
            f"{shown}\n\n"
            f"Answer with the completed grid: {n} lines of {n} digits (0 or 1) separated by "
            f"spaces (for example a line `{' '.join('01' * (n // 2))}`), inside <answer></answer>."
        )
        return make_task(question, solution, n * n, n=n, puzzle=puzzle)

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        values = read_numbers(answer, n * n)
        if values is None or any(v > 1 for v in values):
            return Verdict.unparseable(f"expected {n}x{n} = {n * n} digits, each 0 or 1")
        grid = [values[r * n : (r + 1) * n] for r in range(n)]
        for r, row in enumerate(task.metadata["puzzle"]):
            for c, v in enumerate(row):
                if v >= 0 and grid[r][c] != v:
                    return Verdict.incorrect(f"the given digit at row {r + 1}, column {c + 1}")
        cols = [[grid[r][c] for r in range(n)] for c in range(n)]
        for kind, lines in (("row", grid), ("column", cols)):
            for i, line in enumerate(lines):
                if sum(line) != n // 2:
                    return Verdict.incorrect(f"{kind} {i + 1} is not balanced")
                if any(line[j] == line[j + 1] == line[j + 2] for j in range(n - 2)):
                    return Verdict.incorrect(f"{kind} {i + 1} has three equal digits in a row")
            if len({tuple(line) for line in lines}) < n:
                return Verdict.incorrect(f"two {kind}s are identical")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer)
