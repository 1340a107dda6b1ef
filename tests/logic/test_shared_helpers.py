"""The small helpers the grid and truth-teller families share (grids.py, statements.py)."""

from __future__ import annotations

from gymhub.envs.logic.grids import (
    answer_lines,
    connected,
    orth,
    region_label,
    symbol_cells,
)
from gymhub.envs.logic.statements import format_labels, one_flipped


def test_orth_stays_inside_the_grid_in_a_fixed_order():
    assert orth((0, 0), 3) == [(1, 0), (0, 1)]
    assert orth((1, 1), 3) == [(0, 1), (2, 1), (1, 0), (1, 2)]
    assert orth((2, 2), 3) == [(1, 2), (2, 1)]
    assert orth((0, 0), 1) == []


def test_connected():
    assert not connected([])
    assert connected([(0, 0)])
    assert connected([(0, 0), (0, 1), (1, 1)])
    assert not connected([(0, 0), (1, 1)])  # diagonal only
    assert not connected([(0, 0), (0, 1), (3, 3)])


def test_answer_lines_and_symbol_cells():
    assert answer_lines("\n\n # . \n\n  . #\n\n") == ["# . ", "  . #"]
    assert symbol_cells("#, .| `x` \t.") == ["#", ".", "x", "."]


def test_region_label():
    assert [region_label(k) for k in (0, 25, 26, 51)] == ["A", "Z", "a", "z"]
    assert region_label(52) == "A0"
    assert region_label(105) == "B1"


def test_statement_answers():
    answer = {"Ann": "knight", "Bo": "knave", "Cy": "knight"}
    names = ["Ann", "Bo", "Cy"]
    assert format_labels(names, answer) == "Ann: knight, Bo: knave, Cy: knight"
    assert one_flipped(names, answer, ("knight", "knave")) == [
        "Ann: knave, Bo: knave, Cy: knight",
        "Ann: knight, Bo: knight, Cy: knight",
        "Ann: knight, Bo: knave, Cy: knave",
    ]
    assert one_flipped(["Ann"], {"Ann": "liar"}, ("truthful", "liar")) == ["Ann: truthful"]
