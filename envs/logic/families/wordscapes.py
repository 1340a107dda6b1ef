"""Wordscapes (SynLogic's word task): fill a small crossword with English words spelled only
from a given set of letters.

A base word's letters are shuffled and shown; words that can be spelled from them (each letter
at most as often as it is given) are placed as a crossword of across/down slots. The dictionary
is gymhub's own curated list of common English words (`envs/logic/words.txt`). The verifier
checks the rules: every slot holds a dictionary word of its length, spelled from the given
letters, all words differ, crossing slots agree and shown letters are kept; any such filling
scores 1.
"""

from __future__ import annotations

import functools
import random
import re
from collections import Counter

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._words import of_length, word_set, words
from gymhub.envs.logic.families.crossword_fill import _place, slot_cells
from gymhub.types import Task, Verdict

_LINE = re.compile(r"^\s*(\d+)\s*(?:across|down|a|d)?\s*[:.)=-]\s*([A-Za-z]+)\s*$", re.IGNORECASE)


def _plan(difficulty: int) -> tuple[int, int, float]:
    """(base word length, slots, share of cells shown)."""
    base = 5 if difficulty <= 3 else 6 if difficulty <= 6 else 7
    return base, 2 + difficulty // 2 + (difficulty >= 7), max(0.0, 0.3 - 0.05 * difficulty)


def spellable(word: str, letters: Counter) -> bool:
    return not Counter(word) - letters


@functools.cache
def _counts() -> tuple[tuple[str, Counter], ...]:
    return tuple((w, Counter(w)) for w in words() if len(w) >= 3)


@functools.cache
def sub_words(base: str) -> tuple[str, ...]:
    """Every listed word of 3+ letters spelled from `base`'s letters (cached per base)."""
    letters = Counter(base)
    keys = set(base)
    return tuple(
        w
        for w, counts in _counts()
        if len(w) <= len(base) and keys.issuperset(counts) and not counts - letters
    )


@register_family
class Wordscapes(LogicFamily):
    """Fill every slot with an English word made from the given letters.

    Accepted: one line per slot, `number: word` (also `1 across: word`, `1. word`), any order
    and case. Not accepted: a slot missing or given twice, a word outside the dictionary, a
    letter used more often than given, disagreeing crossings, a changed shown letter.
    """

    name = "wordscapes"
    title = "Wordscapes"
    description = "Fill a crossword with English words spelled from a given set of letters."
    difficulty_doc = (
        "letters 5 (d1-3), 6 (d4-6), 7 (d7-10); slots 2+d//2 (+1 from d7; size); shown "
        "letters fall from 25% of the cells to none (d6+)"
    )
    equivalents = {"synlogic": "wordscapes"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length, target, share = _plan(difficulty)
        bases = list(of_length(length))
        best: tuple[list, dict, str] | None = None
        for _attempt in range(40):
            base = rng.choice(bases)
            pool = sub_words(base)
            if len(pool) < target + 2:
                continue
            others = [w for w in pool if w != base]
            rng.shuffle(others)
            others.sort(key=len, reverse=True)
            slots, cells = _place(rng, [base, *others], target, tries=30)
            if best is None or len(slots) > len(best[0]):
                best = (slots, cells, base)
            if len(slots) == target:
                break
        assert best is not None
        slots, cells, base = best
        rows = sorted({r for r, _ in cells})
        cols = sorted({c for _, c in cells})
        top, left = rows[0], cols[0]
        height, width = rows[-1] - top + 1, cols[-1] - left + 1
        slots = [[r - top, c - left, d, n] for r, c, d, n in slots]
        cells = {(r - top, c - left): ch for (r, c), ch in cells.items()}
        shown = {cell: ch for cell, ch in sorted(cells.items()) if rng.random() < share}
        letters = list(base)
        rng.shuffle(letters)
        grid = [["."] * width for _ in range(height)]
        for cell in cells:
            grid[cell[0]][cell[1]] = shown.get(cell, "_").upper()
        listing = "\n".join(
            f"{i + 1}: {d}, starts at row {r + 1}, column {c + 1}, {n} letters"
            for i, (r, c, d, n) in enumerate(slots)
        )
        question = (
            f"Wordscapes. Letters: {' '.join(ch.upper() for ch in letters)}\n\n"
            f"Fill the crossword below (`_` is a cell to fill, a letter is already given, `.` is "
            "not used):\n\n" + "\n".join(" ".join(row) for row in grid) + "\n\n"
            f"Slots (rows and columns counted from 1; across runs left to right, down runs top "
            f"to bottom):\n{listing}\n\n"
            "Put a common English word in every slot, spelled only with the letters above (a "
            "word may use each letter at most as many times as it is listed), no word twice, so "
            "that crossing slots share their letter. Answer with one line per slot, `number: "
            "word`, for example\n1: cat\n2: act\nPut your final answer inside <answer></answer>."
        )
        gold = ["".join(cells[c] for c in slot_cells(s)) for s in slots]
        return make_task(
            question,
            gold,
            len(slots),
            slots=slots,
            letters="".join(sorted(base)),
            shown=[[r, c, ch] for (r, c), ch in shown.items()],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        slots = task.metadata["slots"]
        lines = [ln for ln in answer[:5000].splitlines() if ln.strip()]
        if len(lines) != len(slots):
            return Verdict.unparseable(f"expected {len(slots)} lines `number: word`")
        filled: dict[int, str] = {}
        for line in lines:
            m = _LINE.match(line)
            if m is None:
                return Verdict.unparseable(f"cannot read {line[:60]!r} as `number: word`")
            k = int(m.group(1))
            if k in filled or not 1 <= k <= len(slots):
                return Verdict.incorrect(f"slot {k} is missing, unknown or given twice")
            filled[k] = m.group(2).lower()
        letters = Counter(task.metadata["letters"])
        dictionary = word_set()
        grid: dict[tuple[int, int], str] = {}
        for k, slot in enumerate(slots, start=1):
            word = filled[k]
            if len(word) != slot[3]:
                return Verdict.incorrect(f"slot {k} needs {slot[3]} letters, got {word!r}")
            if not spellable(word, letters):
                return Verdict.incorrect(f"{word!r} cannot be spelled from the given letters")
            if word not in dictionary:
                return Verdict.incorrect(f"{word!r} is not in the dictionary")
            for cell, ch in zip(slot_cells(slot), word):
                if grid.setdefault(cell, ch) != ch:
                    return Verdict.incorrect(f"slot {k} disagrees with a crossing word")
        if len(set(filled.values())) != len(filled):
            return Verdict.incorrect("a word is used twice")
        for r, c, ch in task.metadata["shown"]:
            if grid.get((r, c)) != ch:
                return Verdict.incorrect(f"the given letter at row {r + 1}, column {c + 1} changed")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """A non-word, a letter that is not given, and a missing slot: always wrong."""
        gold = list(task.answer)
        spare = next(ch for ch in "qzjxvkwy" if ch not in task.metadata["letters"])
        out = []
        for i, fill in ((0, gold[0][0] * len(gold[0])), (len(gold) - 1, spare * len(gold[-1]))):
            wrong = list(gold)
            wrong[i] = fill
            out.append(_render(wrong))
        out.append(_render(gold)[: _render(gold).rfind("\n")])
        return out

    def format_answer(self, task: Task) -> str:
        return _render(task.answer)


def _render(filled: list[str]) -> str:
    return "\n".join(f"{i + 1}: {w}" for i, w in enumerate(filled))
