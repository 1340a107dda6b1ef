"""The rest of the scoring library: string, numeric, choice, format, JSON, text metrics,
composition."""

from __future__ import annotations

import asyncio

import pytest

from gymhub.types import Verdict
from gymhub.verifiers import (
    BLEU,
    ChrF,
    ExactMatch,
    FormatReward,
    FunctionVerifier,
    Gate,
    JsonSchemaVerifier,
    MathVerifier,
    MultipleChoice,
    NumericVerifier,
    Weighted,
    extract_json,
)


def test_exact_and_normalized_match():
    assert ExactMatch().verify("<answer>  PARIS. </answer>", "Paris").status == "correct"
    assert (
        ExactMatch(normalize=False).verify("<answer>PARIS</answer>", "Paris").status == "incorrect"
    )
    assert ExactMatch().verify("<answer>Lyon</answer>", ["Paris", "Lyon"]).status == "correct"
    assert ExactMatch().verify("<answer></answer>", "Paris").status == "unparseable"


def test_numeric_tolerances():
    v = NumericVerifier(rel_tol=1e-3, abs_tol=0)
    assert v.verify("<answer>1,000.4</answer>", 1000).status == "correct"
    assert v.verify("<answer>1002</answer>", 1000).status == "incorrect"
    assert NumericVerifier(rel_tol=0, abs_tol=0.5).verify("it is 2.4", 2).status == "correct"
    assert v.verify("no digits", 3).status == "unparseable"
    with pytest.raises(ValueError):
        NumericVerifier(rel_tol=-1)


def test_multiple_choice():
    v = MultipleChoice()
    ref = {"answer": "B", "choices": {"A": "Paris", "B": "Rome", "C": "Oslo"}}
    assert v.verify("The answer is (B).", "B").status == "correct"
    assert v.verify("\\boxed{Rome}", ref).status == "correct"
    assert v.verify("\\boxed{Oslo}", ref).status == "incorrect"
    assert v.verify("\\boxed{A} \\boxed{B}", "B").status == "incorrect"
    for hedge in (
        "(A) or (B)",
        "A and B",
        "\\boxed{A, B}",
        "<answer>B/A</answer>",
        "Rome or Paris",
    ):
        assert v.verify(hedge, ref).reward == 0.0, hedge  # never read as its first letter
    assert v.verify("<answer>B</answer> <answer>A</answer>", "B").status == "incorrect"
    for fine in ("The answer is (B). I am sure.", "B) Rome", "\\boxed{B}. Both A and C fail."):
        assert v.verify(fine, ref).status == "correct", fine
    assert v.verify("I don't know", "B").status == "unparseable"
    assert v.verify(v.reference_response("B"), "B").status == "correct"
    with pytest.raises(ValueError):
        v.verify("A", "Z")


@pytest.mark.parametrize("kind", ["multiple_choice", "math"])
def test_an_option_ruled_out_is_no_second_pick(kind):
    """`C, not A` picks C; an earlier sentence dismissing A is no hedge. Naming two picks
    stays one."""
    verifier = MultipleChoice() if kind == "multiple_choice" else MathVerifier(deadline=20.0)
    for right in (
        "The answer is C, not A.",
        "C (not A)",
        "The answer is C rather than A.",
        "The answer is C and not A",
        "Option A is wrong. The correct option is C.",
        "The correct option is C. Option A is wrong.",
    ):
        assert verifier.verify(right, "C").status == "correct", right
    for wrong in (
        "The answer is A, not C.",
        "The answer is A or C, not B.",
        "The answer is C. Hmm, or maybe A.",
        "Not A. The answer is C, or perhaps B.",
        "neither A nor C",
    ):
        assert verifier.verify(wrong, "C").reward == 0.0, wrong


def test_format_reward():
    f = FormatReward()
    assert f.verify("<think>work</think><answer>4</answer>").status == "correct"
    assert f.verify("<answer>4</answer>").status == "incorrect"
    assert f.verify("<think>a</think><answer>4</answer><answer>5</answer>").status == "incorrect"
    assert f.verify("</think><think><answer>4</answer>").status == "incorrect"
    assert f.verify("junk<think>a</think><answer>4</answer>").status == "incorrect"
    boxed = FormatReward(think="optional", answer="boxed")
    assert boxed.verify("so \\boxed{4}").status == "correct"
    assert boxed.verify("\\boxed{4} or \\boxed{5}").status == "incorrect"
    assert FormatReward(think="forbidden", answer="either").verify("<think></think>4").reward == 0
    with pytest.raises(ValueError):
        FormatReward(answer="xml")


