"""Time sequences: find the earliest slot in a day when everyone is free for a meeting.

The verifier checks the rules minute by minute: the proposed slot has the required length, lies
within working hours, overlaps nobody's busy interval, and no earlier start would have worked.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

NAMES = ["Ana", "Bilal", "Chen", "Dora", "Emeka", "Farah", "Goran", "Hiro", "Isla", "Jonas"]
_TIME = re.compile(
    r"(?<!\d)(?:(\d{1,2})\s*[:.h]\s*(\d{2})(?!\d)\s*(am|pm|a\.m\.|p\.m\.)?|(\d{1,2})\s*(am|pm))",
    re.I,
)


def _shape(difficulty: int) -> tuple[int, int, int]:
    """(people, busy intervals per person, minute granularity)."""
    people = 2 + (difficulty - 1) // 2  # 2..6
    per = 1 + difficulty // 3  # 1..4
    grain = 30 if difficulty <= 3 else (15 if difficulty <= 6 else 5)
    return people, per, grain


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def earliest(busy: list[list[int]], day: tuple[int, int], length: int) -> int | None:
    """The earliest start minute at which nobody is busy for `length` minutes."""
    start = day[0]
    while start + length <= day[1]:
        clash = [e for s, e in busy if s < start + length and start < e]
        if not clash:
            return start
        start = max(clash)
    return None


def parse_times(text: str) -> list[int]:
    out = []
    for m in _TIME.finditer(text[:500]):
        if m.group(1) is not None:
            hour, minute, half = int(m.group(1)), int(m.group(2)), m.group(3)
        else:
            hour, minute, half = int(m.group(4)), 0, m.group(5)
        if half:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
        if hour > 24 or minute > 59:
            continue
        out.append(hour * 60 + minute)
    return out


@register_family
class TimeSequence(LogicFamily):
    """Schedule a meeting: the earliest slot of the given length when all people are free.

    Difficulty d sets the people 2 + (d-1)//2 (2..6), busy intervals per person 1 + d//3 (1..4)
    and the time grid (30 minutes up to d=3, 15 up to d=6, then 5). size = total busy
    intervals. A slot always exists. Reward 1/0.
    """

    name = "time_sequence"
    title = "TimeSequence"
    description = "Find the earliest meeting slot that fits everyone's busy schedule."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "people 2+(d-1)//2 (2..6), busy intervals each 1+d//3 (1..4), time grid 30/15/5 minutes "
        "(d1-3/d4-6/d7+)"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        people, per, grain = _shape(difficulty)
        day = (rng.choice([8, 9, 10]) * 60, rng.choice([16, 17, 18]) * 60)
        length = grain * rng.randint(max(1, 30 // grain), max(1, 90 // grain))
        slots = (day[1] - day[0] - length) // grain
        free_start = day[0] + grain * rng.randint(slots // 3, slots)
        free = (free_start, free_start + length)
        names = rng.sample(NAMES, people)
        busy: dict[str, list[list[int]]] = {}
        for index, name in enumerate(names):
            intervals: list[list[int]] = []
            if index == 0 and free[0] >= day[0] + 2 * grain:
                # someone is busy at the start of the day, so "as early as possible" is never
                # simply the opening time
                opening = grain * rng.randint(1, (free[0] - day[0]) // grain - 1)
                intervals.append([day[0], day[0] + min(opening, 120 // grain * grain or grain)])
            for _ in range(per * 10):
                if len(intervals) == per:
                    break
                span = grain * rng.randint(1, max(1, 120 // grain))
                s = day[0] + grain * rng.randint(0, (day[1] - day[0] - span) // grain)
                e = s + span
                if s < free[1] and free[0] < e:
                    continue  # keep the reserved slot free
                if any(s < b and a < e for a, b in intervals):
                    continue
                intervals.append([s, e])
            for s in range(day[0], day[1] - grain + 1, grain):  # bounded fallback: fill gaps
                if len(intervals) == per:
                    break
                e = s + grain
                clash = any(s < b and a < e for a, b in intervals + [list(free)])
                if not clash:
                    intervals.append([s, e])
            busy[name] = sorted(intervals)
        everyone = [iv for ivs in busy.values() for iv in ivs]
        start = earliest(everyone, day, length)
        assert start is not None  # the reserved slot is free
        lines = [
            f"- {name} is busy {', '.join(f'{hhmm(s)}-{hhmm(e)}' for s, e in ivs)}."
            for name, ivs in busy.items()
        ]
        question = (
            f"{', '.join(names[:-1])} and {names[-1]} need a meeting of {length} minutes today. "
            f"Working hours are {hhmm(day[0])} to {hhmm(day[1])}; the meeting must lie entirely "
            "within them and must not overlap anyone's busy time (it may start exactly when a "
            "busy interval ends or end exactly when one starts). Busy times (24-hour clock):\n"
            + "\n".join(lines)
            + "\n\nWhat is the earliest possible meeting slot? Answer with its start and end as "
            "HH:MM-HH:MM on the 24-hour clock, for example <answer>07:05-07:50</answer>. Put "
            "your final answer inside <answer></answer>."
        )
        return make_task(
            question,
            [start, start + length],
            people * per,
            busy=everyone,
            day=list(day),
            length=length,
        )

    def check(self, task: Task, answer: str) -> Verdict:
        times = parse_times(answer)
        if len(times) != 2:
            return Verdict.unparseable("expected a start and an end time, like 10:30-11:15")
        start, end = times
        day, length = task.metadata["day"], int(task.metadata["length"])
        busy = task.metadata["busy"]
        if end - start != length:
            return Verdict.incorrect(f"the slot lasts {end - start} minutes, not {length}")
        if start < day[0] or end > day[1]:
            return Verdict.incorrect("the slot is outside working hours")
        if any(s < end and start < e for s, e in busy):
            return Verdict.incorrect("someone is busy during the slot")
        best = earliest(busy, (day[0], day[1]), length)
        if best is not None and start > best:
            return Verdict.incorrect("an earlier slot is free")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        start, end = task.answer
        return f"{hhmm(start)}-{hhmm(end)}"
