"""Answers MathVerifier misjudged in an adversarial audit: a value followed by its reason or
condition in prose (the reason's last number was read as the answer: a right answer scored 0
and the reason's number paid), working written inside the answer before its conclusion
(`\\implies`, `\\text{ so }`), a named sum (`m+n = 14`), a bare gold for a question that asks
for a percentage, and a final answer taken back right after it is given. Each with the variants
that must stay unpaid."""

from __future__ import annotations

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.extract import extract_final_answer


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


def box(answer: str) -> str:
    return f"The final answer is $\\boxed{{{answer}}}$."


COT = "First 3 * 5 = 15, and 15 + 5 = 20.\n\n"


# ----- a value, then its reason, condition or aside ------------------------------------------------
@pytest.mark.parametrize(
    ("response", "answer"),
    [
        ("The answer is 20 because there are 4 groups of 5.", "20"),
        ("So the total is 20 since each of the 4 boxes holds 5.", "20"),
        ("The answer is 20, as 4 boxes hold 5 each.", "20"),
        ("The answer is 20 (4 boxes of 5 each).", "20"),
        ("The answer is 20 (from 4 × 5).", "20"),
        ("There are 20 apples in 4 bags of 5.", "20"),
        ("The answer is $20$, since there are $4$ bags of $5$.", "20"),
        ("Answer: 20, because 4 bags hold 5 each", "20"),
        ("The final answer is 20 with a remainder of 3.", "20"),
        ("The maximum is 20 when x = 5.", "20"),
        ("The minimum value is $20$, attained at $x = 5$.", "20"),
        ("Therefore she has 20 apples after giving 5 away.", "20"),
        ("The answer is $x = 4$ since $2x = 8$.", "x = 4"),
        ("The solutions are 2 and 3 since (x-2)(x-3) = 0.", "2 \\text{ and } 3"),
        ("The answer is $\\frac{1}{2}$ since there are 2 outcomes.", "\\frac{1}{2}"),
        # unchanged: the reason is a conclusion, a circumstance, or part of an expression
        ("The train travels 60 miles in 2 hours, so its speed is 30 mph.", "30"),
        ("He buys 3 pens at 2 dollars each for a total of 6 dollars.", "6"),
        ("After 5 days, she has 20 apples in 4 bags.", "20"),
        ("Since x = 3 when y = 2, the answer is 7.", "7"),
        ("The remainder when 2^100 is divided by 7 is 2.", "2"),
    ],
)
def test_a_reason_after_the_value_is_not_the_answer(response, answer):
    assert extract_final_answer(COT + response).candidates == [answer]


@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("20", "The answer is 20 because there are 4 groups of 5.", "correct"),  # was 5: 0
        ("5", "The answer is 20 because there are 4 groups of 5.", "incorrect"),  # was paid
        ("20", "There are 20 apples (4 bags with 5 each).", "correct"),
        ("5", "There are 20 apples (4 bags with 5 each).", "incorrect"),
        ("5", "The minimum value is $20$, attained at $x = 5$.", "incorrect"),
        ("5", "Answer: 20 (4 bags × 5 apples)", "incorrect"),
        # a conditional answer names two values: a hedge, whichever the gold is
        ("5", "The answer is 5 if n is even and 6 if n is odd.", "incorrect"),
        ("6", "The answer is 5 if n is even and 6 if n is odd.", "incorrect"),
        ("6", "The answer is 5 if n is even, otherwise 6.", "incorrect"),
        ("5", "The answer is 3 for x and 5 for y.", "incorrect"),
        ("30", "The maximum is 20 when x = 5, and 30 when x = 6.", "incorrect"),
        ("20", "The minimum is 20 when x = 5 and y = 3.", "correct"),
        # the qualifiers stay with the value
        ("20", "The answer is 20 (or 21 if we count Bob).", "incorrect"),
        ("20", "The answer is 20 (approximately).", "incorrect"),
        ("20", "The answer is $20$ (not $21$).", "correct"),
        # a comparison after the value, and a ratio in words
        ("20", "The answer is 20, which is 5 more than 15.", "correct"),  # was 15 (more than)
        ("3/4", "The probability is 3 out of 4.", "correct"),  # was 4: 0
        ("4", "The probability is 3 out of 4.", "incorrect"),  # was paid
        ("20", "The total is the sum, which is 20.", "correct"),
        # a doubt after the value names another one: a hedge, never the last value alone
        ("5", "The answer is 5 (6 is also possible).", "incorrect"),
        ("6", "The answer is 5 (6 is also possible).", "incorrect"),  # was paid
        ("6", "The answer is 5, since it might be 6.", "incorrect"),  # was paid
        ("6", "The answer is 5 (though 6 may work too).", "incorrect"),
        ("5", "The answer is 5 because it could also be 6.", "incorrect"),
        ("20", "The answer is 20 (at least).", "incorrect"),  # was paid
        ("20", "The answer is 20 (exactly).", "correct"),
    ],
)
def test_reasons_in_prose(verifier, gold, response, status):
    assert verifier.verify(COT + response, gold).status == status, response


