"""Game of Life extinction: after how many steps does a board first have no live cell?

The board wraps around (as in `game_of_life`); the answer is the first step at which every cell
is dead, or -1 when that does not happen within the stated number of steps. The verifier runs
the stored board again. The answer is drawn before the board (see `LifeExtinction._board`).
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, examples_besides, expect_int
from gymhub.envs.logic.families.game_of_life import life_step
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict


def extinction_step(grid: list[list[int]], horizon: int) -> int:
    for step in range(1, horizon + 1):
        grid = life_step(grid)
        if not any(any(row) for row in grid):
            return step
    return -1


def _advance(grid: list[list[int]], steps: int) -> list[list[int]]:
    for _ in range(steps):
        grid = life_step(grid)
    return grid


@register_family
class LifeExtinction(LogicFamily):
    """First step at which a wrapping Game of Life board is empty, or -1 within a horizon.

    Side 4+d//2 (4..9), horizon 4+d steps (5..14); size = cells x horizon. The answer is drawn
    first, -1 and each step 2..horizon equally likely. Answer: one integer. Reward 1/0.
    """

    name = "life_extinction"
    title = "LifeExtinction"
    description = "Game of Life: the first step at which the board is empty, or -1."
    difficulty_doc = (
        "side 4+d//2 (4..9), horizon 4+d steps (5..14); size = cells x horizon; "
        "answer -1 or 2..horizon, each equally likely"
    )
    equivalents = {"reasoning_gym": "game_of_life_halting"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        # a horizon of 3+d left four answers at d1 (-1, 2, 3, 4): one was right on 27-31%
        side, horizon = 4 + difficulty // 2, 4 + difficulty
        # the answer first: random boards died at step 2 on 45% of d1 tasks and lived on (-1)
        # on a third or more elsewhere, so a policy answering that blindly was paid
        want = rng.choice([-1, *range(2, horizon + 1)])
        grid = self._board(rng, side, horizon, want)
        answer = extinction_step(grid, horizon)
        one, other = examples_besides(answer, "-1", "5", "4", count=2)
        question = ask(
            "Conway's Game of Life on this board (1 alive, 0 dead); the board wraps around at "
            "its edges. In each step a live cell with 2 or 3 live neighbours (of its 8) stays "
            "alive, a dead cell with exactly 3 becomes alive, every other cell is dead next step. "
            f"After how many steps is every cell dead for the first time? Answer -1 if the board "
            f"still has a live cell after {horizon} steps.\n{format_grid(grid)}",
            f"Answer with one integer, for example <answer>{one}</answer> or "
            f"<answer>{other}</answer>.",
        )
        return make_task(question, answer, side * side * horizon, grid=grid, horizon=horizon)

    @staticmethod
    def _board(rng: random.Random, side: int, horizon: int, want: int) -> list[list[int]]:
        """A board whose answer is `want`: a board that dies at step s >= want, run s - want
        steps on, dies at step `want`; a board that lives is also run 0-3 steps on, so that how
        settled a board looks tells nothing. The last live board if none is found."""
        last = [[1] * side for _ in range(side)]  # never kept: a full board dies in one step
        for _ in range(400):
            density = rng.uniform(0.15, 0.45)
            grid = [[int(rng.random() < density) for _ in range(side)] for _ in range(side)]
            if want < 0:
                grid = _advance(grid, rng.randint(0, 3))
                if any(any(row) for row in grid):
                    last = grid
                    if extinction_step(grid, horizon) == -1:
                        return grid
                continue
            if not any(any(row) for row in grid):
                continue
            last = grid
            step = extinction_step(grid, horizon + 20)
            if step >= want:
                return _advance(grid, step - want)
        return last

    def check(self, task: Task, answer: str) -> Verdict:
        gold = extinction_step(task.metadata["grid"], int(task.metadata["horizon"]))
        return expect_int(answer, gold, "the first empty step")

    def format_answer(self, task: Task) -> str:
        return str(extinction_step(task.metadata["grid"], int(task.metadata["horizon"])))
