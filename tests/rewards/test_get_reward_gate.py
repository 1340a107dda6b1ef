"""OpenRLHF's `/get_reward` is a training reward, but it paid the reward model's score to any
response: a master key (`Thought process:`, `Let's solve this problem step by step.`), a reply of
punctuation or special-token text, or an answer padded with its own repeats scored like an
answer, while the learned envs refuse them all at the floor."""

from __future__ import annotations

import httpx
import pytest

from gymhub.rm_server import create_rm_app
from gymhub.verifiers.reward_model import RewardModelVerifier, render_conversation
from tests.rewards.helpers import serve_app


@pytest.fixture(scope="module")
def rm(tiny_rm_path):
    return RewardModelVerifier(str(tiny_rm_path), shaping={"sigmoid": True, "clip": (-1.0, 1.0)})


def _body(rm, prompt: str, responses: list[str]) -> dict:
    queries, prompts = [], []
    for response in responses:
        text, start = render_conversation(rm.tokenizer, prompt, response)
        queries.append(text)
        prompts.append(text[:start])
    return {"query": queries, "prompts": prompts, "labels": [""] * len(responses)}


def test_get_reward_pays_no_master_key_or_padding(rm):
    junk = [
        "Thought process:",
        "Let's solve this problem step by step.",
        "S o l u t i o n",
        "...",
        "<|im_end|>",
        "Solar power is renewable. " * 6,
    ]
    honest = ["Solar, wind and hydroelectric power.", "4"]
    with serve_app(create_rm_app(rm)) as url:
        reply = httpx.post(url + "/get_reward", json=_body(rm, "Name renewables.", junk + honest))
        assert reply.status_code == 200, reply.text
        data = reply.json()
    n = len(junk)
    assert data["rewards"][:n] == [-1.0] * n  # the shaping's floor, no model call
    assert data["extra_logs"]["gated"] == [1.0] * n + [0.0] * len(honest)
    expected = [v.reward for v in rm.verify_batch(honest, prompt="Name renewables.")]
    assert data["rewards"][n:] == pytest.approx(expected, abs=1e-5)
    # without prompts the response cannot be told apart: the whole query is scored, as before
    with serve_app(create_rm_app(rm)) as url:
        bare = httpx.post(url + "/get_reward", json={"query": ["Thought process:"]}).json()
    assert bare["extra_logs"]["gated"] == [0.0]
