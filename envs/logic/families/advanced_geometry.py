"""Advanced geometry: a triangle given by its vertices; find an angle, the inradius, the
circumradius or the orthocenter.

The verifier recomputes the quantity from the vertices in the metadata (the rule) and accepts an
answer within the stated rounding tolerance.
"""

from __future__ import annotations

import math
import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

TOLERANCE = 0.01
_NUM = r"[-+]?\d{1,12}(?:\.\d{1,12})?"
_ONE = re.compile(rf"\s*({_NUM})\s*(?:°|degrees?)?\s*\.?\s*")
_POINT = re.compile(rf"\s*\(?\s*({_NUM})\s*,\s*({_NUM})\s*\)?\s*\.?\s*")


def quantity(kind: str, pts: list[list[int]]) -> list[float]:
    (ax, ay), (bx, by), (cx, cy) = pts
    a = math.dist((bx, by), (cx, cy))
    b = math.dist((ax, ay), (cx, cy))
    c = math.dist((ax, ay), (bx, by))
    area = abs((bx - ax) * (cy - ay) - (cx - ax) * (by - ay)) / 2
    if kind == "angle_a":
        return [math.degrees(math.acos((b * b + c * c - a * a) / (2 * b * c)))]
    if kind == "inradius":
        return [2 * area / (a + b + c)]
    if kind == "circumradius":
        return [a * b * c / (4 * area)]
    # orthocenter: intersection of the altitudes from A and B
    # solve (H - A).(C - B) = 0 and (H - B).(C - A) = 0
    m11, m12, r1 = cx - bx, cy - by, ax * (cx - bx) + ay * (cy - by)
    m21, m22, r2 = cx - ax, cy - ay, bx * (cx - ax) + by * (cy - ay)
    det = m11 * m22 - m12 * m21
    return [(r1 * m22 - m12 * r2) / det, (m11 * r2 - r1 * m21) / det]


KINDS = ("angle_a", "inradius", "circumradius", "orthocenter")
ASK = {
    "angle_a": "the interior angle at A, in degrees",
    "inradius": "the radius of the inscribed circle",
    "circumradius": "the radius of the circumscribed circle",
    "orthocenter": "the orthocenter (where the altitudes meet), as (x, y)",
}


@register_family
class AdvancedGeometry(LogicFamily):
    """Compute an angle, the inradius, circumradius or orthocenter of a triangle from its vertices.

    Difficulty d sets the coordinate range +-(2+2d) (size) and the quantities: the angle at A or
    the inradius (d1-3), any of the four (d4+); effort = coordinate range. Accepted: the value
    to within 0.01 (`°` allowed), the orthocenter as `(x, y)`; decimals, no fractions. Reward 1/0.
    """

    name = "advanced_geometry"
    title = "AdvancedGeometry"
    description = "Compute a triangle's angle, inradius, circumradius or orthocenter."
    difficulty_doc = "coordinates within +-(2+2d); angle/inradius (d1-3), all four kinds (d4+)"
    equivalents = {"reasoning_gym": "advanced_geometry"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        span = 2 + 2 * difficulty
        for _attempt in range(100):  # a triangle that is not too flat
            pts = [[rng.randint(-span, span), rng.randint(-span, span)] for _ in range(3)]
            (ax, ay), (bx, by), (cx, cy) = pts
            area = abs((bx - ax) * (cy - ay) - (cx - ax) * (by - ay)) / 2
            if area >= span:
                break
        else:  # bounded fallback: a right triangle
            pts = [[0, 0], [span, 0], [0, span]]
        kind = rng.choice(KINDS[:2] if difficulty <= 3 else KINDS)
        value = quantity(kind, pts)
        names = ", ".join(f"{n}=({x}, {y})" for n, (x, y) in zip("ABC", pts, strict=True))
        form = (
            "(x, y), for example `(1.25, -3.5)`"
            if kind == "orthocenter"
            else "a number, for example `2.75`"
        )
        question = (
            f"Triangle ABC has vertices {names}. What is {ASK[kind]}? Give the answer rounded "
            f"to 3 decimal places as {form}.\nPut your final answer inside <answer></answer>."
        )
        return make_task(question, [round(v, 3) for v in value], span, points=pts, kind=kind)

    def check(self, task: Task, answer: str) -> Verdict:
        m = task.metadata
        pattern = _POINT if m["kind"] == "orthocenter" else _ONE
        match = pattern.fullmatch(answer[:200])
        if not match:
            return Verdict.unparseable(
                "expected a point (x, y)" if pattern is _POINT else "expected one number"
            )
        got = [float(g) for g in match.groups()]
        truth = quantity(m["kind"], m["points"])
        if any(abs(g - t) > TOLERANCE for g, t in zip(got, truth, strict=True)):
            return Verdict.incorrect("not within 0.01 of the value")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """The gold moved by 0.5 (one changed digit may stay within the tolerance)."""
        out = []
        for shift in (0.5, -0.5, 1.0):
            moved = [v + shift for v in task.answer]
            values = [f"{v:.3f}" for v in moved]
            out.append(f"({values[0]}, {values[1]})" if len(values) == 2 else values[0])
        return out

    def format_answer(self, task: Task) -> str:
        values = [f"{v:.3f}" for v in task.answer]
        return f"({values[0]}, {values[1]})" if len(values) == 2 else values[0]
