"""Family-specific cases for the reasoning-gym-style families (cognition, graphs, induction, logic,
probability, geometry, code): other valid answers accepted, rule violations rejected, the solvers
on hand-checked inputs, and the uniqueness proofs behind the induction families."""

from __future__ import annotations

from fractions import Fraction

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.families import (
    advanced_geometry,
    arc_1d,
    bf,
    circuit_logic,
    coin_flip,
    color_cube_rotation,
    family_relationships,
    knight_swap,
    largest_island,
    list_functions,
    modulo_grid,
    number_sequence,
    propositional_logic,
    rectangle_count,
    rubiks_cube,
    rush_hour,
    self_reference,
    syllogism,
)
from tests.logic.test_families_l3_extra import score, task

discover_families()


# ----- solvers on hand-checked inputs --------------------------------------------------------------


def test_solvers_on_known_inputs() -> None:
    assert bf.run("++++++++[>++++++++<-]>+.")[0] == "A"
    assert largest_island.islands([[1, 1, 0], [0, 1, 0], [1, 0, 1]])[0] == 3
    half = Fraction(1, 2)
    assert coin_flip.probability(4, half, "exactly", 2)[0] == Fraction(6, 16)
    assert coin_flip.probability(3, half, "run", 2)[0] == Fraction(3, 8)  # HHT THH HHH
    assert coin_flip.probability(5, half, "at_least", 0)[0] == 1
    # "exactly one of these statements is true" alone: both assignments are consistent
    assert self_reference.solutions([["exactly_true", 1]])[0] == 2
    assert self_reference.solutions([["at_least_true", 0]])[0] == 1
    # two crossing outlines: each outline plus the square where they overlap
    rows = ["#####..", "#...#..", "#.#####", "#.#.#.#", "#####.#", "..#...#", "..#####"]
    assert rectangle_count.count_rectangles(rows)[0] == 3  # two outlines + their overlap
    right = [[0, 0], [4, 0], [0, 3]]
    assert advanced_geometry.quantity("inradius", right) == pytest.approx([1.0])
    assert advanced_geometry.quantity("circumradius", right) == pytest.approx([2.5])
    assert advanced_geometry.quantity("angle_a", right) == pytest.approx([90.0])
    assert advanced_geometry.quantity("orthocenter", right) == pytest.approx([0.0, 0.0])
    gates = [["G1", "NAND", "A", "B"], ["G2", "XOR", "G1", "A"]]
    assert [circuit_logic.simulate(["A", "B"], gates, r) for r in ([1, 1], [0, 1])] == [1, 1]


def test_syllogism_validity_without_existential_import() -> None:
    barbara = [["all", 0, 1], ["all", 1, 2]]
    assert syllogism.follows(barbara, ["all", 0, 2], 3)[0]
    assert not syllogism.follows(barbara, ["some", 0, 2], 3)[0]  # no A need exist
    assert syllogism.follows([["no", 0, 1], ["some", 2, 0]], ["some_not", 2, 1], 3)[0]


def test_cube_turns_and_answer_forms() -> None:
    cube = dict(zip(color_cube_rotation.FACES, ["a", "b", "c", "d", "e", "f"], strict=True))
    spun = color_cube_rotation.turn(cube, "spin it to the right")
    assert spun["right"] == cube["front"] and spun["top"] == cube["top"]
    t = task("color_cube_rotation")
    gold = t.answer
    bare = ", ".join(gold[f] for f in t.metadata["asked"])
    assert score("color_cube_rotation", t, bare)[0] == 1.0
    prose = "; ".join(f"the {f} side is {c}" for f, c in reversed(list(gold.items())))
    assert score("color_cube_rotation", t, prose)[0] == 1.0
    face = t.metadata["asked"][0]
    other = next(c for c in color_cube_rotation.COLORS if c != gold[face])
    twice = FAMILIES["color_cube_rotation"].format_answer(t) + f", {face}: {other}"
    assert score("color_cube_rotation", t, twice) == (0.0, "unparseable")


