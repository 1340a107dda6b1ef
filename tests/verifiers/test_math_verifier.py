"""MathVerifier's API: errors, extraction, multiple choice, batch and async agreement."""

from __future__ import annotations

import asyncio

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.extract import extract_final_answer, find_boxed, strip_think
from gymhub.verifiers.math_verifier import choice_letter, precheck


@pytest.fixture(scope="module")
def verifier():
    # these tests are about answers, not speed: a generous deadline keeps them stable on a
    # loaded machine (the deadline itself is tested in test_math_hostile.py)
    return MathVerifier(deadline=20.0)


def test_bad_arguments_raise_clear_errors(verifier):
    with pytest.raises(TypeError, match="str"):
        verifier.verify(b"\\boxed{1}", "1")
    with pytest.raises(ValueError, match="reference"):
        verifier.verify("\\boxed{1}", None)
    with pytest.raises(ValueError, match="empty"):
        verifier.verify("\\boxed{1}", "  ")
    with pytest.raises(ValueError, match="deadline"):
        MathVerifier(deadline=0)


def test_reference_response_scores_correct(verifier):
    for gold in ["\\frac{3}{4}", "(-\\infty, 2]", "x=5", "50\\%", "1011_2", 17, 2.5]:
        assert verifier.verify(verifier.reference_response(gold), gold).status == "correct"


def test_extraction_helpers():
    assert find_boxed("a \\boxed{\\frac{1}{2}} b \\fbox{3} \\boxed 7$") == [
        "\\frac{1}{2}",
        "3",
        "7",
    ]
    assert find_boxed("\\boxed{unclosed") == []
    assert strip_think("<think>x</think>y") == "y"
    assert strip_think("<think>never closed") == ""
    ext = extract_final_answer("\\boxed{2} then \\boxed{ 2 } and \\boxed{3}")
    assert ext.candidates == ["2", "3"] and ext.source == "boxed"
    assert extract_final_answer("The final answer is $42$.").answer == "42"
    assert extract_final_answer("<answer>7</answer>").source == "answer_tag"


def test_prechecks():
    assert precheck("9^{9^{9^9}}") is not None
    assert precheck("e^{x^2}") is None
    assert precheck("(" * 50 + ")" * 50) is not None
    assert precheck("1" * 2000) is not None


def test_multiple_choice_with_option_text(verifier):
    choices = {"A": "12", "B": "the empty set", "C": "\\pi"}
    assert verifier.verify("\\boxed{\\pi}", "C", choices=choices).status == "correct"
    assert verifier.verify("\\boxed{12}", "C", choices=choices).status == "incorrect"
    assert choice_letter("\\text{(B)}") == "B"
    assert choice_letter("Option text", None) is None


def test_batch_and_async_agree_with_sync(verifier):
    responses = ["\\boxed{4}", "\\boxed{5}", "no answer here at all " * 20, "\\boxed{2} \\boxed{3}"]
    golds = ["4", "4", "4", "2"]
    sync = [verifier.verify(r, g) for r, g in zip(responses, golds)]
    batch = verifier.verify_batch(responses, golds)

    async def run():
        return await asyncio.gather(*(verifier.averify(r, g) for r, g in zip(responses, golds)))

    assert [v.status for v in sync] == ["correct", "incorrect", "unparseable", "incorrect"]
    assert [v.status for v in batch] == [v.status for v in sync]
    assert [v.status for v in asyncio.run(run())] == [v.status for v in sync]
    with pytest.raises(ValueError):
        verifier.verify_batch(["a"], [])


def test_tolerance_applies_only_to_decimals(verifier):
    assert verifier.verify("\\boxed{3.1415927}", "\\pi").status == "correct"
    assert verifier.verify("\\boxed{3.1416}", "\\pi").status == "incorrect"
    assert verifier.verify("\\boxed{3.1416}", "\\pi", rel_tol=1e-4).status == "correct"


def test_importing_verifiers_stays_light():
    import subprocess
    import sys

    code = (
        "import sys, gymhub, gymhub.verifiers as v\n"
        "v.MathVerifier, v.Weighted, v.FormatReward, v.WorkerPool\n"
        "heavy = [m for m in ('sympy', 'math_verify', 'latex2sympy2_extended', 'torch') "
        "if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
