"""Arrange given letters into a palindrome.

The verifier checks the rules: the answer uses exactly the given letters (as a multiset) and reads
the same backwards. Any such palindrome scores.
"""

from __future__ import annotations

import random
import re
import string
from collections import Counter

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask
from gymhub.types import Task, Verdict


@register_family
class PalindromeGeneration(LogicFamily):
    """Use all of 3+2d letters (5..23, size) to write a palindrome.

    Letters drawn from 2+d//2 distinct ones. Answer: the palindrome as one string (spaces
    ignored, case ignored). Reward 1/0.
    """

    name = "palindrome_generation"
    and_lists = False  # `and` can be a word of the answer
    title = "PalindromeGeneration"
    description = "Arrange all the given letters into a palindrome."
    difficulty_doc = "letters 3+2d (5..23; size) from 2+d//2 distinct letters"
    equivalents = {"reasoning_gym": "palindrome_generation"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 3 + 2 * difficulty
        alphabet = rng.sample(string.ascii_lowercase, 2 + difficulty // 2)
        half = [rng.choice(alphabet) for _ in range(length // 2)]
        palindrome = "".join(half) + rng.choice(alphabet) + "".join(reversed(half))
        letters = list(palindrome)
        rng.shuffle(letters)
        question = ask(
            f"Rearrange all of these letters into a palindrome (a string that reads the same "
            f"backwards), using each letter exactly as often as it is listed: {', '.join(letters)}",
            "Answer with the palindrome as one string, for example <answer>abcba</answer>.",
        )
        return make_task(question, palindrome, length, letters=letters)

    def check(self, task: Task, answer: str) -> Verdict:
        got = re.sub(r"\s+", "", answer[:2000]).lower().strip(".\"'")
        if not got.isalpha() or not got.isascii():
            return Verdict.unparseable("expected one string of letters")
        if Counter(got) != Counter(task.metadata["letters"]):
            return Verdict.incorrect("not exactly the given letters")
        if got != got[::-1]:
            return Verdict.incorrect("not a palindrome")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
