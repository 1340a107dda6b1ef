"""Object counting: a list of possessions (counts in words) and a question about one category.

The inventory is stored in the metadata; the verifier recounts it, so the rule (sum the items of
the asked category after all changes) is checked rather than a stored string.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

CATEGORIES: dict[str, list[tuple[str, str]]] = {
    "fruits": [("apple", "apples"), ("banana", "bananas"), ("peach", "peaches"), ("plum", "plums"),
               ("grape", "grapes"), ("strawberry", "strawberries"), ("nectarine", "nectarines"),
               ("raspberry", "raspberries"), ("orange", "oranges"), ("blackberry", "blackberries")],
    "vegetables": [("carrot", "carrots"), ("potato", "potatoes"), ("onion", "onions"),
                   ("cabbage", "cabbages"), ("head of lettuce", "heads of lettuce"),
                   ("stalk of celery", "stalks of celery"), ("yam", "yams"),
                   ("head of broccoli", "heads of broccoli"), ("cauliflower", "cauliflowers")],
    "animals": [("dog", "dogs"), ("cat", "cats"), ("rabbit", "rabbits"), ("goat", "goats"),
                ("cow", "cows"), ("pig", "pigs"), ("duck", "ducks"), ("snail", "snails"),
                ("frog", "frogs"), ("mouse", "mice"), ("donkey", "donkeys"), ("fish", "fish")],
    "musical instruments": [("piano", "pianos"), ("flute", "flutes"), ("trumpet", "trumpets"),
                            ("violin", "violins"), ("drum", "drums"), ("clarinet", "clarinets"),
                            ("trombone", "trombones"), ("accordion", "accordions")],
    "pieces of furniture": [("chair", "chairs"), ("table", "tables"), ("bed", "beds"),
                            ("couch", "couches"), ("lamp", "lamps"), ("bookshelf", "bookshelves"),
                            ("stool", "stools"), ("wardrobe", "wardrobes")],
}  # fmt: skip
CATEGORY_NAMES = sorted(CATEGORIES)
NUMBER_WORDS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
]  # fmt: skip


def _mentions(difficulty: int) -> int:
    return 2 + 2 * difficulty  # 4..22 item mentions


def _amount(n: int, singular: str, plural: str) -> str:
    if n == 1:
        return ("an " if singular[0] in "aeiou" else "a ") + singular
    return f"{NUMBER_WORDS[n]} {plural}"


def recount(task: Task) -> int:
    """The asked category's total after all changes."""
    counts = {item: n for item, n in task.metadata["inventory"]}
    for item, delta in task.metadata["changes"]:
        counts[item] = counts.get(item, 0) + delta
    wanted = {s for s, _ in CATEGORIES[task.metadata["category"]]}
    return sum(n for item, n in counts.items() if item in wanted)


@register_family
class ObjectCounting(LogicFamily):
    """Count the objects of one category in a list of possessions (numbers written as words).

    Difficulty d sets the number of item mentions to 2 + 2d (4..22) and the largest count per
    item (1-3 up to d=3, up to 6 after); from d=5 one to three later changes ("then I gave away
    two of my ...") must be applied. size = item mentions. Reward 1/0.
    """

    name = "object_counting"
    title = "ObjectCounting"
    description = "Count the items of one category among many possessions."
    difficulty_doc = (
        "item mentions 2+2d (4..22); counts per item up to 3 (d1-3) then 6; 1-3 later changes "
        "to apply from d5"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        mentions = _mentions(difficulty)
        most = 3 if difficulty <= 3 else 6
        category = rng.choice(CATEGORY_NAMES)
        pool = [(s, p, c) for c in CATEGORY_NAMES for s, p in CATEGORIES[c]]
        own = [(s, p, c) for s, p, c in pool if c == category]
        others = [x for x in pool if x[2] != category]
        wanted = min(len(own), max(1, rng.randint(mentions // 3, mentions // 2 + 1)))
        picked = rng.sample(own, wanted) + rng.sample(others, min(len(others), mentions - wanted))
        rng.shuffle(picked)
        inventory = [[s, rng.randint(1, most)] for s, _p, _c in picked]
        plural = {s: p for s, p, _c in pool}
        phrases = [_amount(n, s, plural[s]) for s, n in inventory]
        text = f"I have {', '.join(phrases[:-1])}, and {phrases[-1]}."
        changes: list[list] = []
        if difficulty >= 5:
            counts = dict((s, n) for s, n in inventory)
            for _ in range(rng.randint(1, 1 + (difficulty - 4) // 3)):
                item = rng.choice([s for s, _n in inventory])
                if counts[item] > 1 and rng.random() < 0.5:
                    k = rng.randint(1, counts[item] - 1)
                    text += f" Then I gave away {NUMBER_WORDS[k]} of my {plural[item]}."
                    changes.append([item, -k])
                    counts[item] -= k
                else:
                    k = rng.randint(1, 3)
                    more = item if k == 1 else plural[item]
                    text += f" Then I got {NUMBER_WORDS[k]} more {more}."
                    changes.append([item, k])
                    counts[item] += k
        question = (
            f"{text}\nHow many {category} do I have now?\n\n"
            "Answer with a single number written in digits, for example <answer>99</answer>. "
            "Put your final answer inside <answer></answer>."
        )
        task = make_task(
            question, 0, mentions, inventory=inventory, changes=changes, category=category
        )
        task.answer = recount(task)
        return task

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer.strip().lower().rstrip(".")
        if re.fullmatch(r"\d{1,6}", text):
            value = int(text)
        elif text in NUMBER_WORDS:
            value = NUMBER_WORDS.index(text)
        else:
            return Verdict.unparseable("expected a single whole number")
        truth = recount(task)
        if value != truth:
            return Verdict.incorrect(f"{value} is not the count")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
