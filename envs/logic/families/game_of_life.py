"""Conway's Game of Life on a small wrapping (toroidal) board: the board after k steps.

The verifier runs the stored board forward again (B3/S23) and compares every cell.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, expect_grid
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict

Grid = list[list[int]]


def life_step(grid: Grid) -> Grid:
    rows, cols = len(grid), len(grid[0])
    out = []
    for r in range(rows):
        row = []
        for c in range(cols):
            alive = sum(
                grid[(r + dr) % rows][(c + dc) % cols]
                for dr in (-1, 0, 1)
                for dc in (-1, 0, 1)
                if dr or dc
            )
            row.append(1 if alive == 3 or (alive == 2 and grid[r][c]) else 0)
        out.append(row)
    return out


def life_after(grid: Grid, steps: int) -> Grid:
    for _ in range(steps):
        grid = life_step(grid)
    return grid


@register_family
class GameOfLife(LogicFamily):
    """Give the Game of Life board after k steps; the board wraps around at the edges.

    Side 4+d//2 (4..9), steps 1+d//4 (1..3); size = cells x steps. Answer: the board as 0/1
    rows, one per line. Reward 1/0.
    """

    name = "game_of_life"
    title = "GameOfLife"
    description = "Conway's Game of Life: the board after a few steps."
    difficulty_doc = "side 4+d//2 (4..9), steps 1+d//4 (1..3); size = cells x steps"
    equivalents = {"reasoning_gym": "game_of_life"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        side, steps = 4 + difficulty // 2, 1 + difficulty // 4
        for _ in range(50):
            grid = [[int(rng.random() < 0.35) for _ in range(side)] for _ in range(side)]
            final = life_after(grid, steps)
            if any(any(row) for row in final) and final != grid:
                break
        question = ask(
            "Conway's Game of Life on this board (1 alive, 0 dead). The board wraps around: the "
            "left edge touches the right edge and the top touches the bottom. In each step a live "
            "cell with 2 or 3 live neighbours (of its 8) stays alive, a dead cell with exactly 3 "
            "becomes alive, every other cell is dead in the next step. What is the board after "
            f"{steps} step{'s' if steps > 1 else ''}?\n{format_grid(grid)}",
            "Answer with the board, one row of 0s and 1s per line separated by spaces (a 2x3 "
            "example: <answer>\n0 1 0\n1 1 0\n</answer>).",
        )
        return make_task(question, final, side * side * steps, grid=grid, steps=steps)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_grid(answer, life_after(task.metadata["grid"], int(task.metadata["steps"])))

    def format_answer(self, task: Task) -> str:
        return format_grid(life_after(task.metadata["grid"], int(task.metadata["steps"])))
