"""Rectangle count: how many rectangles an ASCII drawing of overlapping outlines contains.

A rectangle counts when its whole border is drawn with `#`, so overlapping outlines form extra
rectangles. Outlines are drawn on even rows and columns only, so no two parallel lines touch.
The verifier recounts on the drawing stored in the metadata (the rule) with run-length tables.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._balance import pick_balanced
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.envs.logic.families.arithmetic_chain import expect_integer
from gymhub.types import Task, Verdict


def count_rectangles(rows: list[str]) -> tuple[int, int]:
    """(rectangles of at least 2x2 cells whose border is all `#`, corner pairs tested)."""
    h, w = len(rows), len(rows[0])
    right = [[0] * (w + 1) for _ in range(h)]
    down = [[0] * w for _ in range(h + 1)]
    for r in range(h):
        for c in range(w - 1, -1, -1):
            right[r][c] = right[r][c + 1] + 1 if rows[r][c] == "#" else 0
    for c in range(w):
        for r in range(h - 1, -1, -1):
            down[r][c] = down[r + 1][c] + 1 if rows[r][c] == "#" else 0
    total = tested = 0
    for r1 in range(h):
        for c1 in range(w):
            for c2 in range(c1 + 1, c1 + right[r1][c1]):
                depth = min(down[r1][c1], down[r1][c2])
                for r2 in range(r1 + 1, r1 + depth):
                    tested += 1
                    if right[r2][c1] >= c2 - c1 + 1:
                        total += 1
    return total, tested


#: the share of tasks whose outlines may all stand apart (the answer is then their number)
_PLAIN_SHARE = 0.15
_ATTEMPTS = 30
_CANDIDATES = 12


def _drawing(rng: random.Random, h: int, w: int, outlines: int) -> list[str]:
    """`outlines` rectangle outlines on an h x w canvas, corners on even rows and columns at
    least two steps apart."""
    grid = [["." for _ in range(w)] for _ in range(h)]
    for _ in range(outlines):
        r1, r2 = sorted(rng.sample(range(0, h, 2), 2))
        c1, c2 = sorted(rng.sample(range(0, w, 2), 2))
        for c in range(c1, c2 + 1):
            grid[r1][c] = grid[r2][c] = "#"
        for r in range(r1, r2 + 1):
            grid[r][c1] = grid[r][c2] = "#"
    return ["".join(row) for row in grid]


def _crossing(rng: random.Random, h: int, w: int, outlines: int) -> tuple[list[str], int, int]:
    """A drawing whose outlines cross where `_ATTEMPTS` tries allow: rows, count, pairs tested."""
    for _attempt in range(_ATTEMPTS):
        rows = _drawing(rng, h, w, outlines)
        total, tested = count_rectangles(rows)
        if total != outlines:
            break
    return rows, total, tested


@register_family
class RectangleCount(LogicFamily):
    """Count the rectangles whose whole border is drawn in an ASCII picture of outlines.

    Difficulty d sets the outlines drawn 1+d (2..11) on a canvas of (9+2d) x (15+3d) cells
    (size = outlines); effort = canvas cells (the run-length tables) plus the corner pairs the counter
    tests. Thirteen drawings are made (twelve redrawn until outlines cross) and one kept by its count,
    each count they show as likely; about 15% of the tasks have outlines that all stand apart
    (whose count, stated in the question, is then the answer). Accepted:
    one whole number. Reward 1/0.
    """

    name = "rectangle_count"
    title = "RectangleCount"
    description = "Count the rectangles formed by overlapping outlines in an ASCII drawing."
    difficulty_doc = "outlines 1+d (2..11) on a (9+2d) x (15+3d) canvas; overlaps add rectangles"
    equivalents = {"reasoning_gym": "rectangle_count"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        h, w = 9 + 2 * difficulty, 15 + 3 * difficulty
        outlines = 1 + difficulty
        # the question says how many outlines are drawn: when they do not cross, that number is
        # the answer, which at d1 was so on 68% of tasks; and crossing pairs bunched on one
        # count (`4` on 36% of the d1 tasks). Several drawings are made, redrawn until outlines
        # cross, plus one drawn once; one is kept by its count, each count they show as likely
        # and the stated number of outlines on a small share (`pick_balanced`)
        candidates = [_crossing(rng, h, w, outlines) for _ in range(_CANDIDATES)]
        plain_rows = _drawing(rng, h, w, outlines)
        candidates.append((plain_rows, *count_rectangles(plain_rows)))
        rows, total, tested = pick_balanced(
            rng, candidates, lambda c: c[1], (outlines,), _PLAIN_SHARE
        )
        picture = "\n".join(rows)
        question = (
            f"The picture below draws {outlines} rectangle outlines with `#` (`.` is empty); "
            "they may overlap and cross.\n\n"
            f"{picture}\n\nHow many rectangles does the picture contain? Count every rectangle "
            "whose whole border (all four sides, corners included) is drawn with `#`, including "
            "those formed by parts of different outlines. Answer with one whole number, for "
            f"example `{examples_besides(total, '5', '7')[0]}`.\nPut your final answer inside "
            "<answer></answer>."
        )
        return make_task(question, total, outlines, rows=rows, effort=h * w + tested)

    def check(self, task: Task, answer: str) -> Verdict:
        total, _ = count_rectangles(task.metadata["rows"])
        return expect_integer(answer, total, "the number of rectangles")

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
