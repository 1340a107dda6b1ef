"""Sudoku: fill the grid so that every row, column and box holds each digit once.

Difficulty sets the grid (4x4 at 1-2, 6x6 at 3-4, 9x9 from 5) and the number of cells removed
(`size`). Cells are removed one by one in random order and only while a solver still finds a
single solution, so every puzzle has exactly one solution.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_grid, read_digit_grid
from gymhub.envs.logic.latin import givens_kept
from gymhub.types import Task, Verdict

# difficulty -> (box rows, box cols, cells to remove)
LEVELS = {
    1: (2, 2, 6),
    2: (2, 2, 9),
    3: (2, 3, 14),
    4: (2, 3, 18),
    5: (3, 3, 34),
    6: (3, 3, 38),
    7: (3, 3, 42),
    8: (3, 3, 46),
    9: (3, 3, 50),
    10: (3, 3, 54),
}
NODE_LIMIT = 20_000  # per uniqueness check; exceeding it counts as "not unique"


def _solution(rng: random.Random, br: int, bc: int) -> list[list[int]]:
    """A random valid grid: the standard pattern with bands, rows, stacks, columns and digits
    shuffled (constructive)."""
    n = br * bc

    def pattern(r: int, c: int) -> int:
        return (bc * (r % br) + r // br + c) % n

    bands = rng.sample(range(bc), bc)  # there are n/br = bc bands of br rows
    rows = [b * br + r for b in bands for r in rng.sample(range(br), br)]
    stacks = rng.sample(range(br), br)  # n/bc = br stacks of bc columns
    cols = [s * bc + c for s in stacks for c in rng.sample(range(bc), bc)]
    digits = rng.sample(range(1, n + 1), n)
    return [[digits[pattern(r, c)] for c in cols] for r in rows]


def count_solutions(puzzle: list[list[int]], br: int, bc: int, limit: int = 2) -> int:
    """Number of solutions, up to `limit` (bitmask DFS, most-constrained cell first). Returns
    `limit` too when the node budget runs out, so a hard case is treated as not unique."""
    n = br * bc
    full = (1 << (n + 1)) - 2
    rows = [0] * n
    cols = [0] * n
    boxes = [0] * n
    empty = []
    for r in range(n):
        for c in range(n):
            v = puzzle[r][c]
            b = (r // br) * br + c // bc
            if v:
                bit = 1 << v
                rows[r] |= bit
                cols[c] |= bit
                boxes[b] |= bit
            else:
                empty.append((r, c, b))
    found = 0
    nodes = 0

    def solve(remaining: list[tuple[int, int, int]]) -> bool:
        nonlocal found, nodes
        nodes += 1
        if nodes > NODE_LIMIT:
            found = limit
            return True
        if not remaining:
            found += 1
            return found >= limit
        best = -1
        best_mask = 0
        best_count = n + 1
        for i, (r, c, b) in enumerate(remaining):
            mask = full & ~(rows[r] | cols[c] | boxes[b])
            count = bin(mask).count("1")
            if count < best_count:
                best, best_mask, best_count = i, mask, count
                if count <= 1:
                    break
        if best_count == 0:
            return False
        r, c, b = remaining[best]
        rest = remaining[:best] + remaining[best + 1 :]
        mask = best_mask
        while mask:
            bit = mask & -mask
            mask ^= bit
            rows[r] |= bit
            cols[c] |= bit
            boxes[b] |= bit
            stop = solve(rest)
            rows[r] ^= bit
            cols[c] ^= bit
            boxes[b] ^= bit
            if stop:
                return True
        return False

    solve(empty)
    return found


@register_family
class Sudoku(LogicFamily):
    name = "sudoku"
    title = "Sudoku"
    description = "Sudoku (4x4, 6x6, 9x9) with a unique solution; fill every empty cell."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = "grid 4x4 (d1-2), 6x6 (d3-4), 9x9 (d5-10); size = cells removed: " + ", ".join(
        f"d{d}: {v[2]}" for d, v in LEVELS.items()
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        br, bc, target = LEVELS[difficulty]
        n = br * bc
        solution = _solution(rng, br, bc)
        puzzle = [row[:] for row in solution]
        cells = [(r, c) for r in range(n) for c in range(n)]
        rng.shuffle(cells)
        removed = 0
        for r, c in cells:
            if removed >= target:
                break
            value = puzzle[r][c]
            puzzle[r][c] = 0
            if count_solutions(puzzle, br, bc) == 1:
                removed += 1
            else:
                puzzle[r][c] = value
        shown = format_grid(puzzle).replace("0", ".")
        question = (
            f"Solve this {n}x{n} Sudoku. Fill every '.' with a digit from 1 to {n} so that each "
            f"row, each column and each {br}x{bc} box contains every digit from 1 to {n} exactly "
            "once. The given digits must not change.\n\n"
            f"{shown}\n\n"
            f"Answer with the completed grid: {n} lines of {n} digits separated by spaces, for "
            f"example a first line like `{' '.join(str(i) for i in range(1, n + 1))}`. Put the "
            "grid inside <answer></answer>."
        )
        return make_task(question, solution, removed, puzzle=puzzle, box=[br, bc], n=n)

    def check(self, task: Task, answer: str) -> Verdict:
        br, bc = task.metadata["box"]
        n = br * bc
        grid = read_digit_grid(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n}x{n} = {n * n} digits")
        problem = givens_kept(grid, task.metadata["puzzle"])
        want = set(range(1, n + 1))
        if problem is None:
            for r in range(n):
                if set(grid[r]) != want:
                    problem = f"row {r + 1} does not hold 1..{n} once each"
                    break
        if problem is None:
            for c in range(n):
                if {grid[r][c] for r in range(n)} != want:
                    problem = f"column {c + 1} does not hold 1..{n} once each"
                    break
        if problem is None:
            for b in range(n):
                r0, c0 = (b // br) * br, (b % br) * bc
                box = {grid[r0 + i][c0 + j] for i in range(br) for j in range(bc)}
                if box != want:
                    problem = f"box {b + 1} does not hold 1..{n} once each"
                    break
        return Verdict.incorrect(problem) if problem else Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer)
