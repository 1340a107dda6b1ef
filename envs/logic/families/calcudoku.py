"""Calcudoku (KenKen): a Latin square whose cages must reach a target with an operation.

Generation: a shuffled Latin square cut into random cages of 1-4 cells, each given an operation
that its values satisfy. A bounded solver (fewest-candidates-first) counts solutions; while a
second exists, a gold value where the two differ is revealed, so puzzles have one solution.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import region_label
from gymhub.envs.logic.latin import random_latin_square
from gymhub.types import Task, Verdict

_SIZES = (4, 4, 5, 5, 6, 6, 7, 7, 8, 9)  # grid side per difficulty 1..10
_NODE_LIMIT = 8_000
_NUM = re.compile(r"\d+")


def _cages(rng: random.Random, n: int) -> list[list[tuple[int, int]]]:
    owner = [[-1] * n for _ in range(n)]
    order = [(r, c) for r in range(n) for c in range(n)]
    rng.shuffle(order)
    cages: list[list[tuple[int, int]]] = []
    for cell in order:
        if owner[cell[0]][cell[1]] >= 0:
            continue
        want = rng.choices((1, 2, 3, 4), weights=(1, 9, 7, 3))[0]
        cage = [cell]
        owner[cell[0]][cell[1]] = len(cages)
        while len(cage) < want:
            free = [
                nb
                for r, c in cage
                for nb in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1))
                if 0 <= nb[0] < n and 0 <= nb[1] < n and owner[nb[0]][nb[1]] < 0
            ]
            if not free:
                break
            nb = rng.choice(free)
            owner[nb[0]][nb[1]] = len(cages)
            cage.append(nb)
        cages.append(sorted(cage))
    return cages


def _operation(rng: random.Random, values: list[int]) -> tuple[str, int]:
    if len(values) == 1:
        return "=", values[0]
    if len(values) == 2:
        hi, lo = max(values), min(values)
        ops = ["-", "+", "*"] + (["/", "/"] if hi % lo == 0 else [])
        op = rng.choice(ops)
        return op, {"-": hi - lo, "+": hi + lo, "*": hi * lo, "/": hi // lo}[op]
    product = 1
    for v in values:
        product *= v
    op = rng.choice(["+", "*"])
    return op, (sum(values) if op == "+" else product)


def _cage_ok(op: str, target: int, values: list[int]) -> bool:
    if op == "=":
        return values == [target]
    if op == "+":
        return sum(values) == target
    if op == "*":
        product = 1
        for v in values:
            product *= v
        return product == target
    if len(values) != 2:
        return False
    hi, lo = max(values), min(values)
    return hi - lo == target if op == "-" else lo > 0 and hi == lo * target


def _static_mask(n: int, op: str, target: int, k: int) -> int:
    """Values 1..n (as bits) that a cell of this cage could ever hold."""
    mask = 0
    for v in range(1, n + 1):
        if op == "=":
            ok = v == target
        elif op == "+":
            ok = target - (k - 1) * n <= v <= target - (k - 1)
        elif op == "*":
            ok = target % v == 0
        elif op == "-":
            ok = v + target <= n or v - target >= 1
        else:
            ok = v * target <= n or (v % target == 0 and v // target >= 1)
        if ok:
            mask |= 1 << v
    return mask


def solve(
    n: int,
    cages: list[dict],
    givens: dict[tuple[int, int], int],
    limit: int = 2,
) -> tuple[list[list[list[int]]], bool]:
    """Up to `limit` solutions; the flag is False when the node budget ran out first. Cells are
    filled fewest-candidates first; cage arithmetic is checked on partial cages."""
    grid = [[0] * n for _ in range(n)]
    cage_of: dict[tuple[int, int], int] = {}
    static = [[0] * n for _ in range(n)]
    for k, cage in enumerate(cages):
        mask = _static_mask(n, cage["op"], cage["target"], len(cage["cells"]))
        for r, c in cage["cells"]:
            cage_of[(r, c)] = k
            static[r][c] = 1 << givens[(r, c)] if (r, c) in givens else mask
    row_used = [0] * n
    col_used = [0] * n
    empty = [len(cage["cells"]) for cage in cages]
    sols: list[list[list[int]]] = []
    nodes = 0

    def last_value(k: int) -> int:
        """Bit mask of the value that completes cage k when one cell is left."""
        cage = cages[k]
        op, target = cage["op"], cage["target"]
        done = [grid[rr][cc] for rr, cc in cage["cells"] if grid[rr][cc]]
        if op == "=":
            options = [target]
        elif op == "+":
            options = [target - sum(done)]
        elif op == "*":
            product = 1
            for d in done:
                product *= d
            options = [target // product] if target % product == 0 else []
        elif op == "-":
            options = [done[0] + target, done[0] - target]
        else:
            options = [done[0] * target] + ([done[0] // target] if done[0] % target == 0 else [])
        return sum(1 << v for v in set(options) if 1 <= v <= n)

    def fits(r: int, c: int, v: int) -> bool:
        cage = cages[cage_of[(r, c)]]
        op, target = cage["op"], cage["target"]
        done = [grid[rr][cc] for rr, cc in cage["cells"] if grid[rr][cc]]
        rest = len(cage["cells"]) - len(done) - 1
        if op == "=":
            return v == target
        if op == "+":
            total = sum(done) + v
            return total + rest <= target <= total + rest * n
        if op == "*":
            product = v
            for d in done:
                product *= d
            return target % product == 0 and (rest > 0 or product == target)
        if not done:
            return True
        hi, lo = max(done[0], v), min(done[0], v)
        return hi - lo == target if op == "-" else hi == lo * target

    def rec(filled: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return False
        if filled == n * n:
            sols.append([row[:] for row in grid])
            return len(sols) < limit
        best = (0, 0)
        best_mask = 0
        best_count = n + 1
        forced: dict[int, int] = {}
        for r in range(n):
            taken = row_used[r]
            row = grid[r]
            for c in range(n):
                if not row[c]:
                    mask = static[r][c] & ~(taken | col_used[c])
                    k = cage_of[(r, c)]
                    if empty[k] == 1:
                        if k not in forced:
                            forced[k] = last_value(k)
                        mask &= forced[k]
                    count = mask.bit_count()
                    if count < best_count:
                        best, best_mask, best_count = (r, c), mask, count
                        if count <= 1:
                            break
            if best_count <= 1:
                break
        r, c = best
        for v in range(1, n + 1):
            if not best_mask >> v & 1 or not fits(r, c, v):
                continue
            grid[r][c] = v
            row_used[r] |= 1 << v
            col_used[c] |= 1 << v
            empty[cage_of[(r, c)]] -= 1
            go = rec(filled + 1)
            empty[cage_of[(r, c)]] += 1
            grid[r][c] = 0
            row_used[r] &= ~(1 << v)
            col_used[c] &= ~(1 << v)
            if not go:
                return False
        return True

    rec(0)
    return sols, nodes <= _NODE_LIMIT


@register_family
class Calcudoku(LogicFamily):
    """Calcudoku / KenKen: fill an NxN grid with 1..N, each once per row and column, so that the
    values of every cage combine to the cage's target with its operation (`-` and `/` cages have
    two cells, in either order). Difficulty sets N: 4,4,5,5,6,6,7,7,8,9 for 1..10; `size` is
    the number of cells. Unique solution (revealed values are added while the solver finds two).
    """

    name = "calcudoku"
    title = "Calcudoku"
    description = "KenKen: a Latin square whose cages must reach a target with + - * /."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = "grid side 4,4,5,5,6,6,7,7,8,9 (size = cells); unique solution"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIZES[max(1, min(10, int(difficulty))) - 1]
        square = random_latin_square(rng, n)
        cages = []
        for cells in _cages(rng, n):
            op, target = _operation(rng, [square[r][c] for r, c in cells])
            cages.append({"cells": [list(x) for x in cells], "op": op, "target": target})
        solver_cages = [
            {"cells": [tuple(x) for x in cg["cells"]], "op": cg["op"], "target": cg["target"]}
            for cg in cages
        ]
        givens: dict[tuple[int, int], int] = {}
        for _ in range(n * n):
            sols, finished = solve(n, solver_cages, givens)
            if finished and len(sols) == 1:
                break
            free = [(r, c) for r in range(n) for c in range(n) if (r, c) not in givens]
            if not free:
                break
            other = next((s for s in sols if s != square), None)
            differ = [(r, c) for r, c in free if other is not None and other[r][c] != square[r][c]]
            # an unfinished search (budget out) reveals several cells at once, to stay bounded
            pool = differ or free
            for r, c in rng.sample(pool, 1 if finished else min(len(pool), n // 2)):
                givens[(r, c)] = square[r][c]
        owner = [[""] * n for _ in range(n)]
        for k, cg in enumerate(cages):
            for r, c in cg["cells"]:
                owner[r][c] = region_label(k)
        width = max(len(x) for row in owner for x in row)
        grid = "\n".join(" ".join(x.ljust(width) for x in row).rstrip() for row in owner)
        rules = "\n".join(
            f"{region_label(k)}: {cg['target']}" + ("" if cg["op"] == "=" else f" {cg['op']}")
            for k, cg in enumerate(cages)
        )
        given_txt = (
            "Values already filled in (row, column = value), counted from 1: "
            + ", ".join(f"({r + 1}, {c + 1} = {v})" for (r, c), v in sorted(givens.items()))
            + ".\n"
            if givens
            else ""
        )
        question = (
            f"Calcudoku (KenKen). Fill the {n}x{n} grid with the numbers 1 to {n} so that each "
            "number appears exactly once in every row and every column. The grid is divided into "
            "cages (cells sharing a label):\n\n"
            f"{grid}\n\n"
            "Each cage shows a target and an operation: the cage's numbers combined with the "
            "operation must give the target (`+` sum, `*` product; `-` and `/` cages have two "
            "cells and take the larger number minus / divided by the smaller). A cage with no "
            "operation is a single cell holding its target. Numbers may repeat inside a cage if "
            "the row and column rule allows it.\n"
            f"{rules}\n"
            f"{given_txt}"
            f"Answer format: {n} lines, each with the {n} numbers of one row separated by spaces, "
            "for example for a 3x3 grid:\n1 2 3\n3 1 2\n2 3 1\n"
            "Put your grid inside <answer></answer>."
        )
        return make_task(
            question,
            square,
            n * n,
            n=n,
            cages=cages,
            givens=[[r, c, v] for (r, c), v in sorted(givens.items())],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = _parse_numbers(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n} lines of {n} numbers")
        full = set(range(1, n + 1))
        for r in range(n):
            if set(grid[r]) != full:
                return Verdict.incorrect(f"row {r + 1} is not a permutation of 1..{n}")
        for c in range(n):
            if {grid[r][c] for r in range(n)} != full:
                return Verdict.incorrect(f"column {c + 1} is not a permutation of 1..{n}")
        for k, cage in enumerate(task.metadata["cages"]):
            values = [grid[r][c] for r, c in cage["cells"]]
            if not _cage_ok(cage["op"], cage["target"], values):
                return Verdict.incorrect(f"cage {region_label(k)} does not reach its target")
        for r, c, v in task.metadata["givens"]:
            if grid[r][c] != v:
                return Verdict.incorrect(f"given value at ({r + 1},{c + 1}) changed")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return "\n".join(" ".join(str(v) for v in row) for row in task.answer)


def _parse_numbers(answer: str, n: int) -> list[list[int]] | None:
    """n rows of n integers; digits may be run together when every value is one digit."""
    lines = [ln for ln in answer.strip().splitlines() if _NUM.search(ln)]
    if len(lines) != n:
        return None
    grid = []
    for line in lines:
        nums = _NUM.findall(line)
        if len(nums) == 1 and len(nums[0]) == n and n <= 9:
            nums = list(nums[0])
        if len(nums) != n or any(len(x) > 3 for x in nums):
            return None
        grid.append([int(x) for x in nums])
    return grid
