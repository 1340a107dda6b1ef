"""Kakuro: fill the white cells with digits 1-9 so that every run of white cells (across or
down) adds up to its clue and holds no digit twice.

Generation: random black cells (every run at least two cells long), a random valid filling,
the runs' sums as clues; a bounded solver then counts solutions and, while a second one
exists, reveals a gold digit where the two differ, so every puzzle is unique (running out of
solver budget also reveals a digit). The verifier checks the rules, not the stored filling.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines
from gymhub.types import Task, Verdict

_NODE_LIMIT = 1_500
_BLACK = frozenset("#.xX*")
_SIDES = (3, 3, 4, 4, 4, 5, 5, 5, 6, 6)


def _shape(difficulty: int) -> tuple[int, float]:
    return _SIDES[difficulty - 1], 0.2 + 0.01 * difficulty


def _combos() -> dict[tuple[int, int], int]:
    """(run length, sum) -> bitmask of the digits that occur in some way to write the sum."""
    out: dict[tuple[int, int], int] = {}
    for mask in range(1, 1 << 9):
        digits = [d + 1 for d in range(9) if mask >> d & 1]
        key = (len(digits), sum(digits))
        out[key] = out.get(key, 0) | sum(1 << d for d in digits)
    return out


COMBOS = _combos()


def runs_of(white: list[list[bool]]) -> list[list[tuple[int, int]]]:
    """Maximal runs of white cells, across then down."""
    n = len(white)
    out = []
    for across in (True, False):
        for a in range(n):
            run: list[tuple[int, int]] = []
            for b in range(n + 1):
                cell = (a, b) if across else (b, a)
                if b < n and white[cell[0]][cell[1]]:
                    run.append(cell)
                else:
                    if len(run) >= 2:
                        out.append(run)
                    run = []
    return out


def _pattern(rng: random.Random, n: int, share: float) -> list[list[bool]]:
    while True:
        white = [[rng.random() >= share for _ in range(n)] for _ in range(n)]
        changed = True
        while changed:
            changed = False
            for r in range(n):
                for c in range(n):
                    if not white[r][c]:
                        continue
                    h = (c > 0 and white[r][c - 1]) or (c < n - 1 and white[r][c + 1])
                    v = (r > 0 and white[r - 1][c]) or (r < n - 1 and white[r + 1][c])
                    if not (h and v):
                        white[r][c] = False
                        changed = True
        if sum(map(sum, white)) >= n * n // 2:
            return white


def solve(
    white: list[list[bool]], sums: list[int], givens: dict, limit: int = 2
) -> tuple[list[dict], bool]:
    """Up to `limit` fillings {cell: digit}, and whether the search finished in budget."""
    runs = runs_of(white)
    cells = [(r, c) for r in range(len(white)) for c in range(len(white)) if white[r][c]]
    member: dict[tuple[int, int], list[int]] = {cell: [] for cell in cells}
    for k, run in enumerate(runs):
        for cell in run:
            member[cell].append(k)
    used = [0] * len(runs)  # digit bitmask per run
    total = [0] * len(runs)
    left = [len(run) for run in runs]
    value: dict[tuple[int, int], int] = {}
    sols: list[dict] = []
    nodes = 0

    allowed = [COMBOS.get((len(run), sums[k]), 0) for k, run in enumerate(runs)]

    def fits(k: int, d: int) -> bool:
        if not allowed[k] >> d & 1:
            return False
        rest = left[k] - 1
        need = sums[k] - total[k] - d
        if rest == 0:
            return need == 0
        return rest * (rest + 1) // 2 <= need <= rest * (19 - rest) // 2

    options = []
    for cell in cells:
        mask = 0x3FE
        for k in member[cell]:
            mask &= allowed[k]
        digits = [d for d in range(1, 10) if mask >> d & 1]
        options.append([givens[cell]] if cell in givens else digits)

    def rec(i: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return True
        if i == len(cells):
            sols.append(dict(value))
            return len(sols) >= limit
        cell = cells[i]
        for d in options[i]:
            if any(used[k] >> d & 1 or not fits(k, d) for k in member[cell]):
                continue
            for k in member[cell]:
                used[k] |= 1 << d
                total[k] += d
                left[k] -= 1
            value[cell] = d
            stop = rec(i + 1)
            del value[cell]
            for k in member[cell]:
                used[k] &= ~(1 << d)
                total[k] -= d
                left[k] += 1
            if stop:
                return True
        return False

    rec(0)
    return sols, nodes <= _NODE_LIMIT


def _random_solve(
    rng: random.Random, white: list[list[bool]], runs: list
) -> tuple[dict | None, int]:
    cells = [(r, c) for r in range(len(white)) for c in range(len(white)) if white[r][c]]
    member: dict[tuple[int, int], list[int]] = {cell: [] for cell in cells}
    for k, run in enumerate(runs):
        for cell in run:
            member[cell].append(k)
    used = [0] * len(runs)
    value: dict[tuple[int, int], int] = {}
    nodes = 0

    def rec(i: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return False
        if i == len(cells):
            return True
        cell = cells[i]
        digits = list(range(1, 10))
        rng.shuffle(digits)
        for d in digits:
            if any(used[k] >> d & 1 for k in member[cell]):
                continue
            for k in member[cell]:
                used[k] |= 1 << d
            value[cell] = d
            if rec(i + 1):
                return True
            del value[cell]
            for k in member[cell]:
                used[k] &= ~(1 << d)
        return False

    return (dict(value) if rec(0) else None), nodes


def read_kakuro(answer: str, n: int) -> list[list[int]] | None:
    """n lines of n cells: a digit 1-9 or a black mark (`#` `.` `x`); 0 for black."""
    lines = answer_lines(answer)
    if len(lines) != n or len(answer) > 20_000:
        return None
    grid = []
    for line in lines:
        cells = [ch for ch in line if not ch.isspace() and ch not in ",|"]
        if len(cells) != n:
            return None
        row = []
        for ch in cells:
            if ch in _BLACK:
                row.append(0)
            elif ch in "123456789":
                row.append(int(ch))
            else:
                return None
        grid.append(row)
    return grid


@register_family
class Kakuro(LogicFamily):
    """Fill the white cells with 1-9 so every run sums to its clue without repeats; unique.

    Accepted: n lines of n cells, a digit for each white cell and `#` (or `.`, `x`) for each
    black cell; spaces, commas and bars between cells ignored. Not accepted: other shapes, a
    digit in a black cell, a black mark in a white cell.
    """

    name = "kakuro"
    title = "Kakuro"
    description = "Kakuro: digits 1-9 in white runs matching their sums, no repeats; unique."
    difficulty_doc = (
        "grid side 3,3,4,4,4,5,5,5,6,6 (size = cells); black share 0.2+0.01d (runs of at "
        "least 2); digits revealed only where needed for uniqueness"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, share = _shape(difficulty)
        while True:
            white = _pattern(rng, n, share)
            filling, _ = _random_solve(rng, white, runs_of(white))
            if filling is not None:
                break
        runs = runs_of(white)
        sums = [sum(filling[cell] for cell in run) for run in runs]
        givens: dict[tuple[int, int], int] = {}
        for _ in range(n * n):
            sols, finished = solve(white, sums, givens)
            if finished and len(sols) == 1:
                break
            diff = [
                cell
                for cell in sorted(filling)
                if cell not in givens and (len(sols) < 2 or sols[0][cell] != sols[1][cell])
            ]
            pool = diff or [cell for cell in sorted(filling) if cell not in givens]
            if not pool:
                break
            cell = rng.choice(pool)
            givens[cell] = filling[cell]
        shown = [
            [
                str(givens[(r, c)]) if (r, c) in givens else "_" if white[r][c] else "#"
                for c in range(n)
            ]
            for r in range(n)
        ]
        clues = []
        for run, total in zip(runs, sums):
            (r0, c0), (r1, c1) = run[0], run[-1]
            if r0 == r1:
                clues.append(f"row {r0 + 1}, columns {c0 + 1}-{c1 + 1}: sum {total}")
            else:
                clues.append(f"column {c0 + 1}, rows {r0 + 1}-{r1 + 1}: sum {total}")
        question = (
            f"Kakuro. In this {n}x{n} grid `#` is a black cell, `_` a white cell to fill and a "
            "digit a given white cell:\n\n" + "\n".join(" ".join(row) for row in shown) + "\n\n"
            "Fill every white cell with a digit 1-9 so that each run of white cells (a maximal "
            "horizontal or vertical line of two or more white cells) adds up to its clue and "
            "contains no digit twice. The runs and their sums (rows and columns counted from "
            "1):\n" + "\n".join(clues) + "\n\n"
            f"Answer with the grid: {n} lines of {n} cells separated by spaces, a digit for "
            "every white cell and `#` for every black cell (for example a line `# 3 1 2`), "
            "inside <answer></answer>."
        )
        gold = [[filling.get((r, c), 0) for c in range(n)] for r in range(n)]
        return make_task(
            question,
            gold,
            n * n,
            n=n,
            white=[[int(x) for x in row] for row in white],
            sums=sums,
            givens=[[r, c, d] for (r, c), d in sorted(givens.items())],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = read_kakuro(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n} lines of {n} cells (digits and #)")
        white = task.metadata["white"]
        for r in range(n):
            for c in range(n):
                if bool(grid[r][c]) != bool(white[r][c]):
                    what = "a digit in a black cell" if grid[r][c] else "a white cell left black"
                    return Verdict.incorrect(f"({r + 1},{c + 1}): {what}")
        for r, c, d in task.metadata["givens"]:
            if grid[r][c] != d:
                return Verdict.incorrect(f"given digit at ({r + 1},{c + 1}) changed")
        runs = runs_of([[bool(x) for x in row] for row in white])
        for run, total in zip(runs, task.metadata["sums"]):
            digits = [grid[r][c] for r, c in run]
            where = f"the run starting at ({run[0][0] + 1},{run[0][1] + 1})"
            if len(set(digits)) != len(digits):
                return Verdict.incorrect(f"{where} repeats a digit")
            if sum(digits) != total:
                return Verdict.incorrect(f"{where} sums to {sum(digits)}, not {total}")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        out = []
        cells = [(r, c) for r, row in enumerate(task.answer) for c, v in enumerate(row) if v]
        for r, c in (cells[0], cells[len(cells) // 2], cells[-1]):
            grid = [list(row) for row in task.answer]
            grid[r][c] = grid[r][c] % 9 + 1
            out.append(_render(grid))
        return out

    def format_answer(self, task: Task) -> str:
        return _render(task.answer)


def _render(grid: list[list[int]]) -> str:
    return "\n".join(" ".join(str(v) if v else "#" for v in row) for row in grid)
