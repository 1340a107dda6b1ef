"""Scale letters (`1.2k`), fractions of a scale word (`half a million`), times of day (`10:30`,
`3:30 PM`) and parts that add up to the value: read as a reader does, and in linear time."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.extract import extract_final_answer
from gymhub.verifiers.math_forms import scaled_number
from gymhub.verifiers.math_spelling import respell


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("1200", "The answer is 1.2k.", "correct"),
        ("1.2", "The answer is 1.2k.", "incorrect"),
        ("3000", "It costs $3K.", "correct"),
        ("2000000000", "The company is worth $2bn.", "correct"),
        ("3k", "\\boxed{3k}", "correct"),  # a symbolic gold: k is a variable
        ("3000", "\\boxed{3K}", "correct"),  # `K` glued to a number: a thousand
        ("300", "\\boxed{300 K}", "correct"),  # set apart: the kelvin, a unit
        ("500000", "The total is half a million dollars.", "correct"),
        ("250000", "\\boxed{\\text{a quarter of a million}}", "correct"),
        ("10:30", "The meeting starts at 10:30.", "correct"),
        ("\\frac13", "The meeting starts at 10:30.", "incorrect"),
        ("10:30", "\\boxed{\\frac13}", "incorrect"),
        ("(10, 30)", "\\boxed{10:30}", "incorrect"),  # a time is no pair
        ("22:30", "The answer is 10:30 p.m.", "correct"),
        ("10:30", "The answer is 10:30 PM.", "correct"),  # a 12-hour clock
        ("22:30", "The answer is 10:30 AM.", "incorrect"),
        ("13:30", "\\boxed{13:30 \\text{ PM}}", "unparseable"),  # no time of day
        ("12", "She has 12 apples, 3 from Tom and 9 from Ann.", "correct"),
        ("3", "She has 12 apples, 3 from Tom and 9 from Ann.", "incorrect"),
        ("5", "x = 5 (since x > 0)", "correct"),
    ],
)
def test_answers(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status


def test_scaled_number_and_words():
    assert scaled_number("1.2k") == "1.2 \\times 10^{3}"
    assert scaled_number("\\$2.5M") == "2.5 \\times 10^{6}"
    assert scaled_number("3K") == "3 \\times 10^{3}"
    assert scaled_number("300K", temperature=True) is None  # a question about a temperature
    assert scaled_number("300 K") is None
    assert scaled_number("3 apples") is None
    assert respell("half a million") == "500000"
    assert respell("one and a half thousand") == "1500"
    assert respell("a third of a hundred") == "\\frac{100}{3}"
    assert respell("half a third") == "half a third"


@pytest.mark.parametrize(
    "text",
    [
        "1:" * 50_000,
        "10:30 a" * 15_000,
        "half a " * 15_000,
        "one and " * 12_000,
        "1.2kk" * 20_000,
        "(abc " * 20_000,
        "3 from Tom and " * 7_000,
        "$1M " * 25_000,
        "There are " + "six-" * 25_000,
        "x equals " + "a" * 100_000,
        "9 * $2 = $" * 10_000,
        "The probability is " + "1 in " * 20_000,
        "2½" * 40_000,
        "is at (" * 15_000,
        "maybe " * 16_000,
        "or maybe a " * 9_000,
        "14/3 or approximately " * 4_000,
        "⁻" * 100_000,
        "2 and a " * 12_000,
        "that's " * 14_000,
        "6 cookies in total, " * 5_000,
        "=> " * 30_000 + "6 ✓",
        "is " + " " * 100_000 + "∞" + " " * 100_000 + "x",
        "does not " * 12_000 + "exist",
        "gcd(" + "12, " * 20_000,
    ],
)
def test_reading_stays_linear(text):
    start = time.perf_counter()
    extract_final_answer("The answer is " + text)
    extract_final_answer(text + ".")
    assert time.perf_counter() - start < 5.0  # a quadratic reading takes minutes here


@pytest.mark.parametrize(
    "name",
    ["_REASON_AFTER", "_MAKE_UP_BREAK", "_PARTS_BREAK", "_APPROX_AFTER", "_WORDS_AFTER_VERB"],
)
def test_the_patterns_read_after_a_value_stay_linear(name):
    # a long word split into "words" in every way, or a run of spaces split between two
    # space classes, backtracked cubically (a 1,000-letter word took 43 s)
    from gymhub.verifiers import extract

    pattern = getattr(extract, name)
    start = time.perf_counter()
    for text in (" " * 100_000 + "x", "a" * 100_000 + "!", "*" * 100_000 + "."):
        pattern.match(text, 0)
    assert time.perf_counter() - start < 5.0
