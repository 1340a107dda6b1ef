"""Read a matrix in clockwise spiral order, from the top-left corner.

The verifier walks the stored matrix again and compares the list of numbers.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, read_int_list
from gymhub.envs.logic.families.rotate_matrix import random_grid
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict


def spiral(grid: list[list[int]]) -> list[int]:
    out: list[int] = []
    top, bottom, left, right = 0, len(grid) - 1, 0, len(grid[0]) - 1
    while top <= bottom and left <= right:
        out += [grid[top][c] for c in range(left, right + 1)]
        out += [grid[r][right] for r in range(top + 1, bottom + 1)]
        if top < bottom:
            out += [grid[bottom][c] for c in range(right - 1, left - 1, -1)]
        if left < right:
            out += [grid[r][left] for r in range(bottom - 1, top, -1)]
        top, bottom, left, right = top + 1, bottom - 1, left + 1, right - 1
    return out


@register_family
class SpiralMatrix(LogicFamily):
    """List the numbers of an r x c matrix in clockwise spiral order.

    Rows 2+d//2 (2..7), columns 3+(d-1)//2 (3..7); size = cells. Answer: the numbers in spiral
    order separated by spaces or commas. Reward 1/0.
    """

    name = "spiral_matrix"
    title = "SpiralMatrix"
    description = "Read a matrix in clockwise spiral order."
    difficulty_doc = "rows 2+d//2 (2..7), columns 3+(d-1)//2 (3..7); size = cells"
    equivalents = {"reasoning_gym": "spiral_matrix"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        rows, cols = 2 + difficulty // 2, 3 + (difficulty - 1) // 2
        grid = random_grid(rng, rows, cols, 99)
        question = ask(
            "List the numbers of this matrix in spiral order: start at the top-left corner, go "
            "right along the top row, then down, left, up, and so on clockwise towards the "
            f"centre, each number once.\n{format_grid(grid)}",
            "Answer with the numbers in order separated by spaces, for example "
            "<answer>5 1 17 40</answer>.",
        )
        return make_task(question, spiral(grid), rows * cols, grid=grid)

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_int_list(answer)
        if got is None:
            return Verdict.unparseable("expected a list of integers")
        ok = got == spiral(task.metadata["grid"])
        return Verdict.correct() if ok else Verdict.incorrect("not the spiral order")

    def format_answer(self, task: Task) -> str:
        return " ".join(map(str, spiral(task.metadata["grid"])))
