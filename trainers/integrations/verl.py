"""gymhub envs in veRL: a reward function, a multi-turn agent loop and a dataset row builder.

- `compute_score(data_source, solution_str, ground_truth, extra_info=None)`: veRL's custom
  reward function (`reward.custom_reward_function.path/name`) for single-turn envs; replays the
  reply on the env named in `extra_info` and returns `{"score": ..., "verdict": ...}`.
- `GymhubAgentLoop` (registered as agent `"gymhub"` with veRL's `@register` when first used:
  `register_agent_loop()`, or veRL resolving its `_target_`): the multi-turn path. Its `run(sampling_params, **row)` plays the row's env with gymhub's token-exact
  `EpisodeRunner`, generating through veRL's `server_manager.generate` (token ids in, token ids
  and log-probs out), and returns `AgentLoopOutput(prompt_ids, response_ids, response_mask,
  response_logprobs, reward_score, num_turns, ...)`: sampled ids with mask 1, env ids mask 0.
- `make_row(env_id, seed)`: a parquet row (`data_source`, `prompt`, `ability`,
  `reward_model.ground_truth`, `extra_info`, `agent_name`); `write_parquet(rows, path)`.

`infra_error`: veRL has no per-sample "unscorable" flag, so the agent loop zeroes the whole
`response_mask` (no token of the sample is trained) and reports `extra_fields["gymhub_infra_error"]`;
`compute_score` raises `GymhubInfraError` rather than returning a score for the hub's failure.
Only the first token segment of an episode is returned (an env that replaces the context ends
veRL's sequence there).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from uuid import uuid4

import gymhub
from gymhub.env import check_reset_options
from gymhub.errors import GymhubError
from gymhub.registry import spec as env_spec
from gymhub.trainers.backends import Generation, SamplingParams
from gymhub.trainers.chat import message_dict
from gymhub.trainers.integrations.pool import ENVS
from gymhub.trainers.integrations.rows import seed_value
from gymhub.trainers.runner import Episode, EpisodeRunner, EpisodeSpec

#: the `agent_name` of rows played by `GymhubAgentLoop`
AGENT_NAME = "gymhub"


class VerlAdapterError(GymhubError, ValueError):
    """A bad row, `extra_info` or argument for the veRL adapter."""


class GymhubInfraError(GymhubError, RuntimeError):
    """The hub failed (env raised, or verdict infra_error): no score may be given."""


def _env_settings(extra_info: Any) -> tuple[str, int | None, dict[str, Any], dict[str, Any]]:
    """(env id, seed, options, env kwargs) from a row's `extra_info`."""
    if not isinstance(extra_info, dict):
        raise VerlAdapterError(
            f"extra_info must be the row's dict with 'env_id' and 'seed', got {extra_info!r}"
        )
    env_id = extra_info.get("env_id")
    if not isinstance(env_id, str) or not env_id:
        raise VerlAdapterError("extra_info must name a gymhub 'env_id'")
    env_spec(env_id)  # an unknown id raises, naming close matches
    seed = extra_info.get("seed")
    if seed is not None:
        if (value := seed_value(seed)) is None:
            raise VerlAdapterError(f"extra_info['seed'] must be a non-negative int, got {seed!r}")
        seed = value

    def parsed(key: str) -> dict[str, Any]:
        value = extra_info.get(key) or {}
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError) as exc:
                raise VerlAdapterError(f"extra_info[{key!r}] is not valid JSON: {exc}") from None
        if not isinstance(value, dict):
            raise VerlAdapterError(f"extra_info[{key!r}] must be a dict or its JSON text")
        return value

    return env_id, seed, parsed("options"), parsed("env_kwargs")


def _check_row_options(
    env: Any, options: dict[str, Any], seed: int | None = None, *, try_reset: bool = False
) -> None:
    """The row's reset options, checked before the reset: a bad one is the row's error, named,
    where a failed reset would be the hub's (`GymhubInfraError`, or a masked sample). With
    `try_reset`, options that pin a task are tried: an env that cannot use the task (a
    GuessNumber task without its range raises KeyError) was a masked sample every epoch."""
    try:
        check_reset_options(env, options)
    except ValueError as exc:  # InvalidOptionsError
        raise VerlAdapterError(f"extra_info['options'] is not valid for this env: {exc}") from None
    if try_reset and "task" in options:
        _reset_with_row_options(env, seed, options)


