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


BOUNDS_AND_ESTIMATES = [
    "Answer: 12 minimum",
    "Answer: 12 max",
    "Answer: 12 maximum.",
    "Answer: 12 at the most",
    "The answer is upwards of 12.",
    "Answer: in excess of 12",
    "Answer: 12 (estimate)",
    "Answer: 12 (rounded)",
    "Answer: 12-ish",
    "Answer: 12 (guess)",
    "Answer: 12 (?)",
]
STILL_THE_VALUE = [
    "Answer: 12",
    "Answer: 12 min",  # minutes
    "The maximum is 12.",
    "So the minimum value is 12.",
    "The minimum is \\boxed{12}",
    "f attains a minimum of 12.",
]


@pytest.mark.parametrize("reply", BOUNDS_AND_ESTIMATES)
def test_a_bound_or_estimate_in_prose_is_not_the_exact_value(
    verifier: MathVerifier, reply: str
) -> None:
    """These were paid as 12: the words after the value were cut off before the verifier saw
    them (inside `\\text{}` they were already read as bounds and estimates)."""
    assert verifier.verify(reply, "12").status == "incorrect", reply


@pytest.mark.parametrize("reply", STILL_THE_VALUE)
def test_the_value_named_with_min_or_max_words_is_still_paid(
    verifier: MathVerifier, reply: str
) -> None:
    assert verifier.verify(reply, "12").status == "correct", reply


def test_an_estimate_still_answers_a_rounded_gold(verifier: MathVerifier) -> None:
    verdict = verifier.verify(
        "Answer: 12 (rounded)", "12", question="Round to the nearest integer."
    )
    assert verdict.status == "correct"


@pytest.mark.parametrize(
    "hostile", ["12 " + "(" * 100_000, "12" + " max" * 25_000, "12 -ish" * 15_000, " " * 100_000]
)
def test_bound_and_estimate_patterns_are_linear(hostile: str) -> None:
    start = time.perf_counter()
    extract._BOUND_AFTER.match(hostile[2:])
    extract._APPROX_AFTER.match(hostile[2:])
    extract._BOUND_BEFORE.search(hostile)
    assert time.perf_counter() - start < 1.0


CONDITIONAL_ALTERNATIVES = [
    "The answer is 12. (13 if we count the endpoints.)",
    "\\boxed{12} (13 if we count the endpoints)",
    "\\boxed{12} ($13$ when n is odd)",
    "\\boxed{12}\n\nNote: if we count the endpoints the answer would be 13.",
    "\\boxed{12}. If we counted the endpoints, it would be 13.",
]
CONDITIONS_ON_THE_ANSWER = [
    "\\boxed{12} (12 if we count the endpoints)",
    "The answer is 12 (which holds if n > 2).",
    "\\boxed{12} (if we count endpoints)",
    "$\\boxed{12}$ ($x = 3$ if positive)",
    "\\boxed{12}\n\nNote: without the endpoints the answer would be 12 as well.",
    "The answer would be 12.",
]


@pytest.mark.parametrize("reply", CONDITIONAL_ALTERNATIVES)
def test_another_value_under_a_condition_is_a_second_answer(
    verifier: MathVerifier, reply: str
) -> None:
    """Were paid 12: the response gives 13 as the answer in another reading of the task."""
    assert verifier.verify(reply, "12").status == "incorrect", reply
    assert verifier.verify(reply, "13").status == "incorrect", reply


@pytest.mark.parametrize("reply", CONDITIONS_ON_THE_ANSWER)
def test_a_condition_on_the_same_answer_keeps_it(verifier: MathVerifier, reply: str) -> None:
    assert verifier.verify(reply, "12").status == "correct", reply


@pytest.mark.parametrize(
    "remark",
    [
        "It could be checked by hand in 3 minutes.",
        "This could be verified in 2 steps.",
        "It could be done in 2 ways.",
    ],
)
def test_a_remark_on_how_the_answer_is_checked_is_no_alternative(
    verifier: MathVerifier, remark: str
) -> None:
    """'it could be' + a participle says how the answer is found or checked: the right answer
    scored 0 (the remark's number was read as a second answer)."""
    assert verifier.verify(f"\\boxed{{12}}. {remark}", "12").status == "correct"
    assert ExactMatch().verify(f"<answer>Paris</answer> {remark}", "Paris").reward == 1.0


