"""Course schedule: an order to take every course after its prerequisites, or "impossible".

The verifier checks the rules: when the prerequisite graph has a cycle (found by Kahn's
algorithm) the only right answer is `impossible`; otherwise any order that lists every course
once, each after all of its prerequisites, scores 1.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_IMPOSSIBLE = {"impossible", "no order", "not possible", "none"}
#: the share of tasks with a planted cycle, whose answer is `impossible`: low enough that
#: answering `impossible` to everything is right on few tasks
_CYCLE_SHARE = 0.12


def topological(n: int, prereqs: list[list[int]]) -> tuple[list[int] | None, int]:
    """(one order taking the smallest available course first, or None on a cycle; steps)."""
    need = [0] * n
    after: list[list[int]] = [[] for _ in range(n)]
    for course, before in prereqs:
        need[course] += 1
        after[before].append(course)
    ready = sorted(c for c in range(n) if need[c] == 0)
    order, steps = [], 0
    while ready:
        c = ready.pop(0)
        order.append(c)
        for nxt in after[c]:
            steps += 1
            need[nxt] -= 1
            if need[nxt] == 0:
                ready.append(nxt)
        ready.sort()
        steps += 1
    return (order if len(order) == n else None), steps


@register_family
class CourseSchedule(LogicFamily):
    """Order courses so that each comes after its prerequisites, or say it is impossible.

    Difficulty d sets the courses 4+2d (6..24; size) with about 1.5 prerequisites per course;
    a cycle is planted in about 12% of the tasks (longer cycles at higher d; at 40% the constant
    answer `impossible` was right on 35-50% of tasks, at 25% on 22-30%); effort = courses + prerequisites, the
    steps of Kahn's algorithm on an acyclic graph. Accepted: every course number once in a valid
    order, separated by spaces, commas or `->`; or `impossible` when no order exists. Reward 1/0.
    """

    name = "course_schedule"
    title = "CourseSchedule"
    description = "Order courses after their prerequisites, or say that no order exists."
    difficulty_doc = "courses 4+2d (6..24), ~1.5 prerequisites each; a cycle in ~12% of tasks"
    equivalents = {"reasoning_gym": "course_schedule"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = 4 + 2 * difficulty
        rank = list(range(n))
        rng.shuffle(rank)  # a hidden order: prerequisites go from earlier to later in it
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < (3 * n) // 2:
            i, j = sorted(rng.sample(range(n), 2))
            pairs.add((rank[j], rank[i]))  # course rank[j] needs rank[i]
        if rng.random() < _CYCLE_SHARE:  # plant a cycle: a chain backwards along the hidden order
            length = min(n, 2 + difficulty // 2)
            start = rng.randrange(n - length + 1)
            cycle = [rank[k] for k in range(start, start + length)]
            pairs.add((cycle[0], cycle[-1]))  # the first now needs the last as well
            for a, b in zip(cycle, cycle[1:], strict=False):
                pairs.add((b, a))
        prereqs = sorted([list(p) for p in pairs])
        order, _ = topological(n, prereqs)
        shown = "\n".join(f"- course {c} requires course {b}" for c, b in prereqs)
        question = (
            f"There are {n} courses numbered 0 to {n - 1}. Prerequisites:\n{shown}\n\n"
            "A course can be taken only after every course it requires. Give an order in which "
            "all courses can be taken (every course number exactly once, separated by spaces, "
            "for example `2 0 1` for three courses), or answer `impossible` if no such order "
            "exists.\nPut your final answer inside <answer></answer>."
        )
        answer = "impossible" if order is None else order
        return make_task(question, answer, n, courses=n, prereqs=prereqs, effort=n + len(prereqs))

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:2000].strip().lower().rstrip(".")
        m = task.metadata
        order, _ = topological(m["courses"], m["prereqs"])
        if text in _IMPOSSIBLE:
            if order is None:
                return Verdict.correct()
            return Verdict.incorrect("an order exists")
        if not re.fullmatch(r"[\d\s,;>\-]+", text):
            return Verdict.unparseable("expected course numbers or `impossible`")
        got = [int(x) for x in re.findall(r"\d+", text)]
        if order is None:
            return Verdict.incorrect("the prerequisites form a cycle: no order exists")
        if sorted(got) != list(range(m["courses"])):
            return Verdict.incorrect("every course must appear exactly once")
        place = {c: i for i, c in enumerate(got)}
        broken = [(c, b) for c, b in m["prereqs"] if place[b] > place[c]]
        if broken:
            c, b = broken[0]
            return Verdict.incorrect(f"course {c} comes before its prerequisite {b}")
        return Verdict.correct()

    def secret_strings(self, task: Task) -> list[str]:
        return []

    def format_answer(self, task: Task) -> str:
        return task.answer if isinstance(task.answer, str) else " ".join(map(str, task.answer))
