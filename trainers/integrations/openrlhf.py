"""OpenRLHF (0.11): gymhub envs as an agent for `--train.agent_func_path`, and a reward route.

- `write_agent_file(path, env_id)` writes the file `--train.agent_func_path` loads: it defines
  `AgentExecutor`, a `MultiTurnAgentExecutor` whose instances play one gymhub episode each. The
  instance's async `reset` resets the env on the seed in the row's label and renders its prompt
  with the policy's chat template; `step` sends the generated text to the env and answers
  `rewards` (a tensor), `scores`, `environment_feedback` (the observation rendered as the
  template's continuation, so the token sequence is what the template would produce) and
  `done`. A rollout the hub failed (`infra_error`) comes back with no trained tokens (empty
  `action_ranges`, OpenRLHF's invalid sample) and `extra_logs["infra_error"] = 1`.
- `add_routes(app, manager)` adds `POST /get_reward` to `gymhub serve --openrlhf`, OpenRLHF's
  remote reward-model protocol (`--reward.remote_url`): `{"query", "prompts", "labels"}` ->
  `{"rewards", "scores", "extra_logs"}`, each query scored by the served env's verifier.
- `prompt_rows(env_id, seeds)` builds the prompt dataset both need (`messages`, `label`).

A label names the episode: `{"seed": 3}` (with `"env_id"` when the server serves several envs,
and optional reset `"options"`), as an object or its JSON text.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response

import gymhub
from gymhub.errors import (
    EpisodeDoneError,
    GymhubError,
    InvalidOptionsError,
    ResetNeededError,
    UnknownEnvError,
)
from gymhub.server.body_limit import (
    LARGE_BODIES_AT_ONCE,
    MAX_REPLY_CHARS,
    POLICY_BODY_BYTES,
    read_large_body,
)
from gymhub.trainers.integrations.pool import ENVS
from gymhub.trainers.integrations.routes import step_action
from gymhub.trainers.integrations.rows import seed_value

__all__ = [
    "END_MARKERS",
    "GymhubLabelError",
    "add_routes",
    "make_agent_executor",
    "parse_label",
    "prompt_rows",
    "response_text",
    "write_agent_file",
]

#: end-of-turn markers a decoded generation may end with (OpenRLHF decodes with special tokens)
END_MARKERS = ("<|im_end|>", "<|eot_id|>", "<|endoftext|>", "<end_of_turn>", "</s>", "<|end|>")
MAX_ITEMS = 4096
#: episodes one `/get_reward` request plays at once (never more than the server's session limit)
MAX_CONCURRENT_SCORES = 64
#: the body limit of `/get_reward` (the server's `--max-body-bytes` when that is higher)
REWARD_BODY_BYTES = POLICY_BODY_BYTES


class GymhubLabelError(GymhubError, ValueError):
    """A label that does not name an episode of a served env."""


def parse_label(label: Any, served: Iterable[str]) -> tuple[str, int | None, dict[str, Any] | None]:
    """(env_id, seed, options) from a row's label: a dict or its JSON text."""
    served = list(served)
    if isinstance(label, str):
        try:
            label = json.loads(label)
        except (ValueError, RecursionError):  # RecursionError: brackets nested too deeply
            raise GymhubLabelError(
                f"a label must be JSON like {{'seed': 3}}, got {label[:80]!r}"
            ) from None
    if not isinstance(label, dict):
        raise GymhubLabelError(f"a label must be an object like {{'seed': 3}}, got {label!r:.80}")
    unknown = set(label) - {"env_id", "seed", "options"}
    if unknown:
        raise GymhubLabelError(f"a label has unknown fields {sorted(unknown)}")
    env_id = label.get("env_id")
    if env_id is None:
        if len(served) != 1:
            raise GymhubLabelError(f"a label must name its env_id: this serves {served}")
        env_id = served[0]
    if not isinstance(env_id, str):
        raise GymhubLabelError(f"a label's env_id must be a string, got {env_id!r:.80}")
    seed, options = label.get("seed"), label.get("options")
    if seed is not None:
        if (value := seed_value(seed)) is None:
            raise GymhubLabelError(f"a label's seed must be a non-negative integer, got {seed!r}")
        seed = value
    if options is not None and not isinstance(options, dict):
        raise GymhubLabelError("a label's options must be an object")
    return env_id, seed, options


