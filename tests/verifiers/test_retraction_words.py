"""A final answer taken back by a word earlier rules missed ('No wait', 'Wait, 7', 'Hmm, 7',
'Nope', 'My mistake', 'Scratch that') states two final answers: a hedge, whichever is gold.
A 'Wait'/'Hmm' that opens a check of the same answer changes nothing."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import extract
from gymhub.verifiers.math_verifier import MathVerifier
from gymhub.verifiers.string_match import ExactMatch

TAKEN_BACK = [
    "\\boxed{12345} No wait, 7.",
    "\\boxed{12345} No wait 7",
    "\\boxed{12345}. Wait, 7.",
    "\\boxed{12345}. Wait, it's 7.",
    "\\boxed{12345}. Wait, $7$.",
    "\\boxed{12345}. Hmm, 7.",
    "\\boxed{12345}. Scratch that, 7.",
    "\\boxed{12345}. Nope, 7.",
    "\\boxed{12345}. My mistake, 7.",
    "The answer is 12345. Wait, 7.",
    # a 'Wait' before the retraction proper reads on to it
    "\\boxed{12345}. Wait, I need to check. Actually the answer is 7.",
]
KEPT = [
    "\\boxed{12345}",
    "\\boxed{12345}. Wait, let me double check: 12345 is right.",
    "\\boxed{12345}\n\nWait, let me verify. 12340 + 5 = 12345.",
    "\\boxed{12345}. No wait, that's right.",
    "\\boxed{12345}. Hmm, that checks out.",
    "\\boxed{12345}. Wait, 12345 is right.",
]


@pytest.fixture(scope="module")
def verifier() -> MathVerifier:
    return MathVerifier()


@pytest.mark.parametrize("reply", TAKEN_BACK)
def test_a_taken_back_math_answer_is_not_paid(verifier: MathVerifier, reply: str) -> None:
    assert verifier.verify(reply, "12345").status == "incorrect", reply


@pytest.mark.parametrize("reply", KEPT)
def test_a_checked_math_answer_is_still_paid(verifier: MathVerifier, reply: str) -> None:
    assert verifier.verify(reply, "12345").status == "correct", reply


@pytest.mark.parametrize("word", ["My mistake", "My bad", "Nope", "No wait", "Scratch that"])
def test_a_taken_back_text_answer_is_not_paid(word: str) -> None:
    assert ExactMatch().verify(f"<answer>Paris</answer> {word}, Lyon.", "Paris").reward == 0.0


@pytest.mark.parametrize(
    "hostile", ["wait, " * 20_000, "hmm" * 30_000 + "x", "h" + "m" * 100_000, "no wait" * 15_000]
)
def test_retraction_patterns_are_linear(hostile: str) -> None:
    start = time.perf_counter()
    extract._RETRACTION.search(hostile)
    extract._TEXT_RETRACTION.match(hostile)
    assert time.perf_counter() - start < 1.0
