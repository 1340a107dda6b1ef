"""Car painting (Enigmata's sequential task): reorder a line of cars, each moving at most K
places, so that the paint shop changes color as rarely as possible.

A dynamic program over (position, which cars near the position are placed, last color) finds
the optimal number of color changes exactly; the verifier checks that the answer is a
permutation of the cars, that no car moved more than K places, and that its number of color
changes equals that optimum. Any optimal order scores 1.
"""

from __future__ import annotations

import functools
import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._common import read_int_list
from gymhub.types import Task, Verdict

_COLORS = ("red", "blue", "green", "white", "black")


def _shape(difficulty: int) -> tuple[int, int, int]:
    """(cars 6+2d, colors 3..5, max shift 1..3)."""
    return 6 + 2 * difficulty, 3 + (difficulty - 1) // 4, 1 + (difficulty - 1) // 4


def changes(colors: list[int]) -> int:
    return sum(a != b for a, b in zip(colors, colors[1:]))


def optimum(colors: list[int], k: int) -> tuple[int, list[int]]:
    """(fewest color changes, one optimal order of car indices) with every car within k places
    of its start."""
    n = len(colors)
    width = 2 * k + 1

    @functools.cache
    def best(i: int, mask: int, last: int) -> tuple[int, tuple[int, ...]]:
        # cars i-k .. i+k; bit b of mask = car i-k+b already placed
        if i == n:
            return 0, ()
        result: tuple[int, tuple[int, ...]] = (10**9, ())
        for b in range(width):
            j = i - k + b
            if j < 0 or j >= n or mask >> b & 1:
                continue
            placed = mask | 1 << b
            if i - k >= 0 and not placed & 1:  # car i-k must be placed by position i
                continue
            cost = 0 if last in (-1, colors[j]) else 1
            sub, rest = best(i + 1, placed >> 1, colors[j])
            if cost + sub < result[0]:
                result = (cost + sub, (j, *rest))
        return result

    # at i = 0, bits for cars -k..-1 count as placed
    start = (1 << k) - 1
    value, order = best(0, start, -1)
    best.cache_clear()
    return value, list(order)


@register_family
class CarPainting(LogicFamily):
    """Reorder the cars (each at most K places from its start) to minimise color changes.

    Accepted: the car numbers in the new order, separated by spaces, commas or `->`. Not
    accepted: a car missing or repeated, a car moved more than K places, any order with more
    color changes than the optimum, any word.
    """

    name = "car_painting"
    title = "CarPainting"
    description = "Reorder cars within a shift limit to minimise paint color changes."
    difficulty_doc = (
        "cars 6+2d (8..26; size), colors 3+(d-1)//4 (3..5), max shift 1+(d-1)//4 (1..3)"
    )
    equivalents = {"enigmata": "car_painting"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, t, k = _shape(difficulty)
        while True:
            colors = [rng.randrange(t) for _ in range(n)]
            best, order = optimum(colors, k)
            if best <= changes(colors) - 2:  # the given order is far from optimal
                break
        listing = "\n".join(f"car {i + 1}: {_COLORS[c]}" for i, c in enumerate(colors))
        question = (
            f"{n} cars wait in this order to be painted:\n{listing}\n\n"
            "The paint shop loses time whenever a car's color differs from the previous car's. "
            f"You may reorder the line, but every car must end up at most {k} place(s) from its "
            f"current place (car i may take positions i-{k} to i+{k}). Find an order with the "
            "fewest color changes possible. Answer with the car numbers in the new order "
            "separated by spaces, for example <answer>2 1 3 4</answer>. Put your answer inside "
            "<answer></answer>."
        )
        gold = [j + 1 for j in order]
        return make_task(question, gold, n, colors=colors, shift=k, optimum=best)

    def check(self, task: Task, answer: str) -> Verdict:
        colors, k = task.metadata["colors"], task.metadata["shift"]
        n = len(colors)
        order = read_int_list(answer)
        if order is None:
            return Verdict.unparseable("expected car numbers separated by spaces")
        if sorted(order) != list(range(1, n + 1)):
            return Verdict.incorrect(f"the cars 1..{n} are not each listed exactly once")
        for pos, car in enumerate(order, start=1):
            if abs(pos - car) > k:
                return Verdict.incorrect(f"car {car} moved {abs(pos - car)} places (max {k})")
        got = changes([colors[c - 1] for c in order])
        if got != task.metadata["optimum"]:
            return Verdict.incorrect(f"{got} color changes; fewer are possible")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return " ".join(map(str, task.answer))