# ----- working inside the answer, a named sum ------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("3", box("x + 2 = 5 \\implies x = 3"), "correct"),  # was unparseable
        ("3", box("x + 2 = 5 \\Rightarrow x = 3"), "correct"),
        ("3", box("x + 2 = 5 \\Longrightarrow x = 3"), "correct"),
        ("3", box("x + 2 = 5, \\text{ so } x = 3"), "correct"),  # was a list: 0
        ("7", box("a = 2, b = 5, \\text{ so } a+b = 7"), "correct"),
        (
            "14",
            box("3 + 4 = 7 \\text{ and } 7 \\cdot 2 = 14, \\text{ so the answer is } 14"),
            "correct",
        ),
        ("5", box("\\text{The answer is } 5"), "correct"),
        ("5", box("\\text{Answer: } 5"), "correct"),
        ("5", box("x + 2 = 5 \\implies x = 3"), "incorrect"),
        (
            "7",
            box("3 + 4 = 7 \\text{ and } 7 \\cdot 2 = 14, \\text{ so the answer is } 14"),
            "incorrect",
        ),
        ("5", box("x = 5 \\implies y = 3"), "incorrect"),
        ("14", box("a+b+c = 14"), "correct"),  # was an equation: 0
        ("14", box("m + n = 14"), "correct"),
        ("14", box("a_1 + a_2 = 14"), "correct"),
        ("15", box("a+b+c = 14"), "incorrect"),
        ("1", box("2x+z=1"), "incorrect"),  # a coefficient: an equation
        ("0", box("x-y=0"), "incorrect"),
        ("0", box("x+y=0"), "incorrect"),
        ("x+y=1", box("x+y=1"), "correct"),  # an equation gold stays an equation
        ("x+y=1", box("1"), "incorrect"),
    ],
)
def test_working_inside_the_answer(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


# ----- a question that asks for a percentage ---------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "gold", "response", "status"),
    [
        ("What percent of 40 is 20?", "50", box("50\\%"), "correct"),  # was incorrect
        ("What percent of 40 is 20?", "50", "The answer is 50%.", "correct"),
        ("What percent of 40 is 20?", "50", box("50"), "correct"),
        ("What percent of 40 is 20?", "50", box("0.5"), "incorrect"),
        ("What percent of 40 is 20?", "50", box("50.5\\%"), "incorrect"),
        ("Express 20/40 as a percent.", "50", box("50\\%"), "correct"),
        ("What is the percent increase from 40 to 50?", "25", box("25\\%"), "correct"),
        ("40 percent of the 30 students are boys. How many boys?", "12", box("12\\%"), "incorrect"),
        ("What fraction of 40 is 20?", "0.5", box("50\\%"), "incorrect"),
        ("What is 20 + 30?", "50", box("50\\%"), "incorrect"),
    ],
)
def test_a_percent_question_with_a_bare_gold(verifier, question, gold, response, status):
    assert verifier.verify(response, gold, question=question).status == status, response


