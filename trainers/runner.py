"""The token-exact episode runner: many episodes of many envs advance together.

Each round, every live episode that waits for the policy is put in one generation batch; then all
their env steps run concurrently (`astep`). Generated ids are kept exactly as sampled (loss mask
1, with the sampler's log-probs); only the observation delta is tokenized (mask 0). Failures of
the hub (reset/step raising, verdict `infra_error`) mark the episode `infra_error` so the trainer
masks it out instead of scoring it 0.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from gymhub.env import Env
from gymhub.trainers.backends import GenerationBackend, SamplingParams
from gymhub.trainers.chat import ChatRenderer, message_dict
from gymhub.types import Action, Message, ToolSpec


@dataclass
class EpisodeSpec:
    """What to run: an env instance (owned by the caller), the reset seed and options."""

    env: Env
    seed: int | None = None
    options: dict[str, Any] | None = None
    group: int = 0


@dataclass
class Episode:
    """One token-exact trajectory.

    `completion_ids` holds everything after the first prompt: policy tokens (`loss_mask` 1) and
    observation tokens (0). `turn_spans[k]` is the `(start, end)` slice of `completion_ids`
    generated in turn k, and `turn_rewards[k]` the reward of the step that followed it.
    """

    env_id: str | None
    seed: int | None
    group: int
    prompt_ids: list[int] = field(default_factory=list)
    completion_ids: list[int] = field(default_factory=list)
    loss_mask: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    turn_spans: list[tuple[int, int]] = field(default_factory=list)
    turn_rewards: list[float] = field(default_factory=list)
    terminated: bool = False
    truncated: bool = False
    truncation: str | None = None  # "env", "max_turns" or "max_tokens"
    infra_error: bool = False
    error: str | None = None
    verdict: str | None = None
    reward_components: dict[str, float] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    task_id: str | None = None

    @property
    def reward(self) -> float:
        return float(sum(self.turn_rewards))

    @property
    def num_turns(self) -> int:
        return len(self.turn_spans)

    @property
    def policy_tokens(self) -> int:
        return int(sum(self.loss_mask))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary (ids included, messages as OpenAI dicts)."""
        return {
            "env_id": self.env_id,
            "seed": self.seed,
            "task_id": self.task_id,
            "reward": self.reward,
            "turn_rewards": self.turn_rewards,
            "turn_spans": self.turn_spans,
            "terminated": self.terminated,
            "truncated": self.truncated,
            "truncation": self.truncation,
            "infra_error": self.infra_error,
            "error": self.error,
            "verdict": self.verdict,
            "reward_components": self.reward_components,
            "prompt_ids": self.prompt_ids,
            "completion_ids": self.completion_ids,
            "loss_mask": self.loss_mask,
            "logprobs": self.logprobs,
            "messages": [m.to_openai() for m in self.messages],
        }


@dataclass
class _Live:
    spec: EpisodeSpec
    episode: Episode
    messages: list[dict[str, Any]] = field(default_factory=list)
    tools: list[ToolSpec] = field(default_factory=list)
    rendered: str = ""
    done: bool = False

    @property
    def length(self) -> int:
        return len(self.episode.prompt_ids) + len(self.episode.completion_ids)


