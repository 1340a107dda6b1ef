"""Tower of Hanoi from an arbitrary legal position: list the moves that gather every disk on the
target peg, within the minimum number of moves.

The verifier replays the moves under the rules (one top disk at a time, never a larger disk on a
smaller one) and checks the final position and the move budget; any optimal sequence scores 1.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

PEGS = "ABC"
MAX_MOVES = 5000
_MOVE = re.compile(
    r"^(?:(?:move|step)?\s*\d+\s*[.):]\s*)?(?:move\s+)?(?:disk\s*\d*\s*)?(?:from\s+)?(?:peg\s+)?"
    r"([ABC])\s*(?:->|→|=>|-|to|\s)\s*(?:peg\s+)?([ABC])$",
    re.I,
)

_PLAIN = re.compile(r"(?:[ \t]*[ABCabc][ \t]*->[ \t]*[ABCabc][ \t]*(?:[\n;,]+|$))*\s*")
_PAIR = re.compile(r"([ABC])\s*->\s*([ABC])")


def _disks(difficulty: int) -> int:
    return 2 + difficulty if difficulty <= 4 else 6 + (difficulty - 4) // 2  # 3..9


def solve(position: list[int], target: int) -> list[tuple[int, int]]:
    """Optimal moves from `position` (position[k] = peg of disk k+1, disk 1 smallest) to all disks
    on `target`: place the largest disk first, recursively."""
    pos = list(position)
    moves: list[tuple[int, int]] = []

    def gather(n: int, peg: int) -> None:  # put disks 1..n on `peg`
        if n == 0:
            return
        if pos[n - 1] == peg:
            gather(n - 1, peg)
            return
        spare = 3 - pos[n - 1] - peg
        gather(n - 1, spare)
        moves.append((pos[n - 1], peg))
        pos[n - 1] = peg
        gather(n - 1, peg)

    gather(len(pos), target)
    return moves


def _describe(position: list[int]) -> str:
    lines = []
    for peg in range(3):
        stack = [k + 1 for k in reversed(range(len(position))) if position[k] == peg]
        shown = ", ".join(map(str, stack)) if stack else "empty"
        lines.append(f"Peg {PEGS[peg]} (bottom to top): {shown}")
    return "\n".join(lines)


def parse_moves(text: str) -> list[tuple[int, int]] | None:
    """Moves like "A->C", "A C", "1. A to C", one per line or separated by commas/semicolons."""
    if _PLAIN.fullmatch(text):  # fast path: the format the question asks for
        pairs = _PAIR.findall(text.upper())
        if len(pairs) > MAX_MOVES:
            return None
        return [(PEGS.index(a), PEGS.index(b)) for a, b in pairs]
    pieces = [p.strip() for p in re.split(r"[\n;,]", text)]
    moves = []
    for piece in pieces:
        if not piece:
            continue
        m = _MOVE.match(piece)
        if not m:
            return None
        moves.append((PEGS.index(m.group(1).upper()), PEGS.index(m.group(2).upper())))
        if len(moves) > MAX_MOVES:
            return None
    return moves


@register_family
class TowerOfHanoi(LogicFamily):
    """Move every disk onto the target peg in the minimum number of moves, from a given position.

    Difficulty d sets the number of disks (3, 4, 5, 6 at d=1..4, then 7 at d=6, 8 at d=8, 9 at
    d=10); from d=3 the start is a random legal position rather than one tower, and the target
    peg is random. The move budget stated in the question is the optimum, computed by a solver;
    any legal sequence within it that ends with all disks on the target scores 1. size = disks.
    """

    name = "tower_of_hanoi"
    title = "TowerOfHanoi"
    description = "Tower of Hanoi from a given position: list an optimal sequence of moves."
    difficulty_doc = (
        "disks 3,4,5,6 at d1-4, then +1 every 2 levels up to 9 at d10; random start position "
        "from d3; the move budget is the solver's optimum"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _disks(difficulty)
        target = rng.randrange(3)
        for _attempt in range(20):
            if difficulty < 3:
                start = rng.choice([p for p in range(3) if p != target])
                position = [start] * n
            else:
                position = [rng.randrange(3) for _ in range(n)]
            if len(solve(position, target)) >= 3:  # longer than the format example
                break
        else:
            position = [(target + 1) % 3] * n
        moves = solve(position, target)
        question = (
            f"Tower of Hanoi with three pegs A, B, C and {n} disks numbered 1 (smallest) to {n} "
            "(largest). The current position is:\n"
            f"{_describe(position)}\n\n"
            "Rules: move one disk at a time; only the top disk of a peg can be moved; a disk may "
            "never be placed on a smaller disk.\n"
            f"Goal: move all disks onto peg {PEGS[target]} using at most {len(moves)} moves.\n\n"
            "Answer with the moves in order, one per line, each written as source->destination, "
            "for example (for some other position):\nA->B\nC->A\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question,
            ["".join((PEGS[a], PEGS[b])) for a, b in moves],
            n,
            disks=n,
            position=position,
            target=target,
            optimal_moves=len(moves),
        )

    def check(self, task: Task, answer: str) -> Verdict:
        moves = parse_moves(answer)
        if moves is None:
            return Verdict.unparseable("could not read the moves (expected lines like A->C)")
        budget = int(task.metadata["optimal_moves"])
        if len(moves) > budget:
            return Verdict.incorrect(f"{len(moves)} moves, more than the allowed {budget}")
        position = list(task.metadata["position"])
        stacks: list[list[int]] = [[], [], []]  # disk numbers, bottom to top
        for disk in reversed(range(len(position))):
            stacks[position[disk]].append(disk)
        for i, (src, dst) in enumerate(moves, 1):
            if not stacks[src]:
                return Verdict.incorrect(f"move {i}: peg {PEGS[src]} is empty")
            if src == dst:
                return Verdict.incorrect(f"move {i}: source and destination are the same")
            disk = stacks[src][-1]
            if stacks[dst] and stacks[dst][-1] < disk:
                return Verdict.incorrect(f"move {i}: disk {disk + 1} onto a smaller disk")
            stacks[dst].append(stacks[src].pop())
        target = int(task.metadata["target"])
        if len(stacks[target]) != len(position):
            return Verdict.incorrect(f"not all disks end on peg {PEGS[target]}")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Last move dropped, first move sent to the other peg, one move too many."""
        moves = [f"{m[0]}->{m[1]}" for m in task.answer]
        first = task.answer[0]
        spare = next(p for p in PEGS if p not in first)
        return [
            "\n".join(moves[:-1]),
            "\n".join([f"{first[0]}->{spare}"] + moves[1:]),
            "\n".join(moves + [f"{first[1]}->{spare}"]),
        ]

    def format_answer(self, task: Task) -> str:
        return "\n".join(f"{m[0]}->{m[1]}" for m in task.answer)
