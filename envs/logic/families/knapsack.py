"""Knapsack: choose items of greatest total value whose total weight fits a capacity.

The verifier checks the rules: the answer names distinct listed items, their weight fits, and
their value equals the optimum that a dynamic program over the stated items computes, so any
optimal choice scores 1.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

ITEMS = [
    "rope", "tent", "stove", "lamp", "map", "knife", "flask", "radio", "tarp", "axe", "saw",
    "pot", "net", "boots", "coat", "rod", "kite", "book", "drum", "flute",
]  # fmt: skip
_LIST = re.compile(r"[A-Za-z\s,;]+")


def best_value(weights: list[int], values: list[int], capacity: int) -> int:
    """The optimum (0/1 knapsack dynamic program over capacities)."""
    table = [0] * (capacity + 1)
    for w, v in zip(weights, values, strict=True):
        for c in range(capacity, w - 1, -1):
            table[c] = max(table[c], table[c - w] + v)
    return table[capacity]


def best_choice(weights: list[int], values: list[int], capacity: int) -> list[int]:
    """Indices of one optimal choice (read back from the per-item tables)."""
    n = len(weights)
    table = [[0] * (capacity + 1) for _ in range(n + 1)]
    for i in range(n):
        for c in range(capacity + 1):
            table[i + 1][c] = table[i][c]
            if weights[i] <= c:
                table[i + 1][c] = max(table[i + 1][c], table[i][c - weights[i]] + values[i])
    chosen, c = [], capacity
    for i in range(n, 0, -1):
        if table[i][c] != table[i - 1][c]:
            chosen.append(i - 1)
            c -= weights[i - 1]
    return sorted(chosen)


@register_family
class Knapsack(LogicFamily):
    """Pick items of greatest total value within a weight capacity (any optimal pick scores).

    Difficulty d sets the items 3 + d (4..13, size), weights 1..3+2d and values 1..5+3d; the
    capacity is about 40% of the total weight. Reward 1/0.
    """

    name = "knapsack"
    title = "Knapsack"
    description = "Choose items of greatest total value that fit a weight capacity."
    difficulty_doc = (
        "items 3+d (4..13), weights 1..3+2d, values 1..5+3d; capacity ~40% of the total"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 3 + difficulty
        names = rng.sample(ITEMS, count)
        weights = [rng.randint(1, 3 + 2 * difficulty) for _ in range(count)]
        values = [rng.randint(1, 5 + 3 * difficulty) for _ in range(count)]
        capacity = max(max(weights), int(0.4 * sum(weights)))
        chosen = best_choice(weights, values, capacity)
        lines = "\n".join(
            f"- {n}: weight {w}, value {v}" for n, w, v in zip(names, weights, values, strict=True)
        )
        question = (
            f"Items (each can be taken at most once):\n{lines}\n\n"
            f"Choose items with total weight at most {capacity} and the greatest possible total "
            "value. Answer with the names of the chosen items separated by commas, for example "
            "`cup, key`.\nPut your final answer inside <answer></answer>."
        )
        return make_task(
            question,
            [names[i] for i in chosen],
            count,
            names=names,
            weights=weights,
            values=values,
            capacity=capacity,
        )

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:2000]
        if not _LIST.fullmatch(text):
            return Verdict.unparseable("expected item names separated by commas")
        m = task.metadata
        index = {n: i for i, n in enumerate(m["names"])}
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
        if not words or any(w not in index for w in words):
            return Verdict.unparseable("expected listed item names only")
        if len(set(words)) != len(words):
            return Verdict.incorrect("an item is named twice")
        weight = sum(m["weights"][index[w]] for w in words)
        if weight > m["capacity"]:
            return Verdict.incorrect(f"total weight {weight} exceeds {m['capacity']}")
        value = sum(m["values"][index[w]] for w in words)
        best = best_value(m["weights"], m["values"], m["capacity"])
        if value != best:
            return Verdict.incorrect(f"total value {value}; the best is {best}")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """The gold without its first or its last item (less value), and every item (too heavy:
        the capacity is below the total weight)."""
        gold = list(task.answer)
        out = [", ".join(gold[1:]), ", ".join(gold[:-1])] if len(gold) > 1 else []
        return [*out, ", ".join(task.metadata["names"])]

    def format_answer(self, task: Task) -> str:
        return ", ".join(task.answer)
