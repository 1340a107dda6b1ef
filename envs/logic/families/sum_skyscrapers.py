"""Sum skyscrapers (Enigmata's grid task): a Latin square of building heights; a clue outside
the grid is the **sum** of the heights visible from that side (a taller building hides every
lower one behind it).

Clues are removed in random order while a row-permutation solver (bounded by a node budget;
running out keeps the clue) still finds exactly one solution, so every puzzle is unique. The
verifier checks the rules: Latin square, givens kept, every clue's visible sum.
"""

from __future__ import annotations

import itertools
import random
from functools import cache

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_grid, read_digit_grid
from gymhub.envs.logic.latin import givens_kept, is_latin, random_latin_square
from gymhub.types import Task, Verdict

# difficulty -> (side, share of the 4n clues to try removing)
LEVELS = {
    1: (3, 0.3),
    2: (4, 0.3),
    3: (4, 0.6),
    4: (4, 0.9),
    5: (5, 0.3),
    6: (5, 0.5),
    7: (5, 0.7),
    8: (5, 0.9),
    9: (6, 0.5),
    10: (6, 0.8),
}
NODE_LIMIT = 600
SIDES = ("top", "bottom", "left", "right")


def visible_sum(line: list[int] | tuple[int, ...]) -> int:
    total = tallest = 0
    for h in line:
        if h > tallest:
            total, tallest = total + h, h
    return total


@cache
def _perms(n: int) -> list[tuple[tuple[int, ...], int, int, int]]:
    out = []
    for p in itertools.permutations(range(1, n + 1)):
        code = sum(1 << (c * n + v - 1) for c, v in enumerate(p))
        out.append((p, visible_sum(p), visible_sum(p[::-1]), code))
    return out


def clues_of(grid: list[list[int]]) -> dict[str, list[int]]:
    n = len(grid)
    cols = [[grid[r][c] for r in range(n)] for c in range(n)]
    return {
        "top": [visible_sum(col) for col in cols],
        "bottom": [visible_sum(col[::-1]) for col in cols],
        "left": [visible_sum(row) for row in grid],
        "right": [visible_sum(row[::-1]) for row in grid],
    }


def count_solutions(
    n: int, clues: dict[str, list[int]], givens: list[list[int]], limit: int = 2
) -> int:
    """Solutions up to `limit` (rows filled top to bottom from the permutations that fit their
    row clues and givens); running out of nodes returns `limit` (not proved unique)."""
    top, bottom, left, right = (clues[s] for s in SIDES)
    rows_ok = [
        [
            (p, code)
            for p, lv, rv, code in _perms(n)
            if (not left[r] or lv == left[r])
            and (not right[r] or rv == right[r])
            and all(not g or g == v for g, v in zip(givens[r], p))
        ]
        for r in range(n)
    ]
    tallest = [0] * n
    seen = [0] * n
    cols: list[list[int]] = [[] for _ in range(n)]
    found = nodes = 0

    def solve(r: int, used: int) -> bool:
        nonlocal found, nodes
        nodes += 1
        if nodes > NODE_LIMIT:
            found = limit
            return True
        if r == n:
            if any(bottom[c] and visible_sum(cols[c][::-1]) != bottom[c] for c in range(n)):
                return False
            found += 1
            return found >= limit
        for p, code in rows_ok[r]:
            if code & used:
                continue
            saved = (tallest[:], seen[:])
            ok = True
            for c in range(n):
                if p[c] > tallest[c]:
                    tallest[c] = p[c]
                    seen[c] += p[c]
                t = top[c]
                if t and (seen[c] > t or (tallest[c] == n and seen[c] != t)):
                    ok = False
                    break
            if ok:
                for c in range(n):
                    cols[c].append(p[c])
                stop = solve(r + 1, used | code)
                for c in range(n):
                    cols[c].pop()
                if stop:
                    return True
            tallest[:], seen[:] = saved
        return False

    solve(0, 0)
    return found


def _render(n: int, clues: dict[str, list[int]], givens: list[list[int]]) -> str:
    def mark(v: int) -> str:
        return str(v).rjust(2) if v else " ."

    lines = ["    " + " ".join(mark(v) for v in clues["top"])]
    for r in range(n):
        cells = " ".join(str(v).rjust(2) if v else " _" for v in givens[r])
        lines.append(f"{mark(clues['left'][r])}  {cells}  {mark(clues['right'][r])}")
    lines.append("    " + " ".join(mark(v) for v in clues["bottom"]))
    return "\n".join(lines)


@register_family
class SumSkyscrapers(LogicFamily):
    """Fill a Latin square of heights so that each edge clue equals the sum of the visible
    heights from that side; unique solution.

    Accepted: exactly n x n digits in reading order, any layout or separators. Not accepted:
    any other count of digits.
    """

    name = "sum_skyscrapers"
    title = "SumSkyscrapers"
    description = "Skyscrapers where each clue is the sum of the visible heights; unique."
    difficulty_doc = (
        "side 3 (d1), 4 (d2-4), 5 (d5-8), 6 (d9-10), size = cells; within a side a growing "
        "share of the 4n clues is removed (kept where needed for uniqueness); 6x6 grids show "
        "some given heights to keep the uniqueness proofs bounded"
    )
    equivalents = {"enigmata": "sum_skyscraper"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = LEVELS[difficulty]
        solution = random_latin_square(rng, n)
        clues = clues_of(solution)
        givens = [[0] * n for _ in range(n)]
        cells = [(r, c) for r in range(n) for c in range(n)]
        rng.shuffle(cells)
        for _ in range(n if n >= 6 else 0):
            r, c = cells.pop()
            givens[r][c] = solution[r][c]
        while count_solutions(n, clues, givens) != 1 and cells:
            r, c = cells.pop()
            givens[r][c] = solution[r][c]
        slots = [(side, i) for side in SIDES for i in range(n)]
        rng.shuffle(slots)
        for side, i in slots[: int(len(slots) * share)]:
            keep = clues[side][i]
            clues[side][i] = 0
            if count_solutions(n, clues, givens) != 1:
                clues[side][i] = keep
        listing = "; ".join(
            f"{side} {i + 1}: {v}" for side in SIDES for i, v in enumerate(clues[side]) if v
        )
        question = (
            f"Solve this {n}x{n} Sum Skyscrapers puzzle. Put a building of height 1 to {n} in "
            "every cell so that each row and each column contains every height exactly once. A "
            "number outside the grid is the SUM of the heights of the buildings visible from "
            "that side, looking along the row or column: a building hides every lower building "
            "behind it. `.` means no clue; `_` is an empty cell, a number inside the grid is a "
            "given height that must not change.\n\n"
            f"{_render(n, clues, givens)}\n\n"
            "Clues as a list (top/bottom count columns from the left, left/right count rows "
            f"from the top): {listing}.\n\n"
            f"Answer with the heights: {n} lines of {n} digits separated by spaces, top row "
            f"first (for example a line `{' '.join(str(i) for i in range(1, n + 1))}`), inside "
            "<answer></answer>."
        )
        return make_task(question, solution, n * n, n=n, clues=clues, givens=givens)

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = read_digit_grid(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n}x{n} = {n * n} digits")
        problem = givens_kept(grid, task.metadata["givens"]) or is_latin(grid, n)
        if problem is None:
            actual = clues_of(grid)
            for side, wanted in task.metadata["clues"].items():
                for i, v in enumerate(wanted):
                    if v and actual[side][i] != v:
                        return Verdict.incorrect(f"{side} clue {i + 1} sums to {actual[side][i]}")
        return Verdict.incorrect(problem) if problem else Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer)
