"""Lights Out: pressing a cell toggles it and its orthogonal neighbours; switch every light off.

Difficulty sets the side (2 to 7, `size` = cells) and how many presses scrambled the board. Any
press list that switches everything off scores 1 (boards with a singular press matrix have
several solutions); a cell listed twice is pressed twice, which cancels.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_coordinates, format_grid, read_coordinates
from gymhub.types import Task, Verdict

# difficulty -> (side, share of cells pressed to scramble)
LEVELS = {
    1: (2, 0.5),  # 1-3 presses of four cells: with one, `(1,1)` was right on 28% of d1
    2: (3, 0.25),
    3: (3, 0.4),
    4: (4, 0.3),
    5: (4, 0.45),
    6: (5, 0.35),
    7: (5, 0.5),
    8: (6, 0.4),
    9: (6, 0.5),
    10: (7, 0.45),
}
MAX_PRESSES = 500


def press_all(n: int, board: list[list[int]], presses: list[tuple[int, int]]) -> list[list[int]]:
    out = [row[:] for row in board]
    for r, c in presses:
        for dr, dc in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)):
            rr, cc = r + dr, c + dc
            if 0 <= rr < n and 0 <= cc < n:
                out[rr][cc] ^= 1
    return out


#: the format examples the prompt may show, in order of preference (0-based cells)
EXAMPLES = (((0, 2), (1, 1)), ((1, 0), (2, 2)), ((0, 0), (2, 1)))


def _example(n: int, board: list[list[int]]) -> str:
    """The first format example of which neither the whole nor one cell alone switches this
    board off: copying it, or half of it (`(2,2)` of `(1,3), (2,2)` solved one-press boards),
    must not pay (two of them failing on one board would take a quiet pattern of few cells)."""

    def solves(cells: list[tuple[int, int]]) -> bool:
        return not any(map(any, press_all(n, board, cells)))

    cells = next(
        (e for e in EXAMPLES if not solves(list(e)) and not any(solves([c]) for c in e)),
        EXAMPLES[-1],
    )
    return ", ".join(f"({r + 1},{c + 1})" for r, c in cells)


@register_family
class LightsOut(LogicFamily):
    name = "lights_out"
    title = "LightsOut"
    description = "Lights Out: find presses that switch every light off (any valid set scores)."
    difficulty_doc = (
        "side "
        + ", ".join(f"d{d}: {v[0]}" for d, v in LEVELS.items())
        + "; size = cells; the scramble presses a growing share of cells"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = LEVELS[difficulty]
        cells = [(r, c) for r in range(n) for c in range(n)]
        count = max(1, round(share * n * n))
        if n == 2:  # 1 to 3 presses of the four cells, so that no press set is common
            count = rng.randint(1, 3)
        presses = sorted(rng.sample(cells, count))
        board = press_all(n, [[0] * n for _ in range(n)], presses)
        if not any(map(any, board)):  # a scramble that cancels out: press one more cell
            extra = next(c for c in cells if c not in presses)
            presses = sorted([*presses, extra])
            board = press_all(n, board, [extra])
        gold = [[r + 1, c + 1] for r, c in presses]
        question = (
            f"Lights Out on a {n}x{n} board. 1 means the light is on, 0 off:\n\n"
            f"{format_grid(board)}\n\n"
            "Pressing a cell toggles that cell and its up, down, left and right neighbours (on "
            "becomes off and off becomes on). Give a list of cells to press, in any order, that "
            "switches every light off. Cells are (row, column), numbered from 1 at the top-left; "
            "pressing a cell twice undoes it.\n\n"
            f"Answer with the cells separated by commas, for example `{_example(n, board)}`, "
            "inside <answer></answer>."
        )
        return make_task(question, gold, n * n, n=n, board=board)

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        presses = read_coordinates(answer, limit=MAX_PRESSES)
        if presses is None:
            return Verdict.unparseable("expected a list of (row, column) pairs")
        if any(not (1 <= r <= n and 1 <= c <= n) for r, c in presses):
            return Verdict.incorrect(f"a pressed cell lies outside the {n}x{n} board")
        final = press_all(n, task.metadata["board"], [(r - 1, c - 1) for r, c in presses])
        lit = sum(map(sum, final))
        if lit:
            return Verdict.incorrect(f"{lit} light(s) are still on")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_coordinates([tuple(p) for p in task.answer])
