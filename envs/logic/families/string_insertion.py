"""Insert letters after patterns: scan a string once and, after every place where a rule's
pattern ends, insert that rule's letter.

Patterns are matched in the original string only (inserted letters are never matched) and the
first listed rule that matches wins. The verifier applies the stored rules again.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask
from gymhub.types import Task, Verdict

ALPHABET = "ABCDE"


def insert_after(text: str, rules: list[list[str]]) -> str:
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        for pattern, letter in rules:
            if i + 1 >= len(pattern) and text[i + 1 - len(pattern) : i + 1] == pattern:
                out.append(letter)
                break
    return "".join(out)


@register_family
class StringInsertion(LogicFamily):
    """Apply 1+d//3 insertion rules (1..4) to a string of 6+3d letters (9..36, size) from A-E.

    Patterns of 2 letters up to d4, 2-3 letters after. Answer: the new string (spaces and case
    ignored). Reward 1/0.
    """

    name = "string_insertion"
    and_lists = False  # `and` can be a word of the answer
    title = "StringInsertion"
    description = "Insert letters after every occurrence of given patterns."
    difficulty_doc = (
        "string 6+3d letters (9..36; size), rules 1+d//3 (1..4), 3-letter patterns from d5"
    )
    equivalents = {"reasoning_gym": "string_insertion"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 6 + 3 * difficulty
        text = "".join(rng.choice(ALPHABET) for _ in range(length))
        rules: list[list[str]] = []
        while len(rules) < 1 + difficulty // 3:
            size = 2 if difficulty <= 4 else rng.choice([2, 3])
            start = rng.randrange(0, length - size + 1)
            pattern = text[start : start + size]  # occurs at least once
            if all(pattern != p for p, _ in rules):
                rules.append([pattern, rng.choice(ALPHABET)])
        listing = "\n".join(f"{i + 1}. after {p}, insert {c}" for i, (p, c) in enumerate(rules))
        question = ask(
            f"String: {text}\nRules:\n{listing}\nRead the string from left to right. Each time "
            "the letters ending at the current letter spell a rule's pattern, write that rule's "
            "letter right after the current letter (if several rules match, only the first "
            "listed one). Patterns are matched in the original string only: inserted letters "
            "never count. What is the resulting string?",
            "Answer with the resulting string only, for example <answer>ABBCEDA</answer>.",
        )
        return make_task(question, insert_after(text, rules), length, text=text, rules=rules)

    def check(self, task: Task, answer: str) -> Verdict:
        got = re.sub(r"\s+", "", answer[:5000]).upper().strip(".")
        if not re.fullmatch(r"[A-Z]+", got):
            return Verdict.unparseable("expected one string of letters")
        gold = insert_after(task.metadata["text"], task.metadata["rules"])
        return Verdict.correct() if got == gold else Verdict.incorrect("not the resulting string")

    def format_answer(self, task: Task) -> str:
        return insert_after(task.metadata["text"], task.metadata["rules"])
