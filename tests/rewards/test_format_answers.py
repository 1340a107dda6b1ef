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
