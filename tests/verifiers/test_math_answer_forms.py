"""Answer forms a reader accepts that MathVerifier used to score 0 (number words, assignments
for a tuple, `f(x) = ...`, compound units, `The correct option is C`), and the hostile variants
of each that must stay incorrect (hedges, swapped variables, a number inside a unit)."""

from __future__ import annotations

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.math_spelling import number_in_words, respell


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


def box(answer: str) -> str:
    return f"The final answer is $\\boxed{{{answer}}}$."


# ----- number words ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("five", 5),
        ("Twelve", 12),
        ("twenty-one", 21),
        ("twenty one", 21),
        ("one hundred", 100),
        ("one hundred and five", 105),
        ("two thousand twenty", 2020),
        ("one million two hundred thousand", 1_200_000),
        ("minus three", -3),
        ("zero", 0),
    ],
)
def test_a_number_in_words_is_that_number(words, value):
    assert number_in_words(words) == value


@pytest.mark.parametrize(
    "words",
    ["five or six", "five six", "one one", "hundred", "zero five", "twenty-zero", "minus", "fives"],
)
def test_words_that_are_not_one_number_stay_words(words):
    assert number_in_words(words) is None
    assert respell(words) == words


@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("\\boxed{five}", "5"),
        ("The answer is five.", "5"),
        ("Answer: Five", "5"),
        (box("\\text{twelve}"), "12"),
        (box("twenty-one"), "21"),
        (box("one hundred"), "100"),
    ],
)
def test_number_words_score_as_the_number(verifier, response, gold):
    assert verifier.verify(response, gold).status == "correct"
    wrong = str(int(gold) + 1)
    assert verifier.verify(response, wrong).status == "incorrect"


@pytest.mark.parametrize(
    "response",
    [
        box("five or six"),
        "The answer is five or six.",
        "\\boxed{5} and \\boxed{six}",
        box("five six"),
    ],
)
def test_number_words_that_hedge_are_incorrect(verifier, response):
    assert verifier.verify(response, "5").reward == 0.0
    assert verifier.verify(response, "6").reward == 0.0


def test_number_words_in_a_restated_sentence_are_not_the_answer(verifier):
    question = "Bob has five apples and eats two. How many apples does Bob have left?"
    for response in (
        "Bob has five apples.",
        "The answer is: Bob has five apples and eats two.",
    ):
        verdict = verifier.verify(response, "5", question=question)
        assert verdict.reward == 0.0, (response, verdict)
    assert verifier.verify("The answer is three.", "3", question=question).status == "correct"
    # a number in words after the statement's verb is read as digits are, and a given of the
    # question restated in words is an echo as it is in digits
    given = "The basket holds five apples. Bob eats two. How many apples are left in the basket?"
    for words in ("The basket is five apples.", "The basket holds five apples."):
        assert verifier.verify(words, "5", question=given).reward == 0.0, words
    left = "There are three apples left in the basket."
    assert verifier.verify(left, "3", question=given).status == "correct"
    assert verifier.verify("There are six ways.", "6").status == "correct"
    assert verifier.verify("There are six ways.", "7").status == "incorrect"
    for hedge in ("There are six or seven ways.", "There are at least six ways."):
        assert verifier.verify(hedge, "6").reward == 0.0, hedge
    assert verifier.verify("This is one way to see it.", "1").reward == 0.0


# ----- assignments for a tuple -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response"),
    [
        ("(3,-2)", box("x=3, y=-2")),
        ("(3,-2)", box("x = 3 \\text{ and } y = -2")),
        ("(3,-2)", "\\boxed{x=3,\\ y=-2}"),
        ("(3,-2)", box("y=-2, x=3")),  # y=-2 and x=3 is still the point (3, -2)
        ("(3,-2)", "\\boxed{x=3} and \\boxed{y=-2}"),
        ("(1,2,3)", box("a=1, b=2, c=3")),
        ("x=3, y=-2", box("(3,-2)")),
        ("x=3, y=-2", box("y=-2, x=3")),
        ("x=3, y=-2", box("3, -2")),
        ("x=3, y=-2", "\\boxed{y=-2} and \\boxed{x=3}"),
    ],
)
def test_assignments_answer_a_tuple_in_alphabetical_order(verifier, gold, response):
    assert verifier.verify(response, gold).status == "correct"


