"""Red-team: two prices on a line of a GSM8K answer ("The price rose from $40 to $45.", "Each
costs $4, so 5 cost $20.") were read as one inline math span (`40 to `) and the answer as a
list: a right answer scored 0. A `$` before a digit whose next `$` on the line is before a digit
too is a price now; math spans (`$4$ and $5$`) are kept."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.math_verifier import currency_dollars

VERIFIER = MathVerifier()
THINK = "<think>\nEach shirt costs $4 and she buys 5, so 4 * 5 = 20.\n</think>\n\n"


@pytest.mark.parametrize(
    ("response", "gold", "status"),
    [
        ("The price rose from $40 to $45.", "45", "correct"),
        ("Each costs $4, so 5 cost $20.", "20", "correct"),
        ("She earns $12 per hour, so in 3 hours she earns $36.", "36", "correct"),
        ("Each costs $4, so 5 cost $20.\n\n#### 20", "20", "correct"),
        ("He paid $40 and then $5 more, so the total is $45.", "45", "correct"),
        # hedges stay hedges, math spans stay math
        ("The total is $20 or $25.", "20", "incorrect"),
        ("It costs between $40 and $45.", "45", "incorrect"),
        ("The answer is $4$ $5$.", "4", "incorrect"),
        ("So 9 * $2 = $17.", "17", "incorrect"),  # a false chain stays one
        ("So 9 * $2 = $18.", "18", "correct"),
        ("The total is $4$ and $5$.", "4,5", "correct"),
        ("So $x = 4$.", "4", "correct"),
    ],
)
def test_prices_on_one_line_are_not_a_math_span(response, gold, status):
    verdict = VERIFIER.verify(THINK + response, gold)
    assert verdict.status == status, verdict


def test_only_prices_that_would_pair_are_escaped():
    assert currency_dollars("from $40 to $45.") == "from 40 to $45."
    assert currency_dollars("$4$ and $5$") == "$4$ and $5$"
    assert currency_dollars("costs $4, so $5x = 20$") == "costs 4, so $5x = 20$"
    assert currency_dollars("$$40$$ $5") == "$$40$$ $5"
    assert currency_dollars("a \\$4 b $5") == "a \\$4 b $5"
    assert currency_dollars("$4 on one line\n$5 on the next") == "$4 on one line\n$5 on the next"
    assert currency_dollars("no dollars") == "no dollars"


@pytest.mark.parametrize("fragment", ["$1 ", "$1$", "$1\n", "$$", "$ ", "\\$1 $"])
def test_currency_scan_is_linear(fragment):
    hostile = fragment * (100_000 // len(fragment))
    start = time.perf_counter()
    currency_dollars(hostile)
    VERIFIER.verify(hostile + " The answer is $5.", "5")
    assert time.perf_counter() - start < 1.5
