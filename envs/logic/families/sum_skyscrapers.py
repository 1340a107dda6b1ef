"""Sum skyscrapers (Enigmata's grid task): a Latin square of building heights; a clue outside
the grid is the **sum** of the heights visible from that side (a taller building hides every
lower one behind it).

Clues are removed in random order while a row-permutation solver (bounded by a node budget;
running out keeps the clue) still finds exactly one solution, so every puzzle is unique. The
verifier checks the rules: Latin square, givens kept, every clue's visible sum.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.skyscrapers import (
    broken_clue,
    clues_and_answer_form,
    make_puzzle,
    visible,
)
from gymhub.envs.logic.families.skyscrapers import count_solutions as count_skyscrapers
from gymhub.envs.logic.grids import format_grid
from gymhub.envs.logic.latin import check_square
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


def visible_sum(line: list[int] | tuple[int, ...]) -> int:
    return visible(line, by_height=True)


def count_solutions(
    n: int, clues: dict[str, list[int]], givens: list[list[int]], limit: int = 2
) -> int:
    """Solutions up to `limit` with the skyscrapers row-filling solver reading sum clues;
    running out of nodes returns `limit` (not proved unique)."""
    return count_skyscrapers(n, clues, givens, limit, by_height=True, node_limit=NODE_LIMIT)


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
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "side 3 (d1), 4 (d2-4), 5 (d5-8), 6 (d9-10), size = cells; within a side a growing "
        "share of the 4n clues is removed (kept where needed for uniqueness); 6x6 grids show "
        "some given heights to keep the uniqueness proofs bounded"
    )
    equivalents = {"enigmata": "sum_skyscraper"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = LEVELS[difficulty]
        solution, clues, givens = make_puzzle(rng, n, share, by_height=True, node_limit=NODE_LIMIT)
        question = (
            f"Solve this {n}x{n} Sum Skyscrapers puzzle. Put a building of height 1 to {n} in "
            "every cell so that each row and each column contains every height exactly once. A "
            "number outside the grid is the SUM of the heights of the buildings visible from "
            "that side, looking along the row or column: a building hides every lower building "
            "behind it. `.` means no clue; `_` is an empty cell, a number inside the grid is a "
            "given height that must not change.\n\n"
            f"{_render(n, clues, givens)}\n\n{clues_and_answer_form(n, clues)}"
        )
        return make_task(question, solution, n * n, n=n, clues=clues, givens=givens)

    def check(self, task: Task, answer: str) -> Verdict:
        clues = task.metadata["clues"]
        return check_square(
            answer,
            task.metadata["n"],
            task.metadata["givens"],
            lambda g: broken_clue(g, clues, by_height=True),
        )

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer)