@pytest.mark.parametrize(
    ("gold", "response"),
    [
        ("(3,-2)", box("y=3, x=-2")),  # x=-2: the point (-2, 3)
        ("(3,-2)", box("x=-2, y=3")),
        ("(3,-2)", "\\boxed{y=3} and \\boxed{x=-2}"),
        ("(3,-2)", box("x=3, x=-2")),  # two values of x, not a point
        ("(3,-2)", box("x=3, y=-2, z=0")),
        ("(1,2,3)", box("z=1, y=2, x=3")),
        ("x=3, y=-2", box("(-2,3)")),
        ("x=3, y=-2", box("x=-2, y=3")),  # was paid: the names were dropped, values a set
        ("x=3, y=-2", box("-2, 3")),
        ("x=3, y=-2", "\\boxed{x=-2} and \\boxed{y=3}"),
        ("3", "\\boxed{x=3} and \\boxed{y=-2}"),
    ],
)
def test_swapped_or_extra_assignments_are_incorrect(verifier, gold, response):
    assert verifier.verify(response, gold).status == "incorrect"


def test_a_tuple_for_gold_assignments_follows_the_gold_order(verifier):
    """The gold's order is the question's: `x = -5, p = 14/3` asks for (x, p)."""
    gold = "x = -5, p = \\frac{14}{3}"
    assert verifier.verify(box("(-5, \\frac{14}{3})"), gold).status == "correct"
    assert verifier.verify(box("-5, \\frac{14}{3}"), gold).status == "correct"
    assert verifier.verify(box("p = \\frac{14}{3}, x = -5"), gold).status == "correct"
    assert verifier.verify(box("(\\frac{14}{3}, -5)"), gold).status == "incorrect"
    assert verifier.verify(box("x = \\frac{14}{3}, p = -5"), gold).status == "incorrect"


def test_subscripted_roots_stay_a_set(verifier):
    """`x_1 = 2, x_2 = 1` names two roots of one equation, in no particular order."""
    assert verifier.verify(box("x_1 = 2, x_2 = 1"), "1, 2").status == "correct"
    assert verifier.verify(box("2, 1"), "x_1 = 1, x_2 = 2").status == "correct"
    assert verifier.verify(box("x_1 = 2, x_2 = 3"), "1, 2").status == "incorrect"


# ----- f(x) = ... --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response"),
    [
        ("f(x)=x^2+1", box("x^2+1")),
        ("x^2+1", box("f(x) = x^2+1")),
        ("f(x)=x^2+1", box("f(x) = (x+1)^2 - 2x")),
        ("f(x)=x^2+1", box("y = x^2+1")),
        ("f(x, y) = x+y", box("y+x")),
        ("y = 2x+1", box("2x+1")),
        ("2x+1", box("y = 2x+1")),
    ],
)
def test_a_function_is_its_formula(verifier, gold, response):
    assert verifier.verify(response, gold).status == "correct"


@pytest.mark.parametrize(
    ("gold", "response"),
    [
        ("f(x)=x^2+1", box("x^2+2")),
        ("x^2+1", box("f(x) = x^2+2")),
        ("f(x)=2x", box("f'(x)=2x")),  # the derivative, another function (was paid)
        ("f(x)=x", box("f^{-1}(x)=x")),
        ("f(x)=2x", box("f(x)=2y")),
        ("f'(x)=2x", box("f(x)=2x")),
    ],
)
def test_another_function_or_formula_is_incorrect(verifier, gold, response):
    assert verifier.verify(response, gold).status == "incorrect"


# ----- units -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "answer",
    [
        "60\\text{ km}/\\text{h}",
        "60 \\text{ km/h}",
        "60\\ \\mathrm{m/s}",
        "60 \\text{m}^2/\\text{s}",
        "60 \\mathrm{km}/\\mathrm{h}",
        "60\\text{ m}\\cdot\\text{s}^{-1}",
        "60 \\frac{\\text{km}}{\\text{h}}",
        "60 km/h",
        "60 m/s",
        "60 miles/hour",
        "60\\,\\text{s}^{-1}",
        "60 \\text{ cm}^2",
        "60 cm",
        "60 apples",
    ],
)
def test_compound_units_are_dropped_after_the_number(verifier, answer):
    assert verifier.verify(box(answer), "60").status == "correct"
    assert verifier.verify(box(answer), "61").status == "incorrect"


