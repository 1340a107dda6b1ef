"""A reply ending with its answers listed under a heading of their own ("**Solutions:**" then
`- $x = 2$` and `- $x = 3$` on lines of their own) states every item: only the last line was
read, and the right answer {2, 3} scored 0."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.extract import extract_final_answer

VERIFIER = MathVerifier()


@pytest.mark.parametrize(
    "response",
    [
        "**Solutions:**\n- $x = 2$\n- $x = 3$",
        "The solutions are:\n$$x = 2$$\n$$x = 3$$",
        "The roots are:\n1. $x = 2$\n2. $x = 3$",
        "Therefore the answers are:\n- 2\n- 3",
        "### Solutions\n- $x=2$\n- $x=3$",
    ],
)
def test_a_listed_ending_states_every_item(response):
    assert VERIFIER.verify(response, "2, 3").status == "correct"
    assert VERIFIER.verify(response, "3").status == "incorrect"  # two answers for one asked


@pytest.mark.parametrize(
    "response",
    [
        "Steps:\n- $x = 2$\n- $x = 3$",  # not a heading of answers
        "The solutions are:\n- $x = 2$\n- $y = 3$",  # a system's solution, not a list
        "The roots are:\n- $x = 2$\n- $x = 3$\n\nBoth check out.",  # the list does not end it
    ],
)
def test_other_endings_keep_the_usual_reading(response):
    assert len(extract_final_answer(response).candidates) == 1
    assert "text{ or }" not in extract_final_answer(response).candidates[0]


def test_long_replies_are_read_fast():
    start = time.perf_counter()
    extract_final_answer("**Solutions:**\n" + "- $x = 2$\n" * 50_000)
    extract_final_answer("x\n" * 100_000)
    assert time.perf_counter() - start < 2
