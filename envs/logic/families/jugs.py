"""Water jugs: measure an exact amount with unmarked jugs (fill, empty, pour).

The verifier simulates the moves from empty jugs: every move must be read, the target amount
must be in some jug after the last move, and the moves may not exceed the optimum found by
breadth-first search. Any optimal solution scores.
"""

from __future__ import annotations

import random
import re
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._balance import pick_balanced
from gymhub.envs.logic.families._textnum import ask, clean
from gymhub.types import Task, Verdict

NAMES = "ABC"
_MOVE = re.compile(
    r"(?:\d+[.)]\s*)?(fill|empty|pour)\s+(?:jug\s+)?([abc])"
    r"(?:\s*(?:->|→|to|into)\s*(?:jug\s+)?([abc]))?",
    re.IGNORECASE,
)


def apply(state: tuple[int, ...], move: tuple[str, int, int], caps: list[int]) -> tuple[int, ...]:
    kind, a, b = move
    s = list(state)
    if kind == "fill":
        s[a] = caps[a]
    elif kind == "empty":
        s[a] = 0
    else:
        amount = min(s[a], caps[b] - s[b])
        s[a] -= amount
        s[b] += amount
    return tuple(s)


def all_moves(n: int) -> list[tuple[str, int, int]]:
    moves = [("fill", i, -1) for i in range(n)] + [("empty", i, -1) for i in range(n)]
    return moves + [("pour", i, j) for i in range(n) for j in range(n) if i != j]


def solve(caps: list[int]) -> dict[int, list[tuple[str, int, int]]]:
    """For every reachable amount, a shortest move list that leaves it in some jug."""
    start = tuple(0 for _ in caps)
    parent: dict[tuple[int, ...], tuple[tuple[int, ...], tuple[str, int, int]] | None] = {
        start: None
    }
    queue = deque([start])
    best: dict[int, tuple[int, ...]] = {}
    while queue:
        state = queue.popleft()
        for amount in state:
            best.setdefault(amount, state)
        for move in all_moves(len(caps)):
            nxt = apply(state, move, caps)
            if nxt not in parent:
                parent[nxt] = (state, move)
                queue.append(nxt)
    out = {}
    for amount, state in best.items():
        path = []
        while parent[state] is not None:
            state, move = parent[state]  # type: ignore[misc]
            path.append(move)
        out[amount] = path[::-1]
    return out


def move_text(move: tuple[str, int, int]) -> str:
    kind, a, b = move
    return f"pour {NAMES[a]}->{NAMES[b]}" if kind == "pour" else f"{kind} {NAMES[a]}"


def read_moves(text: str, n: int) -> list[tuple[str, int, int]] | None:
    items = [p.strip() for p in re.split(r"[\n,;]+", clean(text)) if p.strip()]
    if not items or len(items) > 500:
        return None
    moves = []
    for item in items:
        m = _MOVE.fullmatch(item.rstrip("."))
        if m is None:
            return None
        kind, a, b = m.group(1).lower(), NAMES.index(m.group(2).upper()), m.group(3)
        if a >= n or (kind == "pour") != (b is not None):
            return None
        target = NAMES.index(b.upper()) if b else -1
        if target >= n or target == a:
            return None
        moves.append((kind, a, target))
    return moves


_CANDIDATES = 8  # instances drawn per task, one kept by its plan


def _instance(
    rng: random.Random, n: int, high: int
) -> tuple[list[int], int, list[tuple[str, int, int]]]:
    """Capacities, a target and its shortest plan: jugs (in random order, so that one plan
    shape is written two ways) that allow a target of three moves or
    more (others are redrawn), the plan's length drawn first (a longer one more likely: weight
    length^2), then a target of that length."""
    while True:
        caps = rng.sample(range(2, high + 1), n)  # in any order: A is not always the smallest
        plans = solve(caps)
        lengths = sorted({len(p) for a, p in plans.items() if len(p) >= 3 and a > 0})
        if lengths:
            break
    longest = rng.choices(lengths, weights=[k * k for k in lengths])[0]
    target = rng.choice(sorted(a for a, p in plans.items() if len(p) == longest and a > 0))
    return caps, target, plans[target]


