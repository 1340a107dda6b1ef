"""Red-team: an answer stated as a range in prose ("The answer is from 40 to 45.", "So the count
ranges from 40 to 45.") was read as the range's end and paid for a gold 45; it is a hedge now.
A change ("It rose from 40 to 45."), a range that only describes what is counted ("There are 45
numbers from 1 to 45.") and the value stated on its own as well are not."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.math_verifier import _RANGE_BEFORE, _range_end

VERIFIER = MathVerifier()
THINK = "<think>\nIt is somewhere around 40 to 45.\n</think>\n\n"


@pytest.mark.parametrize(
    "response",
    [
        "The answer is from 40 to 45.",
        "The answer is anywhere from 40 to 45.",
        "So the count ranges from 40 to 45.",
        "The answer is from 40 to 45 apples.",
        "The answer is from 40 apples to 45 apples.",
        "The number of apples is between 40 and 45.",
    ],
)
def test_a_range_is_no_answer(response):
    verdict = VERIFIER.verify(THINK + response, "45")
    assert verdict.status == "incorrect", verdict


@pytest.mark.parametrize(
    "response",
    [
        "It increased from 40 to 45.",
        "The price rose from $40 to $45.",
        "The temperature went from 40 to 45 degrees.",
        "The number of integers from 1 to 45 is 45.",
        "The answer is 45, counting from 1 to 45.",
        "Counting the integers from 1 to 45, the answer is 45.",
        "There are 45 numbers from 1 to 45.",
        "The answer is 45 since the numbers are from 1 to 45.",
    ],
)
def test_changes_and_counted_ranges_keep_the_answer(response):
    verdict = VERIFIER.verify(THINK + response, "45")
    assert verdict.status == "correct", verdict


@pytest.mark.parametrize(
    "fragment", ["is from 1 to ", " ", "is from 1 ", "ranges between 1 and 45 "]
)
def test_the_range_scan_is_bounded(fragment):
    hostile = fragment * (100_000 // len(fragment)) + "45"
    start = time.perf_counter()
    _RANGE_BEFORE.search(hostile, 0, len(hostile))
    _range_end(hostile, "45")
    VERIFIER.verify("The answer is " + hostile, "45")
    assert time.perf_counter() - start < 1.5
