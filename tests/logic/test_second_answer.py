"""Another answer after the answer tag is a hedge in every logic family: `<answer>G</answer>`
followed by `Final answer: B`, `The answer is B.`, `\\boxed{B}`, `Second guess: B` or B on a line
of its own (B another answer the family reads as wrong) was paid 1.0 in every family, since only
the tag was read and the retraction rule knows only openers such as `No,` or `Actually,`. Prose
after the tag, a remark with numbers in it and the answer restated keep a right answer."""

from __future__ import annotations

import time

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.base import _answer_like
from gymhub.envs.logic.env import generate_task
from gymhub.types import Task
from tests.logic.test_hedges import wrong_answers

discover_families()
NAMES = sorted(FAMILIES)
CASES = ((3, 2), (0, 6))  # (seed, difficulty)

SECOND = (
    "\n{b}",
    "\nFinal answer: {b}",
    "\nThe answer is {b}.",
    " \\boxed{{{b}}}",
    "\n**Answer:** {b}",
    "\nWait, let me recheck. The answer is {b}.",
    "\n\nSo the final answer is:\n{b}",
    "\n\nSecond guess: {b}",
    "\nHmm, make that {b}.",
    "\nOn second thought it should be {b}",
)
KEPT = (
    "\nThis satisfies every constraint.",
    "\n\nExplanation: I checked each of the 4 rows and 3 columns; all 12 cells are consistent.",
    "\nEach row and column contains the numbers 1 to 4 exactly once.",
    "\nThe answer is the one above.",
    "\nThe answer is correct because every clue holds.",
    "\n\nFinal answer given above.",
    "\nThis took 3 steps: first (1,1), then (2,2), then (3,3).",
    "\nSolution: found by trying cases 1, 2 and 3 in turn.",
    "\n\n**Explanation:** Starting from the top-left corner (1,1), I filled row 1, then row 2.",
    " (verified)",
    "\nNote: 7 and 2 were the hardest numbers.",
    "\nAnswer: see above.",
    "\nThe solution is unique.",
    "\nThat is my final answer.",
    "\nStep 1: read the puzzle. Step 2: solve it.",
    "\nAll 5 people are accounted for.",
    "\n1. Read the clues\n2. Solve",
    "\nMy guess is as good as yours, but I verified it.",
    "\nThe grid should be read row by row.",
    "\nIt could be checked by hand in 3 minutes.",
    "\nMake that a habit: check 2 times.",
)
RESTATED = ("\nThe answer is {g}.", "\nFinal answer: {g}", "\n{g}", "\n\nSolution:\n{g}")


def _other(name: str, task: Task, gold: str) -> str | None:
    """A wrong answer written like the gold (one value changed, an item dropped) that the
    family reads and refuses."""
    family = FAMILIES[name]
    for other in wrong_answers(name, task):
        if other.strip() == gold.strip() or not _answer_like(other, gold):
            continue
        if family.verify(f"<answer>{other}</answer>", task).status == "incorrect":
            return other
    return None


def test_most_families_have_a_second_answer_to_try() -> None:
    found = sum(
        _other(n, t, FAMILIES[n].format_answer(t)) is not None
        for n in NAMES
        for t in [generate_task(FAMILIES[n], 3, 0, 2)]
    )
    assert found >= 0.8 * len(NAMES), found


@pytest.mark.parametrize("name", NAMES)
def test_another_answer_after_the_tag_is_not_paid(name: str) -> None:
    family = FAMILIES[name]
    for seed, d in CASES:
        task = generate_task(family, seed, 0, d)
        gold = family.format_answer(task)
        other = _other(name, task, gold)
        if other is None:
            continue
        for tail in SECOND:
            if "boxed" in tail and ("{" in gold or "}" in gold):
                continue  # `\boxed{...}` cannot hold a brace answer unambiguously
            if "\n" in gold and tail.startswith("\n{b}"):
                continue  # a grid's line after the tag is no answer of its own
            reply = f"<answer>{gold}</answer>" + tail.format(b=other)
            verdict = family.verify(reply, task)
            assert verdict.reward == 0.0 and verdict.status == "incorrect", (name, d, tail)


@pytest.mark.parametrize("name", NAMES)
def test_prose_or_the_answer_restated_after_the_tag_keeps_it(name: str) -> None:
    family = FAMILIES[name]
    for seed, d in CASES:
        task = generate_task(family, seed, 0, d)
        gold = family.format_answer(task)
        for tail in KEPT + RESTATED:
            reply = f"<answer>{gold}</answer>" + tail.format(g=gold)
            verdict = family.verify(reply, task)
            assert verdict.status == "correct", (name, d, tail, verdict.detail)


