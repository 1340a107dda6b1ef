"""Minesweeper: from the revealed numbers (and the total mine count), locate every mine.

Difficulty sets the board (4x4 to 9x9, `size` = cells) and the share of safe cells left hidden.
Safe cells are hidden one at a time in random order, each only while a solver still proves the
mine positions unique, so the answer is forced by the numbers.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import format_coordinates, read_coordinates
from gymhub.types import Task, Verdict

# difficulty -> (side, mine density, share of safe cells to try hiding)
LEVELS = {
    1: (4, 0.15, 0.2),
    2: (5, 0.15, 0.25),
    3: (5, 0.18, 0.35),
    4: (6, 0.18, 0.35),
    5: (6, 0.2, 0.45),
    6: (7, 0.2, 0.45),
    7: (7, 0.2, 0.55),
    8: (8, 0.2, 0.55),
    9: (8, 0.2, 0.65),
    10: (9, 0.2, 0.65),
}
NODE_LIMIT = 5_000


def neighbours(n: int, r: int, c: int) -> list[tuple[int, int]]:
    return [
        (r + dr, c + dc)
        for dr in (-1, 0, 1)
        for dc in (-1, 0, 1)
        if (dr or dc) and 0 <= r + dr < n and 0 <= c + dc < n
    ]


def count_layouts(
    n: int,
    numbers: dict[tuple[int, int], int],
    hidden: list[tuple[int, int]],
    mines: int,
    limit: int = 2,
) -> int:
    """Mine layouts over the hidden cells that fit every number and the total, up to `limit`
    (running out of nodes also returns `limit`)."""
    index = {cell: i for i, cell in enumerate(hidden)}
    constraints = []  # (hidden-cell indices, required mines)
    for (r, c), value in numbers.items():
        cells = [index[x] for x in neighbours(n, r, c) if x in index]
        constraints.append((cells, value))
    by_cell: list[list[int]] = [[] for _ in hidden]
    for k, (cells, _) in enumerate(constraints):
        for i in cells:
            by_cell[i].append(k)
    # assign constrained cells first (in constraint order), unconstrained ones last
    order = sorted(range(len(hidden)), key=lambda i: (not by_cell[i], min(by_cell[i], default=0)))
    assigned = [-1] * len(hidden)
    placed = [0] * len(constraints)
    open_cells = [len(cells) for cells, _ in constraints]
    found = 0
    nodes = 0
    total = len(hidden)

    def solve(pos: int, used: int) -> bool:
        nonlocal found, nodes
        nodes += 1
        if nodes > NODE_LIMIT:
            found = limit
            return True
        left = total - pos
        if used > mines or used + left < mines:
            return False
        if pos == total:
            found += 1
            return found >= limit
        i = order[pos]
        for v in (0, 1):
            ok = True
            for k in by_cell[i]:
                p, o = placed[k] + v, open_cells[k] - 1
                need = constraints[k][1]
                if p > need or p + o < need:
                    ok = False
                    break
            if not ok:
                continue
            assigned[i] = v
            for k in by_cell[i]:
                placed[k] += v
                open_cells[k] -= 1
            stop = solve(pos + 1, used + v)
            for k in by_cell[i]:
                placed[k] -= v
                open_cells[k] += 1
            assigned[i] = -1
            if stop:
                return True
        return False

    solve(0, 0)
    return found


@register_family
class Minesweeper(LogicFamily):
    name = "minesweeper"
    title = "Minesweeper"
    description = "Minesweeper: deduce every mine from the revealed numbers; the layout is unique."
    difficulty_doc = (
        "side "
        + ", ".join(f"d{d}: {v[0]}" for d, v in LEVELS.items())
        + "; size = cells; more mines and a growing share of hidden safe cells"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, density, share = LEVELS[difficulty]
        cells = [(r, c) for r in range(n) for c in range(n)]
        mines = sorted(rng.sample(cells, max(1, round(density * n * n))))
        mine_set = set(mines)
        numbers = {
            cell: sum(x in mine_set for x in neighbours(n, *cell))
            for cell in cells
            if cell not in mine_set
        }
        hidden = list(mines)  # all safe cells shown: the layout is trivially unique
        safe = [cell for cell in cells if cell not in mine_set]
        rng.shuffle(safe)
        for cell in safe[: int(len(safe) * share)]:
            value = numbers.pop(cell)
            if count_layouts(n, numbers, [*hidden, cell], len(mines)) == 1:
                hidden.append(cell)
            else:
                numbers[cell] = value
        picture = "\n".join(
            " ".join(str(numbers[(r, c)]) if (r, c) in numbers else "?" for c in range(n))
            for r in range(n)
        )
        question = (
            f"Minesweeper on a {n}x{n} board with exactly {len(mines)} mines. A number is a "
            "revealed safe cell and tells how many of its (up to 8) neighbours, diagonals "
            "included, are mines. '?' is a hidden cell, which may or may not be a mine.\n\n"
            f"{picture}\n\n"
            "Find the position of every mine. Cells are (row, column), numbered from 1 at the "
            "top-left. Answer with all mine cells separated by commas, for example "
            "`(1,2), (3,4)`, inside <answer></answer>."
        )
        gold = [[r + 1, c + 1] for r, c in mines]
        grid = [[numbers.get((r, c), -1) for c in range(n)] for r in range(n)]
        return make_task(question, gold, n * n, n=n, grid=grid, mines=len(mines))

    def check(self, task: Task, answer: str) -> Verdict:
        n, grid = task.metadata["n"], task.metadata["grid"]
        cells = read_coordinates(answer, limit=n * n)
        if cells is None:
            return Verdict.unparseable("expected a list of (row, column) pairs")
        mines = {(r - 1, c - 1) for r, c in cells}
        if len(mines) != len(cells):
            return Verdict.incorrect("a cell is listed twice")
        if len(mines) != task.metadata["mines"]:
            return Verdict.incorrect(
                f"{len(mines)} mines given, the board has {task.metadata['mines']}"
            )
        for r, c in mines:
            if not (0 <= r < n and 0 <= c < n):
                return Verdict.incorrect(f"({r + 1},{c + 1}) is outside the board")
            if grid[r][c] >= 0:
                return Verdict.incorrect(f"({r + 1},{c + 1}) is a revealed safe cell")
        for r in range(n):
            for c in range(n):
                if grid[r][c] >= 0:
                    count = sum(x in mines for x in neighbours(n, r, c))
                    if count != grid[r][c]:
                        return Verdict.incorrect(f"the number at ({r + 1},{c + 1}) is not met")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_coordinates([tuple(p) for p in task.answer])
