"""Reverse the order of a list of words; the verifier reverses the stored list again."""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, read_words
from gymhub.envs.logic.families._wordlist_en import WORDS
from gymhub.types import Task, Verdict


@register_family
class WordSequenceReversal(LogicFamily):
    """Give 2+2d words (4..22, size) in reverse order (words may repeat).

    Answer: the words, last first, separated by spaces or commas (case ignored). Reward 1/0.
    """

    name = "word_sequence_reversal"
    title = "WordSequenceReversal"
    description = "Reverse the order of a list of words."
    difficulty_doc = "words 2+2d (4..22; size); repeated words from d5"
    equivalents = {"reasoning_gym": "word_sequence_reversal"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 2 + 2 * difficulty
        if difficulty >= 5:
            pool = rng.sample(WORDS, count * 2 // 3)
            words = [rng.choice(pool) for _ in range(count)]
        else:
            words = rng.sample(WORDS, count)
        if words == words[::-1]:
            words[0] = rng.choice([w for w in WORDS if w != words[-1]])
        question = ask(
            f"Reverse the order of these words: {', '.join(words)}",
            "Answer with the same words, last one first, separated by commas, for example "
            "<answer>three, two, one</answer>.",
        )
        return make_task(question, words[::-1], count, words=words)

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_words(answer)
        if got is None:
            return Verdict.unparseable("expected words separated by commas")
        ok = got == list(task.metadata["words"])[::-1]
        return Verdict.correct() if ok else Verdict.incorrect("not the words in reverse order")

    def format_answer(self, task: Task) -> str:
        return ", ".join(list(task.metadata["words"])[::-1])