@pytest.mark.parametrize(
    ("gold", "answer"),
    [
        ("5", "5\\text{ (or 6)}"),  # a number in the "unit" is a second answer
        ("5", "5\\text{ km}/\\text{(or 6)}"),
        ("5", "5 x/y"),  # variables, not units
        ("\\frac15", "5\\text{ m}^{-1}"),  # the unit's power goes with the unit
        # products of variables are not unit words (each of these was paid)
        ("3", "3xy"),
        ("3xy", "3"),
        ("5x^2", "5"),
        ("5", "5x^2"),
        ("b^2-4ac", "b^2-4"),
        ("\\frac{1}{2}mv^2", "\\frac12"),
        ("2ab", "2"),
    ],
)
def test_numbers_and_variables_in_a_unit_position_are_not_dropped(verifier, gold, answer):
    assert verifier.verify(box(answer), gold).status in ("incorrect", "unparseable")


# ----- a bare option letter --------------------------------------------------------------------
@pytest.mark.parametrize(
    "response",
    [
        "The correct option is C.",
        "The correct choice is C.",
        "The best choice is C.",
        "The correct option is: C",
        "The correct choice is:\n\nC",
        "The answer is C",
        "\\boxed{C}",
        "(C)",
        "The answer is (C).",
        "Option C is correct.",
    ],
)
def test_a_bare_option_letter_is_the_choice(verifier, response):
    assert verifier.verify(response, "C").status == "correct"
    assert verifier.verify(response, "(C)").status == "correct"
    assert verifier.verify(response, "B").status == "incorrect"


@pytest.mark.parametrize(
    "response",
    [
        "A or C",
        "C and D",
        "either B or C",
        "The answer is C and D",
        "The correct option is either B or C.",
        "The correct option is A or C.",
        "The correct option is C and D.",
        "The correct option is C. Hmm, or maybe A.",
        "The correct option is C, option D is also fine.",
    ],
)
def test_two_option_letters_are_a_hedge(verifier, response):
    for gold in ("A", "B", "C", "D"):
        assert verifier.verify(response, gold).reward == 0.0, (response, gold)


# ----- digits separated by a space -------------------------------------------------------------
@pytest.mark.parametrize("answer", ["1 2", "1\\,2", "1\\ 2", "1~2", "1234 567"])
def test_digits_separated_by_a_space_are_ambiguous(verifier, answer):
    digits = "".join(c for c in answer if c.isdigit())
    for gold in (digits, digits[0], f"{digits[0]}, {digits[1:]}"):
        assert verifier.verify(box(answer), gold).status == "incorrect", (answer, gold)


@pytest.mark.parametrize(
    ("answer", "gold"),
    [
        ("1 000", "1000"),
        ("1\\,000", "1000"),
        ("1\\ 000", "1000"),
        ("1 234 567", "1234567"),
        ("12 345", "12345"),
        ("1 000.5", "1000.5"),
        ("\\frac 1 2", "\\frac12"),  # a command's two arguments, not spaced digits
    ],
)
def test_groups_of_thousands_are_one_number(verifier, answer, gold):
    assert verifier.verify(box(answer), gold).status == "correct"


def test_both_paths_call_spaced_digits_ambiguous():
    from gymhub.verifiers.math_core import compare

    assert compare("12", ["1 2"])["status"] == "incorrect"
    assert compare("1000", ["1 000"])["status"] == "correct"
    assert MathVerifier(fast_path=False).verify(box("1 2"), "12").status == "incorrect"


# ----- repeated roots ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "answer", "status"),
    [
        ("2, 3", "2, 2, 3", "correct"),  # a root listed twice is the same set of solutions
        ("2, 3", "3, 2", "correct"),
        ("2, 3", "2, 3, 3", "correct"),
        ("2, 2, 3", "3, 2, 2", "correct"),  # a gold that lists a double root counts it
        ("2, 2, 3", "2, 3", "incorrect"),
        ("2, 2, 3", "2, 3, 3", "incorrect"),  # was paid: both read as the set {2, 3}
        ("2, 3", "2, 4", "incorrect"),
    ],
)
def test_repeats_count_only_when_the_gold_lists_them(verifier, gold, answer, status):
    assert verifier.verify(box(answer), gold).status == status


