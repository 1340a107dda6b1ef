"""Dominosa: a grid of numbers 0..m is a full double-m domino set laid out with the domino
borders erased; find the borders, so that every domino of the set appears exactly once.

Generation: a random domino tiling of the (m+1) x (m+2) grid and a random assignment of the
set's dominoes to its tiles. A bounded solver counts the tilings that use every domino once;
while a second one exists (or the budget runs out) a gold domino where they differ is shown as
given, so every puzzle is unique. The verifier checks the rules, not the stored tiling.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines
from gymhub.types import Task, Verdict

_MAX = (2, 2, 3, 3, 4, 4, 5, 5, 6, 6)  # highest number per difficulty
_NODE_LIMIT = 4_000
_STEP = {"R": (0, 1), "L": (0, -1), "D": (1, 0), "U": (-1, 0)}
_BACK = {"R": "L", "L": "R", "D": "U", "U": "D"}


def _tiling(rng: random.Random, rows: int, cols: int) -> list[list[str]]:
    """Each cell's partner direction in a random domino tiling."""
    while True:
        grid = [[""] * cols for _ in range(rows)]
        ok = True
        for r in range(rows):
            for c in range(cols):
                if grid[r][c]:
                    continue
                options = [
                    d
                    for d in ("R", "D")
                    if r + _STEP[d][0] < rows
                    and c + _STEP[d][1] < cols
                    and not grid[r + _STEP[d][0]][c + _STEP[d][1]]
                ]
                if not options:
                    ok = False
                    break
                d = rng.choice(options)
                grid[r][c] = d
                grid[r + _STEP[d][0]][c + _STEP[d][1]] = _BACK[d]
            if not ok:
                break
        if ok:
            return grid


