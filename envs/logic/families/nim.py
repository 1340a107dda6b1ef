"""Nim: heaps of stones; a move takes one or more stones from one heap; whoever takes the last
stone wins. A position is lost for the player to move exactly when the XOR of the heap sizes
(the nim-sum) is 0, so the winning moves are those that leave a nim-sum of 0.

Single-turn family `nim`: list every winning move of a position (the verifier recomputes them
from the rules: a listed move must be legal and leave nim-sum 0, and none may be missing).

Multi-turn game `gymhub/Logic-NimGame-v0`: play a winning position against a perfect opponent;
reward 1 for taking the last stone, 0 if the opponent does. An illegal move is refused and uses
up a turn. The reference player always restores nim-sum 0, so it always wins.
"""

from __future__ import annotations

import random
from functools import reduce
from operator import xor
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._games import Game, Move, register_game
from gymhub.envs.logic.grids import read_pairs
from gymhub.types import Task, Verdict


def _shape(difficulty: int) -> tuple[int, int]:
    return 2 + difficulty // 2, 3 + 2 * difficulty  # (heaps 2..7, largest heap 5..23)


def winning_moves(heaps: list[int]) -> list[tuple[int, int]]:
    """(heap number from 1, stones to take) for every move leaving nim-sum 0."""
    total = reduce(xor, heaps, 0)
    return [(i + 1, h - (h ^ total)) for i, h in enumerate(heaps) if total and h ^ total < h]


def _fmt(moves: list[tuple[int, int]]) -> str:
    return ", ".join(f"({h},{k})" for h, k in moves)


_EXAMPLE_MOVES = ((1, 2), (3, 1), (2, 1), (1, 1), (2, 3), (3, 2))


def _example(moves: list[tuple[int, int]] | list[list[int]]) -> str:
    """Two moves for the format example, neither of them a winning move: copying the example,
    or one move of it (`(1,2)` alone was the answer on 6% of the tasks), must not pay."""
    won = {(h, k) for h, k in moves}
    spare = [m for m in _EXAMPLE_MOVES if m not in won]
    return ", ".join(f"({h},{k})" for h, k in spare[:2])


@register_family
class Nim(LogicFamily):
    """List every winning move of a Nim position (normal play: taking the last stone wins).

    Accepted: the moves as `(heap,stones)` pairs, any order, separated by commas, spaces or
    lines. Not accepted: a missing or extra move, a move listed twice, an illegal move, any word.
    """

    name = "nim"
    title = "Nim"
    description = "List every winning move of a Nim position (nim-sum reasoning)."
    difficulty_doc = "heaps 2+d//2 (2..7; size), heap sizes 1..3+2d"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, high = _shape(difficulty)
        while True:
            heaps = [rng.randint(1, high) for _ in range(count)]
            moves = winning_moves(heaps)
            if moves and (difficulty < 3 or sum(heaps) > 2 * count):
                break
        listing = ", ".join(f"heap {i + 1}: {h}" for i, h in enumerate(heaps))
        question = (
            f"Nim. There are {count} heaps of stones ({listing}). Two players take turns; a "
            "move takes one or more stones from a single heap, and the player who takes the "
            "last stone wins. It is your turn. List every winning move (every move after which "
            "you can force a win whatever the opponent does), each as (heap, stones taken), "
            f"heaps numbered from 1, for example <answer>{_example(moves)}</answer>. Put your answer "
            "inside <answer></answer>."
        )
        return make_task(question, [list(m) for m in moves], count, heaps=heaps)

    def check(self, task: Task, answer: str) -> Verdict:
        heaps = task.metadata["heaps"]
        pairs = read_pairs(answer, limit=100)
        if pairs is None:
            return Verdict.unparseable("expected (heap,stones) pairs")
        if len(set(pairs)) != len(pairs):
            return Verdict.incorrect("a move is listed twice")
        for h, k in pairs:
            if not (1 <= h <= len(heaps) and 1 <= k <= heaps[h - 1]):
                return Verdict.incorrect(f"({h},{k}) is not a legal move")
        if set(pairs) != set(winning_moves(heaps)):
            return Verdict.incorrect("the listed moves are not exactly the winning moves")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        heaps = task.metadata["heaps"]
        gold = [tuple(m) for m in task.answer]
        losing = [
            (i + 1, k)
            for i, h in enumerate(heaps)
            for k in range(1, h + 1)
            if (i + 1, k) not in gold
        ]
        out = [_fmt([*gold, losing[0]]), _fmt([losing[-1]])]
        out.append(_fmt(gold[1:]) if len(gold) > 1 else _fmt([(gold[0][0], gold[0][1] + 1)]))
        return out

    def format_answer(self, task: Task) -> str:
        return _fmt([tuple(m) for m in task.answer])


class NimGame(Game):
    name = "nim"
    title = "Nim"
    description = "Play Nim against a perfect opponent from a winning position."

    def max_turns(self, task: Task) -> int:
        return sum(task.metadata["heaps"]) // 2 + 4

    def start(self, task: Task) -> dict[str, Any]:
        return {"heaps": list(task.metadata["heaps"])}

    def intro(self, task: Task, state: dict[str, Any]) -> str:
        listing = ", ".join(f"heap {i + 1}: {h}" for i, h in enumerate(state["heaps"]))
        return (
            f"Let's play Nim. Heaps: {listing}. We take turns; a move takes one or more stones "
            "from a single heap, and whoever takes the last stone wins. You move first. Give "
            "each move as (heap, stones taken), heaps numbered from 1, inside "
            "<answer></answer>, for example <answer>(2,3)</answer>. An illegal move is refused "
            f"and still uses up one of your {self.max_turns(task)} turns."
        )

    def play(self, task: Task, state: dict[str, Any], move: str) -> Move:
        heaps = state["heaps"]
        pairs = read_pairs(move, limit=2)
        if pairs is None or len(pairs) != 1:
            return Move("Give exactly one move as (heap, stones).", Verdict.unparseable("no move"))
        h, k = pairs[0]
        if not (1 <= h <= len(heaps) and 1 <= k <= heaps[h - 1]):
            return Move(f"({h},{k}) is not a legal move.", Verdict.incorrect("illegal move"))
        heaps[h - 1] -= k
        if not any(heaps):
            return Move("You took the last stone: you win!", Verdict.correct(), True, 1.0)
        reply = winning_moves(heaps)
        oh, ok = reply[0] if reply else (heaps.index(max(heaps)) + 1, 1)
        heaps[oh - 1] -= ok
        if not any(heaps):
            return Move(
                f"I take {ok} from heap {oh}, the last stone: I win.",
                Verdict.incorrect("the opponent took the last stone"),
                True,
                0.0,
            )
        listing = ", ".join(f"heap {i + 1}: {x}" for i, x in enumerate(heaps))
        return Move(
            f"I take {ok} from heap {oh}. Heaps now: {listing}.", Verdict.incorrect("game on")
        )

    def reference(self, task: Task, state: dict[str, Any]) -> str:
        moves = winning_moves(state["heaps"])
        h, k = moves[0] if moves else (state["heaps"].index(max(state["heaps"])) + 1, 1)
        return f"({h},{k})"


register_game(NimGame())
