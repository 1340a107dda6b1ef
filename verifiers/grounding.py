"""GUI grounding verifiers: is a predicted click inside the target, and how well does a predicted
box match it.

References are boxes `[x1, y1, x2, y2]` in screen pixels (or a list of such boxes, any of which
counts). Responses are text: `click(x, y)` / `(x, y)` for a point, `[x1, y1, x2, y2]` for a box,
after any `<think>` block. One answer only: a response naming two different points or boxes is a
hedge and is scored incorrect, never by its first or last candidate.

Why three scores: a pure hit reward (point-in-box, as ScreenSpot counts it) teaches a box-predicting
model to shrink its boxes, a pure IoU reward rewards large boxes early in training; GUI-G1 reported
that constraining the predicted box size fixes both. `ConstrainedBoxIoU` keeps hit, IoU and the
size term as separate reward components so the trade-off stays visible.
"""

from __future__ import annotations

import math
import re
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.extract import strip_think

Box = tuple[float, float, float, float]
Point = tuple[float, float]

_NUM = r"(-?\d+(?:\.\d+)?)"
_SEP = r"\s*,\s*"
_BOX_RE = re.compile(r"\[\s*" + _SEP.join([_NUM] * 4) + r"\s*\]")
_CLICK_RE = re.compile(
    r"click\s*\(\s*(?:x\s*=\s*)?" + _NUM + _SEP + r"(?:y\s*=\s*)?" + _NUM + r"\s*\)"
)
_POINT_RE = re.compile(r"[\(\[]\s*" + _NUM + _SEP + _NUM + r"\s*[\)\]]")
# any number as people write one (`+10`, `.5`, `10.`, `1e1`), for points offered as alternatives
_ANY_NUM = r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
# after the last click: another point in parentheses or brackets, as a call of any name
# (`tap(10, 10)`, `CLICK(10, 10)`), bare (`or (10, 10)`, `or x=10, y=10`), or a bare pair of
# numbers offered as an alternative (`or 10, 10`, `maybe at 10, 10`)
_OTHER_POINT_RE = re.compile(
    r"[\(\[]\s*(?:x\s*=\s*)?" + _ANY_NUM + _SEP + r"(?:y\s*=\s*)?" + _ANY_NUM + r"\s*[\)\]]"
    r"|\bx\s*[=:]\s*"
    + _ANY_NUM
    + _SEP
    + r"y\s*[=:]\s*"
    + _ANY_NUM
    + r"|\b(?:or|alternatively|otherwise|maybe|perhaps|possibly|instead|else)\b[\s,:]*"
    r"(?:(?:at|click|try)\s+)?" + _ANY_NUM + _SEP + _ANY_NUM + r"(?![\d.])",
    re.IGNORECASE,
)
TAIL_CHARS = 4_000  # answers come last; never scan megabytes of junk


_FAR = 1e7  # coordinates beyond this are off any screen


def _finite(*values: float) -> bool:
    return all(math.isfinite(v) and abs(v) < _FAR for v in values)


def _clamped(value: str) -> float:
    """A coordinate as a float, off-screen ones (`99999999`, 400 digits that overflow to inf)
    held at `_FAR`: still an answer, so it counts towards a hedge and scores nothing."""
    return max(-_FAR, min(_FAR, float(value)))


def parse_point(text: str) -> Point | None:
    """The last `click(x, y)` in `text`, else the last bare `(x, y)` pair."""
    tail = text[-TAIL_CHARS:]
    for pattern in (_CLICK_RE, _POINT_RE):
        found = pattern.findall(tail)
        if found:
            x, y = float(found[-1][0]), float(found[-1][1])
            return (x, y) if _finite(x, y) else None
    return None


def find_points(text: str) -> list[Point]:
    """Every distinct point answered in `text`: its `click(x, y)` calls and any other point
    written after the last of them (`click(150, 120) or (10, 10)`, `... or tap(10, 10)`: a second
    answer offered beside the click), else its bare pairs (off-screen coordinates held at
    `_FAR`: a point far off is still a second answer). Pairs before the last click are its
    reasoning."""
    tail = text[-TAIL_CHARS:]
    clicks = list(_CLICK_RE.finditer(tail))
    if clicks:
        found = [m.groups() for m in clicks]
        for m in _OTHER_POINT_RE.finditer(tail, clicks[-1].end()):
            pair = [g for g in m.groups() if g is not None]
            if len(pair) == 2:
                found.append((pair[0], pair[1]))
        return list(dict.fromkeys((_clamped(x), _clamped(y)) for x, y in found))
    found = _POINT_RE.findall(tail)
    return list(dict.fromkeys((_clamped(x), _clamped(y)) for x, y in found))