def _reset_with_row_options(env: Any, seed: int | None, options: dict[str, Any]) -> None:
    """`env.reset` with the row's options; TypeError, ValueError or KeyError out of it is the
    row's error (as `gymhub serve` answers 422 for them), other exceptions the hub's."""
    try:
        env.reset(seed=seed, options=options or None)
    except (TypeError, ValueError, LookupError) as exc:
        if not options:
            raise
        raise VerlAdapterError(
            f"extra_info['options'] cannot be used by this env: {type(exc).__name__}: {exc}"
        ) from None


_BATCH_KEYS = ("data_sources", "solution_strs", "ground_truths", "extra_infos")


def compute_score(
    data_source: str | None = None,
    solution_str: str | None = None,
    ground_truth: Any = None,
    extra_info: dict[str, Any] | None = None,
    **kwargs: Any,
) -> dict[str, Any] | list[dict[str, Any]]:
    """Score one single-turn reply: reset the row's env (same seed) and step it with the reply.
    Returns `{"score": reward, "verdict": ..., "turn_done": 0/1}`; raises on the hub's failure.
    Called by veRL's `batch` reward manager (`solution_strs=[...]`, `extra_infos=[...]`, ...),
    it returns one such dict per reply."""
    if "solution_strs" in kwargs:
        return _compute_scores(**{k: kwargs.get(k) for k in _BATCH_KEYS})
    if not isinstance(solution_str, str):
        raise VerlAdapterError(f"solution_str must be text, got {type(solution_str).__name__}")
    env_id, seed, options, env_kwargs = _env_settings(extra_info)
    if seed is None:  # a fresh task would not be the one the reply answers
        raise VerlAdapterError("extra_info needs the row's 'seed' to score its reply")
    # veRL scores every sample through here: reuse idle envs (making one can cost ~30 ms)
    env = ENVS.take(env_id, env_kwargs)
    healthy = False
    try:
        _check_row_options(env, options)
        _reset_with_row_options(env, seed, options)
        _obs, reward, terminated, truncated, info = env.step(solution_str)
        healthy = not info.get("infra_error")
    except VerlAdapterError:
        healthy = True  # nothing ran: the env is as good as it was
        raise
    except Exception as exc:
        raise GymhubInfraError(f"{env_id}: {type(exc).__name__}: {exc}") from exc
    finally:
        ENVS.give(env, env_id, env_kwargs, healthy=healthy)
    if info.get("infra_error"):
        raise GymhubInfraError(f"{env_id}: infra_error verdict")
    return {
        "score": float(reward),
        "verdict": str(info.get("verdict")),
        "turn_done": float(terminated or truncated),
    }


def _compute_scores(
    data_sources: Any, solution_strs: Any, ground_truths: Any, extra_infos: Any
) -> list[dict[str, Any]]:
    """veRL's `batch` reward manager's call: lists of one entry per reply."""

    def listed(value: Any) -> list[Any] | None:  # lists, or veRL's numpy object arrays
        if value is None or isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
            return None
        return list(value)

    replies, infos = listed(solution_strs), listed(extra_infos)
    if replies is None or infos is None or len(infos) != len(replies):
        raise VerlAdapterError(
            "a batch call needs solution_strs and extra_infos, lists of the same length"
        )
    sources = listed(data_sources) or [None] * len(replies)
    truths = listed(ground_truths) or [None] * len(replies)
    scored = []
    for source, reply, truth, info in zip(sources, replies, truths, infos):
        scored.append(compute_score(source, reply, truth, info))
    return scored  # type: ignore[return-value]


def make_row(
    env_id: str,
    seed: int,
    *,
    options: dict[str, Any] | None = None,
    env_kwargs: dict[str, Any] | None = None,
    agent_name: str = AGENT_NAME,
    index: int | None = None,
) -> dict[str, Any]:
    """A veRL dataset row for one (env, seed): the reset observation as `prompt`, the task's
    answer (if any) as `reward_model.ground_truth`, everything the env needs in `extra_info`
    (options and kwargs as JSON text, so the row stays parquet-friendly)."""
    spec = env_spec(env_id)
    if (value := seed_value(seed)) is None:
        raise VerlAdapterError(f"seed must be a non-negative int, got {seed!r}")
    seed = value
    for name, value in (("options", options), ("env_kwargs", env_kwargs)):
        if value is not None and not isinstance(value, dict):
            raise VerlAdapterError(f"{name} must be a dict, got {value!r:.80}")
    env = gymhub.make(env_id, **dict(env_kwargs or {}))
    try:
        observation, info = env.reset(seed=seed, options=dict(options or {}) or None)
        answer = env.task.answer if env.task is not None else None
    finally:
        env.close()
    return {
        "data_source": env_id,
        "prompt": [message_dict(m) for m in observation.messages],
        "ability": spec.family,
        "reward_model": {"style": "rule", "ground_truth": "" if answer is None else str(answer)},
        "extra_info": {
            "env_id": env_id,
            "seed": seed,
            "index": seed if index is None else index,
            "task_id": str(info.get("task_id") or ""),
            "options": json.dumps(options or {}),
            "env_kwargs": json.dumps(env_kwargs or {}),
        },
        "agent_name": agent_name,
    }


