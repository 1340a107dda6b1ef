"""Hitori (Enigmata's search task): shade cells of a number grid so that no number repeats in
a row or column among the unshaded cells, no two shaded cells touch side by side, and the
unshaded cells form one orthogonally connected group.

Generation starts from a random Latin square (so the unshaded cells never repeat), shades a
random set of non-touching cells that keeps the rest connected, and gives every shaded cell the
number of an unshaded cell in its row or column, so it must be shaded or unshade a duplicate.
The verifier checks the three rules; any valid shading scores 1.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import connected, format_grid, orth, read_binary_grid
from gymhub.envs.logic.latin import random_latin_square
from gymhub.types import Task, Verdict

_SIDES = (4, 4, 5, 5, 6, 6, 7, 7, 8, 9)


def rule_problem(values: list[list[int]], shaded: list[list[int]]) -> str | None:
    n = len(values)
    for r in range(n):
        for c in range(n):
            if shaded[r][c] and any(shaded[a][b] for a, b in orth((r, c), n)):
                return f"shaded cells touch at ({r + 1},{c + 1})"
    for i in range(n):
        row = [values[i][c] for c in range(n) if not shaded[i][c]]
        if len(row) != len(set(row)):
            return f"row {i + 1} repeats a number among its unshaded cells"
        col = [values[r][i] for r in range(n) if not shaded[r][i]]
        if len(col) != len(set(col)):
            return f"column {i + 1} repeats a number among its unshaded cells"
    white = [(r, c) for r in range(n) for c in range(n) if not shaded[r][c]]
    if not connected(white):
        return "the unshaded cells are not one connected group"
    return None


@register_family
class Hitori(LogicFamily):
    """Shade cells so unshaded numbers never repeat in a line, shaded cells never touch side by
    side and the unshaded cells stay connected. Any valid shading scores 1.

    Accepted: exactly n x n cell symbols: `#` `1` `x` `X` `■` `█` `*` `@` shaded, `.` `0` `_`
    `□` `·` unshaded. Not accepted: any other count (the grid's numbers copied in are digits, so
    they are read as cells and break the count).
    """

    name = "hitori"
    title = "Hitori"
    description = "Hitori: shade duplicates away; shaded cells apart, unshaded cells connected."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = "grid side 4,4,5,5,6,6,7,7,8,9 (size = cells); about one cell in five shaded"
    equivalents = {"enigmata": "hitori"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIDES[difficulty - 1]
        values = random_latin_square(rng, n)
        shaded = [[0] * n for _ in range(n)]
        cells = [(r, c) for r in range(n) for c in range(n)]
        rng.shuffle(cells)
        target = max(2, n * n // 5 + (difficulty % 2))
        count = 0
        for r, c in cells:
            if count >= target:
                break
            if any(shaded[a][b] for a, b in orth((r, c), n)):
                continue
            shaded[r][c] = 1
            white = [(a, b) for a in range(n) for b in range(n) if not shaded[a][b]]
            if connected(white):
                count += 1
            else:
                shaded[r][c] = 0
        for r in range(n):
            for c in range(n):
                if shaded[r][c]:
                    pool = [values[r][b] for b in range(n) if not shaded[r][b]]
                    pool += [values[a][c] for a in range(n) if not shaded[a][c]]
                    values[r][c] = rng.choice(pool)
        question = (
            f"Hitori. Shade some cells of this {n}x{n} grid so that:\n"
            "- no number appears twice in any row or column among the unshaded cells;\n"
            "- no two shaded cells are side by side (touching diagonally is fine);\n"
            "- all unshaded cells form one group connected through shared sides.\n\n"
            f"{format_grid(values)}\n\n"
            f"Answer with {n} lines of {n} symbols, `#` for a shaded cell and `.` for an "
            "unshaded one (for example a line `.#..`), inside <answer></answer>."
        )
        return make_task(question, shaded, n * n, n=n, values=values)

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = read_binary_grid(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n}x{n} cells of '#' and '.'")
        problem = rule_problem(task.metadata["values"], grid)
        return Verdict.incorrect(problem) if problem else Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Unshading a shaded cell brings back its duplicate; shading a neighbour of a shaded
        cell makes two touch: both always break a rule."""
        n = task.metadata["n"]
        gold = task.answer
        out = []
        black = [(r, c) for r in range(n) for c in range(n) if gold[r][c]]
        for r, c in black[:2]:
            grid = [list(row) for row in gold]
            grid[r][c] = 0
            out.append(format_grid(grid, "", ".#"))
        r, c = black[-1]
        a, b = orth((r, c), n)[0]
        grid = [list(row) for row in gold]
        grid[a][b] = 1
        out.append(format_grid(grid, "", ".#"))
        return out

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer, "", ".#")