#: how much of the prompt's end locates the reply in a query that does not start with the
#: prompt as sent (a tokenizer round trip that adds a second BOS or respaces the prompt)
PROMPT_TAIL_CHARS = 64


def response_text(query: str, prompt: str | None = None) -> str:
    """The generated reply in an OpenRLHF query: after the prompt, with a trailing end-of-turn
    marker removed. A query that does not start with its prompt (decoded from tokens, it may
    carry a second BOS or other spacing) is cut after the prompt's last characters; one that
    does not hold them at all is refused (GymhubLabelError): scoring the whole query would
    score the prompt's own text, its format examples and few-shot answers included."""
    if not prompt:
        text = query
    elif query.startswith(prompt):
        text = query[len(prompt) :]
    else:
        at = -1
        for tail in (prompt[-PROMPT_TAIL_CHARS:], prompt.rstrip()[-PROMPT_TAIL_CHARS:]):
            at = query.find(tail, max(0, len(prompt) - len(tail) - 1024)) if tail.strip() else -1
            if at >= 0:
                break
        if at < 0:
            raise GymhubLabelError(
                "a query does not contain its prompt (its last characters "
                f"{tail[-40:]!r}): send the prompt as the query starts with it"
            )
        text = query[at + len(tail) :]
    text = text.rstrip()
    for marker in END_MARKERS:
        if text.endswith(marker):
            return text[: -len(marker)]
    return text