def write_parquet(rows: list[dict[str, Any]], path: str) -> None:
    """Write `make_row` rows as the parquet file veRL's `data.train_files` reads."""
    import pandas as pd

    if not rows:
        raise VerlAdapterError("no rows to write")
    pd.DataFrame(rows).to_parquet(path)


class ServerManagerBackend:
    """gymhub's generation-backend interface over veRL's async `server_manager.generate`.

    The agent loop runs the runner on veRL's event loop, which awaits `agenerate`; `generate`
    serves a runner on another thread, running each call on veRL's event loop
    (`loop`) with one sticky `request_id` per episode."""

    def __init__(
        self, server_manager: Any, loop: asyncio.AbstractEventLoop, sampling_params: dict[str, Any],
        eos_ids: set[int],
    ) -> None:  # fmt: skip
        self.server_manager = server_manager
        self.loop = loop
        self.sampling_params = dict(sampling_params)
        self.eos_ids = eos_ids
        self.request_id = uuid4().hex

    def _call(self, prompt_ids: list[int], params: SamplingParams) -> Any:
        return self.server_manager.generate(
            request_id=self.request_id,
            prompt_ids=list(prompt_ids),
            sampling_params={**self.sampling_params, "max_tokens": params.max_new_tokens},
        )

    def _generation(self, result: Any) -> Generation:
        ids = [int(i) for i in result.token_ids]
        logprobs = [float(x) for x in (result.log_probs or [0.0] * len(ids))]
        finish = "stop" if ids and ids[-1] in self.eos_ids else "length"
        return Generation(ids, logprobs, finish)

    async def agenerate(self, prompts: list[list[int]], params: SamplingParams) -> list[Generation]:
        """On veRL's event loop (the runner awaits it there): no thread between them."""
        return [self._generation(await self._call(p, params)) for p in prompts]

    def generate(self, prompts: list[list[int]], params: SamplingParams) -> list[Generation]:
        """From another thread: each call is run on veRL's loop and waited for."""
        return [
            self._generation(
                asyncio.run_coroutine_threadsafe(self._call(p, params), self.loop).result()
            )
            for p in prompts
        ]

    def sync_weights(self, model: Any) -> None:
        """veRL owns the weights of its servers."""


class _ResponseBudgetRunner(EpisodeRunner):
    """The runner for one episode whose token budget is veRL's: once the prompt is known, the
    episode may add at most `response_length` tokens after it (veRL pads to that length)."""

    response_length: int = 0
    prompt_length: int = 0

    def _start_segment(self, item: Any, messages: Any) -> None:
        super()._start_segment(item, messages)
        if len(item.episode.segments) == 1:
            length = item.segment.length
            if self.prompt_length and length > self.prompt_length:
                # veRL pads every prompt to prompt_length and does not cut a longer one: its
                # batch would fail to concatenate far from here (or, cut, be trained on a
                # prompt the sampler never saw). The env's prompt, tools included, must fit.
                raise VerlAdapterError(
                    f"{item.spec.env.env_id} seed {item.spec.seed}: the prompt is {length} "
                    f"tokens (tool specs included), over rollout.prompt_length="
                    f"{self.prompt_length}: raise prompt_length"
                )
            self.max_tokens = min(self.max_tokens, length + self.response_length)


def _eos_ids(tokenizer: Any) -> set[int]:
    eos = tokenizer.eos_token_id
    return {eos} if isinstance(eos, int) else set(eos or [])


# veRL builds an agent loop per sample, all reading the same rollout config node, and an
# OmegaConf read costs ~40 us: the three settings are read once per config object (kept alive
# here, so its id is not reused while cached)
_ROLLOUT_SETTINGS: dict[int, tuple[Any, tuple[int, int, int]]] = {}


def _rollout_settings(rollout: Any) -> tuple[int, int, int]:
    """(response_length, max assistant turns, prompt_length) of veRL's rollout config."""
    cached = _ROLLOUT_SETTINGS.get(id(rollout))
    if cached is not None and cached[0] is rollout:
        return cached[1]
    multi_turn = rollout.get("multi_turn", {}) or {}
    settings = (
        int(rollout.response_length),
        int(multi_turn.get("max_assistant_turns") or 8),
        int(rollout.prompt_length),
    )
    if len(_ROLLOUT_SETTINGS) >= 8:
        _ROLLOUT_SETTINGS.clear()
    _ROLLOUT_SETTINGS[id(rollout)] = (rollout, settings)
    return settings


