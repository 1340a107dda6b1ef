"""Dyck reasoning errors: find every wrong step in a shown bracket-stack trace.

The question shows a bracket sequence and a trace that, after each bracket, states the stack of
brackets still open. Some steps state a wrong stack. The verifier recomputes the true stack after
every bracket from the sequence itself and compares the set of steps the answer names with the
steps whose shown stack differs, so nothing stored is trusted.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import example_list_besides
from gymhub.envs.logic.families.dyck_language import CLOSERS, PAIRS
from gymhub.types import Task, Verdict

_LIST = re.compile(
    r"\s*(?:steps?\s*)?\d{1,3}(?:\s*(?:,|;|and|\s)\s*(?:steps?\s*)?\d{1,3})*\s*\.?\s*"
)
_NONE = re.compile(r"\s*(?:none|no errors?|no mistakes?)\s*\.?\s*", re.IGNORECASE)


def true_stacks(sequence: str) -> list[str]:
    """The open brackets after each bracket of a valid Dyck prefix, innermost last."""
    stack: list[str] = []
    out = []
    for ch in sequence:
        if ch in PAIRS:
            stack.append(ch)
        elif stack and stack[-1] == CLOSERS[ch]:
            stack.pop()
        out.append("".join(stack))
    return out


def wrong_steps(sequence: str, shown: list[str]) -> list[int]:
    return [
        i for i, (a, b) in enumerate(zip(true_stacks(sequence), shown, strict=True), 1) if a != b
    ]


def _prefix(rng: random.Random, length: int, openers: list[str]) -> str:
    stack: list[str] = []
    out = []
    for _ in range(length):
        if stack and rng.random() < 0.45:
            out.append(PAIRS[stack.pop()])
        else:
            ch = rng.choice(openers)
            stack.append(ch)
            out.append(ch)
    return "".join(out)


def _corrupt(rng: random.Random, stack: str, openers: list[str]) -> str:
    """A plausible wrong stack: one bracket dropped, added or of the wrong kind."""
    options = [stack + rng.choice(openers)]
    if stack:
        i = rng.randrange(len(stack))
        options.append(stack[:i] + stack[i + 1 :])
        other = rng.choice([o for o in openers if o != stack[i]])
        options.append(stack[:i] + other + stack[i + 1 :])
    return rng.choice(options)


@register_family
class DyckReasoningErrors(LogicFamily):
    """Name every step of a bracket-stack trace that states a wrong stack (or `none`).

    Difficulty d sets the sequence length 6 + 2d (8..26, size), the bracket kinds (2 up to d2,
    3 up to d5, then 4) and the wrong steps 0..1 + d//4 (one task in six has none). Reward 1/0.
    """

    name = "dyck_reasoning_errors"
    title = "DyckReasoningErrors"
    description = "Find every wrong step in a step-by-step bracket-stack trace."
    difficulty_doc = (
        "sequence length 6+2d (8..26), bracket kinds 2/3/4 (d1-2/d3-5/d6+), wrong steps up to "
        "1+d//4"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        kinds = 2 if difficulty <= 2 else (3 if difficulty <= 5 else 4)
        openers = list(PAIRS)[:kinds]
        sequence = _prefix(rng, 6 + 2 * difficulty, openers)
        shown = true_stacks(sequence)
        errors = 0 if rng.random() < 1 / 6 else rng.randint(1, 1 + difficulty // 4)
        for step in rng.sample(range(len(shown)), errors):
            shown[step] = _corrupt(rng, shown[step], openers)
        lines = "\n".join(
            f"Step {i}: read {ch}; open brackets now: {' '.join(st) if st else 'empty'}"
            for i, (ch, st) in enumerate(zip(sequence, shown, strict=True), 1)
        )
        wrong = wrong_steps(sequence, shown)
        question = (
            "Brackets come in pairs ( ), [ ], { }, < >. Reading a sequence left to right, an "
            "opening bracket is added to the open brackets and a closing bracket removes the most "
            "recent open bracket it matches. Below, someone traced the open brackets (oldest "
            "first) after each step; each step's list should be the true list after that bracket, "
            "whatever earlier steps said.\n\n"
            f"Sequence: {' '.join(sequence)}\n{lines}\n\n"
            "Which steps state a wrong list? Answer with all their numbers, separated by commas, "
            f"for example `{example_list_besides(wrong, '2, 9', '3, 7', '4, 11', ordered=False)}`, "
            "or `none` if every step is right.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, wrong, len(sequence), sequence=sequence, shown=shown)

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:500]
        if _NONE.fullmatch(text):
            given: set[int] = set()
        elif _LIST.fullmatch(text.lower()):
            numbers = [int(n) for n in re.findall(r"\d+", text)]
            if len(numbers) != len(set(numbers)):
                return Verdict.incorrect("a step is named twice")
            given = set(numbers)
        else:
            return Verdict.unparseable("expected step numbers separated by commas, or `none`")
        truth = set(wrong_steps(str(task.metadata["sequence"]), list(task.metadata["shown"])))
        if given != truth:
            return Verdict.incorrect("not exactly the wrong steps")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        truth = wrong_steps(str(task.metadata["sequence"]), list(task.metadata["shown"]))
        n = len(task.metadata["sequence"])
        extra = next(i for i in range(1, n + 1) if i not in truth)
        out = [", ".join(map(str, sorted([*truth, extra])))]
        if truth:
            out.append(", ".join(map(str, truth[1:])) or "none")
            out.append(", ".join(map(str, [*truth[:-1], truth[-1] % n + 1])))
        else:
            out += [str(n), "1, 2"]
        return out

    def secret_strings(self, task: Task) -> list[str]:
        return []  # step numbers occur in the question by design

    def format_answer(self, task: Task) -> str:
        truth = wrong_steps(str(task.metadata["sequence"]), list(task.metadata["shown"]))
        return ", ".join(map(str, truth)) or "none"
