"""Maze paths: give a shortest path through a maze as a string of moves.

Generation: a random spanning-tree maze (iterative depth-first carving) with some extra walls
knocked out, so that loops exist and several shortest paths may tie. The verifier walks the
moves and accepts any path from S to E whose length equals the BFS distance.
"""

from __future__ import annotations

import random
import re
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_MOVES = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}
_WORDS = re.compile(r"\b(up|down|left|right)\b", re.I)
_MAX_MOVES = 5_000


def _carve(rng: random.Random, h: int, w: int) -> list[list[str]]:
    rows, cols = 2 * h + 1, 2 * w + 1
    grid = [["#"] * cols for _ in range(rows)]
    stack = [(0, 0)]
    seen = {(0, 0)}
    grid[1][1] = "."
    while stack:
        r, c = stack[-1]
        options = [
            (r + dr, c + dc)
            for dr, dc in _MOVES.values()
            if 0 <= r + dr < h and 0 <= c + dc < w and (r + dr, c + dc) not in seen
        ]
        if not options:
            stack.pop()
            continue
        nr, nc = rng.choice(options)
        grid[r + nr + 1][c + nc + 1] = "."
        grid[2 * nr + 1][2 * nc + 1] = "."
        seen.add((nr, nc))
        stack.append((nr, nc))
    # knock out some inner walls between two rooms to make loops
    walls = [
        (r, c)
        for r in range(1, rows - 1)
        for c in range(1, cols - 1)
        if grid[r][c] == "#" and (r % 2) != (c % 2)
    ]
    for r, c in rng.sample(walls, len(walls) // 6):
        grid[r][c] = "."
    return grid


def _distance(grid: list[list[str]], start: tuple[int, int], end: tuple[int, int]) -> int:
    dist = {start: 0}
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        if cell == end:
            return dist[cell]
        for dr, dc in _MOVES.values():
            nxt = (cell[0] + dr, cell[1] + dc)
            if grid[nxt[0]][nxt[1]] != "#" and nxt not in dist:
                dist[nxt] = dist[cell] + 1
                queue.append(nxt)
    raise ValueError("maze has no path")  # cannot happen: the carving connects every room


def _shortest_path(grid: list[list[str]], start: tuple[int, int], end: tuple[int, int]) -> str:
    prev: dict[tuple[int, int], tuple[tuple[int, int], str] | None] = {start: None}
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        if cell == end:
            break
        for name, (dr, dc) in _MOVES.items():
            nxt = (cell[0] + dr, cell[1] + dc)
            if grid[nxt[0]][nxt[1]] != "#" and nxt not in prev:
                prev[nxt] = (cell, name)
                queue.append(nxt)
    moves = []
    cell = end
    while prev[cell] is not None:
        cell, name = prev[cell]  # type: ignore[misc]
        moves.append(name)
    return "".join(reversed(moves))


def parse_moves(text: str) -> str | None:
    """U/D/L/R letters (words up/down/left/right allowed, any separators); None if unreadable."""
    text = _WORDS.sub(lambda m: m.group(1)[0], text[: _MAX_MOVES * 8])
    letters = [ch.upper() for ch in text if ch.isalnum()]
    if not letters or len(letters) > _MAX_MOVES or any(ch not in _MOVES for ch in letters):
        return None
    return "".join(letters)


@register_family
class MazePaths(LogicFamily):
    """Maze paths: write a shortest path from S to E through a maze as moves U/D/L/R. Difficulty
    sets the maze to k x k rooms with k = 3 + d (4 to 13), drawn as a (2k+1)x(2k+1) character
    grid; `size` is the number of rooms. About a sixth of the inner walls are removed, so several
    shortest paths can tie: any path of the shortest length scores 1."""

    name = "maze_paths"
    title = "MazePaths"
    description = "Find a shortest path through a maze with loops; answer as U/D/L/R moves."
    difficulty_doc = "k x k rooms with k = 3 + d (size = rooms); any shortest path scores"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        k = 3 + max(1, min(10, int(difficulty)))
        grid = _carve(rng, k, k)
        corners = [(1, 1), (1, 2 * k - 1), (2 * k - 1, 1), (2 * k - 1, 2 * k - 1)]
        start = rng.choice(corners)
        end = (2 * k - start[0], 2 * k - start[1])  # the opposite corner
        grid[start[0]][start[1]] = "S"
        grid[end[0]][end[1]] = "E"
        shortest = _distance(grid, start, end)
        maze = "\n".join("".join(row) for row in grid)
        question = (
            "Maze. Walls are #, open cells are ., you start at S and must reach E:\n\n"
            f"{maze}\n\n"
            "Each move goes one cell up (U), down (D), left (L) or right (R) and may not enter a "
            "wall. Give a shortest path from S to E (no path with fewer moves may exist).\n"
            "Answer format: the moves as one string of letters U, D, L, R, for example `RRDLD`. "
            "Put your answer inside <answer></answer>."
        )
        return make_task(
            question,
            _shortest_path(grid, start, end),
            k * k,
            rooms=k,
            maze=["".join(row) for row in grid],
            start=list(start),
            end=list(end),
            shortest=shortest,
        )

    def check(self, task: Task, answer: str) -> Verdict:
        moves = parse_moves(answer)
        if moves is None:
            return Verdict.unparseable("expected a string of moves U, D, L, R")
        maze = task.metadata["maze"]
        r, c = task.metadata["start"]
        for i, move in enumerate(moves):
            dr, dc = _MOVES[move]
            r, c = r + dr, c + dc
            if maze[r][c] == "#":
                return Verdict.incorrect(f"move {i + 1} ({move}) runs into a wall")
        if [r, c] != task.metadata["end"]:
            return Verdict.incorrect("the path does not end at E")
        if len(moves) != task.metadata["shortest"]:
            return Verdict.incorrect(
                f"the path has {len(moves)} moves; the shortest has {task.metadata['shortest']}"
            )
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return task.answer
