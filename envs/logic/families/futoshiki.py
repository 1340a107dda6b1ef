"""Futoshiki: a Latin square where some neighbouring cells carry a `<` / `>` sign.

Difficulty sets the grid side (4 to 7, `size` = number of cells) and how few clues are kept:
clues are dropped one at a time in random order while a solver still finds one solution.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_grid
from gymhub.envs.logic.latin import check_square, random_latin_square
from gymhub.types import Task, Verdict

# difficulty -> (side, share of removable clues to try removing)
LEVELS = {
    1: (4, 0.5),
    2: (4, 0.8),
    3: (4, 1.0),
    4: (5, 0.6),
    5: (5, 0.8),
    6: (5, 0.9),
    7: (6, 0.7),
    8: (6, 0.8),
    9: (7, 0.6),
    10: (7, 0.7),
}
NODE_LIMIT = 2_500  # per uniqueness check; running out keeps the clue

Ineq = tuple[int, int, int, int]  # (r1, c1, r2, c2): cell 1 < cell 2


def count_solutions(n: int, givens: list[list[int]], ineqs: list[Ineq], limit: int = 2) -> int:
    """Solutions of the puzzle, up to `limit`; running out of nodes also returns `limit`."""
    less: dict[tuple[int, int], list[tuple[int, int]]] = {}
    more: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r1, c1, r2, c2 in ineqs:
        less.setdefault((r1, c1), []).append((r2, c2))  # (r1,c1) < (r2,c2)
        more.setdefault((r2, c2), []).append((r1, c1))
    grid = [row[:] for row in givens]
    rows = [0] * n
    cols = [0] * n
    full = (1 << (n + 1)) - 2
    for r in range(n):
        for c in range(n):
            if grid[r][c]:
                rows[r] |= 1 << grid[r][c]
                cols[c] |= 1 << grid[r][c]
    found = 0
    nodes = 0

    def allowed(r: int, c: int) -> int:
        mask = full & ~(rows[r] | cols[c])
        for rr, cc in less.get((r, c), ()):
            v = grid[rr][cc]
            if v:
                mask &= (1 << v) - 1  # below v
        for rr, cc in more.get((r, c), ()):
            v = grid[rr][cc]
            if v:
                mask &= ~((1 << (v + 1)) - 1)  # above v
        return mask

    def solve() -> bool:
        nonlocal found, nodes
        nodes += 1
        if nodes > NODE_LIMIT:
            found = limit
            return True
        best = None
        best_mask = 0
        best_count = n + 1
        for r in range(n):
            for c in range(n):
                if not grid[r][c]:
                    mask = allowed(r, c)
                    k = bin(mask).count("1")
                    if k < best_count:
                        best, best_mask, best_count = (r, c), mask, k
        if best is None:
            found += 1
            return found >= limit
        if best_count == 0:
            return False
        r, c = best
        for v in range(1, n + 1):
            if best_mask >> v & 1:
                grid[r][c] = v
                rows[r] |= 1 << v
                cols[c] |= 1 << v
                stop = solve()
                grid[r][c] = 0
                rows[r] ^= 1 << v
                cols[c] ^= 1 << v
                if stop:
                    return True
        return False

    solve()
    return found


def _render(n: int, givens: list[list[int]], ineqs: list[Ineq]) -> str:
    """The grid with `<`/`>` between cells of a row and `^`/`v` between rows."""
    horizontal = {}
    vertical = {}
    for r1, c1, r2, c2 in ineqs:
        if r1 == r2:
            left = min(c1, c2)
            horizontal[(r1, left)] = "<" if c1 == left else ">"
        else:
            top = min(r1, r2)
            vertical[(top, c1)] = "^" if r1 == top else "v"
    lines = []
    for r in range(n):
        cells = []
        for c in range(n):
            cells.append(str(givens[r][c]) if givens[r][c] else ".")
            if c < n - 1:
                cells.append(f" {horizontal.get((r, c), ' ')} ")
        lines.append("".join(cells).rstrip())
        if r < n - 1:
            lines.append("".join(f"{vertical.get((r, c), ' ')}   " for c in range(n)).rstrip())
    return "\n".join(lines)


@register_family
class Futoshiki(LogicFamily):
    name = "futoshiki"
    title = "Futoshiki"
    description = "Futoshiki: a Latin square with inequality signs between neighbours; unique."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "side 4 (d1-3), 5 (d4-6), 6 (d7-8), 7 (d9-10), size = cells; within a side, more clues "
        "(givens and signs) are removed as difficulty grows"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = LEVELS[difficulty]
        solution = random_latin_square(rng, n)
        ineqs: list[Ineq] = []
        for r in range(n):
            for c in range(n):
                for r2, c2 in ((r, c + 1), (r + 1, c)):
                    if r2 < n and c2 < n and rng.random() < 0.5:
                        a, b = (r, c), (r2, c2)
                        if solution[r][c] > solution[r2][c2]:
                            a, b = b, a
                        ineqs.append((a[0], a[1], b[0], b[1]))
        givens = [row[:] for row in solution]
        # every clue starts present (unique); drop givens first, then signs, while unique
        cells = [(r, c) for r in range(n) for c in range(n)]
        rng.shuffle(cells)
        for r, c in cells[: int(len(cells) * share)]:
            keep = givens[r][c]
            givens[r][c] = 0
            if count_solutions(n, givens, ineqs) != 1:
                givens[r][c] = keep
        active = list(ineqs)
        order = list(ineqs)
        rng.shuffle(order)
        for item in order[: int(len(order) * share * 0.5)]:
            trial = [i for i in active if i != item]
            if count_solutions(n, givens, trial) == 1:
                active = trial
        signs = sorted(active)
        listing = "; ".join(f"R{a + 1}C{b + 1} < R{c + 1}C{d + 1}" for a, b, c, d in signs)
        question = (
            f"Solve this {n}x{n} Futoshiki. Fill every '.' with a digit from 1 to {n} so that "
            "each row and each column contains every digit exactly once, and every inequality "
            "holds. In the picture, `<` and `>` compare horizontal neighbours, `^` means the cell "
            "above is smaller than the cell below and `v` means it is larger. Given digits must "
            "not change.\n\n"
            f"{_render(n, givens, signs)}\n\n"
            f"The same inequalities as a list (R = row, C = column, from 1): "
            f"{listing or 'none'}.\n\n"
            f"Answer with the completed grid: {n} lines of {n} digits separated by spaces (for "
            f"example a line `{' '.join(str(i) for i in range(1, n + 1))}`), inside "
            "<answer></answer>."
        )
        return make_task(
            question, solution, n * n, n=n, givens=givens, ineqs=[list(i) for i in signs]
        )

    def check(self, task: Task, answer: str) -> Verdict:
        def broken_sign(grid: list[list[int]]) -> str | None:
            for r1, c1, r2, c2 in task.metadata["ineqs"]:
                if not grid[r1][c1] < grid[r2][c2]:
                    return f"R{r1 + 1}C{c1 + 1} < R{r2 + 1}C{c2 + 1} does not hold"
            return None

        return check_square(answer, task.metadata["n"], task.metadata["givens"], broken_sign)

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer)
