"""Rollouts with environments on Ray actors (`gymhub.run_rollouts(..., backend="ray")`).

Each actor is a process that hosts environments and steps them through the one episode loop
(`gymhub.episode.EpisodeLoop`); the driver keeps the policy and drives every episode through
`run_episode` with a small async proxy (areset/astep/reference_action) per actor, so traces are
exactly those of the asyncio backend. An actor that dies or hangs marks the episode
it was serving `infra_error` (the others go on) and is replaced by a fresh one.

Ray is imported only here; on a cluster, call `ray.init(address=...)` first (or set RAY_ADDRESS),
otherwise a local Ray instance is started.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import gymhub
from gymhub.episode import EpisodeLoop
from gymhub.policies import Policy, ReferencePolicy
from gymhub.trace import Trace, run_episode
from gymhub.types import Action, Observation

DEFAULT_CALL_TIMEOUT_S = 600.0


class EnvHost:
    """The actor's body: hosts one env per env id (reused across episodes, closed at the end)."""

    def __init__(self, env_kwargs: dict[str, Any] | None = None) -> None:
        self.env_kwargs = dict(env_kwargs or {})
        self.envs: dict[str, Any] = {}
        self.current: Any = None
        self.loop: EpisodeLoop | None = None

    def pid(self) -> int:
        import os

        return os.getpid()

    def _ref(self, want: bool) -> tuple[bool, Action | None]:
        if not want:
            return False, None
        try:
            return True, self.current.reference_action()
        except Exception:
            return False, None

    def _env(self, env_id: str) -> Any:
        env = self.envs.get(env_id)
        if env is None:
            env = self.envs[env_id] = gymhub.make(env_id, **self.env_kwargs)
        return env

    def verifier_of(self, env_id: str) -> tuple[str, str] | None:
        """The env's verifier (name, version), so traces record the same provenance as local."""
        verifier = getattr(self._env(env_id), "verifier", None)
        if verifier is None:
            return None
        name = getattr(verifier, "name", type(verifier).__name__)
        return str(name), str(getattr(verifier, "version", "1"))

    def reset(
        self, env_id: str, seed: int | None, options: dict[str, Any] | None, want_ref: bool
    ) -> tuple[Observation, dict[str, Any], tuple[bool, Action | None]]:
        env = self.current = self._env(env_id)
        # errors propagate to the driver, whose own loop records them as infra errors
        self.loop = EpisodeLoop(env, catch_errors=False)
        observation, info = self.loop.reset(seed=seed, options=options)  # type: ignore[misc]
        return observation, info, self._ref(want_ref)

    def step(self, action: Action, want_ref: bool) -> tuple[Any, ...]:
        if self.loop is None:
            raise RuntimeError("step before reset")
        update = self.loop.step(action)
        assert update is not None  # catch_errors=False: a failure raised instead
        return (
            update.observation,
            update.reward,
            update.terminated,
            update.truncated,
            update.info,
            self._ref(want_ref),
        )

    def reference_action(self) -> Action | None:
        return None if self.current is None else self.current.reference_action()

    def close(self) -> None:
        for env in self.envs.values():
            try:
                env.close()
            except Exception:
                pass
        self.envs.clear()


class RayEnvProxy:
    """Driver-side stand-in for an env living in an actor; what `run_episode` drives.

    With `prefetch_reference` the actor sends the reference action along with every result, so
    the (synchronous) `reference_action()` never blocks the event loop on a remote call.
    """

    def __init__(
        self,
        actor: Any,
        env_id: str,
        *,
        prefetch_reference: bool = False,
        call_timeout_s: float = DEFAULT_CALL_TIMEOUT_S,
    ) -> None:
        spec = gymhub.spec(env_id)
        self.actor = actor
        self.env_id = spec.id
        self.version = spec.version
        self.prefetch_reference = prefetch_reference
        self.call_timeout_s = call_timeout_s
        self.dead = False
        self.verifier: Any = None
        self._ref: tuple[bool, Action | None] = (False, None)

    async def _call(self, ref: Any) -> Any:
        import ray

        try:
            return await asyncio.wait_for(asyncio.wrap_future(ref.future()), self.call_timeout_s)
        except (ray.exceptions.RayActorError, ray.exceptions.ActorUnavailableError):
            self.dead = True
            raise
        except asyncio.TimeoutError:
            self.dead = True  # a hung actor is as good as dead: it is killed and replaced
            raise TimeoutError(
                f"env actor did not answer within {self.call_timeout_s}s; it was replaced"
            ) from None

    async def areset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        observation, info, self._ref = await self._call(
            self.actor.reset.remote(self.env_id, seed, options, self.prefetch_reference)
        )
        return observation, info

    async def astep(self, action: Action | str) -> tuple[Observation, float, bool, bool, dict]:
        action = Action.coerce(action)
        *result, self._ref = await self._call(
            self.actor.step.remote(action, self.prefetch_reference)
        )
        observation, reward, terminated, truncated, info = result
        return observation, reward, terminated, truncated, info

    def reference_action(self) -> Action | None:
        known, action = self._ref
        if known:
            return action
        import ray

        return ray.get(self.actor.reference_action.remote(), timeout=self.call_timeout_s)


