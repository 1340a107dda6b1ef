"""ARC 1D: induce a transformation of a row of colored cells from examples and apply it.

Rows are digits (0 is the background). The hidden transformation is one of a fixed class
of parametrised operations (shifts, mirror, recolor, gravity, filling a gap, removing isolated
cells, ...). Examples are added until every operation of the class that agrees with all of them
maps the query to the same row (an enumeration proves it); the verifier recomputes the output.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

Row = list[int]


def _shift(row: Row, s: int) -> Row:
    n = len(row)
    out = [0] * n
    for i, v in enumerate(row):
        if v and 0 <= i + s < n:
            out[i + s] = v
    return out


def _fill(row: Row) -> Row:
    cells = [i for i, v in enumerate(row) if v]
    out = list(row)
    if len(cells) >= 2 and row[cells[0]] == row[cells[-1]]:
        for i in range(cells[0], cells[-1] + 1):
            out[i] = out[i] or row[cells[0]]
    return out


def _denoise(row: Row) -> Row:
    n = len(row)
    return [
        v if v and ((i > 0 and row[i - 1] == v) or (i < n - 1 and row[i + 1] == v)) else 0
        for i, v in enumerate(row)
    ]


def operations() -> dict[str, Callable[[Row], Row]]:
    ops: dict[str, Callable[[Row], Row]] = {
        "mirror": lambda r: r[::-1],
        "gravity_right": lambda r: [0] * r.count(0) + [v for v in r if v],
        "gravity_left": lambda r: [v for v in r if v] + [0] * r.count(0),
        "fill_gap": _fill,
        "denoise": _denoise,
    }
    for s in (1, 2, 3):
        ops[f"shift_right_{s}"] = lambda r, s=s: _shift(r, s)
        ops[f"shift_left_{s}"] = lambda r, s=s: _shift(r, -s)
    for a in range(1, 10):
        for b in range(1, 10):
            if a != b:
                ops[f"recolor_{a}_{b}"] = lambda r, a=a, b=b: [b if v == a else v for v in r]
    return ops


OPS = operations()
NAMES = sorted(OPS)


def random_row(rng: random.Random, length: int, kind: str) -> Row:
    row = [0] * length
    color = rng.randint(1, 9)
    if kind == "fill_gap":
        i, j = sorted(rng.sample(range(length), 2))
        row[i] = row[j] = color
        return row
    width = rng.randint(2, max(2, length // 3))
    start = rng.randrange(length - width + 1)
    for i in range(start, start + width):
        row[i] = color
    for _ in range(rng.randint(0, 2) if kind == "denoise" else 0):
        row[rng.randrange(length)] = rng.randint(1, 9)
    return row


def read_row(text: str, length: int) -> Row | None:
    clean = text[:2000]
    if not re.fullmatch(r"[\d\s,\[\]]*", clean):
        return None
    digits = [int(ch) for ch in clean if ch.isdigit()]
    return digits if len(digits) == length else None


@register_family
class Arc1d(LogicFamily):
    """Find the transformation that maps each example row to its output and apply it.

    Difficulty d sets the row length 8+2d (10..28, size) and the examples' minimum 2+d//4;
    operations: shift by 1-3, mirror, gravity, fill the gap between two equal cells, remove
    isolated cells, recolor one color (81 recolorings: 95 operations); effort = operations
    enumerated x examples x length. Accepted: the output row's digits, separated by spaces
    or commas or not at all (brackets allowed). Reward 1/0.
    """

    name = "arc_1d"
    title = "Arc1d"
    description = "Induce a one-dimensional grid transformation from examples and apply it."
    difficulty_doc = "row length 8+2d (10..28); at least 2+d//4 examples; 95 operations"
    equivalents = {"reasoning_gym": "arc_1d"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 8 + 2 * difficulty
        minimum = 2 + difficulty // 4
        for _attempt in range(50):
            op = rng.choice(NAMES)
            kind = op if op in ("fill_gap", "denoise") else "block"
            if op.startswith("recolor_"):
                color = int(op.split("_")[1])
            query = random_row(rng, length, kind)
            examples: list[list[Row]] = []
            for _more in range(8):
                row = random_row(rng, length, kind)
                if op.startswith("recolor_") and color not in row:
                    row = [color if v else 0 for v in row]
                examples.append([row, OPS[op](row)])
                if len(examples) < minimum:
                    continue
                agree = [n for n in NAMES if all(OPS[n](i) == o for i, o in examples)]
                if len({tuple(OPS[n](query)) for n in agree}) == 1:
                    break
            else:
                continue
            if op.startswith("recolor_") and color not in query:
                query = [color if v else 0 for v in query]
                agree = [n for n in NAMES if all(OPS[n](i) == o for i, o in examples)]
                if len({tuple(OPS[n](query)) for n in agree}) != 1:
                    continue
            if OPS[op](query) != query:
                break
        shown = "\n".join(
            f"Input:  {' '.join(map(str, i))}\nOutput: {' '.join(map(str, o))}" for i, o in examples
        )
        question = (
            "Each input row below (digits are colors, 0 is empty) is turned into its output row "
            f"by the same transformation:\n\n{shown}\n\nApply the transformation to:\n"
            f"Input:  {' '.join(map(str, query))}\n\nAnswer with the output row's {length} "
            "digits separated by spaces, for example `0 0 3 3 0`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question, OPS[op](query), length, op=op, examples=examples, query=query,
            effort=len(NAMES) * len(examples) * length,
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        m = task.metadata
        got = read_row(answer, len(m["query"]))
        if got is None:
            return Verdict.unparseable(f"expected {len(m['query'])} digits")
        if got != OPS[m["op"]](m["query"]):
            return Verdict.incorrect("not the transformation's output")
        return Verdict.correct()

    def secret_strings(self, task: Task) -> list[str]:
        return []  # an output row can equal an example's by design

    def format_answer(self, task: Task) -> str:
        return " ".join(map(str, task.answer))
