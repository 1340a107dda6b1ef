"""Rotten oranges: minutes until rot spreads to every fresh orange of a grid, or -1.

Each minute every rotten orange rots its fresh neighbours (up, down, left, right). The verifier
recomputes the spread with a multi-source breadth-first search over the grid in the metadata
(the rule).
"""

from __future__ import annotations

import random
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._balance import pick_balanced
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.envs.logic.families.arithmetic_chain import expect_integer
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict


def minutes(grid: list[list[int]]) -> tuple[int, int]:
    """(minutes until no fresh orange is left, or -1 if some never rots; cells processed)."""
    rows, cols = len(grid), len(grid[0])
    time = [[-1] * cols for _ in range(rows)]
    queue = deque()
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == 2:
                time[r][c] = 0
                queue.append((r, c))
    processed = rows * cols
    while queue:
        r, c = queue.popleft()
        processed += 1
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == 1 and time[nr][nc] < 0:
                time[nr][nc] = time[r][c] + 1
                queue.append((nr, nc))
    worst = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == 1:
                if time[r][c] < 0:
                    return -1, processed
                worst = max(worst, time[r][c])
    return worst, processed


CANDIDATES = 16  # grids drawn per task, one kept by its answer (more on small grids)


def candidates(side: int) -> int:
    """Grids drawn for a task of this side: on a small grid the rare answers (1, 5 or 6
    minutes on 3x3, each on 1-5% of random grids) show only among many, and with 16 three
    answers were left, `3` right on 26% of d1; a large grid shows many answers with 16."""
    return max(CANDIDATES, 1800 // (side * side))


@register_family
class RottenOranges(LogicFamily):
    """Minutes until every fresh orange is rotten (-1 if some never rot).

    Difficulty d sets the grid side 2+d (3..12; size = cells); about 15% empty cells and 1-3
    rotten oranges; effort = cells the breadth-first search processes. Accepted: one whole number
    (`-1` when some orange never rots). Reward 1/0.
    """

    name = "rotten_oranges"
    title = "RottenOranges"
    description = "Count the minutes until rot spreads to every orange of a grid (or -1)."
    difficulty_doc = "grid side 2+d (3..12), ~15% empty cells, 1-3 rotten oranges at the start"
    equivalents = {"reasoning_gym": "rotten_oranges"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        side = 2 + difficulty
        # the answer first: random grids bunched on one value (`2` on 42% of d1 tasks, `-1` on
        # a quarter of d10's), so a policy answering it blindly was paid; of several grids one
        # is kept so that each answer they show is as likely (-1 and 0 on a small share)
        grids = [self._grid(rng, side) for _ in range(candidates(side))]
        grid, (value, processed) = pick_balanced(
            rng, [(g, minutes(g)) for g in grids], lambda c: c[1][0], degenerate=(-1, 0)
        )
        text = format_grid(grid)
        question = (
            f"In the grid below 0 is an empty cell, 1 a fresh orange and 2 a rotten one:\n\n{text}"
            "\n\nEvery minute, each rotten orange rots the fresh oranges directly above, below, "
            "left and right of it. How many minutes pass until no fresh orange is left? Answer "
            "`-1` if some orange never rots, `0` if none is fresh. Answer with one whole number, "
            f"for example `{examples_besides(value, '4', '6')[0]}`.\nPut your final answer "
            "inside <answer></answer>."
        )
        return make_task(question, value, side * side, grid=grid, effort=processed)

    @staticmethod
    def _grid(rng: random.Random, side: int) -> list[list[int]]:
        grid = [[0 if rng.random() < 0.15 else 1 for _ in range(side)] for _ in range(side)]
        for _ in range(rng.randint(1, 3)):
            grid[rng.randrange(side)][rng.randrange(side)] = 2
        return grid

    def check(self, task: Task, answer: str) -> Verdict:
        truth, _ = minutes(task.metadata["grid"])
        return expect_integer(answer, truth, "the number of minutes")

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
