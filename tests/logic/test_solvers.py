"""The uniqueness solvers behind the grid families agree with brute force on small boards: a
solver that over-counts only makes puzzles easier, but one that under-counts would let a puzzle
with two solutions through."""

from __future__ import annotations

import itertools
import random

import pytest

from gymhub.envs.logic import linesolve
from gymhub.envs.logic.families import kakurasu, minesweeper, nonogram, skyscrapers, sudoku
from gymhub.envs.logic.grids import read_binary_grid, read_coordinates, read_digit_grid


def all_grids(n: int, m: int):
    for bits in range(1 << (n * m)):
        yield [[bits >> (r * m + c) & 1 for c in range(m)] for r in range(n)]


@pytest.mark.parametrize("seed", range(12))
def test_nonogram_line_solver_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    n, m = 3, 4
    grid = [[int(rng.random() < 0.5) for _ in range(m)] for _ in range(n)]
    rows = [nonogram.runs(r) for r in grid]
    cols = [nonogram.runs([grid[r][c] for r in range(n)]) for c in range(m)]
    brute = sum(
        1
        for g in all_grids(n, m)
        if [nonogram.runs(r) for r in g] == rows
        and [nonogram.runs([g[r][c] for r in range(n)]) for c in range(m)] == cols
    )
    found, exhausted = linesolve.find_solutions(
        [nonogram.placements(tuple(c), m) for c in rows],
        [nonogram.placements(tuple(c), n) for c in cols],
        None,
        limit=100,
        node_limit=10_000,
    )
    assert not exhausted and len(found) == brute
    assert grid in found


@pytest.mark.parametrize("seed", range(8))
def test_kakurasu_counter_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    n = 3
    grid = [[int(rng.random() < 0.5) for _ in range(n)] for _ in range(n)]
    rows, cols = kakurasu.clues_of(grid)
    brute = sum(1 for g in all_grids(n, n) if kakurasu.clues_of(g) == (rows, cols))
    unknown = [[-1] * n for _ in range(n)]
    assert kakurasu.count_solutions(n, rows, cols, unknown, limit=100) == brute


def latin_squares(n: int):
    perms = list(itertools.permutations(range(1, n + 1)))

    def extend(rows):
        if len(rows) == n:
            yield [list(r) for r in rows]
            return
        for p in perms:
            if all(p[c] != row[c] for row in rows for c in range(n)):
                yield from extend([*rows, p])

    yield from extend([])


@pytest.mark.parametrize("seed", range(6))
def test_skyscrapers_counter_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    n = 4
    squares = list(latin_squares(n))
    clues = skyscrapers.clues_of(rng.choice(squares))
    for side in clues:  # hide some clues so that several solutions can exist
        for i in range(n):
            if rng.random() < 0.5:
                clues[side][i] = 0

    def fits(g):
        actual = skyscrapers.clues_of(g)
        return all(not v or actual[s][i] == v for s in clues for i, v in enumerate(clues[s]))

    brute = sum(1 for g in squares if fits(g))
    empty = [[0] * n for _ in range(n)]
    assert skyscrapers.count_solutions(n, clues, empty, limit=1000) == brute


@pytest.mark.parametrize("seed", range(8))
def test_minesweeper_counter_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    n = 4
    cells = [(r, c) for r in range(n) for c in range(n)]
    mines = set(rng.sample(cells, 3))
    hidden = sorted(mines | set(rng.sample(sorted(set(cells) - mines), 4)))
    numbers = {
        x: sum(y in mines for y in minesweeper.neighbours(n, *x)) for x in cells if x not in hidden
    }
    brute = 0
    for layout in itertools.combinations(hidden, len(mines)):
        chosen = set(layout)
        if all(
            sum(y in chosen for y in minesweeper.neighbours(n, *x)) == v for x, v in numbers.items()
        ):
            brute += 1
    assert minesweeper.count_layouts(n, numbers, hidden, len(mines), limit=1000) == brute


def test_sudoku_counter() -> None:
    solution = sudoku._solution(random.Random(0), 2, 2)
    puzzle = [row[:] for row in solution]
    puzzle[0][0] = 0
    assert sudoku.count_solutions(puzzle, 2, 2) == 1
    assert sudoku.count_solutions([[0] * 4 for _ in range(4)], 2, 2) == 2
    assert sudoku.count_solutions([[0] * 4 for _ in range(4)], 2, 2, limit=1000) == 288


def test_readers_are_tolerant_and_strict_about_counts() -> None:
    assert read_digit_grid("1 2\n3 4", 2) == [[1, 2], [3, 4]]
    assert read_digit_grid("12|34", 2) == [[1, 2], [3, 4]]
    assert read_digit_grid("1 2 3", 2) is None
    assert read_binary_grid("# .\n. #", 2) == [[1, 0], [0, 1]]
    assert read_binary_grid("#.", 2) is None
    assert read_coordinates("(1,2), (3, 4)") == [(1, 2), (3, 4)]
    assert read_coordinates("1 2; 3 4") == [(1, 2), (3, 4)]
    assert read_coordinates("none") == []
    assert read_coordinates("(1,2), (3") is None
    assert read_coordinates("1 " * 100_000) is None  # too long: bounded
