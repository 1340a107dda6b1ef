"""Dyck language errors: find the first bracket at which a bracket sequence goes wrong.

A sequence that should be balanced is shown; most carry one corruption (a closer of the wrong
kind, a dropped or changed opener, an extra closer). The verifier scans the shown sequence by
the bracket rules itself: the first closing bracket that does not match the most recent
unclosed opener (or has none to close) is the answer; 0 when the sequence is balanced.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.arithmetic_chain import read_integer
from gymhub.envs.logic.families.dyck_language import CLOSERS, PAIRS
from gymhub.types import Task, Verdict


def first_error(sequence: str) -> int:
    """1-based position of the first closer that breaks the rules; len+1 when nothing breaks
    but brackets stay open at the end; 0 for a balanced sequence."""
    stack: list[str] = []
    for position, ch in enumerate(sequence, 1):
        if ch in PAIRS:
            stack.append(ch)
        elif not stack or stack.pop() != CLOSERS[ch]:
            return position
    return len(sequence) + 1 if stack else 0


def _balanced(rng: random.Random, pairs: int, openers: list[str]) -> list[str]:
    out: list[str] = []
    stack: list[str] = []
    opened = 0
    while opened < pairs or stack:
        if opened < pairs and (not stack or rng.random() < 0.55):
            ch = rng.choice(openers)
            stack.append(ch)
            out.append(ch)
            opened += 1
        else:
            out.append(PAIRS[stack.pop()])
    return out


@register_family
class DyckLanguageErrors(LogicFamily):
    """Find the position of the first bracket that breaks a bracket sequence (0 if none does).

    Difficulty d sets the sequence length (about 8 + 4d, 12..48 brackets) and the bracket kinds
    (2 up to d2, 3 up to d5, then 4); about one sequence in five is balanced. size = length.
    Reward 1/0.
    """

    name = "dyck_language_errors"
    title = "DyckLanguageErrors"
    description = "Find the first bracket that breaks a bracket sequence, or 0 if it is balanced."
    difficulty_doc = "sequence length about 8+4d (12..48), bracket kinds 2/3/4 (d1-2/d3-5/d6+)"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        kinds = 2 if difficulty <= 2 else (3 if difficulty <= 5 else 4)
        openers = list(PAIRS)[:kinds]
        seq = _balanced(rng, 4 + 2 * difficulty, openers)
        if rng.random() >= 0.1:  # balanced, answer 0, on a tenth (at a fifth `0` was right on 21%)
            kind = rng.choice(["closer", "opener", "drop", "extra"])
            closers = [i for i, ch in enumerate(seq) if ch in CLOSERS]
            opens = [i for i, ch in enumerate(seq) if ch in PAIRS]
            if kind == "closer":
                i = rng.choice(closers)
                seq[i] = rng.choice([PAIRS[o] for o in openers if PAIRS[o] != seq[i]])
            elif kind == "opener":
                i = rng.choice(opens)
                seq[i] = rng.choice([o for o in openers if o != seq[i]])
            elif kind == "drop":
                del seq[rng.choice(opens)]
            else:
                seq.insert(rng.randint(1, len(seq)), rng.choice([PAIRS[o] for o in openers]))
        sequence = "".join(seq)
        position = first_error(sequence)
        question = (
            "Brackets come in pairs ( ), [ ], { }, < >; a sequence is balanced when each closing "
            "bracket matches the most recently opened bracket that is still open, and nothing "
            "stays open at the end.\n\n"
            f"Sequence: {' '.join(sequence)}\n\n"
            "Positions are counted from 1 (the first bracket is position 1). Give the position of "
            "the first closing bracket that does not match the most recent open bracket or has "
            "no open bracket to close. If no bracket breaks the rule but some stay open at the "
            f"end, answer {len(sequence) + 1} (the length plus one); if the sequence is balanced, "
            "answer 0. Answer with one number, for example 7.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, position, len(sequence), sequence=sequence)

    def check(self, task: Task, answer: str) -> Verdict:
        given = read_integer(answer[:100])
        if given is None:
            return Verdict.unparseable("expected one whole number")
        if given != first_error(str(task.metadata["sequence"])):
            return Verdict.incorrect("that is not the position of the first error")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        truth = first_error(str(task.metadata["sequence"]))
        if truth == 0:
            return ["1", str(len(task.metadata["sequence"])), "2"]
        return [str(truth + 1), str(truth - 1), "0" if truth > 1 else "3"]

    def secret_strings(self, task: Task) -> list[str]:
        return []  # the answer is a small number

    def format_answer(self, task: Task) -> str:
        return str(first_error(str(task.metadata["sequence"])))
