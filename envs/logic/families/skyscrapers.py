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
from gymhub.envs.logic.grids import format_grid
from gymhub.envs.logic.latin import check_square, random_latin_square
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
SIDES = ("top", "bottom", "left", "right")


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


def make_puzzle(
    rng: random.Random,
    n: int,
    share: float,
    *,
    by_height: bool = False,
    node_limit: int = NODE_LIMIT,
) -> tuple[list[list[int]], dict[str, list[int]], list[list[int]]]:
    """(solution, clues, givens) of a unique puzzle: a random Latin square with all 4n clues,
    given cells added until the clues pin it down, then `share` of the clue slots tried for
    removal in random order, each kept only where the puzzle would stop being unique.
    `by_height` and `node_limit` go to `count_solutions` (the sum variant)."""

    def unique() -> bool:
        found = count_solutions(n, clues, givens, by_height=by_height, node_limit=node_limit)
        return found == 1

    solution = random_latin_square(rng, n)
    clues = clues_of(solution, by_height)
    givens = [[0] * n for _ in range(n)]
    cells = [(r, c) for r in range(n) for c in range(n)]
    rng.shuffle(cells)
    # 6x6 searches are costly in Python: start from n given cells to keep them bounded
    for _ in range(n if n >= 6 else 0):
        r, c = cells.pop()
        givens[r][c] = solution[r][c]
    # some squares are not pinned down by all 4n clues: add given cells until they are
    while not unique() and cells:
        r, c = cells.pop()
        givens[r][c] = solution[r][c]
    slots = [(side, i) for side in SIDES for i in range(n)]
    rng.shuffle(slots)
    for side, i in slots[: int(len(slots) * share)]:
        keep = clues[side][i]
        clues[side][i] = 0
        if not unique():
            clues[side][i] = keep
    return solution, clues, givens


def broken_clue(
    grid: list[list[int]], clues: dict[str, list[int]], by_height: bool = False
) -> str | None:
    """The first clue `grid` does not meet, described, or None."""
    actual = clues_of(grid, by_height)
    for side, wanted in clues.items():
        for i, v in enumerate(wanted):
            if v and actual[side][i] != v:
                if by_height:
                    return f"{side} clue {i + 1} sums to {actual[side][i]}"
                return f"{side} clue {i + 1} sees {actual[side][i]}, not {v}"
    return None


def clues_and_answer_form(n: int, clues: dict[str, list[int]]) -> str:
    """The end of the question: the kept clues as a list, then the answer format."""
    listing = "; ".join(
        f"{side} {i + 1}: {v}" for side in SIDES for i, v in enumerate(clues[side]) if v
    )
    return (
        "Clues as a list (top/bottom count columns from the left, left/right count rows from "
        f"the top): {listing}.\n\n"
        f"Answer with the heights: {n} lines of {n} digits separated by spaces, top row "
        f"first (for example a line `{' '.join(str(i) for i in range(1, n + 1))}`), inside "
        "<answer></answer>."
    )


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
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "side 3 (d1), 4 (d2-4), 5 (d5-7), 6 (d8-10), size = cells; within a side, a growing "
        "share of the 4n edge clues is removed (kept only where needed for uniqueness); 6x6 "
        "grids also show some given heights, which keeps the uniqueness proofs bounded"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = LEVELS[difficulty]
        solution, clues, givens = make_puzzle(rng, n, share)
        question = (
            f"Solve this {n}x{n} Skyscrapers puzzle. Put a building of height 1 to {n} in every "
            "cell so that each row and each column contains every height exactly once. A number "
            "outside the grid tells how many buildings are visible from that side, looking along "
            "the row or column: a building hides every lower building behind it. A blank means "
            "no clue; a digit inside the grid is a given height that must not change.\n\n"
            f"{_render(n, clues, givens)}\n\n{clues_and_answer_form(n, clues)}"
        )
        return make_task(question, solution, n * n, n=n, clues=clues, givens=givens)

    def check(self, task: Task, answer: str) -> Verdict:
        clues = task.metadata["clues"]
        return check_square(
            answer, task.metadata["n"], task.metadata["givens"], lambda g: broken_clue(g, clues)
        )

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer)
