"""A right answer taken back, or given an alternative, right after its tag is no answer in any
logic family (`<answer>48</answer> No, 7.` was paid 1.0 in 167 of 173 logic envs); a remark that
vouches for the answer keeps it. Grid answers put as a question or as "anything but" the grid
are not answers either."""

from __future__ import annotations

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task
from tests.logic.test_hedges import wrong_answers

discover_families()
NAMES = sorted(FAMILIES)

TAKEN_BACK = (
    " No, {b}.",
    " Actually, it is {b}.",
    "\n\nWait, that is wrong.",
    " Sorry, I meant {b}.",
    " (or {b})",
    " Or possibly {b}.",
    "\n\nAlternatively, {b} works too.",
    "\n\nActually, scratch that: {b}.",
)
KEPT = (
    "",
    "\n\nThis satisfies every constraint.",
    " Actually, that is correct.",
    "\n\nNo, wait, that is right.",
    "\n\nI checked it against every rule; it is consistent.",
)


def _gold_and_other(name: str) -> tuple[object, str, str]:
    family = FAMILIES[name]
    task = generate_task(family, 3, 0, 2)
    gold = family.format_answer(task)
    others = wrong_answers(name, task) or ["7"]
    return task, gold, others[0]


@pytest.mark.parametrize("name", NAMES)
def test_a_retraction_or_alternative_after_the_tag_is_not_paid(name):
    family = FAMILIES[name]
    task, gold, other = _gold_and_other(name)
    assert family.verify(f"<answer>{gold}</answer>", task).status == "correct"
    for tail in TAKEN_BACK:
        reply = f"<answer>{gold}</answer>" + tail.format(b=other)
        assert family.verify(reply, task).reward == 0.0, (name, tail)


@pytest.mark.parametrize("name", NAMES)
def test_a_remark_that_vouches_for_the_answer_keeps_it(name):
    family = FAMILIES[name]
    task, gold, _other = _gold_and_other(name)
    for tail in KEPT:
        reply = f"<answer>{gold}</answer>" + tail
        assert family.verify(reply, task).status == "correct", (name, tail)


@pytest.mark.parametrize(
    "name", [n for n in NAMES if FAMILIES[n].skips_words and "?" not in str(_gold_and_other(n)[1])]
)
def test_a_word_free_answer_put_as_a_question_or_excluded_is_not_paid(name):
    family = FAMILIES[name]
    task, gold, _other = _gold_and_other(name)
    for reply in (f"<answer>{gold}?</answer>", f"<answer>anything but {gold}</answer>"):
        assert family.verify(reply, task).reward == 0.0, (name, reply)


def test_a_remark_that_names_the_answer_without_another_keeps_it():
    family = FAMILIES["gcd"]
    task = generate_task(family, 3, 0, 2)
    gold = family.format_answer(task)
    remark = f"\n\nAlternatively, one can reach {gold} with Euclid's algorithm."
    assert family.verify(f"<answer>{gold}</answer>{remark}", task).status == "correct"
    other = f"\n\nAlternatively, one can reach {int(gold) + 1} with Euclid's algorithm."
    assert family.verify(f"<answer>{gold}</answer>{other}", task).reward == 0.0


def test_zebra_two_solutions_at_once_are_not_paid():
    # the reader skipped values of other puzzles and let a house's line come twice, so the gold
    # with another puzzle's solution appended was paid
    family = FAMILIES["zebra_puzzle"]
    task = generate_task(family, 0, 0, 2)
    gold = family.format_answer(task)
    other = family.format_answer(generate_task(family, 100, 0, 2))
    assert family.verify(f"<answer>{gold}</answer>", task).status == "correct"
    for reply in (f"{gold}\n{other}", f"{gold} and {other}"):
        assert family.verify(f"<answer>{reply}</answer>", task).reward == 0.0, reply
    repeated = f"{gold}\n{gold.splitlines()[0]}"  # the same line again is no second solution
    assert family.verify(f"<answer>{repeated}</answer>", task).status == "correct"
