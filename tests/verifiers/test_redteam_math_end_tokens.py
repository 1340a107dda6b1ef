"""Red-team: a trainer that decodes without skipping special tokens leaves the end-of-sequence
token at the end of the reply. After a GSM8K `#### 16` or a prose "The answer is 16." it was
read as part of the answer (`16</s>`: unparseable), a right answer scored 0."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.math_verifier import without_end_tokens

VERIFIER = MathVerifier()
TRACE = (
    "<think>\nThe rectangle is 3 by 5, so the perimeter is 2(3 + 5) = 16.\n</think>\n\n"
    "The perimeter is 2 × (3 + 5) = 16 units.\n\n"
)
TOKENS = [
    "</s>",
    "<eos>",
    "<|endoftext|>",
    "<|im_end|>",
    "<|eot_id|>",
    "<|end|>",
    "<|end_of_text|>",
    "<end_of_turn>",
    "<\uff5cend\u2581of\u2581sentence\uff5c>",
    "<|im_end|>\n<|endoftext|>",
    "</s></s>",
]


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("answer", ["#### 16", "The answer is 16.", "Answer: 16"])
def test_an_end_token_after_the_answer_is_not_part_of_it(answer, token):
    verdict = VERIFIER.verify(TRACE + answer + token, "16")
    assert verdict.status == "correct", verdict


@pytest.mark.parametrize("token", ["</s>", "<|im_end|>", "<|eot_id|>"])
def test_a_hedge_before_an_end_token_stays_a_hedge(token):
    assert VERIFIER.verify(TRACE + "#### 16 or 17" + token, "16").status == "incorrect"
    assert VERIFIER.verify(TRACE + "#### 17" + token, "16").status == "incorrect"


def test_only_trailing_end_tokens_are_dropped():
    assert without_end_tokens("abc </s> <|im_end|>\n") == "abc"
    assert without_end_tokens("no token") == "no token"
    assert without_end_tokens("<s>x</s> y") == "<s>x</s> y"
    assert without_end_tokens("16<|end_of_box|>") == "16<|end_of_box|>"  # not an end token


@pytest.mark.parametrize("hostile", ["</s>" * 300_000, "<|im_end|>" * 100_000, " " * 1_000_000])
def test_dropping_end_tokens_is_bounded(hostile):
    start = time.perf_counter()
    without_end_tokens(hostile)
    assert time.perf_counter() - start < 0.5