# ----- thousands separated by a space, in prose --------------------------------------------------
@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("The answer is 1 000.", "1000"),  # was read as the list `1, 000`
        ("The answer is 1 000", "1000"),
        ("So the population is 12 345 678.", "12345678"),
        ("The total is 1 000.5 dollars.", "1000.5"),
        ("The answer is 1\u00a0000.", "1000"),  # a no-break space
        ("The answers are 1 000 and 2 000.", "1000, 2000"),
        ("The answers are 1 and 2.", "1, 2"),  # a real list stays a list
        ("The answer is 1, 2.", "1, 2"),
    ],
)
def test_thousands_separated_by_a_space_in_prose_are_one_number(verifier, response, gold):
    assert verifier.verify(response, gold).status == "correct"


@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("The answer is 1 2.", "12"),
        ("The answer is 1 2.", "1"),
        ("The answer is 1 2.", "1, 2"),  # neither 12 nor the list, as in a box
        ("The answer is 1 0000.", "10000"),
        ("The answer is 1234 567.", "1234567"),
        ("The answer is 1 000.", "1"),
    ],
)
def test_other_spaced_digits_in_prose_stay_ambiguous(verifier, response, gold):
    assert verifier.verify(response, gold).status == "incorrect"


# ----- a bound after a noun ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "response",
    [
        "The answer is 5 people or more.",  # was paid as 5
        "The answer is 5 people or fewer.",
        "The answer is 5 apples or less.",
        "The answer is 5 people at most.",
        "The answer is 5 red apples or more.",
        "The answer is $5$ people or more.",
        "Answer: 5 people and above",
        "So we need 5 more people or more.",
        "\\boxed{5 \\text{ people or more}}",
        "\\boxed{5 \\text{ people} \\text{ or more}}",
        "\\boxed{5 \\text{ people at most}}",
    ],
)
def test_a_bound_after_a_unit_is_not_the_value(verifier, response):
    assert verifier.verify(response, "5").status != "correct", response


@pytest.mark.parametrize(
    "response",
    [
        "The answer is 5 people.",
        "The answer is 5, at least by my count.",
        "The answer is 5 people, at least by my count.",
    ],
)
def test_a_value_with_a_unit_and_no_bound_is_the_value(verifier, response):
    assert verifier.verify(response, "5").status == "correct", response


# ----- one box per solution, repeated ------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("2, 2, 3", "\\boxed{2}\\boxed{2}\\boxed{3}", "correct"),  # was merged into 2, 3
        ("2, 2, 3", "$\\boxed{2}$, $\\boxed{3}$ and $\\boxed{2}$", "correct"),
        ("2, 2, 3", "\\boxed{2}\\boxed{3}", "incorrect"),
        ("2, 2, 3", "\\boxed{2}\\boxed{3}\\boxed{3}", "incorrect"),
        ("2, 2, 3", "\\boxed{2}\\boxed{2}\\boxed{2}\\boxed{3}", "incorrect"),
        ("2, 2, 3", "\\boxed{2}\\boxed{2}\\boxed{3}\\boxed{3}", "incorrect"),
        ("2, 3", "\\boxed{2}\\boxed{2}\\boxed{3}", "correct"),  # a set: repeats say nothing new
        ("2, 3", "\\boxed{2}\\boxed{3}\\boxed{4}\\boxed{4}", "incorrect"),
        ("2", "\\boxed{2}\\boxed{2}", "correct"),
        ("2", "\\boxed{2}\\boxed{3}", "incorrect"),  # a hedge
        ("2", "\\boxed{2}\\boxed{2}\\boxed{3}", "incorrect"),
        ("2", "\\boxed{3}\\boxed{2}\\boxed{2}", "incorrect"),
        ("x=2, x=2, x=3", "\\boxed{x=2}\\boxed{x=2}\\boxed{x=3}", "correct"),
        ("x=2, x=2, x=3", "\\boxed{x=2}\\boxed{x=3}", "incorrect"),
    ],
)
def test_repeated_boxes_count_when_the_gold_repeats(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status
    assert MathVerifier(fast_path=False).verify(response, gold).status == status


# ----- plain-text math after "is" / "Answer:" ---------------------------------------------------
@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("The answer is 2x+1.", "2x+1"),  # was read as its last number, 1
        ("The answer is 2x + 1.", "2x+1"),
        ("Final Answer: x^2 - 4", "x^2-4"),
        ("The answer is 3 / 4.", "\\frac34"),
        ("The answer is 2^10.", "1024"),
        ("The answer is 1.5e3.", "1500"),
        ("The answer is 1.2 × 10^3.", "1200"),
        ("The answer is 3√2.", "3\\sqrt2"),
        ("The answer is 5 cm^2.", "5"),
        ("The answer is sqrt(2).", "\\sqrt2"),
        ("The answer is 12 + 6 = 18.", "18"),
        ("The answer is x = 1 or x = 2.", "1, 2"),
        ("Final Answer: x = 1, x = 2", "1, 2"),
        ("The solutions are x = 1 and x = 2.", "1, 2"),
        ("Final Answer: The largest $n$ is 34.", "34"),
        ("The answer is 7.", "7"),
    ],
)
def test_plain_text_math_in_prose_is_read_whole(verifier, response, gold):
    assert verifier.verify(response, gold).status == "correct", response