def test_number_forms() -> None:
    t = task("coin_flip", 1, 2)
    value = Fraction(t.answer)
    assert score("coin_flip", t, f"{value.numerator * 3}/{value.denominator * 3}")[0] == 1.0
    t.metadata.update(flips=3, p=[1, 2], event="exactly", k=1)  # 3/8 = 0.375
    assert score("coin_flip", t, "0.375")[0] == 1.0
    assert score("coin_flip", t, "0.37")[0] == 0.0
    assert score("coin_flip", t, "3/8 or 1/2")[1] == "unparseable"
    g = task("simple_geometry")
    assert score("simple_geometry", g, f"{g.answer}°")[0] == 1.0
    assert score("simple_geometry", g, f"{g.answer} degrees")[0] == 1.0
    n = task("needle_haystack")
    assert score("needle_haystack", n, n.answer.upper())[0] == 1.0
    assert score("needle_haystack", n, n.answer.split()[0])[1] == "unparseable"


def test_course_schedule_accepts_any_valid_order_and_needs_impossible_on_a_cycle() -> None:
    t = task("course_schedule", 0, 1)
    t.metadata.update(courses=3, prereqs=[[2, 0]])  # 2 needs 0; 1 is free
    for order in ("0 1 2", "1 0 2", "0, 2, 1"):
        assert score("course_schedule", t, order)[0] == 1.0, order
    assert score("course_schedule", t, "2 0 1")[0] == 0.0
    assert score("course_schedule", t, "impossible")[0] == 0.0
    t.metadata["prereqs"] = [[2, 0], [0, 2]]
    assert score("course_schedule", t, "impossible")[0] == 1.0
    assert score("course_schedule", t, "0 1 2")[0] == 0.0


def test_propositional_accepts_any_model_and_rejects_double_values() -> None:
    t = task("propositional_logic", 0, 1)
    t.metadata.update(names=["p1", "p2"], formulas=[["or", [["p1", True], ["p2", True]]]])
    for answer in ("p1 = true, p2 = false", "p1: F, p2: T", "p1 is 1\np2 is 1"):
        assert score("propositional_logic", t, answer)[0] == 1.0, answer
    assert score("propositional_logic", t, "p1 = false, p2 = false")[0] == 0.0
    assert score("propositional_logic", t, "p1 = true, p1 = false, p2 = true")[0] == 0.0
    assert score("propositional_logic", t, "p1 = true or p2 = true")[1] == "unparseable"
    assert propositional_logic.count_models(["p1", "p2"], t.metadata["formulas"])[0] == 3


def test_quantum_lock_any_optimal_sequence_and_no_longer_one() -> None:
    t = task("quantum_lock", 0, 1)
    t.metadata.update(buttons=[["add", 1, "any"], ["add", 2, "any"]], target=3, optimum=2)
    for answer in ("A B", "B A", "BA", "A → B"):
        assert score("quantum_lock", t, answer)[0] == 1.0, answer
    assert score("quantum_lock", t, "A A A")[0] == 0.0  # reaches 3, but not in the fewest


def test_knight_swap_replays_the_rules() -> None:
    t = task("knight_swap", 0, 1)
    game = FAMILIES["knight_swap"]
    moves = game.gold_moves(t)
    assert len(moves) == t.metadata["optimum"]
    assert game.replay(t, moves) is None
    a, b = moves[0]
    graph = knight_swap.jumps(t.metadata["rows"], t.metadata["cols"])
    not_a_jump = next(sq for sq in sorted(graph) if sq != a and sq not in graph[a])
    assert game.replay(t, [(a, not_a_jump)]) is not None
    assert score("knight_swap", t, f"{a}-{b}")[0] == 0.0  # one legal move does not swap
    path, _ = knight_swap.solve(3, 4, ["a1"], ["c2"])
    assert path is not None and len(path) >= 3


def test_family_relationship_words() -> None:
    meta = {
        "gender": {"A": "m", "B": "f", "C": "f", "D": "m", "E": "f", "F": "m"},
        "parents": {"C": ["A", "B"], "D": ["A", "B"], "F": ["D", "E"]},
        "spouse": {"A": "B", "B": "A", "D": "E", "E": "D"},
    }
    rel = family_relationships.relation
    assert rel("C", "F", meta) == "aunt"
    assert rel("A", "F", meta) == "grandfather"
    assert rel("E", "C", meta) == "sister-in-law"
    assert rel("E", "A", meta) == "daughter-in-law"
    assert rel("B", "E", meta) == "mother-in-law"
    t = task("family_relationships", 3, 8)
    spaced = ", ".join(w.replace("-", " ") for w in t.answer)
    assert score("family_relationships", t, spaced)[0] == 1.0