def prompt_rows(
    env_id: str, seeds: Iterable[int], options: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Rows for OpenRLHF's prompt dataset (`--data.input_key messages --data.label_key label
    --data.apply_chat_template`): the env's reset prompt as chat messages and the label naming
    the episode."""
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise GymhubLabelError(f"seeds must be a list of seeds, got {seeds!r:.80}")
    given = list(seeds)
    values = [seed_value(seed) for seed in given]
    bad = [seed for seed, value in zip(given, values) if value is None]
    seeds = values
    if bad:  # a row with a seed its env refuses would fail every epoch, not here
        raise GymhubLabelError(f"seeds must be non-negative integers, got {bad[0]!r}")
    if options is not None and not isinstance(options, dict):
        raise GymhubLabelError(f"options must be a dict, got {options!r:.80}")
    env = gymhub.make(env_id)
    rows = []
    try:
        for seed in seeds:
            observation, _info = env.reset(seed=seed, options=options)
            label: dict[str, Any] = {"env_id": env.env_id or env_id, "seed": seed}
            if options:
                label["options"] = options
            rows.append(
                {
                    "messages": [{"role": m.role, "content": m.text} for m in observation.messages],
                    "label": json.dumps(label),
                }
            )
    finally:
        env.close()
    return rows


# ----- the agent ------------------------------------------------------------------------------------
_EPISODE: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("gymhub_openrlhf")
#: raised out of a reset: the label's or the setup's error (a wrong token), to be named
_SETUP_ERRORS: tuple[type[Exception], ...] = (
    GymhubLabelError,
    InvalidOptionsError,
    UnknownEnvError,
    PermissionError,  # RemoteEnv's UnauthorizedError
)
#: raised out of a step: the adapter was misused, not a failure to mask
_MISUSE_ERRORS = (EpisodeDoneError, ResetNeededError)
#: what the sampler is shown when the env failed to reset (the sample is masked anyway)
FAILED_RESET_PROMPT = "(the environment failed to start)"
_RENDERERS: dict[int, tuple[Any, Any]] = {}  # id(tokenizer) -> (tokenizer, its ChatRenderer)


def _renderer(tokenizer: Any) -> Any:
    """The tokenizer's `ChatRenderer`, built once (it compiles the chat template), not per sample."""
    from gymhub.trainers.chat import ChatRenderer

    held = _RENDERERS.get(id(tokenizer))
    if held is None or held[0] is not tokenizer:
        held = _RENDERERS[id(tokenizer)] = (tokenizer, ChatRenderer(tokenizer))
    return held[1]


def _episode_state(tokenizer: Any) -> dict[str, Any]:
    """What one sample's agent instance reads: the tokenizer, its renderer, the infra flag."""
    return {"tokenizer": tokenizer, "renderer": _renderer(tokenizer), "infra_error": False}


def make_agent_executor(
    env_id: str | None = None, *, remote_url: str | None = None, token: str | None = None
) -> type:
    """The `AgentExecutor` class for `--train.agent_func_path` (imports openrlhf).

    Episodes run on local envs, or on `gymhub serve` at `remote_url` (RemoteEnv over /ws).
    `env_id` is the env of labels that do not name one."""
    if env_id is not None and remote_url is None:
        gymhub.spec(env_id)  # an unknown id: named now, not at every sample's reset
    import torch
    from openrlhf.utils.agent import AgentInstanceBase, MultiTurnAgentExecutor

    from gymhub.trainers.chat import message_dict

    def make_env(name: str) -> Any:
        if remote_url is not None:
            return gymhub.RemoteEnv(remote_url, name, token=token, transport="ws")
        return ENVS.take(name)  # OpenRLHF makes one agent instance per sample: reuse envs

    class GymhubAgentInstance(AgentInstanceBase):
        """One gymhub episode, driven by OpenRLHF's executor."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.env: Any = None
            self.env_id = ""
            self.healthy = True
            self.messages: list[dict[str, Any]] = []
            self.tools: list[Any] = []
            self.episode = _EPISODE.get()
            self.renderer = self.episode.get("renderer") or _renderer(self.episode["tokenizer"])

        async def reset(self, states: dict, **kwargs: Any) -> dict:
            name, seed, options = parse_label(states.get("label"), [env_id] if env_id else [])
            self.close()
            self.env, self.env_id, self.healthy = make_env(name), name, False
            try:
                observation, _info = await self.env.areset(seed=seed, options=options)
            except _SETUP_ERRORS:
                raise
            except Exception as exc:  # the hub failed: the sample is masked, the run goes on
                if options and isinstance(exc, (TypeError, ValueError, LookupError)):
                    # unless the label's options are what the env cannot use (a pinned task
                    # without what it needs: KeyError out of its reset): the label's error, as
                    # `gymhub serve` answers 422, named rather than masked every epoch
                    self.healthy = True
                    self.close()
                    raise GymhubLabelError(
                        f"{name} cannot use the label's options {options!r:.200}: "
                        f"{type(exc).__name__}: {exc}"
                    ) from None
                self.close()  # unhealthy: closed, not reused
                self.episode["infra_error"] = True
                failed = [{"role": "user", "content": FAILED_RESET_PROMPT}]
                prompt = self.renderer.render(failed, [], add_generation_prompt=True)
                return {"observation": prompt, "label": states.get("label")}
            self.healthy = True  # an env that raised on reset is closed, not reused
            self.messages = [message_dict(m) for m in observation.messages]
            self.tools = list(observation.tools)
            prompt = self.renderer.render(self.messages, self.tools, add_generation_prompt=True)
            return {"observation": prompt, "label": states.get("label")}

        async def step(self, states: dict, **kwargs: Any) -> dict:
            action_text: str = states["action_text"]
            eos = self.renderer.eos_text
            sampled_eos = action_text.rstrip().endswith(eos)
            content = (
                action_text.rstrip()[: -len(eos)] if sampled_eos else response_text(action_text)
            )
            try:
                if self.env is None:  # its reset failed (the sample is masked)
                    raise RuntimeError("the env failed to reset")
                observation, reward, terminated, truncated, info = await self.env.astep(content)
            except _MISUSE_ERRORS:
                raise
            except Exception as exc:  # the hub failed, not the policy: its text is always a str
                info, reward, terminated, truncated = {"infra_error": True, "error": repr(exc)}, 0.0, False, True  # fmt: skip
                observation = None
            infra = bool(info.get("infra_error")) or not math.isfinite(reward)
            self.healthy = self.healthy and not infra
            done = bool(terminated or truncated or infra)
            feedback = ""
            with_action = [*self.messages, {"role": "assistant", "content": content}]
            if not done:
                obs = [message_dict(m) for m in observation.messages]
                self.tools = list(observation.tools) or self.tools
                feedback, _ = self.renderer.observation_delta(
                    states["observation_text"], with_action, obs, self.tools, sampled_eos
                )
                self.messages = with_action + obs
            else:
                self.close()
            if infra:
                self.episode["infra_error"] = True
                self.healthy = False
            score = 0.0 if infra else float(reward)
            return {
                # scalar_tensor: the same 0-d float tensor as torch.tensor(x) at 40% of its cost
                "rewards": torch.scalar_tensor(score),
                "scores": torch.scalar_tensor(score),
                "environment_feedback": feedback,
                "done": done,
                "sampling_params": states.get("sampling_params"),
                "extra_logs": {
                    "infra_error": float(infra),
                    "correct": float(info.get("verdict") == "correct"),
                },
            }

        def close(self) -> None:
            env, self.env = self.env, None
            if env is None:
                return
            if remote_url is None:
                ENVS.give(env, self.env_id, healthy=self.healthy)
            else:
                env.close()

    class AgentExecutor(MultiTurnAgentExecutor):
        """OpenRLHF's multi-turn executor over gymhub episodes; masks the hub's failures."""

        def __init__(self) -> None:
            super().__init__(GymhubAgentInstance)

        async def execute(self, prompt: Any, label: Any, sampling_params: Any, max_length: int,
                          hf_tokenizer: Any, llm_engine: Any, images: Any = None) -> dict:  # fmt: skip
            episode = _episode_state(hf_tokenizer)
            token = _EPISODE.set(episode)
            try:
                result = await super().execute(
                    prompt, label, sampling_params, max_length, hf_tokenizer, llm_engine, images
                )
            finally:
                _EPISODE.reset(token)
            if episode["infra_error"]:
                # OpenRLHF has no "unscorable" flag: no trained token makes it an invalid sample
                result["action_ranges"] = []
                result["extra_logs"] = {**result.get("extra_logs", {}), "infra_error": 1.0}
            return result

    AgentExecutor.instance_class = GymhubAgentInstance  # type: ignore[attr-defined]
    return AgentExecutor


_AGENT_FILE = '''"""OpenRLHF agent file (--train.agent_func_path): gymhub episodes of {env_id}."""

from gymhub.trainers.integrations.openrlhf import make_agent_executor

AgentExecutor = make_agent_executor({env_id!r}, remote_url={remote_url!r})
'''


def write_agent_file(path: str | Path, env_id: str, *, remote_url: str | None = None) -> Path:
    """Write the `.py` file `--train.agent_func_path` takes. A server's token is read from
    $GYMHUB_TOKEN where the executor runs, never written into the file."""
    gymhub.spec(env_id)  # UnknownEnvError now rather than in a Ray actor later
    target = Path(path)
    if target.suffix != ".py":
        raise ValueError(f"OpenRLHF loads agent files ending in .py, got {target.name!r}")
    if remote_url is not None and not remote_url.startswith(("http://", "https://")):
        raise ValueError(f"remote_url must be an http(s) URL, got {remote_url!r}")
    target.write_text(_AGENT_FILE.format(env_id=env_id, remote_url=remote_url), encoding="utf-8")
    return target


# ----- POST /get_reward on gymhub serve --------------------------------------------------------------
class _OverLong:
    """A reply longer than MAX_REPLY_CHARS (its text is not kept)."""

    def __init__(self, chars: int) -> None:
        self.chars = chars


def _replies(queries: list[str], prompts: list[str | None]) -> list[str | _OverLong]:
    """Each query's reply, or `_OverLong` past MAX_REPLY_CHARS."""
    replies: list[str | _OverLong] = []
    for query, prompt in zip(queries, prompts):
        reply = response_text(query, prompt)
        replies.append(_OverLong(len(reply)) if len(reply) > MAX_REPLY_CHARS else reply)
    return replies


def add_routes(app: Any, manager: Any) -> None:
    """`POST /get_reward` over the manager's envs: each query is the first action of a fresh
    episode (the label's seed), scored by the env's verifier."""
    from gymhub.server.errors import ServerError, error_body

    limits = getattr(app.state, "body_limits", None)
    if limits is not None:  # gymhub's server app: this route takes long generations
        limits["/get_reward"] = max(manager.config.max_body_bytes, REWARD_BODY_BYTES)
    large_bodies = asyncio.Semaphore(LARGE_BODIES_AT_ONCE)

    def fail(status: int, type_: str, message: str) -> Response:
        manager.metrics.error(status, type_)
        headers = {"Retry-After": "1"} if status == 503 else None
        return Response(
            error_body(status, type_, message),
            status_code=status,
            media_type="application/json",
            headers=headers,
        )

    async def score(
        text: str | _OverLong, episode: tuple[str, int, Any], slots: asyncio.Semaphore
    ) -> dict[str, Any]:
        env_id, seed, options = episode
        async with slots:  # a batch larger than the session limit is played in turn
            created = await manager.create(env_id, seed=seed, options=options)
            try:
                if isinstance(text, _OverLong):  # the policy's: scored, never played
                    detail = f"a reply of {text.chars} characters, over {MAX_REPLY_CHARS}"
                    return await manager.step_refused(created["session_id"], detail)
                return await step_action(manager, created["session_id"], text)
            finally:
                if created["session_id"] in manager.sessions:
                    await manager.close(created["session_id"])

    async def read_batch(request: Request) -> tuple[list[str | _OverLong], list[Any]]:
        """The batch's replies and labels; a body over `--max-body-bytes` waits its turn among
        LARGE_BODIES_AT_ONCE, and once read keeps only replies up to MAX_REPLY_CHARS."""
        return await read_large_body(
            request, _read_batch, manager.config.max_body_bytes, large_bodies
        )

    def _read_batch(raw: bytes) -> tuple[list[str | _OverLong], list[Any]]:
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise GymhubLabelError(f"the body is not valid JSON: {exc}") from None
        queries, prompts, labels = _check_reward_body(payload)
        return _replies(queries, prompts), labels

    @app.post("/get_reward", tags=["openrlhf"])
    async def get_reward(request: Request) -> Response:
        try:
            replies, labels = await read_batch(request)
            episodes = []
            # every label is read, its env id resolved, before any episode runs: a bad one at
            # the end of a batch was found only after the ones before it had been played
            for label in labels:
                env_id, seed, options = parse_label(label, manager.specs)
                if seed is None:
                    # a fresh env would pose another task than the one the query answers
                    raise GymhubLabelError("every label needs the row's seed, e.g. {'seed': 3}")
                episodes.append((manager.resolve_env_id(env_id), seed, options))
        except UnknownEnvError as exc:
            return fail(422, "invalid_request", str(exc))
        except GymhubLabelError as exc:
            return fail(422, "invalid_request", str(exc))
        slots = asyncio.Semaphore(min(MAX_CONCURRENT_SCORES, manager.config.max_sessions))
        try:
            results = await asyncio.gather(
                *(score(reply, episode, slots) for reply, episode in zip(replies, episodes))
            )
        except ServerError as exc:
            return fail(exc.status, exc.type, exc.message)
        except (GymhubError, TypeError, ValueError, LookupError) as exc:
            return fail(422, "invalid_request", str(exc))
        infra = [
            r["info"].get("error", "infra_error") for r in results if r["info"].get("infra_error")
        ]
        if infra:
            # OpenRLHF's remote-RM path cannot mask a sample: ask it to retry rather than
            # train on a 0 the policy did not earn
            return fail(503, "infra_error", f"{len(infra)} of {len(results)} failed: {infra[0]}")
        rewards = [float(r["reward"]) for r in results]
        return Response(
            json.dumps(
                {
                    "rewards": rewards,
                    "scores": rewards,
                    "extra_logs": {
                        "correct": [float(r["info"].get("verdict") == "correct") for r in results],
                        "unparseable": [
                            float(r["info"].get("verdict") == "unparseable") for r in results
                        ],
                    },
                }
            ),
            media_type="application/json",
        )


def _check_reward_body(payload: Any) -> tuple[list[str], list[str | None], list[Any]]:
    if not isinstance(payload, dict):
        raise GymhubLabelError(
            "the body must be {'query': [...], 'prompts': [...], 'labels': [...]}"
        )
    queries, prompts, labels = payload.get("query"), payload.get("prompts"), payload.get("labels")
    if not isinstance(queries, list) or not 0 < len(queries) <= MAX_ITEMS:
        raise GymhubLabelError(f"'query' must be a list of 1 to {MAX_ITEMS} strings")
    if not all(isinstance(q, str) for q in queries):
        raise GymhubLabelError("every entry of 'query' must be a string")
    if prompts is None:
        prompts = [None] * len(queries)
    if not isinstance(prompts, list) or len(prompts) != len(queries):
        raise GymhubLabelError("'prompts' must be a list as long as 'query'")
    if not all(p is None or isinstance(p, str) for p in prompts):
        raise GymhubLabelError("every entry of 'prompts' must be a string")
    if not isinstance(labels, list) or len(labels) != len(queries):
        raise GymhubLabelError("'labels' must be a list as long as 'query' (each names an episode)")
    return queries, prompts, labels
