"""Space reasoning: compose stated relative positions to locate one object from another.

Objects lie on a flat square grid. The question states, for the edges of a random tree over the
objects, where one object is relative to another ("the cup is 2 units east and 1 unit south of
the lamp"). The verifier composes the stated offsets along the tree itself (a breadth-first walk
from the reference object) and compares the offset the answer names, so nothing stored is
trusted. The tree makes the answer unique; from d4 side branches are distractors.
"""

from __future__ import annotations

import random
import re
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import swap_paid_example
from gymhub.types import Task, Verdict

OBJECTS = [
    "cup", "lamp", "chair", "vase", "clock", "bench", "globe", "drum", "kettle", "mirror",
    "piano", "rug", "sofa", "stool", "table", "tent",
]  # fmt: skip
_AXES = {"east": (0, 1), "west": (0, -1), "north": (1, 1), "south": (1, -1)}
_PART = re.compile(
    r"(\d{1,4})\s*(?:units?|steps?|blocks?)?\s*(?:to\s+the\s+)?(east|west|north|south)"
)
_SEPARATORS = re.compile(r"(?:\s|,|;|\.|and)*")
_SAME = re.compile(r"\s*(?:same\s+(?:place|position|spot)|0\s*,\s*0)\s*\.?\s*", re.IGNORECASE)


def offsets_from(root: str, edges: list[list]) -> dict[str, tuple[int, int]]:
    """Position of every object relative to `root`, composing the stated edges
    [a, b, dx, dy] ("a is dx east and dy north of b") in both directions."""
    links: dict[str, list[tuple[str, int, int]]] = {}
    for a, b, dx, dy in edges:
        links.setdefault(b, []).append((a, dx, dy))
        links.setdefault(a, []).append((b, -dx, -dy))
    where = {root: (0, 0)}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        x, y = where[node]
        for other, dx, dy in links.get(node, []):
            if other not in where:
                where[other] = (x + dx, y + dy)
                queue.append(other)
    return where


def _part(n: int, positive: str, negative: str) -> str:
    word = positive if n > 0 else negative
    return f"{abs(n)} unit{'s' if abs(n) != 1 else ''} {word}"


def describe_offset(dx: int, dy: int) -> str:
    parts = [_part(dx, "east", "west")] if dx else []
    parts += [_part(dy, "north", "south")] if dy else []
    return " and ".join(parts) if parts else "at the same place as"


def _path(tree: dict[str, str | None], a: str, b: str) -> int:
    """Edges between a and b in the tree given by parent links."""

    def up(n: str) -> list[str]:
        out = [n]
        while tree[out[-1]] is not None:
            out.append(tree[out[-1]])  # type: ignore[arg-type]
        return out

    pa, pb = up(a), up(b)
    common = next(n for n in pa if n in pb)
    return pa.index(common) + pb.index(common)


@register_family
class SpaceReasoning(LogicFamily):
    """Locate one object relative to another by composing stated grid offsets.

    Difficulty d sets the objects 3 + d (4..13, size) placed on a tree of stated relations
    (a chain up to d3, branching from d4, so some statements are distractors) and offsets up to
    2 + d//3 units per axis. The queried pair is the farthest apart in the tree. Reward 1/0.
    """

    name = "space_reasoning"
    title = "SpaceReasoning"
    description = "Compose stated relative positions on a grid to locate one object from another."
    difficulty_doc = (
        "objects 3+d (4..13) on a tree of relations (a chain up to d3, branching from d4); "
        "offsets up to 2+d//3 units per axis; the queried pair is the farthest apart"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 3 + difficulty
        names = rng.sample(OBJECTS, count)
        reach = 2 + difficulty // 3
        parent: dict[str, str | None] = {names[0]: None}
        edges: list[list] = []
        for i, name in enumerate(names[1:], 1):
            above = names[i - 1] if difficulty <= 3 else names[rng.randrange(i)]
            parent[name] = above
            dx, dy = 0, 0
            while dx == 0 and dy == 0:
                dx, dy = rng.randint(-reach, reach), rng.randint(-reach, reach)
            edges.append([name, above, dx, dy] if rng.random() < 0.5 else [above, name, -dx, -dy])
        rng.shuffle(edges)
        pairs = [(a, b) for a in names for b in names if a < b]
        far = max(_path(parent, a, b) for a, b in pairs)
        a, b = rng.choice([(a, b) for a, b in pairs if _path(parent, a, b) == far])
        if rng.random() < 0.5:
            a, b = b, a
        lines = "\n".join(
            f"- The {x} is {describe_offset(dx, dy)} of the {y}." for x, y, dx, dy in edges
        )
        question = (
            "Objects stand on a flat square grid; east/west and north/south are the two axes and "
            "distances are in units along them.\n"
            f"{lines}\n\n"
            f"Where is the {a} relative to the {b}? Answer with the offset along each axis, for "
            "example `3 west, 1 north` (leave out an axis with offset 0; answer `same place` if "
            "they coincide).\nPut your final answer inside <answer></answer>."
        )
        dx, dy = offsets_from(b, edges)[a]
        task = make_task(question, [dx, dy], count, edges=edges, target=a, reference=b)
        return swap_paid_example(self, task, "3 west, 1 north", "2 east, 4 south")

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:300].lower()
        if _SAME.fullmatch(text):
            given = [0, 0]
        else:
            parts = _PART.findall(text)
            rest = _PART.sub(" ", text)
            if not parts or not _SEPARATORS.fullmatch(rest):
                return Verdict.unparseable("expected offsets such as `3 west, 1 north`")
            given = [0, 0]
            seen: set[int] = set()
            for number, word in parts:
                axis, sign = _AXES[word]
                if axis in seen:
                    return Verdict.incorrect("an axis is given twice")
                seen.add(axis)
                given[axis] = sign * int(number)
        where = offsets_from(str(task.metadata["reference"]), task.metadata["edges"])
        if tuple(given) != where[str(task.metadata["target"])]:
            return Verdict.incorrect("wrong offset")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        dx, dy = task.answer
        return [
            self._words(dx + 1, dy),
            self._words(dx, dy - 1),
            self._words(-dx, -dy) if (dx, dy) != (0, 0) else "1 east",
        ]

    @staticmethod
    def _words(dx: int, dy: int) -> str:
        parts = [f"{abs(dx)} {'east' if dx > 0 else 'west'}"] if dx else []
        parts += [f"{abs(dy)} {'north' if dy > 0 else 'south'}"] if dy else []
        return ", ".join(parts) or "same place"

    def secret_strings(self, task: Task) -> list[str]:
        return []  # short offsets may occur in the statements

    def format_answer(self, task: Task) -> str:
        dx, dy = offsets_from(str(task.metadata["reference"]), task.metadata["edges"])[
            str(task.metadata["target"])
        ]
        return self._words(dx, dy)
