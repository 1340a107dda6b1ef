"""An answer that restates the question (its own expression, or an unevaluated expression of its
numbers) is not the answer, though it has the gold's value; honest answers are unaffected."""

from __future__ import annotations

import re

import pytest

import gymhub
from gymhub.verifiers import MathVerifier


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


@pytest.mark.parametrize(
    ("response", "gold", "question", "status"),
    [
        ("\\boxed{12+6}", "18", "Compute $12 + 6$.", "incorrect"),
        ("\\boxed{6 + 12}", "18", "Compute $12 + 6$.", "incorrect"),
        ("\\boxed{(12+6) \\cdot 1 + 0}", "18", "Compute $12 + 6$.", "incorrect"),
        ("\\boxed{x^2+2x+1}", "(x+1)^2", "Factor $x^2+2x+1$.", "incorrect"),
        ("\\boxed{\\sqrt{50}}", "5\\sqrt{2}", "Simplify $\\sqrt{50}$.", "incorrect"),
        (
            "\\boxed{\\binom{5}{2}}",
            "10",
            "In how many ways can 2 of 5 people be chosen?",
            "incorrect",
        ),
        (
            "\\boxed{\\frac{7}{8} \\cdot \\frac{1}{2}}",
            "\\frac{7}{16}",
            "Compute $\\frac78 \\div 2$.",
            "incorrect",
        ),
        # honest answers, including ones whose numbers or text occur in the question
        ("\\boxed{18}", "18", "Compute $12 + 6$; is it 18 or 19?", "correct"),
        ("\\boxed{(-7)}", "-7", "Compute $3 - 10$; is it -7 or 7?", "correct"),
        ("\\boxed{60^\\circ}", "60", "Is the angle 60 or 90 degrees?", "correct"),
        ("\\boxed{(x+1)^2}", "(x+1)^2", "Factor $x^2+2x+1$.", "correct"),
        ("\\boxed{2^{10}}", "2^{10}", "Which is larger, $2^{10}$ or $10^3$?", "correct"),
        (
            "\\boxed{2^{10}}",
            "1024",
            "How many subsets does a set with 10 elements have?",
            "correct",
        ),
        ("\\boxed{x = 18}", "18", "Solve for $x$: $x - 6 = 12$.", "correct"),
        ("\\boxed{\\frac{14}{32}}", "\\frac{7}{16}", "Compute $\\frac{7}{8} \\div 2$.", "correct"),
        ("\\boxed{3\\frac{1}{2}}", "\\frac72", "Write 7/2 as a mixed number.", "correct"),
    ],
)
def test_restatements_are_not_answers(verifier, response, gold, question, status):
    verdict = verifier.verify(response, gold, question=question)
    assert verdict.status == status, verdict
    if status == "incorrect":
        assert "question" in verdict.detail
        assert verifier.verify(response, gold).status == "correct"  # without the question


def test_math_envs_refuse_the_question_copied_as_the_answer():
    env = gymhub.make("gymhub/MathGen-v0")
    refused = 0
    for seed in range(12):
        env.reset(seed=seed, options={"difficulty": 1 + seed % 6})
        expression = re.search(r"\$(.+?)\$", env.task.question).group(1)
        _, reward, *_ = env.step(f"\\boxed{{{expression}}}")
        refused += reward == 0.0
        env.reset(seed=seed, options={"difficulty": 1 + seed % 6})
        _, reward, *_ = env.step(env.reference_text())
        assert reward == 1.0
    assert refused == 12


TOM = "Tom has 8 apples. He gives 4 away. How many apples does Tom have left?"


