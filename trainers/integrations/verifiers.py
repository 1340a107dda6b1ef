"""gymhub envs as a Prime Intellect `verifiers` (0.4, the `verifiers.v1` API) taskset and env.

- `GymhubTaskset`: one `vf.Task` per (env id, seed); the prompt is the env's reset observation.
- `GymhubEnv`: `run(task, agents)` resets the gymhub env and plays it with the run's agent as
  the env's user: each reply is an env step, each observation the next user turn. The episode
  return is recorded as the trace's reward `gymhub`.
- `GymhubChatHarness`: a tool-less chat loop run in-process (every model call goes through the
  rollout's interception endpoint), bundled with the taskset so no harness program is installed.
- `load_environment(**kwargs) -> vf.Env`: the one-call entry point trainers use;
  `evaluate(env, base_url=..., model=...)` runs it against an OpenAI-compatible server.

`infra_error` (the env raised, or returned that verdict) is raised out of `run()`: verifiers
records it on the episode (`episode.errors`, `episode.ok` False), its way of marking a rollout
that is not a result; it is never recorded as reward 0.

This repository has a top-level folder `verifiers/` (installed as `gymhub.verifiers`); run from
a checkout, `import verifiers` could find that folder. `import_verifiers()` always loads the
installed PyPI distribution.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import importlib.machinery
import importlib.metadata
import importlib.util
import ssl
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

import gymhub
from gymhub.episode import EpisodeLoop
from gymhub.errors import GymhubError
from gymhub.registry import spec as env_spec
from gymhub.trainers.integrations.pool import ENVS
from gymhub.trainers.integrations.rows import seed_value
from gymhub.types import Message

#: the taskset id verifiers resolves to this module (see `_register_plugin_aliases`)
TASKSET_ID = "gymhub"


class VerifiersAdapterError(GymhubError, ValueError):
    """A bad argument to the verifiers adapter."""


class GymhubInfraError(RuntimeError):
    """The hub failed during an episode (raised out of `run()` so verifiers marks the rollout
    failed instead of scoring it)."""


def _shadowed(module: ModuleType, package_dir: Path) -> bool:
    origin = getattr(module, "__file__", None)
    return origin is None or Path(origin).resolve().parent != package_dir


def import_verifiers() -> ModuleType:
    """The PyPI `verifiers` package, even when a folder named `verifiers` is first on sys.path.

    Finds the distribution's own files and, if `sys.modules["verifiers"]` is something else (the
    repository's folder imported under that name), replaces it and its submodules."""
    try:
        dist = importlib.metadata.distribution("verifiers")
    except importlib.metadata.PackageNotFoundError as exc:
        raise ImportError(
            "the 'verifiers' package is not installed: pip install 'gymhub[verifiers]'"
        ) from exc
    root = Path(str(dist.locate_file(""))).resolve()
    spec = importlib.machinery.PathFinder.find_spec("verifiers", [str(root)])
    if spec is None or spec.origin is None or spec.loader is None:
        raise ImportError(f"the 'verifiers' distribution has no package under {root}")
    package_dir = Path(spec.origin).resolve().parent
    current = sys.modules.get("verifiers")
    if current is not None and not _shadowed(current, package_dir):
        return current
    for name in [n for n in sys.modules if n == "verifiers" or n.startswith("verifiers.")]:
        del sys.modules[name]
    module = importlib.util.module_from_spec(spec)
    sys.modules["verifiers"] = module
    spec.loader.exec_module(module)
    return module


import_verifiers()
vf: Any = importlib.import_module("verifiers.v1")
_program_result: Any = importlib.import_module("verifiers.v1.runtimes").ProgramResult
_message_to_wire: Any = importlib.import_module("verifiers.v1.dialects.chat").message_to_wire


class GymhubTasksetConfig(vf.TasksetConfig):
    """Which gymhub env and which seeds the taskset yields."""

    env_id: str = "gymhub/GuessNumber-v0"
    env_kwargs: dict[str, Any] = {}
    options: dict[str, Any] = {}
    seeds: list[int] | None = None
    num_tasks: int = 100
    first_seed: int = 0
    max_turns: int | None = None


class GymhubData(vf.TaskData):
    info: dict[str, Any]
    """env id, kwargs, reset seed and options: the env reproduces the episode from them."""


class GymhubTask(vf.Task[GymhubData, vf.State, vf.TaskConfig]):
    pass


def _prompt(messages: list[Message]) -> tuple[str | None, str | list[dict[str, Any]]]:
    """(system prompt, prompt) of a reset observation: a lone user message stays a string."""
    system = "\n\n".join(m.text for m in messages if m.role == "system") or None
    rest = [m for m in messages if m.role != "system"]
    if len(rest) == 1 and rest[0].role == "user":
        return system, rest[0].text
    return system, [{"role": "user", "content": m.text} for m in rest]


