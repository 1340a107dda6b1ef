"""Ransom note: how many letters does a magazine lack for a note (each letter used at most once)?

0 means the note can be written. The verifier compares the letter counts of the stored note and
magazine again.
"""

from __future__ import annotations

import random
import string
from collections import Counter

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, examples_besides, expect_int
from gymhub.types import Task, Verdict


def missing(note: str, magazine: str) -> int:
    """How many letters of `note` find no magazine letter, each magazine letter used once."""
    if not isinstance(note, str) or not isinstance(magazine, str):
        raise ValueError("missing needs the note and the magazine as text")
    return sum((Counter(note) - Counter(magazine)).values())


#: the share of tasks whose note can be written (answer 0)
ZERO_SHARE = 0.125


@register_family
class RansomNote(LogicFamily):
    """How many letters of the note are not covered by the magazine (with multiplicity)?

    Magazine 5+5d letters (10..55, size), note about a third as long. The answer is drawn
    first: the note can be written (answer 0) in 1 case out of 8, the others lack m letters, m
    uniform in 1..2(3+d//3), spread over up to 3+d//3 letters short by 1 or 2 each. Answer: one
    whole number. Reward 1/0.
    """

    name = "ransom_note"
    title = "RansomNote"
    description = "Count the letters a magazine lacks to build a note (0: it can be built)."
    difficulty_doc = "magazine 5+5d letters (10..55; size), note about a third as long"
    equivalents = {"reasoning_gym": "ransom_note"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        size = 5 + 5 * difficulty
        alphabet = string.ascii_lowercase[: 6 + difficulty]
        magazine = "".join(rng.choice(alphabet) for _ in range(size))
        note_letters = rng.sample(magazine, max(3, size // 3))
        # the answer is drawn first: 0 on 1 task in 8, else 1..2t uniformly, spread over 1..t
        # letters short by 1 or 2 each (a random number of random shortfalls made `2` the
        # answer of a third of d1's tasks and `0` of a quarter at every level; with t = 2 at
        # d1, five answers left `1` or `0` right on 22-24% of d1-d3)
        most = 3 + difficulty // 3
        lacking = 0 if rng.random() < ZERO_SHARE else rng.randint(1, 2 * most)
        if lacking:
            letters = rng.randint((lacking + 1) // 2, min(lacking, most))
            shortfalls = [2] * (lacking - letters) + [1] * (2 * letters - lacking)
            counts = Counter(magazine)
            for letter, short in zip(rng.sample(alphabet, letters), shortfalls, strict=True):
                note_letters = [c for c in note_letters if c != letter]
                note_letters += [letter] * (counts[letter] + short)
        rng.shuffle(note_letters)
        note = "".join(note_letters)
        gold = missing(note, magazine)
        one, other = examples_besides(gold, "4", "0", "7", count=2)
        question = ask(
            f"Magazine letters: {magazine}\nNote: {note}\nCan the note be written using letters "
            "cut from the magazine, each magazine letter used at most once? Count how many letters "
            "of the note are left without a magazine letter (0 if the note can be written).",
            f"Answer with one whole number, for example <answer>{one}</answer> or "
            f"<answer>{other}</answer>.",
        )
        return make_task(question, gold, size, note=note, magazine=magazine)

    def check(self, task: Task, answer: str) -> Verdict:
        gold = missing(task.metadata["note"], task.metadata["magazine"])
        return expect_int(answer, gold, "the number of missing letters")

    def format_answer(self, task: Task) -> str:
        return str(missing(task.metadata["note"], task.metadata["magazine"]))
