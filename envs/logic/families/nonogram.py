"""Nonogram: shade cells so that each row and column shows its runs of shaded cells, in order.

Difficulty sets the side (4 to 12, `size` = cells). A random picture is drawn; when its clues
admit several pictures, cells where two solutions differ are revealed until the line solver
proves a single solution. Any grid that matches every clue (and the revealed cells) scores 1.
"""

from __future__ import annotations

import random
from functools import cache

from gymhub.envs.logic import linesolve
from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict

SIDES = {1: 4, 2: 5, 3: 5, 4: 6, 5: 7, 6: 8, 7: 9, 8: 10, 9: 11, 10: 12}
NODE_LIMIT = 1_000


def runs(line: list[int]) -> list[int]:
    """The lengths of the runs of 1s in `line`."""
    out, count = [], 0
    for v in line:
        if v:
            count += 1
        elif count:
            out.append(count)
            count = 0
    if count:
        out.append(count)
    return out


@cache
def placements(clue: tuple[int, ...], length: int) -> list[int]:
    """Every line (bitmask, bit i = cell i) of `length` cells whose runs are `clue`."""
    if not clue:
        return [0]
    first, rest = clue[0], clue[1:]
    need_rest = sum(rest) + len(rest)
    out = []
    for start in range(length - need_rest - first + 1):
        block = ((1 << first) - 1) << start
        if not rest:
            out.append(block)
            continue
        offset = start + first + 1
        for tail in placements(rest, length - offset):
            out.append(block | tail << offset)
    return out


@register_family
class Nonogram(LogicFamily):
    name = "nonogram"
    title = "Nonogram"
    description = (
        "Nonogram: shade cells to match row/column run clues; unique (line-solver proved)."
    )
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = "side " + ", ".join(f"d{d}: {n}" for d, n in SIDES.items()) + "; size = cells"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = SIDES[difficulty]
        grid = [[1 if rng.random() < 0.55 else 0 for _ in range(n)] for _ in range(n)]
        rows = [runs(row) for row in grid]
        cols = [runs([grid[r][c] for r in range(n)]) for c in range(n)]
        known = [[-1] * n for _ in range(n)]
        cells = [(r, c) for r in range(n) for c in range(n)]
        rng.shuffle(cells)
        row_opts = [placements(tuple(clue), n) for clue in rows]
        col_opts = [placements(tuple(clue), n) for clue in cols]
        linesolve.reveal_until_unique(rng, grid, row_opts, col_opts, known, cells, NODE_LIMIT)

        def clue_text(clue: list[int]) -> str:
            return " ".join(map(str, clue)) if clue else "0"

        lines = [f"Row {r + 1}: {clue_text(rows[r])}" for r in range(n)]
        lines += [f"Column {c + 1}: {clue_text(cols[c])}" for c in range(n)]
        given = [
            f"({r + 1},{c + 1}) is {'shaded' if known[r][c] else 'empty'}"
            for r in range(n)
            for c in range(n)
            if known[r][c] >= 0
        ]
        question = (
            f"Solve this {n}x{n} nonogram. Shade cells so that each row (read left to right) "
            "and each column (read top to bottom) contains runs of consecutive shaded cells "
            "with exactly the listed lengths, in that order, separated by at least one empty "
            "cell. A clue of 0 means the line is empty.\n\n"
            + "\n".join(lines)
            + "\n\n"
            + (
                "Given cells (row, column), numbered from 1 at the top-left: "
                + "; ".join(given)
                + ".\n\n"
                if given
                else ""
            )
            + f"Answer with {n} lines of {n} symbols, '#' for a shaded cell and '.' for an "
            "empty one, separated by spaces (for example a line `# # . #`), inside "
            "<answer></answer>."
        )
        return make_task(question, grid, n * n, n=n, rows=rows, cols=cols, known=known)

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = linesolve.read_shading(answer, n, task.metadata["known"])
        if isinstance(grid, Verdict):
            return grid
        for r in range(n):
            if runs(grid[r]) != task.metadata["rows"][r]:
                return Verdict.incorrect(f"row {r + 1} does not match its clue")
        for c in range(n):
            if runs([grid[r][c] for r in range(n)]) != task.metadata["cols"][c]:
                return Verdict.incorrect(f"column {c + 1} does not match its clue")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer, symbols=".#")