@pytest.mark.parametrize(
    ("response", "gold", "question", "status"),
    [
        ("He gives 4 away.", "4", TOM, "incorrect"),
        ("He gave 4 apples away.", "4", TOM, "incorrect"),  # was paid: a given, paraphrased
        ("Tom gives away 4 apples.", "4", TOM, "incorrect"),  # was paid
        ("So he gives 4 away.", "4", TOM, "incorrect"),
        ("The answer is: he gave away 4 apples.", "4", TOM, "incorrect"),
        # honest answers in the question's words
        ("Tom has 4 apples left.", "4", TOM, "correct"),
        ("He has 4 left.", "4", TOM, "correct"),
        ("He gives 4 away, so he has 4 left.", "4", TOM, "correct"),
        ("8 - 4 = 4, so Tom has 4 apples left.", "4", TOM, "correct"),
        ("The answer is 4.", "4", TOM, "correct"),
        ("So the area is 24.", "24", "The sides are 4 and 6. Show that the area is 24.", "correct"),
        ("Yes, x is equal to 4.", "4", "Solve 2x+3=11. Is x equal to 4?", "correct"),
        # one number in the question: answering by restating it is answering
        ("A box has 12 eggs.", "12", "A box holds 12 eggs. How many eggs are in a box?", "correct"),
    ],
)
def test_a_given_of_the_question_paraphrased_is_no_answer(
    verifier, response, gold, question, status
):
    verdict = verifier.verify(response, gold, question=question)
    assert verdict.status == status, verdict
    if status == "incorrect":
        assert verifier.verify(response, gold).status == "correct"  # without the question


JOHN = "Amy is 10 years old. Bob is 4 years old. John is as old as Amy. How old is John?"


@pytest.mark.parametrize(
    ("response", "question", "status"),
    [
        # the asked subject stated with the value is the answer (these were refused)
        ("John is 10 years old.", JOHN, "correct"),
        ("So John is 10 years old.", JOHN, "correct"),
        (
            "John is 10 years old.",
            "John is 10 years old. His sister is 5 years younger. How old is John?",
            "correct",
        ),
        ("John is 10 years old.", "How old is John?", "correct"),
        # a given restated without the asked subject stays an echo
        ("Amy is 10 years old.", JOHN, "incorrect"),
        ("So Amy is 10 years old.", JOHN, "incorrect"),
    ],
)
def test_the_asked_subject_with_its_value_is_an_answer_not_an_echo(
    verifier, response, question, status
):
    verdict = verifier.verify(response, "10", question=question)
    assert verdict.status == status, verdict


@pytest.mark.parametrize(
    ("response", "question", "status"),
    [
        # a fraction whose sign sits on a part is a number written, not an expression of the
        # question's numbers (these scored 0: 7 and 2 appear in the question)
        (r"\boxed{\frac{-7}{2}}", "Solve for x: -2x + 0 = 7", "correct"),
        (r"\boxed{\frac{7}{-2}}", "Solve for x: -2x = 7", "correct"),
        (r"$x = \frac{-7}{2}$", "Solve for x: -2x = 7", "correct"),
        # an operation on them is still one
        (r"\boxed{\frac{-7}{2} + 0}", "Solve for x: -2x + 0 = 7", "incorrect"),
        (r"\boxed{\frac{7}{-2} \cdot 1}", "Solve for x: -2x = 7", "incorrect"),
    ],
)
def test_a_signed_fraction_is_a_number_not_a_restatement(verifier, response, question, status):
    verdict = verifier.verify(response, r"-\frac{7}{2}", question=question)
    assert verdict.status == status, verdict


def test_a_signed_unreduced_fraction_copied_from_the_question_is_still_refused(verifier):
    verdict = verifier.verify(r"\boxed{\frac{-12}{3}}", "-4", question=r"Simplify $\frac{-12}{3}$.")
    assert verdict.status == "incorrect" and "unreduced" in verdict.detail


