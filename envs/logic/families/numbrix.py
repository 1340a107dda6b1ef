"""Numbrix: fill a grid with 1..N*N so that consecutive numbers are orthogonal neighbours.

Generation: a random Hamiltonian path (a serpentine path scrambled by "backbite" moves), some
of its numbers shown as clues, then a bounded solver counts solutions; while a second exists, a
gold number where they differ is revealed, so the puzzle has exactly one solution.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import orth
from gymhub.types import Task, Verdict

# (side, share of cells shown before uniqueness repair) per difficulty 1..10
_LEVELS = (
    (4, 0.5),
    (4, 0.4),
    (5, 0.4),
    (5, 0.35),
    (6, 0.35),
    (6, 0.3),
    (7, 0.3),
    (7, 0.27),
    (8, 0.25),
    (9, 0.25),
)
_NODE_LIMIT = 5_000
_NUM = re.compile(r"\d+")

Cell = tuple[int, int]


def random_path(rng: random.Random, n: int) -> list[Cell]:
    """A Hamiltonian path of the n x n grid: a serpentine scrambled by backbite moves."""
    path = [(r, c if r % 2 == 0 else n - 1 - c) for r in range(n) for c in range(n)]
    for _ in range(12 * n * n):
        if rng.random() < 0.5:
            path.reverse()
        head = path[0]
        index = {cell: i for i, cell in enumerate(path)}
        options = [index[x] for x in orth(head, n) if index[x] >= 2]
        if options:
            i = rng.choice(options)
            path = path[:i][::-1] + path[i:]
    return path


def solve(n: int, clues: dict[Cell, int], limit: int = 2) -> tuple[list[dict[Cell, int]], bool]:
    """Up to `limit` solutions (cell -> number); False when the node budget ran out first.
    Numbers are placed outward from the smallest clue, pruned by the distance to the next clue."""
    top = n * n
    at: dict[int, Cell] = {v: cell for cell, v in clues.items()}
    clue_cells = set(clues)
    ordered = sorted(at)
    start = ordered[0]
    steps = [(v, v - 1) for v in range(start + 1, top + 1)]
    steps += [(v, v + 1) for v in range(start - 1, 0, -1)]
    # the next clue in the direction of travel, for every step
    target: list[int | None] = []
    for v, u in steps:
        if v > u:
            target.append(next((g for g in ordered if g >= v), None))
        else:
            target.append(next((g for g in reversed(ordered) if g <= v), None))
    pos: dict[int, Cell] = dict(at)
    used: set[Cell] = set(clue_cells)
    sols: list[dict[Cell, int]] = []
    nodes = 0

    def rec(i: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return False
        if i == len(steps):
            sols.append({cell: v for v, cell in pos.items()})
            return len(sols) < limit
        v, u = steps[i]
        here = pos[u]
        if v in at:
            if abs(at[v][0] - here[0]) + abs(at[v][1] - here[1]) == 1:
                return rec(i + 1)
            return True
        goal = target[i]
        for cell in orth(here, n):
            if cell in used:
                continue
            if goal is not None:
                gap = abs(goal - v)
                dist = abs(at[goal][0] - cell[0]) + abs(at[goal][1] - cell[1])
                if dist > gap or (gap - dist) % 2:
                    continue
            used.add(cell)
            pos[v] = cell
            go = rec(i + 1)
            del pos[v]
            used.discard(cell)
            if not go:
                return False
        return True

    rec(0)
    return sols, nodes <= _NODE_LIMIT


@register_family
class Numbrix(LogicFamily):
    """Numbrix: fill the blanks so that the grid holds 1..N*N once each and every pair of
    consecutive numbers is orthogonally adjacent (a path through all cells). Difficulty sets the
    side N (4,4,5,5,6,6,7,7,8,9 for 1..10) and the share of clues shown before uniqueness repair
    (50% down to 25%); `size` is the number of cells. Unique solution (solver-checked)."""

    name = "numbrix"
    title = "Numbrix"
    description = "Fill a grid with 1..N*N so that consecutive numbers are orthogonal neighbours."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = "grid side 4,4,5,5,6,6,7,7,8,9 (size = cells), clues 50%..25%; unique solution"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = _LEVELS[max(1, min(10, int(difficulty))) - 1]
        path = random_path(rng, n)
        gold = {cell: i + 1 for i, cell in enumerate(path)}
        cells = sorted(gold)
        shown = set(rng.sample(cells, max(2, round(share * len(cells)))))
        for _ in range(len(cells)):
            sols, finished = solve(n, {cell: gold[cell] for cell in shown})
            if finished and len(sols) == 1:
                break
            hidden = [cell for cell in cells if cell not in shown]
            if not hidden:
                break
            other = next((s for s in sols if s != gold), None)
            differ = [cell for cell in hidden if other is not None and other[cell] != gold[cell]]
            # an unfinished search (budget out) reveals several clues at once, to stay bounded
            pool = differ or hidden
            for cell in rng.sample(pool, 1 if finished else min(n, len(pool))):
                shown.add(cell)
        width = len(str(n * n))
        table = "\n".join(
            " ".join((str(gold[(r, c)]) if (r, c) in shown else "_").rjust(width) for c in range(n))
            for r in range(n)
        )
        question = (
            f"Numbrix. Fill the blanks (_) of the {n}x{n} grid below with numbers so that every "
            f"number from 1 to {n * n} appears exactly once and each number is orthogonally "
            "adjacent (up, down, left or right; not diagonally) to the next one, so that the "
            f"numbers 1, 2, ..., {n * n} form one path through all cells.\n\n"
            f"{table}\n\n"
            f"Answer format: the complete grid, {n} lines of {n} numbers separated by spaces "
            "(given numbers included), for example for a 3x3 grid:\n1 2 3\n8 9 4\n7 6 5\n"
            "Put your grid inside <answer></answer>."
        )
        answer = [[gold[(r, c)] for c in range(n)] for r in range(n)]
        return make_task(
            question,
            answer,
            n * n,
            n=n,
            givens=[[r, c, gold[(r, c)]] for r, c in sorted(shown)],
            blanks=n * n - len(shown),
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        lines = [ln for ln in answer.strip().splitlines() if _NUM.search(ln)]
        grid = [_NUM.findall(ln) for ln in lines]
        if len(grid) != n or any(len(row) != n or any(len(x) > 4 for x in row) for row in grid):
            return Verdict.unparseable(f"expected {n} lines of {n} numbers")
        values = {int(grid[r][c]): (r, c) for r in range(n) for c in range(n)}
        if sorted(values) != list(range(1, n * n + 1)):
            return Verdict.incorrect(f"the grid must hold 1..{n * n} once each")
        for v in range(1, n * n):
            (r1, c1), (r2, c2) = values[v], values[v + 1]
            if abs(r1 - r2) + abs(c1 - c2) != 1:
                return Verdict.incorrect(f"{v} and {v + 1} are not orthogonal neighbours")
        for r, c, v in task.metadata["givens"]:
            if int(grid[r][c]) != v:
                return Verdict.incorrect(f"given number at ({r + 1},{c + 1}) changed")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return "\n".join(" ".join(str(v) for v in row) for row in task.answer)
