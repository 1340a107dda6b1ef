"""ToyArith's shaped partial credit (a reply that starts with the answer) is not paid for a reply
that states the answer and denies it right after ("7 is wrong."): that teaches the policy to
write the answer and take it back."""

from __future__ import annotations

import pytest

from gymhub.envs.toy.arith import PREFIX_CREDIT, ToyAnswerVerifier


@pytest.mark.parametrize("reply", ["7 is wrong.", "7 is not the answer", "7 may be wrong"])
def test_a_denied_answer_earns_no_partial_credit(reply):
    verdict = ToyAnswerVerifier().verify(reply, "7")
    assert verdict.reward == 0.0, verdict


@pytest.mark.parametrize("reply", ["7 apples", "7 cats and dogs"])
def test_an_answer_that_goes_on_keeps_its_partial_credit(reply):
    assert ToyAnswerVerifier().verify(reply, "7").reward == PREFIX_CREDIT
