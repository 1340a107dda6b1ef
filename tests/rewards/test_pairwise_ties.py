"""PairwiseJudge-v0 paid a letter given beside a tie in wordings its tie check did not know
("It's a toss-up", "They are equal", "Hard to say", "I can't decide", "Same quality",
"Neither."): a judge that calls the two responses even has given no preference."""

from __future__ import annotations

import time

import pytest

import gymhub
from gymhub.envs.rlhf.env import _TIE

TIES = [
    "It's a toss-up. \\boxed{{{g}}}",
    "They are equal. \\boxed{{{g}}}",
    "Neither. \\boxed{{{g}}}",
    "Hard to say. \\boxed{{{g}}}",
    "I can't decide. \\boxed{{{g}}}",
    "Same quality. \\boxed{{{g}}}",
    "Both responses are comparable. \\boxed{{{g}}}",
    "The two responses are on par. \\boxed{{{g}}}",
    "Honestly a coin flip: \\boxed{{{g}}}",
]
PICKS = [
    "\\boxed{{{g}}}",
    "It is not hard to say: \\boxed{{{g}}}",
    "They are not equal: {g} is better. \\boxed{{{g}}}",
    "Neither response is perfect, but {g} is more precise. \\boxed{{{g}}}",
    "It is not a toss-up. \\boxed{{{g}}}",
]


@pytest.fixture(scope="module")
def env():
    made = gymhub.make("gymhub/PairwiseJudge-v0")
    yield made
    made.close()


@pytest.mark.parametrize("text", TIES)
def test_a_letter_beside_a_tie_in_other_words_pays_nothing(env, text):
    env.reset(seed=0)
    reply = text.format(g=env.task.answer)
    env.reset(seed=0)
    _, reward, _, _, info = env.step(reply)
    assert (reward, info["verdict"]) == (0.0, "incorrect"), reply


@pytest.mark.parametrize("text", PICKS)
def test_a_clear_pick_is_still_paid(env, text):
    env.reset(seed=0)
    reply = text.format(g=env.task.answer)
    env.reset(seed=0)
    assert env.step(reply)[1] == 1.0, reply


def test_the_tie_pattern_is_linear():
    for text in (
        "they" + " " * 100_000 + "x",
        ("both" + " " * 50) * 2_000,
        "toss" + "-" * 100_000,
        ".\n" * 50_000 + "neither",
    ):
        start = time.monotonic()
        _TIE.search(text)
        assert time.monotonic() - start < 0.5