@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("The answer is 2x+1.", "1"),  # was paid: only its last number was read
        ("The answer is x^2 - 4.", "4"),
        ("The answer is 5+x.", "5"),
        ("The answer is sqrt(2).", "2"),
        ("The answer is 4π.", "4"),
        ("The answer is 4 pi.", "4"),
        ("The answer is 2^10.", "10"),
        ("The answer is x = 1 or x = 2.", "2"),  # a hedge, was paid as its last value
        ("Final Answer: x = 1, x = 2", "2"),
        ("Final Answer: x = 1 and y = 2", "2"),
        ("The answer is 3 * 4 = 13.", "13"),  # a false equality
        ("The answer is up to 5.", "5"),
        ("The answer is 5+.", "5"),
        ("The answer is 5+ people.", "5"),
    ],
)
def test_plain_text_math_in_prose_is_not_its_last_number(verifier, response, gold):
    assert verifier.verify(response, gold).status != "correct", response


# ----- odd roots of negative numbers, one-element sets, plain mixed numbers ----------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("-2", "\\boxed{\\sqrt[3]{-8}}", "correct"),  # the real cube root; was the complex one
        ("\\sqrt[3]{-8}", "\\boxed{-2}", "correct"),
        ("-\\sqrt[3]{2}", "\\boxed{\\sqrt[3]{-2}}", "correct"),
        ("-3", "\\boxed{\\sqrt[5]{-243}}", "correct"),
        ("2", "\\boxed{\\sqrt[3]{-8}}", "incorrect"),
        ("-2", "\\boxed{\\sqrt[3]{8}}", "incorrect"),
        ("5", "\\boxed{\\{5\\}}", "correct"),  # the set of the one solution
        ("\\{5\\}", "\\boxed{5}", "correct"),
        ("x=5", "\\boxed{\\{5\\}}", "correct"),
        ("6", "\\boxed{\\{5\\}}", "incorrect"),
        ("5", "\\boxed{\\{5, 6\\}}", "incorrect"),
        ("\\frac52", "The answer is 2 1/2.", "correct"),  # a mixed number in plain text
        ("\\frac52", "\\boxed{2 1/2}", "correct"),
        ("\\frac{21}{2}", "\\boxed{2 1/2}", "incorrect"),  # never the digits 21 over 2
        ("\\frac12", "\\boxed{2 1/2}", "incorrect"),
        ("1", "\\boxed{2 1/2}", "incorrect"),
        ("\\frac{23}{2}", "\\boxed{2 3/2}", "incorrect"),  # not a proper fraction: ambiguous
        ("\\frac72", "\\boxed{2 3/2}", "incorrect"),
    ],
)
def test_odd_roots_singletons_and_plain_mixed_numbers(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status
    assert MathVerifier(fast_path=False).verify(response, gold).status == status


# ----- more plain-text math in prose: factorials, functions, `**`, pairs, absolute values --------
@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("The answer is 5! = 120.", "120"),  # the `!` ended the sentence: 5 was read
        ("The answer is 5!.", "120"),
        ("The answer is 2**3.", "8"),
        ("The answer is log(8).", "\\log 8"),
        ("The answer is ln 2.", "\\ln 2"),
        ("The answer is (1, 2).", "(1,2)"),
        ("The answer is |x| < 2.", "(-2, 2)"),
    ],
)
def test_more_plain_text_math_in_prose_is_read_whole(verifier, response, gold):
    assert verifier.verify(response, gold).status == "correct", response


