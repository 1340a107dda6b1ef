"""Skyscrapers: a Latin square of building heights; a clue outside the grid says how many
buildings are visible from that side (a taller building hides every shorter one behind it).

Difficulty sets the side (3 to 6, `size` = cells) and how many of the 4n edge clues are kept:
clues are removed in random order while a row-permutation solver still finds one solution.
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
    5: (5, 0.4),
    6: (5, 0.7),
    7: (5, 1.0),
    8: (6, 0.4),
    9: (6, 0.6),
    10: (6, 0.8),
}
NODE_LIMIT = 800  # rows placed per uniqueness check; running out keeps the clue


def visible(line: list[int] | tuple[int, ...], by_height: bool = False) -> int:
    """How many buildings are seen looking along `line` from its start (`by_height`: the sum
    of their heights instead, the clue of the sum variant)."""
    seen = tallest = 0
    for h in line:
        if h > tallest:
            seen, tallest = seen + (h if by_height else 1), h
    return seen


@cache
def _perms(n: int, by_height: bool = False) -> list[tuple[tuple[int, ...], int, int, int]]:
    """Every row: (heights, seen from the left, seen from the right, column-value bit code)."""
    out = []
    for p in itertools.permutations(range(1, n + 1)):
        code = sum(1 << (c * n + v - 1) for c, v in enumerate(p))
        out.append((p, visible(p, by_height), visible(p[::-1], by_height), code))
    return out


def clues_of(grid: list[list[int]], by_height: bool = False) -> dict[str, list[int]]:
    n = len(grid)
    cols = [[grid[r][c] for r in range(n)] for c in range(n)]
    return {
        "top": [visible(col, by_height) for col in cols],
        "bottom": [visible(col[::-1], by_height) for col in cols],
        "left": [visible(row, by_height) for row in grid],
        "right": [visible(row[::-1], by_height) for row in grid],
    }


def count_solutions(
    n: int,
    clues: dict[str, list[int]],
    givens: list[list[int]],
    limit: int = 2,
    *,
    by_height: bool = False,
    node_limit: int = NODE_LIMIT,
) -> int:
    """Solutions up to `limit`, filling whole rows top to bottom from the permutations that fit
    their row clues; column values are one bitmask test per row. Running out of `node_limit`
    nodes returns `limit` (treated as not unique). `by_height` reads sum clues."""
    top, bottom, left, right = clues["top"], clues["bottom"], clues["left"], clues["right"]
    rows_ok = [
        [
            (p, code)
            for p, lv, rv, code in _perms(n, by_height)
            if (not left[r] or lv == left[r])
            and (not right[r] or rv == right[r])
            and all(not g or g == v for g, v in zip(givens[r], p))
        ]
        for r in range(n)
    ]
    tallest = [0] * n
    seen = [0] * n
    cols: list[list[int]] = [[] for _ in range(n)]
    found = 0
    nodes = 0

    def solve(r: int, used: int) -> bool:
        nonlocal found, nodes
        nodes += 1
        if nodes > node_limit:
            found = limit
            return True
        if r == n:
            for c in range(n):
                if bottom[c] and visible(cols[c][::-1], by_height) != bottom[c]:
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
                    seen[c] += p[c] if by_height else 1
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
        return str(v) if v else " "

    lines = ["    " + "   ".join(mark(v) for v in clues["top"])]
    for r in range(n):
        lines.append(
            f"{mark(clues['left'][r])} | "
            + "   ".join(str(v) if v else "." for v in givens[r])
            + f" | {mark(clues['right'][r])}"
        )
    lines.append("    " + "   ".join(mark(v) for v in clues["bottom"]))
    return "\n".join(lines)


@register_family
class Skyscrapers(LogicFamily):
    name = "skyscrapers"
    title = "Skyscrapers"
    description = "Skyscrapers: place heights in a Latin square to match visibility clues; unique."
    difficulty_doc = (
        "side 3 (d1), 4 (d2-4), 5 (d5-7), 6 (d8-10), size = cells; within a side, a growing "
        "share of the 4n edge clues is removed (kept only where needed for uniqueness); 6x6 "
        "grids also show some given heights, which keeps the uniqueness proofs bounded"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = LEVELS[difficulty]
        solution = random_latin_square(rng, n)
        clues = clues_of(solution)
        givens = [[0] * n for _ in range(n)]
        cells = [(r, c) for r in range(n) for c in range(n)]
        rng.shuffle(cells)
        # 6x6 searches are costly in Python: start from n given cells to keep them bounded
        for _ in range(n if n >= 6 else 0):
            r, c = cells.pop()
            givens[r][c] = solution[r][c]
        # some squares are not pinned down by all 4n clues: add given cells until they are
        while count_solutions(n, clues, givens) != 1 and cells:
            r, c = cells.pop()
            givens[r][c] = solution[r][c]
        slots = [(side, i) for side in ("top", "bottom", "left", "right") for i in range(n)]
        rng.shuffle(slots)
        for side, i in slots[: int(len(slots) * share)]:
            keep = clues[side][i]
            clues[side][i] = 0
            if count_solutions(n, clues, givens) != 1:
                clues[side][i] = keep
        listing = "; ".join(
            f"{side} {i + 1}: {v}"
            for side in ("top", "bottom", "left", "right")
            for i, v in enumerate(clues[side])
            if v
        )
        question = (
            f"Solve this {n}x{n} Skyscrapers puzzle. Put a building of height 1 to {n} in every "
            "cell so that each row and each column contains every height exactly once. A number "
            "outside the grid tells how many buildings are visible from that side, looking along "
            "the row or column: a building hides every lower building behind it. A blank means "
            "no clue; a digit inside the grid is a given height that must not change.\n\n"
            f"{_render(n, clues, givens)}\n\n"
            f"Clues as a list (top/bottom count columns from the left, left/right count rows from "
            f"the top): {listing}.\n\n"
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
                        problem = f"{side} clue {i + 1} sees {actual[side][i]}, not {v}"
                        break
                if problem:
                    break
        return Verdict.incorrect(problem) if problem else Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer)
