"""Family relationships: name how one person of a described family is related to another.

The family is stated as marriages and children. The verifier recomputes each asked relation from
the parent and spouse links in the metadata (the rule); the relation words are fixed by gender,
so every question has one answer.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

MALE = ("Adam Boris Carl David Ethan Felix George Henry Isaac Jack Kevin Liam Mark Noah Oscar "
        "Paul Ralph Simon Tom Victor Walter Xavier Yusuf Zane").split()  # fmt: skip
FEMALE = ("Alice Beth Clara Diana Emma Fiona Grace Hannah Iris Julia Kate Laura Mia Nora Olivia "
          "Paula Rose Sara Tina Uma Vera Wendy Yara Zoe").split()  # fmt: skip
PAIRS = {  # relation -> (male word, female word)
    "spouse": ("husband", "wife"),
    "parent": ("father", "mother"),
    "child": ("son", "daughter"),
    "sibling": ("brother", "sister"),
    "grandparent": ("grandfather", "grandmother"),
    "grandchild": ("grandson", "granddaughter"),
    "great_grandparent": ("great-grandfather", "great-grandmother"),
    "great_grandchild": ("great-grandson", "great-granddaughter"),
    "uncle": ("uncle", "aunt"),
    "nephew": ("nephew", "niece"),
    "cousin": ("cousin", "cousin"),
    "parent_in_law": ("father-in-law", "mother-in-law"),
    "child_in_law": ("son-in-law", "daughter-in-law"),
    "sibling_in_law": ("brother-in-law", "sister-in-law"),
}
WORDS = {w for pair in PAIRS.values() for w in pair}
_NUMBERING = re.compile(r"(?:^|(?<=[\s,;]))\(?\d+\s*[.):]\s+")


def relation(x: str, y: str, meta: dict) -> str | None:
    """The word for what x is to y, or None when they are not closely related."""
    parents: dict[str, list[str]] = meta["parents"]
    spouse: dict[str, str] = meta["spouse"]

    def par(p: str) -> list[str]:
        return parents.get(p, [])

    def sibs(p: str) -> set[str]:
        return {q for q in parents if q != p and par(p) and par(q) == par(p)}

    def grand(p: str) -> set[str]:
        return {g for q in par(p) for g in par(q)}

    kind = None
    if spouse.get(y) == x:
        kind = "spouse"
    elif x in par(y):
        kind = "parent"
    elif y in par(x):
        kind = "child"
    elif x in sibs(y):
        kind = "sibling"
    elif x in grand(y):
        kind = "grandparent"
    elif y in grand(x):
        kind = "grandchild"
    elif any(x in par(g) for g in grand(y)):
        kind = "great_grandparent"
    elif any(y in par(g) for g in grand(x)):
        kind = "great_grandchild"
    elif any(x in sibs(p) or spouse.get(x) in sibs(p) for p in par(y)):
        kind = "uncle"
    elif any(y in sibs(p) or spouse.get(y) in sibs(p) for p in par(x)):
        kind = "nephew"
    elif any(p in sibs(q) for p in par(x) for q in par(y)):
        kind = "cousin"
    elif y in spouse and x in par(spouse[y]):
        kind = "parent_in_law"
    elif x in spouse and y in par(spouse[x]):
        kind = "child_in_law"
    elif (y in spouse and x in sibs(spouse[y])) or (x in spouse and spouse[x] in sibs(y)):
        kind = "sibling_in_law"
    if kind is None:
        return None
    male, female = PAIRS[kind]
    return male if meta["gender"][x] == "m" else female


def build(rng: random.Random, generations: int) -> dict:
    names = {"m": rng.sample(MALE, len(MALE)), "f": rng.sample(FEMALE, len(FEMALE))}
    gender: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    spouse: dict[str, str] = {}
    facts: list[str] = []

    def person(g: str) -> str | None:
        if not names[g]:
            return None
        p = names[g].pop()
        gender[p] = g
        return p

    couples = []
    first, second = person("m"), person("f")
    spouse[first], spouse[second] = second, first
    facts.append(f"{first} is married to {second}.")
    couples.append((first, second))
    for _gen in range(generations - 1):
        nxt = []
        for father, mother in couples:
            for _ in range(rng.randint(1, 3)):
                g = rng.choice("mf")
                child = person(g)
                if child is None:
                    continue
                parents[child] = [father, mother]
                word = "son" if g == "m" else "daughter"
                facts.append(f"{child} is the {word} of {father} and {mother}.")
                if rng.random() < 0.7:
                    partner = person("f" if g == "m" else "m")
                    if partner is None:
                        continue
                    spouse[child], spouse[partner] = partner, child
                    facts.append(f"{child} is married to {partner}.")
                    nxt.append((child, partner) if g == "m" else (partner, child))
        couples = nxt or couples[:0]
    return {"gender": gender, "parents": parents, "spouse": spouse, "facts": facts}


@register_family
class FamilyRelationships(LogicFamily):
    """Say how one family member is related to another (father, aunt, cousin, in-laws, ...).

    Difficulty d sets the generations 2 (d1-2), 3 (d3-6), 4 (d7-10), the questions 1+d//4 (1..3)
    and, from d5, shuffled facts; size = effort = questions x generations (the longest link
    path a relation can need grows with the generations). Accepted: one relation word
    per question in order (`uncle`, `great-grandmother`, `sister-in-law`; hyphens or spaces),
    separated by commas or lines, `1.` numbering allowed. Reward 1/0.
    """

    name = "family_relationships"
    title = "FamilyRelationships"
    description = "Name how one member of a described family is related to another."
    difficulty_doc = "generations 2 (d1-2), 3 (d3-6), 4 (d7-10); questions 1+d//4; shuffled from d5"
    equivalents = {"reasoning_gym": "family_relationships"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        generations = 2 if difficulty <= 2 else 3 if difficulty <= 6 else 4
        asked = 1 + difficulty // 4
        for _attempt in range(50):
            meta = build(rng, generations)
            people = sorted(meta["gender"])
            pairs = [(x, y) for x in people for y in people if x != y and relation(x, y, meta)]
            if len(pairs) >= asked:
                break
        questions = rng.sample(pairs, asked)
        facts = list(meta["facts"])
        if difficulty >= 5:
            rng.shuffle(facts)
        listing = "\n".join(f"{i}. What is {x} to {y}?" for i, (x, y) in enumerate(questions, 1))
        question = (
            " ".join(facts) + f"\n\n{listing}\n\nAnswer each question with one relation word "
            "(such as father, daughter, sister, grandson, great-grandmother, uncle, niece, "
            "cousin, wife, mother-in-law, son-in-law, brother-in-law) in order, separated by "
            "commas, for example `aunt, cousin` for two questions.\n"
            "Put your final answer inside <answer></answer>."
        )
        answer = [relation(x, y, meta) for x, y in questions]
        size = asked * generations
        return make_task(
            question, answer, size, questions=[list(q) for q in questions], people=len(meta["gender"]),
            **{k: v for k, v in meta.items() if k != "facts"},
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        text = _NUMBERING.sub(" ", answer[:1000].lower())
        items = [re.sub(r"\s+", " ", p.strip().rstrip(".")) for p in re.split(r"[,;\n]", text)]
        items = [
            p.replace("great grand", "great-grand").replace(" in law", "-in-law")
            for p in items
            if p
        ]
        items = [p.replace("-in law", "-in-law").replace(" in-law", "-in-law") for p in items]
        if any(p not in WORDS for p in items):
            return Verdict.unparseable("expected one relation word per question")
        m = task.metadata
        if len(items) != len(m["questions"]):
            return Verdict.incorrect(f"{len(items)} answers for {len(m['questions'])} questions")
        truth = [relation(x, y, m) for x, y in m["questions"]]
        if items != truth:
            return Verdict.incorrect("at least one relation is wrong")
        return Verdict.correct()

    def secret_strings(self, task: Task) -> list[str]:
        return []

    def format_answer(self, task: Task) -> str:
        return ", ".join(task.answer)