def test_json_schema():
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
        "required": ["name", "age"],
        "additionalProperties": False,
    }
    v = JsonSchemaVerifier(schema)
    assert v.verify('Sure!\n```json\n{"name": "Ada", "age": 36}\n```').status == "correct"
    bad = v.verify('{"name": "Ada", "age": -1}')
    assert bad.status == "incorrect" and "age" in bad.detail
    assert v.verify("no json here").status == "unparseable"
    assert v.verify("[" * 100_000).status == "unparseable"
    assert JsonSchemaVerifier().verify('{"a": 1}', {"type": "object"}).status == "correct"
    exact = JsonSchemaVerifier(schema, match_reference=True)
    assert (
        exact.verify('{"name": "Ada", "age": 36}', {"name": "Ada", "age": 36}).status == "correct"
    )
    assert (
        exact.verify('{"name": "Bob", "age": 36}', {"name": "Ada", "age": 36}).status == "incorrect"
    )
    assert extract_json("<answer>[1, 2]</answer>") == [1, 2]
    with pytest.raises(Exception):  # noqa: B017 - jsonschema's SchemaError
        JsonSchemaVerifier({"type": "not-a-type"})


def test_chrf_and_bleu_rank_translations():
    ref = "the cat sat on the mat"
    for metric in (ChrF(), BLEU()):
        perfect = metric.verify(f"<answer>{ref}</answer>", ref)
        close = metric.verify("<answer>the cat sat on a mat</answer>", ref)
        far = metric.verify("<answer>dogs bark loudly</answer>", ref)
        assert perfect.reward == pytest.approx(1.0) and perfect.status == "correct"
        assert 0 < close.reward < 1 and close.status == "partial"
        assert far.reward < close.reward
        assert metric.name in close.components
    assert ChrF(pass_threshold=0.5).verify("the cat sat on a mat", ref).status == "correct"
    assert ChrF().verify("", ref).status == "unparseable"
    with pytest.raises(ValueError):
        ChrF().verify("x", 3)


def test_weighted_keeps_components():
    v = Weighted({"answer": (ExactMatch(), 0.8), "format": (FormatReward(), 0.2)})
    both = v.verify("<think>x</think><answer>Rome</answer>", "Rome")
    assert both.status == "correct" and both.reward == pytest.approx(1.0)
    assert both.components == {"answer": 1.0, "format": 1.0}
    fmt_only = v.verify("<think>x</think><answer>Oslo</answer>", "Rome")
    assert fmt_only.status == "partial" and fmt_only.reward == pytest.approx(0.2)
    assert asyncio.run(v.averify("<answer>Rome</answer>", "Rome")).reward == pytest.approx(0.8)
    split = Weighted({"a": ExactMatch(), "b": ExactMatch()}, split_reference=True)
    assert split.verify("<answer>x</answer>", {"a": "x", "b": "y"}).reward == pytest.approx(0.5)
    with pytest.raises(ValueError):
        Weighted({})
    with pytest.raises(ValueError):
        Weighted({"a": (ExactMatch(), -1)})


def test_gate_blocks_until_it_passes():
    calls = []

    def judge(response, reference, **_):
        calls.append(response)
        return 1.0

    v = Gate(FormatReward(), FunctionVerifier(judge, name="judge"), then_name="judge")
    closed = v.verify("Solution", None)  # a "master key" reply never reaches the judge
    assert closed.reward == 0.0 and closed.status == "incorrect" and calls == []
    assert closed.components == {"gate": 0.0}
    opened = v.verify("<think>a</think><answer>4</answer>", None)
    assert opened.reward == 1.0 and opened.components == {"gate": 1.0, "judge": 1.0}
    infra = Gate(
        FunctionVerifier(lambda r, ref: Verdict(reward=0, status="infra_error")), ExactMatch()
    )
    assert infra.verify("x", "x").status == "infra_error"
    nested = Weighted({"g": Gate(FormatReward(), ExactMatch())})
    out = nested.verify("<think>a</think><answer>4</answer>", "4")
    assert out.components == {"g": 1.0, "g.gate": 1.0, "g.score": 1.0}
