"""veRL: `GymhubAgentLoop.run` (built from veRL's registry as veRL builds it) against gymhub's
own token-exact `EpisodeRunner` on the same episodes. Both generate with the same scripted
policy (each turn's reference reply, tokenized), so the ratio is veRL's layer: the agent loop,
its server-manager bridge, the runner awaited on veRL's event loop and the `AgentLoopOutput`."""

from __future__ import annotations

import asyncio
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
from integration_adapters._common import (
    TOKEN_RUNNER,
    ScriptBackend,
    reference_scripts,
    token_runner,
)

NAME = "verl"
BASELINE = TOKEN_RUNNER
baseline = token_runner


class ScriptServer(ScriptBackend):
    """veRL's `server_manager`: token ids in, the scripted reply's ids and log-probs out."""

    async def generate(self, request_id, *, prompt_ids, sampling_params, **kwargs):
        ids = self.next_ids()
        return TokenOutput(token_ids=ids, log_probs=[0.0] * len(ids))


def measure(env_id: str, episodes: int) -> float:
    adapter.register_agent_loop()
    tok = build_tiny_tokenizer()
    server = ScriptServer(tok)
    config = OmegaConf.create(
        {
            "actor_rollout_ref": {
                "rollout": {
                    "prompt_length": 1 << 15,
                    "response_length": 1 << 15,
                    "multi_turn": {"max_assistant_turns": 64},
                }
            },
            "data": {},
        }
    )
    loop: Any = hydra.utils.instantiate(
        config=_agent_loop_registry[adapter.AGENT_NAME],
        trainer_config=DictConfigWrap(config=config),
        server_manager=server,
        tokenizer=tok,
        processor=None,
        hf_model_type=None,
        dataset_cls=RLHFDataset,
        data_config=DictConfigWrap(config.data),
        tools=ToolListWrap([]),
        _convert_="none",
    )
    rows = [adapter.make_row(env_id, seed) for seed in range(episodes)]
    scripts = [[a.text for a in s] for s in reference_scripts(env_id, episodes)]

    async def play() -> None:
        for row, script in zip(rows, scripts):
            server.script = list(script)
            await loop.run({"temperature": 1.0}, **row, raw_prompt=row["prompt"])

    start = time.perf_counter()
    asyncio.run(play())
    return server.steps / (time.perf_counter() - start)
