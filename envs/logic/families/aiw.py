"""Alice in Wonderland questions: count a relative's siblings or friends from the other side.

"Alice has 3 brothers and 2 sisters. How many sisters does Alice's brother have?" The verifier
recomputes the count from the family stored in the metadata (the rule: a brother's sisters are
Alice's sisters plus Alice).
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.envs.logic.families.arithmetic_chain import expect_integer
from gymhub.types import Task, Verdict

NAMES = ("Alice", "Maria", "Chen", "Priya", "Sofia", "Amara", "Lena", "Yuki", "Fatima", "Ines")


def count(meta: dict) -> int:
    """The asked number, from the stated family (and, from d5, the stated cousins)."""
    brothers, sisters, kind = meta["brothers"], meta["sisters"], meta["kind"]
    if kind == "brother_sisters":
        return sisters + 1
    if kind == "brother_brothers":
        return brothers - 1
    if kind == "sister_sisters":
        return sisters  # the other sisters plus Alice, minus the asked sister herself
    if kind == "sister_brothers":
        return brothers
    # cousins: every child of the aunt's family is a cousin of Alice and of her siblings
    if kind == "brother_female_cousins":
        return meta["cousin_girls"]
    return meta["cousin_girls"] + meta["cousin_boys"]  # brother_cousins


def _wording(kind: str) -> tuple[str, str]:
    relative, _, target = kind.partition("_")
    target = {"sisters": "sisters", "brothers": "brothers", "female_cousins": "female cousins",
              "cousins": "cousins"}[target]  # fmt: skip
    return relative, target


#: the kinds whose answer is a number the question states (the other sister's view)
_STATED = {"sister_sisters", "sister_brothers", "brother_female_cousins"}
_ATTEMPTS = 50


@register_family
class Aiw(LogicFamily):
    """Count the sisters, brothers or cousins of one of a girl's siblings.

    Difficulty d sets the numbers involved (up to 4+d brothers and sisters each; size = 4+d) and
    the question kinds: a brother's sisters (d1-2), any sibling's sisters or brothers (d3-4),
    then cousins through an aunt's family (d5+, with more distractor relatives). The kinds
    whose answer is a stated number (a sister's sisters) are drawn one time in eight; for the
    others no stated number is the answer. Accepted: one whole number. Reward 1/0.
    """

    name = "aiw"
    title = "Aiw"
    description = "Count a sibling's sisters, brothers or cousins from a girl's point of view."
    difficulty_doc = (
        "siblings up to 4+d; a brother's sisters (d1-2), any sibling (d3-4), cousins (d5+)"
    )
    equivalents = {"reasoning_gym": "aiw"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        girl = rng.choice(NAMES)
        if difficulty <= 2:
            kinds, weights = ["brother_sisters"], [1]
        elif difficulty <= 4:
            kinds = ["brother_sisters", "brother_brothers", "sister_sisters", "sister_brothers"]
            weights = [3, 3, 1, 1]
        else:
            kinds = ["brother_female_cousins", "brother_cousins", "sister_sisters",
                     "brother_brothers"]  # fmt: skip
            weights = [1, 3, 1, 3]
        # a sister's sisters or brothers, and a brother's female cousins, are a number the
        # question states: copying it back was right on a third of the tasks, so these kinds
        # are drawn less often (weight 1 of 8), and for the others no stated number is the
        # answer (the numbers are redrawn until none is)
        kind = rng.choices(kinds, weights=weights)[0]
        for _attempt in range(_ATTEMPTS):
            # up to 4+d of each (it was 2+d: at d1, a brother's sisters were 1..4 and `2` was
            # right on 29% of the tasks)
            brothers = rng.randint(1, 4 + difficulty)
            sisters = rng.randint(1 if difficulty >= 3 else 0, 4 + difficulty)
            meta = {"brothers": brothers, "sisters": sisters, "kind": kind,
                    "cousin_girls": 0, "cousin_boys": 0}  # fmt: skip
            if difficulty >= 5:
                meta["cousin_girls"] = rng.randint(1, difficulty)
                meta["cousin_boys"] = rng.randint(1, difficulty)
            friends = rng.randint(2, 9) if difficulty >= 7 else 0
            stated = {brothers, sisters, friends} | (
                {meta["cousin_girls"], meta["cousin_boys"]} if difficulty >= 5 else set()
            )
            if kind in _STATED or count(meta) not in stated:
                break
        text = f"{girl} has {brothers} brother{'s' * (brothers != 1)} and {sisters} "
        text += f"sister{'s' * (sisters != 1)}."
        cousins = 0
        if difficulty >= 5:
            cousins = meta["cousin_girls"] + meta["cousin_boys"]
            text += (
                f" Her mother has one sister, who has {meta['cousin_girls']} daughters and "
                f"{meta['cousin_boys']} sons; her father is an only child."
            )
            if difficulty >= 7:
                text += f" {girl} also has {friends} friends at school."
        relative, target = _wording(kind)
        gold = count(meta)
        question = (
            f"{text} How many {target} does one of {girl}'s {relative}s have? Answer with one "
            f"whole number, for example `{examples_besides(gold, '4', '6')[0]}`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question, gold, 4 + difficulty, relatives=brothers + sisters + cousins, **meta
        )

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_integer(answer, count(task.metadata), "the count")

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
