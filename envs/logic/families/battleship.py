"""Battleship (solitaire, also called Bimaru): place a given fleet of straight ships on a grid
so that each row and column holds the stated number of ship cells and no two ships touch, not
even diagonally.

Generation: a random fleet placement, its row and column counts; a bounded solver (ships placed
longest first) counts solutions and, while a second one exists or the budget runs out, reveals
a cell (ship or water) where the gold and another solution differ, so every puzzle is unique.
The verifier checks the rules: counts, the ships' shapes and lengths, no touching, revealed
cells kept.

Multi-turn game `gymhub/Logic-BattleshipGame-v0`: the fleet is hidden; each turn fires at
one cell and gets hit / miss / sunk back; sink the whole fleet within the shot budget (two
thirds of the cells, so firing everywhere does not win) to win.
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._games import Game, Move, register_game
from gymhub.envs.logic.grids import format_grid, read_binary_grid, read_pairs
from gymhub.types import Task, Verdict

_FLEETS = {
    5: (3, 2, 2, 1),
    6: (3, 2, 2, 1, 1),
    7: (4, 3, 2, 2, 1, 1),
    8: (4, 3, 3, 2, 2, 1, 1),
    9: (4, 3, 3, 2, 2, 2, 1, 1, 1),
    10: (4, 3, 3, 2, 2, 2, 1, 1, 1, 1),
}
_NODE_LIMIT = 2_500
_SIDES = (5, 5, 6, 6, 6, 7, 7, 7, 8, 8)

Ship = tuple[int, int, int, bool]  # row, column, length, horizontal


def cells_of(ship: Ship) -> list[tuple[int, int]]:
    r, c, length, horizontal = ship
    return [(r, c + k) if horizontal else (r + k, c) for k in range(length)]


def _positions(n: int, length: int) -> list[Ship]:
    out = []
    for r in range(n):
        for c in range(n):
            for horizontal in (True, False) if length > 1 else (True,):
                ship = (r, c, length, horizontal)
                if all(0 <= a < n and 0 <= b < n for a, b in cells_of(ship)):
                    out.append(ship)
    return out


@functools.cache
def _prepared(n: int, length: int) -> tuple[tuple, ...]:
    """Per position: (cells, (row, cells in it), (column, cells in it), halo cells)."""
    out = []
    for ship in _positions(n, length):
        cells = tuple(cells_of(ship))
        rows = tuple(Counter(r for r, _ in cells).items())
        cols = tuple(Counter(c for _, c in cells).items())
        halo = tuple(
            sorted(
                {
                    (a, b)
                    for r, c in cells
                    for a in range(r - 1, r + 2)
                    for b in range(c - 1, c + 2)
                    if 0 <= a < n and 0 <= b < n
                }
            )
        )
        out.append((cells, rows, cols, halo))
    return tuple(out)


def solve(
    n: int, fleet: tuple[int, ...], rows: list[int], cols: list[int], shown: dict, limit: int = 2
) -> tuple[list[list[list[int]]], bool]:
    """Up to `limit` solution grids (1 = ship) and whether the search finished in budget."""
    grid = [[0] * n for _ in range(n)]
    blocked = [[0] * n for _ in range(n)]  # >0: next to (or on) a placed ship
    row_left, col_left = list(rows), list(cols)
    sols: list[list[list[int]]] = []
    nodes = 0
    options = {length: _prepared(n, length) for length in set(fleet)}
    must = [cell for cell, v in shown.items() if v == 1]
    water = {cell for cell, v in shown.items() if v == 0}

    def place(i: int, start: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return True
        if i == len(fleet):
            if any(row_left) or any(col_left) or any(not grid[r][c] for r, c in must):
                return False
            sols.append([list(row) for row in grid])
            return len(sols) >= limit
        length = fleet[i]
        same = i > 0 and fleet[i - 1] == length
        pool = options[length]
        for k in range(start if same else 0, len(pool)):
            cells, row_need, col_need, halo = pool[k]
            if any(blocked[r][c] for r, c in cells) or (water and not water.isdisjoint(cells)):
                continue
            if any(row_left[r] < m for r, m in row_need) or any(
                col_left[c] < m for c, m in col_need
            ):
                continue
            for r, c in cells:
                grid[r][c] = 1
            for r, m in row_need:
                row_left[r] -= m
            for c, m in col_need:
                col_left[c] -= m
            for a, b in halo:
                blocked[a][b] += 1
            stop = place(i + 1, k + 1)
            for a, b in halo:
                blocked[a][b] -= 1
            for r, c in cells:
                grid[r][c] = 0
            for r, m in row_need:
                row_left[r] += m
            for c, m in col_need:
                col_left[c] += m
            if stop:
                return True
        return False

    place(0, 0)
    return sols, nodes <= _NODE_LIMIT


def _random_fleet(rng: random.Random, n: int, fleet: tuple[int, ...]) -> list[Ship]:
    while True:
        placed: list[Ship] = []
        taken: set[tuple[int, int]] = set()
        for length in fleet:
            pool = [s for s in _positions(n, length) if not set(cells_of(s)) & taken]
            if not pool:
                break
            ship = rng.choice(pool)
            placed.append(ship)
            for r, c in cells_of(ship):
                taken |= {(r + dr, c + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)}
        else:
            return placed


def ship_problem(grid: list[list[int]], fleet: tuple[int, ...]) -> str | None:
    """Why the ship cells of `grid` are not exactly `fleet` as straight, non-touching ships."""
    n = len(grid)
    seen: set[tuple[int, int]] = set()
    lengths = []
    for r in range(n):
        for c in range(n):
            if not grid[r][c] or (r, c) in seen:
                continue
            group, stack = [], [(r, c)]
            seen.add((r, c))
            while stack:
                a, b = stack.pop()
                group.append((a, b))
                for da in (-1, 0, 1):
                    for db in (-1, 0, 1):
                        x, y = a + da, b + db
                        if 0 <= x < n and 0 <= y < n and grid[x][y] and (x, y) not in seen:
                            seen.add((x, y))
                            stack.append((x, y))
            if len({a for a, _ in group}) > 1 and len({b for _, b in group}) > 1:
                return f"the ship cells around ({r + 1},{c + 1}) are not one straight ship"
            lengths.append(len(group))
    if sorted(lengths) != sorted(fleet):
        return f"the ships have lengths {sorted(lengths, reverse=True)}, not the fleet"
    return None


@register_family
class Battleship(LogicFamily):
    """Place the fleet so the row/column counts hold and no ships touch; unique.

    Accepted: exactly n x n cell symbols: `#` `1` `x` `X` `■` `█` `*` `@` ship, `.` `0` `_`
    `□` `·` water. Not accepted: any other count.
    """

    name = "battleship"
    title = "Battleship"
    description = "Battleship solitaire: place a fleet matching row/column counts; unique."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = "grid side 5,5,6,6,6,7,7,7,8,8 (size = cells), fleet of 4..7 ships; cells revealed only where needed for uniqueness"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIDES[difficulty - 1]
        fleet = _FLEETS[n]
        ships = _random_fleet(rng, n, fleet)
        gold = [[0] * n for _ in range(n)]
        for ship in ships:
            for r, c in cells_of(ship):
                gold[r][c] = 1
        rows = [sum(row) for row in gold]
        cols = [sum(gold[r][c] for r in range(n)) for c in range(n)]
        shown: dict[tuple[int, int], int] = {}
        for _ in range(n * n):
            sols, finished = solve(n, fleet, rows, cols, shown)
            if finished and len(sols) == 1:
                break
            other = next((s for s in sols if s != gold), None)
            pool = [
                (r, c)
                for r in range(n)
                for c in range(n)
                if (r, c) not in shown and (other is None or other[r][c] != gold[r][c])
            ]
            if not pool:
                break
            r, c = rng.choice(pool)
            shown[(r, c)] = gold[r][c]
        picture = [
            [("#" if shown[(r, c)] else "~") if (r, c) in shown else "." for c in range(n)]
            for r in range(n)
        ]
        lines = [" ".join(row) + f"  {rows[r]}" for r, row in enumerate(picture)]
        lines.append(" ".join(str(c) for c in cols))
        fleet_text = ", ".join(str(x) for x in fleet)
        question = (
            f"Battleship solitaire on a {n}x{n} grid. Place this fleet of straight ships "
            f"(lengths): {fleet_text}. Ships lie horizontally or vertically, and no two ships "
            "touch, not even diagonally. The number after each row and the numbers under the "
            "columns count the ship cells in that row or column. `#` is a revealed ship cell, "
            "`~` revealed water, `.` unknown.\n\n" + "\n".join(lines) + "\n\n"
            f"Answer with the full grid: {n} lines of {n} symbols, `#` for a ship cell and `.` "
            "for water (for example a line `.##..`), inside <answer></answer>."
        )
        return make_task(
            question,
            gold,
            n * n,
            n=n,
            fleet=list(fleet),
            rows=rows,
            cols=cols,
            shown=[[r, c, v] for (r, c), v in sorted(shown.items())],
            ships=[list(s) for s in ships],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = read_binary_grid(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n}x{n} cells of '#' and '.'")
        for r in range(n):
            if sum(grid[r]) != task.metadata["rows"][r]:
                return Verdict.incorrect(f"row {r + 1} has {sum(grid[r])} ship cells")
        for c in range(n):
            got = sum(grid[r][c] for r in range(n))
            if got != task.metadata["cols"][c]:
                return Verdict.incorrect(f"column {c + 1} has {got} ship cells")
        for r, c, v in task.metadata["shown"]:
            if grid[r][c] != v:
                return Verdict.incorrect(f"revealed cell ({r + 1},{c + 1}) changed")
        problem = ship_problem(grid, tuple(task.metadata["fleet"]))
        return Verdict.incorrect(problem) if problem else Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_grid(task.answer, "", ".#")


class BattleshipGame(Game):
    name = "battleship"
    title = "Battleship"
    description = (
        "Play Battleship: sink a hidden fleet with hit/miss/sunk answers and a shot budget."
    )

    def max_turns(self, task: Task) -> int:
        return 2 * task.metadata["n"] ** 2 // 3

    def start(self, task: Task) -> dict[str, Any]:
        return {"hits": []}

    def intro(self, task: Task, state: dict[str, Any]) -> str:
        n = task.metadata["n"]
        return (
            f"Let's play Battleship on a {n}x{n} grid. My fleet (ship lengths "
            f"{', '.join(map(str, task.metadata['fleet']))}) is hidden; ships are straight and "
            "never touch, not even diagonally. Each turn, fire at one cell as (row,column), "
            "counted from 1, inside <answer></answer>, for example <answer>(3,4)</answer>; I "
            "answer hit, miss or sunk. Sink the whole fleet within "
            f"{self.max_turns(task)} shots (two thirds of the cells) to win."
        )

    def play(self, task: Task, state: dict[str, Any], move: str) -> Move:
        n = task.metadata["n"]
        # one shot a turn, as the intro says: with several, sweeping the grid blindly within
        # the budget (two thirds of the cells) would sink every fleet without any deduction
        shots = read_pairs(move, limit=1)
        if not shots:
            return Move(
                "Fire at exactly one cell as (row,column).", Verdict.unparseable("not one shot")
            )
        ships = [cells_of(tuple(s)) for s in task.metadata["ships"]]  # type: ignore[arg-type]
        hits = {tuple(h) for h in state["hits"]}
        replies = []
        for r, c in shots:
            cell = (r - 1, c - 1)
            if not (0 <= cell[0] < n and 0 <= cell[1] < n):
                replies.append(f"({r},{c}) is off the grid")
                continue
            ship = next((s for s in ships if cell in s), None)
            if ship is None:
                replies.append(f"({r},{c}) miss")
                continue
            hits.add(cell)
            sunk = all(x in hits for x in ship)
            replies.append(f"({r},{c}) {'sunk' if sunk else 'hit'}")
        state["hits"] = sorted([list(h) for h in hits])
        if all(x in hits for s in ships for x in s):
            return Move(
                "; ".join(replies) + ". The whole fleet is sunk: you win!",
                Verdict.correct(),
                True,
                1.0,
            )
        return Move("; ".join(replies) + ".", Verdict.incorrect("fleet afloat"))

    def reference(self, task: Task, state: dict[str, Any]) -> str:
        hits = {tuple(h) for h in state["hits"]}
        left = [
            (r + 1, c + 1)
            for s in task.metadata["ships"]
            for r, c in cells_of(tuple(s))  # type: ignore[arg-type]
            if (r, c) not in hits
        ]
        return f"({left[0][0]},{left[0][1]})"

    def secrets(self, task: Task) -> list[str]:
        return []


register_game(BattleshipGame())
