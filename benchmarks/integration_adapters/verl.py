"""veRL: `GymhubAgentLoop.run` (built from veRL's registry as veRL builds it) with a server
manager that answers each turn by binary search over the feedback it reads from the prompt ids
(the reference policy, played from the text). Counts env steps per second of the whole loop:
token-exact rendering, masks and the thread that runs the episode."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import hydra
from omegaconf import OmegaConf
from verl.experimental.agent_loop.agent_loop import (
    DictConfigWrap,
    ToolListWrap,
    _agent_loop_registry,
)
from verl.utils.dataset.rl_dataset import RLHFDataset
from verl.workers.rollout.replica import TokenOutput

from gymhub.trainers.integrations import verl as adapter
from gymhub.trainers.tiny import build_tiny_tokenizer

NAME = "verl"


def binary_search(text: str) -> str:
    low, high = 1, int(re.search(r"between 1 and (\d+)", text).group(1))
    for guess, way in re.findall(r"(\d+) is too (low|high)", text):
        low, high = (int(guess) + 1, high) if way == "low" else (low, int(guess) - 1)
    return str((low + high) // 2)


class ReferenceServer:
    def __init__(self, tokenizer: Any) -> None:
        self.tok = tokenizer
        self.steps = 0

    async def generate(self, request_id, *, prompt_ids, sampling_params, **kwargs):
        text = self.tok.decode(prompt_ids, skip_special_tokens=False)
        ids = self.tok(binary_search(text), add_special_tokens=False)["input_ids"]
        self.steps += 1
        return TokenOutput(
            token_ids=[*ids, self.tok.eos_token_id], log_probs=[0.0] * (len(ids) + 1)
        )


def measure(env_id: str, episodes: int) -> float:
    adapter.register_agent_loop()
    tok = build_tiny_tokenizer()
    server = ReferenceServer(tok)
    config = OmegaConf.create(
        {
            "actor_rollout_ref": {"rollout": {"prompt_length": 512, "response_length": 1024}},
            "data": {},
        }
    )
    loop = hydra.utils.instantiate(
        config=_agent_loop_registry[adapter.AGENT_NAME],
        trainer_config=DictConfigWrap(config=config),
        server_manager=server,
        tokenizer=tok,
        processor=None,
        hf_model_type=None,
        dataset_cls=RLHFDataset,
        data_config=DictConfigWrap(config.data),
        tools=ToolListWrap([]),
    )
    rows = [adapter.make_row(env_id, seed) for seed in range(episodes)]

    async def play() -> None:
        for row in rows:
            await loop.run({"temperature": 1.0}, **row, raw_prompt=row["prompt"])

    start = time.perf_counter()
    asyncio.run(play())
    return server.steps / (time.perf_counter() - start)
