"""Self-referential statements: how many truth assignments make every statement consistent.

A list of statements talks about how many of the statements are true or false, or about each
other. An assignment of true/false to the statements is a solution when every statement is true
exactly if what it says holds. The verifier enumerates every assignment (the rule) and counts.
"""

from __future__ import annotations

import itertools
import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.envs.logic.families.arithmetic_chain import expect_integer
from gymhub.types import Task, Verdict

PRIMES = {2, 3, 5, 7, 11, 13}
#: the solution counts a task is drawn to have, equally often (a draw that no statement list
#: reaches within _ATTEMPTS lists keeps a list with at least one solution)
_COUNTS = (0, 1, 2, 3, 4)
_ATTEMPTS = 60
#: the share of either/or statements in the lists drawn for a count of 4 or more: random lists
#: have 4 solutions on 1-2% of the draws, lists of mostly either/or statements on 6-55%
_EITHER_SHARE = 0.8


def holds(statement: list, truth: tuple[bool, ...]) -> bool:
    kind = statement[0]
    n = len(truth)
    true = sum(truth)
    if kind == "at_least_true":
        return true >= statement[1]
    if kind == "at_most_false":
        return n - true <= statement[1]
    if kind == "exactly_true":
        return true == statement[1]
    if kind == "exactly_false":
        return n - true == statement[1]
    if kind == "either":  # statement i or statement j is true, not both
        return truth[statement[1]] != truth[statement[2]]
    if kind == "prime_true":
        return true in PRIMES
    if kind == "composite_false":
        return (n - true) > 3 and (n - true) not in PRIMES
    raise ValueError(kind)


def solutions(statements: list[list]) -> tuple[int, int]:
    """(consistent assignments, statement evaluations done)."""
    count = checks = 0
    for truth in itertools.product((False, True), repeat=len(statements)):
        for i, s in enumerate(statements):
            checks += 1
            if holds(s, truth) != truth[i]:
                break
        else:
            count += 1
    return count, checks


def describe(statement: list, n: int) -> str:
    kind = statement[0]
    if kind == "at_least_true":
        return f"At least {statement[1]} of these {n} statements are true."
    if kind == "at_most_false":
        return f"At most {statement[1]} of these {n} statements are false."
    if kind == "exactly_true":
        return f"Exactly {statement[1]} of these {n} statements are true."
    if kind == "exactly_false":
        return f"Exactly {statement[1]} of these {n} statements are false."
    if kind == "either":
        return (
            f"Either statement {statement[1] + 1} or statement {statement[2] + 1} is true, "
            "but not both."
        )
    if kind == "prime_true":
        return "The number of true statements is a prime number."
    return "The number of false statements is a composite number."


def random_statement(rng: random.Random, n: int, index: int, either: float = 0.0) -> list:
    """Statement `index` of `n`, of a random kind; an either/or one with probability at least
    `either` (lists of many either/or statements have more solutions)."""
    if either and rng.random() < either:
        kind = "either"
    else:
        kind = rng.choice(
            ["at_least_true", "at_most_false", "exactly_true", "exactly_false", "either",
             "prime_true", "composite_false"]
        )  # fmt: skip
    if kind == "either":
        others = [j for j in range(n) if j != index]
        i, j = sorted(rng.sample(others, 2))
        return [kind, i, j]
    if kind in ("prime_true", "composite_false"):
        return [kind]
    return [kind, rng.randint(0, n)]


@register_family
class SelfReference(LogicFamily):
    """Count the truth assignments that make a list of self-referential statements consistent.

    Difficulty d sets the statements 3,3,4,5,6,7,8,9,10,11 (size); effort = n * 2^n, the
    statement checks of the enumeration over every assignment. The count is drawn first, 0 to 4
    equally often (lists for 4 drawn with mostly either/or statements, which have more
    solutions), so that no one answer is right on more than about a fifth of the tasks. Accepted: one whole number (0
    when none). Reward 1/0.
    """

    name = "self_reference"
    title = "SelfReference"
    description = "Count the consistent truth assignments of self-referential statements."
    difficulty_doc = "statements 3,3,4,5,6,7,8,9,10,11 (d1..d10), counting and either/or forms"
    equivalents = {"reasoning_gym": "self_reference"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = (3, 3, 4, 5, 6, 7, 8, 9, 10, 11)[difficulty - 1]
        # the count is drawn first and statement lists are drawn until one has it: random lists
        # mostly have 1 solution, and a constant answer `1` must not score on most tasks
        target = rng.choice(_COUNTS)
        either = _EITHER_SHARE if target >= 4 else 0.0
        statements = fallback = [random_statement(rng, n, i, either) for i in range(n)]
        for _attempt in range(_ATTEMPTS):
            count, _ = solutions(statements)
            if count == target:
                break
            if count and not solutions(fallback)[0]:
                fallback = statements
            statements = [random_statement(rng, n, i, either) for i in range(n)]
        else:
            statements = fallback
        count, _ = solutions(statements)
        listing = "\n".join(f"{i}. {describe(s, n)}" for i, s in enumerate(statements, 1))
        question = (
            f"Consider these {n} statements:\n{listing}\n\n"
            "Each statement is either true or false. A solution assigns true or false to every "
            "statement so that each statement is true exactly when what it says holds (1 is not "
            "a prime number; the composite numbers are 4, 6, 8, 9, 10, ...). How many solutions "
            "are there? Answer with one whole number (0 if there is none), for example "
            f"`{examples_besides(count, '3', '5')[0]}`.\nPut your final answer inside "
            "<answer></answer>."
        )
        return make_task(question, count, n, statements=statements, effort=n * 2**n)

    def check(self, task: Task, answer: str) -> Verdict:
        count, _ = solutions(task.metadata["statements"])
        return expect_integer(answer, count, "the number of solutions")

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
