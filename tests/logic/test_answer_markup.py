"""Answer reading found by an adversarial review: a right answer in markdown (a code fence,
bold, inline code) or with a final period pays in every family, a hedge in markdown does not;
Survo reads nothing but the row's sum after `|` and the column sums as a copied last line;
hostile numbers never make a checker fail."""

from __future__ import annotations

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.base import unwrap_markup
from tests.logic.test_hedges import task_for, wrong_answers

discover_families()
NAMES = sorted(FAMILIES)
WRAPPED = {
    "fence": "\n```\n{g}\n```\n",
    "fence_language": "```text\n{g}\n```",
    "bold": "**{g}**",
    "period": "{g}.",
    "bold_period": "**{g}**.",
}


def test_unwrap_markup_peels_whole_answer_wrappers_only() -> None:
    assert unwrap_markup("**5**") == ["5"]
    assert unwrap_markup("`5`") == ["5"]
    assert unwrap_markup("```python\n1 2\n3 4\n```") == ["1 2\n3 4"]
    assert unwrap_markup("**5**.") == ["**5**", "5"]
    assert unwrap_markup("```\n#.\n..\n```") == ["#.\n..", "#.\n."]  # a grid may end in `.`
    assert unwrap_markup("**a** or **b**") == unwrap_markup("**") == []
    assert unwrap_markup("#..") == ["#."]  # one final period, not a run of empty cells


@pytest.mark.parametrize("name", NAMES)
def test_a_right_answer_in_markdown_or_with_a_period_pays(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in ((0, 1), (1, 4)):
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        forms = dict(WRAPPED)
        if "\n" not in gold:
            forms["code"] = "`{g}`"
        for form, template in forms.items():
            response = f"<answer>{template.format(g=gold)}</answer>"
            verdict = family.verify(response, task)
            assert verdict.reward == 1.0, (name, form, response[:200], verdict)


@pytest.mark.parametrize("name", NAMES)
def test_a_hedge_in_markdown_never_pays(name: str) -> None:
    family = FAMILIES[name]
    task = task_for(name, 2, 3)
    gold = family.format_answer(task)
    for wrong in wrong_answers(name, task):
        if family.verify(f"<answer>{wrong}</answer>", task).reward > 0:
            continue  # another valid solution
        for a, b in ((gold, wrong), (wrong, gold)):
            for response in (
                f"<answer>**{a}** or **{b}**</answer>",
                f"<answer>```\n{a}\n```\n```\n{b}\n```</answer>",
                f"<answer>**{a} or {b}**</answer>",
                f"<answer>`{a}` or `{b}`.</answer>",
            ):
                verdict = family.verify(response, task)
                assert verdict.reward == 0.0, (name, response[:200], verdict)


def test_survo_pays_no_second_row_after_the_bar_or_as_an_extra_line() -> None:
    family = FAMILIES["survo"]
    task = task_for("survo", 0, 1)
    m = task.metadata
    rows = [" ".join(map(str, row)) for row in task.answer]
    other = " ".join(map(str, task.answer[-1][::-1]))  # the last row the other way round
    hedges = [
        "\n".join([*rows, other]),  # a second candidate for the last row, as an extra line
        "\n".join([*rows[:-1], f"{rows[-1]} | {other}"]),  # ... or after the bar
    ]
    for hedge in hedges:
        assert family.verify(f"<answer>{hedge}</answer>", task).reward == 0.0, hedge
    copied = "\n".join(f"{row} | {m['row_sums'][i]}" for i, row in enumerate(rows))
    copied += "\n" + " ".join(map(str, m["col_sums"]))
    assert family.verify(f"<answer>{copied}</answer>", task).reward == 1.0


def test_hostile_numbers_never_make_a_checker_fail() -> None:
    poly = FAMILIES["polynomial_multiplication"]
    task = task_for("polynomial_multiplication", 0, 4)
    verdict = poly.verify("<answer>80x^4 + 40/00x^2</answer>", task)
    assert verdict.status == "unparseable", verdict
    bitwise = FAMILIES["bitwise_arithmetic"]
    task = task_for("bitwise_arithmetic", 0, 8)
    gold = int(bitwise.format_answer(task))
    assert bitwise.verify(f"<answer>00{gold + 1}</answer>", task).status == "incorrect"
    if gold >= 0:
        assert bitwise.verify(f"<answer>00{gold}</answer>", task).reward == 1.0
