"""Calendar arithmetic: apply a sequence of day/week shifts to a date and give the result.

The verifier recomputes the date from the stated start and steps with the proleptic Gregorian
calendar (`datetime.date`, leap years included) and compares it with the one ISO date read from
the answer, so nothing stored is trusted.
"""

from __future__ import annotations

import datetime
import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_ISO = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*\.?\s*")


def result_date(start: str, steps: list[list]) -> datetime.date:
    """`start` (ISO) shifted by each [amount, unit] step; unit is "days" or "weeks"."""
    date = datetime.date.fromisoformat(start)
    for amount, unit in steps:
        date += datetime.timedelta(days=amount * (7 if unit == "weeks" else 1))
    return date


def _step_text(amount: int, unit: str) -> str:
    verb = "go forward" if amount > 0 else "go back"
    n = abs(amount)
    return f"{verb} {n} {unit[:-1] if n == 1 else unit}"


@register_family
class CalendarArithmetic(LogicFamily):
    """Shift a date by a sequence of days and weeks (leap years count).

    Difficulty d sets the steps 1 + d//2 (1..6, size) and their size (up to 10d days or 2d
    weeks); backward steps from d3. Reward 1/0.
    """

    name = "calendar_arithmetic"
    title = "CalendarArithmetic"
    description = "Shift a date by several day and week steps and give the resulting date."
    difficulty_doc = "steps 1+d//2 (1..6), up to 10d days or 2d weeks each; backward steps from d3"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        start = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 60))
        steps: list[list] = []
        for _ in range(1 + difficulty // 2):
            unit = rng.choice(["days", "days", "weeks"])
            amount = rng.randint(1, 10 * difficulty if unit == "days" else 2 * difficulty)
            if difficulty >= 3 and rng.random() < 0.4:
                amount = -amount
            steps.append([amount, unit])
        while result_date(start.isoformat(), steps) == start:  # the answer is never the start
            steps[-1][0] += 1 if steps[-1][0] != -1 else 2
        lines = "\n".join(f"{i}. {_step_text(a, u)}" for i, (a, u) in enumerate(steps, 1))
        question = (
            f"Start on {WEEKDAYS[start.weekday()]}, {start.isoformat()} (Gregorian calendar; leap "
            f"years count). Then, in order:\n{lines}\n\n"
            "Which date do you reach? Answer with one date in the form YYYY-MM-DD, for example "
            "`1999-12-31`.\nPut your final answer inside <answer></answer>."
        )
        end = result_date(start.isoformat(), steps)
        return make_task(
            question, end.isoformat(), len(steps), start=start.isoformat(), steps=steps
        )

    def check(self, task: Task, answer: str) -> Verdict:
        match = _ISO.fullmatch(answer[:100])
        if match is None:
            return Verdict.unparseable("expected one date as YYYY-MM-DD")
        try:
            given = datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            return Verdict.incorrect("not a calendar date")
        if given != result_date(task.metadata["start"], task.metadata["steps"]):
            return Verdict.incorrect("wrong date")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        end = result_date(task.metadata["start"], task.metadata["steps"])
        return [(end + datetime.timedelta(days=k)).isoformat() for k in (1, -1, 7)]

    def format_answer(self, task: Task) -> str:
        return result_date(task.metadata["start"], task.metadata["steps"]).isoformat()
