"""Count how often a letter occurs in a piece of text; the verifier counts again (case ignored)."""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.envs.logic.families._wordlist_en import WORDS
from gymhub.types import Task, Verdict


def count_letter(text: str, letter: str) -> int:
    return text.lower().count(letter)


@register_family
class LetterCounting(LogicFamily):
    """How many times does a letter appear in a text of 3+3d words (6..33, size)?

    Answer: one whole number (upper and lower case both count). Reward 1/0.
    """

    name = "letter_counting"
    title = "LetterCounting"
    description = "Count the occurrences of a letter in a text."
    difficulty_doc = "words 3+3d (6..33; size)"
    equivalents = {"reasoning_gym": "letter_counting"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 3 + 3 * difficulty
        words = [rng.choice(WORDS) for _ in range(count)]
        words[0] = words[0].capitalize()
        text = " ".join(words) + "."
        # a letter of the text, as often as it occurs: drawn among the distinct letters, the rare
        # ones made `1` the answer of 52% of d1 tasks
        letter = rng.choice([c for c in text.lower() if c.isalpha()])
        gold = count_letter(text, letter)
        question = ask(
            f'How many times does the letter "{letter}" occur in the text below (upper and '
            f"lower case both count)?\n\n{text}",
            f"Answer with one whole number, for example <answer>{example_int(rng, gold, 1, 30)}</answer>.",
        )
        return make_task(question, gold, count, text=text, letter=letter)

    def check(self, task: Task, answer: str) -> Verdict:
        gold = count_letter(task.metadata["text"], task.metadata["letter"])
        return expect_int(answer, gold, "the count")

    def format_answer(self, task: Task) -> str:
        return str(count_letter(task.metadata["text"], task.metadata["letter"]))