@pytest.mark.parametrize(
    ("response", "gold", "question"),
    [
        # the question's expression with its sums reordered, its braces or its fraction respelled
        (r"\boxed{1+2x+x^2}", "(x+1)^2", "Factor $x^2+2x+1$."),
        (r"\boxed{x^{2}+2x+1}", "(x+1)^2", "Factor $x^2+2x+1$."),
        (r"\boxed{2x + 1 + x^2}", "(x+1)^2", "Factor x^2+2x+1 completely."),
        (r"\boxed{3x+2x}", "5x", "Simplify $2x+3x$."),
        (r"\boxed{\frac{-1+x^2}{x-1}}", "x+1", r"Simplify $\frac{x^2-1}{x-1}$."),
        (r"\boxed{\frac{x^{2}-1}{-1+x}}", "x+1", r"Simplify $\frac{x^2-1}{x-1}$."),
        (r"\boxed{(x^2-1)/(x-1)}", "x+1", r"Simplify $\frac{x^2-1}{x-1}$."),
        # an unreduced fraction of the question in another spelling
        (r"\boxed{12/3}", "4", r"Simplify $\frac{12}{3}$."),
        (r"\boxed{12 \div 3}", "4", r"Simplify $\frac{12}{3}$."),
        (r"\boxed{\frac{12}{3}}", "4", "Simplify $12/3$."),
        # the question's numbers only: `\log_2 8` once read as the number 28
        (r"\boxed{\log_2(8)}", "3", r"Compute $\log_2 8$."),
        (r"\boxed{\log_{2}{8}}", "3", r"Compute $\log_2 8$."),
        (r"\boxed{\frac{\ln 8}{\ln 2}}", "3", r"Compute $\log_2 8$."),
        # the operation asked for, left undone
        (r"\boxed{\frac{d}{dx} x^3}", "3x^2", "Differentiate $x^3$."),
        (r"\boxed{\frac{d}{dx}\left(x^{3}\right)}", "3x^2", "Find the derivative of x^3."),
        (
            r"\boxed{\sum_{k=1}^{n} k}",
            r"\frac{n(n+1)}{2}",
            "Find a closed form for 1 + 2 + ... + n.",
        ),
        (r"\boxed{\int_0^1 2x\,dx}", "1", r"Compute the area under $y = 2x$ from 0 to 1."),
    ],
)
def test_a_restatement_in_another_order_or_spelling_is_no_answer(
    verifier, response, gold, question
):
    verdict = verifier.verify(response, gold, question=question)
    assert verdict.status == "incorrect" and "question" in verdict.detail, verdict
    assert verifier.verify(response, gold).status == "correct"  # without the question


@pytest.mark.parametrize(
    ("response", "gold", "question"),
    [
        # the gold is itself the question's expression reordered ("in standard form")
        (r"\boxed{2x+3}", "2x+3", "Write $3+2x$ in standard form."),
        (r"\boxed{x^2+2x+1}", "x^2+2x+1", "Expand $(x+1)^2$."),
        (r"\boxed{x^2+1+2x}", "x^2+2x+1", "Expand $(x+1)^2$."),
        (r"\boxed{x+1}", "x+1", r"Simplify $\frac{x^2-1}{x-1}$."),
        (r"\boxed{\frac{4}{1}}", "4", r"Simplify $\frac{12}{3}$."),
        (r"\boxed{\frac{3}{4}}", r"\frac34", r"Simplify $\frac{6}{8}$."),
        (r"\boxed{\frac{14}{32}}", r"\frac{7}{16}", r"Compute $\frac{7}{8} \div 2$."),
        (r"\boxed{3}", "3", r"Compute $\log_2 8$."),
        (r"\boxed{\int_0^1 2x\,dx}", r"\int_0^1 2x\,dx", "Write the area as an integral."),
        (r"\boxed{2^{10}}", "1024", "How many subsets does a set with 10 elements have?"),
    ],
)
def test_an_answer_near_the_question_that_did_the_work_still_pays(
    verifier, response, gold, question
):
    assert verifier.verify(response, gold, question=question).status == "correct"


@pytest.mark.parametrize(
    ("response", "gold", "question"),
    [
        # plain-text math is read as math, so its restatements are restatements too
        (r"\boxed{sqrt(324)}", "18", r"Compute $\sqrt{324}$."),
        (r"\boxed{log(8)/log(2)}", "3", r"Compute $\log_2 8$."),
        (r"\boxed{2**10}", "1024", r"Compute $2^{10}$."),
        (r"\boxed{x**2+2*x+1}", "(x+1)^2", "Factor $x^2+2x+1$."),
    ],
)
def test_a_restatement_in_plain_text_math_is_no_answer(verifier, response, gold, question):
    verdict = verifier.verify(response, gold, question=question)
    assert verdict.status == "incorrect" and "question" in verdict.detail, verdict
    assert verifier.verify(response, gold).status == "correct"  # without the question
