"""Buggy tables: compute an aggregate over a table whose known data-entry bugs must be fixed first.

The question shows a sales table and lists its bugs as rules: repeated rows (same id) count
once, a `?` quantity leaves its row out, prices written with a `c` are in cents, and rows whose id
ends in `!` had quantity and price swapped. The verifier parses the shown cells, applies those
rules and the query itself, so nothing stored is trusted; generation checks that the rules undo
exactly the injected bugs.
"""

from __future__ import annotations

import random
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.arithmetic_chain import read_integer
from gymhub.types import Task, Verdict

ITEMS = ["pens", "mugs", "caps", "bags", "lamps", "socks", "bowls", "kites", "maps", "soaps"]
REGIONS = ["North", "South", "East", "West"]
BUGS = ["dup", "missing", "cents", "swap"]
_RULES = {
    "dup": "Some rows were entered twice: rows with the same id are one sale; count it once.",
    "missing": "A quantity shown as `?` was lost: leave that whole row out.",
    "cents": "A price written with a trailing `c` is in cents (`700c` is 7 dollars).",
    "swap": "In rows whose id ends in `!` the quantity and price were swapped; swap them back.",
}


def clean_rows(raw: list[list[str]], bugs: list[str]) -> list[dict[str, Any]]:
    """The sales the raw cells describe once the listed bugs are fixed."""
    seen: set[str] = set()
    out = []
    for rid, item, region, qty, price in raw:
        key = rid.rstrip("!")
        if "dup" in bugs:
            if key in seen:
                continue
            seen.add(key)
        if "swap" in bugs and rid.endswith("!"):
            qty, price = price, qty
        if qty == "?":
            if "missing" in bugs:
                continue
            raise ValueError("a `?` quantity without the missing-value rule")
        q = int(qty)
        p = int(price[:-1]) // 100 if "cents" in bugs and price.endswith("c") else int(price)
        out.append({"id": key, "item": item, "region": region, "qty": q, "price": p})
    return out


def answer_of(raw: list[list[str]], bugs: list[str], query: dict[str, Any]) -> int:
    total = 0
    for row in clean_rows(raw, bugs):
        if row["region"] not in query["regions"] or row["qty"] < query.get("min_qty", 0):
            continue
        total += row["qty"] * row["price"] if query["measure"] == "revenue" else row["qty"]
    return total


def _query_text(query: dict[str, Any]) -> str:
    what = (
        "the total revenue (quantity times price, in dollars)"
        if query["measure"] == "revenue"
        else "the total quantity sold"
    )
    regions = " or ".join(query["regions"])
    if "min_qty" in query:
        regions += f", counting only rows with a quantity of at least {query['min_qty']}"
    return f"{what} of the sales in {regions}"


@register_family
class BuggyTables(LogicFamily):
    """Aggregate a sales table after fixing its documented data-entry bugs.

    Difficulty d sets the rows 4 + 2d (6..24, size before duplicates), the bug kinds
    1 + (d-1)//3 (1..4: repeated rows, lost quantities, cents, swapped columns), the measure
    (total quantity up to d3, revenue from d4) and the filter (one region; two regions from d5;
    a minimum quantity on the fixed values from d7). Reward 1/0.
    """

    name = "buggy_tables"
    title = "BuggyTables"
    description = "Compute a total over a table after fixing its listed data-entry bugs."
    difficulty_doc = (
        "rows 4+2d (6..24); bug kinds 1+(d-1)//3 (1..4); quantity total up to d3, revenue from "
        "d4; two regions from d5; a minimum quantity on fixed values from d7"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 4 + 2 * difficulty
        bugs = sorted(rng.sample(BUGS, 1 + (difficulty - 1) // 3))
        clean = []
        for i in range(count):
            clean.append(
                [str(101 + i), rng.choice(ITEMS), rng.choice(REGIONS), rng.randint(1, 20),
                 rng.randint(2, 40)]
            )  # fmt: skip
        raw: list[list[str]] = []
        kept = []  # the clean rows the rules must recover
        for rid, item, region, qty, price in clean:
            q, p = str(qty), str(price)
            if "cents" in bugs and rng.random() < 0.3:
                p = f"{price * 100}c"
            if "missing" in bugs and rng.random() < 0.15:
                q = "?"
            else:
                kept.append({"id": rid, "item": item, "region": region, "qty": qty, "price": price})
                if "swap" in bugs and rng.random() < 0.25:
                    rid, q, p = rid + "!", p, q
            raw.append([rid, item, region, q, p])
            if "dup" in bugs and rng.random() < 0.25:
                raw.append([rid, item, region, q, p])
        regions = rng.sample(REGIONS, 2 if difficulty >= 5 else 1)
        query: dict[str, Any] = {
            "measure": "revenue" if difficulty >= 4 else "quantity",
            "regions": regions,
        }
        if difficulty >= 7:
            query["min_qty"] = rng.randint(5, 12)
        gold = answer_of(raw, bugs, query)
        if clean_rows(raw, bugs) != kept:  # the rules must undo exactly the injected bugs
            raise AssertionError("buggy_tables: the bug rules do not recover the clean table")
        header = "| id | item | region | quantity | price |"
        table = "\n".join([header, "| --- | --- | --- | --- | --- |"] + [
            "| " + " | ".join(row) + " |" for row in raw
        ])  # fmt: skip
        rules = "\n".join(f"- {_RULES[b]}" for b in bugs)
        question = (
            "This sales table (one sale per row; prices are per unit, in dollars) has known "
            f"data-entry bugs. Fix them with these rules before computing:\n{rules}\n\n"
            f"{table}\n\n"
            f"What is {_query_text(query)}? Answer with one whole number, for example `120`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, gold, count, raw=raw, bugs=bugs, query=query)

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:100].strip()
        given = read_integer(text[1:] if text.startswith("$") else text)
        if given is None:
            return Verdict.unparseable("expected one whole number")
        truth = answer_of(task.metadata["raw"], task.metadata["bugs"], task.metadata["query"])
        if given != truth:
            return Verdict.incorrect("wrong total")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        truth = answer_of(task.metadata["raw"], task.metadata["bugs"], task.metadata["query"])
        return [str(truth + 1), str(truth - 1), str(truth * 2 + 1)]

    def secret_strings(self, task: Task) -> list[str]:
        return []  # a total may equal a cell by chance

    def format_answer(self, task: Task) -> str:
        return str(answer_of(task.metadata["raw"], task.metadata["bugs"], task.metadata["query"]))
