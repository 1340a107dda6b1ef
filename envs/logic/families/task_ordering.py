"""Task ordering: put tasks in an order that respects every stated "X before Y" constraint.

A topological sort. The verifier checks the rules directly: the answer names every task exactly
once and no constraint is broken, so any valid order scores 1 (most puzzles have several).
"""

from __future__ import annotations

import random
import re
import string

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

# words, or any single character that is neither a word letter nor a separator (, ; > - → .)
TOKEN = re.compile(r"[A-Za-z]+|[^\sA-Za-z,;>\-→.]")


def broken(order: list[str], before: list[list[str]]) -> list[list[str]]:
    """The constraints [x, y] ("x before y") that `order` breaks."""
    place = {task: i for i, task in enumerate(order)}
    return [[x, y] for x, y in before if place[x] > place[y]]


@register_family
class TaskOrdering(LogicFamily):
    """Order tasks so that every "X before Y" constraint holds (topological sort).

    Difficulty d sets the tasks 4 + 2d (6..24, size) and the constraints about 1.5 per task;
    up to d5 constraints link tasks at most 3 apart in a hidden valid order and are listed in
    that order; from d6 they link any two tasks and are shuffled. Reward 1/0.
    """

    name = "task_ordering"
    title = "TaskOrdering"
    description = "Order tasks so that every 'X before Y' constraint holds (any valid order)."
    difficulty_doc = (
        "tasks 4+2d (6..24), about 1.5 constraints per task; local and listed in order up to d5, "
        "between any tasks and shuffled from d6"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 4 + 2 * difficulty
        tasks = list(string.ascii_uppercase[:count])
        hidden = list(tasks)
        rng.shuffle(hidden)  # a secret valid order; constraints all point forward in it
        pairs: set[tuple[int, int]] = {(count - 2, count - 1), (0, 1)}  # ends are constrained
        while len(pairs) < int(1.5 * count):
            i, j = sorted(rng.sample(range(count), 2))
            if difficulty < 6 and j - i > 3:
                continue  # local constraints only at low difficulty
            pairs.add((i, j))
        before = [[hidden[i], hidden[j]] for i, j in sorted(pairs)]
        rng.shuffle(before)
        if difficulty < 6:
            before.sort(key=lambda p: hidden.index(p[0]))
        lines = "\n".join(f"- {x} before {y}" for x, y in before)
        question = (
            f"There are {count} tasks: {', '.join(tasks)}. Each must be done exactly once, one at "
            f"a time, and these constraints must hold:\n{lines}\n\n"
            "Give an order of all the tasks that satisfies every constraint, as the task letters "
            "separated by spaces, for example `C A B` for three tasks.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, hidden, count, tasks=tasks, before=before)

    def check(self, task: Task, answer: str) -> Verdict:
        tokens = TOKEN.findall(answer[:2000])
        tasks = list(task.metadata["tasks"])
        known = set(tasks)
        if not tokens or any(t.upper() not in known or len(t) != 1 for t in tokens):
            return Verdict.unparseable("expected task letters separated by spaces")
        order = [t.upper() for t in tokens]
        if sorted(order) != sorted(tasks):
            return Verdict.incorrect("not every task exactly once")
        bad = broken(order, task.metadata["before"])
        if bad:
            return Verdict.incorrect(
                f"{len(bad)} constraints broken, e.g. {bad[0][0]} before {bad[0][1]}"
            )
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """The last task moved first, the first moved last (both are constrained), one dropped."""
        gold = list(task.answer)
        return [
            " ".join([gold[-1], *gold[:-1]]),
            " ".join([*gold[1:], gold[0]]),
            " ".join(gold[:-1]),
        ]

    def format_answer(self, task: Task) -> str:
        return " ".join(task.answer)