# ----- a final answer taken back ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("18", "The final answer is 18. Wait, actually it's 20.", "incorrect"),  # was paid
        ("20", "The final answer is 18. Wait, actually it's 20.", "incorrect"),
        ("5", "Final answer: $5$. Actually, no: $6$.", "incorrect"),
        ("5", "$\\boxed{5}$. Oops, no: $6$.", "incorrect"),
        ("17", "The answer is 17 apples? No, 20 apples.", "incorrect"),
        # no retraction, or one that keeps the answer
        ("18", "The final answer is 18. Actually, 18 is right.", "correct"),
        ("18", "The final answer is 18.\n\nActually, let me verify: 3 * 6 = 18.", "correct"),
        ("18", "The answer is $\\boxed{18}$ and no, it cannot be 20.", "correct"),
        ("18", "\\boxed{18}. I mean, it's 18.", "correct"),
        ("7", "The answer is 7 rather than 8.", "correct"),
        ("18", "\\boxed{18}\n\nCheck: 3 * 6 = 18. Yes, that's correct.", "correct"),
        # ... or given another answer beside it: a hedge
        ("6", "I'm not sure, but I think it's 5. It might also be 6.", "incorrect"),  # was paid
        ("5", "So the answer is 5. Or possibly 6.", "incorrect"),  # was paid
        ("5", "The answer is 5.\nAlternatively, it could be 6.", "incorrect"),
        ("5", "\\boxed{5}\nAlternatively, the answer could be 6.", "incorrect"),
        ("6", "Answer: 5\nAnother valid answer: 6", "incorrect"),  # was paid
        ("5", "The answer is 5.\n\nNote: 6 is also defensible.", "incorrect"),
        (
            "12",
            "So there are 12 cookies. It could also be 14 if we count the broken ones.",
            "incorrect",
        ),
        # an alternative way to the same answer, or one rejected, is no second answer
        ("3", "The answer is $\\boxed{3}$. (x = 2 could also be a root, but it fails.)", "correct"),
        ("12", "The final answer is 12. Alternatively, one can verify: 3 * 4 = 12.", "correct"),
        ("12", "The answer is 12.\nAnother way to see it: 2 * 6 = 12.", "correct"),
        ("3", "So x = 3. This might be surprising.", "correct"),
    ],
)
def test_a_final_answer_taken_back_is_a_hedge(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


# ----- the question echoed ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "gold", "response", "status"),
    [
        # the final sentence is a sentence of the question, copied: its number is no answer
        (
            "Tom has 8 apples. He gives 4 to Ann. Now he has 4 apples left over after eating "
            "none. How many did he eat?",
            "4",
            "Tom has 8 apples. He gives 4 to Ann. Now he has 4 apples left over after eating none.",
            "incorrect",  # was paid
        ),
        (
            "Let x + 3 = 12. The answer is 9 when rounded up. Find x.",
            "9",
            "We are told that x + 3 = 12. The answer is 9 when rounded up.",
            "incorrect",
        ),
        ("Simplify $\\frac{12}{3}$.", "4", "Simplify $\\frac{12}{3}$.", "incorrect"),  # was paid
        ("Simplify $\\frac{12}{3}$.", "4", box("\\frac{12}{3}"), "incorrect"),
        ("Simplify $12/3$.", "4", "The answer is 12/3.", "incorrect"),
        # the answer in a sentence of its own, or a fraction the gold writes the same way
        ("Show that the area is 24.", "24", "So the area is 24.", "correct"),
        ("Show that the area is 24.", "24", "Thus:\nThe area is 24.", "correct"),
        (
            "Which is larger, $\\frac{6}{8}$ or $\\frac{5}{8}$?",
            "\\frac{6}{8}",
            box("6/8"),
            "correct",
        ),
        ("Write $0.75$ as a fraction.", "\\frac{3}{4}", box("\\frac{6}{8}"), "correct"),
        ("What is $\\frac{1}{2} + \\frac{1}{4}$?", "\\frac{3}{4}", box("\\frac{3}{4}"), "correct"),
        (
            "Tom has 8 apples. He gives 4 to Ann. How many apples does he have left?",
            "4",
            "Tom has 8 apples. He gives 4 to Ann. So he has 4 apples left.",
            "correct",
        ),
    ],
)
def test_an_echo_of_the_question_is_not_an_answer(verifier, question, gold, response, status):
    assert verifier.verify(response, gold, question=question).status == status, response


