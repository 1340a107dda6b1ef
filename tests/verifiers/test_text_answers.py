"""Text verifiers (ExactMatch, MultipleChoice): hedges and guesses that were paid, right answers
in other wordings that scored 0, and linear time on hostile replies."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers.choice import MultipleChoice
from gymhub.verifiers.string_match import ExactMatch, doubted_after

_PLANETS = {"answer": "B", "choices": {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}}


@pytest.mark.parametrize(
    "hedge",
    [
        "B. Actually C.",  # a reply that opens with its pick, then takes it back
        "B. Wait, actually D.",
        "B, then C",
        "B. C is also plausible.",
        "B or c",  # the second letter in lower case
        "B, c",
        "<answer>B or c</answer>",
        "B / c",
    ],
)
def test_multiple_choice_second_pick_after_an_opening_letter_is_a_hedge(hedge):
    """These named a second option after the pick (or in lower case) and were paid as B."""
    assert MultipleChoice().verify(hedge, _PLANETS).status == "incorrect", hedge


@pytest.mark.parametrize(
    "guess",
    [
        "maybe B",
        "perhaps B",
        "probably B",
        "B maybe",
        "B, perhaps",
        "I guess B",
        "Venus, probably",
        "Answer: maybe B",
        "The answer is probably B.",
        "Answer: B, not sure.",
        "<answer>B, not sure</answer>",
        "\\boxed{maybe B}",
        "\\boxed{B}, I guess.",
        "<answer>B</answer> (not sure)",
    ],
)
def test_multiple_choice_a_pick_put_as_a_guess_is_not_paid(guess):
    verdict = MultipleChoice().verify(guess, _PLANETS)
    assert verdict.status == "incorrect", guess
    assert verdict.reward == 0.0


@pytest.mark.parametrize(
    "right",
    [
        "'B'",
        '"B"',
        "option b",
        "the answer is option b",
        "B. Venus is the hottest planet.",
        "B. It is hotter than A.",
        "B. Unlike A, it has a thick atmosphere.",
        "B - Venus, because of CO2.",
        "<answer>B</answer>\nProbably the most common mistake is A.",
        "\\boxed{B}. Perhaps surprisingly, it is not the closest planet.",
        "Definitely B.",
    ],
)
def test_multiple_choice_pays_these_right_picks(right):
    assert MultipleChoice().verify(right, _PLANETS).status == "correct", right


@pytest.mark.parametrize(
    "guess",
    [
        "<answer>Paris</answer> (not sure)",
        "<answer>Paris</answer>, I guess.",
        "<answer>Paris</answer>?",
        "\\boxed{Paris}, maybe",
        "<answer>Paris</answer> - probably",
    ],
)
def test_exact_match_an_answer_doubted_or_asked_after_its_tag_is_not_paid(guess):
    """The doubt after the tag or box was not read: these guesses were paid."""
    assert ExactMatch().verify(guess, "Paris").status == "incorrect", guess


def test_exact_match_a_remark_after_the_tag_on_a_later_line_keeps_the_answer():
    v = ExactMatch()
    assert v.verify("<answer>Paris</answer>\nPerhaps you knew it already.", "Paris").reward == 1
    assert v.verify("<answer>Paris</answer>. Probably the best-known city.", "Paris").reward == 1
    with pytest.raises(TypeError):
        doubted_after(None)  # type: ignore[arg-type]


def test_new_text_readers_are_linear_on_hostile_replies():
    mc, em = MultipleChoice(), ExactMatch()
    pieces = ("maybe ", "B ", "b or ", "B. ", "then ", "'", "not sure ", "(", ", ", "?")
    for piece in pieces:
        body = piece * (100_000 // len(piece))
        for text in (body, "B. " + body, body + " B", "<answer>Paris</answer>" + body):
            start = time.monotonic()
            mc.verify(text, _PLANETS)
            em.verify(text, "Paris")
            assert time.monotonic() - start < 2.0, (piece, text[:20])
