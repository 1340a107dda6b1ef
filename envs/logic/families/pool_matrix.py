"""Max or average pooling of a matrix with a k x k window and stride k.

The verifier pools the stored matrix again with exact fractions; averages may be written as
decimals or fractions (`2.25`, `9/4`), any equal value is accepted.
"""

from __future__ import annotations

import random
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, read_number_grid
from gymhub.envs.logic.families.power_function import exact_text
from gymhub.envs.logic.families.rotate_matrix import random_grid
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict


def pooled(grid: list[list[int]], k: int, mode: str) -> list[list[Fraction]]:
    out = []
    for r in range(0, len(grid), k):
        row = []
        for c in range(0, len(grid[0]), k):
            window = [
                grid[i][j]
                for i in range(r, min(r + k, len(grid)))
                for j in range(c, min(c + k, len(grid[0])))
            ]
            row.append(
                Fraction(max(window)) if mode == "max" else Fraction(sum(window), len(window))
            )
        out.append(row)
    return out


@register_family
class PoolMatrix(LogicFamily):
    """Pool an n x m matrix with k x k windows (stride k): maximum or average of each window.

    Matrix 4+d//2 x 4+(d+1)//2 (4x5..9x9), size = cells; window 2 (3 from d7). Averages are exact
    (decimals or fractions accepted). Answer: the pooled matrix, one row per line. Reward 1/0.
    """

    name = "pool_matrix"
    title = "PoolMatrix"
    description = "Max or average pooling of a matrix."
    difficulty_doc = "matrix 4+d//2 x 4+(d+1)//2 (size = cells), window 2, 3 from d7"
    equivalents = {"reasoning_gym": "pool_matrix"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        rows, cols = 4 + difficulty // 2, 4 + (difficulty + 1) // 2
        k = 2 if difficulty < 7 else 3
        grid = random_grid(rng, rows, cols)
        mode = rng.choice(["max", "average"])
        question = ask(
            f"Apply {mode} pooling to this matrix with a {k}x{k} window and stride {k} (windows do "
            "not overlap; at the right and bottom edges a window holds only the cells that "
            f"remain):\n{format_grid(grid)}",
            "Answer with the pooled matrix, one row per line, values separated by spaces; "
            "averages exactly, as decimals or fractions (a 2x2 example: <answer>\n4 2.5\n7/3 "
            "1\n</answer>).",
        )
        return make_task(question, "", rows * cols, grid=grid, k=k, mode=mode)

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_number_grid(answer)
        if got is None:
            return Verdict.unparseable("expected lines of numbers")
        gold = pooled(task.metadata["grid"], int(task.metadata["k"]), task.metadata["mode"])
        if [len(r) for r in got] != [len(r) for r in gold]:
            return Verdict.incorrect("wrong shape")
        return Verdict.correct() if got == gold else Verdict.incorrect("wrong values")

    def format_answer(self, task: Task) -> str:
        gold = pooled(task.metadata["grid"], int(task.metadata["k"]), task.metadata["mode"])
        return "\n".join(" ".join(exact_text(v) for v in row) for row in gold)