class EpisodeRunner:
    """Runs episodes with a generation backend; budgets per episode: `max_turns` policy turns and
    `max_tokens` total tokens (prompt included); `sampling.max_new_tokens` per turn."""

    def __init__(
        self,
        backend: GenerationBackend,
        tokenizer: Any,
        sampling: SamplingParams | None = None,
        *,
        max_turns: int = 8,
        max_tokens: int = 2048,
        env_concurrency: int = 64,
    ) -> None:
        if max_turns < 1:
            raise ValueError(f"max_turns must be >= 1, got {max_turns}")
        if max_tokens < 2:
            raise ValueError(f"max_tokens must be >= 2, got {max_tokens}")
        self.backend = backend
        self.renderer = ChatRenderer(tokenizer)
        self.sampling = sampling or SamplingParams()
        self.max_turns = max_turns
        self.max_tokens = max_tokens
        self.env_concurrency = env_concurrency
        self.stats: dict[str, float] = {}

    def run(self, specs: list[EpisodeSpec]) -> list[Episode]:
        """Synchronous wrapper around `arun` (not callable from inside a running event loop)."""
        return asyncio.run(self.arun(specs))

    async def arun(self, specs: list[EpisodeSpec]) -> list[Episode]:
        self.stats = {"gen_s": 0.0, "env_s": 0.0, "gen_tokens": 0, "rounds": 0}
        sem = asyncio.Semaphore(self.env_concurrency)
        live = [_Live(s, Episode(env_id=s.env.env_id, seed=s.seed, group=s.group)) for s in specs]
        t0 = time.perf_counter()
        await asyncio.gather(*(self._reset(item, sem) for item in live))
        self.stats["env_s"] += time.perf_counter() - t0
        while True:
            waiting = [item for item in live if not item.done]
            if not waiting:
                break
            self.stats["rounds"] += 1
            t0 = time.perf_counter()
            prompts = [item.episode.prompt_ids + item.episode.completion_ids for item in waiting]
            gens = self.backend.generate(prompts, self.sampling)
            self.stats["gen_s"] += time.perf_counter() - t0
            self.stats["gen_tokens"] += sum(len(g.ids) for g in gens)
            t0 = time.perf_counter()
            texts = []
            for item, gen in zip(waiting, gens):
                ep = item.episode
                budget = self.max_tokens - item.length
                ids, lps, finish = gen.ids[:budget], gen.logprobs[:budget], gen.finish
                if len(ids) < len(gen.ids):
                    finish = "length"
                start = len(ep.completion_ids)
                ep.completion_ids += ids
                ep.loss_mask += [1] * len(ids)
                ep.logprobs += [float(x) for x in lps]
                ep.turn_spans.append((start, len(ep.completion_ids)))
                texts.append((self.renderer.decode(ids), finish == "stop"))
            await asyncio.gather(
                *(self._step(item, text, eos, sem) for item, (text, eos) in zip(waiting, texts))
            )
            self.stats["env_s"] += time.perf_counter() - t0
        return [item.episode for item in live]

    async def _reset(self, item: _Live, sem: asyncio.Semaphore) -> None:
        ep = item.episode
        try:
            async with sem:
                obs, info = await item.spec.env.areset(
                    seed=item.spec.seed, options=item.spec.options
                )
        except Exception as exc:  # the hub failed: mask, never score
            self._fail(item, f"reset failed: {type(exc).__name__}: {exc}")
            return
        ep.task_id = info.get("task_id")
        ep.messages = [m.model_copy(deep=True) for m in obs.messages]
        item.tools = list(obs.tools)
        item.messages = [message_dict(m) for m in obs.messages]
        item.rendered = self.renderer.render(item.messages, item.tools, add_generation_prompt=True)
        ep.prompt_ids = self.renderer.encode(item.rendered)
        if len(ep.prompt_ids) >= self.max_tokens:
            ep.truncated, ep.truncation = True, "max_tokens"
            item.done = True

    async def _step(
        self, item: _Live, text: str, sampled_eos: bool, sem: asyncio.Semaphore
    ) -> None:
        ep = item.episode
        action = Action(content=text)
        try:
            async with sem:
                obs, reward, terminated, truncated, info = await item.spec.env.astep(action)
        except Exception as exc:
            self._fail(item, f"step failed: {type(exc).__name__}: {exc}")
            return
        ep.turn_rewards.append(float(reward))
        ep.messages.append(action)
        ep.verdict = info.get("verdict")
        ep.reward_components = dict(info.get("reward_components") or {})
        if info.get("infra_error"):
            self._fail(item, f"infra_error verdict from {ep.env_id}")
            return
        if terminated or truncated:
            ep.terminated, ep.truncated = bool(terminated), bool(truncated)
            ep.truncation = "env" if truncated else None
            item.done = True
            return
        if ep.num_turns >= self.max_turns:
            ep.truncated, ep.truncation, item.done = True, "max_turns", True
            return
        if obs.replace_context:
            # a rewritten context cannot continue the same token sequence
            ep.truncated, ep.truncation, item.done = True, "replace_context", True
            return
        ep.messages.extend(m.model_copy(deep=True) for m in obs.messages)
        if obs.tools:
            item.tools = list(obs.tools)
        with_action = item.messages + [message_dict(action)]
        observation = [message_dict(m) for m in obs.messages]
        delta, item.rendered = self.renderer.observation_delta(
            item.rendered, with_action, observation, item.tools, sampled_eos
        )
        item.messages = with_action + observation
        env_ids = self.renderer.encode(delta)
        if item.length + len(env_ids) >= self.max_tokens:
            ep.truncated, ep.truncation, item.done = True, "max_tokens", True
            return
        ep.completion_ids += env_ids
        ep.loss_mask += [0] * len(env_ids)
        ep.logprobs += [0.0] * len(env_ids)

    @staticmethod
    def _fail(item: _Live, message: str) -> None:
        item.episode.infra_error = True
        item.episode.error = message[:2000]
        item.done = True
