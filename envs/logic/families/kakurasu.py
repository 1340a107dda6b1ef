"""Kakurasu: shade cells so that each row's shaded column numbers and each column's shaded row
numbers add up to the clues.

Difficulty sets the side (3 to 9, `size` = cells). A random shading is drawn; when its clues admit
several shadings, cells are revealed (given shaded or empty) until a solver finds one solution.
"""

from __future__ import annotations

import random
from functools import cache

from gymhub.envs.logic import linesolve
from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_grid
from gymhub.types import Task, Verdict

SIDES = {1: 3, 2: 4, 3: 4, 4: 5, 5: 5, 6: 6, 7: 7, 8: 7, 9: 8, 10: 9}
NODE_LIMIT = 500


@cache
def _subsets(n: int) -> dict[int, list[int]]:
    """Line patterns (bitmasks, bit i = cell i) of length n grouped by their weighted sum (weights 1..n)."""
    out: dict[int, list[tuple[int, ...]]] = {}
    for mask in range(1 << n):
        weight = sum(i + 1 for i in range(n) if mask >> i & 1)
        out.setdefault(weight, []).append(mask)
    return out


def count_solutions(
    n: int, rows: list[int], cols: list[int], known: list[list[int]], limit: int = 2
) -> int:
    """Shadings matching the clues and the revealed cells (-1 = unknown), up to `limit`."""
    patterns = _subsets(n)
    return linesolve.count_solutions(
        [list(patterns.get(v, [])) for v in rows],
        [list(patterns.get(v, [])) for v in cols],
        known,
        limit,
        NODE_LIMIT,
    )


def clues_of(grid: list[list[int]]) -> tuple[list[int], list[int]]:
    n = len(grid)
    rows = [sum((c + 1) * grid[r][c] for c in range(n)) for r in range(n)]
    cols = [sum((r + 1) * grid[r][c] for r in range(n)) for c in range(n)]
    return rows, cols


@register_family
class Kakurasu(LogicFamily):
    name = "kakurasu"
    title = "Kakurasu"
    description = "Kakurasu: shade cells so weighted row/column sums match the clues; unique."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = "side " + ", ".join(f"d{d}: {n}" for d, n in SIDES.items()) + "; size = cells"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = SIDES[difficulty]
        grid = [[1 if rng.random() < 0.45 else 0 for _ in range(n)] for _ in range(n)]
        rows, cols = clues_of(grid)
        known = [[-1] * n for _ in range(n)]
        cells = [(r, c) for r in range(n) for c in range(n)]
        rng.shuffle(cells)
        patterns = _subsets(n)
        linesolve.reveal_until_unique(
            rng,
            grid,
            [list(patterns[v]) for v in rows],
            [list(patterns[v]) for v in cols],
            known,
            cells,
            NODE_LIMIT,
        )
        picture = [
            " ".join("#" if v == 1 else ("x" if v == 0 else ".") for v in known[r])
            + f" | {rows[r]}"
            for r in range(n)
        ]
        picture.append("-" * (2 * n) + "+")
        picture.append(" ".join(str(v) for v in cols))
        question = (
            f"Solve this {n}x{n} Kakurasu puzzle. Shade some cells. A shaded cell in column c "
            "counts c toward its row's sum, and a shaded cell in row r counts r toward its "
            "column's sum (rows and columns are numbered from 1, top-left). Each row's sum must "
            "equal the number at its right, and each column's sum the number below it.\n"
            "In the grid, '.' is undecided, '#' is a cell given as shaded and 'x' a cell given as "
            "empty.\n\n" + "\n".join(picture) + "\n\n"
            f"Answer with {n} lines of {n} symbols, '#' for shaded and '.' for empty, separated "
            "by spaces (for example a line `# . . #`), inside <answer></answer>."
        )
        return make_task(question, grid, n * n, n=n, rows=rows, cols=cols, known=known)

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = linesolve.read_shading(answer, n, task.metadata["known"])
        if isinstance(grid, Verdict):
            return grid
        rows, cols = clues_of(grid)
        if rows != task.metadata["rows"]:
            return Verdict.incorrect("a row sum does not match its clue")
        if cols != task.metadata["cols"]:
            return Verdict.incorrect("a column sum does not match its clue")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer, symbols=".#")
