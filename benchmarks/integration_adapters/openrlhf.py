"""OpenRLHF: the agent instance of `make_agent_executor` (local envs) driven the way OpenRLHF's
`MultiTurnAgentExecutor` drives it (`reset` with the row's label, then `step` with the sampled
text and the running observation text), against gymhub's own token-exact `EpisodeRunner` on the
same episodes and actions played through the env's `areset`/`astep`, each turn rendered
token-exactly by gymhub's `ChatRenderer.observation_delta` (what gymhub's own runner does: the
policy's chat template, tiny tokenizer, renders the conversation with and without the new
observation and checks it only appends): the work the agent must do for OpenRLHF, without the
agent. OpenRLHF's executor tokenizes the text itself, outside the agent, so neither side does."""

from __future__ import annotations

import asyncio
import json
import time

import openrlhf.utils.agent  # noqa: F401  (ImportError: reported as skipped)

import gymhub
from gymhub.trainers.chat import ChatRenderer, message_dict
from gymhub.trainers.integrations import openrlhf as adapter
from gymhub.trainers.tiny import build_tiny_tokenizer
from integration_adapters._common import reference_scripts

NAME = "openrlhf"
BASELINE = "env areset/astep + token-exact render/turn"


def baseline(env_id: str, episodes: int) -> float:
    renderer = ChatRenderer(build_tiny_tokenizer())
    scripts = [[a.text for a in s] for s in reference_scripts(env_id, episodes)]
    env = gymhub.make(env_id)

    async def play() -> int:
        steps = 0
        for seed, script in enumerate(scripts):
            observation, _info = await env.areset(seed=seed)
            messages = [message_dict(m) for m in observation.messages]
            tools = list(observation.tools)
            text = renderer.render(messages, tools, add_generation_prompt=True)
            for reply in script:
                observation, _r, terminated, truncated, _i = await env.astep(reply)
                steps += 1
                if terminated or truncated:
                    break
                with_action = [*messages, {"role": "assistant", "content": reply}]
                obs = [message_dict(m) for m in observation.messages]
                _delta, text = renderer.observation_delta(text, with_action, obs, tools, False)
                messages = with_action + obs
        return steps

    start = time.perf_counter()
    try:
        steps = asyncio.run(play())
    finally:
        env.close()
    return steps / (time.perf_counter() - start)


def measure(env_id: str, episodes: int) -> float:
    tok = build_tiny_tokenizer()
    instance_class = adapter.make_agent_executor(env_id).instance_class
    scripts = [[a.text for a in s] for s in reference_scripts(env_id, episodes)]
    eos = tok.eos_token

    async def play() -> int:
        steps = 0
        for seed, script in enumerate(scripts):
            token = adapter._EPISODE.set(adapter._episode_state(tok))
            try:
                agent = instance_class()
                label = json.dumps({"seed": seed})
                text = (await agent.reset({"label": label}))["observation"]
                for reply in script:
                    action = reply + eos
                    out = await agent.step(
                        {"observation_text": text, "action_text": action, "label": label}
                    )
                    steps += 1
                    text = text + action + out["environment_feedback"]
                    if out["done"]:
                        break
                agent.close()
            finally:
                adapter._EPISODE.reset(token)
        return steps

    start = time.perf_counter()
    steps = asyncio.run(play())
    return steps / (time.perf_counter() - start)
