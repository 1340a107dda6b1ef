"""Knight swap: exchange the white and black knights on a small board in the fewest moves.

Knights move as in chess onto empty squares only. A breadth-first search over positions finds
the optimum at generation; the verifier replays the answer's moves (the rules) and accepts any
legal sequence that swaps the knights in the optimal number of moves.
"""

from __future__ import annotations

import math
import random
import re
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

# (rows, columns, knights per color) by difficulty
SHAPES = [(3, 3, 1), (3, 4, 1), (3, 5, 1), (4, 4, 1), (4, 5, 1), (3, 4, 2), (3, 5, 2),
          (4, 4, 2), (3, 4, 3), (4, 5, 2)]  # fmt: skip
_MOVE = re.compile(r"([a-e])([1-5])\s*(?:-|->|→|to|x)?\s*([a-e])([1-5])")
MAX_STATES = 400_000


def square(r: int, c: int) -> str:
    return f"{'abcde'[c]}{r + 1}"


def jumps(rows: int, cols: int) -> dict[str, list[str]]:
    out = {}
    for r in range(rows):
        for c in range(cols):
            out[square(r, c)] = [
                square(r + dr, c + dc)
                for dr, dc in (
                    (1, 2),
                    (2, 1),
                    (-1, 2),
                    (-2, 1),
                    (1, -2),
                    (2, -1),
                    (-1, -2),
                    (-2, -1),
                )
                if 0 <= r + dr < rows and 0 <= c + dc < cols
            ]
    return out


def solve(
    rows: int, cols: int, white: list[str], black: list[str]
) -> tuple[list[tuple[str, str]] | None, int]:
    """(one shortest move list that swaps the colors, or None; positions expanded). Positions
    are pairs of bitmasks over the squares, so the search stays fast on the largest boards."""
    graph = jumps(rows, cols)
    names = sorted(graph)
    index = {sq: i for i, sq in enumerate(names)}
    targets = [[index[t] for t in graph[sq]] for sq in names]

    def mask(squares: list[str]) -> int:
        return sum(1 << index[s] for s in squares)

    start, goal = (mask(white), mask(black)), (mask(black), mask(white))
    parent: dict = {start: None}
    queue = deque([start])
    expanded = 0
    while queue and expanded < MAX_STATES:
        state = queue.popleft()
        if state == goal:
            path = []
            while parent[state] is not None:
                state, (a, b) = parent[state]
                path.append((names[a], names[b]))
            return path[::-1], expanded
        expanded += 1
        w, b = state
        occupied = w | b
        for color in (0, 1):
            mine = state[color]
            bits = mine
            while bits:
                low = bits & -bits
                sq = low.bit_length() - 1
                bits ^= low
                for to in targets[sq]:
                    if occupied >> to & 1:
                        continue
                    moved = mine ^ low ^ (1 << to)
                    nxt = (moved, b) if color == 0 else (w, moved)
                    if nxt not in parent:
                        parent[nxt] = (state, (sq, to))
                        queue.append(nxt)
    return None, expanded


def positions(rows: int, cols: int, k: int) -> int:
    """How many placements of k white and k black knights the board holds."""
    n = rows * cols
    return math.comb(n, k) * math.comb(n - k, k)


def board_text(rows: int, cols: int, white: list[str], black: list[str]) -> str:
    lines = []
    for r in range(rows - 1, -1, -1):
        cells = []
        for c in range(cols):
            sq = square(r, c)
            cells.append("W" if sq in white else "B" if sq in black else ".")
        lines.append(f"{r + 1} " + " ".join(cells))
    lines.append("  " + " ".join("abcde"[:cols]))
    return "\n".join(lines)