# ----- sets by their condition, every real, ordinals, a name on the right ---------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("(2,\\infty)", box("\\{x \\mid x > 2\\}"), "correct"),  # was unparseable
        ("(2,\\infty)", box("\\{x : x > 2\\}"), "correct"),  # was incorrect
        ("(2,\\infty)", box("\\{x \\in \\mathbb{R} \\mid x > 2\\}"), "correct"),
        ("[-2,2]", box("\\{x \\mid x^2 \\le 4\\}"), "correct"),
        ("(2,\\infty)", box("\\{x \\mid x \\ge 2\\}"), "incorrect"),
        ("2", box("\\{x \\mid x > 2\\}"), "incorrect"),
        ("\\{1, 2\\}", box("\\{1, 2\\}"), "correct"),
        ("(-\\infty,\\infty)", box("\\text{all real numbers}"), "correct"),  # was words: 0
        ("(-\\infty,\\infty)", "The answer is all real numbers.", "correct"),
        ("(0,\\infty)", box("\\text{all real numbers}"), "incorrect"),
        ("10", box("\\text{10th}"), "correct"),  # was incorrect
        ("11", box("\\text{10th}"), "incorrect"),
        ("5", box("5 = x"), "correct"),  # was an equation: 0
        ("x=2", box("2=x"), "correct"),
        ("0.5", box("\\frac{1}{2} = p"), "correct"),
        ("6", box("5 = x"), "incorrect"),
        ("3", box("5 = 2x - 1"), "incorrect"),  # an equation, never the value 5
        ("2x-1=5", box("5 = 2x - 1"), "correct"),
    ],
)
def test_sets_reals_ordinals_and_names_on_the_right(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


# ----- several assignments in prose --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("7", "We have a = 5, b = 6, and c = 7.", "incorrect"),  # was paid: the last value
        ("(5,6,7)", "We have a = 5, b = 6, and c = 7.", "correct"),
        ("7", "So $a = 5$, $b = 6$ and $c = 7$.", "incorrect"),
        ("3", "The solution is x = 2, y = 3.", "incorrect"),
        ("(2,3)", "The solution is x = 2, y = 3.", "correct"),
        ("7", "Thus a = 5, b = 6, so c = 7.", "correct"),  # a conclusion after the working
        ("2, 3", "Hence x = 2 and x = 3.", "correct"),  # one variable: its roots
    ],
)
def test_several_assignments_in_prose_are_a_point(verifier, gold, response, status):
    assert verifier.verify(response, gold).status == status, response


# ----- a value, then how it is made up ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("gold", "response", "status"),
    [
        ("20", "Answer: 20 apples, 4 bags of 5.", "correct"),  # was 5: 0
        ("5", "Answer: 20 apples, 4 bags of 5.", "incorrect"),  # was paid
        ("20", "Answer: 20, 4 bags of 5.", "correct"),
        ("20", "So the answer is 20 apples, 4 bags with 5 each.", "correct"),
        ("20", "There are 20 apples, 4 bags of 5.", "correct"),
        ("12", "Answer: 12 chairs; 3 rows of 4.", "correct"),
        ("4", "Answer: 12 chairs; 3 rows of 4.", "incorrect"),
        ("20", "Answer: 20 apples - 4 bags of 5.", "correct"),
        ("20", "Answer: 20 apples, 4 x 5.", "correct"),
        ("20", "Answer: $20$, $4$ bags of $5$.", "correct"),
        ("5", "Answer: 5 km, 2 laps of 2.5 km.", "correct"),
        ("7", "The answer is 7, 2 of which are red.", "correct"),  # was the list 7, 2: 0
        ("2", "The answer is 7, 2 of which are red.", "incorrect"),
        # unchanged: a list, a conclusion after the make-up, a doubt
        ("3, 4, 5", "Answer: 3, 4 and 5.", "correct"),
        ("3", "Answer: 3, 4 and 5.", "incorrect"),
        ("20", "Answer: 4 bags of 5, so 20 apples.", "correct"),
        ("4", "Answer: 4 bags of 5, so 20 apples.", "incorrect"),
        ("20", "Answer: 20 apples, or 4 bags of 5.", "incorrect"),
        ("20", "Answer: 20 apples, maybe 4 bags of 6.", "incorrect"),
        ("10", "Answer: 10, 2 groups of 5, or 11.", "incorrect"),
    ],
)
def test_the_make_up_after_a_value_is_not_the_answer(verifier, gold, response, status):
    assert verifier.verify(COT + response, gold).status == status, response


@pytest.mark.parametrize(
    ("response", "gold", "status"),
    [
        ("The answer is 12/4, i.e. 3.", "3", "correct"),
        ("The answer is 12 times 4, i.e. 48.", "48", "correct"),
        ("The answer is 12 minus 4, i.e., 8.", "8", "correct"),
        ("The answer is 12 divided by 4, i.e. 3.", "3", "correct"),
        ("The answer is 8, i.e. 12 minus 4.", "8", "correct"),
        ("The answer is 8, i.e., 12 - 4.", "8", "correct"),
        ("The answer is 8, i.e. 12 - 4.", "4", "incorrect"),
        ("The answer is 12 times 4, i.e. 48.", "4", "incorrect"),
        ("The answer is 12 times 4, i.e. 48.", "12", "incorrect"),
        ("The answer is 3 i.e. 4.", "3", "incorrect"),
        ("The answer is 5, i.e. 5 or 6.", "5", "incorrect"),
    ],
)
def test_i_e_restates_and_never_ends_the_sentence(verifier, response, gold, status):
    """ "i.e." was read as the end of a sentence ("12/4, i.e" could not be parsed: right answers
    scored 0); it restates what comes before it, as "that is" does."""
    assert verifier.verify(response, gold).status == status, (response, gold)
