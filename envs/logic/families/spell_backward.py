"""Spell a sequence of letters backwards; the verifier reverses the stored sequence again."""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask
from gymhub.envs.logic.families._wordlist_en import WORDS
from gymhub.types import Task, Verdict


@register_family
class SpellBackward(LogicFamily):
    """Write a letter sequence of 2+2d letters (4..22, size) in reverse order.

    A single word at d1-2, then words run together. Answer: the letters reversed (case and
    spaces ignored). Reward 1/0.
    """

    name = "spell_backward"
    and_lists = False  # `and` can be a word of the answer
    title = "SpellBackward"
    description = "Spell a word or letter sequence backwards."
    difficulty_doc = "letters 2+2d (4..22; size); one word at d1-2, words run together after"
    equivalents = {"reasoning_gym": "spell_backward"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 2 + 2 * difficulty
        text = ""
        while len(text) < length:
            text += rng.choice([w for w in WORDS if len(w) <= length - len(text)] or WORDS)
        text = text[:length]
        while text == text[::-1]:
            text = text[1:] + text[0]
        question = ask(
            f'Spell the letter sequence "{text}" backwards (last letter first).',
            "Answer with the reversed letters only, for example <answer>olleh</answer> for hello.",
        )
        return make_task(question, text[::-1], length, text=text)

    def check(self, task: Task, answer: str) -> Verdict:
        got = re.sub(r"\s+", "", answer[:2000]).lower().strip(".\"'")
        if not got.isalpha():
            return Verdict.unparseable("expected letters only")
        return (
            Verdict.correct()
            if got == task.metadata["text"][::-1]
            else Verdict.incorrect("not the reversed letters")
        )

    def format_answer(self, task: Task) -> str:
        return task.metadata["text"][::-1]
