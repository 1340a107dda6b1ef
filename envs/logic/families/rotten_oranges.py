"""Rotting oranges: minutes until no fresh orange is left, or -1 when one can never rot.

Each minute every fresh orange (1) next to a rotten one (2) up/down/left/right rots; 0 is an
empty cell. The verifier simulates the spread with a breadth-first search.
"""

from __future__ import annotations

import random
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, expect_int, format_grid
from gymhub.types import Task, Verdict


def minutes_to_rot(grid: list[list[int]]) -> int:
    rows, cols = len(grid), len(grid[0])
    time = {(r, c): 0 for r in range(rows) for c in range(cols) if grid[r][c] == 2}
    queue = deque(time)
    while queue:
        r, c = queue.popleft()
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == 1 and (nr, nc) not in time:
                time[(nr, nc)] = time[(r, c)] + 1
                queue.append((nr, nc))
    fresh = [(r, c) for r in range(rows) for c in range(cols) if grid[r][c] == 1]
    if any(cell not in time for cell in fresh):
        return -1
    return max((time[cell] for cell in fresh), default=0)


@register_family
class RottenOranges(LogicFamily):
    """Minutes until every orange is rotten in an n x n grid (or -1).

    Side 3+d//2 (3..8), size = cells; 1-2 rotten oranges at the start, about 15% empty cells.
    Answer: one integer. Reward 1/0.
    """

    name = "rotten_oranges"
    title = "RottenOranges"
    description = "Minutes until every orange in a grid has rotted, or -1."
    difficulty_doc = "side 3+d//2 (3..8), size = cells; 1-2 rotten at the start, ~15% empty"
    equivalents = {"reasoning_gym": "rotten_oranges"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        side = 3 + difficulty // 2
        grid = [[0 if rng.random() < 0.15 else 1 for _ in range(side)] for _ in range(side)]
        for _ in range(rng.randint(1, 2)):
            grid[rng.randrange(side)][rng.randrange(side)] = 2
        question = ask(
            "In this grid 0 is an empty cell, 1 a fresh orange and 2 a rotten orange. Every "
            "minute, each fresh orange next to a rotten one (up, down, left or right) becomes "
            "rotten. How many minutes pass until no fresh orange is left? Answer -1 if some "
            f"orange never rots (0 if none is fresh at the start).\n{format_grid(grid)}",
            "Answer with one integer, for example <answer>-1</answer> or <answer>7</answer>.",
        )
        return make_task(question, minutes_to_rot(grid), side * side, grid=grid)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_int(answer, minutes_to_rot(task.metadata["grid"]), "the number of minutes")

    def format_answer(self, task: Task) -> str:
        return str(minutes_to_rot(task.metadata["grid"]))
