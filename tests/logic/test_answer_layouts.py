"""Answer layouts found by a second adversarial review of every family:

- a right answer after a bold lead (`**Answer:** ...`, `**Final Answer:** ...`) or after
  "Therefore, the answer is" scored 0 in ~120 families;
- a right list or grid written as JSON (`["a", "b"]`, `[[1, 2], [3, 4]]`, also with Python's
  quotes), as numbered or bulleted lines (`1. ...`, `Row 1: ...`, `- ...`), as a markdown table,
  as Python-list rows or with rule lines between rows, as `[a, b]` without quotes, as
  `a, b and c` / `a and b`, or with
  each item in bold or in quotes (`**a**, **b**`, `"a", "b"`) scored 0
  in most list and grid families; the same layouts holding a hedge still pay nothing;
- a grid of one-digit cells written without spaces (`0110`, as Life boards often are) scored 0
  in game_of_life, binary_matrix, rotate_matrix and manipulate_matrix;
- a `-` written as a Unicode hyphen (U+2010, or U+2011, which some models write for every `-`:
  `‑1`, `daughter‑in‑law`, `E‑2`) scored 0 in ~30 families;
- a right answer in LaTeX (`\\frac{8}{9}`, `23 \\times 41`, `x^{4}`) scored 0 in
  fraction_simplification, prime_factorization, polynomial_equations, simple_integration,
  polynomial_multiplication and complex_arithmetic;
- keyed answers written as a JSON object one key a line (`{"1": "entailed"}`, `{"House 1":
  ["red", "tea"]}`) scored 0 in knights_knaves_entailment, wordscapes, zebra_puzzle and
  stack_permutation; cells named `r1c2` or `(row 1, col 2)` scored 0 in the coordinate
  families (light_up, lights_out, minesweeper, tic_tac_toe, twiddle, nim);
- color_cube_rotation refused `**top**: red` and `top -> red` as unexpected symbols;
- game_of_24 read only what stood before the first `=`, so `<expr> == <other expr>` or
  `<expr> => <other>` paid; now the other side must be the target;
- time_sequence read `10:000` as 10:00 and `109:00` as 9:00;
- knights_and_knaves and web_of_lies did not see a second full assignment after a line break
  typed as the two characters `\\n` (a hedge paid), and read no label after one.
"""

from __future__ import annotations

import json
import re

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.base import readings, relaid, unlatexed
from gymhub.envs.logic.grids import read_pairs
from tests.logic.test_hedges import JOINABLE, task_for, wrong_answers

discover_families()
NAMES = sorted(FAMILIES)
LEADS = {
    "bold_answer_colon": "**Answer:** {g}",
    "bold_final_answer": "**Final Answer:**\n{g}",
    "bold_answer_then_colon": "**Answer**: {g}",
    "therefore": "Therefore, the answer is {g}",
    "thus_bold": "Thus, the final answer is **{g}**.",
}


def layouts(gold: str) -> dict[str, str]:
    """The gold rewritten in the list and grid layouts models use (those that apply to it)."""
    out: dict[str, str] = {}
    rows = gold.split("\n")
    if len(rows) > 1:
        cells = [row.split() for row in rows]
        out["numbered_rows"] = "\n".join(f"{i}. {row}" for i, row in enumerate(rows, 1))
        out["row_labels"] = "\n".join(f"Row {i}: {row}" for i, row in enumerate(rows, 1))
        out["json_grid"] = json.dumps(cells)
        out["python_grid"] = repr(cells)
        out["list_rows"] = "\n".join("[" + ", ".join(row) + "]" for row in cells)
        out["rules"] = "\n-----\n".join(rows)
        if len({len(row) for row in cells}) == 1:
            table = ["| " + " | ".join(row) + " |" for row in cells]
            out["table"] = "\n".join([table[0], "|" + "---|" * len(cells[0]), *table[1:]])
    elif ", " in gold:
        items = gold.split(", ")
        out["json_list"] = json.dumps(items)
        out["numbered"] = "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
        out["bullets"] = "\n".join(f"- {item}" for item in items)
        out["and"] = ", ".join(items[:-1]) + " and " + items[-1]
        out["oxford_and"] = ", ".join(items[:-1]) + ", and " + items[-1]
        out["quoted_items"] = ", ".join(f'"{item}"' for item in items)
        if not re.search(r"[\[\](){}<]", gold):
            out["bare_brackets"] = f"[{gold}]"
        out["bold_items"] = ", ".join(f"**{item}**" for item in items)
    return out