def solve(
    values: list[list[int]], givens: dict[tuple[int, int], str], limit: int = 2
) -> tuple[list[list[list[str]]], bool]:
    rows, cols = len(values), len(values[0])
    grid = [[""] * cols for _ in range(rows)]
    for (r, c), d in givens.items():
        grid[r][c] = d
        grid[r + _STEP[d][0]][c + _STEP[d][1]] = _BACK[d]
    used: set[tuple[int, int]] = set()
    for (r, c), d in givens.items():
        a, b = values[r][c], values[r + _STEP[d][0]][c + _STEP[d][1]]
        used.add((min(a, b), max(a, b)))
    sols: list[list[list[str]]] = []
    nodes = 0

    def rec(pos: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return True
        while pos < rows * cols and grid[pos // cols][pos % cols]:
            pos += 1
        if pos == rows * cols:
            sols.append([list(row) for row in grid])
            return len(sols) >= limit
        r, c = divmod(pos, cols)
        for d in ("R", "D"):
            rr, cc = r + _STEP[d][0], c + _STEP[d][1]
            if rr >= rows or cc >= cols or grid[rr][cc]:
                continue
            a, b = values[r][c], values[rr][cc]
            key = (min(a, b), max(a, b))
            if key in used:
                continue
            used.add(key)
            grid[r][c], grid[rr][cc] = d, _BACK[d]
            stop = rec(pos + 1)
            grid[r][c] = grid[rr][cc] = ""
            used.discard(key)
            if stop:
                return True
        return False

    rec(0)
    return sols, nodes <= _NODE_LIMIT


@register_family
class Dominosa(LogicFamily):
    """Split the number grid into dominoes so each domino of the double-m set appears once.

    Accepted: one line per row, one letter per cell naming the direction of the cell's partner:
    `R` right, `L` left, `D` down, `U` up (any case; spaces, commas, bars ignored). Not
    accepted: other shapes or letters, partners that do not point back at each other.
    """

    name = "dominosa"
    title = "Dominosa"
    description = "Dominosa: find the domino borders so every domino of the set appears once."
    difficulty_doc = (
        "highest number 2,2,3,3,4,4,5,5,6,6 (grid (m+1)x(m+2); size = cells); dominoes shown "
        "only where needed for uniqueness"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        m = _MAX[difficulty - 1]
        rows, cols = m + 1, m + 2
        tiling = _tiling(rng, rows, cols)
        pairs = [(a, b) for a in range(m + 1) for b in range(a, m + 1)]
        rng.shuffle(pairs)
        values = [[-1] * cols for _ in range(rows)]
        k = 0
        for r in range(rows):
            for c in range(cols):
                if tiling[r][c] in ("R", "D"):
                    a, b = pairs[k]
                    if rng.random() < 0.5:
                        a, b = b, a
                    rr, cc = r + _STEP[tiling[r][c]][0], c + _STEP[tiling[r][c]][1]
                    values[r][c], values[rr][cc] = a, b
                    k += 1
        givens: dict[tuple[int, int], str] = {}
        for _ in range(rows * cols):
            sols, finished = solve(values, givens)
            if finished and len(sols) == 1:
                break
            other = next((s for s in sols if s != tiling), None)
            pool = [
                (r, c)
                for r in range(rows)
                for c in range(cols)
                if tiling[r][c] in ("R", "D")
                and (r, c) not in givens
                and (other is None or other[r][c] != tiling[r][c])
            ]
            if not pool:
                break
            cell = rng.choice(pool)
            givens[cell] = tiling[cell[0]][cell[1]]
        grid_text = "\n".join(" ".join(map(str, row)) for row in values)
        given_text = (
            "Already placed dominoes (cell and its partner, counted from 1): "
            + ", ".join(
                f"({r + 1},{c + 1})-({r + 1 + _STEP[d][0]},{c + 1 + _STEP[d][1]})"
                for (r, c), d in sorted(givens.items())
            )
            + ".\n"
            if givens
            else ""
        )
        question = (
            f"Dominosa. The {rows}x{cols} grid below is a complete set of dominoes with the "
            f"numbers 0 to {m} (every pair of numbers, doubles included, exactly once) laid "
            "out flat, with the borders between dominoes erased:\n\n"
            f"{grid_text}\n\n{given_text}"
            "Split the grid into dominoes (pairs of side-by-side cells) so that every domino of "
            "the set appears exactly once. Answer with one line per row and one letter per "
            "cell telling where that cell's partner is: R (right), L (left), D (down), U (up). "
            "For example a 2x3 grid could be\nR L D\nR L U\nPut your grid inside "
            "<answer></answer>."
        )
        return make_task(
            question,
            tiling,
            rows * cols,
            values=values,
            givens=[[r, c, d] for (r, c), d in sorted(givens.items())],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        values = task.metadata["values"]
        rows, cols = len(values), len(values[0])
        lines = answer_lines(answer[:20_000])
        if len(lines) != rows:
            return Verdict.unparseable(f"expected {rows} lines of {cols} letters")
        grid = []
        for line in lines:
            cells = [ch.upper() for ch in line if not ch.isspace() and ch not in ",|"]
            if len(cells) != cols or any(ch not in _STEP for ch in cells):
                return Verdict.unparseable(f"expected {rows} lines of {cols} letters R/L/D/U")
            grid.append(cells)
        seen: set[tuple[int, int]] = set()
        for r in range(rows):
            for c in range(cols):
                d = grid[r][c]
                rr, cc = r + _STEP[d][0], c + _STEP[d][1]
                if not (0 <= rr < rows and 0 <= cc < cols) or grid[rr][cc] != _BACK[d]:
                    return Verdict.incorrect(f"cell ({r + 1},{c + 1}) has no partner pointing back")
                if d in ("R", "D"):
                    a, b = values[r][c], values[rr][cc]
                    key = (min(a, b), max(a, b))
                    if key in seen:
                        return Verdict.incorrect(f"the domino {key[0]}-{key[1]} is used twice")
                    seen.add(key)
        for r, c, d in task.metadata["givens"]:
            if grid[r][c] != d:
                return Verdict.incorrect(f"the given domino at ({r + 1},{c + 1}) changed")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return "\n".join(" ".join(row) for row in task.answer)
