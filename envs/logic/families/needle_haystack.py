"""Needle in a haystack: find the one person a long list of statements names with a thing.

Exactly one statement mentions the asked thing (checked at generation); the verifier reads the
statements stored in the metadata and checks that the named person is the one who does it.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

FIRST = (
    "Ava Ben Cara Dan Eli Fay Gus Hana Ivo Jade Kai Lena Milo Nina Omar Pia Quin Rosa Sam Tara "
    "Ugo Vera Wade Xena Yuri Zoe Abel Bea Cole Dora"
).split()
LAST = (
    "Adams Brook Cruz Dale Ellis Frost Gray Hale Irwin Jones Knox Lund Marsh Nash Oakes Price "
    "Quinn Reed Stone Thorne Upton Vance Webb Young Zeller Blake Carver Dunn Ford Grant"
).split()
ADJ = (
    "red blue old new tiny huge wooden paper silver golden quiet noisy striped spotted round "
    "square warm cold"
).split()
NOUNS = (
    "kites maps lamps boats drums hats clocks books shoes bikes cups chairs coins gloves masks "
    "rings tents vases bells keys"
).split()
VERBS = ("likes", "collects", "paints", "repairs", "sells", "draws", "hides", "dislikes")
SENTENCES = (10, 20, 40, 70, 110, 160, 220, 300, 400, 500)
_NAME = re.compile(r"\s*([A-Za-z]+)\s+([A-Za-z]+)\s*\.?\s*")


@register_family
class NeedleHaystack(LogicFamily):
    """Find who does something with the one thing mentioned once among many statements.

    Difficulty d sets the statements 10, 20, 40, 70, 110, 160, 220, 300, 400, 500 (size =
    effort = statements to scan). Accepted: the person's first and last name (case ignored, a
    final period allowed). Reward 1/0.
    """

    name = "needle_haystack"
    title = "NeedleHaystack"
    description = "Find the one statement about a thing among many and name its person."
    difficulty_doc = "statements 10, 20, 40, 70, 110, 160, 220, 300, 400, 500 (d1..d10)"
    equivalents = {"reasoning_gym": "needle_haystack"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = SENTENCES[difficulty - 1]
        things = [f"{a} {n}" for a in ADJ for n in NOUNS]
        needle = rng.choice(things)
        others = [t for t in things if t != needle]
        facts = [
            [rng.choice(FIRST), rng.choice(LAST), rng.choice(VERBS), rng.choice(others)]
            for _ in range(count - 1)
        ]
        target = [rng.choice(FIRST), rng.choice(LAST), rng.choice(VERBS), needle]
        facts.insert(rng.randrange(count), target)
        text = "\n".join(f"{f} {last} {verb} {thing}." for f, last, verb, thing in facts)
        question = (
            f"{text}\n\nWhich person {target[2]} {needle}? Answer with the person's first and "
            "last name, for example `Ada Lovelace`.\nPut your final answer inside "
            "<answer></answer>."
        )
        return make_task(
            question, f"{target[0]} {target[1]}", count, facts=facts, thing=needle,
            effort=count,
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        match = _NAME.fullmatch(answer[:200])
        if not match:
            return Verdict.unparseable("expected a first and a last name")
        name = (match.group(1).lower(), match.group(2).lower())
        people = {
            (f.lower(), last.lower())
            for f, last, _, thing in task.metadata["facts"]
            if thing == task.metadata["thing"]
        }
        if name not in people:
            return Verdict.incorrect(f"{' '.join(name)} is not the one with the asked thing")
        return Verdict.correct()

    def secret_strings(self, task: Task) -> list[str]:
        return []  # every name is in the text by design

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
