"""A solution counter for binary grids whose rows and columns each have a list of allowed
patterns (kakurasu, nonograms): line-by-line propagation to a fixpoint, then branching.

Patterns and known cells are bitmasks (bit c of a row pattern is column c; bit r of a column
pattern is row r). Each line keeps only the patterns consistent with the known cells; a cell on
which every remaining pattern agrees becomes known. Work is bounded by a node budget: running
out is reported, and callers treat it as "not unique", so they never accept an unproven puzzle.
`read_shading` reads (and checks against the given cells) the answers of those families.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from functools import reduce
from operator import and_, or_

from gymhub.envs.logic.grids import read_binary_grid
from gymhub.types import Verdict

Pattern = tuple[int, ...] | int


def to_mask(pattern: Sequence[int] | int) -> int:
    """A pattern as a bitmask; an int already is one (pass masks to skip the conversion)."""
    if isinstance(pattern, int):
        return pattern
    return sum(1 << i for i, v in enumerate(pattern) if v)


def _all_ints(options: list[Pattern]) -> bool:
    return not options or isinstance(options[0], int)


def count_solutions(
    row_options: list[list[Pattern]],
    col_options: list[list[Pattern]],
    known: list[list[int]] | None = None,
    limit: int = 2,
    node_limit: int = 2_000,
) -> int:
    found, exhausted = find_solutions(row_options, col_options, known, limit, node_limit)
    return limit if exhausted else len(found)


def find_solutions(
    row_options: list[list[Pattern]],
    col_options: list[list[Pattern]],
    known: list[list[int]] | None = None,
    limit: int = 2,
    node_limit: int = 2_000,
    accept: Callable[[list[list[int]]], bool] | None = None,
    rng: random.Random | None = None,
) -> tuple[list[list[list[int]]], bool]:
    """Up to `limit` solutions (0/1 grids), and whether the node budget ran out first.
    `known` holds 1 / 0 for given cells and -1 for unknown ones; `accept` is an extra global
    rule a full grid must pass (e.g. "no two rows equal"); with `rng`, branches try the two
    values in random order, which draws a random solution."""
    n, m = len(row_options), len(col_options)
    full_row = (1 << m) - 1
    rows0 = [opts if _all_ints(opts) else [to_mask(p) for p in opts] for opts in row_options]
    cols0 = [opts if _all_ints(opts) else [to_mask(p) for p in opts] for opts in col_options]
    ones0 = [0] * n
    zeros0 = [0] * n
    if known:
        for r in range(n):
            for c in range(m):
                if known[r][c] == 1:
                    ones0[r] |= 1 << c
                elif known[r][c] == 0:
                    zeros0[r] |= 1 << c
    found: list[list[list[int]]] = []
    nodes = 0
    exhausted = False

    def propagate(
        ones: list[int], zeros: list[int], rows: list[list[int]], cols: list[list[int]]
    ) -> bool:
        changed = True
        while changed:
            changed = False
            for r in range(n):
                o, z = ones[r], zeros[r]
                keep = [p for p in rows[r] if not p & z and p & o == o]
                if not keep:
                    return False
                rows[r] = keep
                a, o_all = reduce(and_, keep), reduce(or_, keep)
                new_o, new_z = o | a, z | (full_row & ~o_all)
                if new_o != o or new_z != z:
                    ones[r], zeros[r] = new_o, new_z
                    changed = True
            for c in range(m):
                bit = 1 << c
                o = z = 0
                for r in range(n):
                    if ones[r] & bit:
                        o |= 1 << r
                    elif zeros[r] & bit:
                        z |= 1 << r
                keep = [p for p in cols[c] if not p & z and p & o == o]
                if not keep:
                    return False
                cols[c] = keep
                a, o_all = reduce(and_, keep), reduce(or_, keep)
                for r in range(n):
                    rb = 1 << r
                    if not (o | z) & rb:
                        if a & rb:
                            ones[r] |= bit
                            changed = True
                        elif not o_all & rb:
                            zeros[r] |= bit
                            changed = True
        return True

    def solve(
        ones: list[int], zeros: list[int], rows: list[list[int]], cols: list[list[int]]
    ) -> bool:
        """True when the search must stop (enough solutions, or out of budget)."""
        nonlocal nodes, exhausted
        nodes += 1
        if nodes > node_limit:
            exhausted = True
            return True
        if not propagate(ones, zeros, rows, cols):
            return False
        for r in range(n):
            unknown = full_row & ~(ones[r] | zeros[r])
            if unknown:
                bit = unknown & -unknown
                order = (ones, zeros) if rng is None or rng.random() < 0.5 else (zeros, ones)
                for target in order:
                    o, z = ones[:], zeros[:]
                    (o if target is ones else z)[r] |= bit
                    if solve(o, z, list(rows), list(cols)):
                        return True
                return False
        grid = [[ones[r] >> c & 1 for c in range(m)] for r in range(n)]
        if accept is None or accept(grid):
            found.append(grid)
        return len(found) >= limit

    solve(ones0, zeros0, rows0, cols0)
    return found, exhausted


def reveal_until_unique(
    rng: random.Random,
    grid: list[list[int]],
    row_options: list[list[Pattern]],
    col_options: list[list[Pattern]],
    known: list[list[int]],
    cells: list[tuple[int, int]],
    node_limit: int,
) -> None:
    """Reveal cells of the solution `grid` into `known` (in place, -1 = unknown) until the
    solver proves exactly one solution: each round reveals a random cell of `cells` where two
    found solutions differ, or the last of `cells` when the node budget ran out. `cells` (the
    candidates, in random order) is consumed as cells are revealed."""
    while cells:
        found, exhausted = find_solutions(row_options, col_options, known, 2, node_limit)
        if len(found) == 1 and not exhausted:
            break
        # reveal a cell where two solutions differ (or any cell when out of budget)
        differ = [(r, c) for r, c in cells if len(found) == 2 and found[0][r][c] != found[1][r][c]]
        r, c = rng.choice(differ) if differ else cells[-1]
        cells.remove((r, c))
        known[r][c] = grid[r][c]


def read_shading(answer: str, n: int, known: list[list[int]]) -> list[list[int]] | Verdict:
    """The n x n 0/1 grid of a shading answer ('#' / '.'), or the verdict that rejects it:
    unparseable unless n*n cell symbols are read, incorrect when a cell given in `known`
    (1 / 0, -1 for unknown) was changed."""
    grid = read_binary_grid(answer, n)
    if grid is None:
        return Verdict.unparseable(f"expected {n}x{n} = {n * n} cells of '#' or '.'")
    for r, row in enumerate(known):
        for c, k in enumerate(row):
            if k >= 0 and grid[r][c] != k:
                return Verdict.incorrect(
                    f"the given cell at row {r + 1}, column {c + 1} was changed"
                )
    return grid
