"""A second value offered as good as the answer is a hedge (two candidates, one paid): after a
box, a tag, or an answer read from prose, and in the "Also 3 works" order as well as "3 also
works". A restatement of the same value, a value ruled out or asked about, and a method said to
work for another case are not offers."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.math_verifier import other_value_after_answer

VERIFIER = MathVerifier()

HEDGES = [
    ("$\\boxed{2}$. Also $3$ works.", "2"),
    ("\\boxed{2}. Also, $x = 3$ is a solution.", "2"),
    ("<answer>2</answer> Also 3 is another answer.", "2"),
    ("Answer: 5. 6 also works.", "5"),
    ("The answer is 5. 6 also works.", "5"),
    ("The answer is 5. Also, x = 6 is a solution.", "5"),
    ("So the answer is 5; also 6 would work.", "5"),
    ("Final answer: 5\n\nAlso 7 satisfies it.", "5"),
]

NOT_HEDGES = [
    ("The answer is 5. Also 5.0 works.", "5"),  # the same value
    ("The answer is 1/2. Also 0.5 works.", "1/2"),
    ("The answer is 5. It also works for n = 6 but not here.", "5"),
    ("The answer is 5. The method also works for 6.", "5"),
    ("Answer: 5. Also 6 is not a solution.", "5"),  # ruled out
    ("Answer: 5. Also 6 works? Checking, it is too big.", "5"),  # asked, not offered
    ("\\boxed{5}. Also 6 works too but it is extraneous.", "5"),
    ("The answer is 5.", "5"),
]


@pytest.mark.parametrize(("response", "gold"), HEDGES)
def test_a_second_value_offered_after_the_answer_is_a_hedge(response, gold):
    verdict = VERIFIER.verify(response, gold)
    assert verdict.status == "incorrect", verdict
    assert "hedged" in (verdict.detail or "")


@pytest.mark.parametrize(("response", "gold"), NOT_HEDGES)
def test_restatements_and_ruled_out_values_are_not_hedges(response, gold):
    assert VERIFIER.verify(response, gold).status == "correct"


def test_other_value_after_answer_checks_its_input_and_is_bounded():
    with pytest.raises(TypeError):
        other_value_after_answer(None, "5")  # type: ignore[arg-type]
    assert other_value_after_answer("no answer here", "5") is None
    assert other_value_after_answer("anything", "") is None
    hostile = "The answer is 5." + (". also 6 " * 20_000) + "x"
    start = time.perf_counter()
    other_value_after_answer(hostile, "5")
    VERIFIER.verify(hostile, "5")
    assert time.perf_counter() - start < 5
