"""Copying the format example a prompt shows never pays: TicTacToe's `(1,3), (2,2)` was the
right answer of about one task in 125, and LightsOut's could switch a board off."""

from __future__ import annotations

import re

import pytest

import gymhub

EXAMPLE = re.compile(r"for example `?(?:<answer>)?(\([^`<]*\))")


@pytest.mark.parametrize("family", ["LightsOut", "TicTacToe"])
def test_the_prompts_format_example_is_never_paid(family):
    env = gymhub.make(f"gymhub/Logic-{family}-v0")
    for difficulty in (1, 2, 3, 5, 8):
        for seed in range(40):
            observation, _info = env.reset(seed=seed, options={"difficulty": difficulty})
            example = EXAMPLE.search(observation.messages[-1].text).group(1)
            reward = env.step(f"<answer>{example}</answer>")[1]
            assert reward == 0.0, (family, difficulty, seed, example)


def test_tic_tac_toe_shows_another_example_when_the_usual_one_is_the_answer():
    env = gymhub.make("gymhub/Logic-TicTacToe-v0")
    observation, _info = env.reset(seed=3, options={"difficulty": 5})
    assert env.reference_action().text == "<answer>(1,3), (2,2)</answer>"
    assert "for example <answer>(2,1), (3,3)</answer>" in observation.messages[-1].text