def test_relaid_and_readings() -> None:
    assert relaid('["a", "b"]') == ["a, b", "a b", "[a, b]"]
    assert relaid("[[1, 2], [3, 4]]") == ["1 2\n3 4"]
    assert relaid('{"A": 1, "B": [true, 2]}') == [
        "A: 1, B: true, 2",
        "A: 1\nB: true, 2",
        "{A: 1, B: [true, 2]}",
    ]
    assert relaid("1. x\n2. y") == ["x\ny", "x, y"]
    assert relaid("Row 1: 1 2\nRow 2: 2 1") == ["1 2\n2 1", "1 2, 2 1"]
    assert relaid("- x\n- y") == ["x\ny", "x, y"]
    assert relaid("a, b and c") == relaid("a, b, and c") == ["a, b, c"]
    assert relaid("a and b") == ["a, b"]
    assert relaid("a and b", and_lists=False) == []  # a text family: `and` is a word there
    assert relaid("1. x\n3. y") == []  # not numbered 1, 2, 3 ...: left as written
    assert relaid("a and b and c") == relaid("[1, [2]]") == relaid("[" * 5000) == []
    assert readings("**Answer:** [1, 2]") == ["[1, 2]", "1, 2", "1 2"]
    assert relaid("| 1 | 2 |\n|---|---|\n| 3 | 4 |") == ["1 2\n3 4"]
    assert relaid("[1, 2],\n[3, 4]") == relaid("1 2\n-----\n3 4") == ["1 2\n3 4"]
    assert relaid("[['#', '.'], ['.', '#']]") == ["# .\n. #"]
    assert relaid("**a**, **b**") == relaid('"a", "b"') == ["a, b"]
    assert relaid("2**3**5") == relaid("**a**") == []
    assert relaid("[D, A, G]") == ["D, A, G", "D A G"]
    assert relaid("[fill A, pour A->B]") == ["fill A, pour A->B", "fill A pour A->B"]
    assert relaid("[) ]]") == relaid("[> >]") == relaid("[(1,2), (3,4)]") == []


