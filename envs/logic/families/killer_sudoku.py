"""Killer sudoku: a sudoku whose clues are cages: every cage's digits add up to its sum and
never repeat (plus the usual rows, columns and boxes).

Generation: a random full sudoku (the `sudoku` family's generator), cages grown at random over
it (1 to 4 cells, sizes growing with difficulty), the cage sums as clues. A bounded solver
counts solutions; while a second one exists (or the budget runs out) a gold digit where two
solutions differ is revealed as a given, so every puzzle is unique. The verifier checks the
rules, not the stored grid.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.sudoku import _solution
from gymhub.envs.logic.grids import format_grid, read_digit_grid, region_label
from gymhub.types import Task, Verdict

# difficulty -> (box rows, box cols, largest cage)
_LEVELS = {
    1: (2, 2, 2),
    2: (2, 2, 3),
    3: (2, 2, 4),
    4: (2, 3, 2),
    5: (2, 3, 3),
    6: (2, 3, 4),
    7: (2, 3, 5),
    8: (3, 3, 2),
    9: (3, 3, 3),
    10: (3, 3, 4),
}
_NODE_LIMIT = 3_000


def _cages(rng: random.Random, solution: list[list[int]], largest: int) -> list[list[int]]:
    """A cage number per cell: connected cages of 1..largest cells, never two equal digits of
    `solution` in one cage."""
    n = len(solution)
    cage = [[-1] * n for _ in range(n)]
    order = [(r, c) for r in range(n) for c in range(n)]
    rng.shuffle(order)
    k = 0
    for r, c in order:
        if cage[r][c] >= 0:
            continue
        size = rng.randint(1, largest) if largest > 1 else 1
        size = max(size, 2) if largest > 2 else size
        members = [(r, c)]
        cage[r][c] = k
        while len(members) < size:
            options = [
                (a, b)
                for x, y in members
                for a, b in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1))
                if 0 <= a < n
                and 0 <= b < n
                and cage[a][b] < 0
                and all(solution[a][b] != solution[x][y] for x, y in members)
            ]
            if not options:
                break
            a, b = rng.choice(sorted(set(options)))
            cage[a][b] = k
            members.append((a, b))
        k += 1
    return cage


def solve(
    br: int, bc: int, cage: list[list[int]], sums: list[int], givens: dict, limit: int = 2
) -> tuple[list[list[list[int]]], bool]:
    """Up to `limit` solutions and whether the search finished within the node budget."""
    n = br * bc
    cells = [(r, c) for r in range(n) for c in range(n)]
    size = [0] * len(sums)
    for r, c in cells:
        size[cage[r][c]] += 1
    rows, cols, boxes, cages = [0] * n, [0] * n, [0] * n, [0] * len(sums)
    total, left = [0] * len(sums), list(size)
    grid = [[0] * n for _ in range(n)]
    sols: list[list[list[int]]] = []
    nodes = 0

    def rec(i: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return True
        if i == len(cells):
            sols.append([list(row) for row in grid])
            return len(sols) >= limit
        r, c = cells[i]
        b, k = (r // br) * (n // bc) + c // bc, cage[r][c]
        taken = rows[r] | cols[c] | boxes[b] | cages[k]
        digits = [givens[(r, c)]] if (r, c) in givens else range(1, n + 1)
        for d in digits:
            if taken >> d & 1:
                continue
            rest, need = left[k] - 1, sums[k] - total[k] - d
            if rest == 0 and need != 0:
                continue
            if rest and not rest * (rest + 1) // 2 <= need <= rest * (2 * n - rest + 1) // 2:
                continue
            bit = 1 << d
            rows[r] |= bit
            cols[c] |= bit
            boxes[b] |= bit
            cages[k] |= bit
            total[k] += d
            left[k] -= 1
            grid[r][c] = d
            stop = rec(i + 1)
            rows[r] &= ~bit
            cols[c] &= ~bit
            boxes[b] &= ~bit
            cages[k] &= ~bit
            total[k] -= d
            left[k] += 1
            if stop:
                return True
        grid[r][c] = 0
        return False

    rec(0)
    return sols, nodes <= _NODE_LIMIT


@register_family
class KillerSudoku(LogicFamily):
    """Fill the grid so rows, columns and boxes hold each digit once and every cage sums to its
    clue without repeats; unique.

    Accepted: exactly n x n digits in reading order, any layout or separators. Not accepted: any
    other count of digits.
    """

    name = "killer_sudoku"
    title = "KillerSudoku"
    description = "Killer sudoku: a sudoku whose clues are cage sums; unique."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "grid 4x4 (d1-3), 6x6 (d4-7), 9x9 (d8-10), size = cells; largest cage 2..5 cells; "
        "digits revealed only where needed for uniqueness"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        br, bc, largest = _LEVELS[difficulty]
        n = br * bc
        solution = _solution(rng, br, bc)
        cage = _cages(rng, solution, largest)
        sums = [0] * (max(map(max, cage)) + 1)
        for r in range(n):
            for c in range(n):
                sums[cage[r][c]] += solution[r][c]
        givens: dict[tuple[int, int], int] = {}
        if n == 9:  # start 9x9 grids from a few givens to keep the proofs bounded
            cells = [(r, c) for r in range(n) for c in range(n)]
            for r, c in rng.sample(cells, 18):
                givens[(r, c)] = solution[r][c]
        for _ in range(n * n):
            sols, finished = solve(br, bc, cage, sums, givens)
            if finished and len(sols) == 1:
                break
            pool = [
                (r, c)
                for r in range(n)
                for c in range(n)
                if (r, c) not in givens and (len(sols) < 2 or sols[0][r][c] != sols[1][r][c])
            ]
            pool = pool or [(r, c) for r in range(n) for c in range(n) if (r, c) not in givens]
            if not pool:
                break
            r, c = rng.choice(pool)
            givens[(r, c)] = solution[r][c]
        cage_rows = "\n".join(" ".join(region_label(k) for k in row) for row in cage)
        shown = [[givens.get((r, c), 0) for c in range(n)] for r in range(n)]
        given_rows = "\n".join(" ".join(str(v) if v else "." for v in row) for row in shown)
        listing = ", ".join(f"{region_label(k)}={s}" for k, s in enumerate(sums))
        question = (
            f"Killer sudoku on a {n}x{n} grid with {br}x{bc} boxes. Fill every cell with a digit "
            f"1-{n} so that each row, each column and each box holds every digit once, and the "
            "digits of each cage add up to the cage's sum with no digit repeated inside a cage.\n"
            f"Cages (one letter per cell):\n{cage_rows}\n\nCage sums: {listing}\n\n"
            f"Given digits (`.` = empty):\n{given_rows}\n\n"
            f"Answer with the grid: {n} lines of {n} digits separated by spaces (for example a "
            f"line `{' '.join(str(i) for i in range(1, n + 1))}`), inside <answer></answer>."
        )
        return make_task(
            question,
            solution,
            n * n,
            box=[br, bc],
            cage=cage,
            sums=sums,
            givens=[[r, c, d] for (r, c), d in sorted(givens.items())],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        br, bc = task.metadata["box"]
        n = br * bc
        grid = read_digit_grid(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n}x{n} = {n * n} digits")
        want = set(range(1, n + 1))
        for i in range(n):
            if set(grid[i]) != want:
                return Verdict.incorrect(f"row {i + 1} does not hold 1-{n} once each")
            if {grid[r][i] for r in range(n)} != want:
                return Verdict.incorrect(f"column {i + 1} does not hold 1-{n} once each")
        for b in range(n):
            r0, c0 = (b // (n // bc)) * br, (b % (n // bc)) * bc
            if {grid[r][c] for r in range(r0, r0 + br) for c in range(c0, c0 + bc)} != want:
                return Verdict.incorrect(f"box {b + 1} does not hold 1-{n} once each")
        for r, c, d in task.metadata["givens"]:
            if grid[r][c] != d:
                return Verdict.incorrect(f"given digit at ({r + 1},{c + 1}) changed")
        cage, sums = task.metadata["cage"], task.metadata["sums"]
        seen: dict[int, list[int]] = {}
        for r in range(n):
            for c in range(n):
                seen.setdefault(cage[r][c], []).append(grid[r][c])
        for k, digits in sorted(seen.items()):
            if len(set(digits)) != len(digits) or sum(digits) != sums[k]:
                return Verdict.incorrect(f"cage {region_label(k)} breaks its sum or repeats")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer)
