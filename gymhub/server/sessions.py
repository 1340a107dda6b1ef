"""Sessions: one environment instance per session, with a lease, a deadline per call and a reaper.

The manager is transport-independent (HTTP routes and the WebSocket handler both call it) and
runs on one event loop. Sync environments run in a bounded thread pool so that a slow step never
blocks the loop; environments with native `areset`/`astep` are awaited directly. Every call has a
deadline: a step that runs past it is answered with an `infra_error` result and its session is
closed cleanly (the environment is closed once the stuck call returns), so a hung environment
costs one session, never the server.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any

from gymhub.env import Env
from gymhub.errors import EpisodeDoneError, GymhubError, UnknownEnvError
from gymhub.registry import EnvSpec, spec
from gymhub.server.errors import CapacityError, ServerError, UnknownSessionError
from gymhub.server.metrics import Metrics
from gymhub.server.pool import EnvThreadPool
from gymhub.types import Action, Observation

_CREATE_IDS_KEPT = 4096  # request ids of recent creations, for idempotent retries


@dataclass(eq=False)
class Session:
    id: str
    env_id: str
    env: Env
    last_used: float
    owner: object | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    busy: int = 0
    last_request_id: str | None = None
    last_response: dict[str, Any] | None = None
    done: bool = False
    steps: int = 0


@dataclass
class ServerConfig:
    """Limits of one server; see docs/serving.md for what each one protects against."""

    max_sessions: int = 1024
    idle_timeout_s: float = 300.0
    step_timeout_s: float = 60.0
    workers: int = 64
    allow_reference: bool = False
    max_body_bytes: int = 4 * 1024 * 1024

    def __post_init__(self) -> None:
        if self.max_sessions < 1:
            raise ValueError(f"max_sessions must be >= 1, got {self.max_sessions}")
        if self.idle_timeout_s <= 0 or self.step_timeout_s <= 0:
            raise ValueError("idle_timeout_s and step_timeout_s must be positive")
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {self.workers}")
        if self.max_body_bytes < 1024:
            raise ValueError(f"max_body_bytes must be >= 1024, got {self.max_body_bytes}")


def _has_native(env: Env, name: str) -> bool:
    return getattr(type(env), name) is not getattr(Env, name)


def _dump_observation(observation: Observation) -> dict[str, Any]:
    return observation.model_dump(mode="json", exclude_none=True)


class SessionManager:
    """Owns every session of a server: creation under a capacity limit, calls under deadlines,
    leases renewed by use and a reaper that closes idle sessions."""

    def __init__(
        self,
        env_ids: Iterable[str],
        config: ServerConfig | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config or ServerConfig()
        self.clock = clock
        self.specs: dict[str, EnvSpec] = {}
        for env_id in env_ids:
            s = spec(env_id)  # raises UnknownEnvError early, with suggestions
            self.specs[s.id] = s
        if not self.specs:
            raise ValueError("serve at least one environment id")
        self.sessions: dict[str, Session] = {}
        self.metrics = Metrics()
        self._pending = 0
        self._create_ids: OrderedDict[str, str] = OrderedDict()
        self._pool: EnvThreadPool | None = None
        self._reaper: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[Any]] = set()

    # ----- life cycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        if self._pool is None:
            self._pool = EnvThreadPool(self.config.workers)
        if self._reaper is None:
            self._reaper = asyncio.get_running_loop().create_task(self._reap_forever())

    async def stop(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            self._reaper = None
        for session in list(self.sessions.values()):
            await self.close(session.id, reason="shutdown")
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    @property
    def pool(self) -> EnvThreadPool:
        if self._pool is None:  # apps driven without their lifespan (ASGI test clients)
            self._pool = EnvThreadPool(self.config.workers)
        if self._reaper is None:
            self._reaper = asyncio.get_running_loop().create_task(self._reap_forever())
        return self._pool

    def resolve_env_id(self, env_id: str) -> str:
        if env_id in self.specs:
            return env_id
        if f"gymhub/{env_id}" in self.specs:
            return f"gymhub/{env_id}"
        raise UnknownEnvError(env_id, [i for i in self.specs if env_id.lower() in i.lower()][:3])

    # ----- calls into environments -----------------------------------------------------------------
    async def _call(self, session: Session, name: str, *args: Any, **kwargs: Any) -> Any:
        """Run env.reset/step under the step deadline; on timeout close the session cleanly."""
        env = session.env
        timeout = self.config.step_timeout_s
        if _has_native(env, "a" + name):
            coro = getattr(env, "a" + name)(*args, **kwargs)
            try:
                return await asyncio.wait_for(coro, timeout)
            except asyncio.TimeoutError:
                await self._drop(session, "deadline", close_now=True)
                raise
        call = self.pool.submit(getattr(env, name), *args, **kwargs)
        try:
            return await _await_with_deadline(call.future, timeout)
        except asyncio.TimeoutError:
            # The worker thread cannot be interrupted: close the env when the stuck call returns.
            call.cancel()  # not started yet: it never will be
            await self._drop(session, "deadline", close_now=False)
            call.on_finished(lambda: _safe_close(env))
            raise
        except asyncio.CancelledError:
            call.cancel()
            raise

    async def _drop(self, session: Session, reason: str, *, close_now: bool) -> None:
        if self.sessions.pop(session.id, None) is None:
            return
        self.metrics.sessions_active = len(self.sessions)
        self.metrics.sessions_closed[reason] += 1
        if close_now:
            try:
                await asyncio.wait_for(self.pool.run(_safe_close, session.env), 30)
            except asyncio.TimeoutError:
                pass

    def _get(self, session_id: str) -> Session:
        session = self.sessions.get(session_id)
        if session is None:
            raise UnknownSessionError(session_id)
        return session

    # ----- operations ------------------------------------------------------------------------------
    async def create(
        self,
        env_id: str,
        *,
        seed: int | None = None,
        options: dict[str, Any] | None = None,
        request_id: str | None = None,
        owner: object | None = None,
    ) -> dict[str, Any]:
        """Open a session and reset it; answers 503 (CapacityError) when full, never waits."""
        if request_id is not None and request_id in self._create_ids:
            existing = self.sessions.get(self._create_ids[request_id])
            if existing is not None and existing.last_request_id == request_id:
                self.metrics.idempotent_replays += 1
                return existing.last_response  # type: ignore[return-value]
            raise ServerError(
                409, "duplicate_request", f"request id {request_id!r} was already used"
            )
        env_id = self.resolve_env_id(env_id)
        if len(self.sessions) + self._pending >= self.config.max_sessions:
            self.metrics.capacity_rejections += 1
            raise CapacityError(self.config.max_sessions, self._retry_after())
        self._pending += 1
        start = time.perf_counter()
        call = self.pool.submit(_make_and_reset, self.specs[env_id], seed, options)
        try:
            env, reset_result = await _await_with_deadline(call.future, self.config.step_timeout_s)
        except asyncio.TimeoutError:
            call.cancel()
            call.on_finished(lambda: _close_made_env(call.value))
            raise ServerError(
                504, "deadline_exceeded", f"creating the env ran past {self.config.step_timeout_s}s"
            ) from None
        except asyncio.CancelledError:
            call.cancel()
            call.on_finished(lambda: _close_made_env(call.value))
            raise
        finally:
            self._pending -= 1
        session = Session(uuid.uuid4().hex, env_id, env, self.clock(), owner)
        self.sessions[session.id] = session
        self.metrics.sessions_active = len(self.sessions)
        self.metrics.sessions_created[env_id] += 1
        try:
            if reset_result is None:  # a native async env: reset on the loop
                result = await self.reset(
                    session.id, seed=seed, options=options, request_id=request_id
                )
            else:
                self.metrics.reset_latency[env_id].observe(time.perf_counter() - start)
                self.metrics.resets[env_id] += 1
                result = self._reset_response(session, *reset_result)
                session.last_request_id, session.last_response = request_id, result
        except BaseException:
            await self._drop(session, "failed_reset", close_now=True)
            raise
        if request_id is not None:
            self._create_ids[request_id] = session.id
            while len(self._create_ids) > _CREATE_IDS_KEPT:
                self._create_ids.popitem(last=False)
        return result

    async def reset(
        self,
        session_id: str,
        *,
        seed: int | None = None,
        options: dict[str, Any] | None = None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        session = self._get(session_id)
        session.busy += 1
        try:
            async with session.lock:
                if request_id is not None and request_id == session.last_request_id:
                    self.metrics.idempotent_replays += 1
                    return session.last_response  # type: ignore[return-value]
                self._get(session_id)  # it may have been closed while we waited for the lock
                start = time.perf_counter()
                try:
                    observation, info = await self._call(
                        session, "reset", seed=seed, options=options
                    )
                except asyncio.TimeoutError:
                    raise ServerError(
                        504,
                        "deadline_exceeded",
                        f"reset ran past the {self.config.step_timeout_s}s deadline; "
                        "the session was closed",
                    ) from None
                self.metrics.reset_latency[session.env_id].observe(time.perf_counter() - start)
                self.metrics.resets[session.env_id] += 1
                response = self._reset_response(session, observation, info)
                session.last_request_id, session.last_response = request_id, response
                return response
        finally:
            session.busy -= 1
            session.last_used = self.clock()

    async def step(
        self,
        session_id: str,
        action: Action | str | dict[str, Any],
        *,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        session = self._get(session_id)
        session.busy += 1
        try:
            async with session.lock:
                if request_id is not None and request_id == session.last_request_id:
                    self.metrics.idempotent_replays += 1
                    return session.last_response  # type: ignore[return-value]
                self._get(session_id)
                if session.done:
                    raise EpisodeDoneError(session.env_id)
                action = Action.coerce(action)  # TypeError -> 422 before touching the env
                start = time.perf_counter()
                try:
                    observation, reward, terminated, truncated, info = await self._call(
                        session, "step", action
                    )
                except asyncio.TimeoutError:
                    self.metrics.step_deadline_exceeded += 1
                    return self._infra_result(
                        session,
                        f"step ran past the {self.config.step_timeout_s}s deadline; "
                        "the session was closed",
                    )
                except (GymhubError, TypeError, ValueError):
                    raise
                except Exception as exc:  # an env bug: the hub failed, not the policy
                    await self._drop(session, "env_error", close_now=True)
                    return self._infra_result(session, f"environment raised {exc!r}")
                self.metrics.step_latency[session.env_id].observe(time.perf_counter() - start)
                self.metrics.steps[session.env_id] += 1
                session.steps += 1
                session.done = bool(terminated or truncated)
                response = {
                    "observation": _dump_observation(observation),
                    "reward": float(reward),
                    "terminated": bool(terminated),
                    "truncated": bool(truncated),
                    "info": info,
                }
                session.last_request_id, session.last_response = request_id, response
                return response
        finally:
            session.busy -= 1
            session.last_used = self.clock()

    def _reset_response(
        self, session: Session, observation: Observation, info: dict[str, Any]
    ) -> dict[str, Any]:
        session.done = False
        return {
            "session_id": session.id,
            "env_id": session.env_id,
            "version": session.env.version,
            "observation": _dump_observation(observation),
            "info": info,
            "lease_s": self.config.idle_timeout_s,
        }

    def _infra_result(self, session: Session, message: str) -> dict[str, Any]:
        return {
            "observation": {"messages": []},
            "reward": 0.0,
            "terminated": False,
            "truncated": True,
            "info": {
                "verdict": "infra_error",
                "reward_components": {},
                "task_id": session.env.task.id if session.env.task else None,
                "turn": session.env.turn,
                "infra_error": True,
                "error": message,
                "session_closed": True,
            },
        }

    async def reference(self, session_id: str) -> dict[str, Any]:
        if not self.config.allow_reference:
            raise ServerError(
                403,
                "reference_disabled",
                "this server does not reveal reference actions; start it with --allow-reference",
            )
        session = self._get(session_id)
        session.busy += 1
        try:
            async with session.lock:
                action = await asyncio.wait_for(
                    self.pool.run(session.env.reference_action), self.config.step_timeout_s
                )
                secrets = session.env.secret_strings()
        finally:
            session.busy -= 1
            session.last_used = self.clock()
        return {
            "action": None if action is None else action.model_dump(mode="json", exclude_none=True),
            "secret_strings": list(secrets),
        }

    async def close(self, session_id: str, *, reason: str = "client") -> None:
        session = self._get(session_id)
        await self._drop(session, reason, close_now=True)

    async def close_owned_by(self, owner: object) -> int:
        owned = [s for s in self.sessions.values() if s.owner is owner]
        await asyncio.gather(*(self._drop(s, "disconnect", close_now=True) for s in owned))
        return len(owned)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run `coro` in the background, keeping a reference until it is done."""
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def touch(self, session_id: str) -> float:
        session = self._get(session_id)
        session.last_used = self.clock()
        return self.config.idle_timeout_s

    def describe(self) -> list[dict[str, Any]]:
        now = self.clock()
        return [
            {
                "session_id": s.id,
                "env_id": s.env_id,
                "turn": s.env.turn,
                "steps": s.steps,
                "done": s.done,
                "idle_s": round(max(0.0, now - s.last_used), 3),
                "lease_expires_in_s": round(
                    max(0.0, s.last_used + self.config.idle_timeout_s - now), 3
                ),
            }
            for s in list(self.sessions.values())
        ]

    # ----- leases ----------------------------------------------------------------------------------
    def _retry_after(self) -> int:
        return max(1, min(30, int(self.config.idle_timeout_s // 4) or 1))

    async def reap_once(self) -> int:
        """Close every session idle for longer than the idle timeout; returns how many."""
        deadline = self.clock() - self.config.idle_timeout_s
        expired = [s for s in self.sessions.values() if s.busy == 0 and s.last_used < deadline]
        await asyncio.gather(*(self._drop(s, "idle", close_now=True) for s in expired))
        return len(expired)

    async def _reap_forever(self) -> None:
        interval = min(5.0, max(0.05, self.config.idle_timeout_s / 4))
        while True:
            await asyncio.sleep(interval)
            try:
                await self.reap_once()
            except Exception:  # never let the reaper die
                pass


async def _await_with_deadline(future: asyncio.Future[Any], timeout: float) -> Any:
    """`asyncio.wait_for` for a future, without the extra task wait_for creates per call (the
    step hot path); raises asyncio.TimeoutError and cancels the future when time runs out."""
    expired = False

    def expire() -> None:
        nonlocal expired
        expired = True
        future.cancel()

    handle = asyncio.get_running_loop().call_later(timeout, expire)
    try:
        return await future
    except asyncio.CancelledError:
        if expired:
            raise asyncio.TimeoutError() from None
        raise
    finally:
        handle.cancel()


def _make_and_reset(
    env_spec: EnvSpec, seed: int | None, options: dict[str, Any] | None
) -> tuple[Env, tuple[Observation, dict[str, Any]] | None]:
    """Build an env and, unless it resets natively async, reset it: one trip to the pool."""
    env = env_spec.make()
    if _has_native(env, "areset"):
        return env, None
    try:
        return env, env.reset(seed=seed, options=options)
    except BaseException:
        _safe_close(env)
        raise


def _close_made_env(made: tuple[Env, Any] | None) -> None:
    if made is not None:
        _safe_close(made[0])


def _safe_close(env: Env) -> None:
    try:
        env.close()
    except Exception:
        pass
