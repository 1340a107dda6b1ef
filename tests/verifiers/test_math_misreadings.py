"""Answers MathVerifier used to misread: units of several words inside one text macro, a power
written in words, and (below) the variants of each that must stay unpaid."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


def box(answer: str) -> str:
    return f"The final answer is $\\boxed{{{answer}}}$."


# ----- units of several words ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("12", box("\\text{12 square units}"), "correct"),  # was compared as words: 0
        ("12", box("\\text{12 sq ft}"), "correct"),
        ("12", box("\\text{12 sq. ft.}"), "correct"),
        ("12", box("\\text{12 square meters}"), "correct"),
        ("12", box("\\text{12 cubic units}"), "correct"),
        ("12", box("12 square units"), "correct"),
        ("12", box("12 sq m"), "correct"),
        ("12", box("12 units squared"), "correct"),
        ("60", box("\\text{60 miles per hour}"), "correct"),
        ("60", box("60 miles per hour"), "correct"),
        ("12\\pi", box("12\\pi\\text{ square units}"), "correct"),
        ("12", "The area is 12 square units.", "correct"),
        ("13", box("\\text{12 square units}"), "incorrect"),
        ("12", box("\\text{12 or 13 square units}"), "incorrect"),
        ("12", box("\\text{12 square units or more}"), "incorrect"),
        ("12", box("\\text{at least 12 square units}"), "incorrect"),
        ("61", box("60 miles per hour"), "incorrect"),
        ("12", box("12 \\,\\mathrm{cm^2}"), "correct"),  # the exponent was read as a 2nd number
        ("12", box("12 \\text{ cm^2}"), "correct"),
        ("13", box("12 \\,\\mathrm{cm^2}"), "incorrect"),
        ("12", box("12 \\text{ cm^2 or 13}"), "incorrect"),
    ],
)
def test_units_of_several_words_are_dropped(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response
    assert MathVerifier(fast_path=False).verify(response, gold).status == status


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("25", box("5 squared"), "correct"),
        ("5", box("5 squared"), "incorrect"),  # was paid: `squared` dropped like a unit
        ("5", box("5 \\text{ squared}"), "incorrect"),
        ("125", box("5 cubed"), "correct"),
        ("(x+1)^2", box("(x+1) squared"), "correct"),
        ("25", "The answer is 5 squared.", "correct"),
        ("5", "The answer is 5 squared.", "incorrect"),
        ("12", "The area is 12 units squared.", "correct"),
    ],
)
def test_a_power_in_words_is_a_power(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


# ----- a number, a space and a variable ------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("2x", "Final answer: 2 x", "correct"),  # was read as 2
        ("2", "Final answer: 2 x", "incorrect"),  # was paid
        ("2x", "The answer is 2 x.", "correct"),
        ("2", "The answer is 2 x.", "incorrect"),
        ("2x", "Thus we get 2 x.", "correct"),
        ("2", "Thus we get 2 x.", "incorrect"),
        ("3n", "The answer is 3 n.", "correct"),
        ("2xy", "The answer is 2 x y.", "correct"),
        ("2x, 3y", "The answers are 2 x and 3 y.", "correct"),
        ("2x", box("2 x"), "correct"),
        ("2", box("2 x"), "incorrect"),
        # a unit letter, a word after the letter, or a times sign between numbers: no variable
        ("5", "The rope is 5 m long.", "correct"),
        ("5", "The answer is 5 m.", "correct"),
        ("2", "The answer is 2 a day.", "correct"),
        ("12", "The answer is 12 I think.", "correct"),
        ("6", "The answer is 2 x 3.", "correct"),  # was read as its last number, 3
        ("3", "The answer is 2 x 3.", "incorrect"),
    ],
)
def test_a_spaced_variable_after_a_number_is_a_product(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


# ----- a value ruled out after the answer ----------------------------------------------------------
@pytest.mark.parametrize(
    ("response", "answer", "other"),
    [
        ("The answer is 7 (not 8).", "7", "8"),  # was read as 8
        ("The answer is 8 (not 7).", "8", "7"),
        ("The answer is 7, not 8.", "7", "8"),
        ("The answer is 7 rather than 8.", "7", "8"),
        ("The answer is 7 instead of 8.", "7", "8"),
        ("The answer is 7 and not 8.", "7", "8"),
        ("The answer is $7$ (not $8$).", "7", "8"),
        ("So we get 7 apples, not 8.", "7", "8"),
        ("Answer: 7 (not 8)", "7", "8"),
        ("The answer is 1,000, not 1,001.", "1000", "1001"),
        ("The answer is 2x+1, not 2x-1.", "2x+1", "2x-1"),
        ("The answer is $\\boxed{7}$, not $\\boxed{8}$.", "7", "8"),  # was a hedge
        ("\\boxed{7} (rather than \\boxed{8})", "7", "8"),
        (box("7 \\text{ (not 8)}"), "7", "8"),
        (box("7 (\\text{not } 8)"), "7", "8"),
        ("<answer>7 (not 8)</answer>", "7", "8"),
        ("<answer>7, not 8</answer>", "7", "8"),
    ],
)
def test_a_value_ruled_out_after_the_answer_is_not_the_answer(verifier, response, answer, other):
    assert verifier.verify(response, answer).status == "correct", response
    assert verifier.verify(response, other).status == "incorrect", response


@pytest.mark.parametrize(
    "response",
    [
        "The answer is 5 or 6, not 7.",
        "The answer is 5, not 6, maybe 7.",
        "The answer is 5, maybe not 6.",
        "The answer is maybe 5, not 6.",
        "The answer is 5 (or 6).",
        "\\boxed{5} or \\boxed{6}",
        "\\boxed{5}, \\boxed{6}, not \\boxed{7}",
        box("5 \\text{ or } 6 \\text{ (not 7)}"),
        box("5, maybe 6 (not 7)"),
    ],
)
def test_ruling_a_value_out_never_hides_a_hedge(verifier, response):
    assert verifier.verify(response, "5").status != "correct", response


# ----- a gold that boxes its answer twice ----------------------------------------------------------
TWICE = "So $\\boxed{3}$. Checking: $\\boxed{x = 3}$."


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("\\boxed{x = 3} and \\boxed{x=3}", box("3"), "correct"),  # was the multiset {3, 3}
        ("\\boxed{x = 3} and \\boxed{x=3}", box("x=3"), "correct"),
        ("\\boxed{3} and \\boxed{3.}", box("3"), "correct"),
        (TWICE, box("3"), "correct"),
        (TWICE, "The answer is 3.", "correct"),
        (TWICE, "\\boxed{3}\\boxed{3}", "correct"),
        ("\\boxed{\\frac12} and \\boxed{0.5}", box("0.5"), "correct"),
        ("\\boxed{3} and $\\boxed{\\{3\\}}$", box("3"), "correct"),
        (TWICE, box("4"), "incorrect"),
        (TWICE, "\\boxed{3}\\boxed{4}", "incorrect"),  # a hedge stays a hedge
        (TWICE, box("3, 4"), "incorrect"),
        (TWICE, "The answer is 3 or 4.", "incorrect"),
        # different boxes are still a list of answers
        ("\\boxed{3} and \\boxed{4}", box("3"), "incorrect"),
        ("\\boxed{3} and \\boxed{4}", box("4, 3"), "correct"),
        ("\\boxed{3} and \\boxed{4}", "\\boxed{4}\\boxed{3}", "correct"),
        ("\\boxed{2}, \\boxed{2.0}, \\boxed{3}", box("2, 3"), "correct"),
        ("\\boxed{2}, \\boxed{2.0}, \\boxed{3}", box("2"), "incorrect"),
    ],
)
def test_a_gold_that_boxes_one_answer_twice_is_that_answer(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, (gold, response)
    assert MathVerifier(fast_path=False).verify(response, gold).status == status


# ----- bounds and approximations around the answer -------------------------------------------------
@pytest.mark.parametrize(
    "response",
    [
        "At least \\boxed{5}",  # was paid as 5
        "The answer is at least $\\boxed{5}$.",
        "at most \\boxed{5}",
        "The answer is more than \\(\\boxed{5}\\).",
        "The answer is no more than $\\boxed{5}$.",
        "The answer is up to $\\boxed{5}$.",
        "\\boxed{5} or more",
        "$\\boxed{5}$ people at most",
        "$\\boxed{5}$ people or fewer",
        "\\boxed{5} and above",
        "The total is just over $\\boxed{5}$.",
        "The answer is not $\\boxed{5}$.",
        "The answer is $\\ge\\boxed{5}$.",
        "$x \\geq \\boxed{5}$",
        "$x > \\boxed{5}$",
        "$x \\leq \\boxed{5}$",
        "$x \\neq \\boxed{5}$",
        "We have 3 apples, so we need at least 5.",  # was paid: two values, the bound skipped
        "<answer>At least \\boxed{5}</answer>",
        "at most 5",
        "The answer is more than 5.",
        # hedges stay unpaid
        "The answer is 5 or 6.",
        "either 5 or 7",
        "The answer is at least 5, maybe 6.",
        "at least $\\boxed{5}$ and at most $\\boxed{6}$",
    ],
)
def test_a_bound_around_the_answer_is_not_the_answer(verifier, response):
    assert verifier.verify(response, "5").status != "correct", response


@pytest.mark.parametrize(
    "response",
    [
        "The answer is about 5.",  # was paid as 5
        "The answer is approximately 5.",
        "The answer is roughly $5$.",
        "The answer is nearly 5.",
        "The answer is close to 5.",
        "The answer is ~5.",
        "The answer is ≈ 5.",
        "Final answer: approx. 5",
        "The answer is 5 (approx.)",
        "The answer is about 5 apples.",
        "Approximately \\boxed{5}",
        "\\boxed{5} (approximately)",
        "Answer: $5$ (approx.)",
        "Final Answer: approximately $5$",
        box("\\approx 5"),
        box("\\sim 5"),
        box("\\text{about } 5"),
        box("x \\approx 5"),
        "<answer>about 5</answer>",
        box("5 \\text{ (approximately)}"),  # was dropped like a unit and paid
        box("5 \\text{ or so}"),
        "<answer>5 (approx.)</answer>",
    ],
)
def test_an_approximation_never_answers_an_exact_gold(verifier, response):
    assert verifier.verify(response, "5").status == "incorrect", response
    assert MathVerifier(fast_path=False).verify(response, "5").status == "incorrect"


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("3.14", "The answer is approximately 3.14.", "correct"),  # the gold is rounded too
        ("3.14", "Approximately \\boxed{3.14}", "correct"),
        ("3.14", box("\\approx 3.14"), "correct"),
        ("3.14", box("\\text{about } 3.14"), "correct"),
        ("3.14", "<answer>about 3.14</answer>", "correct"),
        ("3.14", box("3.14 \\text{ (approximately)}"), "correct"),
        ("7.78", "The answer is about 7.78 dollars.", "correct"),
        ("5.0", "The answer is approximately 5.", "correct"),
        ("\\approx 5", box("\\approx 5"), "correct"),
        ("3.14", "The answer is approximately 3.15.", "incorrect"),
        ("3.14", "The answer is at least 3.14.", "incorrect"),
        ("\\frac13", box("\\approx 0.3333333"), "incorrect"),
        ("\\frac13", box("x = \\frac{1}{3} \\approx 0.333"), "correct"),  # the exact member
        ("5", "The answer is exactly $\\boxed{5}$.", "correct"),
        ("5", "We need at least 3 more, so the answer is $\\boxed{5}$.", "correct"),
        ("5", "The answer is $\\boxed{5}$. At least, that is what I get.", "correct"),
        ("5", "The number is $\\boxed{5}$, which is more than 3.", "correct"),
        ("5", "\\boxed{5} and more importantly, it is prime.", "correct"),
        ("5", "The answer is 5 and so we are done.", "correct"),  # was the bound "and so"
        ("5", "So there are 5 apples and so on.", "correct"),
        ("5", "The answer is 5 and more importantly it is prime.", "correct"),
        ("5", "The answer is 5 and more.", "incorrect"),
        ("5", "The answer is 5 or so.", "incorrect"),
        ("5.2", "It takes 5.2 hours or so.", "correct"),
        ("5", "$x = \\boxed{5}$", "correct"),
        ("5", "We have 3 apples, so we need 5.", "correct"),
        ("4, 6", "The answers are 4 and 6.", "correct"),
        ("4, 6", "The answer is between 4 and 6.", "incorrect"),  # a range, not the two values
        ("4, 6", "The answer is between $\\boxed{4}$ and $\\boxed{6}$.", "incorrect"),
    ],
)
def test_an_approximation_answers_a_rounded_gold(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, (gold, response)


# ----- the new readers stay linear on hostile text ------------------------------------------------
@pytest.mark.parametrize(
    "response",
    [
        "The answer is 7" + " " * 20_000 + "not",  # a backtracking reader took minutes here
        "The answer is 7" + " (" * 5_000 + " not",
        "The answer is 7 " + "not 8, " * 3_000,
        "The answer is 5" + " " * 20_000 + "(approx.)",
        "\\boxed{1}" + " " * 70 + ", not " + "\\boxed{2}" * 60,
        "The answer is " + "about " * 3_000 + "5",
        "\\boxed{7" + " " * 900 + "\\text{ (" * 10 + "not 8}",
    ],
)
def test_the_new_readers_take_linear_time(verifier, response):
    start = time.perf_counter()
    verdict = verifier.verify(response, "7")
    assert time.perf_counter() - start < 3.0, verdict


@pytest.mark.parametrize(
    ("question", "response", "status"),
    [
        (
            "To the nearest dollar, how much does it cost?",
            "It costs approximately 5 dollars.",
            "correct",
        ),
        ("Approximately how many people attended?", "The answer is about 5.", "correct"),
        ("Round your answer to the nearest integer.", "Approximately \\boxed{5}", "correct"),
        ("Estimate the number of beans.", box("\\approx 5"), "correct"),
        ("How many apples are there?", "The answer is approximately 5.", "incorrect"),
        (
            "To the nearest dollar, how much does it cost?",
            "It costs approximately 6 dollars.",
            "incorrect",
        ),
        (
            "To the nearest dollar, how much does it cost?",
            "It costs at least 5 dollars.",
            "incorrect",
        ),
        ("Approximately how many people attended?", "The answer is about 5 or 6.", "incorrect"),
    ],
)
def test_an_approximation_answers_a_question_that_asks_for_rounding(
    verifier, question, response, status
):
    assert verifier.verify(response, "5", question=question).status == status, response
    batch = verifier.verify_batch([response] * 40, ["5"] * 40, question=question)
    assert {v.status for v in batch} == {status}  # prepared in the workers too


# ----- the absolute value of a variable is no name ---------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "question", "status"),
    [
        ("5", box("|x| = 5"), None, "incorrect"),  # was paid: |x| = 5 says x = 5 or x = -5
        ("5", box("\\left|x\\right| = 5"), None, "incorrect"),
        ("5", box("\\lvert x \\rvert = 5"), None, "incorrect"),
        ("5", "The answer is |x| = 5.", None, "incorrect"),
        ("5", box("|x| = 5"), "Solve $x^2 = 25$ for $x > 0$.", "incorrect"),
        ("5", box("x = 5"), None, "correct"),
        ("|x| = 5", box("|x| = 5"), None, "correct"),
        ("5", box("|AB| = 5"), None, "correct"),  # a length: a name
        ("5", box("|\\vec{v}| = 5"), None, "correct"),  # a vector's magnitude: a name
        # the question asks for the absolute value: `|z| = 5` names it
        ("5", box("|z| = 5"), "Find the modulus of $z = 3+4i$.", "correct"),
        ("5", box("|z| = 5"), "Find $|z|$ for $z = 3+4i$.", "correct"),
        ("5", box("|z| = 6"), "Find the modulus of $z = 3+4i$.", "incorrect"),
        ("5", box("|x| = 5"), "What is the absolute value of $x$ if $x^2 = 25$?", "correct"),
    ],
)
def test_the_absolute_value_of_a_variable_is_no_name(verifier, gold, response, question, status):
    context = {"question": question} if question else {}
    assert verifier.verify(response, gold, **context).status == status, response
    assert MathVerifier(fast_path=False).verify(response, gold, **context).status == status


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("4", "So x is 4.", "correct"),  # was read whole as S*o*x*i*s*4: 0
        ("4", "x is 4", "correct"),
        ("2x+1", "y is 2x+1", "correct"),
        ("5", "So x is 4.", "incorrect"),
        ("4", "n is 4 or 5", "incorrect"),
    ],
)
def test_a_short_statement_in_words_is_read_after_its_verb(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("5", "The answer is $5$ $6$", "incorrect"),  # was paid: the first span alone
        ("5", "Answer: $5$, $6$", "incorrect"),  # was paid
        ("6", "Answer: $5$, $6$", "incorrect"),
        ("5", "Answer: $5$, 6", "incorrect"),
        ("5", "Answer: $5$; $6$", "incorrect"),
        ("5, 6", "Answer: $5$, $6$", "correct"),
        ("5", "Answer: $5$ (from $2+3$)", "correct"),
        ("5", "Answer: $5$. Then 6 more.", "correct"),
        ("5", "Answer: $5$\nNext, 6 is checked.", "correct"),
        ("5", "Answer: $5$, since 2+3=5", "correct"),
        ("\\frac{1}{2}", "Answer: $\\frac{1}{2}$, i.e. 0.5", "correct"),
    ],
)
def test_a_math_span_after_an_anchor_is_read_with_its_sentence(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("5", "The answer is negative 5.", "incorrect"),  # was paid: the sign dropped
        ("-5", "The answer is negative 5.", "correct"),  # was 0
        ("5", "The answer is minus 5.", "incorrect"),
        ("-5", "The answer is minus 5.", "correct"),
        ("-5", "Answer: negative $5$", "correct"),
        ("5", "Answer: negative $5$", "incorrect"),
        ("-\\frac{1}{2}", "The answer is negative $\\frac{1}{2}$.", "correct"),
        ("-3", "So x is negative 3.", "correct"),
        ("2", "The answer is 5 minus 2.", "incorrect"),  # was paid: the last number
        ("3", "The answer is 5 minus 2.", "correct"),
        ("3", "The answer is 6 divided by 2.", "correct"),
        ("2", "The answer is 6 divided by 2.", "incorrect"),
        ("5 \\pm 2", "The answer is 5 plus or minus 2.", "correct"),
        ("2", "The answer is 5 plus or minus 2.", "incorrect"),
        ("5", "The answer is plus 5.", "correct"),
    ],
)
def test_signs_and_operations_in_words(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("5", "Answer:\n$$5$$\n$$6$$", "incorrect"),  # was paid: the first display alone
        ("5", "Answer:\n\\[5\\]\n\\[6\\]", "incorrect"),
        ("5, 6", "Answer:\n$$5$$\n$$6$$", "correct"),
        ("5", "Answer:\n$$5$$\n$$5$$", "correct"),
        ("5", "Answer:\n$$5$$\nThis is because $2+3=5$.", "correct"),
        ("5", "Answer:\n$$5$$\n$$6$$ is wrong", "correct"),
        ("5", "Answer: $5$\n\n$$6$$", "correct"),  # a later paragraph: the working goes on
    ],
)
def test_a_second_display_on_the_next_line_is_a_second_answer(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("5", "The answer isn't 5.", "incorrect"),  # was paid: the denied value
        ("5", "5 is not the answer.", "incorrect"),  # was paid
        ("5", "The answer cannot be 5.", "incorrect"),  # was paid
        ("5", "The answer is unlikely to be 5.", "incorrect"),  # was paid
        ("5", "Final answer: never 5", "incorrect"),  # was paid
        ("5", "Final answer: no, 5 is wrong", "incorrect"),  # was paid
        ("5", "The answer is 5ish.", "incorrect"),  # was paid: an approximation
        ("5", "The answer is 5, give or take.", "incorrect"),
        ("5.0", "The answer is 5ish.", "correct"),  # a rounded gold
        # a negation elsewhere in the sentence changes nothing
        ("5", "The answer is 5, which is not prime.", "correct"),
        ("5", "It can not be 4, so the answer is 5.", "correct"),
        ("5", "Since 4 is not possible, the answer is 5.", "correct"),
        ("5", "The answer is not 6 but 5.", "correct"),
        ("5", "The answer, not surprisingly, is 5.", "correct"),
        ("5", "5 is the answer, not 6.", "correct"),
        ("5", "x cannot be 4, so x is 5.", "correct"),
        ("5", "It is not hard: the answer is 5.", "correct"),
    ],
)
def test_a_denied_or_approximate_value_is_not_the_answer(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response
