"""A clearly stated final answer is found however much text follows it, and reading any text,
up to the verifier's 1,000,000-character cap, stays linear: a policy cannot make the caller's
process hang (extraction runs there, outside the workers' deadline)."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.extract import extract_final_answer

MB = 990_000  # under MathVerifier's cap, so the whole text is read
RAMBLE = " Let me double-check the reasoning once more, carefully."


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


@pytest.mark.parametrize("ramble", [6_000, 60_000, 600_000])
@pytest.mark.parametrize(
    ("answer", "gold"),
    [
        ("The answer is 42.", "42"),  # was not found past 5,000 characters: unparseable
        ("Final answer: $\\frac{3}{4}$.", "\\frac{3}{4}"),
        ("\\boxed{42}", "42"),
    ],
)
def test_a_final_answer_followed_by_rambling_is_found(verifier, answer, gold, ramble):
    text = "Some working.\n" + answer + RAMBLE * (ramble // len(RAMBLE))
    assert verifier.verify(text, gold).status == "correct"
    assert verifier.verify(text, "41").status == "incorrect"


def test_the_last_anchor_still_wins_far_apart(verifier):
    text = "The answer is 41." + RAMBLE * 200 + " Wait, redoing it: the answer is 42."
    assert verifier.verify(text, "42").status == "correct"
    assert verifier.verify(text, "41").status == "incorrect"


HOSTILE = {
    "anchors": "answer is x. ",
    "anchor colons": "Answer: ",
    "anchors on lines": "answer\n",
    "unclosed boxes": "\\boxed{",
    "unclosed math": "$",
    "display openers": "\\[",
    "numbers": "1 ",
    "a list": "1, ",
    "reasons": "So the answer is 5 apples, 4 bags of 5 ",
    "ruled out": "7, not 8 ",
    "assignments": "x = 1, ",
    "anchor in Chinese": "答案是",
    "approximations": "approximately ",
    "signs in words": "Answer: minus" + " " * 4_900 + "x\n",
    "denials": "Answer: not" + " " * 4_900 + "5\n",
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("suffix", ["", " The answer is 5.", "\\boxed{5}"])
def test_a_megabyte_is_read_in_linear_time(verifier, name, suffix):
    unit = HOSTILE[name]
    text = (unit * (MB // len(unit) + 1))[:MB] + suffix
    t0 = time.monotonic()
    extract_final_answer(text)
    verifier._prepare(text, "5", {"question": text[:20_000]})
    assert time.monotonic() - t0 < 15.0, name  # about 1 s here; quadratic would take minutes


def test_a_long_gsm8k_answer_line_is_read_in_linear_time():
    # the answer-line regex backtracked cubically on this: 20,000 characters took 33 s
    text = "#### 1" + " ." * (MB // 2) + "x"
    t0 = time.monotonic()
    extract_final_answer(text)
    assert time.monotonic() - t0 < 15.0


@pytest.mark.parametrize(
    ("response", "answer"),
    [
        ("So 500 + 500 = 1000.\n#### 1,000", "1,000"),
        ("#### 72.", "72"),
        ("#### 72 \n\n", "72"),
        ("   #### $18", "$18"),
    ],
)
def test_the_gsm8k_answer_line(response, answer):
    assert extract_final_answer(response).candidates == [answer]
