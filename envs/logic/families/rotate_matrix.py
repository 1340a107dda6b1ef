"""Rotate a square matrix by a multiple of 90 degrees clockwise.

The verifier rotates the stored matrix again and compares cell by cell (any layout of the rows).
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, expect_grid
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict

Grid = list[list[int]]


def rotate_cw(grid: Grid) -> Grid:
    return [list(row) for row in zip(*grid[::-1])]


def rotated(grid: Grid, quarter_turns: int) -> Grid:
    for _ in range(quarter_turns % 4):
        grid = rotate_cw(grid)
    return grid


def random_grid(rng: random.Random, rows: int, cols: int, high: int = 9) -> Grid:
    return [[rng.randint(0, high) for _ in range(cols)] for _ in range(rows)]


@register_family
class RotateMatrix(LogicFamily):
    """Rotate an n x n matrix by 90, 180, 270 (or more) degrees clockwise.

    Side 2+(d+1)//2 (3..7), size = cells; angles above 360 from d6. Answer: the rotated matrix,
    one row per line. Reward 1/0.
    """

    name = "rotate_matrix"
    title = "RotateMatrix"
    description = "Rotate a square matrix by a multiple of 90 degrees."
    difficulty_doc = "side 2+(d+1)//2 (3..7), size = cells; angles above 360 from d6"
    equivalents = {"reasoning_gym": "rotate_matrix"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        side = 2 + (difficulty + 1) // 2
        grid = random_grid(rng, side, side)
        turns = rng.randint(1, 3) + (4 * rng.randint(0, 2) if difficulty >= 6 else 0)
        question = ask(
            f"Rotate this matrix by {90 * turns} degrees clockwise:\n{format_grid(grid)}",
            "Answer with the rotated matrix, one row per line, numbers separated by spaces "
            "(a 2x2 example: <answer>\n1 2\n3 4\n</answer>).",
        )
        return make_task(question, rotated(grid, turns), side * side, grid=grid, turns=turns)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_grid(answer, rotated(task.metadata["grid"], int(task.metadata["turns"])))

    def format_answer(self, task: Task) -> str:
        return format_grid(rotated(task.metadata["grid"], int(task.metadata["turns"])))