@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("The answer is 5!.", "5"),  # was paid
        ("The answer is log 8.", "8"),
        ("The answer is log(8).", "8"),
        ("The answer is sin(30).", "30"),
        ("The answer is |x| < 2.", "2"),
        ("The answer is (1, 2).", "2"),
    ],
)
def test_more_plain_text_math_in_prose_is_not_its_number(verifier, response, gold):
    assert verifier.verify(response, gold).status != "correct", response


# ----- degrees in words ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("\\frac{\\pi}{4}", "The answer is 45 degrees.", "correct"),  # was 45 radians
        ("\\frac{\\pi}{4}", "\\boxed{45\\text{ degrees}}", "correct"),
        ("\\frac{\\pi}{4}", "\\boxed{45 \\text{degrees}}", "correct"),
        ("30^\\circ", "\\boxed{30 degrees}", "correct"),
        ("45", "\\boxed{45 degrees}", "correct"),
        ("\\frac{\\pi}{3}", "\\boxed{45 degrees}", "incorrect"),
        ("\\frac{\\pi}{4}", "\\boxed{45}", "incorrect"),
        ("46", "\\boxed{45 degrees}", "incorrect"),
    ],
)
def test_degrees_in_words_are_degrees(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status
    assert MathVerifier(fast_path=False).verify(response, gold).status == status


# ----- a number with its unit inside one text macro -------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("12", "\\boxed{\\text{12 cm}}", "correct"),  # was compared as words
        ("12", "\\boxed{\\text{12 units}}", "correct"),
        ("13", "\\boxed{\\text{12 units}}", "incorrect"),
        ("12", "\\boxed{\\text{12 or 13 units}}", "incorrect"),
        ("12", "\\boxed{\\text{12 units or more}}", "incorrect"),
    ],
)
def test_a_number_and_its_unit_in_one_text_macro(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status


# ----- temperatures ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("response", "gold", "status"),
    [
        # a degree sign before C, F or K is a temperature's unit (these scored 0: `12^\circ C`
        # was 12 degrees of angle times a variable C)
        (box("12^\\circ C"), "12", "correct"),
        (box("12^{\\circ}C"), "12", "correct"),
        (box("12°C"), "12", "correct"),
        (box("-5^\\circ F"), "-5", "correct"),
        (box("12\\,^{\\circ}\\mathrm{C}"), "12", "correct"),
        ("The temperature is $12^\\circ$C.", "12", "correct"),
        (box("12"), "12^\\circ C", "correct"),
        (box("12^\\circ C"), "12^\\circ \\text{C}", "correct"),
        # the wrong number stays wrong, and a temperature is no angle
        (box("13^\\circ C"), "12", "incorrect"),
        (box("12^\\circ C"), "\\frac{\\pi}{15}", "incorrect"),
        (box("13"), "12^\\circ C", "incorrect"),
        (box("x^\\circ C"), "12", "incorrect"),
        # an angle stays an angle
        (box("12^\\circ"), "\\frac{\\pi}{15}", "correct"),
    ],
)
def test_a_temperature_unit_is_dropped(verifier, response, gold, status):
    assert verifier.verify(response, gold).status == status


