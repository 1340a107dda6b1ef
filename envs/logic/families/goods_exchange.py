"""Goods exchange: people trade items in a sequence of swaps; say who holds what at the end.

The verifier replays the stated exchanges from the initial holdings (resolving "whoever holds
the X" at the moment of that exchange) and compares the answer with the holdings it computes, so
no stored string is trusted. The answer must give every person exactly one item.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

PEOPLE = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy"]
ITEMS = [
    "apple", "book", "candle", "drum", "fan", "globe", "hat", "kite", "lamp", "mug",
    "pen", "ring", "scarf", "vase", "watch", "whistle",
]  # fmt: skip
_FILLER = {"the", "a", "an", "has", "holds", "is", "with", "and", "ends", "up", "gets", "now"}
_WORD = re.compile(r"[A-Za-z]+")
MAX_WORDS = 400


def _shape(difficulty: int) -> tuple[int, int]:
    """(people, exchanges)."""
    return 3 + (difficulty - 1) * 5 // 9, 2 + 2 * difficulty  # 3..8 people, 4..22 exchanges


def apply_exchange(holding: dict[str, str], step: list[str]) -> None:
    """Apply one exchange to `holding` (person -> item) in place. Forms: ["people", A, B],
    ["person_item", A, X] (A and whoever holds X), ["items", X, Y] (the holders of X and Y),
    ["rotate", A, B, C] (A's item goes to B, B's to C, C's to A, at the same time)."""
    owner = {item: person for person, item in holding.items()}
    kind = step[0]
    if kind == "rotate":
        a, b, c = step[1:]
        holding[a], holding[b], holding[c] = holding[c], holding[a], holding[b]
        return
    if kind == "people":
        a, b = step[1], step[2]
    elif kind == "person_item":
        a, b = step[1], owner[step[2]]
    else:
        a, b = owner[step[1]], owner[step[2]]
    holding[a], holding[b] = holding[b], holding[a]


def final_holdings(people: list[str], items: list[str], steps: list[list[str]]) -> dict[str, str]:
    holding = dict(zip(people, items, strict=True))
    for step in steps:
        apply_exchange(holding, step)
    return holding


def _describe(step: list[str]) -> str:
    kind = step[0]
    if kind == "people":
        return f"{step[1]} and {step[2]} swap their items."
    if kind == "person_item":
        return f"{step[1]} swaps items with whoever currently holds the {step[2]}."
    if kind == "items":
        return f"Whoever holds the {step[1]} swaps items with whoever holds the {step[2]}."
    a, b, c = step[1:]
    return (
        f"At the same time, {a} passes their item to {b}, {b} passes theirs to {c}, and {c} "
        f"passes theirs to {a}."
    )


@register_family
class GoodsExchange(LogicFamily):
    """Track items through a sequence of exchanges between people.

    Difficulty d sets the people 3 + (d-1)*5//9 (3..8) and the exchanges 2 + 2d (4..22); from d4
    some exchanges name an item's current holder instead of a person, from d6 three-way rotations
    appear, from d8 exchanges between the holders of two items. size = exchanges. Reward 1/0.
    """

    name = "goods_exchange"
    title = "GoodsExchange"
    description = "Track who holds which item after a sequence of swaps and rotations."
    difficulty_doc = (
        "people 3+(d-1)*5//9 (3..8), exchanges 2+2d (4..22); holder-of-item references from d4, "
        "three-way rotations from d6, item-to-item swaps from d8"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n_people, n_steps = _shape(difficulty)
        people = rng.sample(PEOPLE, n_people)
        items = rng.sample(ITEMS, n_people)
        kinds = ["people"] * 3
        if difficulty >= 4:
            kinds += ["person_item"] * 2
        if difficulty >= 6:
            kinds += ["rotate"]
        if difficulty >= 8:
            kinds += ["items"] * 2
        holding = dict(zip(people, items, strict=True))
        steps: list[list[str]] = []
        for _ in range(n_steps):
            kind = rng.choice(kinds)
            owner = {item: person for person, item in holding.items()}
            if kind == "rotate":
                step = ["rotate", *rng.sample(people, 3)]
            elif kind == "people":
                step = ["people", *rng.sample(people, 2)]
            elif kind == "person_item":
                a = rng.choice(people)
                step = ["person_item", a, rng.choice([i for i in items if owner[i] != a])]
            else:
                step = ["items", *rng.sample(items, 2)]
            steps.append(step)
            apply_exchange(holding, step)
        start = "; ".join(f"{p} has the {i}" for p, i in zip(people, items, strict=True))
        lines = "\n".join(f"{k}. {_describe(s)}" for k, s in enumerate(steps, 1))
        question = (
            f"{len(people)} people each start with one item: {start}.\n"
            f"They then make these exchanges, in order (a swap exchanges the two items; "
            "'whoever holds' refers to the holder at that moment):\n"
            f"{lines}\n\n"
            "Who holds which item at the end? Answer with one `name: item` pair for every "
            "person, separated by commas, for example `Zoe: cup, Yann: key`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, holding, len(steps), people=people, items=items, steps=steps)

    def check(self, task: Task, answer: str) -> Verdict:
        people = list(task.metadata["people"])
        items = list(task.metadata["items"])
        by_lower_person = {p.lower(): p for p in people}
        by_lower_item = {i.lower(): i for i in items}
        words = _WORD.findall(answer[:20_000])
        if not words or len(words) > MAX_WORDS:
            return Verdict.unparseable("expected `name: item` pairs")
        given: dict[str, str] = {}
        current: str | None = None
        for word in words:
            low = word.lower()
            if low in by_lower_person:
                current = by_lower_person[low]
                if current in given:
                    return Verdict.incorrect(f"{current} is named twice")
            elif low in by_lower_item:
                if current is None or current in given:
                    return Verdict.incorrect(f"item {word!r} is not paired with one person")
                given[current] = by_lower_item[low]
            elif low not in _FILLER:
                return Verdict.unparseable(f"unexpected word {word!r}")
        missing = [p for p in people if p not in given]
        if missing:
            return Verdict.incorrect(f"no item given for {', '.join(missing)}")
        truth = final_holdings(people, items, task.metadata["steps"])
        wrong = [p for p in people if given[p] != truth[p]]
        if wrong:
            return Verdict.incorrect(f"wrong item for {len(wrong)} people")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """The gold with two people's items exchanged (first two, last two, first and last)."""
        people = list(task.metadata["people"])
        truth = final_holdings(people, list(task.metadata["items"]), task.metadata["steps"])
        out = []
        for i, j in ((0, 1), (-2, -1), (0, -1)):
            wrong = dict(truth)
            wrong[people[i]], wrong[people[j]] = truth[people[j]], truth[people[i]]
            out.append(", ".join(f"{p}: {wrong[p]}" for p in people))
        return out

    def format_answer(self, task: Task) -> str:
        people = list(task.metadata["people"])
        truth = final_holdings(people, list(task.metadata["items"]), task.metadata["steps"])
        return ", ".join(f"{p}: {truth[p]}" for p in people)