@register_family
class Jugs(LogicFamily):
    """Get exactly t litres into one of 2 (d1-5) or 3 (d6-10) unmarked jugs.

    Capacities 2..4+3d litres (2 jugs) or 2..5+2d (3 jugs) that allow a plan of 3 moves or more;
    8 instances are drawn (each: the plan's length first, a longer one more likely: weight
    length^2, then a target that takes that many moves) and one kept by its plan, each plan
    they show as likely (`pick_balanced`), so that no generic plan is right on many tasks.
    Moves: `fill X`, `empty X`, `pour X->Y` (pour until X is empty or Y is full). Answer: the
    moves separated by commas, semicolons or lines, no more than the optimum. size = jugs x
    the largest capacity allowed. Reward 1/0.
    """

    name = "jugs"
    title = "Jugs"
    description = "Measure an exact amount of water with unmarked jugs."
    difficulty_doc = (
        "2 jugs up to 4+3d litres (d1-5) or 3 up to 5+2d (d6-10); size = jugs x largest "
        "capacity; plan length drawn first, longer ones likelier"
    )
    equivalents = {"reasoning_gym": "jugs"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = 2 if difficulty <= 5 else 3
        high = 4 + 3 * difficulty if n == 2 else 5 + 2 * difficulty  # d5: 153 pairs of jugs
        # a plan that fits many pairs of jugs (`fill A, pour A->B, fill A, pour A->B`) came out
        # of a lone draw on a fifth of the easy tasks, and jugs allowing only two-move targets
        # (one capacity a multiple of the other) gave `fill B, pour B->A` on another fifth: a
        # blind answer was paid. Several instances are drawn and the plan chosen first
        # (`pick_balanced`), each plan as likely as any other the candidates show
        caps, target, plan = pick_balanced(
            rng,
            [_instance(rng, n, high) for _ in range(_CANDIDATES)],
            lambda c: tuple(c[2]),
        )
        longest = len(plan)
        jugs = ", ".join(f"{NAMES[i]} holds {c} litres" for i, c in enumerate(caps))
        question = ask(
            f"You have {n} unmarked jugs, all empty: {jugs}. Moves: fill a jug from the tap "
            "(`fill A`), empty a jug (`empty A`), or pour one jug into another until the first "
            "is empty or the second is full (`pour A->B`). Get exactly "
            f"{target} litres into one jug using as few moves as possible ({longest} moves).",
            "Answer with the moves in order separated by commas, for example (with jugs X and Y) "
            "<answer>fill X, pour X->Y, empty Y</answer>.",
        )
        return make_task(
            question, [move_text(m) for m in plan], n * high,
            caps=caps, target=target, optimum=longest,
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        caps = list(task.metadata["caps"])
        moves = read_moves(answer, len(caps))
        if moves is None:
            return Verdict.unparseable("expected moves like `fill A`, `pour A->B`, `empty B`")
        if len(moves) > int(task.metadata["optimum"]):
            return Verdict.incorrect(f"{len(moves)} moves: it can be done in fewer")
        state = tuple(0 for _ in caps)
        for move in moves:
            state = apply(state, move, caps)
        if int(task.metadata["target"]) not in state:
            return Verdict.incorrect(f"no jug holds {task.metadata['target']} litres at the end")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return ", ".join(task.answer)

    def near_misses(self, task: Task) -> list[str]:
        moves = list(task.answer)
        return [
            ", ".join(moves[:-1]),  # stops one move short (the optimum is not reached earlier)
            ", ".join(["empty A", *moves[1:]]),  # a wasted first move
            ", ".join([*moves, "fill A"]),  # one move over the optimum
        ]
