"""Are two strings isomorphic (a one-to-one letter mapping turns one into the other)?

The verifier recomputes the relation from the two stored strings.
"""

from __future__ import annotations

import random
import string

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, expect_bool
from gymhub.types import Task, Verdict


def isomorphic(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    forward: dict[str, str] = {}
    backward: dict[str, str] = {}
    for x, y in zip(a, b):
        if forward.setdefault(x, y) != y or backward.setdefault(y, x) != x:
            return False
    return True


@register_family
class IsomorphicStrings(LogicFamily):
    """Decide whether two strings of length 3+2d (5..23, size) are isomorphic.

    Half the pairs are isomorphic; the others differ from an isomorphic pair in one place (a
    letter mapped two ways, or two letters mapped to one). Alphabet 3+d//2 letters. Answer:
    True or False. Reward 1/0.
    """

    name = "isomorphic_strings"
    title = "IsomorphicStrings"
    description = "Decide whether two strings are isomorphic."
    difficulty_doc = "string length 3+2d (5..23; size), alphabet 3+d//2 letters"
    equivalents = {"reasoning_gym": "isomorphic_strings"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 3 + 2 * difficulty
        letters = rng.sample(string.ascii_lowercase, 3 + difficulty // 2)
        a = "".join(rng.choice(letters) for _ in range(length))
        image = rng.sample(string.ascii_lowercase, 26)
        mapping = dict(zip(sorted(set(a)), image))
        b = "".join(mapping[c] for c in a)
        if rng.random() < 0.5:  # changed in one place so that the pair is not isomorphic
            # (a change to an unused letter where the letter occurs once kept it isomorphic,
            # and `True` was right on up to 65% of tasks)
            for _attempt in range(100):
                i = rng.randrange(length)
                other = rng.choice([c for c in string.ascii_lowercase if c != b[i]])
                changed = b[:i] + other + b[i + 1 :]
                if not isomorphic(a, changed):
                    b = changed
                    break
        question = ask(
            f'Are the strings "{a}" and "{b}" isomorphic? Two strings are isomorphic when '
            "every character of the first can be replaced by a character to give the second, "
            "the same character always by the same one and no two different characters by the "
            "same one.",
            "Answer <answer>True</answer> or <answer>False</answer>.",
        )
        return make_task(question, isomorphic(a, b), length, a=a, b=b)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_bool(answer, isomorphic(task.metadata["a"], task.metadata["b"]))

    def format_answer(self, task: Task) -> str:
        return str(isomorphic(task.metadata["a"], task.metadata["b"]))
