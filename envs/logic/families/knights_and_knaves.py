"""Knights and knaves: knights always tell the truth, knaves always lie; who is which?

Statements are stored structurally in the task metadata and evaluated by the verifier, which
accepts any assignment under which every knight's statement is true and every knave's false. The
generator adds statements (and, as a last resort, plain facts) until brute force over all 2^n
assignments finds exactly one consistent answer.
"""

from __future__ import annotations

import itertools
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
    "Alice", "Ben", "Carla", "Dev", "Eli", "Fiona", "Gus", "Hana", "Ivan", "Jade", "Kofi",
    "Lena", "Marco", "Ines", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera",
    "Wes", "Xena", "Yuki", "Zane",
]  # fmt: skip

_BASIC = ["knight", "knave", "both_knights", "both_knaves", "same", "different"]
_MIDDLE = _BASIC + ["at_least_one_knight", "at_least_one_knave"]
_HARD = _MIDDLE + ["implies", "exactly_one_knight", "i_and"]

LABELS = ("knight", "knave")


def _people(difficulty: int) -> int:
    return 2 + round((difficulty - 1) * 6 / 9)  # 2..8


def evaluate(stmt: dict[str, Any], knight: tuple[bool, ...] | list[bool]) -> bool:
    """Truth value of a statement under an assignment (True = knight)."""
    kind, a = stmt["kind"], [knight[i] for i in stmt["about"]]
    if kind == "knight":
        return a[0]
    if kind == "knave":
        return not a[0]
    if kind == "both_knights":
        return a[0] and a[1]
    if kind == "both_knaves":
        return not a[0] and not a[1]
    if kind == "same":
        return a[0] == a[1]
    if kind == "different":
        return a[0] != a[1]
    if kind == "at_least_one_knight":
        return a[0] or a[1]
    if kind == "at_least_one_knave":
        return not a[0] or not a[1]
    if kind == "implies":
        return (not a[0]) or (not a[1])  # "if A is a knight then B is a knave"
    if kind == "exactly_one_knight":
        return sum(a) == 1
    if kind == "i_and":  # "I am a knave and A is a knight" style: speaker-inclusive
        return (not knight[stmt["speaker"]]) and a[0]
    raise ValueError(f"unknown statement kind {kind!r}")


def consistent(statements: list[dict[str, Any]], knight: tuple[bool, ...] | list[bool]) -> bool:
    return all(knight[s["speaker"]] == evaluate(s, knight) for s in statements)


def _say(stmt: dict[str, Any], names: list[str]) -> str:
    n = [names[i] for i in stmt["about"]]
    kind = stmt["kind"]
    text = {
        "knight": lambda: f"{n[0]} is a knight.",
        "knave": lambda: f"{n[0]} is a knave.",
        "both_knights": lambda: f"{n[0]} and {n[1]} are both knights.",
        "both_knaves": lambda: f"{n[0]} and {n[1]} are both knaves.",
        "same": lambda: f"{n[0]} and {n[1]} are of the same kind.",
        "different": lambda: f"{n[0]} and {n[1]} are of different kinds.",
        "at_least_one_knight": lambda: f"At least one of {n[0]} and {n[1]} is a knight.",
        "at_least_one_knave": lambda: f"At least one of {n[0]} and {n[1]} is a knave.",
        "implies": lambda: f"If {n[0]} is a knight, then {n[1]} is a knave.",
        "exactly_one_knight": lambda: f"Exactly one of {n[0]}, {n[1]} and {n[2]} is a knight.",
        "i_and": lambda: f"I am a knave and {n[0]} is a knight.",
    }[kind]()
    return f'{names[stmt["speaker"]]} says: "{text}"'


def _random_statement(rng: random.Random, speaker: int, n: int, kinds: list[str]) -> dict:
    others = [i for i in range(n) if i != speaker]
    kind = rng.choice(kinds)
    need = 3 if kind == "exactly_one_knight" else (1 if kind in ("knight", "knave", "i_and") else 2)
    if need > len(others):
        kind, need = rng.choice(["knight", "knave"]), 1
    return {"speaker": speaker, "kind": kind, "about": rng.sample(others, need)}


def _true_statement(
    rng: random.Random, speaker: int, gold: list[bool], kinds: list[str]
) -> dict[str, Any]:
    """A statement the speaker can make: true for a knight, false for a knave."""
    for _ in range(100):
        stmt = _random_statement(rng, speaker, len(gold), kinds)
        if evaluate(stmt, gold) == gold[speaker]:
            return stmt
    other = next(i for i in range(len(gold)) if i != speaker)
    kind = "knight" if gold[other] == gold[speaker] else "knave"
    return {"speaker": speaker, "kind": kind, "about": [other]}


# a statement quoted as the puzzle words it: `Kofi says: "..."` (also with the quotes taken off
# by a reading of the answer); `she said that Bob lies` in an explanation is no quotation
_REPORTED = re.compile(r"\b(?:says?|said|claims?|claimed)\s*(?::|[\"\u201c'])", re.I)
_LABEL = re.compile(r"\b(knights?|knaves?)\b", re.I)


