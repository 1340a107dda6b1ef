"""Apply a sequence of matrix operations (rotations, mirrors, transposition, row/column removal,
value replacement) and give the final matrix.

Operations are stored as data; the verifier applies them to the stored matrix again.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, expect_grid
from gymhub.envs.logic.families.rotate_matrix import random_grid, rotated
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict

Grid = list[list[int]]


def apply(grid: Grid, op: list) -> Grid:  # type: ignore[type-arg]
    kind = op[0]
    if kind == "rotate":
        return rotated(grid, op[1])
    if kind == "mirror_lr":
        return [row[::-1] for row in grid]
    if kind == "mirror_ud":
        return [list(row) for row in grid[::-1]]
    if kind == "transpose":
        return [list(row) for row in zip(*grid)]
    if kind == "drop_row":
        return [row for i, row in enumerate(grid) if i != op[1] - 1]
    if kind == "drop_col":
        return [[v for j, v in enumerate(row) if j != op[1] - 1] for row in grid]
    if kind == "replace":
        return [[op[2] if v == op[1] else v for v in row] for row in grid]
    raise ValueError(f"unknown operation {kind!r}")


def describe(op: list) -> str:  # type: ignore[type-arg]
    kind = op[0]
    return {
        "rotate": lambda: f"rotate the matrix {90 * op[1]} degrees clockwise",
        "mirror_lr": lambda: "mirror it left to right (reverse every row)",
        "mirror_ud": lambda: "mirror it top to bottom (reverse the order of the rows)",
        "transpose": lambda: "transpose it (row i becomes column i)",
        "drop_row": lambda: f"remove row {op[1]} (counting from 1 at the top)",
        "drop_col": lambda: f"remove column {op[1]} (counting from 1 at the left)",
        "replace": lambda: f"replace every {op[1]} by {op[2]}",
    }[kind]()


def final_grid(task: Task) -> Grid:
    grid = task.metadata["grid"]
    for op in task.metadata["ops"]:
        grid = apply(grid, op)
    return grid


@register_family
class ManipulateMatrix(LogicFamily):
    """Apply d operations (1..10) in order to a matrix.

    Start matrix 4+d//3 x 4+(d+1)//3 (4x4..7x7); at most one row and one column removal each per
    two operations, so the matrix never vanishes. Answer: the final matrix, one row per line.
    size = operations. Reward 1/0.
    """

    name = "manipulate_matrix"
    title = "ManipulateMatrix"
    description = "Apply a sequence of rotations, mirrors and edits to a matrix."
    difficulty_doc = "operations d (1..10; size) on a 4x4..7x7 matrix"
    equivalents = {"reasoning_gym": "manipulate_matrix"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        grid = random_grid(rng, 4 + difficulty // 3, 4 + (difficulty + 1) // 3)
        ops: list[list] = []  # type: ignore[type-arg]
        current = grid
        for _ in range(difficulty):
            kinds = ["rotate", "mirror_lr", "mirror_ud", "transpose", "replace"]
            if len(current) > 2:
                kinds.append("drop_row")
            if len(current[0]) > 2:
                kinds.append("drop_col")
            kind = rng.choice(kinds)
            if kind == "rotate":
                op: list = [kind, rng.randint(1, 3)]  # type: ignore[type-arg]
            elif kind == "drop_row":
                op = [kind, rng.randint(1, len(current))]
            elif kind == "drop_col":
                op = [kind, rng.randint(1, len(current[0]))]
            elif kind == "replace":
                values = sorted({v for row in current for v in row})
                op = [kind, rng.choice(values), rng.randint(0, 9)]
            else:
                op = [kind]
            ops.append(op)
            current = apply(current, op)
        steps = "\n".join(f"{i + 1}. {describe(op)}" for i, op in enumerate(ops))
        question = ask(
            f"Start with this matrix:\n{format_grid(grid)}\n\nApply these operations in order, "
            f"each to the result of the previous one:\n{steps}",
            "Answer with the final matrix, one row per line, numbers separated by spaces (a 2x3 "
            "example: <answer>\n1 2 3\n4 5 6\n</answer>).",
        )
        return make_task(question, current, difficulty, grid=grid, ops=ops)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_grid(answer, final_grid(task))

    def format_answer(self, task: Task) -> str:
        return format_grid(final_grid(task))
