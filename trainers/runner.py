"""The token-exact episode runner: many episodes of many envs advance together.

Each round, every live episode that waits for the policy is put in one generation batch; then all
their env steps run concurrently (`astep`). Generated ids are kept exactly as sampled (loss mask
1, with the sampler's log-probs); only the observation delta is tokenized (mask 0). Episodes are
stepped through the one episode loop (`gymhub.episode.EpisodeLoop`): the same turn budget,
infra-error rule and meaning of `replace_context` as `gymhub.run_rollouts`. When an env replaces
the context, the episode goes on in a new token segment whose prompt is the new context. Failures
of the hub (reset/step raising, verdict `infra_error`, a NaN or infinite reward) mark the episode
`infra_error` so the trainer masks it out instead of scoring it.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from gymhub.env import Env
from gymhub.episode import EpisodeLoop
from gymhub.trainers.backends import GenerationBackend, SamplingParams
from gymhub.trainers.chat import ChatRenderer, message_dict
from gymhub.types import Action, Message


@dataclass
class EpisodeSpec:
    """What to run: an env instance (owned by the caller), the reset seed and options."""

    env: Env
    seed: int | None = None
    options: dict[str, Any] | None = None
    group: int = 0


@dataclass
class TokenSegment:
    """One token sequence of an episode: a prompt and everything generated or observed after it,
    until the env replaced the context (which starts the next segment) or the episode ended.

    `turn_spans[k]` is the `(start, end)` slice of `completion_ids` generated in the segment's
    k-th turn; policy tokens have `loss_mask` 1 (with the sampler's log-probs), env tokens 0.
    """

    prompt_ids: list[int] = field(default_factory=list)
    completion_ids: list[int] = field(default_factory=list)
    loss_mask: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    turn_spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def length(self) -> int:
        return len(self.prompt_ids) + len(self.completion_ids)


@dataclass
class Episode:
    """One token-exact trajectory.

    Most episodes are one `TokenSegment`; an env that replaces the context (`replace_context`)
    starts another. `prompt_ids`, `completion_ids`, `loss_mask`, `logprobs` and `turn_spans` are
    those of the first segment; `segments` has them all. `turn_rewards[k]` is the reward of the
    step after the episode's k-th policy turn.
    """

    env_id: str | None
    seed: int | None
    group: int
    segments: list[TokenSegment] = field(default_factory=list)
    turn_rewards: list[float] = field(default_factory=list)
    terminated: bool = False
    truncated: bool = False
    #: "env", "max_turns", "max_tokens", or "template" (the chat template could not render the
    #: conversation with the last reply, so it cannot go on token-exactly; the env scored it)
    truncation: str | None = None
    #: the last policy reply ended without its end-of-turn token: it filled `max_new_tokens` or
    #: the episode's `max_tokens` (the env still scored it; DAPO masks such overlong replies)
    reply_cut: bool = False
    infra_error: bool = False
    error: str | None = None
    verdict: str | None = None
    reward_components: dict[str, float] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    task_id: str | None = None

    @property
    def _first(self) -> TokenSegment:
        return self.segments[0] if self.segments else TokenSegment()

    @property
    def prompt_ids(self) -> list[int]:
        return self._first.prompt_ids

    @property
    def completion_ids(self) -> list[int]:
        return self._first.completion_ids

    @property
    def loss_mask(self) -> list[int]:
        return self._first.loss_mask

    @property
    def logprobs(self) -> list[float]:
        return self._first.logprobs

    @property
    def turn_spans(self) -> list[tuple[int, int]]:
        return self._first.turn_spans

    @property
    def reward(self) -> float:
        return float(sum(self.turn_rewards))

    @property
    def num_turns(self) -> int:
        return sum(len(s.turn_spans) for s in self.segments)

    @property
    def policy_tokens(self) -> int:
        return int(sum(sum(s.loss_mask) for s in self.segments))

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
            "reply_cut": self.reply_cut,
            "infra_error": self.infra_error,
            "error": self.error,
            "verdict": self.verdict,
            "reward_components": self.reward_components,
            "prompt_ids": self.prompt_ids,
            "completion_ids": self.completion_ids,
            "loss_mask": self.loss_mask,
            "logprobs": self.logprobs,
            "segments": [asdict(s) for s in self.segments],
            "messages": [m.to_openai() for m in self.messages],
        }


def _check_generations(backend: Any, prompts: list[list[int]], gens: list[Any]) -> None:
    """A backend's answer must be one generation per prompt, with one log-prob per id: with
    fewer generations the episodes left out were asked again forever, and a short log-prob list
    shifted the sampler's log-probs of every later token of the episode."""
    name = type(backend).__name__
    if len(gens) != len(prompts):
        raise RuntimeError(f"{name} returned {len(gens)} generations for {len(prompts)} prompts")
    for gen in gens:
        if len(gen.logprobs) != len(gen.ids):
            raise RuntimeError(
                f"{name} returned {len(gen.ids)} token ids with {len(gen.logprobs)} log-probs"
            )


@dataclass
class _Live:
    spec: EpisodeSpec
    episode: Episode
    loop: EpisodeLoop
    messages: list[dict[str, Any]] = field(default_factory=list)
    rendered: str = ""

    @property
    def segment(self) -> TokenSegment:
        return self.episode.segments[-1]


class EpisodeRunner:
    """Runs episodes with a generation backend; budgets per episode: `max_turns` policy turns and
    `max_tokens` total tokens (prompt included); `sampling.max_new_tokens` per turn.
    `chat_template` is the renderer's (see `ChatRenderer`: by default a template that rewrites
    earlier turns is replaced by its known prefix-preserving training variant)."""

    def __init__(
        self,
        backend: GenerationBackend,
        tokenizer: Any,
        sampling: SamplingParams | None = None,
        *,
        max_turns: int = 8,
        max_tokens: int = 2048,
        env_concurrency: int = 64,
        chat_template: str | None = "auto",
    ) -> None:
        if max_turns < 1:
            raise ValueError(f"max_turns must be >= 1, got {max_turns}")
        if max_tokens < 2:
            raise ValueError(f"max_tokens must be >= 2, got {max_tokens}")
        self.backend = backend
        self.renderer = ChatRenderer(tokenizer, chat_template)
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
        live = [
            _Live(
                s,
                Episode(env_id=s.env.env_id, seed=s.seed, group=s.group),
                EpisodeLoop(s.env, max_turns=self.max_turns),
            )
            for s in specs
        ]
        t0 = time.perf_counter()
        await asyncio.gather(*(self._reset(item, sem) for item in live))
        self.stats["env_s"] += time.perf_counter() - t0
        while True:
            waiting = [item for item in live if not item.loop.done]
            if not waiting:
                break
            self.stats["rounds"] += 1
            t0 = time.perf_counter()
            prompts = [item.segment.prompt_ids + item.segment.completion_ids for item in waiting]
            agenerate = getattr(self.backend, "agenerate", None)  # a backend on this event loop
            if agenerate is not None:
                gens = await agenerate(prompts, self.sampling)
            else:
                gens = self.backend.generate(prompts, self.sampling)
            _check_generations(self.backend, prompts, gens)
            self.stats["gen_s"] += time.perf_counter() - t0
            self.stats["gen_tokens"] += sum(len(g.ids) for g in gens)
            t0 = time.perf_counter()
            texts = []
            for item, gen in zip(waiting, gens):
                seg = item.segment
                budget = self.max_tokens - seg.length
                ids, lps, finish = gen.ids[:budget], gen.logprobs[:budget], gen.finish
                if len(ids) < len(gen.ids):
                    finish = "length"
                start = len(seg.completion_ids)
                seg.completion_ids += ids
                seg.loss_mask += [1] * len(ids)
                seg.logprobs += [float(x) for x in lps]
                seg.turn_spans.append((start, len(seg.completion_ids)))
                item.episode.reply_cut = finish != "stop"
                texts.append((self.renderer.decode(ids), finish == "stop"))
            await asyncio.gather(
                *(self._step(item, text, eos, sem) for item, (text, eos) in zip(waiting, texts))
            )
            self.stats["env_s"] += time.perf_counter() - t0
        return [self._settle(item) for item in live]

    async def _reset(self, item: _Live, sem: asyncio.Semaphore) -> None:
        async with sem:
            started = await item.loop.areset(seed=item.spec.seed, options=item.spec.options)
        if started is None:  # the hub failed: the loop marked it infra_error (masked, not 0)
            return
        observation, info = started
        item.episode.task_id = info.get("task_id")
        self._start_segment(item, observation.messages)

    def _start_segment(self, item: _Live, messages: list[Message]) -> None:
        """A new token sequence whose prompt is `messages` (the reset's, or a replaced context)."""
        item.messages = [message_dict(m) for m in messages]
        item.rendered = self.renderer.render(
            item.messages, item.loop.tools, add_generation_prompt=True
        )
        segment = TokenSegment(
            prompt_ids=self.renderer.encode_messages(item.rendered, item.messages)
        )
        item.episode.segments.append(segment)
        if len(segment.prompt_ids) >= self.max_tokens:
            item.loop.truncate("max_tokens")

    async def _step(
        self, item: _Live, text: str, sampled_eos: bool, sem: asyncio.Semaphore
    ) -> None:
        action = Action(content=text)
        async with sem:
            update = await item.loop.astep(action)
        if update is None:
            return
        item.episode.turn_rewards.append(update.reward)
        if item.loop.done:
            return
        if update.context_replaced:
            self._start_segment(item, update.observation.messages)
            return
        with_action = item.messages + [message_dict(action)]
        observation = [message_dict(m) for m in update.observation.messages]
        try:
            delta, rendered = self.renderer.observation_delta(
                item.rendered, with_action, observation, item.loop.tools, sampled_eos
            )
        except Exception:
            if not self._renders_plain_reply(item, observation):
                raise  # the template or the env's messages, whatever the policy wrote
            # The reply itself cannot be rendered and continued token-exactly (an empty reply a
            # template indexes into, a stray `</think>` one splits on): the env already scored
            # it, so the episode ends there, the policy's own outcome, not the run's.
            item.loop.truncate("template")
            return
        item.rendered = rendered
        item.messages = with_action + observation
        env_ids = self.renderer.encode_messages(delta, observation)
        seg = item.segment
        if seg.length + len(env_ids) >= self.max_tokens:
            item.loop.truncate("max_tokens")
            return
        seg.completion_ids += env_ids
        seg.loss_mask += [0] * len(env_ids)
        seg.logprobs += [0.0] * len(env_ids)

    def _renders_plain_reply(self, item: _Live, observation: list[dict[str, Any]]) -> bool:
        """Whether the same conversation renders with a plain reply in place of the policy's."""
        plain = item.messages + [{"role": "assistant", "content": "ok"}]
        try:
            self.renderer.observation_delta(
                item.rendered, plain, observation, item.loop.tools, True
            )
        except Exception:
            return False
        return True

    @staticmethod
    def _settle(item: _Live) -> Episode:
        """Copy the loop's outcome into the token episode."""
        ep, loop = item.episode, item.loop
        ep.terminated, ep.truncated, ep.truncation = (
            loop.terminated,
            loop.truncated,
            loop.truncation,
        )
        ep.infra_error, ep.error = loop.infra_error, loop.error
        if not ep.infra_error and not math.isfinite(ep.reward):
            # a NaN/inf reward is the env's (or its reward model's) failure, not an outcome of
            # the policy: scored, it would turn the whole group's advantages into NaN
            ep.infra_error = True
            ep.error = f"non-finite reward {ep.reward} from {ep.env_id or 'the env'}"
        ep.verdict, ep.reward_components = loop.status, loop.reward_components
        ep.messages = list(loop.messages)
        return ep
