"""Light Up / Akari (Enigmata's search task): place bulbs in the white cells of a grid with
black cells so that every white cell is lit, no bulb shines on another, and every numbered
black cell has exactly that many bulbs beside it.

A bulb lights its own cell and every white cell in its row and column until a black cell.
Generation places random black cells, then bulbs on still-unlit cells in random order (so no
two see each other and all cells end lit), and numbers a growing share of the black cells. The
verifier checks the rules; any valid placement scores 1.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_coordinates, orth, read_pairs
from gymhub.types import Task, Verdict

_SIDES = (5, 5, 6, 6, 7, 7, 8, 8, 9, 10)


def lit_by(n: int, black: set[tuple[int, int]], bulb: tuple[int, int]) -> list[tuple[int, int]]:
    """The cells a bulb lights (its own cell included)."""
    out = [bulb]
    for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        r, c = bulb[0] + dr, bulb[1] + dc
        while 0 <= r < n and 0 <= c < n and (r, c) not in black:
            out.append((r, c))
            r, c = r + dr, c + dc
    return out


def rule_problem(n: int, black: set, numbers: dict, bulbs: list[tuple[int, int]]) -> str | None:
    placed = set(bulbs)
    if len(placed) != len(bulbs):
        return "a bulb is listed twice"
    lit: set[tuple[int, int]] = set()
    for bulb in bulbs:
        if not (0 <= bulb[0] < n and 0 <= bulb[1] < n) or bulb in black:
            return f"({bulb[0] + 1},{bulb[1] + 1}) is not a white cell"
        cells = lit_by(n, black, bulb)
        if any(cell in placed for cell in cells[1:]):
            return f"the bulb at ({bulb[0] + 1},{bulb[1] + 1}) shines on another bulb"
        lit.update(cells)
    for (r, c), k in numbers.items():
        got = sum(nb in placed for nb in orth((r, c), n))
        if got != k:
            return f"black cell ({r + 1},{c + 1}) has {got} bulbs beside it, not {k}"
    for r in range(n):
        for c in range(n):
            if (r, c) not in black and (r, c) not in lit:
                return f"cell ({r + 1},{c + 1}) is not lit"
    return None


@register_family
class LightUp(LogicFamily):
    """Place bulbs so every white cell is lit, bulbs never see each other and numbered black
    cells have that many adjacent bulbs. Any valid placement scores 1.

    Accepted: the bulb cells as `(r,c)` pairs (1-based), in any order, separated by commas,
    spaces or lines. Not accepted: any word or other symbol, a bulb listed twice, a black cell.
    """

    name = "light_up"
    title = "LightUp"
    description = "Light Up (Akari): light every white cell with bulbs that never see each other."
    difficulty_doc = (
        "grid side 5,5,6,6,7,7,8,8,9,10 (size = cells); about 1/6 black cells; the share of "
        "numbered black cells falls from 90% to 50%"
    )
    equivalents = {"enigmata": "light_up"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIDES[difficulty - 1]
        cells = [(r, c) for r in range(n) for c in range(n)]
        black = set(rng.sample(cells, n * n // 6))
        white = [cell for cell in cells if cell not in black]
        rng.shuffle(white)
        lit: set[tuple[int, int]] = set()
        bulbs = []
        for cell in white:
            if cell not in lit:
                bulbs.append(cell)
                lit.update(lit_by(n, black, cell))
        share = 0.9 - 0.4 * (difficulty - 1) / 9
        numbers = {}
        for cell in sorted(black):
            if rng.random() < share:
                numbers[cell] = sum(nb in set(bulbs) for nb in orth(cell, n))
        rows = []
        for r in range(n):
            row = []
            for c in range(n):
                if (r, c) in numbers:
                    row.append(str(numbers[(r, c)]))
                else:
                    row.append("#" if (r, c) in black else ".")
            rows.append(" ".join(row))
        question = (
            f"Light Up (Akari). In this {n}x{n} grid `.` is a white cell, `#` a black cell and a "
            "digit a black cell with a number.\n\n" + "\n".join(rows) + "\n\n"
            "Place light bulbs in white cells so that: a bulb lights its own cell and every "
            "white cell in its row and column up to the next black cell or the edge; every white "
            "cell is lit; no bulb is lit by another bulb; and every numbered black cell has "
            "exactly that many bulbs in the cells sharing a side with it (unnumbered black cells "
            "may have any number).\n"
            "Answer with the bulb cells as (row,column) pairs counted from 1, separated by "
            "commas, for example <answer>(1,2), (3,4)</answer>. Put your answer inside "
            "<answer></answer>."
        )
        gold = sorted([r, c] for r, c in bulbs)
        return make_task(
            question,
            gold,
            n * n,
            n=n,
            black=sorted([r, c] for r, c in black),
            numbers=sorted([r, c, k] for (r, c), k in numbers.items()),
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        pairs = read_pairs(answer, limit=n * n)
        if pairs is None:
            return Verdict.unparseable("expected (row,column) pairs")
        black = {(r, c) for r, c in task.metadata["black"]}
        numbers = {(r, c): k for r, c, k in task.metadata["numbers"]}
        bulbs = [(r - 1, c - 1) for r, c in pairs]
        problem = rule_problem(n, black, numbers, bulbs)
        return Verdict.incorrect(problem) if problem else Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Removing a bulb leaves its cell dark; adding one on a lit cell makes two bulbs see
        each other: both always break a rule."""
        n = task.metadata["n"]
        gold = [tuple(b) for b in task.answer]
        black = {(r, c) for r, c in task.metadata["black"]}
        out = [format_coordinates([(r + 1, c + 1) for r, c in gold[1:]])]
        out.append(format_coordinates([(r + 1, c + 1) for r, c in gold[:-1]]))
        spare = next(
            (r, c) for r in range(n) for c in range(n) if (r, c) not in black and (r, c) not in gold
        )
        out.append(format_coordinates([(r + 1, c + 1) for r, c in [*gold, spare]]))
        return out

    def format_answer(self, task: Task) -> str:
        return format_coordinates([(r + 1, c + 1) for r, c in task.answer])
