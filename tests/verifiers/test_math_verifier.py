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


def _mixed_batch(n: int) -> tuple[list[str], list[str]]:
    answers = [
        ("\\boxed{4}", "4"),  # fast path
        ("\\boxed{\\frac{1}{2}}", "0.5"),
        ("\\boxed{\\sqrt{2}/2}", "\\frac{\\sqrt{2}}{2}"),  # sympy in a worker
        ("\\boxed{x^2+2x+1}", "(x+1)^2"),
        ("no answer at all", "3"),
        ("\\boxed{2} or \\boxed{3}", "2"),
        ("The answer is (B)", "B"),
        ("\\boxed{7}", "8"),
    ]
    pairs = [answers[i % len(answers)] for i in range(n)]
    return [r for r, _ in pairs], [g for _, g in pairs]


def test_large_batches_on_several_workers_agree_with_one_by_one():
    """With two workers a large batch is prepared in the workers (chunks); verdicts must be
    those of `verify`, in order, and the caller's errors still raised."""
    from gymhub.verifiers.math_verifier import PREPARE_IN_WORKERS_MIN
    from gymhub.verifiers.pool import WorkerPool

    pool = WorkerPool(2, preload=("gymhub.verifiers.math_core:warmup",))
    try:
        verifier = MathVerifier(deadline=20.0, pool=pool)
        responses, golds = _mixed_batch(3 * PREPARE_IN_WORKERS_MIN)
        one_by_one = [verifier.verify(r, g) for r, g in zip(responses, golds)]
        batch = verifier.verify_batch(responses, golds)
        assert [(v.status, v.reward) for v in batch] == [(v.status, v.reward) for v in one_by_one]
        assert {v.status for v in batch} == {"correct", "incorrect", "unparseable"}
        with pytest.raises(ValueError, match="empty"):
            verifier.verify_batch(responses, golds[:-1] + ["  "])
        with pytest.raises(TypeError, match="str"):
            verifier.verify_batch(responses[:-1] + [b"\\boxed{1}"], golds)
    finally:
        pool.close()


def test_a_batch_chunk_lost_in_a_worker_is_prepared_in_the_caller(monkeypatch):
    from gymhub.verifiers import math_verifier
    from gymhub.verifiers.pool import WorkerPool

    monkeypatch.setattr(math_verifier, "_PREPARE", "gymhub.verifiers.math_verifier:no_such_fn")
    pool = WorkerPool(2, preload=("gymhub.verifiers.math_core:warmup",))
    try:
        verifier = MathVerifier(deadline=20.0, pool=pool)
        responses, golds = _mixed_batch(2 * math_verifier.PREPARE_IN_WORKERS_MIN)
        batch = verifier.verify_batch(responses, golds)
        expected = [verifier.verify(r, g).status for r, g in zip(responses, golds)]
        assert [v.status for v in batch] == expected
    finally:
        pool.close()


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
