"""Red-team: multiple choice as AMC problems write it. The options of a question set in LaTeX
(`$\\textbf{(A) }10\\qquad\\textbf{(B) }14$`) were read with their layout (`}10\\qquad\\textbf{`),
so the option's value boxed for a letter gold (`\\boxed{14}` for B) was unparseable, a right
answer scored 0. And an option taken back in a later paragraph ("The answer is B.\\n\\nActually,
C.") was paid as the first pick."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.math_verifier import _RETRACTED_TO_LETTER, options_in_question

VERIFIER = MathVerifier()
THINK = "<think>\nBy the order of operations, 3 * 4 = 12 first, then 2 + 12 = 14.\n</think>\n\n"
AMC = (
    "What is the value of $2+3 \\cdot 4$?\n\n$\\textbf{(A) }10\\qquad\\textbf{(B) }14\\qquad"
    "\\textbf{(C) }20\\qquad\\textbf{(D) }24\\qquad\\textbf{(E) }28$"
)
AMC_MATHRM = (
    "What is the value of $2+3 \\cdot 4$?\n\n$\\mathrm{(A)}\\ 10 \\qquad \\mathrm{(B)}\\ 14 "
    "\\qquad \\mathrm{(C)}\\ 20 \\qquad \\mathrm{(D)}\\ 24 \\\\ \\qquad \\mathrm{(E)}\\ 28$"
)


@pytest.mark.parametrize(
    ("question", "options"),
    [
        (AMC, {"A": "10", "B": "14", "C": "20", "D": "24", "E": "28"}),
        (AMC_MATHRM, {"A": "10", "B": "14", "C": "20", "D": "24", "E": "28"}),
        (
            "$\\text{(A)}\\ \\frac{1}{2} \\qquad \\text{(B)}\\ \\frac{2}{3} \\qquad \\text{(C)}\\ 1$",
            {"A": "\\frac{1}{2}", "B": "\\frac{2}{3}", "C": "1"},
        ),
        (
            "$\\textbf{(A) } \\sqrt{2} \\qquad\\textbf{(B) } 2\\pi \\qquad\\textbf{(C) } \\text{none}$",
            {"A": "\\sqrt{2}", "B": "2\\pi", "C": "\\text{none}"},
        ),
        (
            "Which value is right? (A) 10 (B) 12 (C) 14 (D) 16",
            {"A": "10", "B": "12", "C": "14", "D": "16"},
        ),
    ],
)
def test_options_set_in_latex_are_read_without_their_layout(question, options):
    assert options_in_question(question) == options


@pytest.mark.parametrize("question", [AMC, AMC_MATHRM])
@pytest.mark.parametrize(
    ("response", "status"),
    [
        ("$2 + 12 = 14$, so the answer is $\\boxed{14}$.", "correct"),
        ("The answer is 14.", "correct"),
        ("$\\boxed{B}$", "correct"),
        ("$\\boxed{20}$", "incorrect"),
        ("$\\boxed{14}$ or $\\boxed{20}$", "incorrect"),
        ("$\\boxed{15}$", "unparseable"),
        # a value taken back after the box, now that the box reads as an option
        ("The answer is $\\boxed{14}$.\n\nActually, 20.", "incorrect"),
        ("$\\boxed{\\textbf{(B) }14}$\n\nHmm, 20.", "incorrect"),
        ("$\\boxed{B}$\n\nHmm, 14.", "correct"),
        ("$\\boxed{14}$\n\nActually, 14.0.", "correct"),
    ],
)
def test_the_value_of_an_amc_option_answers_its_letter(question, response, status):
    verdict = VERIFIER.verify(THINK + response, "B", question=question)
    assert verdict.status == status, verdict


@pytest.mark.parametrize(
    ("response", "status"),
    [
        ("The answer is B.\n\nActually, C.", "incorrect"),
        ("$\\boxed{B}$\n\nActually, (C).", "incorrect"),
        ("$\\boxed{B}$\n\nActually, option C.", "incorrect"),
        ("**Answer: B**\n\nWait, no, C.", "incorrect"),
        ("<answer>B</answer>\n\nActually, C.", "incorrect"),
        ("$\\boxed{B}$\n\nNo. A", "incorrect"),
        ("The answer is B.\n\nActually, 2 + 12 = 14.", "correct"),
        ("The answer is (B).\n\nNo, (A) ignores the order of operations.", "correct"),
        ("The answer is (B).\n\nA) 10\nB) 14", "correct"),
        ("The answer is B.\n\nActually, B.", "correct"),
    ],
)
def test_an_option_taken_back_in_a_later_paragraph_is_a_hedge(response, status):
    verdict = VERIFIER.verify(THINK + response, "B", question=AMC)
    assert verdict.status == status, verdict


@pytest.mark.parametrize("fragment", ["(A)", "}\\qquad", " ", "\\qquad\\textbf{", ". wait, ", "\n"])
def test_option_and_retraction_scans_are_linear(fragment):
    hostile = fragment * (100_000 // len(fragment))
    start = time.perf_counter()
    options_in_question(hostile)
    options_in_question("(A) 1 (B)" + hostile)
    list(_RETRACTED_TO_LETTER.finditer(hostile))
    VERIFIER.verify("The answer is B." + hostile, "B", question="(A) 1 (B) 2" + hostile[:10_000])
    assert time.perf_counter() - start < 1.5
