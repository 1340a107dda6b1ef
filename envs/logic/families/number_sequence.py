"""Number sequences: continue a sequence defined by a linear recurrence of a stated kind.

Every sequence follows x(n) = a*x(n-1) + b*x(n-2) + c for integers a, b, c in ranges the question
states (this covers arithmetic, geometric, Fibonacci-like, alternating and quadratic sequences).
Terms are shown until every rule of that class that fits them predicts the same next terms (an
enumeration proves it), so the answer is unique; the verifier recomputes it from the rule.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.types import Task, Verdict


def _ranges(difficulty: int) -> tuple[int, int, int]:
    """(largest |a|, largest |b|, largest |c|)."""
    if difficulty <= 2:
        return 1, 0, 5 + difficulty
    if difficulty <= 4:
        return 3, 0, 9
    if difficulty <= 7:
        return 2, 2, 9
    return 3, 3, 12


def extend(terms: list[int], rule: tuple[int, int, int], count: int) -> list[int]:
    a, b, c = rule
    out = list(terms)
    for _ in range(count):
        out.append(a * out[-1] + b * out[-2] + c)
    return out[len(terms) :]


def fitting(terms: list[int], limits: tuple[int, int, int]) -> list[tuple[int, int, int]]:
    ra, rb, rc = limits
    return [
        (a, b, c)
        for a in range(-ra, ra + 1)
        for b in range(-rb, rb + 1)
        for c in range(-rc, rc + 1)
        if all(terms[i] == a * terms[i - 1] + b * terms[i - 2] + c for i in range(2, len(terms)))
    ]


@register_family
class NumberSequence(LogicFamily):
    """Give the next terms of a sequence x(n) = a*x(n-1) + b*x(n-2) + c (stated ranges).

    Difficulty d sets the rule class: arithmetic (|a| = 1, b = 0) at d1-2, a*x+c with |a| <= 3
    at d3-4, |a|,|b| <= 2 at d5-7, <= 3 at d8-10, and the terms asked 1+d//4 (1..3); terms are
    shown until the continuation is unique; size = asked terms x rule-class size; effort = rules
    enumerated x terms shown. Accepted: the next terms in order, separated by commas or spaces.
    Reward 1/0.
    """

    name = "number_sequence"
    title = "NumberSequence"
    description = "Continue a sequence that follows a stated kind of linear recurrence."
    difficulty_doc = (
        "rules x(n) = a*x(n-1) + b*x(n-2) + c: arithmetic (d1-2), |a|<=3 (d3-4), |a|,|b|<=2 "
        "(d5-7), <=3 (d8-10); next terms asked 1+d//4"
    )
    equivalents = {"reasoning_gym": "number_sequence"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        limits = _ranges(difficulty)
        ra, rb, rc = limits
        asked = 1 + difficulty // 4
        for _attempt in range(50):
            rule = (rng.randint(-ra, ra) or 1, rng.randint(-rb, rb), rng.randint(-rc, rc))
            start = [rng.randint(-9, 9), rng.randint(-9, 9)]
            terms = start + extend(start, rule, 3)
            while len(terms) < 10:  # show terms until every fitting rule agrees
                nexts = {tuple(extend(terms, r, asked)) for r in fitting(terms, limits)}
                if len(nexts) == 1:
                    break
                terms = start + extend(start, rule, len(terms) - 1)
            else:
                continue
            if len(set(terms)) > 2 and max(map(abs, terms + extend(terms, rule, asked))) < 10**6:
                break
        tried = (2 * ra + 1) * (2 * rb + 1) * (2 * rc + 1)
        shown = ", ".join(map(str, terms))
        gold = ", ".join(map(str, extend(terms, rule, asked)))
        example = examples_besides(gold, ", ".join(["7"] * asked), ", ".join(["8"] * asked))[0]
        question = (
            f"The sequence {shown}, ... follows a rule x(n) = a*x(n-1) + b*x(n-2) + c (each "
            "term from the two before it) for fixed whole numbers a, b, c with "
            f"|a| <= {ra}, |b| <= {rb}, |c| <= {rc}. Give the next {asked} "
            f"term{'s' * (asked > 1)}, separated by commas, for example `{example}`."
            "\nPut your final answer inside <answer></answer>."
        )
        return make_task(
            question, extend(terms, rule, asked), asked * tried, terms=terms, rule=list(rule),
            asked=asked, effort=tried * len(terms),
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:500].strip().rstrip(".")
        if not re.fullmatch(r"[-\d\s,;]+", text) or not re.search(r"\d", text):
            return Verdict.unparseable("expected whole numbers separated by commas")
        got = [int(v) for v in re.findall(r"-?\d+", text)]
        m = task.metadata
        if got != extend(m["terms"], tuple(m["rule"]), m["asked"]):
            return Verdict.incorrect("not the sequence's next terms")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return ", ".join(map(str, task.answer))
