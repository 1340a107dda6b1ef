"""Knights and knaves entailment (Enigmata's knights and knaves task, logic category): given
what the islanders say, decide for each conclusion whether it is entailed (true in every
consistent assignment), contradicted (false in every one) or undetermined.

The statements may leave several assignments consistent (at least one always is: the
statements are made true for a hidden assignment). The verifier enumerates all 2^n
assignments, keeps the consistent ones and derives each conclusion's label from the rules.
"""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.knights_and_knaves import (
    _BASIC,
    _HARD,
    _MIDDLE,
    NAMES,
    _say,
    _true_statement,
    consistent,
    evaluate,
)
from gymhub.envs.logic.grids import answer_lines
from gymhub.types import Task, Verdict

LABELS = ("entailed", "contradicted", "undetermined")
_SYNONYMS = {
    "entailed": "entailed",
    "entails": "entailed",
    "follows": "entailed",
    "true": "entailed",
    "contradicted": "contradicted",
    "contradicts": "contradicted",
    "false": "contradicted",
    "undetermined": "undetermined",
    "unknown": "undetermined",
    "uncertain": "undetermined",
}
_LINE = re.compile(r"^\s*(?:conclusion\s*)?(\d+)\s*[:.)=-]\s*([A-Za-z]+)\s*\.?\s*$", re.I)


def _shape(difficulty: int) -> tuple[int, int, list[str]]:
    """(people 3..8, conclusions 3..5, statement kinds)."""
    kinds = _BASIC if difficulty <= 3 else _MIDDLE if difficulty <= 6 else _HARD
    return 3 + (difficulty - 1) * 5 // 9, 3 + (difficulty - 1) // 4, kinds


def label_of(conclusion: dict[str, Any], worlds: list[tuple[bool, ...]]) -> str:
    values = {evaluate(conclusion, w) for w in worlds}
    return (
        "entailed" if values == {True} else "contradicted" if values == {False} else "undetermined"
    )


def worlds_of(statements: list[dict[str, Any]], n: int) -> list[tuple[bool, ...]]:
    return [w for w in itertools.product((True, False), repeat=n) if consistent(statements, w)]


def _claim(conclusion: dict[str, Any], names: list[str]) -> str:
    return _say(conclusion, names).split('"')[1]


@register_family
class KnightsKnavesEntailment(LogicFamily):
    """Label each conclusion entailed / contradicted / undetermined by the statements.

    Accepted: one line per conclusion, `number: label` (labels: entailed/follows/true,
    contradicted/false, undetermined/unknown/uncertain), any order and case. Not accepted: a
    conclusion missing or labelled twice, any other word.
    """

    name = "knights_knaves_entailment"
    title = "KnightsKnavesEntailment"
    description = (
        "Decide if conclusions about knights and knaves are entailed, contradicted or open."
    )
    difficulty_doc = (
        "people 3+(d-1)*5//9 (3..8; size), conclusions 3+(d-1)//4 (3..5); statement forms "
        "widen at d4 and d7; some people may stay undetermined"
    )
    equivalents = {"enigmata": "knights_and_knaves"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, count, kinds = _shape(difficulty)
        names = rng.sample(NAMES, n)
        while True:
            hidden = [rng.random() < 0.5 for _ in range(n)]
            speakers = rng.sample(range(n), max(2, n - 1))
            statements = [_true_statement(rng, s, hidden, kinds) for s in speakers]
            worlds = worlds_of(statements, n)
            conclusions, labels = [], []
            for _ in range(40 * count):
                if len(conclusions) == count:
                    break
                c = _true_statement(rng, rng.randrange(n), hidden, kinds)
                c = {**c, "speaker": 0}
                if c["kind"] == "i_and" or c in conclusions:
                    continue
                label = label_of(c, worlds)
                if labels.count(label) < (count + 1) // 2:
                    conclusions.append(c)
                    labels.append(label)
            if len(conclusions) == count and len(set(labels)) >= 2:
                break
        said = "\n".join(_say(s, names) for s in statements)
        listing = "\n".join(f"{i + 1}. {_claim(c, names)}" for i, c in enumerate(conclusions))
        question = (
            f"On an island every inhabitant is a knight (always tells the truth) or a knave "
            f"(always lies). You meet {', '.join(names)}.\n{said}\n\n"
            "For each conclusion below, say whether it is entailed (true in every assignment of "
            "knights and knaves consistent with what was said), contradicted (false in every "
            "such assignment) or undetermined (true in some, false in others).\n"
            f"{listing}\n\n"
            "Answer with one line per conclusion, `number: label`, for example\n1: entailed\n"
            "2: undetermined\nPut your answer inside <answer></answer>."
        )
        return make_task(question, labels, n, n=n, statements=statements, conclusions=conclusions)

    def check(self, task: Task, answer: str) -> Verdict:
        conclusions = task.metadata["conclusions"]
        lines = answer_lines(answer[:5000])
        if len(lines) != len(conclusions):
            return Verdict.unparseable(f"expected {len(conclusions)} lines `number: label`")
        given: dict[int, str] = {}
        for line in lines:
            m = _LINE.match(line)
            if m is None or m.group(2).lower() not in _SYNONYMS:
                return Verdict.unparseable(f"cannot read {line[:60]!r} as `number: label`")
            k = int(m.group(1))
            if k in given or not 1 <= k <= len(conclusions):
                return Verdict.incorrect(f"conclusion {k} is unknown or labelled twice")
            given[k] = _SYNONYMS[m.group(2).lower()]
        worlds = worlds_of(task.metadata["statements"], task.metadata["n"])
        for k, c in enumerate(conclusions, start=1):
            if given[k] != label_of(c, worlds):
                return Verdict.incorrect(f"conclusion {k} is not {given[k]}")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        out = []
        for i in sorted({0, len(task.answer) - 1}):
            for other in LABELS:
                if other != task.answer[i]:
                    wrong = list(task.answer)
                    wrong[i] = other
                    out.append(_render(wrong))
                    break
        out.append(_render(task.answer[:-1]))
        return out

    def secret_strings(self, task: Task) -> list[str]:
        return []  # the labels are common words

    def format_answer(self, task: Task) -> str:
        return _render(task.answer)


def _render(labels: list[str]) -> str:
    return "\n".join(f"{i + 1}: {label}" for i, label in enumerate(labels))
