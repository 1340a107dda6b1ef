"""Unscramble jumbled words.

Each word's letters are shuffled. The verifier accepts, for every jumbled word, any word of the
family's word list (`_wordlist_en`) with exactly the same letters, so `post` and `stop` are both
right for `tspo`.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, read_words
from gymhub.envs.logic.families._wordlist_en import WORD_SET, WORDS
from gymhub.types import Task, Verdict


def scramble(rng: random.Random, word: str) -> str:
    for _ in range(50):
        letters = list(word)
        rng.shuffle(letters)
        jumbled = "".join(letters)
        if jumbled not in WORD_SET:
            return jumbled
    return word[::-1]


@register_family
class LetterJumble(LogicFamily):
    """Unscramble 1+d jumbled common words (2..11, size).

    Words of 3-4 letters up to d3, up to 6 letters after. Answer: the words in order, separated
    by spaces or commas; any common word with the same letters counts. Reward 1/0.
    """

    name = "letter_jumble"
    title = "LetterJumble"
    description = "Unscramble jumbled words."
    difficulty_doc = "words 1+d (2..11; size); 3-4 letters up to d3, up to 6 after"
    equivalents = {"reasoning_gym": "letter_jumble"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 1 + difficulty
        longest = 4 if difficulty <= 3 else 6
        words = rng.sample([w for w in WORDS if len(w) <= longest], count)
        jumbled = [scramble(rng, w) for w in words]
        question = ask(
            "Each of these is a common English word with its letters shuffled. Unscramble them: "
            + ", ".join(jumbled),
            "Answer with the words in the same order, separated by commas, for example "
            "<answer>house, green, tap</answer>.",
        )
        return make_task(question, words, count, jumbled=jumbled)

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_words(answer, max_items=100)
        if got is None:
            return Verdict.unparseable("expected words separated by commas")
        jumbled = task.metadata["jumbled"]
        if len(got) != len(jumbled):
            return Verdict.incorrect(f"expected {len(jumbled)} words, got {len(got)}")
        for word, mixed in zip(got, jumbled):
            if sorted(word) != sorted(mixed):
                return Verdict.incorrect(f"{word!r} does not use the letters of {mixed!r}")
            if word not in WORD_SET:
                return Verdict.incorrect(f"{word!r} is not a word of the list")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return ", ".join(task.answer)