def find_boxes(text: str) -> list[Box]:
    """Every distinct box in `text`, corners in order (off-screen coordinates held at `_FAR`)."""
    boxes = []
    for found in _BOX_RE.findall(text[-TAIL_CHARS:]):
        x1, y1, x2, y2 = (_clamped(v) for v in found)
        boxes.append((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
    return list(dict.fromkeys(boxes))


def _hedge(kind: str, count: int, components: dict[str, float]) -> Verdict:
    return Verdict.incorrect(
        f"{count} different {kind} given: answer with exactly one", components=components
    )


def _mixed_forms_disagree(points: list[Point], boxes: list[Box]) -> bool:
    """A point and a box given together name one target only when every point lies inside every
    box (`[100, 100, 200, 140], so click(150, 120)`); `click(150, 120) or [0, 0, 50, 50]` is two
    answers, a hedge in either verifier's reading."""
    return any(not point_in_box(p, b) for p in points for b in boxes)


def parse_box(text: str) -> Box | None:
    """The last `[x1, y1, x2, y2]` in `text`, with corners put in order."""
    found = _BOX_RE.findall(text[-TAIL_CHARS:])
    if not found:
        return None
    x1, y1, x2, y2 = (float(v) for v in found[-1])
    if not _finite(x1, y1, x2, y2):
        return None
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def as_boxes(reference: Any) -> list[Box]:
    """The reference as a list of boxes; raises ValueError for anything else."""
    if isinstance(reference, dict) and "box" in reference:
        reference = reference["box"]
    if (
        isinstance(reference, (list, tuple))
        and len(reference) == 4
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in reference)
    ):
        reference = [reference]
    if not isinstance(reference, (list, tuple)) or not reference:
        raise ValueError("a grounding reference is a box [x1, y1, x2, y2] or a list of boxes")
    boxes = []
    for box in reference:
        if not isinstance(box, (list, tuple)) or len(box) != 4:
            raise ValueError(f"bad reference box {box!r}: expected [x1, y1, x2, y2]")
        x1, y1, x2, y2 = (float(v) for v in box)
        if not (_finite(x1, y1, x2, y2) and x2 > x1 and y2 > y1):
            raise ValueError(f"bad reference box {box!r}: needs x2 > x1 and y2 > y1")
        boxes.append((x1, y1, x2, y2))
    return boxes


def area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def point_in_box(point: Point, box: Box) -> bool:
    """Whether the point is on the box's pixels: `x1 <= x < x2` and `y1 <= y < y2`, the box
    covering the pixels from its first corner up to, not including, its second (`x2 = x + w`).
    With both edges counted, a click on the edge two adjacent elements share was a hit for
    either of them, whichever was asked."""
    return box[0] <= point[0] < box[2] and box[1] <= point[1] < box[3]


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (0 when either is empty)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(0.0, w) * max(0.0, h)
    union = area(a) + area(b) - inter
    return inter / union if union > 0 else 0.0


def size_term(pred: Box, gold: Box, max_ratio: float) -> float:
    """1 when area(pred)/area(gold) is within [1/max_ratio, max_ratio], decaying outside."""
    if area(pred) <= 0:
        return 0.0
    ratio = area(pred) / area(gold)
    if 1 / max_ratio <= ratio <= max_ratio:
        return 1.0
    return min(1.0, max_ratio * min(ratio, 1 / ratio))


def _center(box: Box) -> Point:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def _need_str(response: Any) -> str:
    if not isinstance(response, str):
        raise TypeError(f"response must be a str, got {type(response).__name__}")
    return response


class PointInBox(Verifier):
    """1 when the predicted point (or a predicted box's centre) lies inside a reference box.

    A box answer counts by its centre only while its area is at most `max_size_ratio` times the
    target's: a box over the whole screen, centred on the target, names no element, and was paid
    1.0 (a box shrunk to a dot is a point, and counts as one)."""

    name = "point_in_box"

    def __init__(self, max_size_ratio: float = 2.0) -> None:
        if (
            isinstance(max_size_ratio, bool)
            or not isinstance(max_size_ratio, (int, float))
            or not 1 <= max_size_ratio < math.inf
        ):
            raise ValueError(f"max_size_ratio must be a number >= 1, got {max_size_ratio!r}")
        self.max_size_ratio = float(max_size_ratio)

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        boxes = as_boxes(reference)
        text = strip_think(_need_str(response))
        points, given_boxes = find_points(text), find_boxes(text)
        if _mixed_forms_disagree(points, given_boxes):
            return _hedge("points and boxes", len(points) + len(given_boxes), {"hit": 0.0})
        as_box = given_boxes[0] if not points and len(given_boxes) == 1 else None
        points = points or [_center(b) for b in given_boxes]
        if len(points) > 1:
            return _hedge("points", len(points), {"hit": 0.0})
        point = points[0] if points else None
        if point is None:
            return Verdict.unparseable("no point: answer with click(x, y)", components={"hit": 0.0})
        targets = [b for b in boxes if point_in_box(point, b)]
        if as_box is not None and targets:
            targets = [b for b in targets if area(as_box) <= self.max_size_ratio * area(b)]
            if not targets:
                return Verdict.incorrect(
                    f"the box is over {self.max_size_ratio:g} times the target's area: it names "
                    "no one element",
                    components={"hit": 0.0},
                )
        if targets:
            return Verdict.correct(components={"hit": 1.0})
        return Verdict.incorrect(
            f"({point[0]:g}, {point[1]:g}) misses the target", components={"hit": 0.0}
        )

    def reference_response(self, reference: Any) -> str | None:
        x, y = _center(as_boxes(reference)[0])
        # floored: a box's pixels end before its second corner, and round(5.5) is 6
        return f"click({math.floor(x)}, {math.floor(y)})"


class BoxIoU(Verifier):
    """IoU of the predicted box with the best-matching reference box; with `threshold`, binary."""

    name = "box_iou"

    def __init__(self, threshold: float | None = None) -> None:
        if threshold is not None and not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
        self.threshold = threshold

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        boxes = as_boxes(reference)
        text = strip_think(_need_str(response))
        found = find_boxes(text)
        if len(found) > 1 or _mixed_forms_disagree(find_points(text), found):
            return _hedge("boxes", len(found), {"iou": 0.0})
        box = found[0] if found else None
        if box is None:
            return Verdict.unparseable(
                "no box: answer with [x1, y1, x2, y2]", components={"iou": 0.0}
            )
        score = max(iou(box, b) for b in boxes)
        components = {"iou": score}
        if self.threshold is not None:
            ok = score >= self.threshold
            return Verdict(
                reward=float(ok), status="correct" if ok else "incorrect", components=components
            )
        status = "correct" if score >= 0.999 else ("partial" if score > 0 else "incorrect")
        return Verdict(reward=score, status=status, components=components)

    def reference_response(self, reference: Any) -> str | None:
        return "[{:g}, {:g}, {:g}, {:g}]".format(*as_boxes(reference)[0])


class ConstrainedBoxIoU(Verifier):
    """Hit, IoU and a box-size constraint in one reward (after GUI-G1's findings).

    `reward = size * (hit_weight * hit + (1 - hit_weight) * iou)` where `hit` is whether the box
    centre is inside the target and `size` is 1 while the predicted area is within a factor
    `max_size_ratio` of the target's, decaying outside: shrinking to a dot or growing over the
    screen both stop paying. Correct when hit, IoU >= `iou_threshold` and size is 1.
    """

    name = "constrained_box_iou"

    def __init__(
        self, hit_weight: float = 0.5, max_size_ratio: float = 2.0, iou_threshold: float = 0.5
    ) -> None:
        if not 0 <= hit_weight <= 1:
            raise ValueError(f"hit_weight must be in [0, 1], got {hit_weight!r}")
        if max_size_ratio < 1:
            raise ValueError(f"max_size_ratio must be >= 1, got {max_size_ratio!r}")
        self.hit_weight, self.max_size_ratio, self.iou_threshold = (
            hit_weight,
            max_size_ratio,
            iou_threshold,
        )

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        boxes = as_boxes(reference)
        text = strip_think(_need_str(response))
        found = find_boxes(text)
        if len(found) > 1 or _mixed_forms_disagree(find_points(text), found):
            return _hedge("boxes", len(found), {"hit": 0.0, "iou": 0.0, "size": 0.0})
        box = found[0] if found else None
        if box is None:
            return Verdict.unparseable(
                "no box: answer with [x1, y1, x2, y2]",
                components={"hit": 0.0, "iou": 0.0, "size": 0.0},
            )
        best: tuple[float, dict[str, float]] | None = None
        for gold in boxes:
            hit = float(point_in_box(_center(box), gold))
            overlap = iou(box, gold)
            size = size_term(box, gold, self.max_size_ratio)
            reward = size * (self.hit_weight * hit + (1 - self.hit_weight) * overlap)
            if best is None or reward > best[0]:
                best = (reward, {"hit": hit, "iou": overlap, "size": size})
        assert best is not None
        reward, comps = best
        if comps["hit"] and comps["iou"] >= self.iou_threshold and comps["size"] == 1.0:
            status = "correct"
        else:
            status = "partial" if reward > 0 else "incorrect"
        return Verdict(reward=reward, status=status, components=comps)

    def reference_response(self, reference: Any) -> str | None:
        return "[{:g}, {:g}, {:g}, {:g}]".format(*as_boxes(reference)[0])


class GroundingVerifier(Verifier):
    """Scores either answer form: a box by `ConstrainedBoxIoU`, a point by `PointInBox`."""

    name = "grounding"

    def __init__(self, box_verifier: Verifier | None = None) -> None:
        self.point = PointInBox()
        self.box = box_verifier or ConstrainedBoxIoU()

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        text = strip_think(_need_str(response))
        # every box answer goes to the box verifier, an off-screen one too: routed by
        # `parse_box` (which drops a box with a coordinate at +-1e7), a box as tall as the
        # screen 10^4 times over and centred on the target was paid 1.0 by point-in-box
        if find_boxes(text) and _CLICK_RE.search(text[-TAIL_CHARS:]) is None:
            return self.box.verify(text, reference, **context)
        return self.point.verify(text, reference, **context)

    def reference_response(self, reference: Any) -> str | None:
        return self.point.reference_response(reference)
