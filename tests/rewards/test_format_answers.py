"""FormatReward paid its layout to a response with two final answers: one in the `<answer>` tag
and a different one in a `\\boxed{}` beside it (a hedge the correctness check may read either
way); a box that repeats the tag's answer stays one answer."""

from __future__ import annotations

import pytest

from gymhub.verifiers.format_reward import FormatReward


@pytest.mark.parametrize("style", ["tag", "boxed", "either"])
def test_a_tag_and_a_different_box_are_two_answers(style):
    fmt = FormatReward(answer=style)
    for hedge in (
        "<think>work</think><answer>4</answer> \\boxed{5}",
        "<think>work</think>\\boxed{5}\n<answer>4</answer>",
    ):
        verdict = fmt.verify(hedge)
        assert (verdict.status, verdict.reward) == ("incorrect", 0.0), hedge
    for one in (
        "<think>work</think><answer>4</answer> so \\boxed{4}",
        "<think>work</think><answer>\\boxed{4}</answer>",
        "<think>work</think><answer>x = 4</answer> \\boxed{4}",
    ):
        assert fmt.verify(one).status == "correct", one


def test_a_part_with_a_non_finite_reward_or_component_breaks_no_composition():
    """A part verdict built without validation with a NaN reward made `Weighted` raise a
    validation error and `Gate` pass the NaN on as its reward; NaN or infinite components went
    into the composite (null in JSON)."""
    import math

    from gymhub.types import Verdict
    from gymhub.verifiers.base import Verifier
    from gymhub.verifiers.compose import Gate, Weighted

    class NaNReward(Verifier):
        def verify(self, response, reference=None, **context):
            return Verdict.model_construct(
                reward=math.nan, status="correct", components={}, detail=None
            )

    class NaNComponents(Verifier):
        def verify(self, response, reference=None, **context):
            return Verdict(reward=0.5, status="partial", components={"x": math.nan, "y": 1.0})

    reply = "<think>work</think><answer>4</answer>"
    fmt = FormatReward()
    weighted = Weighted({"broken": NaNReward(), "format": fmt}).verify(reply, None)
    assert weighted.status == "infra_error" and math.isfinite(weighted.reward)
    assert all(math.isfinite(v) for v in weighted.components.values())
    for gate in (Gate(fmt, NaNReward()), Gate(NaNReward(), fmt)):
        verdict = gate.verify(reply, None)
        assert (verdict.status, verdict.reward) == ("infra_error", 0.0), verdict
    clean = Weighted({"odd": NaNComponents(), "format": fmt}).verify(reply, None)
    assert clean.components == {"odd": 0.5, "odd.y": 1.0, "format": 1.0}
    assert clean.reward == 0.75
