"""Star Battle: place one star in every row, column and region; stars never touch.

Generation is constructive: a random star placement with no two stars touching, then regions
grown at random around each star. A bounded solver then counts solutions; while a second one
exists, one gold star is revealed as a given, so every puzzle has exactly one solution (the
verifier still checks the rules, so it does not matter).
"""

from __future__ import annotations

import random
import string

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines, connected, symbol_cells
from gymhub.types import Task, Verdict

_SIZES = (5, 5, 6, 6, 7, 7, 8, 8, 9, 10)  # grid side per difficulty 1..10
_NODE_LIMIT = 30_000  # per solver call
_REFINE_BUDGET = 100_000  # solver nodes spent reshaping regions, in all
_STAR_CHARS = frozenset("*★1")
_EMPTY_CHARS = frozenset(".-_0·")


def _star_placement(rng: random.Random, n: int) -> list[int]:
    """Column of the star in each row, no two stars in adjacent rows touching (iterative DFS)."""
    cols: list[int] = []
    options: list[list[int]] = []
    while len(cols) < n:
        if len(options) == len(cols):
            cand = [c for c in range(n) if c not in cols and (not cols or abs(c - cols[-1]) > 1)]
            rng.shuffle(cand)
            options.append(cand)
        if options[-1]:
            cols.append(options[-1].pop())
        else:
            options.pop()
            cols.pop()
    return cols


def _grow_regions(rng: random.Random, n: int, seeds: list[tuple[int, int]]) -> list[list[int]]:
    region = [[-1] * n for _ in range(n)]
    frontier: list[tuple[int, int, int]] = []
    for k, (r, c) in enumerate(seeds):
        region[r][c] = k
        frontier += [(r + dr, c + dc, k) for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1))]
    while frontier:
        i = rng.randrange(len(frontier))
        r, c, k = frontier[i]
        frontier[i] = frontier[-1]
        frontier.pop()
        if 0 <= r < n and 0 <= c < n and region[r][c] < 0:
            region[r][c] = k
            frontier += [(r + dr, c + dc, k) for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1))]
    return region


def _paths_out(
    region: list[list[int]], start: tuple[int, int], gold: tuple[int, int]
) -> list[tuple[list[tuple[int, int]], int]]:
    """Shortest paths inside start's region from `start` to a cell bordering another region,
    avoiding the region's gold star: (path, neighbouring region) pairs."""
    n = len(region)
    k = region[start[0]][start[1]]
    prev: dict[tuple[int, int], tuple[int, int] | None] = {start: None}
    queue = [start]
    out = []
    for cell in queue:
        r, c = cell
        for nb in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if not (0 <= nb[0] < n and 0 <= nb[1] < n):
                continue
            other = region[nb[0]][nb[1]]
            if other != k:
                path = [cell]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])  # type: ignore[arg-type]
                out.append((path, other))
            elif nb not in prev and nb != gold:
                prev[nb] = cell
                queue.append(nb)
        if len(out) >= 6:
            break
    return out


def _refine_regions(rng: random.Random, region: list[list[int]], cols: list[int]) -> None:
    """Kill alternative solutions: hand a chain of cells from one of the alternative's stars to
    the border into a neighbouring region, which then holds two of its stars. The gold placement
    stays valid and regions stay connected. Bounded; givens finish the job if needed."""
    n = len(region)
    budget = _REFINE_BUDGET
    for _ in range(12 * n):
        sols, finished, used = solve(region, {}, node_limit=min(budget, _NODE_LIMIT))
        budget -= used
        if not finished or len(sols) < 2:
            return
        alt = sols[0] if sols[0] != cols else sols[1]
        moves = []
        for r in range(n):
            if alt[r] != cols[r]:
                k = region[r][alt[r]]
                gold = next((g, cols[g]) for g in range(n) if region[g][cols[g]] == k)
                moves += _paths_out(region, (r, alt[r]), gold)
        rng.shuffle(moves)
        moves.sort(key=lambda m: len(m[0]))
        for path, other in moves:
            k = region[path[0][0]][path[0][1]]
            moved = set(path)
            rest = [
                (r, c)
                for r in range(n)
                for c in range(n)
                if region[r][c] == k and (r, c) not in moved
            ]
            if connected(rest):
                for r, c in path:
                    region[r][c] = other
                break
        else:
            return


def solve(
    region: list[list[int]], givens: dict[int, int], limit: int = 2, node_limit: int = _NODE_LIMIT
) -> tuple[list[list[int]], bool, int]:
    """Up to `limit` solutions (star column per row) honouring `givens` (row -> column), whether
    the search finished within `node_limit` nodes, and the nodes used."""
    n = len(region)
    sols: list[list[int]] = []
    cols: list[int] = []
    used_col = [False] * n
    used_reg = [False] * n
    nodes = 0
    last_row = [0] * n
    for r in range(n):
        for c in range(n):
            last_row[region[r][c]] = r

    def rec(r: int) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > node_limit:
            return False
        if r == n:
            sols.append(list(cols))
            return len(sols) < limit
        for k in range(n):  # a region that ended above this row without a star is dead
            if not used_reg[k] and last_row[k] < r:
                return True
        choices = [givens[r]] if r in givens else range(n)
        for c in choices:
            k = region[r][c]
            if used_col[c] or used_reg[k] or (cols and abs(c - cols[-1]) <= 1):
                continue
            used_col[c] = used_reg[k] = True
            cols.append(c)
            go = rec(r + 1)
            cols.pop()
            used_col[c] = used_reg[k] = False
            if not go:
                return False
        return True

    rec(0)
    return sols, nodes <= node_limit, nodes


