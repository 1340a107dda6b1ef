"""List functions: induce a list transformation from input/output examples and apply it.

The hidden rule is a composition of primitive list operations. Examples are added until every
composition of the same or smaller depth that agrees with all examples gives the same output on
the query (an enumeration over the whole hypothesis class proves it), so the answer is unique
within that class. The verifier recomputes the query's output (the rule).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

PRIMITIVES: dict[str, Callable[[list[int]], list[int]]] = {
    "reverse": lambda x: x[::-1],
    "sort": sorted,
    "sort_desc": lambda x: sorted(x, reverse=True),
    "drop_first": lambda x: x[1:],
    "drop_last": lambda x: x[:-1],
    "add_1": lambda x: [v + 1 for v in x],
    "add_3": lambda x: [v + 3 for v in x],
    "double": lambda x: [2 * v for v in x],
    "evens": lambda x: [v for v in x if v % 2 == 0],
    "odds": lambda x: [v for v in x if v % 2],
    "dedup": lambda x: list(dict.fromkeys(x)),
    "rotate_left": lambda x: x[1:] + x[:1],
    "append_first": lambda x: x + x[:1],
    "prefix_sums": lambda x: list(itertools.accumulate(x)),
    "take_3": lambda x: x[:3],
}
NAMES = sorted(PRIMITIVES)


def apply(ops: list[str], values: list[int]) -> list[int]:
    for op in ops:
        values = PRIMITIVES[op](list(values))
    return list(values)


def agreeing(depth: int, examples: list[list[list[int]]]) -> tuple[list[tuple[str, ...]], int]:
    """(every composition of 1..depth primitives matching all examples, compositions tried)."""
    found, tried = [], 0
    for k in range(1, depth + 1):
        for ops in itertools.product(NAMES, repeat=k):
            tried += 1
            if all(apply(list(ops), i) == o for i, o in examples):
                found.append(ops)
    return found, tried


def read_list(text: str) -> list[int] | None:
    clean = text[:2000].strip().rstrip(".")
    if not re.fullmatch(r"\[?[-\d\s,]*\]?", clean):
        return None
    return [int(v) for v in re.findall(r"-?\d+", clean)]


@register_family
class ListFunctions(LogicFamily):
    """Find the rule that maps each example input list to its output and apply it to a new list.

    Difficulty d sets the rule's depth 1 (d1-3), 2 (d4-10) primitive operations among 15
    (reverse, sort, drop, add, double, filter, dedup, rotate, prefix sums, ...) and the list
    length 4+d//2 (4..9); size = depth x length; effort = compositions the uniqueness proof
    tries times the list length. Accepted: the output list as integers, with or without brackets
    (`[3, 1, 2]`, `3 1 2`; `[]` for an empty list). Reward 1/0.
    """

    name = "list_functions"
    title = "ListFunctions"
    description = "Induce a list transformation from examples and apply it to a new input."
    difficulty_doc = "rule depth 1 (d1-3) or 2 (d4-10) of 15 primitives; list length 4+d//2"
    equivalents = {"reasoning_gym": "list_functions"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        depth = 1 if difficulty <= 3 else 2
        length = 4 + difficulty // 2
        high = 9 + difficulty
        for _attempt in range(30):
            ops = [rng.choice(NAMES) for _ in range(depth)]
            query = [rng.randint(0, high) for _ in range(length)]
            examples: list[list[list[int]]] = []
            for _more in range(12):  # add examples until the query's output is determined
                x = [rng.randint(0, high) for _ in range(rng.randint(length - 1, length + 1))]
                examples.append([x, apply(ops, x)])
                found, tried = agreeing(depth, examples)
                if len({tuple(apply(list(f), query)) for f in found}) == 1:
                    break
            else:
                continue
            if apply(ops, query) != query:
                break
        shown = "\n".join(f"{i} -> {o}" for i, o in examples)
        question = (
            "The same rule maps each input list to its output list:\n"
            f"{shown}\n\nApply the rule to {query}. Answer with the output list, for example "
            "`[4, 0, 7]`.\nPut your final answer inside <answer></answer>."
        )
        return make_task(
            question, apply(ops, query), depth * length, rule=ops, examples=examples,
            query=query, depth=depth, effort=tried * length,
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_list(answer)
        if got is None:
            return Verdict.unparseable("expected a list of integers")
        m = task.metadata
        if got != apply(m["rule"], m["query"]):
            return Verdict.incorrect("not the rule's output for the query")
        return Verdict.correct()

    def secret_strings(self, task: Task) -> list[str]:
        return []  # an output can equal an example's output by design

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