class GymhubTaskset(vf.Taskset[GymhubTask, GymhubTasksetConfig]):
    """One task per seed of one gymhub env (the env is reset once per task to read its prompt)."""

    def load(self) -> Any:
        c = self.config
        if c.num_tasks < 1 and c.seeds is None:
            raise VerifiersAdapterError(f"num_tasks must be >= 1, got {c.num_tasks}")
        seeds = (
            list(c.seeds)
            if c.seeds is not None
            else range(c.first_seed, c.first_seed + c.num_tasks)
        )
        env = gymhub.make(c.env_id, **c.env_kwargs)
        try:
            for seed in seeds:
                observation, info = env.reset(seed=seed, options=dict(c.options) or None)
                system, prompt = _prompt(observation.messages)
                yield GymhubTask(
                    GymhubData(
                        id=str(info.get("task_id") or f"{c.env_id}#{seed}"),
                        name=f"{c.env_id}#{seed}",
                        prompt=prompt,
                        system_prompt=system,
                        info={
                            "env_id": c.env_id,
                            "env_kwargs": dict(c.env_kwargs),
                            "seed": seed,
                            "options": dict(c.options),
                            "max_turns": c.max_turns,
                        },
                    ),
                    c.task,
                )
        finally:
            env.close()


class GymhubEnvConfig(vf.EnvConfig):
    player: vf.AgentConfig = vf.AgentConfig(runtime=vf.SubprocessConfig())


def _user_turn(messages: list[Message]) -> list[dict[str, Any]]:
    """An observation as the next user turn (tool results and notes become user text)."""
    return [{"role": "user", "content": m.text} for m in messages if m.text] or [
        {"role": "user", "content": "(no observation)"}
    ]


class GymhubEnv(vf.Env[GymhubEnvConfig]):
    """Plays one gymhub episode per task; the gymhub env is the run's user."""

    async def run(self, task: Any, agents: Any) -> None:
        info = task.data.info
        env_id, env_kwargs = info["env_id"], info.get("env_kwargs", {})
        env = ENVS.take(env_id, env_kwargs)  # one run per rollout: envs are reused
        loop = EpisodeLoop(env, max_turns=info.get("max_turns"))
        healthy = False
        try:
            started = await loop.areset(seed=info["seed"], options=info.get("options") or None)
            if started is None:
                raise GymhubInfraError(loop.error or "reset failed")
            async with agents.player.interaction(task) as interaction:
                segment = await interaction.turn()
                while not segment.terminated:
                    update = await loop.astep(segment.last_reply)
                    if update is None or loop.done:
                        break
                    segment = await interaction.turn(_user_turn(update.observation.messages))
                if loop.infra_error:
                    raise GymhubInfraError(loop.error or "infra_error")
                trace = interaction.trace
                trace.record_reward("gymhub", loop.total_reward, 1.0)
                trace.info["gymhub_verdict"] = loop.status
                trace.info["gymhub_turns"] = loop.turns
                trace.info["gymhub_truncation"] = loop.truncation
            healthy = True
        finally:
            ENVS.give(env, env_id, env_kwargs, healthy=healthy)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One default SSL context for every harness call (building one per client costs ~0.2 s)."""
    return ssl.create_default_context()


class GymhubChatHarnessConfig(vf.HarnessConfig):
    pass


class GymhubChatHarness(vf.Harness[GymhubChatHarnessConfig]):
    """One chat completion per segment, in-process, through the interception endpoint."""

    APPENDS_SYSTEM_PROMPT = True
    SUPPORTS_RESUME = True
    EXECUTES_CODE = False
    NEEDS_CONTAINER = False

    async def launch(
        self,
        ctx: Any,
        trace: Any,
        runtime: Any,
        endpoint: str,
        secret: str,
        mcp_urls: dict[str, str],
        data: Any,
        tool_interception_url: str | None = None,
    ) -> Any:
        from openai import AsyncOpenAI

        system, prompt = self.resolve_prompt(data)
        messages: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []
        if isinstance(prompt, str):
            messages.append({"role": "user", "content": prompt})
        else:
            messages += [
                m if isinstance(m, dict) else _message_to_wire(m)
                for m in prompt or []
                if not (system and getattr(m, "role", None) == "system")
            ]
        async with httpx.AsyncClient(verify=_ssl_context(), timeout=None) as http:
            client = AsyncOpenAI(base_url=endpoint, api_key=secret, max_retries=0, http_client=http)
            await client.chat.completions.create(model=ctx.model, messages=messages)
        return _program_result(exit_code=0, stdout="", stderr="")


__all__ = ["GymhubChatHarness", "GymhubEnv", "GymhubTaskset", "load_environment"]


def _register_plugin_aliases() -> None:
    """verifiers resolves a plugin id `x` to `verifiers.v1.tasksets.x` (or `.harnesses.x`) or to a
    top-level module `x`; this module's dotted name is neither, so it is aliased as `gymhub`."""
    this = sys.modules[__name__]
    for group in ("tasksets", "harnesses", "envs"):
        sys.modules.setdefault(f"verifiers.v1.{group}.{TASKSET_ID}", this)


