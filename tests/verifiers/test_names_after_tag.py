"""Several names written after the answer's tag are a list of other answers, as one name there
already is: `<answer>Paris</answer> / Lyon / Marseille` and `..., Lyon, Marseille` were paid. A
sign-off ("Regards, Claude") and prose after the answer are not a list."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers.string_match import ExactMatch

MATCH = ExactMatch()


@pytest.mark.parametrize(
    "response",
    [
        "<answer>Paris</answer> / Lyon / Marseille",
        "<answer>Paris</answer>, Lyon, Marseille",
        "<answer>Paris</answer> | Lyon | Nice",
        "<answer>Paris</answer>\n- Lyon, Marseille",
        "<answer>Paris</answer> or Lyon, or Nice",
    ],
)
def test_a_list_of_names_after_the_answer_is_a_hedge(response):
    assert MATCH.verify(response, "Paris").status == "incorrect"


@pytest.mark.parametrize(
    "response",
    [
        "<answer>Paris</answer>\n\nRegards, Claude",
        "<answer>Paris</answer>\n\nThanks, Bob",
        "<answer>Paris</answer>\n\nParis, the capital, since 508",
        "<answer>Paris</answer>\nParis, Paris",
        "<answer>Paris</answer>\nSee: Wikipedia, Britannica",
        "<answer>Paris</answer>\n\nHope this helps, cheers!",
    ],
)
def test_sign_offs_and_prose_after_the_answer_keep_it(response):
    assert MATCH.verify(response, "Paris").status == "correct"


def test_a_long_list_is_read_in_linear_time():
    start = time.perf_counter()
    MATCH.verify("<answer>Paris</answer>" + " / Lyon" * 50_000, "Paris")
    MATCH.verify("<answer>Paris</answer>" + ", Lyon" * 50_000, "Paris")
    assert time.perf_counter() - start < 2
