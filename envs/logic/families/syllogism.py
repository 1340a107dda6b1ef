"""Syllogisms: which of several conclusions follow from categorical premises.

Statements are "All A are B", "No A are B", "Some A are B" and "Some A are not B" (read without
existential import, as the question says). A conclusion follows when premises plus the
conclusion's negation have no model. Models are the regions of the Venn diagram of the terms,
each empty or not: universal statements empty regions, existential ones need a non-empty region,
so satisfiability is checked exactly region by region. The verifier recomputes every
conclusion's validity (the rule).
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import example_list_besides
from gymhub.types import Task, Verdict

TERMS = (
    "artists bakers cats doctors eagles farmers gardeners hikers inventors jugglers knights "
    "lawyers musicians nurses owls pilots quilters runners sailors teachers"
).split()
NEGATION = {"all": "some_not", "no": "some", "some": "no", "some_not": "all"}
CONCLUSIONS = 4
_NONE = {"none", "none of them", "no conclusion", "no conclusions", "nothing"}


def regions(kind: str, a: int, b: int, terms: int) -> list[int]:
    """The Venn regions (bitmasks over the terms) a statement empties or needs non-empty."""
    out = []
    for region in range(1, 1 << terms):
        in_a, in_b = bool(region >> a & 1), bool(region >> b & 1)
        if kind in ("all", "some_not") and in_a and not in_b:
            out.append(region)
        elif kind in ("no", "some") and in_a and in_b:
            out.append(region)
    return out


def satisfiable(statements: list[list], terms: int) -> tuple[bool, int]:
    """(some model makes every statement true, regions examined)."""
    empty: set[int] = set()
    work = 0
    for kind, a, b in statements:
        if kind in ("all", "no"):
            found = regions(kind, a, b, terms)
            empty.update(found)
            work += 1 << terms
    for kind, a, b in statements:
        if kind in ("some", "some_not"):
            work += 1 << terms
            if all(r in empty for r in regions(kind, a, b, terms)):
                return False, work
    return True, work


def follows(premises: list[list], conclusion: list, terms: int) -> tuple[bool, int]:
    kind, a, b = conclusion
    ok, work = satisfiable([*premises, [NEGATION[kind], a, b]], terms)
    return not ok, work


def sentence(statement: list, names: list[str]) -> str:
    kind, a, b = statement
    a_name, b_name = names[a], names[b]
    return {
        "all": f"All {a_name} are {b_name}.",
        "no": f"No {a_name} are {b_name}.",
        "some": f"Some {a_name} are {b_name}.",
        "some_not": f"Some {a_name} are not {b_name}.",
    }[kind]


def read_numbers(text: str, count: int) -> set[int] | str:
    clean = text[:300].strip().lower().rstrip(".")
    if clean in _NONE:
        return set()
    clean = re.sub(r"\b(conclusions?|and)\b", " ", clean)
    if not re.fullmatch(r"[\d\s,;]+", clean) or not re.search(r"\d", clean):
        return "expected conclusion numbers or `none`"
    numbers = [int(x) for x in re.findall(r"\d+", clean)]
    if len(set(numbers)) != len(numbers):
        return "a conclusion is named twice"
    return set(numbers)


def _shape(difficulty: int) -> tuple[int, int]:
    """(terms, premises)."""
    return (3, 3, 4, 4, 4, 5, 5, 5, 6, 6)[difficulty - 1], difficulty + 1


#: how many of the conclusions follow, drawn uniformly (0 is the answer `none`)
_FOLLOWING = (0, 1, 1, 2, 2)
_DRAWS = 20


def _premises(rng: random.Random, kinds: list[str], terms: int, count: int) -> list[list]:
    """A satisfiable chain A1-A2-... through every term, plus premises between any two."""
    for _attempt in range(100):
        premises: list[list] = []
        for i in range(count):
            a, b = (i, i + 1) if i < terms - 1 else tuple(rng.sample(range(terms), 2))
            premises.append([rng.choice(kinds), *((a, b) if rng.random() < 0.5 else (b, a))])
        if satisfiable(premises, terms)[0]:
            return premises
    return [["all", i, i + 1] for i in range(terms - 1)]  # universal premises: always a model


@register_family
class Syllogism(LogicFamily):
    """Say which of four conclusions follow from categorical premises (all/no/some/some-not).

    Difficulty d sets the terms 3,3,4,4,4,5,5,5,6,6 and the premises d+1 (2..11, size): a
    chain through every term plus premises between any two; effort = Venn regions examined by the
    validity checks. How many conclusions follow is drawn first (none on about a fifth of the
    tasks). Accepted: the numbers of the conclusions that follow in any order (`1, 3`, `1 and 3`,
    `conclusions 1, 3`), or `none`. Reward 1/0.
    """

    name = "syllogism"
    title = "Syllogism"
    description = "Decide which conclusions follow from categorical premises."
    difficulty_doc = "terms 3,3,4,4,4,5,5,5,6,6 (d1..d10); premises d+1 (2..11)"
    equivalents = {"reasoning_gym": "syllogism"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        terms, count = _shape(difficulty)
        names = rng.sample(TERMS, terms)
        kinds = ["all", "all", "no", "some", "some_not"]
        # how many conclusions follow is drawn first, `none` on a fifth of the tasks: premises
        # from which nothing follows are drawn again when some should (at d1 nothing followed
        # on a quarter of the draws, and `none` was right on half of the tasks)
        k = rng.choice(_FOLLOWING)
        for _draw in range(_DRAWS):
            premises = _premises(rng, kinds, terms, count)
            candidates = [
                [kind, a, b]
                for a in range(terms)
                for b in range(terms)
                if a != b
                for kind in ("all", "no", "some", "some_not")
                if [kind, a, b] not in premises
            ]
            valid = [c for c in candidates if follows(premises, c, terms)[0]]
            if valid or k == 0:
                break
        invalid = [c for c in candidates if c not in valid]
        k = min(len(valid), k)
        chosen = rng.sample(valid, k) + rng.sample(invalid, CONCLUSIONS - k)
        rng.shuffle(chosen)
        effort = CONCLUSIONS * (count + 1) << terms  # regions the validity checks cover
        answer = sorted(i + 1 for i, c in enumerate(chosen) if c in valid)
        # nor one number of it (`2` of `2, 4` was the answer on some tasks)
        example = example_list_besides(answer, "2, 4", "1, 3", "3, 4", ordered=False)
        shown_p = "\n".join(f"- {sentence(p, names)}" for p in premises)
        shown_c = "\n".join(f"{i}. {sentence(c, names)}" for i, c in enumerate(chosen, 1))
        question = (
            f"Premises:\n{shown_p}\n\nPossible conclusions:\n{shown_c}\n\n"
            "Which conclusions follow necessarily from the premises? Read 'All X are Y' as "
            "'nothing is an X without being a Y' (it does not claim that any X exists), and "
            "'Some X are Y' as 'at least one thing is both an X and a Y'. Answer with the numbers "
            f"of the conclusions that follow, separated by commas, for example `{example}`, or "
            "`none`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question, answer, count, terms=terms, premises=premises, conclusions=chosen,
            effort=effort,
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_numbers(answer, CONCLUSIONS)
        if isinstance(got, str):
            return Verdict.unparseable(got)
        m = task.metadata
        if any(not 1 <= x <= len(m["conclusions"]) for x in got):
            return Verdict.incorrect("no such conclusion number")
        truth = {
            i + 1
            for i, c in enumerate(m["conclusions"])
            if follows(m["premises"], c, m["terms"])[0]
        }
        if got != truth:
            return Verdict.incorrect("not exactly the conclusions that follow")
        return Verdict.correct()

    def secret_strings(self, task: Task) -> list[str]:
        return []

    def format_answer(self, task: Task) -> str:
        return ", ".join(map(str, task.answer)) if task.answer else "none"
