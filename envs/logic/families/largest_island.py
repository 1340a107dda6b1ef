"""Largest island: the size of the largest 4-connected group of land cells in a 0/1 grid.

The verifier recomputes the islands of the grid stored in the metadata with a flood fill (the
rule), so the answer is one number.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.envs.logic.families.arithmetic_chain import expect_integer
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict


def islands(grid: list[list[int]]) -> tuple[int, int]:
    """(largest island size, cells visited by the flood fill)."""
    rows, cols = len(grid), len(grid[0])
    seen = [[False] * cols for _ in range(rows)]
    best = visited = 0
    for r in range(rows):
        for c in range(cols):
            if not grid[r][c] or seen[r][c]:
                continue
            stack, size = [(r, c)], 0
            seen[r][c] = True
            while stack:
                y, x = stack.pop()
                size += 1
                for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                    if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] and not seen[ny][nx]:
                        seen[ny][nx] = True
                        stack.append((ny, nx))
            visited += size
            best = max(best, size)
    return best, visited + rows * cols


@register_family
class LargestIsland(LogicFamily):
    """Size of the largest island (4-connected land cells) in a grid of 1 (land) and 0 (water).

    Difficulty d sets the grid (3+d) x (4+d) (4x5 .. 13x14; size = cells) and the land share
    0.4..0.55; effort = cells the flood fill visits. Accepted: one whole number. Reward 1/0.
    """

    name = "largest_island"
    title = "LargestIsland"
    description = "Find the size of the largest 4-connected island of land in a 0/1 grid."
    difficulty_doc = "grid (3+d) x (4+d) (4x5..13x14, size = cells), land share 0.4..0.55"
    equivalents = {"reasoning_gym": "largest_island"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        rows, cols = 3 + difficulty, 4 + difficulty
        share = 0.4 + 0.015 * (difficulty - 1)
        grid = [[int(rng.random() < share) for _ in range(cols)] for _ in range(rows)]
        best, visited = islands(grid)
        text = format_grid(grid)
        question = (
            f"In the grid below 1 is land and 0 is water:\n\n{text}\n\n"
            "An island is a group of land cells connected horizontally or vertically (not "
            "diagonally). How many cells does the largest island have (0 if there is no land)? "
            f"Answer with one whole number, for example `{examples_besides(best, '7', '5')[0]}`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, best, rows * cols, grid=grid, effort=visited)

    def check(self, task: Task, answer: str) -> Verdict:
        best, _ = islands(task.metadata["grid"])
        return expect_integer(answer, best, "the largest island's size")

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
