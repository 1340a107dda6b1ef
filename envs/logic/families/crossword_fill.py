"""Crossword fill-in: place a given list of words into the across/down slots of a grid.

The words are made-up (pronounceable, so not memorised) and the slots are listed with their start
cell, direction and length. The verifier checks the rules itself: every slot holds one listed
word (each word used once), crossing slots agree on their shared letter, and every other cell is
left blank; any filling that satisfies this scores 1.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.word_sorting import make_words
from gymhub.types import Task, Verdict

SIDE = 17
_ROW = re.compile(r"[A-Za-z.]+")


def slot_cells(slot: list) -> list[tuple[int, int]]:
    r, c, direction, length = slot
    dr, dc = (0, 1) if direction == "across" else (1, 0)
    return [(r + dr * k, c + dc * k) for k in range(length)]


def _place(
    rng: random.Random, words: list[str], target: int, tries: int
) -> tuple[list[list], dict[tuple[int, int], str]]:
    """Slots [row, col, direction, length] for the first `target` words that fit, each crossing
    an earlier one (words that find no place are skipped)."""
    first = words[0]
    slots = [[SIDE // 2, (SIDE - len(first)) // 2, "across", len(first)]]
    cells = {cell: ch for cell, ch in zip(slot_cells(slots[0]), first, strict=True)}
    used = {cell: {"across"} for cell in cells}
    for word in words[1:]:
        if len(slots) == target:
            break
        for _ in range(tries):
            host = rng.randrange(len(slots))
            direction = "down" if slots[host][2] == "across" else "across"
            at = rng.choice(slot_cells(slots[host]))
            spots = [j for j, ch in enumerate(word) if ch == cells[at]]
            if not spots:
                continue
            j = rng.choice(spots)
            slot = (
                [at[0] - j, at[1], direction, len(word)]
                if direction == "down"
                else [at[0], at[1] - j, direction, len(word)]
            )
            new = slot_cells(slot)
            if any(not (0 <= r < SIDE and 0 <= c < SIDE) for r, c in new):
                continue
            if any(cells.get(cell, ch) != ch or direction in used.get(cell, set())
                   for cell, ch in zip(new, word, strict=True)):  # fmt: skip
                continue
            if not _isolated(new, slot, cells):
                continue
            slots.append(slot)
            for cell, ch in zip(new, word, strict=True):
                cells[cell] = ch
                used.setdefault(cell, set()).add(direction)
            break
    return slots, cells


def _isolated(new: list[tuple[int, int]], slot: list, cells: dict[tuple[int, int], str]) -> bool:
    """Crossword hygiene: nothing right before or after the word, and no letter beside it except
    where it crosses, so every run of letters in the grid is exactly one slot."""
    dr, dc = (0, 1) if slot[2] == "across" else (1, 0)
    (r0, c0), (r1, c1) = new[0], new[-1]
    if (r0 - dr, c0 - dc) in cells or (r1 + dr, c1 + dc) in cells:
        return False
    for r, c in new:
        if (r, c) in cells:
            continue  # a crossing
        if (r + dc, c + dr) in cells or (r - dc, c - dr) in cells:
            return False
    return True


@register_family
class CrosswordFill(LogicFamily):
    """Fill the listed slots of a grid with a given list of made-up words.

    Difficulty d sets the words 2 + d (3..12, size; fewer only if no candidate word fits) and
    their length (4-6 letters up to d4, up to 9 after). Reward 1/0.
    """

    name = "crossword_fill"
    title = "CrosswordFill"
    description = "Place given made-up words into the across/down slots of a crossword grid."
    difficulty_doc = (
        "words 2+d (3..12; size = words placed), word lengths 4-6 up to d4, then up to 9"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        longest = 6 if difficulty <= 4 else 9
        pool = [w for w in make_words(rng, 60, shared=0.3) if 4 <= len(w) <= longest]
        pool = pool or ["bato", "tabo", "obat"]
        rng.shuffle(pool)
        slots, cells = _place(rng, pool, 2 + difficulty, tries=40)
        placed = sorted("".join(cells[c] for c in slot_cells(s)) for s in slots)
        rows = sorted({r for r, _ in cells})
        cols = sorted({c for _, c in cells})
        top, left = rows[0], cols[0]
        height, width = rows[-1] - top + 1, cols[-1] - left + 1
        slots = [[r - top, c - left, d, n] for r, c, d, n in slots]
        grid = [["."] * width for _ in range(height)]
        for r, c in cells:
            grid[r - top][c - left] = "_"
        listing = "\n".join(
            f"- row {r + 1}, column {c + 1}, {d}, {n} letters" for r, c, d, n in slots
        )
        question = (
            f"Crossword fill-in. The {height}x{width} grid below has blank cells `_` and unused "
            f"cells `.`:\n\n" + "\n".join("".join(row) for row in grid) + "\n\n"
            f"Slots (rows and columns counted from 1; across runs left to right, down runs top "
            f"to bottom):\n{listing}\n\n"
            f"Words (made up; use each exactly once): {', '.join(sorted(placed))}\n\n"
            "Place one word in every slot so that crossing slots share the same letter. Answer "
            f"with the filled grid: {height} lines of {width} characters, letters in the blank "
            "cells and `.` in the unused cells, for example for a 2x3 grid\nab.\n.cd\n"
            "Put your final answer inside <answer></answer>."
        )
        solution = [
            "".join(cells.get((r + top, c + left), ".") for c in range(width))
            for r in range(height)
        ]
        return make_task(
            question, solution, len(slots), slots=slots, words=placed, shape=[height, width]
        )

    def check(self, task: Task, answer: str) -> Verdict:
        height, width = task.metadata["shape"]
        lines = [line for line in answer[:5000].splitlines() if line.strip()]
        rows = ["".join(_ROW.findall(line)) for line in lines]
        if any(re.search(r"[^\sA-Za-z.,|]", line) for line in lines):
            return Verdict.unparseable("the grid may hold only letters and `.`")
        if len(rows) != height or any(len(row) != width for row in rows):
            return Verdict.incorrect(f"expected {height} lines of {width} cells")
        slots = task.metadata["slots"]
        in_slot = {cell for slot in slots for cell in slot_cells(slot)}
        for r, row in enumerate(rows):
            for c, ch in enumerate(row):
                if ((r, c) in in_slot) != (ch != "."):
                    return Verdict.incorrect(f"cell ({r + 1},{c + 1}) does not match the grid")
        got = sorted("".join(rows[r][c].lower() for r, c in slot_cells(s)) for s in slots)
        if got != sorted(task.metadata["words"]):
            return Verdict.incorrect("the slots do not hold exactly the given words")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """One letter of the gold changed (first, middle and last letter cell)."""
        gold = [list(row) for row in task.answer]
        letters = [(r, c) for r, row in enumerate(gold) for c, ch in enumerate(row) if ch != "."]
        out = []
        for r, c in (letters[0], letters[len(letters) // 2], letters[-1]):
            wrong = [list(row) for row in gold]
            wrong[r][c] = "q" if wrong[r][c] != "q" else "x"
            out.append("\n".join("".join(row) for row in wrong))
        return out

    def format_answer(self, task: Task) -> str:
        return "\n".join(task.answer)
