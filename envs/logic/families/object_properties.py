"""Object properties: track a collection of objects with size, color and kind through changes,
then count the objects that have a property.

The verifier replays the stated changes (losing, buying, repainting, resizing) on the stated
starting collection and counts itself, so nothing stored is trusted. The answer is one number.
"""

from __future__ import annotations

import random
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.envs.logic.families.arithmetic_chain import read_integer
from gymhub.types import Task, Verdict

SIZES = ["small", "large"]
COLORS = ["red", "blue", "green", "yellow", "purple", "white"]
KINDS = ["cube", "ball", "ring", "cup", "book", "coin"]
_ATTR = {"size": 0, "color": 1, "kind": 2}


def _matches(obj: list[str], where: dict[str, str]) -> bool:
    return all(obj[_ATTR[a]] == v for a, v in where.items())


def replay(start: list[list[Any]], changes: list[list[Any]]) -> list[list[Any]]:
    """Groups [count, size, color, kind] after the changes: ["lose", where],
    ["buy", count, size, color, kind], ["paint", where, color], ["resize", where, size]."""
    groups = [list(g) for g in start]
    for change in changes:
        if change[0] == "lose":
            groups = [g for g in groups if not _matches(g[1:], change[1])]
        elif change[0] == "buy":
            groups.append(list(change[1:]))
        else:
            index = 2 if change[0] == "paint" else 1
            for g in groups:
                if _matches(g[1:], change[1]):
                    g[index] = change[2]
    return groups


def count(groups: list[list[Any]], where: dict[str, str]) -> int:
    return sum(g[0] for g in groups if _matches(g[1:], where))


def _phrase(where: dict[str, str]) -> str:
    words = [where[a] for a in ("size", "color") if a in where]
    noun = where.get("kind", "item")
    return " ".join([*words, noun + "s"])


def _describe(change: list[Any]) -> str:
    if change[0] == "lose":
        return f"I lose all my {_phrase(change[1])}."
    if change[0] == "buy":
        n, size, color, kind = change[1:]
        return f"I buy {n} {size} {color} {kind}{'s' if n != 1 else ''}."
    if change[0] == "paint":
        return f"I paint all my {_phrase(change[1])} {change[2]}."
    return (
        f"I exchange all my {_phrase(change[1])} for {change[2]} ones of the same color and kind "
        "(resize)."
    )


@register_family
class ObjectProperties(LogicFamily):
    """Count objects with a property after a sequence of changes to a collection.

    Difficulty d sets the starting groups 2 + d//2 (2..7) and the changes d (1..10); conditions
    name one property up to d4 and two from d5, and the question asks about two properties from
    d7. size = groups + changes. Reward 1/0.
    """

    name = "object_properties"
    title = "ObjectProperties"
    description = "Track objects' sizes, colors and kinds through changes, then count some."
    difficulty_doc = (
        "starting groups 2+d//2 (2..7), changes d (1..10); two-property conditions from d5, "
        "two-property questions from d7"
    )

    def _where(self, rng: random.Random, groups: list[list[Any]], props: int) -> dict[str, str]:
        base = rng.choice(groups) if groups else [1, "small", "red", "cube"]
        attrs = rng.sample(sorted(_ATTR), props)
        return {a: base[1 + _ATTR[a]] for a in sorted(attrs)}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        groups: list[list[Any]] = []
        for _ in range(2 + difficulty // 2):
            groups.append(
                [rng.randint(1, 5), rng.choice(SIZES), rng.choice(COLORS), rng.choice(KINDS)]
            )
        props = 2 if difficulty >= 5 else 1
        changes: list[list[Any]] = []
        state = [list(g) for g in groups]
        for _ in range(difficulty):
            kind = rng.choice(["lose", "buy", "buy", "paint", "resize"])
            if kind == "lose":
                change: list[Any] = ["lose", self._where(rng, state, props)]
            elif kind == "buy":
                change = ["buy", rng.randint(1, 4), rng.choice(SIZES), rng.choice(COLORS),
                          rng.choice(KINDS)]  # fmt: skip
            elif kind == "paint":  # a new color when the condition names one
                where = self._where(rng, state, props)
                new = rng.choice([c for c in COLORS if c != where.get("color")])
                change = ["paint", where, new]
            else:
                where = self._where(rng, state, props)
                new = rng.choice([z for z in SIZES if z != where.get("size")])
                change = ["resize", where, new]
            changes.append(change)
            state = replay(state, [change])
        ask = self._where(rng, state, 2 if difficulty >= 7 else 1)
        start = ", ".join(
            f"{n} {size} {color} {kind}{'s' if n != 1 else ''}" for n, size, color, kind in groups
        )
        steps = "\n".join(f"{i}. {_describe(c)}" for i, c in enumerate(changes, 1))
        total = count(state, ask)
        question = (
            f"I have {start}. Then, in order:\n{steps}\n\n"
            "Every object has exactly one size (small or large), one color and one kind; "
            "'resize' changes only the size, painting only the color.\n"
            f"How many {_phrase(ask)} do I have now? Answer with one whole number, for example "
            f"`{examples_besides(total, '4', '6')[0]}`.\nPut your final answer inside "
            "<answer></answer>."
        )
        return make_task(
            question, total, len(groups) + len(changes), start=groups, changes=changes, ask=ask
        )

    def check(self, task: Task, answer: str) -> Verdict:
        given = read_integer(answer[:100])
        if given is None:
            return Verdict.unparseable("expected one whole number")
        m = task.metadata
        if given != count(replay(m["start"], m["changes"]), m["ask"]):
            return Verdict.incorrect("wrong count")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        m = task.metadata
        truth = count(replay(m["start"], m["changes"]), m["ask"])
        return [str(truth + 1), str(truth + 2), str(truth - 1 if truth else 3)]

    def secret_strings(self, task: Task) -> list[str]:
        return []  # a small count occurs in the question by chance

    def format_answer(self, task: Task) -> str:
        m = task.metadata
        return str(count(replay(m["start"], m["changes"]), m["ask"]))