@pytest.mark.parametrize("name", NAMES)
def test_a_right_answer_after_a_bold_lead_or_in_a_list_layout_pays(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in ((0, 1), (1, 4), (3, 8)):
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        forms = {k: v.format(g=gold) for k, v in LEADS.items()}
        if name != "zebra_puzzle":  # its lines hold `, ` themselves
            forms.update(layouts(gold))
        forms["lead_and_json"] = "**Answer:** " + forms.get("json_list", gold)
        for form, answer in forms.items():
            verdict = family.verify(f"<answer>{answer}</answer>", task)
            assert verdict.reward == 1.0, (name, form, answer[:200], verdict)


@pytest.mark.parametrize("name", NAMES)
def test_a_hedge_in_a_list_layout_never_pays(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in ((2, 3), (5, 2)):
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        for wrong in wrong_answers(name, task):
            if family.verify(f"<answer>{wrong}</answer>", task).reward > 0:
                continue  # another valid solution
            for a, b in ((gold, wrong), (wrong, gold)):
                hedges = [
                    f"**Answer:** {a} or {b}",
                    f"Therefore, the answer is {a} or {b}",
                ]
                if name not in JOINABLE:  # a longer press list is one answer there
                    hedges += [json.dumps([a, b]), f"{a} and {b}", f"1. {a}\n2. {b}"]
                    hedges += [f"- {a}\n- {b}", f'"{a}", "{b}"', f"`{a}` and `{b}`"]
                    hedges.append(f"[{a}, {b}]")
                    both = f"{a}\n{b}".split("\n")
                    hedges.append("\n".join(f"| {row} |" for row in both))  # a table of both
                    hedges.append("\n".join(f"[{row}]" for row in both))
                for hedge in hedges:
                    verdict = family.verify(f"<answer>{hedge}</answer>", task)
                    assert verdict.reward == 0.0, (name, hedge[:300], verdict)


HOSTILE = [
    "[" * 20000 + "]" * 20000,
    "[NaN, Infinity, -Infinity, 1e999]",
    "[[NaN, 1], [Infinity, 2]]",
    '{"a": 1, "b": [1], "c": null}',
    '["\\u202e", "\\ud800", "\\u0000"]',
    "\n".join(f"{i}. {i % 10}" for i in range(1, 8000)),
    ", ".join(str(i) for i in range(8000)) + " and 5",
    "**Answer:** " * 9 + "1",
]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_layouts_never_make_a_checker_fail(name: str) -> None:
    family = FAMILIES[name]
    task = task_for(name, 0, 5)
    for text in HOSTILE:
        verdict = family.verify(f"<answer>{text}</answer>", task)
        assert verdict.status != "error" and verdict.reward == 0.0, (name, text[:80], verdict)


def test_game_of_24_pays_only_an_equation_with_the_target() -> None:
    family = FAMILIES["game_of_24"]
    task = task_for("game_of_24", 2, 3)
    gold = family.format_answer(task)
    target = task.metadata["target"]
    for right in (gold, f"{gold} = {target}", f"{target} = {gold}", f"{gold} ="):
        assert family.verify(f"<answer>{right}</answer>", task).reward == 1.0, right
    wrong = wrong_answers("game_of_24", task)[0]
    for hedge in (f"{gold} == {wrong}", f"{gold} => {wrong}", f"{gold} = {wrong}"):
        assert family.verify(f"<answer>{hedge}</answer>", task).reward == 0.0, hedge
    assert family.verify(f"<answer>{gold} = {target + 1}</answer>", task).reward == 0.0


def test_time_sequence_reads_whole_times_only() -> None:
    family = FAMILIES["time_sequence"]
    task = task_for("time_sequence", 0, 1)
    gold = family.format_answer(task)  # 09:00-10:00
    start, end = gold.split("-")
    assert family.verify(f"<answer>{gold}</answer>", task).reward == 1.0
    for wrong in (f"{start}-{end}0", f"1{start}-1{end}", f"{start}5-{end}"):
        assert family.verify(f"<answer>{wrong}</answer>", task).reward == 0.0, wrong


@pytest.mark.parametrize("name", ["knights_and_knaves", "web_of_lies"])
def test_a_line_break_typed_as_backslash_n_separates_items(name: str) -> None:
    family = FAMILIES[name]
    task = task_for(name, 2, 3)
    gold = family.format_answer(task)
    typed = gold.replace(", ", "\\n")  # `\n` as two characters between the pairs
    assert family.verify(f"<answer>{typed}</answer>", task).reward == 1.0
    for wrong in family.near_misses(task):
        for hedge in (f"{gold}\\n{wrong}", f"{wrong}\\n{gold}"):
            assert family.verify(f"<answer>{hedge}</answer>", task).reward == 0.0, hedge


@pytest.mark.parametrize(
    "name", ["game_of_life", "binary_matrix", "rotate_matrix", "manipulate_matrix"]
)
def test_a_grid_of_one_digit_cells_may_be_written_without_spaces(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in ((0, 1), (1, 3), (2, 6)):
        task = task_for(name, seed, difficulty)
        rows = family.format_answer(task).split("\n")
        if any(len(cell) > 1 for row in rows for cell in row.split()):
            continue  # a cell of two digits: packed digits would be ambiguous
        packed = [row.replace(" ", "") for row in rows]
        assert family.verify("<answer>" + "\n".join(packed) + "</answer>", task).reward == 1.0
        flipped = [("1" if packed[0][0] == "0" else "0") + packed[0][1:], *packed[1:]]
        for wrong in (flipped, packed[:-1], [*packed, packed[0]], [packed[0] + "0", *packed[1:]]):
            answer = "<answer>" + "\n".join(wrong) + "</answer>"
            assert family.verify(answer, task).reward == 0.0, (name, wrong)


@pytest.mark.parametrize("name", NAMES)
def test_a_unicode_hyphen_reads_as_a_hyphen_or_minus(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in ((0, 3), (1, 6), (2, 8)):
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        if "-" not in gold:
            continue
        for hyphen in ("\u2010", "\u2011"):  # hyphen, non-breaking hyphen
            answer = gold.replace("-", hyphen)
            verdict = family.verify(f"<answer>{answer}</answer>", task)
            assert verdict.reward == 1.0, (name, answer[:100], verdict)


def latex(answer: str) -> str:
    """The answer as a LaTeX-writing model puts it: fractions as `\\frac{a}{b}`, products with
    `\\times`, powers as `x^{n}`."""
    answer = re.sub(r"\(?(-?\d+)/(\d+)\)?\*?", r"\\frac{\1}{\2}", answer)
    return re.sub(r"\^(\d+)", r"^{\1}", answer.replace(" * ", " \\times "))


@pytest.mark.parametrize("name", NAMES)
def test_a_right_answer_in_latex_pays_and_a_latex_hedge_does_not(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in ((0, 2), (1, 5), (3, 8), (4, 9)):
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        written = latex(gold)
        if written == gold or "\n" in gold:
            continue
        for answer in (written, f"${written}$", f"\\boxed{{{written}}}"):
            verdict = family.verify(f"<answer>{answer}</answer>", task)
            assert verdict.reward == 1.0, (name, answer[:100], verdict)
        for wrong in wrong_answers(name, task):
            if family.verify(f"<answer>{wrong}</answer>", task).reward > 0:
                continue
            for hedge in (f"{written} or {latex(wrong)}", f"{latex(wrong)}, {written}"):
                verdict = family.verify(f"<answer>{hedge}</answer>", task)
                assert verdict.reward == 0.0, (name, hedge[:100], verdict)


def test_unlatexed() -> None:
    assert unlatexed("\\frac{8}{9}") == "8/9"
    assert unlatexed("-\\dfrac{8}{9}") == "-8/9"
    assert unlatexed("0, -\\frac{1}{3}, \\frac{5}{3}") == "0, -1/3, 5/3"
    assert unlatexed("-\\frac{1}{2}x^{4} + C") == "-(1/2)x^4 + C"
    assert unlatexed("23 \\times 41 \\cdot 2") == "23 * 41 * 2"
    assert unlatexed("8/9") is None


KEYED = [
    "knights_knaves_entailment",
    "wordscapes",
    "zebra_puzzle",
    "stack_permutation",
    "color_cube_rotation",
    "cryptarithm",
    "propositional_logic",
    "goods_exchange",
    "parts_machine",
]


@pytest.mark.parametrize("name", KEYED)
def test_keyed_answers_as_a_json_object_pay_and_a_second_value_does_not(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in ((0, 3), (1, 6)):
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        sep = ": " if ": " in gold else "="
        items = gold.split("\n") if "\n" in gold else gold.split(", ")
        pairs = dict(item.split(sep, 1) for item in items)
        listed = {k: v.split(", ") if ", " in v else v for k, v in pairs.items()}
        for value in (pairs, listed):
            answer = f"<answer>{json.dumps(value)}</answer>"
            assert family.verify(answer, task).reward == 1.0, (name, answer[:200])
        for wrong in wrong_answers(name, task):
            items = wrong.split("\n") if "\n" in wrong else wrong.split(", ")
            other = dict(item.split(sep, 1) for item in items if sep in item)
            both = {k: [v, other[k]] if other.get(k, v) != v else v for k, v in pairs.items()}
            if both != pairs:
                answer = f"<answer>{json.dumps(both)}</answer>"
                assert family.verify(answer, task).reward == 0.0, (name, answer[:200])


PAIRED = ["light_up", "lights_out", "minesweeper", "tic_tac_toe", "twiddle"]


@pytest.mark.parametrize("name", PAIRED)
def test_cells_named_by_row_and_column_labels_read_as_pairs(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in ((0, 3), (1, 6)):
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        if "(" not in gold:
            continue
        for form in (r"r\1c\2", r"R\1C\2", r"(row \1, col \2)", r"(row \1, column \2)"):
            answer = re.sub(r"\((\d+),\s*(\d+)\)", form, gold)
            verdict = family.verify(f"<answer>{answer}</answer>", task)
            assert verdict.reward == 1.0, (name, answer, verdict)
        for wrong in wrong_answers(name, task):
            if family.verify(f"<answer>{wrong}</answer>", task).reward > 0:
                continue
            labelled = re.sub(r"\((\d+),\s*(\d+)\)", r"r\1c\2", wrong)
            assert family.verify(f"<answer>{labelled}</answer>", task).reward == 0.0
            hedge = re.sub(r"\((\d+),\s*(\d+)\)", r"r\1c\2", f"{gold} or {wrong}")
            assert family.verify(f"<answer>{hedge}</answer>", task).reward == 0.0
    cell = "(row 1, col 2)"
    assert read_pairs(f"{cell}, r3c4") == [(1, 2), (3, 4)]
    assert read_pairs("(col 2, row 1)") is None  # column first: not read as (row, column)


def test_color_cube_rotation_reads_bold_faces_and_arrows() -> None:
    family = FAMILIES["color_cube_rotation"]
    task = task_for("color_cube_rotation", 0, 3)
    gold = family.format_answer(task)  # "bottom: pink, top: black, front: purple"
    pairs = [item.split(": ") for item in gold.split(", ")]
    for answer in (
        ", ".join(f"**{face}**: {color}" for face, color in pairs),
        "\n".join(f"**{face.title()}:** {color}" for face, color in pairs),
        ", ".join(f"{face} -> {color}" for face, color in pairs),
    ):
        assert family.verify(f"<answer>{answer}</answer>", task).reward == 1.0, answer
    face, color = pairs[0]
    other = pairs[1][1]
    for hedge in (gold.replace(color, f"{color} -> {other}", 1), f"**{face}**: {other}, {gold}"):
        assert family.verify(f"<answer>{hedge}</answer>", task).reward == 0.0, hedge