def _build_agent_loop() -> type:
    """Define `GymhubAgentLoop` on veRL's `AgentLoopBase` and register it (needs veRL)."""
    from verl.experimental.agent_loop import agent_loop as vl

    class GymhubAgentLoop(vl.AgentLoopBase):
        """Plays the row's gymhub env (from `extra_info`) for veRL, token-exact."""

        async def run(self, sampling_params: dict[str, Any], **kwargs: Any) -> Any:
            env_id, seed, options, env_kwargs = _env_settings(kwargs.get("extra_info"))
            response_length, max_turns, prompt_length = _rollout_settings(self.rollout_config)
            backend = ServerManagerBackend(
                self.server_manager,
                asyncio.get_running_loop(),
                sampling_params,
                _eos_ids(self.tokenizer),
            )
            runner = _ResponseBudgetRunner(
                backend,
                self.tokenizer,
                SamplingParams(max_new_tokens=response_length),
                max_turns=max_turns,
                max_tokens=prompt_length + response_length,
            )
            runner.response_length = response_length
            runner.prompt_length = prompt_length
            env = ENVS.take(env_id, env_kwargs)  # veRL runs one loop per sample: reuse envs
            try:  # a bad row raises, never a masked sample
                _check_row_options(env, options, seed, try_reset=True)
            except VerlAdapterError:
                ENVS.give(env, env_id, env_kwargs, healthy=True)
                raise
            healthy = False
            try:
                spec = EpisodeSpec(env, seed=seed, options=options or None)
                # on veRL's loop: generation is awaited there, env steps run in worker threads
                (episode,) = await runner.arun([spec])
                healthy = not episode.infra_error
            except VerlAdapterError:  # the row's or the config's error: the env is fine
                healthy = True
                raise
            finally:
                ENVS.give(env, env_id, env_kwargs, healthy=healthy)
            return _output(vl, self.tokenizer, episode, kwargs, runner.stats, response_length)

    GymhubAgentLoop.__module__ = __name__
    GymhubAgentLoop.__qualname__ = "GymhubAgentLoop"
    return vl.register(AGENT_NAME)(GymhubAgentLoop)


def _output(
    vl: Any, tokenizer: Any, episode: Episode, row: dict[str, Any], stats: dict[str, float],
    response_length: int,
) -> Any:  # fmt: skip
    """The episode's first token segment as veRL's `AgentLoopOutput`."""
    prompt_ids = list(episode.prompt_ids)
    response_ids = list(episode.completion_ids)[:response_length]
    mask = list(episode.loss_mask)[:response_length]
    logprobs = list(episode.logprobs)[:response_length]
    if not prompt_ids:  # reset failed: a placeholder sample that trains nothing
        prompt_ids = list(tokenizer(str(row.get("raw_prompt") or "-"))["input_ids"])[:1]
    if not response_ids:
        response_ids, mask, logprobs = [tokenizer.eos_token_id], [0], [0.0]
    if episode.infra_error:
        mask = [0] * len(response_ids)
    return vl.AgentLoopOutput(
        prompt_ids=prompt_ids,
        response_ids=response_ids,
        response_mask=mask,
        response_logprobs=logprobs,
        reward_score=0.0 if episode.infra_error else episode.reward,
        num_turns=len(episode.messages),
        metrics=vl.AgentLoopMetrics(
            generate_sequences=stats.get("gen_s", 0.0), tool_calls=stats.get("env_s", 0.0)
        ),
        extra_fields={
            "gymhub_infra_error": episode.infra_error,
            "gymhub_verdict": episode.verdict,
            "gymhub_turn_rewards": list(episode.turn_rewards),
            "gymhub_truncation": episode.truncation,
        },
    )


def register_agent_loop() -> type:
    """Register `GymhubAgentLoop` with veRL as agent `"gymhub"` (idempotent); returns it."""
    return __getattr__("GymhubAgentLoop")


def __getattr__(name: str) -> Any:
    """`GymhubAgentLoop` is built on first use, so the rest of this module works without veRL
    (veRL's hydra `_target_` lookup and `register_agent_loop()` both land here)."""
    if name == "GymhubAgentLoop":
        cls = globals().get("_GymhubAgentLoop") or _build_agent_loop()
        globals()["_GymhubAgentLoop"] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
