"""Shared parts of the adapter benchmarks: the baselines and the scripted reference policy.

A baseline does the same work as its adapter (the same env, seeds and actions, and for protocol
adapters the same transport) without the adapter's translation layer, so the ratio of the two
isolates what the adapter costs.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import gymhub
from gymhub.trainers.backends import Generation, SamplingParams
from gymhub.types import Action

DIRECT = "the env's reset/step in-process"
TOKEN_RUNNER = "gymhub's token-exact EpisodeRunner"


def policy_reply(action: Action) -> Action | str:
    """What a model hands over for the reference `action`: its text, unless it calls tools. The
    adapters are given text (a sampled reply), so the direct baseline steps with text too."""
    return action if action.tool_calls else action.text


def direct(env_id: str, episodes: int) -> float:
    """Steps/s of the env's reference policy played through `reset`/`step` directly, each move
    sent as the reply text a model would write."""
    env = gymhub.make(env_id)
    steps, start = 0, time.perf_counter()
    try:
        for seed in range(episodes):
            env.reset(seed=seed)
            done = False
            while not done:
                reply = policy_reply(env.reference_action())
                _obs, _reward, terminated, truncated, _info = env.step(reply)
                steps += 1
                done = terminated or truncated
    finally:
        env.close()
    return steps / (time.perf_counter() - start)


def reference_scripts(env_id: str, episodes: int) -> list[list[Action]]:
    """The reference policy's actions per seed (played once, untimed), for policies that answer
    from a script instead of asking the env (a model server, a trainer's generate call)."""
    env = gymhub.make(env_id)
    scripts = []
    try:
        for seed in range(episodes):
            env.reset(seed=seed)
            script, done = [], False
            while not done:
                action = env.reference_action()
                script.append(action)
                *_rest, terminated, truncated, _info = env.step(action)
                done = terminated or truncated
            scripts.append(script)
    finally:
        env.close()
    return scripts


class ScriptBackend:
    """A generation backend that answers each turn with the next scripted reply's tokens (EOS
    appended): the policy of the token-exact paths, at the cost of one tokenization per turn."""

    def __init__(self, tokenizer: Any) -> None:
        self.tok = tokenizer
        self.script: list[str] = []
        self.steps = 0

    def next_ids(self) -> list[int]:
        text = self.script.pop(0) if self.script else ""
        self.steps += 1
        return [*self.tok(text, add_special_tokens=False)["input_ids"], self.tok.eos_token_id]

    def generate(self, prompts: list[list[int]], params: SamplingParams) -> list[Generation]:
        out = []
        for _ in prompts:
            ids = self.next_ids()
            out.append(Generation(ids, [0.0] * len(ids), "stop"))
        return out

    def sync_weights(self, model: Any) -> None:
        """Nothing to sync: the script is the policy."""


def token_runner(env_id: str, episodes: int, max_turns: int = 64) -> float:
    """Steps/s of gymhub's own token-exact runner (chat-template rendering, masks) on the same
    episodes, one at a time, with the scripted reference replies: the baseline of the adapters
    that hand a trainer token ids or rendered text."""
    from gymhub.trainers.runner import EpisodeRunner, EpisodeSpec
    from gymhub.trainers.tiny import build_tiny_tokenizer

    tok = build_tiny_tokenizer()
    scripts = [[a.text for a in s] for s in reference_scripts(env_id, episodes)]
    backend = ScriptBackend(tok)
    runner = EpisodeRunner(
        backend, tok, SamplingParams(max_new_tokens=1024), max_turns=max_turns, max_tokens=1 << 16
    )
    env = gymhub.make(env_id)

    async def play() -> None:  # one event loop for every episode, each episode on its own
        for seed, script in enumerate(scripts):
            backend.script = list(script)
            await runner.arun([EpisodeSpec(env, seed=seed)])

    start = time.perf_counter()
    try:
        asyncio.run(play())
    finally:
        env.close()
    return backend.steps / (time.perf_counter() - start)