# ----- double factorials and congruences ------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "gold", "status"),
    [
        # `n!!` is the double factorial (it was (n!)!: 7!! refused as too large, 5!! never 15)
        ("7!!", "105", "correct"),
        ("9!!", "945", "correct"),
        ("8!!", "384", "correct"),
        ("5!!", "15", "correct"),
        ("2\\cdot 5!!", "30", "correct"),
        ("\\frac{1}{7!!}", "\\frac{1}{105}", "correct"),
        ("105", "7!!", "correct"),
        ("5!!", "120", "incorrect"),
        ("5!!", "14", "incorrect"),
        ("5!", "120", "correct"),
        # a congruence: its residue class; a plain integer meets it only as the least residue
        ("x \\equiv 2 \\pmod{5}", "2", "correct"),
        ("x \\equiv 2 \\pmod 5", "2", "correct"),
        ("n \\equiv 2 \\mod 5", "2", "correct"),
        ("2 \\pmod{5}", "2", "correct"),
        ("2 \\; (\\mathrm{mod}\\; 5)", "2", "correct"),
        ("2 \\ (\\text{mod } 5)", "2", "correct"),
        ("x \\equiv 7 \\pmod{5}", "2", "correct"),
        ("x \\equiv -3 \\pmod{5}", "2", "correct"),
        ("2", "x \\equiv 2 \\pmod{5}", "correct"),
        ("x \\equiv 7 \\pmod{5}", "x \\equiv 2 \\pmod{5}", "correct"),
        ("x \\equiv 3 \\pmod{5}", "2", "incorrect"),
        ("x \\equiv 2 \\pmod{5}", "7", "incorrect"),
        ("7", "x \\equiv 2 \\pmod{5}", "incorrect"),
        ("x \\equiv 2 \\pmod{7}", "x \\equiv 2 \\pmod{5}", "incorrect"),
        ("x \\equiv 2 \\pmod{0}", "2", "incorrect"),
        # `12 \bmod 5` alone is the operation: the remainder 2
        ("12 \\bmod 5", "2", "correct"),
        ("12 \\bmod 5", "12", "incorrect"),
    ],
)
def test_double_factorials_and_congruences(verifier, answer, gold, status):
    assert verifier.verify(box(answer), gold).status == status


@pytest.mark.parametrize("answer", ["\\Gamma(1000000)", "\\Gamma(" + "9" * 900 + ")", "6000!!"])
def test_a_huge_gamma_or_double_factorial_is_refused_at_once(verifier, answer):
    fast = MathVerifier(deadline=1.0)
    verdict = fast.verify(box(answer), "1")
    assert verdict.status == "unparseable" and "too large" in verdict.detail, verdict


# ----- siunitx, and an angle against a percentage ----------------------------------------------
@pytest.mark.parametrize(
    ("answer", "gold", "status"),
    [
        # siunitx macros are the number they hold (these were unparseable or scored 0)
        ("\\SI{12}{cm}", "12", "correct"),
        ("\\SI{12}{\\centi\\metre}", "12", "correct"),
        ("\\qty{12}{\\metre\\per\\second}", "12", "correct"),
        ("\\SI{12}{\\m^{2}}", "12", "correct"),
        ("\\num{1234}", "1234", "correct"),
        ("\\num{1.2e3}", "1200", "correct"),
        ("\\SI{13}{cm}", "12", "incorrect"),
        # ... a percent or a degree stays one
        ("\\SI{50}{\\percent}", "50\\%", "correct"),
        ("\\SI{50}{\\percent}", "0.5", "incorrect"),
        ("\\SI{50}{\\percent}", "50", "incorrect"),
        ("\\SI{30}{\\degree}", "\\frac{\\pi}{6}", "correct"),
        # an angle is no percentage, either way (`12^\circ` paid the gold `12\%`)
        ("12^\\circ", "12\\%", "incorrect"),
        ("12\\%", "12^\\circ", "incorrect"),
        ("12^\\circ", "12", "correct"),
    ],
)
def test_siunitx_and_angle_against_percent(verifier, answer, gold, status):
    assert verifier.verify(box(answer), gold).status == status


# ----- plain-text math in a box ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "gold", "status"),
    [
        # as programs write it (these were products of letters or unparseable: scored 0)
        ("sqrt(3)/2", "\\frac{\\sqrt{3}}{2}", "correct"),
        ("pi/2", "\\frac{\\pi}{2}", "correct"),
        ("2*sqrt(2)", "2\\sqrt2", "correct"),
        ("3^(1/2)", "\\sqrt3", "correct"),
        ("3**0.5", "\\sqrt3", "correct"),
        ("x**2+1", "x^2+1", "correct"),
        ("2^-1", "\\frac12", "correct"),
        ("10^-3", "0.001", "correct"),
        ("e^(2x)", "e^{2x}", "correct"),
        ("log(8)/log(2)", "3", "correct"),
        # the wrong values stay wrong
        ("sqrt(2)/2", "\\frac{\\sqrt{3}}{2}", "incorrect"),
        ("pi/3", "\\frac{\\pi}{2}", "incorrect"),
        ("2^-2", "\\frac12", "incorrect"),
        ("3^(1/3)", "\\sqrt3", "incorrect"),
        ("x**3+1", "x^2+1", "incorrect"),
        # words keep their letters
        ("\\text{spin}", "\\text{spin}", "correct"),
    ],
)
def test_plain_text_math_in_a_box(verifier, answer, gold, status):
    assert verifier.verify(box(answer), gold).status == status


