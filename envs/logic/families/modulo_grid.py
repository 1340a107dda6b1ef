"""Modulo grid: complete a grid whose filled cells follow a modular-arithmetic rule.

A cell (row r, column c, counted from 0) is filled exactly when (a*r + b*c) mod m == k for
fixed whole numbers m (2..M), a, b, k (0..m-1, a and b not both 0); the question states this
class of rules. Some cells are hidden; the generator enumerates every rule of the class that
agrees with the visible cells and reveals cells until they all agree on the hidden ones, so the
completion is unique. The verifier checks the rules: the visible cells are kept and some rule of
the class produces the whole answer grid.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import read_binary_grid
from gymhub.types import Task, Verdict


def rules(top: int) -> list[tuple[int, int, int, int]]:
    return [
        (m, a, b, k)
        for m in range(2, top + 1)
        for a in range(m)
        for b in range(m)
        if a or b
        for k in range(m)
    ]


def fits(rule: tuple[int, int, int, int], cells: list[tuple[int, int, int]]) -> bool:
    m, a, b, k = rule
    return all(((a * r + b * c) % m == k) == bool(v) for r, c, v in cells)


def render(rule: tuple[int, int, int, int], rows: int, cols: int) -> list[list[int]]:
    m, a, b, k = rule
    return [[int((a * r + b * c) % m == k) for c in range(cols)] for r in range(rows)]


def _shape(difficulty: int) -> tuple[int, int, int]:
    """(side, largest modulus, hidden block side)."""
    return 4 + difficulty, 3 + difficulty // 2, 1 + (difficulty + 1) // 2


@register_family
class ModuloGrid(LogicFamily):
    """Fill the hidden block of a grid drawn by a rule (a*row + b*col) mod m == k.

    Difficulty d sets the grid side 4+d (5..14), the largest modulus 3+d//2 (3..8) and the
    hidden block side 1+(d+1)//2 (2..6; shrunk only as needed for a unique completion); size =
    hidden cells; effort = rules of the class times grid cells (the uniqueness enumeration).
    Accepted: the whole grid, one line per row, `#` (or `1`, `X`) for filled and `.` (or `0`)
    for empty, separators ignored. Reward 1/0.
    """

    name = "modulo_grid"
    title = "ModuloGrid"
    description = "Complete a grid whose filled cells follow (a*row + b*col) mod m == k."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = "side 4+d (5..14), moduli up to 3+d//2, hidden block side 1+(d+1)//2"
    equivalents = {"reasoning_gym": "modulo_grid"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        side, top, block = _shape(difficulty)
        candidates = rules(top)
        while True:  # a rule that fills some but not all cells
            rule = rng.choice(candidates)
            grid = render(rule, side, side)
            if 0 < sum(map(sum, grid)) < side * side:
                break
        r0, c0 = rng.randrange(side - block + 1), rng.randrange(side - block + 1)
        hidden = {(r0 + i, c0 + j) for i in range(block) for j in range(block)}
        order = sorted(hidden, key=lambda rc: (abs(rc[0] - r0 - block / 2), rc))
        while True:  # reveal cells until every agreeing rule completes the grid the same way
            visible = [
                (r, c, grid[r][c]) for r in range(side) for c in range(side) if (r, c) not in hidden
            ]
            agreeing = [x for x in candidates if fits(x, visible)]
            completions = {
                tuple(render(x, side, side)[r][c] for r, c in sorted(hidden)) for x in agreeing
            }
            if len(completions) == 1:
                break
            hidden.discard(order.pop())
        text = "\n".join(
            " ".join("?" if (r, c) in hidden else "#."[1 - grid[r][c]] for c in range(side))
            for r in range(side)
        )
        question = (
            f"In the {side}x{side} grid below, `#` is a filled cell, `.` an empty one and `?` a "
            "hidden one. Rows and columns are counted from 0. The grid follows one rule: a cell "
            "(row r, column c) is filled exactly when (a*r + b*c) mod m = k, for some whole "
            f"numbers m from 2 to {top} and a, b, k from 0 to m-1 (a and b not both 0).\n\n"
            f"{text}\n\nGive the whole grid with every `?` replaced by `#` or `.`: {side} lines "
            f"of {side} symbols separated by spaces (a 2x2 grid would be written `# .` and "
            "`. .` on two lines).\nPut your final answer inside <answer></answer>."
        )
        return make_task(
            question, grid, len(hidden), side=side, top=top, rule=list(rule),
            hidden=sorted([list(h) for h in hidden]), effort=len(candidates) * side * side,
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        m = task.metadata
        side = m["side"]
        got = read_binary_grid(answer, side)
        if got is None:
            return Verdict.unparseable(f"expected {side} lines of {side} cells (# or .)")
        hidden = {tuple(h) for h in m["hidden"]}
        truth = render(tuple(m["rule"]), side, side)
        if any(
            got[r][c] != truth[r][c]
            for r in range(side)
            for c in range(side)
            if (r, c) not in hidden
        ):
            return Verdict.incorrect("a visible cell was changed")
        cells = [(r, c, got[r][c]) for r in range(side) for c in range(side)]
        if not any(fits(x, cells) for x in rules(m["top"])):
            return Verdict.incorrect("no rule of the stated kind draws this grid")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return "\n".join(" ".join("#" if v else "." for v in row) for row in task.answer)
