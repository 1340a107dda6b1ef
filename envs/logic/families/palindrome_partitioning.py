"""All ways to cut a string into palindromes.

The verifier enumerates the partitions of the stored string again and compares sets: every
partition must be listed once, in any order of lines; within a line the pieces are in string
order.
"""

from __future__ import annotations

import functools
import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, clean
from gymhub.types import Task, Verdict

MAX_PARTITIONS = 64


@functools.lru_cache(maxsize=256)
def partitions(text: str) -> tuple[tuple[str, ...], ...]:
    if not text:
        return ((),)
    out = []
    for i in range(1, len(text) + 1):
        head = text[:i]
        if head == head[::-1]:
            out += [(head, *rest) for rest in partitions(text[i:])]
    return tuple(out)


@register_family
class PalindromePartitioning(LogicFamily):
    """List every partition of a string of 2+d letters (3..12, size) into palindromes.

    Letters from a 2-3 letter alphabet; at most 64 partitions. Answer: one partition per line,
    its pieces separated by spaces or commas, lines in any order. Reward 1/0.
    """

    name = "palindrome_partitioning"
    title = "PalindromePartitioning"
    description = "List every way to cut a string into palindromes."
    difficulty_doc = "string of 2+d letters (3..12; size), at most 64 partitions"
    equivalents = {"reasoning_gym": "palindrome_partitioning"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 2 + difficulty
        alphabet = "abc"[: 2 + (difficulty >= 5)]
        for _ in range(200):
            text = "".join(rng.choice(alphabet) for _ in range(length))
            if 2 <= len(partitions(text)) <= MAX_PARTITIONS:
                break
        question = ask(
            f'Cut the string "{text}" into pieces that are all palindromes (read the same '
            "backwards; a single letter is one). List every possible way.",
            "Answer with one way per line, the pieces in order separated by spaces, for example "
            'for "xxy": <answer>\nx x y\nxx y\n</answer>.',
        )
        return make_task(question, [list(p) for p in partitions(text)], length, text=text)

    def check(self, task: Task, answer: str) -> Verdict:
        lines = [line for line in clean(answer).splitlines() if line.strip()]
        if not lines or len(lines) > 10 * MAX_PARTITIONS:
            return Verdict.unparseable("expected one partition per line")
        got = []
        for line in lines:
            pieces = [p for p in re.split(r"[\s,\[\]\"']+", line) if p]
            if not pieces or not all(p.isalpha() for p in pieces):
                return Verdict.unparseable("expected letters separated by spaces")
            got.append(tuple(p.lower() for p in pieces))
        if len(set(got)) != len(got):
            return Verdict.incorrect("a partition is listed twice")
        gold = set(partitions(task.metadata["text"]))
        if set(got) != gold:
            wrong = len(set(got) - gold)
            return Verdict.incorrect(
                f"{wrong} listed ways are not valid, {len(gold - set(got))} missing"
            )
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return "\n".join(" ".join(p) for p in partitions(task.metadata["text"]))