@register_family
class KnightSwap(LogicFamily):
    """Swap the white and black knights on a small board in the fewest moves (any optimal
    sequence scores).

    Difficulty d sets the board and knights per color: 3x3/1, 3x4/1, 3x5/1, 4x4/1, 4x5/1, 3x4/2,
    3x5/2, 4x4/2, 3x4/3, 4x5/2; size = effort = the placements of the knights the search space
    holds (56 .. 29,070; the breadth-first search's expanded positions are `bfs_states`). Accepted: moves as `from-to` squares (`a1-b3`, `a1 b3`, `a1->b3`),
    separated by commas, spaces or lines, case ignored. Reward 1/0.
    """

    name = "knight_swap"
    title = "KnightSwap"
    description = "Swap white and black knights on a small board in the fewest moves."
    difficulty_doc = (
        "board/knights per color 3x3/1, 3x4/1, 3x5/1, 4x4/1, 4x5/1, 3x4/2, 3x5/2, 4x4/2, 3x4/3, "
        "4x5/2 (size = knight placements)"
    )
    equivalents = {"reasoning_gym": "knight_swap"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        rows, cols, k = SHAPES[difficulty - 1]
        squares = [square(r, c) for r in range(rows) for c in range(cols)]
        graph = jumps(rows, cols)
        usable = [s for s in squares if graph[s]]
        for _attempt in range(40):
            picked = rng.sample(usable, 2 * k)
            white, black = sorted(picked[:k]), sorted(picked[k:])
            path, expanded = solve(rows, cols, white, black)
            if path:
                break
        else:  # bounded fallback: one knight each on two squares a knight's move apart
            white, black = [usable[0]], [graph[usable[0]][0]]
            path, expanded = solve(rows, cols, white, black)
        assert path is not None
        space = positions(rows, cols, k)
        question = (
            "On this board (W = white knight, B = black knight, . = empty; columns a.., rows 1..):"
            f"\n{board_text(rows, cols, white, black)}\n\n"
            "Knights move as in chess (two squares in one direction and one square sideways) and "
            "only onto empty squares; any knight may move at any time. Swap the knights: every "
            "white knight must end on a square where a black knight started and vice versa. "
            "Give a shortest sequence of moves, each as from-to squares, separated by commas, "
            "for example `a1-b3, c2-a3`.\nPut your final answer inside <answer></answer>."
        )
        return make_task(
            question, [list(m) for m in path], space, rows=rows, cols=cols, white=white,
            black=black, optimum=len(path), bfs_states=expanded, effort=space,
        )  # fmt: skip

    def replay(self, task: Task, moves: list[tuple[str, str]]) -> str | None:
        """None when the moves are legal and swap the knights; else what went wrong."""
        m = task.metadata
        graph = jumps(m["rows"], m["cols"])
        white, black = set(m["white"]), set(m["black"])
        for i, (a, b) in enumerate(moves, 1):
            if a not in graph or b not in graph:
                return f"move {i}: no such square"
            mine = white if a in white else black if a in black else None
            if mine is None:
                return f"move {i}: no knight on {a}"
            if b not in graph[a]:
                return f"move {i}: {a}-{b} is not a knight's move"
            if b in white or b in black:
                return f"move {i}: {b} is occupied"
            mine.discard(a)
            mine.add(b)
        if white != set(m["black"]) or black != set(m["white"]):
            return "the knights are not swapped"
        return None

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:3000].lower()
        moves = [(a + b, c + d) for a, b, c, d in _MOVE.findall(text)]
        rest = _MOVE.sub(" ", text)
        if not moves or re.search(r"[^\s,;.\n]", re.sub(r"(?<!\d)\d{1,4}\s*[.)]", " ", rest)):
            return Verdict.unparseable("expected moves such as a1-b3")
        problem = self.replay(task, moves)
        if problem:
            return Verdict.incorrect(problem)
        if len(moves) > task.metadata["optimum"]:
            return Verdict.incorrect(f"{len(moves)} moves; {task.metadata['optimum']} are enough")
        return Verdict.correct()

    def gold_moves(self, task: Task) -> list[tuple[str, str]]:
        return [(a, b) for a, b in task.answer]

    def near_misses(self, task: Task) -> list[str]:
        """The gold without its last move, with its first move repeated back and forth, and
        with one move more (the optimum is exceeded)."""
        moves = self.gold_moves(task)
        out = [", ".join(f"{a}-{b}" for a, b in moves[:-1]) or "a1-a1"]
        a, b = moves[0]
        out.append(", ".join(f"{x}-{y}" for x, y in [(a, b), (b, a), *moves]))
        out.append(", ".join(f"{x}-{y}" for x, y in [*moves, moves[-1]]))
        return out

    def format_answer(self, task: Task) -> str:
        return ", ".join(f"{a}-{b}" for a, b in self.gold_moves(task))
