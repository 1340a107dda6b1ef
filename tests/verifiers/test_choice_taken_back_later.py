"""A multiple-choice pick taken back in a later paragraph by a bare other pick ("The answer is
B.\\n\\nActually, C.") names two answers: a hedge, as the same retraction in the answer's own
paragraph already was. A later paragraph that discusses another option keeps the pick."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers.choice import MultipleChoice

CHOICE = MultipleChoice()


@pytest.mark.parametrize(
    "response",
    [
        "The answer is B.\n\nActually, C.",
        "The answer is B.\n\nActually, (C)",
        "The answer is B.\n\nWait, no, C!",
        "The answer is B.\n\nActually, it's C.",
        "Answer: B\n\nNo. C.",
    ],
)
def test_a_bare_pick_after_a_retraction_in_a_later_paragraph_is_a_hedge(response):
    assert CHOICE.verify(response, "B").status == "incorrect"


@pytest.mark.parametrize(
    "response",
    [
        "The answer is B.\n\nActually, C is a common distractor.",
        "The answer is B.\n\nActually, B.",
        "The answer is B.\n\nHmm, I think B is right.",
        "The answer is B.\n\nActually, a",
    ],
)
def test_a_later_discussion_keeps_the_pick(response):
    assert CHOICE.verify(response, "B").status == "correct"


def test_long_later_paragraphs_are_read_fast():
    start = time.perf_counter()
    CHOICE.verify("The answer is B.\n\nActually, " + " " * 100_000 + "C.", "B")
    CHOICE.verify("The answer is B.\n\n" + "Actually, " * 20_000, "B")
    assert time.perf_counter() - start < 2
