"""Twiddle (Enigmata's sequential task): sort a scrambled grid by rotating 2x2 blocks.

The grid holds 1..n^2; one move turns the 2x2 block whose top-left cell is (r, c) a quarter turn
counter-clockwise. The grid was scrambled by `k` clockwise turns, so `k` counter-clockwise turns
always restore it; the answer may use at most `k` moves. The verifier replays the moves and
checks that the grid ends in reading order; any such sequence scores 1.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import read_pairs
from gymhub.types import Task, Verdict


def _shape(difficulty: int) -> tuple[int, int]:
    return (3 if difficulty <= 4 else 4), 1 + difficulty  # (side, scramble turns 2..11)


def turn(grid: list[list[int]], r: int, c: int, clockwise: bool = False) -> None:
    a, b, d, e = grid[r][c], grid[r][c + 1], grid[r + 1][c], grid[r + 1][c + 1]
    if clockwise:  # a b / d e  ->  d a / e b
        grid[r][c], grid[r][c + 1], grid[r + 1][c], grid[r + 1][c + 1] = d, a, e, b
    else:  # a b / d e  ->  b e / a d
        grid[r][c], grid[r][c + 1], grid[r + 1][c], grid[r + 1][c + 1] = b, e, a, d


def _solved(n: int) -> list[list[int]]:
    return [[r * n + c + 1 for c in range(n)] for r in range(n)]


@register_family
class Twiddle(LogicFamily):
    """Restore reading order with at most k counter-clockwise 2x2 block turns.

    Accepted: the top-left cells of the turned blocks in order, as `(r,c)` pairs (or `r c`)
    separated by commas, spaces or lines. Not accepted: any word, more than k moves, a block
    that leaves the grid.
    """

    name = "twiddle"
    title = "Twiddle"
    description = "Sort a grid of numbers by counter-clockwise 2x2 block turns within a budget."
    difficulty_doc = "side 3 (d1-4) or 4 (d5-10); scramble and move budget 1+d turns (2..11; size)"
    equivalents = {"enigmata": "twiddle"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, k = _shape(difficulty)
        grid = _solved(n)
        while True:
            moves: list[tuple[int, int]] = []
            grid = _solved(n)
            while len(moves) < k:
                pos = (rng.randrange(n - 1), rng.randrange(n - 1))
                if moves and moves[-1] == pos:
                    continue
                moves.append(pos)
                turn(grid, *pos, clockwise=True)
            probe = [list(row) for row in grid]
            for pos in ((0, 1), (1, 0)):  # the format example must not solve the puzzle
                turn(probe, *pos)
            if grid != _solved(n) and probe != _solved(n):
                break
        gold = [[r + 1, c + 1] for r, c in reversed(moves)]
        width = len(str(n * n))
        shown = "\n".join(" ".join(str(v).rjust(width) for v in row) for row in grid)
        question = (
            f"Twiddle. This {n}x{n} grid holds the numbers 1 to {n * n}:\n\n{shown}\n\n"
            "One move picks a 2x2 block by its top-left cell (row, column), counted from 1, and "
            "turns that block a quarter turn counter-clockwise: the block `a b / c d` becomes "
            "`b d / a c`. Using at most "
            f"{k} moves, bring the grid into reading order (1 2 3 ... on the first row, and so "
            "on). Answer with the moves in order as (row,column) pairs, for example "
            "<answer>(1,2), (2,1)</answer>. Put your answer inside <answer></answer>."
        )
        return make_task(question, gold, k, n=n, grid=grid, budget=k)

    def check(self, task: Task, answer: str) -> Verdict:
        n, budget = task.metadata["n"], task.metadata["budget"]
        moves = read_pairs(answer, limit=100)
        if moves is None:
            return Verdict.unparseable("expected (row,column) pairs")
        if len(moves) > budget:
            return Verdict.incorrect(f"{len(moves)} moves, more than the {budget} allowed")
        grid = [list(row) for row in task.metadata["grid"]]
        for r, c in moves:
            if not (1 <= r < n and 1 <= c < n):
                return Verdict.incorrect(f"no 2x2 block has its top-left cell at ({r},{c})")
            turn(grid, r - 1, c - 1)
        if grid != _solved(n):
            return Verdict.incorrect("the grid is not in reading order after the moves")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return ", ".join(f"({r},{c})" for r, c in task.answer)