def _kinds(segment: str) -> set[str]:
    return {m.lower().rstrip("s") for m in _LABEL.findall(segment)}


@register_family
class KnightsAndKnaves(LogicFamily):
    """Each inhabitant is a knight (always truthful) or a knave (always lies); from what they say,
    decide who is which.

    Difficulty d sets the number of inhabitants, 2 + round((d-1)*6/9) (2 at d=1, 8 at d=10), and
    the statement forms: d1-3 single/both/same/different claims, d4-6 add "at least one of",
    d7-10 add implications, "exactly one of three" and self-referential claims. Puzzles have
    exactly one consistent assignment (brute-force checked). size = inhabitants. Reward 1/0.
    """

    name = "knights_and_knaves"
    title = "KnightsAndKnaves"
    description = "Knights always tell the truth, knaves always lie: decide who is which."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "inhabitants 2 + round((d-1)*6/9): 2..8; statement forms widen at d4 (at least one of) "
        "and d7 (implications, exactly one of three, self-reference)"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _people(difficulty)
        kinds = _BASIC if difficulty <= 3 else (_MIDDLE if difficulty <= 6 else _HARD)
        names = rng.sample(NAMES, n)
        gold = [rng.random() < 0.5 for _ in range(n)]
        statements = [_true_statement(rng, i, gold, kinds) for i in range(n)]
        facts: list[int] = []
        for _round in range(4 * n):
            alternatives = [
                k
                for k in itertools.product((True, False), repeat=n)
                if list(k) != gold
                and consistent(statements, k)
                and all(k[i] == gold[i] for i in facts)
            ]
            if not alternatives:
                break
            alt = rng.choice(alternatives)
            if len(statements) < 3 * n:
                candidates = [
                    _true_statement(rng, rng.randrange(n), gold, kinds) for _ in range(20)
                ]
                useful = [s for s in candidates if alt[s["speaker"]] != evaluate(s, alt)]
                if useful:
                    statements.append(useful[0])
                    continue
            facts.append(next(i for i in range(n) if alt[i] != gold[i]))
        order = list(range(len(statements)))
        rng.shuffle(order)
        statements = [statements[i] for i in order]
        lines = [_say(s, names) for s in statements]
        lines += [
            f"You also know that {names[i]} is a {'knight' if gold[i] else 'knave'}." for i in facts
        ]
        question = (
            f"On an island live knights, who always tell the truth, and knaves, who always lie. "
            f"You meet {n} inhabitants: {', '.join(names)}.\n"
            + "\n".join(lines)
            + "\n\nDecide for each inhabitant whether they are a knight or a knave. "
            + answer_form(LABELS)
        )
        return make_task(
            question,
            labels_of(names, gold, LABELS),
            n,
            names=names,
            statements=statements,
            facts=facts,
        )

    def check(self, task: Task, answer: str) -> Verdict:
        names = list(task.metadata["names"])
        text = answer[:5000].replace("\\n", "\n")  # `\n` typed as two characters: a line break
        hedged = hedged_names(text, names, _kinds)
        if hedged:
            return Verdict.incorrect(f"more than one label for {', '.join(hedged)} (a hedge)")
        extra = strangers(text, names, _kinds)
        if extra:  # another puzzle's answer beside this one, or a person who is not here
            return Verdict.incorrect(f"{extra[0]!r} is not a person of this puzzle")
        if _REPORTED.search(text):
            # the puzzle's own paragraph (`Kofi says: "Xena is a knight."` ...) names a label
            # after each name and was paid on 4% of the tasks: a restatement, not an answer
            return Verdict.incorrect("the answer restates what the inhabitants say")
        knight: list[bool] = []
        for name in names:
            # the first mention of the name that is followed by a label ("Ben says ..." is not)
            mentions = re.finditer(
                rf"\b{re.escape(name)}\b\W{{0,4}}(?:is\s+)?(?:an?\s+)?", text, re.I
            )
            label = next((lb for m in mentions if (lb := _LABEL.match(text, m.end()))), None)
            if not label:
                if not _LABEL.search(text):
                    return Verdict.unparseable("no knight/knave labels found")
                return Verdict.incorrect(f"no label for {name}")
            knight.append(label.group(1).lower().startswith("knight"))
        for i in task.metadata["facts"]:
            if knight[i] != (task.answer[names[i]] == "knight"):
                return Verdict.incorrect(f"{names[i]} contradicts a given fact")
        for stmt in task.metadata["statements"]:
            if knight[stmt["speaker"]] != evaluate(stmt, knight):
                return Verdict.incorrect(f"{names[stmt['speaker']]}'s statement is inconsistent")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """One person's kind flipped (the solution is unique, so each is wrong)."""
        return one_flipped(list(task.metadata["names"]), task.answer, LABELS)

    def format_answer(self, task: Task) -> str:
        return format_labels(task.metadata["names"], task.answer)
