"""Bridges (Hashiwokakero): join numbered islands with horizontal or vertical bridges so that
every island has as many bridges as its number, at most two bridges join any pair, bridges
never cross or pass over an island, and all islands are connected.

Generation grows a connected network from one island (each new island joined by one or two
bridges along a clear straight line), then adds a few extra bridges between islands that see
each other, and shows the islands' bridge counts. The verifier checks the rules; any valid
network scores 1.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_BRIDGE = re.compile(
    r"\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)\s*(?:-|->|–|to)\s*\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)"
    r"(?:\s*(?:[x*×]\s*)?([12])\b)?",
    re.IGNORECASE,
)


def _shape(difficulty: int) -> tuple[int, int]:
    return 5 + (difficulty + 1) // 2, 4 + difficulty  # (side 6..10, islands 5..14)


def _between(a: tuple[int, int], b: tuple[int, int]) -> list[tuple[int, int]]:
    (r1, c1), (r2, c2) = sorted([a, b])
    if r1 == r2:
        return [(r1, c) for c in range(c1 + 1, c2)]
    return [(r, c1) for r in range(r1 + 1, r2)]


def read_bridges(text: str) -> dict[tuple[tuple[int, int], tuple[int, int]], int] | None:
    """{(island, island): bridges} from `(r,c)-(r,c)` items (1-based, `x2` for a double)."""
    if len(text) > 20_000:
        return None
    out: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}
    for m in _BRIDGE.finditer(text):
        a = (int(m.group(1)) - 1, int(m.group(2)) - 1)
        b = (int(m.group(3)) - 1, int(m.group(4)) - 1)
        key = (min(a, b), max(a, b))
        out[key] = out.get(key, 0) + int(m.group(5) or 1)
    rest = _BRIDGE.sub(" ", text)
    if not out or re.search(r"[^\s,;.]", rest):
        return None
    return out


def rule_problem(n: int, islands: dict, bridges: dict) -> str | None:
    used: dict[tuple[int, int], str] = {}
    count = dict.fromkeys(islands, 0)
    for (a, b), k in sorted(bridges.items()):
        if a not in islands or b not in islands or a == b:
            return f"a bridge does not join two islands: {a}-{b}"
        if a[0] != b[0] and a[1] != b[1]:
            return "a bridge is not horizontal or vertical"
        if k > 2:
            return "more than two bridges join one pair of islands"
        way = "h" if a[0] == b[0] else "v"
        for cell in _between(a, b):
            if cell in islands:
                return "a bridge passes over an island"
            if cell in used:
                return "two bridges cross or overlap"
            used[cell] = way
        count[a] += k
        count[b] += k
    for cell, want in islands.items():
        if count[cell] != want:
            return f"island ({cell[0] + 1},{cell[1] + 1}) has {count[cell]} bridges, not {want}"
    start = next(iter(islands))
    seen, stack = {start}, [start]
    while stack:
        x = stack.pop()
        for a, b in bridges:
            y = b if a == x else a if b == x else None
            if y is not None and y not in seen:
                seen.add(y)
                stack.append(y)
    if len(seen) != len(islands):
        return "the islands are not all connected"
    return None


@register_family
class Bridges(LogicFamily):
    """Connect the islands with bridges matching their numbers (Hashiwokakero); any valid
    network scores 1.

    Accepted: bridges as `(r1,c1)-(r2,c2)` items (1-based), separated by commas, semicolons
    or lines; `x2` (or ` 2`) after an item, or the item listed twice, makes it double. Not
    accepted: any other word, a bridge between non-islands, crossing bridges, wrong counts.
    """

    name = "bridges"
    title = "Bridges"
    description = "Bridges (Hashiwokakero): join islands with bridges matching their numbers."
    difficulty_doc = (
        "grid side 5+(d+1)//2 (6..10), islands 4+d (5..14; size); a few extra loop bridges"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, target = _shape(difficulty)
        while True:
            start = (rng.randrange(n), rng.randrange(n))
            islands = [start]
            bridges: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}
            blocked: set[tuple[int, int]] = set()
            for _ in range(400):
                if len(islands) == target:
                    break
                r, c = rng.choice(islands)
                dr, dc = rng.choice(((0, 1), (0, -1), (1, 0), (-1, 0)))
                length = rng.randint(2, max(2, n // 2))
                new = (r + dr * length, c + dc * length)
                if not (0 <= new[0] < n and 0 <= new[1] < n) or new in islands:
                    continue
                path = _between((r, c), new)
                if any(cell in blocked or cell in islands for cell in path) or new in blocked:
                    continue
                if any(abs(new[0] - a) + abs(new[1] - b) == 1 for a, b in islands):
                    continue
                islands.append(new)
                blocked.update(path)
                key = (min((r, c), new), max((r, c), new))
                bridges[key] = rng.randint(1, 2)
            if len(islands) == target:
                break
        for _ in range(difficulty):  # extra bridges close loops
            a, b = rng.sample(islands, 2)
            key = (min(a, b), max(a, b))
            if key in bridges or (a[0] != b[0] and a[1] != b[1]):
                continue
            path = _between(a, b)
            if path and not any(cell in blocked or cell in islands for cell in path):
                bridges[key] = 1
                blocked.update(path)
        numbers = dict.fromkeys(islands, 0)
        for (a, b), k in bridges.items():
            numbers[a] += k
            numbers[b] += k
        grid = [["."] * n for _ in range(n)]
        for (r, c), v in numbers.items():
            grid[r][c] = str(v)
        question = (
            f"Bridges (Hashiwokakero). In this {n}x{n} grid each number is an island, `.` is "
            "water:\n\n" + "\n".join(" ".join(row) for row in grid) + "\n\n"
            "Join the islands with bridges so that: bridges run straight (horizontally or "
            "vertically) between two islands, never over an island; bridges never cross; at "
            "most two bridges join the same two islands; every island has exactly as many "
            "bridges as its number; and all islands are connected.\n"
            "Answer with every bridge as (row,column)-(row,column), counted from 1, separated "
            "by commas or lines; add x2 for a double bridge. For example "
            "<answer>(1,1)-(1,4) x2, (1,4)-(3,4)</answer>. Put your answer inside "
            "<answer></answer>."
        )
        gold = [[a[0], a[1], b[0], b[1], k] for (a, b), k in sorted(bridges.items())]
        islands_meta = [[r, c, v] for (r, c), v in sorted(numbers.items())]
        return make_task(question, gold, target, n=n, islands=islands_meta)

    def check(self, task: Task, answer: str) -> Verdict:
        bridges = read_bridges(answer)
        if bridges is None:
            return Verdict.unparseable("expected bridges as (row,column)-(row,column) items")
        islands = {(r, c): v for r, c, v in task.metadata["islands"]}
        problem = rule_problem(task.metadata["n"], islands, bridges)
        return Verdict.incorrect(problem) if problem else Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """One bridge removed, one single made double, one double made single: each changes two
        islands' counts, so each breaks a rule."""
        gold = [list(b) for b in task.answer]
        out = [_render(gold[1:])]
        for b in gold:
            changed = [list(x) for x in gold]
            changed[gold.index(b)][4] = 3 - b[4]
            out.append(_render(changed))
            if len(out) == 3:
                break
        return out

    def format_answer(self, task: Task) -> str:
        return _render(task.answer)


def _render(bridges: list[list[int]]) -> str:
    return ", ".join(
        f"({r1 + 1},{c1 + 1})-({r2 + 1},{c2 + 1})" + (" x2" if k == 2 else "")
        for r1, c1, r2, c2, k in bridges
    )