@pytest.mark.parametrize("other", ["It could be 13.", "It might be 13.", "It could be -12."])
def test_it_could_be_another_value_stays_a_hedge(verifier: MathVerifier, other: str) -> None:
    assert verifier.verify(f"\\boxed{{12}}. {other}", "12").status == "incorrect"


@pytest.mark.parametrize("other", ["It could be Lyon.", "It could be red.", "It may be Marseille."])
def test_it_could_be_another_name_stays_a_hedge(other: str) -> None:
    assert ExactMatch().verify(f"<answer>Paris</answer> {other}", "Paris").reward == 0.0


@pytest.mark.parametrize(
    "reply",
    [
        "Therefore, the total is **12** apples.",
        "Answer: **12** apples",
        "**12** apples",
        "The answer is **12**.",
        "**Final Answer:** 12",
    ],
)
def test_a_bold_value_with_its_unit_is_the_value(verifier: MathVerifier, reply: str) -> None:
    """Markdown bold around the value was read as a power (`12^ \\text{ apples}`): a right
    answer written the way chat models write it was unparseable."""
    assert verifier.verify(reply, "12").status == "correct", reply


@pytest.mark.parametrize(
    ("reply", "gold"),
    [
        ("\\boxed{3**0.5}", "\\sqrt{3}"),
        ("\\boxed{x**2 + y**2}", "x^2+y^2"),
        ("Answer: 2**10", "1024"),
    ],
)
def test_a_power_written_with_two_stars_is_still_a_power(
    verifier: MathVerifier, reply: str, gold: str
) -> None:
    assert verifier.verify(reply, gold).status == "correct", reply


def test_bold_stays_a_hedge_and_is_linear(verifier: MathVerifier) -> None:
    assert verifier.verify("The answer is **12** or **13**.", "12").status == "incorrect"
    from gymhub.verifiers.math_spelling import without_bold

    for hostile in ["**" * 50_000, "** a" * 30_000, " **x" * 30_000, "**" + "a" * 100_000]:
        start = time.perf_counter()
        without_bold(hostile)
        assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "reply",
    ["\\boxed{12}\n\nNo wait, 13.", "\\boxed{12}\n\nMy mistake, 13.", "\\boxed{12}\n\nNope, 13."],
)
def test_a_paragraph_opening_with_a_retraction_takes_the_answer_back(
    verifier: MathVerifier, reply: str
) -> None:
    """Paid as 12: a retraction in a later paragraph was read as the next step of working."""
    assert verifier.verify(reply, "12").status == "incorrect", reply


@pytest.mark.parametrize(
    "reply",
    [
        "\\boxed{12}\n\nNo wait, 12 is right.",
        "\\boxed{12}\n\nMy mistake was in step 2, which I fixed above.",
        "\\boxed{12}\n\nWe check: no wait is needed, 13 people came.",
    ],
)
def test_a_later_paragraph_that_keeps_the_answer_changes_nothing(
    verifier: MathVerifier, reply: str
) -> None:
    assert verifier.verify(reply, "12").status == "correct", reply


def test_chosen_letters_is_fast_on_blank_runs_for_direct_callers() -> None:
    from gymhub.verifiers.choice import chosen_letters

    start = time.perf_counter()
    assert chosen_letters("B" + " " * 100_000 + "x") == {"B"}
    assert time.perf_counter() - start < 1.0
    with pytest.raises(TypeError, match="str"):
        chosen_letters(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("remark", "paid"),
    [
        ("Sorry, that was easy.", 1.0),
        ("Sorry about the long answer.", 1.0),
        ("Sorry if this was obvious.", 1.0),
        ("Sorry, 13.", 0.0),
        ("Sorry, it is 13.", 0.0),
    ],
)
def test_an_apology_after_the_answer_takes_it_back_only_with_another(
    remark: str, paid: float
) -> None:
    """'Sorry, that was easy.' (a comma before 'that') was read as a retraction: a hedge."""
    assert ExactMatch().verify(f"<answer>12</answer> {remark}", "12").reward == paid