@pytest.mark.parametrize("seed", range(6))
def test_induction_answers_are_unique_over_their_rule_class(seed: int) -> None:
    lf = task("list_functions", seed, 6)
    m = lf.metadata
    found, _ = list_functions.agreeing(m["depth"], m["examples"])
    assert {tuple(list_functions.apply(list(f), m["query"])) for f in found} == {tuple(lf.answer)}
    ns = task("number_sequence", seed, 9)
    m = ns.metadata
    limits = number_sequence._ranges(9)
    nexts = {tuple(number_sequence.extend(m["terms"], r, m["asked"])) for r in
             number_sequence.fitting(m["terms"], limits)}  # fmt: skip
    assert nexts == {tuple(ns.answer)}
    arc = task("arc_1d", seed, 7)
    m = arc.metadata
    agree = [n for n in arc_1d.NAMES if all(arc_1d.OPS[n](i) == o for i, o in m["examples"])]
    assert {tuple(arc_1d.OPS[n](m["query"])) for n in agree} == {tuple(arc.answer)}
    mg = task("modulo_grid", seed, 8)
    m = mg.metadata
    hidden = {tuple(h) for h in m["hidden"]}
    side = m["side"]
    visible = [(r, c, mg.answer[r][c]) for r in range(side) for c in range(side)
               if (r, c) not in hidden]  # fmt: skip
    completions = {
        tuple(modulo_grid.render(x, side, side)[r][c] for r, c in sorted(hidden))
        for x in modulo_grid.rules(m["top"])
        if modulo_grid.fits(x, visible)
    }
    assert len(completions) == 1


def test_modulo_grid_rejects_a_changed_visible_cell_and_a_ruleless_grid() -> None:
    t = task("modulo_grid", 2, 6)
    grid = [row[:] for row in t.answer]
    hidden = {tuple(h) for h in t.metadata["hidden"]}
    r, c = next((r, c) for r in range(len(grid)) for c in range(len(grid)) if (r, c) not in hidden)
    grid[r][c] = 1 - grid[r][c]
    text = "\n".join(" ".join("#" if v else "." for v in row) for row in grid)
    assert score("modulo_grid", t, text)[0] == 0.0


def test_rubiks_cube_accepts_any_solution_within_the_limit() -> None:
    t = task("rubiks_cube", 0, 2)
    t.metadata["scramble"] = ["R", "L"]  # commuting turns: two orders undo them
    for answer in ("R' L'", "L' R'", "L’, R’"):
        assert score("rubiks_cube", t, answer)[0] == 1.0, answer
    assert score("rubiks_cube", t, "R L")[0] == 0.0
    assert score("rubiks_cube", t, "R' L' U U'")[0] == 0.0  # over the limit
    assert score("rubiks_cube", t, "R' or L'")[1] == "unparseable"
    cube = rubiks_cube.solved_cube()
    assert rubiks_cube.apply(cube, ["R", "R", "R", "R"]) == cube
    assert rubiks_cube.is_solved(rubiks_cube.apply(cube, ["F2", "F2"]))


def test_rush_hour_replays_the_rules_and_accepts_another_optimal_plan() -> None:
    t = task("rush_hour", 0, 1)
    # A at the left of the exit row, B (vertical) blocks column 4, C (vertical) blocks column 5
    t.metadata.update(cars=[[True, 2, 2], [False, 4, 2], [False, 5, 2]], start=[0, 2, 1],
                      optimum=3)  # fmt: skip
    for plan in ("B-2, C+2, A+4", "C+2, B+2, A+4", "B+2 C-1 A+4"):
        assert score("rush_hour", t, plan)[0] == 1.0, plan
    assert score("rush_hour", t, "A+4")[0] == 0.0  # blocked
    assert score("rush_hour", t, "B-3, C+2, A+4")[0] == 0.0  # off the lot
    assert score("rush_hour", t, "B-2, B+1, C+2, A+4")[0] == 0.0  # more than the optimum
    assert rush_hour.solve(t.metadata["cars"], (0, 2, 1))[0] is not None
