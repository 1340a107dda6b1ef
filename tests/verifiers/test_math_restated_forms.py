"""An answer restated in another form (`1/2 (50%)`, `1.5 hours, i.e. 90 minutes`), numbers in
words inside a sentence, equations solved for a variable, one-letter units, scale letters and
the `!` of an excited sentence: each right answer pays, each hedge or wrong value does not, and
the reading stays linear on hostile input."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.extract import extract_final_answer
from gymhub.verifiers.math_forms import scaled_number, without_si_unit


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        # an equal restatement after the answer is the same answer, in either form
        ("1/2", "The answer is 1/2 (50%).", "correct"),
        ("1/2", "The answer is 1/2, i.e. 50%.", "correct"),
        ("1/2", "The answer is 1/2, or equivalently 50%.", "correct"),
        ("50\\%", "The answer is 1/2 (50%).", "correct"),
        ("\\frac{1}{2}", "So the probability is $\\frac{1}{2}$ ($50\\%$).", "correct"),
        ("0.5", "The answer is 1/2 (0.5).", "correct"),
        ("1/2", "\\boxed{\\frac{1}{2}} (50%)", "correct"),
        ("50\\%", "\\boxed{\\frac{1}{2}} (50%)", "correct"),
        # a restatement of another value is a second answer: a hedge
        ("1/2", "The answer is 1/2 (i.e. 60%).", "incorrect"),
        ("1/2", "The answer is 1/2, i.e. 60%.", "incorrect"),
        ("1/2", "\\boxed{1/2} (i.e. 60%)", "incorrect"),
        ("1/2", "\\boxed{\\frac{1}{2}} (60%)", "incorrect"),
        ("0.5", "The answer is 1/2 (0.6).", "incorrect"),
        ("5", "The answer is 5 (i.e. 6).", "incorrect"),
        ("6", "The answer is 5, i.e. 6.", "incorrect"),
        ("12", "The answer is 12 (50%).", "incorrect"),
        # the same quantity in another unit
        ("1.5", "It takes 1.5 hours, i.e. 90 minutes.", "correct"),
        ("90", "It takes 1.5 hours, i.e. 90 minutes.", "correct"),
        ("1.5", "It takes 90 minutes, i.e. 1.5 hours.", "correct"),
        ("90", "It takes 1.5 hours (90 minutes).", "correct"),
        ("2500", "The answer is 2.5 km, i.e. 2500 m.", "correct"),
        ("500", "The answer is $5 (500 cents).", "correct"),
        ("1.5", "\\boxed{1.5} hours, i.e. 90 minutes.", "correct"),
        ("90", "\\boxed{1.5} hours, i.e. 90 minutes.", "correct"),
        ("1.5", "It takes 1.5 hours, i.e. 80 minutes.", "incorrect"),
        ("80", "It takes 1.5 hours, i.e. 80 minutes.", "incorrect"),
        ("1.5", "\\boxed{1.5} hours, i.e. 80 minutes.", "incorrect"),
        ("1.5", "$\\boxed{1.5}$ hours (80 minutes).", "incorrect"),
        ("2500", "The answer is 2.5 km, i.e. 2000 m.", "incorrect"),
        # a rounded restatement keeps the exact value, and only it
        ("\\frac{14}{3}", "The answer is 14/3 (4.67).", "correct"),
        ("4.67", "The answer is 14/3 (4.67).", "incorrect"),
        ("1", "The distance is 1 mile (1.6 km).", "correct"),
        # working after the value, an aside: as before
        ("48", "The answer is 12 times 4, i.e. 48.", "correct"),
        ("8", "The answer is 8 (12 - 4).", "correct"),
        ("12", "There are 12 students (50% of the class).", "correct"),
        ("5", "\\boxed{5} (since x > 0)", "correct"),
        # a number in words inside the final sentence
        ("72", "She sold seventy-two clips.", "correct"),
        ("72", "She sold seventy two clips.", "correct"),
        ("72", "So she sold seventy-two clips in all.", "correct"),
        ("21", "In total, twenty-one people came.", "correct"),
        ("105", "She baked one hundred and five cookies.", "correct"),
        ("71", "She sold seventy-two clips.", "incorrect"),
        ("6", "She sold six or seven clips.", "unparseable"),
        ("6", "She sold six more clips.", "unparseable"),
        ("6", "She sold at least six clips.", "unparseable"),
        ("20", "She came in twenty-first place.", "unparseable"),
        ("2", "She sold two clips and three pens.", "unparseable"),
        # equations solved for one variable state its value
        ("8", "Then 2x = 16 and x = 8.", "correct"),
        ("8", "2x = 16 and x = 8", "correct"),
        ("8", "Then 2x = 16, x = 8.", "correct"),
        ("8", "We get $2x = 16$ and $x = 8$.", "correct"),
        ("8", "Then x + 3 = 11 and x = 8.", "correct"),
        ("16", "Then 2x = 16 and x = 8.", "incorrect"),
        ("9", "Then 2x = 16 and x = 9.", "incorrect"),  # a false step: not its solution
        ("8", "Then x = 8 and y = 3.", "incorrect"),
        ("1, 2", "x = 1 and x = 2", "correct"),
        ("1", "x = 1 and x = 2", "incorrect"),
        # a one-letter unit set apart from the number
        ("5\\sqrt{3}", "5√3 m", "correct"),
        ("5\\sqrt{3}", "The answer is 5√3 m.", "correct"),
        ("5\\sqrt{3}", "\\boxed{5\\sqrt{3}\\,\\text{m}}", "correct"),
        ("5", "5 m", "correct"),
        ("6", "5 m", "incorrect"),
        ("5", "\\boxed{5m}", "incorrect"),  # glued: the product 5m
        ("5m", "\\boxed{5 m}", "correct"),
        # `K` after a number: a thousand, or a kelvin for a temperature
        ("3000", "3K", "correct"),
        ("3000", "The answer is 3K.", "correct"),
        ("3000", "\\boxed{3K}", "correct"),
        ("3", "3K", "incorrect"),
        ("3k", "\\boxed{3k}", "correct"),
        ("300", "\\boxed{300 K}", "correct"),
        ("300", "\\boxed{300K}", "incorrect"),
        # `!` ending an excited sentence in prose; a factorial in math
        ("12", "The answer is 12!", "correct"),
        ("479001600", "The answer is 12!", "incorrect"),
        ("12", "Great, we get 12!", "correct"),
        ("479001600", "The answer is $12!$.", "correct"),
        ("479001600", "\\boxed{12!}", "correct"),
        ("479001600", "12!", "correct"),
        ("120", "So 5! = 120.", "correct"),
        ("239500800", "The answer is 12!/2.", "correct"),
        # a chain of two forms of one value; a whole answer or a tag that restates its value
        ("1/2", "The probability is 1/2 = 50%.", "correct"),
        ("50\\%", "\\boxed{\\frac{1}{2} = 50\\%}", "correct"),
        ("1/2", "The probability is 1/2 = 60%.", "incorrect"),
        ("1/2", "1/2 (50%)", "correct"),
        ("1/2", "1/2 (60%)", "incorrect"),
        ("1/2", "<answer>1/2 (50%)</answer>", "correct"),
        ("90", "<answer>1.5 hours, i.e. 90 minutes</answer>", "correct"),
        ("8", "8 (12 - 4)", "correct"),
        ("1.5", "It takes 90 minutes, or 1.5 hours.", "correct"),
        ("5\\sqrt{3}", "The side is 5√3 m long.", "correct"),
        # one quantity in two units
        ("90", "The answer is 1 hour and 30 minutes.", "correct"),
        ("1.5", "The answer is 1 hour and 30 minutes.", "correct"),
        ("30", "The answer is 1 hour and 30 minutes.", "incorrect"),
        ("5.06", "The answer is 5 dollars and 6 cents.", "correct"),
        ("6", "The answer is 5 dollars and 6 cents.", "incorrect"),
        # thousands in other locales, never their last group or a decimal
        ("1000000", "The answer is 1'000'000.", "correct"),
        ("0", "The answer is 1'000'000.", "incorrect"),
        ("1000000", "The answer is 1.000.000.", "correct"),
        ("1", "The answer is 1.000.000.", "incorrect"),
        ("1000000", "\\boxed{1.000.000}", "correct"),
        ("1", "The answer is 1.000.", "correct"),  # one dotted group: a decimal
        ("(1,2)", "The answer is the interval (1, 2).", "correct"),
        # another form of the value in parentheses, also a fraction or a mixed number
        ("1/4", "The answer is 25% (1/4).", "correct"),
        ("2.5", "The answer is 5/2 (2 1/2).", "correct"),
        ("2.5", "The answer is 5/2 (2 1/3).", "incorrect"),
        # "5 to 6" is a range, "3 to 4" in a sentence about a ratio the ratio
        ("6", "The answer is 5 to 6 apples.", "incorrect"),
        ("5", "The answer is 5 to 6 apples.", "incorrect"),
        ("6", "It went from 5 to 6.", "correct"),
        ("4", "The ratio is 3 to 4.", "incorrect"),
        ("3/4", "The ratio is 3 to 4.", "correct"),
        # an order (the problem restated) is no answer
        ("10", "Find the value of x if 2x = 10.", "unparseable"),
    ],
)
def test_answers(verifier, gold, response, status):
    verdict = verifier.verify(response, gold)
    assert verdict.status == status, verdict.detail


@pytest.mark.parametrize(
    ("gold", "question", "status"),
    [
        ("300", "What is the temperature in kelvin?", "correct"),
        ("300000", "What is the temperature in kelvin?", "incorrect"),
        ("300000", "How many people live in the town?", "correct"),
    ],
)
def test_k_is_a_kelvin_only_for_a_temperature(verifier, gold, question, status):
    assert verifier.verify("\\boxed{300K}", gold, question=question).status == status


@pytest.mark.parametrize(
    ("response", "gold", "status"),
    [
        ("Bob has 5 apples.", "5", "incorrect"),  # a clause of a given, copied
        ("Bob has five apples.", "5", "incorrect"),
        ("Bob has 3 apples left.", "3", "correct"),
        ("Bob has three apples left.", "3", "correct"),
    ],
)
def test_a_clause_of_a_given_restated_is_an_echo(verifier, response, gold, status):
    question = "Bob has 5 apples and eats 2. How many apples does Bob have left?"
    assert verifier.verify(response, gold, question=question).status == status


def test_batches_agree_with_single_verdicts(verifier):
    cases = [
        ("90", "It takes 1.5 hours, i.e. 90 minutes."),
        ("50\\%", "The answer is 1/2 (50%)."),
        ("1/2", "The answer is 1/2 (i.e. 60%)."),
    ] * 12  # 36 answers: prepared in the workers on a pool of two or more
    batch = verifier.verify_batch([r for _, r in cases], [g for g, _ in cases])
    assert [v.status for v in batch] == [verifier.verify(r, g).status for g, r in cases]
    assert [v.status for v in batch[:3]] == ["correct", "correct", "incorrect"]


def test_the_restatement_is_kept_beside_the_answer():
    found = extract_final_answer("It takes 1.5 hours, i.e. 90 minutes.")
    assert found.candidates == ["1.5"] and found.restated == [["90"]]
    # the separator the extractor uses cannot be written by the model
    forged = extract_final_answer("The answer is 5\x0160.")
    assert forged.restated == [] and "\x01" not in "".join(forged.candidates)


def test_scale_and_unit_helpers():
    assert scaled_number("3K") == "3 \\times 10^{3}"
    assert scaled_number("300K", temperature=True) is None
    assert scaled_number("300 K") is None  # set apart: the kelvin
    assert without_si_unit("5√3 m") == "5√3"
    assert without_si_unit("5\\sqrt{3}\\,\\text{m}") == "5\\sqrt{3}"
    assert without_si_unit("x = 5 m") is None
    assert without_si_unit("5m") is None
    assert without_si_unit("5 m \\text{ long}") == "5"
    assert without_si_unit("5\\sqrt{3}\\,\\mathrm{m}.") == "5\\sqrt{3}"
    with pytest.raises(TypeError):
        without_si_unit(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        scaled_number(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "1/2 (" * 20_000,
        "i.e. " * 20_000,
        "1.5 hours, i.e. " * 6_000,
        "or " * 30_000,
        "seventy-" * 12_000,
        "one and " * 12_000,
        "2x = 16 and " * 8_000,
        "!" * 100_000,
        "5" * 100_000 + "!",
        " " * 100_000 + "m",
        "(" * 100_000,
        "1" * 100_000 + "K",
    ],
)
def test_reading_stays_linear(text):
    start = time.perf_counter()
    extract_final_answer("The answer is " + text)
    extract_final_answer(text + ".")
    extract_final_answer("\\boxed{5}" + text)
    without_si_unit(text)
    scaled_number(text)
    assert time.perf_counter() - start < 5.0


def test_the_new_patterns_stay_linear():
    from gymhub.verifiers import extract, math_forms

    patterns = [
        extract._QUANTITY,
        extract._RESTATEMENT_OPENER,
        extract._FINAL_PARENTHESIS,
        extract._NUMBER_WORD_RUN,
        extract._STEP_JOIN,
        extract._RESTATED_AFTER_BOX,
        extract._OPERATION_BEFORE,
        extract._TO_RANGE,
        extract._ORDER,
        extract._MIXED_QUANTITY,
        extract._COMPOUND,
        extract._NAMED_STRUCTURE,
        math_forms._SI_UNIT_TAIL,
        math_forms._TEXT_WORDS_TAIL,
    ]
    hostile = [
        " " * 100_000 + "x",
        "1" * 100_000,
        "a" * 100_000 + "!",
        "(" * 100_000,
        "-" * 100_000,
        "and " * 25_000,
        "\\," * 50_000 + "m",
        "\\text{" + " " * 100_000 + "x",
        "5 m" + " " * 100_000 + "x",
    ]
    for pattern in patterns:
        for text in hostile:
            start = time.perf_counter()
            pattern.search(text)
            assert time.perf_counter() - start < 1.0, (pattern.pattern[:40], text[:10])