# ----- a gold written as an option and its value (AMC) -----------------------------------------
@pytest.mark.parametrize(
    ("response", "gold", "status"),
    [
        # the letter or the value answers it (both scored 0)
        (box("C"), "\\textbf{(C) }12", "correct"),
        (box("12"), "\\textbf{(C) }12", "correct"),
        (box("(C)"), "\\textbf{(C)}\\ 12", "correct"),
        (box("\\text{(C)}"), "\\text{(C)}\\ 12", "correct"),
        (box("(C) 12"), "$\\textbf{(C)}\\ 12$", "correct"),
        (box("\\sqrt{432}"), "\\textbf{(E) } 12\\sqrt{3}", "correct"),
        (box("\\textbf{(C) }12"), "\\textbf{(C) }12", "correct"),
        # another letter, another value, or a hedge does not
        (box("D"), "\\textbf{(C) }12", "incorrect"),
        (box("13"), "\\textbf{(C) }12", "incorrect"),
        (box("(D) 12"), "\\textbf{(C)}\\ 12", "incorrect"),
        ("\\boxed{C} or \\boxed{D}", "\\textbf{(C) }12", "incorrect"),
        ("\\boxed{12} or \\boxed{13}", "\\textbf{(C) }12", "incorrect"),
        (box("C, D"), "\\textbf{(C) }12", "incorrect"),
    ],
)
def test_a_gold_option_with_its_value(verifier, response, gold, status):
    assert verifier.verify(response, gold).status == status


# ----- expressions that agree only where the variables are positive ----------------------------
@pytest.mark.parametrize(
    ("answer", "gold", "status"),
    [
        # the test points were all positive: `x` was paid for the gold `|x|` ("Simplify
        # $\sqrt{x^2}$"), and so were `\max(x, 0)` and `(x^2)^{1/2}` for `x`
        ("x", "|x|", "incorrect"),
        ("|x|", "x", "incorrect"),
        ("\\sqrt{x^2}", "x", "incorrect"),
        ("\\max(x, 0)", "x", "incorrect"),
        ("|n|", "n", "incorrect"),
        ("|x| + |y|", "x+y", "incorrect"),
        ("\\sqrt{a^2 b^2}", "ab", "incorrect"),
        ("\\sqrt{n^2+2n+1}", "n+1", "incorrect"),
        # equal expressions stay equal, also where one side is not real at negative points
        ("\\sqrt{x^2}", "|x|", "correct"),
        ("|x|", "|x|", "correct"),
        ("x^{1/2}", "\\sqrt{x}", "correct"),
        ("\\ln(x^2)", "2\\ln|x|", "correct"),
        ("2\\ln x", "\\ln(x^2)", "correct"),
        ("\\sqrt{x}\\sqrt{y}", "\\sqrt{xy}", "correct"),
        ("e^{\\ln x}", "x", "correct"),
        ("\\frac{x^2-1}{x-1}", "x+1", "correct"),
    ],
)
def test_expressions_are_compared_at_negative_points_too(verifier, answer, gold, status):
    assert verifier.verify(box(answer), gold).status == status


@pytest.mark.parametrize("answer", ["x**x**x**x", "x" + "**x" * 100, "x^x^x^x", "2^(2)^(2)^(2)"])
def test_chained_powers_are_refused_before_parsing(answer):
    # `x**x**...` became a chain of powers once `**` was read: a worker ran into its deadline
    verdict = MathVerifier(deadline=1.0).verify(box(answer), "1")
    assert verdict.status == "unparseable" and "power tower" in verdict.detail, verdict
