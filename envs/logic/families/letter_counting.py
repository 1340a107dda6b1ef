"""Count how often a letter occurs in a piece of text; the verifier counts again (case ignored)."""

from __future__ import annotations

import random
from collections import Counter

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._balance import pick_balanced
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.envs.logic.families._wordlist_en import WORDS
from gymhub.types import Task, Verdict

_TEXTS = 4  # candidate texts at the higher levels; more on short texts (see `texts`)


def texts(difficulty: int) -> int:
    """Candidate texts drawn for a task: a short text has few letters that occur often, so
    with 4 texts the high counts seldom showed and `2` was right on 24% of d1."""
    return max(_TEXTS, 32 // difficulty)


def count_letter(text: str, letter: str) -> int:
    """How often `letter` occurs in `text`, upper and lower case alike."""
    if not isinstance(text, str) or not isinstance(letter, str) or len(letter) != 1:
        raise ValueError("count_letter needs a text and one letter")
    return text.lower().count(letter.lower())


@register_family
class LetterCounting(LogicFamily):
    """How many times does a letter appear in a text of 3+3d words (6..33, size)?

    The count is drawn first, uniformly among the counts the letters of several candidate texts
    show (32 at d1, 16 at d2, 10 at d3, 4 from d8), so no count is the answer of more than about
    a fifth of a level's tasks. Answer: one whole
    number (upper and lower case both count). Reward 1/0.
    """

    name = "letter_counting"
    title = "LetterCounting"
    description = "Count the occurrences of a letter in a text."
    difficulty_doc = "words 3+3d (6..33; size)"
    equivalents = {"reasoning_gym": "letter_counting"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 3 + 3 * difficulty
        # the count is drawn first, among the counts of every letter of several candidate texts: one
        # text's letters drawn by frequency made `1` the answer of a third of d1's tasks
        candidates = []
        for _ in range(texts(difficulty)):
            words = [rng.choice(WORDS) for _ in range(count)]
            words[0] = words[0].capitalize()
            text = " ".join(words) + "."
            counts = Counter(c for c in text.lower() if c.isalpha())
            candidates += [(text, c, counts[c]) for c in sorted(counts)]
        text, letter, gold = pick_balanced(rng, candidates, lambda c: c[2])
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
