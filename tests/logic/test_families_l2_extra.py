"""Family-specific checks for the grid-puzzle families: uniqueness is really proven by the
solvers, multi-solution families accept other valid solutions, and hostile answers stay cheap."""

from __future__ import annotations

import random
import time

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.families import (
    calcudoku,
    campsite,
    norinori,
    number_wall,
    numbrix,
    star_battle,
    survo,
)
from gymhub.types import Task

discover_families()

L2 = (
    "star_battle",
    "norinori",
    "calcudoku",
    "numbrix",
    "survo",
    "number_wall",
    "arrow_maze",
    "campsite",
    "graph_coloring",
    "maze_paths",
)


def _task(name: str, seed: int, difficulty: int) -> Task:
    return FAMILIES[name].generate(random.Random(seed), difficulty)


def _ok(name: str, task: Task, answer: str) -> bool:
    return FAMILIES[name].verify(f"<answer>{answer}</answer>", task).status == "correct"


# --- uniqueness: re-run each solver on the published puzzle and demand exactly one solution ---


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("difficulty", [1, 4])
def test_unique_solution_families_have_one_solution(seed: int, difficulty: int) -> None:
    t = _task("star_battle", seed, difficulty)
    sols, finished, _ = star_battle.solve(t.metadata["regions"], dict(t.metadata["givens"]))
    assert finished and sols == [t.answer]

    t = _task("calcudoku", seed, difficulty)
    cages = [
        {"cells": [tuple(x) for x in cg["cells"]], "op": cg["op"], "target": cg["target"]}
        for cg in t.metadata["cages"]
    ]
    givens = {(r, c): v for r, c, v in t.metadata["givens"]}
    sols, finished = calcudoku.solve(t.metadata["n"], cages, givens)
    assert finished and sols == [t.answer]

    t = _task("survo", seed, difficulty)
    m = t.metadata
    fixed = {(r, c): v for r, c, v in m["givens"]}
    sols, finished = survo.solve(m["rows"], m["cols"], m["row_sums"], m["col_sums"], fixed)
    assert finished and sols == [t.answer]

    t = _task("numbrix", seed, difficulty)
    clues = {(r, c): v for r, c, v in t.metadata["givens"]}
    sols, finished = numbrix.solve(t.metadata["n"], clues)
    n = t.metadata["n"]
    assert finished and len(sols) == 1
    assert [[sols[0][(r, c)] for c in range(n)] for r in range(n)] == t.answer

    t = _task("campsite", seed, difficulty)
    m = t.metadata
    sols, finished = campsite.solve(
        m["n"],
        [tuple(x) for x in m["trees"]],
        m["row_counts"],
        m["col_counts"],
        [tuple(x) for x in m["known"]],
    )
    assert finished and sols == [[tuple(x) for x in t.answer]]

    t = _task("number_wall", seed, difficulty)
    clues = {(r, c): v for r, c, v in t.metadata["clues"]}
    known = {(r, c) for r, c in t.metadata["known_walls"]}
    sols, finished = number_wall.solve(t.metadata["n"], clues, known)
    assert finished and sols == [{(r, c) for r, c in t.answer}]

    t = _task("norinori", seed, difficulty)
    sols, finished, _ = norinori.solve(
        t.metadata["regions"], [tuple(x) for x in t.metadata["known"]]
    )
    assert finished and sols == [[tuple(x) for x in t.answer]]


def test_solvers_find_a_second_solution_when_there_is_one() -> None:
    """The uniqueness proofs above mean something only if the solvers do find alternatives."""
    # 4x4 star battle split into 4 column regions: both valid placements are found
    regions = [[0, 1, 2, 3] for _ in range(4)]
    sols, finished, _ = star_battle.solve(regions, {})
    assert finished and sorted(sols) == [[1, 3, 0, 2], [2, 0, 3, 1]]
    # a 2x2 calcudoku with only single-row sums has two Latin squares
    cages = [{"cells": [(0, 0), (0, 1)], "op": "+", "target": 3}]
    cages.append({"cells": [(1, 0), (1, 1)], "op": "+", "target": 3})
    sols, finished = calcudoku.solve(2, cages, {})
    assert finished and len(sols) == 2
    # a lone 2 in a 2x2 grid can take either neighbour
    sols, finished = number_wall.solve(2, {(0, 0): 2}, set())
    assert finished and sorted(sorted(w) for w in sols) == [[(0, 1), (1, 1)], [(1, 0), (1, 1)]]


