"""Web of lies: one person's honesty is given, everyone else comments on people before them;
work out who tells the truth.

Unlike knights and knaves there is no search: each claim refers only to people already settled,
so the answer follows by tracing the chain (in shuffled order at high difficulty). The verifier
recomputes every person's honesty from the structured claims in the metadata.
"""

from __future__ import annotations

import random
import re
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.statements import (
    answer_form,
    format_labels,
    hedged_names,
    labels_of,
    one_flipped,
    strangers,
)
from gymhub.types import Task, Verdict

NAMES = [
    "Fidel", "Jerry", "Vina", "Millicent", "Raymond", "Sherrie", "Kandi", "Alexis", "Bernita",
    "Leda", "Delfina", "Jamey", "Ka", "Phoebe", "Tamika", "Crista", "Gwenn", "Lorine",
    "Osvaldo", "Yoland", "Antwan", "Elanor", "Jaymie", "Willian", "Sima", "Inga",
]  # fmt: skip

_TRUE = re.compile(r"\b(truthful|truth[- ]?teller|tells the truth|truth|honest|true|yes|t)\b", re.I)
_FALSE = re.compile(r"\b(liar|lies|lie|lying|dishonest|false|no|l|f)\b", re.I)

LABELS = ("truthful", "liar")


def _kinds(segment: str) -> set[str]:
    return {k for k, pattern in (("truthful", _TRUE), ("liar", _FALSE)) if pattern.search(segment)}


def _people(difficulty: int) -> int:
    return 3 + difficulty  # 4..13


def evaluate(claim: dict[str, Any], honest: list[bool]) -> bool:
    """Whether the claim is true given who is honest."""
    a = [honest[i] for i in claim["about"]]
    kind = claim["kind"]
    if kind == "truthful":
        return a[0]
    if kind == "liar":
        return not a[0]
    if kind == "both_truthful":
        return a[0] and a[1]
    if kind == "exactly_one_liar":
        return a[0] != a[1]
    if kind == "at_least_one_liar":
        return not (a[0] and a[1])
    raise ValueError(f"unknown claim kind {kind!r}")


def _say(claim: dict[str, Any], names: list[str]) -> str:
    who = [names[i] for i in claim["about"]]
    body = {
        "truthful": lambda: f"{who[0]} tells the truth",
        "liar": lambda: f"{who[0]} lies",
        "both_truthful": lambda: f"both {who[0]} and {who[1]} tell the truth",
        "exactly_one_liar": lambda: f"exactly one of {who[0]} and {who[1]} lies",
        "at_least_one_liar": lambda: f"at least one of {who[0]} and {who[1]} lies",
    }[claim["kind"]]()
    return f"{names[claim['speaker']]} says that {body}."


def solve(first_honest: bool, claims: list[dict[str, Any]], n: int) -> list[bool]:
    """Honesty of everyone: claims are sorted by speaker, each about earlier people only."""
    honest = [first_honest] + [False] * (n - 1)
    for claim in sorted(claims, key=lambda c: c["speaker"]):
        honest[claim["speaker"]] = evaluate(claim, honest)
    return honest


@register_family
class WebOfLies(LogicFamily):
    """A chain of people, each saying whether earlier people lie; decide who tells the truth.

    Difficulty d sets the number of people to 3 + d (4 at d=1, 13 at d=10). From d=4 some claims
    are about two people ("exactly one of X and Y lies"); from d=7 the statements are listed in
    shuffled order so the chain must be reconstructed. size = people. Reward 1/0.
    """

    name = "web_of_lies"
    title = "WebOfLies"
    description = "Chains of 'X says Y lies': decide who tells the truth."
    skips_words = True  # words around the answer are skipped: hedges refused first
    answer_words = frozenset({"no", "false"})  # liar labels, not hedges
    difficulty_doc = "people 3+d (4..13); two-person claims from d4; statements shuffled from d7"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _people(difficulty)
        names = rng.sample(NAMES, n)
        first = rng.random() < 0.5
        kinds = ["truthful", "liar"]
        if difficulty >= 4:
            kinds += ["both_truthful", "exactly_one_liar", "at_least_one_liar"]
        claims = []
        for i in range(1, n):
            kind = rng.choice(kinds) if i >= 2 else rng.choice(["truthful", "liar"])
            if kind in ("truthful", "liar"):
                about = [i - 1] if rng.random() < 0.7 else [rng.randrange(i)]
            else:
                about = [i - 1, rng.randrange(i - 1)]
                rng.shuffle(about)
            claims.append({"speaker": i, "kind": kind, "about": about})
        honest = solve(first, claims, n)
        lines = [_say(c, names) for c in claims]
        if difficulty >= 7:
            rng.shuffle(lines)
        opening = f"{names[0]} {'tells the truth' if first else 'lies'}."
        question = (
            "Each person below either always tells the truth or always lies.\n"
            f"{opening}\n"
            + "\n".join(lines)
            + "\n\nFor every person, say whether they tell the truth. "
            + answer_form(LABELS)
        )
        return make_task(
            question,
            labels_of(names, honest, LABELS),
            n,
            names=names,
            first_honest=first,
            claims=claims,
        )

    def check(self, task: Task, answer: str) -> Verdict:
        names = list(task.metadata["names"])
        honest = solve(bool(task.metadata["first_honest"]), task.metadata["claims"], len(names))
        text = answer[:5000].replace("\\n", "\n")  # `\n` typed as two characters: a line break
        hedged = hedged_names(text, names, _kinds)
        if hedged:
            return Verdict.incorrect(f"both truthful and liar for {', '.join(hedged)} (a hedge)")
        extra = strangers(text, names, _kinds)
        if extra:  # another puzzle's answer beside this one, or a person who is not here
            return Verdict.incorrect(f"{extra[0]!r} is not a person of this puzzle")
        wrong, missing = [], []
        for name, truth in zip(names, honest):
            t = f = None
            # markup and punctuation around the pair (`**Ana**: liar`, JSON's `"Ana": "liar"`,
            # `Ana -> liar`) and "is a" between its halves are skipped
            pattern = (
                rf"\b{re.escape(name)}\b\W{{0,4}}(?:is\s+)?(?:(?:an?|the)\s+)?([A-Za-z][A-Za-z -]*)"
            )
            for m in re.finditer(pattern, text, re.I):  # first mention followed by a verdict
                label = m.group(1)[:20]
                t, f = _TRUE.match(label), _FALSE.match(label)
                if t or f:
                    break
            if bool(t) == bool(f):
                missing.append(name)
            elif bool(t) != truth:
                wrong.append(name)
        if len(missing) == len(names):
            return Verdict.unparseable("no name: truthful/liar pairs found")
        if missing:
            return Verdict.incorrect(f"no verdict for {', '.join(missing)}")
        if wrong:
            return Verdict.incorrect(f"wrong about {len(wrong)} people")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """One person's kind flipped (the solution is unique, so each is wrong)."""
        return one_flipped(list(task.metadata["names"]), task.answer, LABELS)

    def format_answer(self, task: Task) -> str:
        return format_labels(task.metadata["names"], task.answer)
