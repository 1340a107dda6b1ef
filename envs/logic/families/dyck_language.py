"""Dyck languages: close the brackets left open by a prefix, innermost first.

The verifier checks the rules directly: the answer holds only closing brackets and the prefix
followed by it is balanced (each closer matches the most recent open bracket). That completion is
unique, so there is nothing to compare with a stored string.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">"}
CLOSERS = {v: k for k, v in PAIRS.items()}


def _shape(difficulty: int) -> tuple[int, int, int]:
    """(prefix length, brackets left open, bracket kinds)."""
    open_at_end = 2 + difficulty // 2  # 2..7
    length = 6 + 4 * difficulty  # 10..46
    if (length - open_at_end) % 2:
        length += 1
    # three kinds from d1: two kinds and two open brackets left four completions, and `]]`
    # was right on 27% of the d1 tasks
    kinds = 3 if difficulty <= 5 else 4
    return length, open_at_end, kinds


def unclosed(sequence: list[str]) -> list[str] | None:
    """The stack of open brackets after `sequence`, or None if it closes something wrongly."""
    stack: list[str] = []
    for ch in sequence:
        if ch in PAIRS:
            stack.append(ch)
        elif not stack or stack.pop() != CLOSERS[ch]:
            return None
    return stack


@register_family
class DyckLanguage(LogicFamily):
    """Complete a bracket sequence so that every bracket is closed properly.

    Difficulty d sets the prefix length 6 + 4d (10..46, +1 for parity), the number of brackets
    left open 2 + d//2 (2..7) and the bracket kinds (3 up to d=5, then 4).
    size = prefix length. Reward 1/0.
    """

    name = "dyck_language"
    title = "DyckLanguage"
    description = "Close the open brackets of a Dyck-language prefix."
    difficulty_doc = (
        "prefix length 6+4d (10..46), open brackets at the end 2+d//2 (2..7), bracket kinds "
        "3/4 (d1-5/d6+)"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length, target, kinds = _shape(difficulty)
        openers = list(PAIRS)[:kinds]
        rng.shuffle(openers)
        stack: list[str] = []
        prefix: list[str] = []
        for i in range(length):
            left = length - i - 1  # steps after this one
            can_open = len(stack) + 1 - target <= left
            can_close = bool(stack) and target - (len(stack) - 1) <= left
            if can_open and (not can_close or rng.random() < 0.55):
                ch = rng.choice(openers)
                stack.append(ch)
            else:
                ch = PAIRS[stack.pop()]
            prefix.append(ch)
        gold = "".join(PAIRS[ch] for ch in reversed(stack))
        question = (
            "Complete the bracket sequence below so that every bracket is closed properly: "
            "brackets come in pairs ( ), [ ], { }, < >, and each closing bracket must match the "
            "most recently opened bracket that is still open.\n\n"
            f"Sequence: {' '.join(prefix)}\n\n"
            "Give only the closing brackets that must be appended (the shortest completion), in "
            "order; spaces between them are optional. For example, for the sequence ( [ ] the "
            "answer would be <answer>)</answer>. Put your final answer inside <answer></answer>."
        )
        return make_task(question, gold, len(prefix), prefix="".join(prefix), open=len(stack))

    def check(self, task: Task, answer: str) -> Verdict:
        text = "".join(answer.split())
        if not text or any(ch not in CLOSERS and ch not in PAIRS for ch in text):
            return Verdict.unparseable("the answer must consist of brackets only")
        if any(ch in PAIRS for ch in text):
            return Verdict.incorrect("the shortest completion has closing brackets only")
        stack = unclosed(list(task.metadata["prefix"]))
        if stack is None:  # cannot happen for generated tasks; keeps the checker total
            return Verdict(reward=0.0, status="error", detail="invalid prefix in task")
        if len(text) != len(stack):
            return Verdict.incorrect(f"{len(text)} brackets given, {len(stack)} needed")
        rest = unclosed(list(task.metadata["prefix"]) + list(text))
        if rest != []:
            return Verdict.incorrect("a closing bracket does not match its opening bracket")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Wrong kind of closer at either end, and one closer too many."""
        gold = str(task.answer)

        def other(ch: str) -> str:
            return next(c for c in ")]}>" if c != ch)

        return [other(gold[0]) + gold[1:], gold[:-1] + other(gold[-1]), gold + gold[-1]]

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