def _letter(k: int) -> str:
    return (string.ascii_uppercase + string.ascii_lowercase)[k]


@register_family
class StarBattle(LogicFamily):
    """Star Battle (one star per row, column and region; no two stars touch, not even
    diagonally). Difficulty sets the grid side: 5, 5, 6, 6, 7, 7, 8, 8, 9, 10 for difficulty
    1..10; `size` is the number of cells. The answer is the grid with `*` for a star and `.` for
    an empty cell; any grid that obeys the rules and the given stars scores 1."""

    name = "star_battle"
    title = "StarBattle"
    description = "Place one star per row, column and region of a grid; stars may not touch."
    difficulty_doc = "grid side 5,5,6,6,7,7,8,8,9,10 (size = cells); unique solution"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIZES[max(1, min(10, int(difficulty))) - 1]
        cols = _star_placement(rng, n)
        region = _grow_regions(rng, n, [(r, c) for r, c in enumerate(cols)])
        _refine_regions(rng, region, cols)
        givens: dict[int, int] = {}
        while len(givens) < n:
            sols, finished, _ = solve(region, givens)
            if finished and len(sols) == 1:
                break
            wrong = [
                r for r in range(n) if r not in givens and len(sols) > 1 and sols[1][r] != cols[r]
            ]
            pool = wrong or [r for r in range(n) if r not in givens]
            r = rng.choice(pool)
            givens[r] = cols[r]
        grid = "\n".join(" ".join(_letter(region[r][c]) for c in range(n)) for r in range(n))
        given_txt = (
            "Stars already placed (row, column), counted from 1: "
            + ", ".join(f"({r + 1}, {givens[r] + 1})" for r in sorted(givens))
            + ".\n"
            if givens
            else ""
        )
        question = (
            f"Star Battle. The {n}x{n} grid below is divided into {n} regions, one letter per "
            "region.\n\n"
            f"{grid}\n\n"
            "Rules: place exactly one star in every row, every column and every region. No two "
            "stars may touch each other, not even diagonally.\n"
            f"{given_txt}"
            f"Answer format: {n} lines of {n} characters, `*` for a star and `.` for an empty "
            "cell (spaces between cells are allowed). For example, a 4x4 grid is written as\n"
            "..*.\n*...\n...*\n.*..\n"
            "Put your grid inside <answer></answer>."
        )
        regions = [[region[r][c] for c in range(n)] for r in range(n)]
        return make_task(
            question,
            cols,
            n * n,
            n=n,
            regions=regions,
            givens=[[r, givens[r]] for r in sorted(givens)],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        region = task.metadata["regions"]
        rows = _parse_grid(answer, n)
        if rows is None:
            return Verdict.unparseable(f"expected {n} lines of {n} cells made of '*' and '.'")
        stars = [(r, c) for r in range(n) for c in range(n) if rows[r][c]]
        for r in range(n):
            if sum(rows[r]) != 1:
                return Verdict.incorrect(f"row {r + 1} has {sum(rows[r])} stars")
        for c in range(n):
            count = sum(rows[r][c] for r in range(n))
            if count != 1:
                return Verdict.incorrect(f"column {c + 1} has {count} stars")
        per_region = [0] * n
        for r, c in stars:
            per_region[region[r][c]] += 1
        for k, count in enumerate(per_region):
            if count != 1:
                return Verdict.incorrect(f"region {_letter(k)} has {count} stars")
        for i, (r1, c1) in enumerate(stars):
            for r2, c2 in stars[i + 1 :]:
                if abs(r1 - r2) <= 1 and abs(c1 - c2) <= 1:
                    return Verdict.incorrect(
                        f"stars at ({r1 + 1},{c1 + 1}) and ({r2 + 1},{c2 + 1}) touch"
                    )
        for r, c in task.metadata["givens"]:
            if not rows[r][c]:
                return Verdict.incorrect(f"given star at ({r + 1},{c + 1}) is missing")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Gold with one star moved within its row, and with one star removed: the solution is
        unique, so both are wrong."""
        n = task.metadata["n"]
        out = []
        for r in (0, n // 2):
            cols = list(task.answer)
            cols[r] = (cols[r] + 1) % n
            out.append(_render(n, cols))
        missing = _render(n, task.answer).splitlines()
        missing[-1] = "." * n
        out.append("\n".join(missing))
        return out

    def format_answer(self, task: Task) -> str:
        return _render(task.metadata["n"], task.answer)


def _render(n: int, cols: list[int]) -> str:
    return "\n".join("".join("*" if c == col else "." for c in range(n)) for col in cols)


def _parse_grid(answer: str, n: int) -> list[list[bool]] | None:
    """Rows of star flags; None unless the text is exactly n rows of n star/empty cells."""
    lines = answer_lines(answer)
    if len(lines) != n:
        return None
    rows = []
    for line in lines:
        cells = symbol_cells(line)
        if len(cells) != n:
            return None
        row = []
        for ch in cells:
            if ch in _STAR_CHARS:
                row.append(True)
            elif ch in _EMPTY_CHARS:
                row.append(False)
            else:
                return None
        rows.append(row)
    return rows