class _VerifierInfo:
    """What `run_episode` reads of a verifier to record provenance."""

    def __init__(self, name: str, version: str) -> None:
        self.name, self.version = name, version


def _ensure_ray() -> Any:
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("backend='ray' needs Ray: pip install 'gymhub[ray]'") from exc
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False)
    return ray


async def ray_rollout(
    env_ids: Sequence[str],
    policy: Policy,
    *,
    seeds: Sequence[int],
    concurrency: int = 8,
    env_kwargs: dict[str, Any] | None = None,
    max_turns: int | None = None,
    options: dict[str, Any] | None = None,
    actor_options: dict[str, Any] | None = None,
    call_timeout_s: float = DEFAULT_CALL_TIMEOUT_S,
) -> list[Trace]:
    """Run one episode per (env id, seed) on a pool of `concurrency` Ray actors; traces come back
    env-major, like the asyncio backend. Never raises for an episode's failure."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    specs = [gymhub.spec(e) for e in env_ids]  # unknown ids fail before any actor starts
    jobs = [(s.id, seed) for s in specs for seed in seeds]
    if not jobs:
        return []
    ray = _ensure_ray()
    actor_cls = ray.remote(EnvHost)
    prefetch = isinstance(policy, ReferencePolicy)

    def new_actor() -> Any:
        return actor_cls.options(max_restarts=0, **(actor_options or {})).remote(env_kwargs)

    idle: asyncio.Queue[Any] = asyncio.Queue()
    actors = [new_actor() for _ in range(min(concurrency, len(jobs)))]
    for actor in actors:
        idle.put_nowait(actor)
    live: set[Any] = set(actors)
    verifiers: dict[str, Any] = {}

    async def verifier_of(proxy: RayEnvProxy) -> Any:
        if proxy.env_id not in verifiers:
            found = await proxy._call(proxy.actor.verifier_of.remote(proxy.env_id))
            verifiers[proxy.env_id] = None if found is None else _VerifierInfo(*found)
        return verifiers[proxy.env_id]

    async def one(env_id: str, seed: int) -> Trace:
        actor = await idle.get()
        proxy = RayEnvProxy(
            actor, env_id, prefetch_reference=prefetch, call_timeout_s=call_timeout_s
        )
        try:
            proxy.verifier = await verifier_of(proxy)
            trace = await run_episode(
                proxy,  # type: ignore[arg-type]
                policy,
                seed=seed,
                options=options,
                max_turns=max_turns,
            )
        except Exception as exc:  # run_episode does not raise; belt and braces
            trace = Trace(env_id=env_id, seed=seed, error=repr(exc), infra_error=True)
        if proxy.dead:
            trace.infra_error = True
            trace.error = trace.error or "env actor died"
            live.discard(actor)
            try:
                ray.kill(actor, no_restart=True)
            except Exception:
                pass
            actor = new_actor()
            live.add(actor)
        idle.put_nowait(actor)
        return trace

    try:
        return list(await asyncio.gather(*(one(e, s) for e, s in jobs)))
    finally:
        closing = [a.close.remote() for a in live]
        try:
            await asyncio.wait_for(
                asyncio.gather(*(asyncio.wrap_future(r.future()) for r in closing)), 60
            )
        except Exception:
            pass
        for actor in live:
            try:
                ray.kill(actor, no_restart=True)
            except Exception:
                pass
