"""Campsite (Tents): pitch one tent next to every tree so that row and column counts match.

Generation: tents scattered so that none touch, a tree placed next to each, counts read off.
A bounded solver counts solutions; while a second exists, a gold tent where they differ is
revealed, so the puzzle has exactly one solution (the verifier checks the rules anyway).
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines, orth, symbol_cells
from gymhub.types import Task, Verdict

_SIZES = (5, 5, 6, 6, 7, 7, 8, 8, 9, 10)  # grid side per difficulty 1..10
_NODE_LIMIT = 20_000
_TENT = frozenset("XxA^*")
_EMPTY = frozenset(".-_")

Cell = tuple[int, int]


def perfect_matching(tents: list[Cell], trees: list[Cell]) -> bool:
    """Whether every tent can be paired with its own orthogonally adjacent tree (Kuhn)."""
    if len(tents) != len(trees):
        return False
    tree_set = set(trees)
    owner: dict[Cell, Cell] = {}

    def augment(tent: Cell, seen: set[Cell]) -> bool:
        r, c = tent
        for tree in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if tree in tree_set and tree not in seen:
                seen.add(tree)
                if tree not in owner or augment(owner[tree], seen):
                    owner[tree] = tent
                    return True
        return False

    return all(augment(tent, set()) for tent in tents)


def solve(
    n: int,
    trees: list[Cell],
    row_counts: list[int],
    col_counts: list[int],
    known: list[Cell],
    limit: int = 2,
) -> tuple[list[list[Cell]], bool]:
    """Up to `limit` solutions (tent lists) containing the `known` tents; False when the node
    budget ran out first. Cells next to a tree are decided in row-major order."""
    tree_set = set(trees)
    cand = sorted({x for t in trees for x in orth(t, n) if x not in tree_set})
    index = {cell: i for i, cell in enumerate(cand)}
    known_set = set(known)
    # candidates left in each row / column from position i on
    row_left = [[0] * n for _ in range(len(cand) + 1)]
    col_left = [[0] * n for _ in range(len(cand) + 1)]
    for i in range(len(cand) - 1, -1, -1):
        row_left[i] = row_left[i + 1][:]
        col_left[i] = col_left[i + 1][:]
        row_left[i][cand[i][0]] += 1
        col_left[i][cand[i][1]] += 1
    # trees whose last candidate neighbour is cand[i]: checkable once cand[i] is decided
    closes: list[list[Cell]] = [[] for _ in cand]
    for t in trees:
        last = max(index[x] for x in orth(t, n) if x in index)
        closes[last].append(t)
    rows = [0] * n
    cols = [0] * n
    tents: set[Cell] = set()
    sols: list[list[Cell]] = []
    nodes = 0

    def feasible(i: int) -> bool:
        for r in range(n):
            if rows[r] > row_counts[r] or rows[r] + row_left[i][r] < row_counts[r]:
                return False
        for c in range(n):
            if cols[c] > col_counts[c] or cols[c] + col_left[i][c] < col_counts[c]:
                return False
        for t in closes[i - 1] if i else ():
            if not any(x in tents for x in orth(t, n)):
                return False
        return True

    def rec(i: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return False
        if not feasible(i):
            return True
        if i == len(cand):
            found = sorted(tents)
            if perfect_matching(found, trees):
                sols.append(found)
            return len(sols) < limit
        r, c = cand[i]
        touching = any(
            (r + dr, c + dc) in tents for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc
        )
        options = (True,) if cand[i] in known_set else (True, False)
        for put in options:
            if put and touching:
                continue
            if put:
                tents.add(cand[i])
                rows[r] += 1
                cols[c] += 1
            go = rec(i + 1)
            if put:
                tents.discard(cand[i])
                rows[r] -= 1
                cols[c] -= 1
            if not go:
                return False
        return True

    rec(0)
    return sols, nodes <= _NODE_LIMIT


@register_family
class Campsite(LogicFamily):
    """Campsite (Tents): put tents in empty cells so that every tree has its own tent directly
    next to it (tents and trees pair up one to one, orthogonally adjacent), no two tents touch,
    not even diagonally, and each row and column holds the number of tents shown. Difficulty
    sets the grid side (5,5,6,6,7,7,8,8,9,10 for 1..10); `size` is the number of cells. Unique
    solution (solver-checked; known tents are revealed while a second solution exists)."""

    name = "campsite"
    title = "Campsite"
    description = "Tents: pitch one tent beside every tree, with row and column tent counts."
    difficulty_doc = "grid side 5,5,6,6,7,7,8,8,9,10 (size = cells); unique solution"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIZES[max(1, min(10, int(difficulty))) - 1]
        cells = [(r, c) for r in range(n) for c in range(n)]
        order = cells[:]
        rng.shuffle(order)
        tents: list[Cell] = []
        trees: list[Cell] = []
        taken: set[Cell] = set()
        goal = max(3, round(n * n / 5))
        for r, c in order:
            if len(tents) >= goal:
                break
            if (r, c) in taken or any(
                (r + dr, c + dc) in tents for dr in (-1, 0, 1) for dc in (-1, 0, 1)
            ):
                continue
            spots = [x for x in orth((r, c), n) if x not in taken and x not in tents]
            if not spots:
                continue
            tree = rng.choice(spots)
            tents.append((r, c))
            trees.append(tree)
            taken.update({(r, c), tree})
        tents.sort()
        trees.sort()
        row_counts = [sum(1 for t in tents if t[0] == r) for r in range(n)]
        col_counts = [sum(1 for t in tents if t[1] == c) for c in range(n)]
        known: list[Cell] = []
        for _ in range(len(tents)):
            sols, finished = solve(n, trees, row_counts, col_counts, known)
            if finished and len(sols) == 1:
                break
            other = next((s for s in sols if s != tents), [])
            differ = [t for t in tents if t not in known and t not in other]
            pool = [t for t in tents if t not in known]
            known.append(rng.choice(differ or pool))
        known.sort()
        tree_set = set(trees)
        known_set = set(known)
        body = []
        for r in range(n):
            row = "".join(
                "T" if (r, c) in tree_set else "X" if (r, c) in known_set else "." for c in range(n)
            )
            body.append(f"{row}  {row_counts[r]}")
        body.append("".join(str(x % 10) if x < 10 else "+" for x in col_counts))
        table = "\n".join(body)
        question = (
            f"Campsite (Tents). The {n}x{n} grid below shows trees (T) and empty cells (.)"
            + (", and some tents already placed (X)" if known else "")
            + ". The number after each row is how many tents that row holds; the digits under "
            "the grid are the tent counts of the columns.\n\n"
            f"{table}\n\n"
            "Rules: place tents on empty cells so that (1) tents and trees pair up one to one, "
            "each tent directly above, below, left or right of its own tree; (2) no two tents "
            "touch, not even diagonally; (3) every row and column holds the number of tents "
            "shown.\n"
            f"Answer format: the whole grid, {n} lines of {n} characters: T for a tree, X for a "
            "tent, . for an empty cell. For example a 3x3 grid with one tree and its tent:\n"
            ".T.\n.X.\n...\n"
            "Put your grid inside <answer></answer>."
        )
        return make_task(
            question,
            [list(t) for t in tents],
            n * n,
            n=n,
            trees=[list(t) for t in trees],
            row_counts=row_counts,
            col_counts=col_counts,
            known=[list(t) for t in known],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        trees = [tuple(t) for t in task.metadata["trees"]]
        tree_set = set(trees)
        lines = answer_lines(answer)
        if len(lines) == n + 1 and re.fullmatch(r"[\d+\s]+", lines[-1]):
            lines = lines[:-1]  # the column counts copied from the question
        # row counts copied from the question ("T.X.  2") are not cells
        lines = [re.sub(r"\s+\d+\s*$", "", ln) if len(ln.strip()) > n else ln for ln in lines]
        grid = [symbol_cells(ln) for ln in lines]
        if len(grid) != n or any(len(row) != n for row in grid):
            return Verdict.unparseable(f"expected {n} lines of {n} cells (T, X, .)")
        tents: list[Cell] = []
        for r in range(n):
            for c in range(n):
                ch = grid[r][c]
                if (r, c) in tree_set:
                    if ch not in "Tt":
                        return Verdict.incorrect(f"the tree at ({r + 1},{c + 1}) is missing")
                elif ch in _TENT:
                    tents.append((r, c))
                elif ch in "Tt":
                    return Verdict.incorrect(f"no tree at ({r + 1},{c + 1})")
                elif ch not in _EMPTY:
                    return Verdict.unparseable(f"unknown cell {ch!r}; use T, X or .")
        for r in range(n):
            if sum(1 for t in tents if t[0] == r) != task.metadata["row_counts"][r]:
                return Verdict.incorrect(f"row {r + 1} has the wrong number of tents")
        for c in range(n):
            if sum(1 for t in tents if t[1] == c) != task.metadata["col_counts"][c]:
                return Verdict.incorrect(f"column {c + 1} has the wrong number of tents")
        tent_set = set(tents)
        for r, c in tents:
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    if (dr or dc) and (r + dr, c + dc) in tent_set:
                        return Verdict.incorrect(f"the tent at ({r + 1},{c + 1}) touches another")
        if not perfect_matching(tents, trees):
            return Verdict.incorrect("tents and trees cannot be paired one to one")
        for r, c in task.metadata["known"]:
            if (r, c) not in tent_set:
                return Verdict.incorrect(f"the given tent at ({r + 1},{c + 1}) is missing")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Gold with a tent dropped, with a tent added on a free cell, and with a tree turned
        into a tent: the solution is unique, so all are wrong."""
        tents = [tuple(t) for t in task.answer]
        trees = {tuple(t) for t in task.metadata["trees"]}
        n = task.metadata["n"]
        free = [(r, c) for r in range(n) for c in range(n) if (r, c) not in trees]
        extra = next(x for x in free if x not in tents)
        gold = self.format_answer(task).splitlines()
        tree = min(trees)
        gold[tree[0]] = gold[tree[0]][: tree[1]] + "X" + gold[tree[0]][tree[1] + 1 :]
        return [
            _render(n, trees, set(tents[1:])),
            _render(n, trees, {*tents, extra}),
            "\n".join(gold),
        ]

    def format_answer(self, task: Task) -> str:
        n = task.metadata["n"]
        trees = {tuple(t) for t in task.metadata["trees"]}
        tents = {tuple(t) for t in task.answer}
        return _render(n, trees, tents)


def _render(n: int, trees: set, tents: set) -> str:
    return "\n".join(
        "".join("T" if (r, c) in trees else "X" if (r, c) in tents else "." for c in range(n))
        for r in range(n)
    )