# --- multi-solution families accept any valid solution, and reject rule breaks ---


def test_graph_coloring_accepts_a_relabelled_coloring_and_pairs() -> None:
    t = _task("graph_coloring", 3, 4)
    k = t.metadata["k"]
    relabelled = [c % k + 1 for c in t.answer]
    assert relabelled != t.answer and _ok("graph_coloring", t, " ".join(map(str, relabelled)))
    pairs = ", ".join(f"{v}: {c}" for v, c in enumerate(t.answer))
    assert _ok("graph_coloring", t, pairs)
    a, b = t.metadata["edges"][0]
    clash = list(t.answer)
    clash[a] = clash[b]
    assert not _ok("graph_coloring", t, " ".join(map(str, clash)))
    assert not _ok("graph_coloring", t, " ".join(str(k + 1) for _ in t.answer))


def test_maze_paths_accepts_any_shortest_path_only() -> None:
    maze = ["#####", "#S..#", "#.#.#", "#..E#", "#####"]
    task = Task(
        question="q",
        answer="RRDD",
        metadata={"size": 4, "maze": maze, "start": [1, 1], "end": [3, 3], "shortest": 4},
    )
    family = FAMILIES["maze_paths"]
    for good in ("RRDD", "DDRR", "r r d d", "right, right, down, down"):
        assert family.verify(f"<answer>{good}</answer>", task).status == "correct", good
    for bad, status in (
        ("RDRD", "incorrect"),  # through a wall
        ("RRD", "incorrect"),  # stops short
        ("RRDDUD", "incorrect"),  # reaches E, not shortest
        ("RRXD", "unparseable"),
    ):
        assert family.verify(f"<answer>{bad}</answer>", task).status == status, bad


def test_arrow_maze_accepts_another_valid_filling() -> None:
    # "1 X / X 1": each number shoots one arrow; two different fillings are valid
    task = Task(
        question="q",
        answer=[[0, 1, "→"], [1, 0, "←"]],
        metadata={"size": 4, "n": 2, "numbers": [[0, 0, 1], [1, 1, 1]]},
    )
    family = FAMILIES["arrow_maze"]
    assert family.verify("<answer>1 →\n← 1</answer>", task).status == "correct"
    assert family.verify("<answer>1 ↑\n↓ 1</answer>", task).status == "correct"
    assert family.verify("<answer>1 U\nd 1</answer>", task).status == "correct"
    assert family.verify("<answer>1 →\n↓ 1</answer>", task).status == "incorrect"  # 2 and 0
    assert family.verify("<answer>1 →\n→ 1</answer>", task).status == "incorrect"  # orphan
    assert family.verify("<answer>2 →\n← 1</answer>", task).status == "incorrect"  # clue
    assert family.verify("<answer>1 →\nX 1</answer>", task).status == "unparseable"


def test_number_wall_rules() -> None:
    task = Task(
        question="q",
        answer=[[0, 1], [1, 0], [1, 1], [2, 1]],
        metadata={"size": 9, "n": 3, "clues": [[0, 0, 1], [0, 2, 3], [2, 0, 1]]},
    )
    family = FAMILIES["number_wall"]

    def status(grid: str) -> str:
        return family.verify(f"<answer>{grid}</answer>", task).status

    assert status("1 # 3\n# # .\n1 # .") == "correct"
    assert status("1 # 3\n# # .\n1 . .") == "incorrect"  # two numbers in one island
    assert status("1 # 3\n# # #\n1 # .") == "incorrect"  # island too small, numberless cell
    assert status("1 # 3\n# # .\n1 # #") == "incorrect"  # 3 has only two cells
    assert status("1 # 3\n# # .\n1 # ?") == "unparseable"


