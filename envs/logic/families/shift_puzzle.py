"""Shift puzzle (Enigmata's nine/sixteen puzzle): sort a grid by cyclic row and column shifts.

The grid holds 1..n^2; a move shifts one row left or right, or one column up or down, by one
cell, wrapping around. The grid was scrambled by `k` such moves, so `k` moves always restore it;
the answer may use at most `k`. The verifier replays the moves and checks reading order.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_MOVE = re.compile(r"([RC])(\d+)([LRUD])")
_INVERSE = {"L": "R", "R": "L", "U": "D", "D": "U"}


def _shape(difficulty: int) -> tuple[int, int]:
    return (3 if difficulty <= 5 else 4), 1 + difficulty  # (side, scramble moves 2..11)


def apply(grid: list[list[int]], kind: str, index: int, way: str) -> None:
    n = len(grid)
    if kind == "R":
        row = grid[index]
        grid[index] = row[1:] + row[:1] if way == "L" else row[-1:] + row[:-1]
    else:
        col = [grid[r][index] for r in range(n)]
        col = col[1:] + col[:1] if way == "U" else col[-1:] + col[:-1]
        for r in range(n):
            grid[r][index] = col[r]


def read_moves(text: str, limit: int = 100) -> list[tuple[str, int, str]] | None:
    if not isinstance(text, str) or len(text) > 5000:
        return None
    tokens = [t for t in re.split(r"[\s,;]+", text.strip().strip(".").upper()) if t]
    out = []
    for token in tokens:
        m = _MOVE.fullmatch(token)
        if m is None or (m.group(1) == "R") != (m.group(3) in "LR"):
            return None
        out.append((m.group(1), int(m.group(2)), m.group(3)))
    return out if out and len(out) <= limit else None


def _solved(n: int) -> list[list[int]]:
    return [[r * n + c + 1 for c in range(n)] for r in range(n)]


@register_family
class ShiftPuzzle(LogicFamily):
    """Restore reading order with at most k cyclic row/column shifts.

    Accepted: moves like `R2L` (row 2 left), `R1R` (row 1 right), `C3U` (column 3 up), `C2D`
    (column 2 down), any case, separated by spaces or commas. Not accepted: any other token,
    more than k moves, a row or column outside the grid.
    """

    name = "shift_puzzle"
    title = "ShiftPuzzle"
    description = "Sort a grid of numbers by cyclic row/column shifts within a move budget."
    difficulty_doc = "side 3 (d1-5) or 4 (d6-10); scramble and move budget 1+d moves (2..11; size)"
    equivalents = {"enigmata": "nine_puzzle"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, k = _shape(difficulty)
        while True:
            grid = _solved(n)
            moves: list[tuple[str, int, str]] = []
            while len(moves) < k:
                kind = rng.choice("RC")
                move = (kind, rng.randrange(n), rng.choice("LR" if kind == "R" else "UD"))
                if moves and moves[-1][:2] == move[:2] and moves[-1][2] != move[2]:
                    continue  # do not undo the previous move
                moves.append(move)
                apply(grid, *move)
            probe = [list(row) for row in grid]
            apply(probe, "R", 1, "L")  # the format example must not solve the puzzle
            apply(probe, "C", 0, "D")
            if grid != _solved(n) and probe != _solved(n):
                break
        gold = [f"{kind}{i + 1}{_INVERSE[way]}" for kind, i, way in reversed(moves)]
        width = len(str(n * n))
        shown = "\n".join(" ".join(str(v).rjust(width) for v in row) for row in grid)
        question = (
            f"Shift puzzle. This {n}x{n} grid holds the numbers 1 to {n * n}:\n\n{shown}\n\n"
            "One move shifts a whole row one cell left or right, or a whole column one cell up "
            "or down, cyclically (the number pushed off one end reappears at the other). Using "
            f"at most {k} moves, bring the grid into reading order (1 2 3 ... on the first row, "
            "and so on). Write a move as R<row><L|R> or C<column><U|D>, rows and columns counted "
            "from 1: R2L shifts row 2 left, C1D shifts column 1 down. Answer with the moves in "
            "order separated by spaces, for example <answer>R2L C1D</answer>. Put your answer "
            "inside <answer></answer>."
        )
        return make_task(question, gold, k, n=n, grid=grid, budget=k)

    def check(self, task: Task, answer: str) -> Verdict:
        n, budget = task.metadata["n"], task.metadata["budget"]
        moves = read_moves(answer)
        if moves is None:
            return Verdict.unparseable("expected moves like R2L or C1D")
        if len(moves) > budget:
            return Verdict.incorrect(f"{len(moves)} moves, more than the {budget} allowed")
        grid = [list(row) for row in task.metadata["grid"]]
        for kind, index, way in moves:
            if not 1 <= index <= n:
                return Verdict.incorrect(
                    f"there is no {'row' if kind == 'R' else 'column'} {index}"
                )
            apply(grid, kind, index - 1, way)
        if grid != _solved(n):
            return Verdict.incorrect("the grid is not in reading order after the moves")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return " ".join(task.answer)