@pytest.mark.parametrize(
    "piece", ["answer is ", "Answer: ", "answer **", " ", "\t", "9", "is", "\\boxed{", "**", "a"]
)
def test_reading_after_the_tag_stays_linear_on_long_runs(piece: str) -> None:
    """Every reply of 100,000 characters of one piece after the tag is judged within a second."""
    family = FAMILIES["sudoku"]
    task = generate_task(family, 0, 0, 5)
    gold = family.format_answer(task)
    tail = piece * (100_000 // len(piece))
    start = time.perf_counter()
    family.verify(f"<answer>{gold}</answer>{tail}", task)
    assert _answer_like(tail, tail) in (True, False)
    assert time.perf_counter() - start < 1.0, piece


@pytest.mark.parametrize(
    ("name", "word"),
    [("word_sorting_mistake", "none"), ("course_schedule", "impossible"), ("syllogism", "none")],
)
def test_a_word_the_question_offers_as_an_answer_after_the_tag_is_a_second_answer(
    name: str, word: str
) -> None:
    """`none` after `Step 2`, `impossible` after an order: not written like the answer, but a
    word the question itself names as an answer, so another answer all the same."""
    family = FAMILIES[name]
    tried = 0
    for seed in range(12):
        task = generate_task(family, seed, 0, 3)
        gold = family.format_answer(task)
        if gold.strip().lower() == word:
            continue
        tried += 1
        for tail in (f"\nFinal answer: {word}", f"\n{word}", f" \\boxed{{{word}}}"):
            assert family.verify(f"<answer>{gold}</answer>{tail}", task).reward == 0.0, tail
        kept = f"<answer>{gold}</answer>\n{word.capitalize()} of the other options holds."
        assert family.verify(kept, task).status == "correct"
    assert tried >= 6


def test_a_phrase_that_may_offer_an_answer_offers_one_only_when_it_names_one() -> None:
    """`It could be checked by hand in 3 minutes.` after the tag was read as an alternative
    answer (`it could be`) and a right answer scored 0 in every family; it names no answer.
    `It could be 16 minutes.` or `It might be 16.` still name another one."""
    family = FAMILIES["gcd"]
    task = generate_task(family, 3, 0, 2)
    gold = family.format_answer(task)
    other = str(int(gold) + 1)
    for tail in (" It could be checked by hand in 3 minutes.", f" It could be {gold}, surely."):
        assert family.verify(f"<answer>{gold}</answer>{tail}", task).status == "correct", tail
    for tail in (f" It could be {other} minutes.", f" It might be {other}.", " Maybe 3."):
        assert family.verify(f"<answer>{gold}</answer>{tail}", task).reward == 0.0, tail


AFFIRMED = (
    "\n\nWait, {a} is right.",
    "\n\nHmm, {a} checks out.",
    "\n\nYes, {a} is correct.",
    "\nSo {a} is indeed the answer.",
    "\n\nDouble-checking: {a} is right!",
    "\n\nYes, {a}.",
    "\n\nThus {a} is the correct answer.",
    "\n\n{a} - that checks out.",
    "\n\nLet me verify: {a}. Correct.",
    "\n\nWait, {a}? Yes, that's right.",
    "\n\nWait... {a}. Yes, {a} is right.",
    "\n\nHmm, {a}. That checks out.",
    "\n\n{a} \u2713",
)


@pytest.mark.parametrize("name", NAMES)
def test_the_answer_said_to_be_right_after_the_tag_keeps_it(name: str) -> None:
    """`<answer>guide, angry, sap</answer>\n\nWait, guide, angry, sap is right.` was read as
    another answer (`guide, angry, sap is right`, a wrong list) and a right answer scored 0 in
    the word families; the answer said to be right is the answer again. Another answer said to
    be right (`Wait, <other> is right.`) is still a second answer."""
    family = FAMILIES[name]
    for seed, d in CASES:
        task = generate_task(family, seed, 0, d)
        gold = family.format_answer(task)
        if "\n" in gold:
            continue  # a grid said to be right is no one-line remark
        for tail in AFFIRMED:
            reply = f"<answer>{gold}</answer>" + tail.format(a=gold)
            verdict = family.verify(reply, task)
            assert verdict.status == "correct", (name, d, tail, verdict.detail)
        other = _other(name, task, gold)
        if other is None or "\n" in other:
            continue
        for tail in AFFIRMED:
            reply = f"<answer>{gold}</answer>" + tail.format(a=other)
            verdict = family.verify(reply, task)
            assert verdict.reward == 0.0, (name, d, tail)


def test_the_reported_letter_jumble_restatement_is_paid() -> None:
    family = FAMILIES["letter_jumble"]
    for seed in range(40):
        task = generate_task(family, seed, 0, 5)
        if len(family.format_answer(task).split(", ")) == 6:
            break
    gold = family.format_answer(task)
    for tail in (f"\n\nWait, {gold} is right.", f"\n\nHmm, {gold} checks out."):
        assert family.verify(f"<answer>{gold}</answer>{tail}", task).status == "correct", tail
    wrong = ", ".join(reversed(gold.split(", ")))
    assert family.verify(f"<answer>{gold}</answer>\n\nWait, {wrong} is right.", task).reward == 0
    for mixed in (f"Wait, {gold}? Yes, {wrong} is right.", f"{gold}. Hmm, {wrong} checks out."):
        assert family.verify(f"<answer>{gold}</answer>\n\n{mixed}", task).reward == 0, mixed


@pytest.mark.parametrize(
    "piece", ["is right", "wait, ", " ", "- ", "7 is right. ", "Yes. ", ". ", "\u2713", ", that"]
)
def test_an_affirmed_value_is_read_in_linear_time(piece: str) -> None:
    family = FAMILIES["letter_jumble"]
    task = generate_task(family, 0, 0, 5)
    gold = family.format_answer(task)
    tail = "Wait, " + piece * (100_000 // len(piece)) + " is right."
    start = time.perf_counter()
    family.verify(f"<answer>{gold}</answer>\n{tail}", task)
    assert time.perf_counter() - start < 1.0, piece
