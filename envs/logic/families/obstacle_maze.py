"""Obstacle maze (Enigmata's maze, graph category): walk from S to E on a grid with blocked
cells, moving up, down, left or right.

The grid is random walls at a growing density with S and E far apart, kept only when a
breadth-first search connects them. The verifier replays the moves: every step stays on the
grid and off the walls, and the walk ends on E; any such walk scores 1 (revisiting cells is
allowed; the walk is capped at four moves per cell).
"""

from __future__ import annotations

import random
import re
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_STEP = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}
_WORDS = {"UP": "U", "DOWN": "D", "LEFT": "L", "RIGHT": "R"}


def _shape(difficulty: int) -> tuple[int, float]:
    return 5 + difficulty, 0.2 + 0.015 * difficulty  # (side 6..15, wall share 0.215..0.35)


def bfs_path(grid: list[str], start: tuple[int, int], end: tuple[int, int]) -> str | None:
    n = len(grid)
    prev: dict[tuple[int, int], tuple[tuple[int, int], str] | None] = {start: None}
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        if cell == end:
            out = []
            while prev[cell] is not None:
                cell, move = prev[cell]  # type: ignore[misc]
                out.append(move)
            return "".join(reversed(out))
        for move, (dr, dc) in _STEP.items():
            r, c = cell[0] + dr, cell[1] + dc
            if 0 <= r < n and 0 <= c < n and grid[r][c] != "#" and (r, c) not in prev:
                prev[(r, c)] = (cell, move)
                queue.append((r, c))
    return None


def read_moves(text: str, limit: int) -> str | None:
    if len(text) > 20_000:
        return None
    tokens = [t for t in re.split(r"[\s,;>\-]+", text.strip().strip(".").upper()) if t]
    out = []
    for token in tokens:
        if token in _WORDS:
            out.append(_WORDS[token])
        elif set(token) <= set(_STEP):
            out.extend(token)
        else:
            return None
    return "".join(out) if out and len(out) <= limit else None


@register_family
class ObstacleMaze(LogicFamily):
    """Give moves that lead from S to E without entering a wall; any such walk scores 1.

    Accepted: `U` `D` `L` `R` letters (or the words up/down/left/right), any case, with or
    without separators. Not accepted: any other letter or word, a step into a wall or off the
    grid, a walk that does not end on E.
    """

    name = "obstacle_maze"
    title = "ObstacleMaze"
    description = "Walk from S to E on a grid with obstacles (any valid walk)."
    difficulty_doc = "grid side 5+d (6..15; size = cells), wall share 0.2+0.015d; S and E far apart"
    equivalents = {"enigmata": "maze"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = _shape(difficulty)
        while True:
            cells = [(r, c) for r in range(n) for c in range(n)]
            walls = set(rng.sample(cells, int(share * n * n)))
            free = [cell for cell in cells if cell not in walls]
            start = rng.choice(free)
            far = [x for x in free if abs(x[0] - start[0]) + abs(x[1] - start[1]) >= n]
            if not far:
                continue
            end = rng.choice(far)
            grid = ["".join("#" if (r, c) in walls else "." for c in range(n)) for r in range(n)]
            path = bfs_path(grid, start, end)
            if path:
                break
        shown = [list(row) for row in grid]
        shown[start[0]][start[1]] = "S"
        shown[end[0]][end[1]] = "E"
        question = (
            f"Maze. In this {n}x{n} grid `#` is a wall, `.` an open cell, S the start and E the "
            "exit:\n\n" + "\n".join(" ".join(row) for row in shown) + "\n\n"
            "Give a sequence of moves U (up), D (down), L (left), R (right) that walks from S to "
            "E, one cell per move, never entering a wall or leaving the grid. Any such walk is "
            "fine. Answer with the move letters separated by spaces, for example "
            "<answer>R R D L</answer>. Put your answer inside <answer></answer>."
        )
        return make_task(
            question, " ".join(path), n * n, grid=grid, start=list(start), end=list(end)
        )

    def check(self, task: Task, answer: str) -> Verdict:
        grid = task.metadata["grid"]
        n = len(grid)
        moves = read_moves(answer, 4 * n * n)
        if moves is None:
            return Verdict.unparseable("expected U/D/L/R moves")
        r, c = task.metadata["start"]
        for i, move in enumerate(moves):
            dr, dc = _STEP[move]
            r, c = r + dr, c + dc
            if not (0 <= r < n and 0 <= c < n):
                return Verdict.incorrect(f"move {i + 1} leaves the grid")
            if grid[r][c] == "#":
                return Verdict.incorrect(f"move {i + 1} walks into a wall")
        if [r, c] != task.metadata["end"]:
            return Verdict.incorrect("the walk does not end on E")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
