"""GLM's box tokens (`<|begin_of_box|>16<|end_of_box|>`, GLM-4.5V and GLM-4.1V-Thinking's way of
marking the final answer) are its `\\boxed{16}`: the answer between them was unparseable."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier

VERIFIER = MathVerifier()


@pytest.mark.parametrize(
    ("response", "gold", "status"),
    [
        ("<|begin_of_box|>16<|end_of_box|>", "16", "correct"),
        ("The answer is <|begin_of_box|>16<|end_of_box|>.", "16", "correct"),
        ("<|begin_of_box|>\\frac{1}{2}<|end_of_box|>", "1/2", "correct"),
        ("<|begin_of_box|>17<|end_of_box|>", "16", "incorrect"),
        ("<|begin_of_box|>16<|end_of_box|> or <|begin_of_box|>17<|end_of_box|>", "16", "incorrect"),
    ],
)
def test_glm_boxes_are_read_as_boxes(response, gold, status):
    assert VERIFIER.verify(response, gold).status == status


def test_unclosed_or_piled_box_tokens_are_read_fast():
    start = time.perf_counter()
    VERIFIER.verify("<|begin_of_box|>" * 30_000 + "1", "1")
    VERIFIER.verify(("<|begin_of_box|>" + "y" * 1999) * 50, "1")
    assert time.perf_counter() - start < 3