def test_calcudoku_subtraction_and_division_take_either_order() -> None:
    task = Task(
        question="q",
        answer=[[1, 2], [2, 1]],
        metadata={
            "size": 4,
            "n": 2,
            "givens": [],
            "cages": [
                {"cells": [[0, 0], [0, 1]], "op": "-", "target": 1},
                {"cells": [[1, 0], [1, 1]], "op": "/", "target": 2},
            ],
        },
    )
    family = FAMILIES["calcudoku"]
    assert family.verify("<answer>1 2\n2 1</answer>", task).status == "correct"
    assert family.verify("<answer>2 1\n1 2</answer>", task).status == "correct"
    assert family.verify("<answer>12\n21</answer>", task).status == "correct"
    assert family.verify("<answer>1 1\n2 2</answer>", task).status == "incorrect"


def test_star_battle_reports_touching_stars() -> None:
    t = _task("star_battle", 0, 1)
    n = t.metadata["n"]
    rows = [["."] * n for _ in range(n)]
    for r in range(n):
        rows[r][r] = "*"  # one per row and column, but diagonal neighbours touch
    verdict = FAMILIES["star_battle"].verify(
        "<answer>" + "\n".join("".join(x) for x in rows) + "</answer>", t
    )
    assert verdict.status == "incorrect"


def test_campsite_needs_a_tree_per_tent() -> None:
    # trees at (0,0) and (0,2); the only valid camp is tents at (1,0) and (1,2)
    task = Task(
        question="q",
        answer=[[1, 0], [1, 2]],
        metadata={
            "size": 9,
            "n": 3,
            "trees": [[0, 0], [0, 2]],
            "row_counts": [0, 2, 0],
            "col_counts": [1, 0, 1],
            "known": [],
        },
    )
    family = FAMILIES["campsite"]
    assert family.verify("<answer>T.T\nX.X\n...</answer>", task).status == "correct"
    assert family.verify("<answer>T.T\nX.X\n..X</answer>", task).status == "incorrect"
    assert family.verify("<answer>TXT\n...\n...</answer>", task).status == "incorrect"
    assert family.verify("<answer>..T\nX.X\n...</answer>", task).status == "incorrect"


# --- hostile answers: long runs of digits, separators and symbols stay cheap (no regex blow-up)


@pytest.mark.parametrize("name", L2)
def test_hostile_answers_stay_fast(name: str) -> None:
    task = _task(name, 0, 3)
    family = FAMILIES[name]
    hostile = [
        "9" * 45_000,
        "1:" * 20_000,
        ("1 " * 200 + "\n") * 100,
        "#." * 20_000,
        "UL" * 20_000,
        "→" * 40_000,
    ]
    for text in hostile:
        start = time.perf_counter()
        verdict = family.verify(f"<answer>{text}</answer>", task)
        assert verdict.reward == 0.0 and verdict.status != "error", (text[:20], verdict)
        assert time.perf_counter() - start < 2.0, f"{name}: {text[:10]!r}... took too long"


def test_copied_row_and_column_totals_are_tolerated() -> None:
    """Models often copy the clue totals next to their grid; that must not make it unreadable."""
    t = _task("campsite", 1, 3)
    m = t.metadata
    rows = FAMILIES["campsite"].format_answer(t).splitlines()
    copied = "\n".join(f"{row}  {m['row_counts'][i]}" for i, row in enumerate(rows))
    copied += "\n" + "".join(str(x) for x in m["col_counts"])
    assert _ok("campsite", t, copied)

    t = _task("survo", 1, 3)
    m = t.metadata
    copied = "\n".join(
        " ".join(map(str, row)) + f" | {m['row_sums'][i]}" for i, row in enumerate(t.answer)
    )
    copied += "\n-- -- -- --\n" + " ".join(map(str, m["col_sums"]))
    assert _ok("survo", t, copied)
