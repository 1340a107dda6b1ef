"""Elapsed time between two timestamps.

The verifier reads a duration (`H:MM`, `H:MM:SS`, or `D days, H:MM:SS`) and compares its length
in seconds with the difference of the two stored timestamps, computed with `datetime`.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, clean, example_int
from gymhub.types import Task, Verdict

_SPAN_HOURS = [2, 5, 10, 20, 24, 48, 96, 240, 720, 2000]
_DURATION = re.compile(r"(?:(\d{1,6})\s*days?,?\s*)?(\d{1,7}):([0-5]\d)(?::([0-5]\d))?")


def _fmt(moment: datetime, difficulty: int) -> str:
    if difficulty <= 2:
        return moment.strftime("%H:%M")
    if difficulty <= 4:
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def duration_text(seconds: int, with_seconds: bool) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if with_seconds else f"{h}:{m:02d}"


@register_family
class TimeIntervals(LogicFamily):
    """How much time passes from the first timestamp to the second?

    Span up to 2,5,10,20,24,48,96,240,720,2000 hours at d1..d10 (size, in hours); times `HH:MM`
    (d1-2, within one day), `HH:MM:SS` (d3-4), full dates from d5 (leap days and month lengths
    count). Answer: `H:MM:SS` (or `H:MM` when the times have no seconds; hours may exceed 24,
    `D days, H:MM:SS` also accepted). Reward 1/0.
    """

    name = "time_intervals"
    title = "TimeIntervals"
    description = "Compute the elapsed time between two timestamps."
    difficulty_doc = "span up to 2..2000 hours (size); HH:MM, then HH:MM:SS (d3), dates from d5"
    equivalents = {"reasoning_gym": "time_intervals"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        span = _SPAN_HOURS[difficulty - 1]
        step = 60 if difficulty <= 2 else 1
        start = datetime(2000, 1, 1) + timedelta(days=rng.randint(0, 365 * 30))
        if difficulty <= 4:
            start += timedelta(seconds=rng.randrange(0, 86400 // step) * step)
        else:
            start += timedelta(seconds=rng.randrange(0, 86400))
        limit = (
            min(
                span * 3600,
                int((start.replace(hour=23, minute=59, second=59) - start).total_seconds()),
            )
            if difficulty <= 4
            else span * 3600
        )
        delta = rng.randint(1, max(1, limit // step)) * step
        end = start + timedelta(seconds=delta)
        a, b = _fmt(start, difficulty), _fmt(end, difficulty)
        form = "H:MM" if difficulty <= 2 else "H:MM:SS"
        example = duration_text(
            example_int(rng, delta, 25 * 3600, 99 * 3600) // step * step, difficulty > 2
        )
        question = ask(
            f"How much time passes from {a} to {b}"
            + (" (the same day)" if difficulty <= 4 else "")
            + "?",
            f"Answer as {form} (hours may exceed 24), for example <answer>{example}</answer>.",
        )
        return make_task(question, duration_text(delta, difficulty > 2), span, start=a, end=b)

    def _seconds(self, task: Task) -> int:
        fmt = {5: "%H:%M", 8: "%H:%M:%S"}.get(len(task.metadata["start"]), "%Y-%m-%d %H:%M:%S")
        start = datetime.strptime(task.metadata["start"], fmt)
        end = datetime.strptime(task.metadata["end"], fmt)
        return int((end - start).total_seconds())

    def check(self, task: Task, answer: str) -> Verdict:
        match = _DURATION.fullmatch(clean(answer).rstrip(".").strip())
        if match is None:
            return Verdict.unparseable("expected a duration H:MM:SS")
        days, h, m, s = (int(g) if g else 0 for g in match.groups())
        seconds = days * 86400 + h * 3600 + m * 60 + s
        return (
            Verdict.correct()
            if seconds == self._seconds(task)
            else Verdict.incorrect("wrong duration")
        )

    def format_answer(self, task: Task) -> str:
        return duration_text(self._seconds(task), len(task.metadata["start"]) != 5)
