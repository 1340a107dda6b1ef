"""Fillomino: fill every cell with a digit so that each group of equal digits joined by shared
sides has exactly as many cells as its digit (a 3 sits in a group of three 3s).

Generation partitions the grid into random polyominoes of 1 to 5..9 cells (regions of equal
size never touch, or they would join), writes each region's size in its cells and shows a
share of the cells. The verifier checks the rule itself (group sizes, shown digits kept); any
valid filling scores 1.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_grid, orth, read_digit_grid
from gymhub.types import Task, Verdict

_SIDES = (4, 4, 5, 5, 6, 6, 7, 7, 8, 8)


def groups(grid: list[list[int]]) -> list[list[tuple[int, int]]]:
    n = len(grid)
    seen: set[tuple[int, int]] = set()
    out = []
    for r in range(n):
        for c in range(n):
            if (r, c) in seen:
                continue
            group, stack = [], [(r, c)]
            seen.add((r, c))
            while stack:
                cell = stack.pop()
                group.append(cell)
                for nb in orth(cell, n):
                    if nb not in seen and grid[nb[0]][nb[1]] == grid[r][c]:
                        seen.add(nb)
                        stack.append(nb)
            out.append(group)
    return out


def _partition(rng: random.Random, n: int, largest: int) -> list[list[int]] | None:
    region = [[0] * n for _ in range(n)]
    cells = [(r, c) for r in range(n) for c in range(n)]
    rng.shuffle(cells)
    for cell in cells:
        if region[cell[0]][cell[1]]:
            continue
        size = rng.randint(1, largest)
        members = [cell]
        region[cell[0]][cell[1]] = -1
        while len(members) < size:
            options = sorted({nb for m in members for nb in orth(m, n) if not region[nb[0]][nb[1]]})
            if not options:
                break
            nb = rng.choice(options)
            region[nb[0]][nb[1]] = -1
            members.append(nb)
        for r, c in members:
            region[r][c] = len(members)
    # equal neighbours merge into one group: accept only when every group has its own size
    if all(len(g) == region[g[0][0]][g[0][1]] for g in groups(region)):
        return region
    return None


@register_family
class Fillomino(LogicFamily):
    """Fill the grid so every group of equal digits (joined by sides) has that many cells;
    any valid filling keeping the shown digits scores 1.

    Accepted: exactly n x n digits in reading order, any layout or separators. Not accepted:
    any other count of digits, a 0.
    """

    name = "fillomino"
    title = "Fillomino"
    description = "Fillomino: every group of equal digits has as many cells as its digit."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "grid side 4,4,5,5,6,6,7,7,8,8 (size = cells); regions up to 4+d//2 cells; shown "
        "cells fall from 60% to 35%"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIDES[difficulty - 1]
        largest = min(9, 4 + difficulty // 2)
        region = None
        while region is None:
            region = _partition(rng, n, largest)
        share = 0.6 - 0.25 * (difficulty - 1) / 9
        shown = [[v if rng.random() < share else 0 for v in row] for row in region]
        picture = "\n".join(" ".join(str(v) if v else "." for v in row) for row in shown)
        question = (
            f"Fillomino. Fill every `.` of this {n}x{n} grid with a digit 1-9 so that every "
            "group of equal digits connected through shared sides contains exactly as many "
            "cells as its digit (a group of 3s has three cells; two groups of the same size may "
            "not touch by a side, or they would form one larger group). Shown digits must not "
            f"change.\n\n{picture}\n\n"
            f"Answer with the filled grid: {n} lines of {n} digits separated by spaces (for "
            "example a line `1 3 3 3`), inside <answer></answer>."
        )
        return make_task(question, region, n * n, n=n, shown=shown)

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = read_digit_grid(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n}x{n} = {n * n} digits")
        for r in range(n):
            for c in range(n):
                if grid[r][c] == 0:
                    return Verdict.incorrect(f"cell ({r + 1},{c + 1}) holds 0")
                shown = task.metadata["shown"][r][c]
                if shown and grid[r][c] != shown:
                    return Verdict.incorrect(f"shown digit at ({r + 1},{c + 1}) changed")
        for group in groups(grid):
            r, c = group[0]
            if len(group) != grid[r][c]:
                return Verdict.incorrect(
                    f"the group of {grid[r][c]}s at ({r + 1},{c + 1}) has {len(group)} cells"
                )
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer)
