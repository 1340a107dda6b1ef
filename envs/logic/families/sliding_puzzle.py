"""Sliding puzzle (8-puzzle): solve a scrambled 3x3 board in the fewest moves.

The verifier replays the answer's moves on the board (every move must be legal), checks that the
board ends solved, and that the number of moves equals the optimum that a breadth-first search
(from both ends) found at generation, so any shortest solution scores 1.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

GOAL = "12345678."
_STEP = {"U": -3, "D": 3, "L": -1, "R": 1}
_MOVES = re.compile(r"[UDLRudlr\s,;]+")


def move(board: str, direction: str) -> str | None:
    """The board after the blank moves one cell `direction` (None when it would leave it)."""
    i = board.index(".")
    if (direction == "U" and i < 3) or (direction == "D" and i > 5):
        return None
    if (direction == "L" and i % 3 == 0) or (direction == "R" and i % 3 == 2):
        return None
    j = i + _STEP[direction]
    cells = list(board)
    cells[i], cells[j] = cells[j], cells[i]
    return "".join(cells)


def _neighbours(board: str) -> list[str]:
    return [b for d in "UDLR" if (b := move(board, d)) is not None]


def shortest_solution(start: str) -> list[str]:
    """The boards of one shortest path from `start` to GOAL: bidirectional breadth-first search
    that expands one whole layer at a time and keeps the shortest meeting found in that layer."""
    if start == GOAL:
        return [start]
    parents: list[dict[str, str | None]] = [{start: None}, {GOAL: None}]
    depth: list[dict[str, int]] = [{start: 0}, {GOAL: 0}]
    frontiers = [[start], [GOAL]]
    while frontiers[0] and frontiers[1]:
        k = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        best: tuple[int, list[str]] | None = None
        nxt = []
        for board in sorted(frontiers[k]):
            for b in _neighbours(board):
                if b in depth[1 - k]:  # the searches meet between `board` and `b`
                    ahead, behind = (board, b) if k == 0 else (b, board)
                    length = depth[0][ahead] + 1 + depth[1][behind]
                    if best is None or length < best[0]:
                        path = _chain(parents[0], ahead)[::-1] + _chain(parents[1], behind)
                        best = (length, path)
                if b not in depth[k]:
                    depth[k][b] = depth[k][board] + 1
                    parents[k][b] = board
                    nxt.append(b)
        if best is not None:
            return best[1]
        frontiers[k] = nxt
    raise ValueError("unsolvable board")


def _chain(parents: dict[str, str | None], board: str) -> list[str]:
    out = [board]
    while parents[out[-1]] is not None:
        out.append(parents[out[-1]])  # type: ignore[arg-type]
    return out


def moves_between(boards: list[str]) -> list[str]:
    return [
        next(d for d in "UDLR" if move(a, d) == b) for a, b in zip(boards, boards[1:], strict=False)
    ]


@register_family
class SlidingPuzzle(LogicFamily):
    """Solve a scrambled 8-puzzle in the fewest moves (any shortest solution scores).

    Difficulty d sets the scramble, a random walk of 2 + 2d blank moves (4..22, size) without
    immediate back-steps; the move budget is the solver's optimum. Reward 1/0.
    """

    name = "sliding_puzzle"
    title = "SlidingPuzzle"
    description = "Solve a scrambled 3x3 sliding puzzle in the fewest moves."
    difficulty_doc = "scramble walk of 2+2d blank moves (4..22, size); budget = BFS optimum"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        walk = 2 + 2 * difficulty
        board, last = GOAL, ""
        back = {"U": "D", "D": "U", "L": "R", "R": "L"}
        for _ in range(walk):
            options = [d for d in "UDLR" if d != back.get(last) and move(board, d) is not None]
            last = rng.choice(options)
            board = move(board, last)  # type: ignore[assignment]
        if board == GOAL:  # a walk can come back; take one more step away
            board = move(board, "U")  # type: ignore[assignment]
        solution = moves_between(shortest_solution(board))
        best = len(solution)
        rows = "\n".join(" ".join(board[r * 3 : r * 3 + 3]) for r in range(3))
        question = (
            "Sliding puzzle. The 3x3 board below has tiles 1-8 and one blank `.`:\n\n"
            f"{rows}\n\n"
            "A move slides the blank one cell up (U), down (D), left (L) or right (R), swapping it "
            "with the tile there. Reach the solved board\n1 2 3\n4 5 6\n7 8 .\n"
            "in the fewest possible moves. Answer with the moves as letters separated by spaces, "
            "for example `L U R`.\nPut your final answer inside <answer></answer>."
        )
        return make_task(question, solution, walk, board=board, optimum=best)

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:2000]
        if not _MOVES.fullmatch(text):
            return Verdict.unparseable("expected moves U D L R")
        moves = [ch for ch in text.upper() if ch in _STEP]
        best = int(task.metadata["optimum"])
        if len(moves) != best:
            return Verdict.incorrect(f"{len(moves)} moves; the fewest possible is {best}")
        board: str | None = str(task.metadata["board"])
        for i, d in enumerate(moves, 1):
            board = move(board, d)  # type: ignore[arg-type]
            if board is None:
                return Verdict.incorrect(f"move {i} ({d}) leaves the board")
        if board != GOAL:
            return Verdict.incorrect("the board is not solved")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        gold = self.format_answer(task).split()
        flip = {"U": "D", "D": "U", "L": "R", "R": "L"}
        return [
            " ".join(gold[:-1] + [flip[gold[-1]]]),
            " ".join(gold[:-1]),
            " ".join(gold + [gold[-1], flip[gold[-1]]]),
        ]

    def format_answer(self, task: Task) -> str:
        return " ".join(task.answer)
