"""Distance from every cell of a 0/1 matrix to the nearest 0 (steps up/down/left/right).

The verifier recomputes the distances with a multi-source breadth-first search.
"""

from __future__ import annotations

import random
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, expect_grid
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict

Grid = list[list[int]]


def distances(grid: Grid) -> Grid:
    rows, cols = len(grid), len(grid[0])
    dist = [[-1] * cols for _ in range(rows)]
    queue = deque()
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == 0:
                dist[r][c] = 0
                queue.append((r, c))
    while queue:
        r, c = queue.popleft()
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < rows and 0 <= nc < cols and dist[nr][nc] < 0:
                dist[nr][nc] = dist[r][c] + 1
                queue.append((nr, nc))
    return dist


@register_family
class BinaryMatrix(LogicFamily):
    """For each cell of an n x n 0/1 matrix, the number of steps to the nearest 0.

    Side 3+d//2 (3..8), size = cells; the share of 0s falls from 40% to 10%, so distances grow.
    Answer: the distance matrix, one row per line. Reward 1/0.
    """

    name = "binary_matrix"
    title = "BinaryMatrix"
    description = "Distance from each cell of a 0/1 matrix to the nearest 0."
    difficulty_doc = "side 3+d//2 (3..8), size = cells; share of 0s 40% down to 10%"
    equivalents = {"reasoning_gym": "binary_matrix"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        side = 3 + difficulty // 2
        zeros = 0.4 - 0.3 * (difficulty - 1) / 9
        for _ in range(50):  # some cell at distance 2 or more, so the answer is not the input
            grid = [[0 if rng.random() < zeros else 1 for _ in range(side)] for _ in range(side)]
            grid[rng.randrange(side)][rng.randrange(side)] = 0
            if max(v for row in distances(grid) for v in row) >= 2:
                break
        question = ask(
            "For every cell of this 0/1 matrix give the distance to the nearest 0, counting steps "
            f"up, down, left or right (a 0 cell has distance 0):\n{format_grid(grid)}",
            "Answer with the matrix of distances, one row per line, numbers separated by spaces "
            "(a 2x3 example: <answer>\n0 1 2\n1 2 3\n</answer>).",
        )
        return make_task(question, distances(grid), side * side, grid=grid)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_grid(answer, distances(task.metadata["grid"]))

    def format_answer(self, task: Task) -> str:
        return format_grid(distances(task.metadata["grid"]))