_register_plugin_aliases()


def _check_settings(seeds: Any, first_seed: Any, max_turns: Any) -> tuple[list[int] | None, int]:
    """Seeds and the turn budget, checked here: verifiers' config would read `True` as seed 1,
    and a bad `max_turns` would fail every episode inside `run()`, recorded like the hub's
    failure instead of named once. Returns the seeds and first seed as plain ints (numpy
    integers from a data frame are seeds too)."""
    values = None
    if seeds is not None:
        if not isinstance(seeds, (list, tuple, range)) or not seeds:
            raise VerifiersAdapterError(f"seeds must be a non-empty list of seeds, got {seeds!r}")
        values = [seed_value(seed) for seed in seeds]
        bad = [seed for seed, value in zip(seeds, values) if value is None]
        if bad:
            raise VerifiersAdapterError(f"seeds must be non-negative integers, got {bad[0]!r}")
    first = seed_value(first_seed)
    if first is None:
        raise VerifiersAdapterError(
            f"first_seed must be a non-negative integer, got {first_seed!r}"
        )
    if max_turns is not None and (type(max_turns) is not int or max_turns < 1):
        raise VerifiersAdapterError(f"max_turns must be a positive integer, got {max_turns!r}")
    return values, first  # type: ignore[return-value]  # no None left after the check


def env_config(
    env_id: str = "gymhub/GuessNumber-v0",
    *,
    num_tasks: int = 100,
    first_seed: int = 0,
    seeds: list[int] | None = None,
    env_kwargs: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
    max_turns: int | None = None,
) -> Any:
    """The `vf.EnvConfig` of a gymhub env (what `vf.load_environment` and the eval CLI take)."""
    if not isinstance(env_id, str) or not env_id:
        raise VerifiersAdapterError(f"env_id must be a non-empty string, got {env_id!r}")
    env_spec(env_id)  # an unknown id raises, naming close matches
    for name, value in (("env_kwargs", env_kwargs), ("options", options)):
        if value is not None and not isinstance(value, dict):
            raise VerifiersAdapterError(f"{name} must be a dict, got {value!r:.80}")
    if seeds is None and (
        isinstance(num_tasks, bool) or not isinstance(num_tasks, int) or num_tasks < 1
    ):
        raise VerifiersAdapterError(f"num_tasks must be a positive integer, got {num_tasks!r}")
    seeds, first_seed = _check_settings(seeds, first_seed, max_turns)
    return GymhubEnvConfig(
        taskset=GymhubTasksetConfig(
            id=TASKSET_ID,
            env_id=env_id,
            num_tasks=num_tasks,
            first_seed=first_seed,
            seeds=seeds,
            env_kwargs=dict(env_kwargs or {}),
            options=dict(options or {}),
            max_turns=max_turns,
        )
    )


def load_environment(**kwargs: Any) -> Any:
    """`load_environment(env_id=..., num_tasks=..., ...) -> vf.Env`, the entry point trainers
    call (keyword arguments as in `env_config`)."""
    return vf.load_environment(env_config(**kwargs))


def evaluate(
    env: Any,
    *,
    base_url: str,
    model: str,
    num_rollouts: int = 1,
    max_concurrent: int = 32,
    api_key_var: str = "OPENAI_API_KEY",
) -> list[Any]:
    """Run every task of `env` `num_rollouts` times against an OpenAI-compatible endpoint,
    in-process, as verifiers' eval runner does (without its output files); returns the
    `vf.Episode`s in task order. Not callable from inside a running event loop."""
    if isinstance(num_rollouts, bool) or not isinstance(num_rollouts, int) or num_rollouts < 1:
        raise VerifiersAdapterError(
            f"num_rollouts must be a positive integer, got {num_rollouts!r}"
        )
    if (
        isinstance(max_concurrent, bool)
        or not isinstance(max_concurrent, int)
        or max_concurrent < 1
    ):  # a semaphore of 0 would wait forever: the evaluation hung without a word
        raise VerifiersAdapterError(
            f"max_concurrent must be a positive integer, got {max_concurrent!r}"
        )
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise VerifiersAdapterError(f"base_url must be an http(s) URL, got {base_url!r}")

    ctx = vf.ModelContext(
        client=vf.EvalClientConfig(base_url=base_url, api_key_var=api_key_var), model=model
    )
    slots = [slot for task in env.taskset for slot in env.slots(task, num_rollouts)]
    gate = asyncio.Semaphore(max_concurrent)

    async def run() -> list[Any]:
        async with env.serving():
            return await asyncio.gather(*(env.run_slot(s, ctx, gate) for s in slots))

    return asyncio.run(run())
