"""Answer reading found by an adversarial probe of every family:

- families whose reader skips the words around a grid or an assignment paid `not <grid>`, "the
  answer is not ...", `maybe <grid>` or "<grid> is wrong": a negating or hedging word now makes
  the answer incorrect (`LogicFamily.skips_words`, the shared `hedge_words`);
- the multi-turn games did not read a move in bold, in inline code or with a final period;
- a right answer written `\\boxed{...}`, `$...$`, in quotes, after `Answer:`, in full-width
  digits, with no-break spaces, zero-width marks or `\\r` line ends scored 0;
- hostile text made checkers raise (a number of over 4300 digits in a `(r,c)` list, a house,
  line or move number, or written with thousands commas; a superscript digit in a magic square; a
  tab or line break inside a rush-hour slide), which is the hub's failure, not the policy's; and
  a reader of number grids was quadratic in the lines.
"""

from __future__ import annotations

import re

import pytest

import gymhub
from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.base import hedge_words, plain_text, unwrap_markup
from gymhub.envs.logic.families._games import GAMES
from tests.logic.test_hedges import task_for, wrong_answers

discover_families()
NAMES = sorted(FAMILIES)
SEEDS = ((0, 3), (1, 5), (2, 1))

NEGATED = {
    "not": "not {g}",
    "not_line": "not\n{g}",
    "answer_is_not": "The answer is not:\n{g}",
    "maybe": "maybe {g}",
    "is_wrong": "{g}\nis wrong",
    "isnt": "It isn't {g}",
    "bold_not": "**not** {g}",
    "either": "either\n{g}\nor\n{w}",
}
FRAMED = {
    "answer_is": "The answer is: {g}",
    "final_answer": "Final answer:\n{g}",
    "answer": "Answer: {g}",
    "answer_is_period": "The answer is {g}.",
    "boxed": "\\boxed{{{g}}}",
    "bold_answer": "**Answer: {g}**",
    "quotes": '"{g}"',
    "math": "${g}$",
    "display_math": "$$\n{g}\n$$",
    "text": "\\text{{{g}}}",
}
_WIDE = {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
RESPELLED = {
    "full_width_digits": lambda g: g.translate(_WIDE),
    "no_break_spaces": lambda g: g.replace(" ", "\u00a0"),
    "zero_width": lambda g: "\ufeff" + g + "\u200b",
    "crlf": lambda g: g.replace("\n", "\r\n") + "\r\n",
    "cr": lambda g: g.replace("\n", "\r"),
}


def _wrong(name: str, seed: int, difficulty: int) -> str:
    family, task = FAMILIES[name], task_for(name, seed, difficulty)
    for wrong in wrong_answers(name, task):
        if family.verify(f"<answer>{wrong}</answer>", task).reward == 0.0:
            return wrong
    return "1"


def test_hedge_words_finds_negations_and_hedges_but_not_answer_words() -> None:
    assert hedge_words("1 2\n3 4") == []
    assert hedge_words("The answer is: 1 2") == []
    assert hedge_words("not 1 2") == ["not"]
    assert hedge_words("It isn’t 12, maybe 21") == ["isn’t", "maybe"]
    assert hedge_words("either A or B") == ["either", "or"]
    assert hedge_words("Ann: no, Bob: yes", frozenset({"no"})) == []
    assert hedge_words("Nothing, Noah, nope, Northern") == []  # whole words only


def test_plain_text_reads_what_a_reader_should_see() -> None:
    assert plain_text("１２\u00a0３\u200b\r\n\ufeff4\r5") == "12 3\n4\n5"
    assert plain_text("\u22126") == "-6"


def test_unwrap_markup_peels_an_answer_prefix_and_one_box_only() -> None:
    assert unwrap_markup("Answer: 5") == ["5"]
    assert unwrap_markup("The final answer is 5.") == ["5.", "5"]
    assert unwrap_markup("\\boxed{5}") == ["5"]
    assert unwrap_markup("\\boxed{5} or \\boxed{6}") == []
    assert unwrap_markup("**Answer: 5**") == ["Answer: 5", "5"]
    assert unwrap_markup('"5"') == unwrap_markup("$5$") == unwrap_markup("\\text{5}") == ["5"]
    assert unwrap_markup('"5" or "6"') == unwrap_markup("$5$ or $6$") == []


@pytest.mark.parametrize("name", NAMES)
def test_a_negated_or_hedged_answer_never_pays(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in SEEDS:
        task = task_for(name, seed, difficulty)
        gold, wrong = family.format_answer(task), _wrong(name, seed, difficulty)
        for form, template in NEGATED.items():
            response = f"<answer>{template.format(g=gold, w=wrong)}</answer>"
            verdict = family.verify(response, task)
            assert verdict.reward == 0.0, (name, form, response[:200], verdict)


@pytest.mark.parametrize("name", NAMES)
def test_a_right_answer_after_plain_framing_or_in_a_box_pays(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in SEEDS:
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        for form, template in FRAMED.items():
            response = f"<answer>{template.format(g=gold)}</answer>"
            verdict = family.verify(response, task)
            assert verdict.reward == 1.0, (name, form, response[:200], verdict)


@pytest.mark.parametrize("name", NAMES)
def test_a_right_answer_in_other_unicode_spellings_pays(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in SEEDS:
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        for form, respell in RESPELLED.items():
            response = f"<answer>{respell(gold)}</answer>"
            verdict = family.verify(response, task)
            assert verdict.reward == 1.0, (name, form, response[:200], verdict)


HOSTILE = [
    "\ud800",
    "{g}\ud800",
    "\x00{g}\x00",
    "(" * 20_000 + ")" * 20_000,
    "[" * 20_000 + "]" * 20_000,
    "{" * 5_000 + "}" * 5_000,
    "9" * 20_000,
    "{g}, (1," + "9" * 5_000 + ")",
    "(" + "1" * 4_400 + ",1)",
    "House " + "1" * 4_400 + ": {g}",
    "{g}²",
    "² ³ ① ٣",
    "1\n" * 20_000,
    "\\boxed{" * 3_000 + "}" * 3_000,
    "Answer: " * 3_000,
    "9," + "999," * 1_500 + "999",
    "1: " + "9" * 5_000 + "\n{g}",
    "{g}\n" + "9" * 5_000 + ": push",
]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_text_never_makes_a_checker_fail(name: str) -> None:
    family = FAMILIES[name]
    task = task_for(name, 0, 4)
    gold = family.format_answer(task)
    for template in HOSTILE:
        response = f"<answer>{template.replace('{g}', gold)}</answer>"
        verdict = family.verify(response, task)
        assert verdict.status not in ("error", "infra_error"), (name, response[:120], verdict)
        if "{g}" not in template:
            assert verdict.reward == 0.0, (name, response[:120], verdict)


def test_a_huge_number_in_any_place_never_makes_a_checker_fail() -> None:
    for name in NAMES:
        family = FAMILIES[name]
        task = task_for(name, 0, 3)
        gold = family.format_answer(task)
        runs = list(re.finditer(r"\d+", gold))
        for m in runs[:2] + runs[-1:]:
            for huge in ("9" * 5_000, "9," + "999," * 1_500 + "9", "\u0663" * 4_400):
                response = f"<answer>{gold[: m.start()]}{huge}{gold[m.end() :]}</answer>"
                verdict = family.verify(response, task)
                assert verdict.status == "unparseable", (name, verdict)


def test_rush_hour_reads_no_slide_across_a_line_and_a_tab_never_fails() -> None:
    family = FAMILIES["rush_hour"]
    task = task_for("rush_hour", 0, 3)
    gold = family.format_answer(task)
    tabbed = gold.replace("+", "+\t").replace("-", "-\t")
    assert family.verify(f"<answer>{tabbed}</answer>", task).reward == 1.0
    for response in ("C+1, F-\n2, B+1", "A\t-\t\n4"):
        verdict = family.verify(f"<answer>{response}</answer>", task)
        assert verdict.status in ("unparseable", "incorrect"), verdict


GAME_IDS = sorted(f"gymhub/Logic-{g.title}Game-v0" for g in GAMES.values())
MOVE_MARKUP = ["**{m}**", "`{m}`", "{m}.", "**{m}**.", "```\n{m}\n```"]


def _first_step(env_id: str, text: str):
    env = gymhub.make(env_id, difficulty=3)
    env.reset(seed=0)
    move = env.reference_action()
    assert move is not None
    return env.step(f"<answer>{text.format(m=move.content.split('<answer>')[1][:-9])}</answer>")


@pytest.mark.parametrize("env_id", GAME_IDS)
def test_a_game_reads_a_move_in_bold_in_code_or_with_a_period(env_id: str) -> None:
    obs, reward, done, _, info = _first_step(env_id, "{m}")
    assert info["verdict"] != "unparseable", info
    for template in MOVE_MARKUP:
        obs2, reward2, done2, _, info2 = _first_step(env_id, template)
        assert (info2["verdict"], reward2, done2) == (info["verdict"], reward, done), template
        assert obs2.messages[-1].content == obs.messages[-1].content, template


@pytest.mark.parametrize("env_id", GAME_IDS)
def test_a_game_refuses_a_hedged_move_and_hostile_moves_never_fail(env_id: str) -> None:
    for template in (
        "**{m}** or **{m}**x",
        "(1," + "9" * 5_000 + ")",
        "(" + "1" * 4_400 + ",1)",
        "\ud800",
        "\x00",
        "(" * 20_000,
    ):
        _, reward, _, _, info = _first_step(env_id, template)
        assert info["verdict"] not in ("error", "infra_error"), (template[:50], info)
        assert reward == 0.0
