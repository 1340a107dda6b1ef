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
import json
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from gymhub.env import Env
from gymhub.errors import EpisodeDoneError, GymhubError, UnknownEnvError
from gymhub.registry import EnvSpec, spec
from gymhub.server.actions import MalformedAction, is_large, read_action
from gymhub.server.errors import (
    ECHO_CHARS,
    CapacityError,
    ServerError,
    UnknownSessionError,
    capacity_error_of,
)
from gymhub.server.metrics import Metrics
from gymhub.server.pool import EnvThreadPool
from gymhub.types import Action, Observation

_CREATE_IDS_KEPT = 4096  # request ids of recent creations, for idempotent retries
_ANSWERS_KEPT = 8  # answers kept per session, by request id, for retries of recent calls
_SHUTDOWN_WAIT_S = 10.0  # how long a stopping server waits for a session's call under way


@dataclass(eq=False)
class Session:
    id: str
    env_id: str
    env: Env
    last_used: float
    lease_s: float
    owner: object | None = None
    deadline_s: float = 60.0
    orphaned: bool = False  # opened on a socket that went away: the next socket to use it owns it
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    busy: int = 0
    last_request_id: str | None = None
    last_response: dict[str, Any] | None = None
    #: request id -> (call kind, what was asked, the answer): retries of this episode's calls
    answers: OrderedDict[str, tuple[str, Any, dict[str, Any]]] = field(default_factory=OrderedDict)
    done: bool = False
    steps: int = 0
    #: someone has taken charge of closing the env (see _claim_close)
    env_closing: bool = False


@dataclass
class ServerConfig:
    """Limits of one server; see docs/serving.md for what each one protects against."""

    max_sessions: int = 1024
    idle_timeout_s: float = 300.0
    step_timeout_s: float = 60.0
    workers: int = 64
    allow_reference: bool = False
    max_body_bytes: int = 4 * 1024 * 1024
    #: bearer token every route but /health requires (None: no authentication; loopback only)
    token: str | None = field(default=None, repr=False)
    #: a connection that has not sent a whole request header block by then is closed
    header_timeout_s: float = 10.0
    #: a request whose whole body has not arrived this long after its first byte is cut off
    body_timeout_s: float = 60.0
    #: a connection whose peer reads nothing of what is sent to it for this long is aborted
    write_timeout_s: float = 30.0
    #: WebSockets open at once; one more is answered 503 at its handshake
    max_websockets: int = 1024
    #: how long sessions opened on a WebSocket outlive it, so that a client can reconnect
    disconnect_grace_s: float = 30.0

    def __post_init__(self) -> None:
        for name in _TIMEOUTS:  # NaN passes every `<= 0` check below; inf disables the limit
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number of seconds, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number of seconds, got {value}")
        if self.max_sessions < 1:
            raise ValueError(f"max_sessions must be >= 1, got {self.max_sessions}")
        if self.idle_timeout_s <= 0 or self.step_timeout_s <= 0:
            raise ValueError("idle_timeout_s and step_timeout_s must be positive")
        if self.max_websockets < 1:
            raise ValueError(f"max_websockets must be >= 1, got {self.max_websockets}")
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {self.workers}")
        if self.max_body_bytes < 1024:
            raise ValueError(f"max_body_bytes must be >= 1024, got {self.max_body_bytes}")
        if not self.header_timeout_s > 0 or not self.disconnect_grace_s >= 0:
            raise ValueError("header_timeout_s must be positive and disconnect_grace_s >= 0")
        if not self.body_timeout_s > 0 or not self.write_timeout_s > 0:
            raise ValueError("body_timeout_s and write_timeout_s must be positive")
        if self.token is not None:
            from gymhub.server.auth import resolve_token

            self.token = resolve_token(self.token)


_TIMEOUTS = (
    "idle_timeout_s",
    "step_timeout_s",
    "header_timeout_s",
    "body_timeout_s",
    "write_timeout_s",
    "disconnect_grace_s",
)


def step_deadline_s(env: Env, floor_s: float) -> float:
    """The deadline of one call into `env`: the server's own, raised to what the env may
    legitimately spend in a step on the policy's behalf (its tools running within their limits),
    plus a margin for the hub. A step past that is the hub's failure, never the policy's.

    The env says so with `Env.step_budget_s` (None: no policy-controlled work in a step);
    MultiTurnEnv's tool calls of one step share that budget."""
    budget = getattr(env, "step_budget_s", None)
    if not isinstance(budget, (int, float)) or budget != budget or budget <= 0:
        return floor_s
    return max(floor_s, float(budget) * 1.25 + 5.0)


def _same_call(first: Any, second: Any) -> bool:
    """Whether a retried call asks for what the first one did. Equal values are; otherwise
    their canonical JSON text decides: an action holding NaN (tool arguments) never equals
    itself, since NaN != NaN, and its retry was refused as another call. Values that cannot be
    written as JSON are other calls, and so are values nested too deeply to compare (pydantic's
    `model_dump` raised ValueError out of here for tool arguments nested some hundred levels,
    so a retry with another action got a 422 `invalid_action` instead of the 409)."""
    try:
        if first == second:
            return True
        texts = []
        for asked in (first, second):
            if isinstance(asked, BaseModel):
                asked = asked.model_dump(mode="json")
            texts.append(json.dumps(asked, sort_keys=True, default=repr))
    except (TypeError, ValueError, RecursionError):
        return False
    return texts[0] == texts[1]


def _has_native(env: Env, name: str) -> bool:
    return getattr(type(env), name) is not getattr(Env, name)


def _dump_observation(observation: Observation) -> dict[str, Any]:
    return observation.model_dump(mode="json", exclude_none=True)


def infra_result(message: str, session: Session | None = None) -> dict[str, Any]:
    """The step result of a hub failure (the env raised or overran): `infra_error`, reward 0,
    the session closed. Trainers mask it; `session` adds where the episode stood."""
    env = session.env if session is not None else None
    return {
        "observation": {"messages": []},
        "reward": 0.0,
        "terminated": False,
        "truncated": True,
        "info": _step_info(env, "infra_error", error=message, session_closed=True),
    }


def _step_info(env: Env | None, verdict: str, **extra: Any) -> dict[str, Any]:
    """The standard info keys of a step the server answers itself (the env never stepped)."""
    return {
        "verdict": verdict,
        "reward_components": {},
        "task_id": env.task.id if env is not None and env.task else None,
        "turn": env.turn if env is not None else None,
        "infra_error": verdict == "infra_error",
        **extra,
    }


def failing_reward(env: Env | None) -> float:
    """The reward `env`'s verifier gives a non-answer: its `floor` when it has one (a reward
    model's shaping may go below 0), else 0.0."""
    env = getattr(env, "unwrapped", env)
    floor = getattr(getattr(env, "verifier", None), "floor", None)
    if isinstance(floor, (int, float)) and not isinstance(floor, bool) and math.isfinite(floor):
        return float(floor)
    return 0.0


def malformed_action_result(
    detail: str, session: Session | None = None, *, terminated: bool = True
) -> dict[str, Any]:
    """The step result of an action whose policy-written part (its content, its tool calls)
    cannot be read, so the env never saw it: the policy's failure (`unparseable`, the verifier's
    failing reward), never a refused request nor `infra_error`."""
    env = session.env if session is not None else None
    return {
        "observation": {"messages": [{"role": "user", "content": f"Invalid action: {detail}"}]},
        "reward": failing_reward(env),
        "terminated": terminated,
        "truncated": False,
        "info": _step_info(env, "unparseable", invalid_action=True, detail=detail),
    }


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
        #: request id -> (what it asked: env id, seed, options; the create under way)
        self._creating: dict[str, tuple[tuple[Any, ...], asyncio.Future[dict[str, Any]]]] = {}
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
        await asyncio.gather(
            *(self.close(s.id, reason="shutdown") for s in list(self.sessions.values())),
            return_exceptions=True,  # one dropped meanwhile (a deadline) is no reason to stop
        )
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
        shown = env_id if len(env_id) <= ECHO_CHARS else f"{env_id[:ECHO_CHARS]}..."
        raise UnknownEnvError(shown, [i for i in self.specs if env_id.lower() in i.lower()][:3])

    # ----- calls into environments -----------------------------------------------------------------
    async def _call(self, session: Session, name: str, *args: Any, **kwargs: Any) -> Any:
        """Run env.reset/step under the step deadline; on timeout close the session cleanly."""
        env = session.env
        # read again at each call: an env's budget may depend on its task (a code task's tests)
        timeout = session.deadline_s = step_deadline_s(env, self.config.step_timeout_s)
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
            if _claim_close(session):
                call.on_finished(lambda: _safe_close(env))
            raise
        except asyncio.CancelledError:
            call.cancel()
            raise

    async def _drop(self, session: Session, reason: str, *, close_now: bool) -> None:
        """Forget the session; with `close_now`, close its env (the caller holds its lock, or
        nobody else can have it)."""
        if self.sessions.pop(session.id, None) is None:
            return
        self.metrics.session_closed(reason, len(self.sessions))
        if close_now:
            await self._close_env(session)

    async def _drop_when_idle(self, session: Session, reason: str, wait_s: float | None) -> None:
        """Forget the session now (new calls get 404) and close its env once no call of it
        runs: env.close() racing env.step() in another thread may break or hang either one.
        After `wait_s` without the lock (shutdown), the env is left to the process's exit."""
        if self.sessions.pop(session.id, None) is None:
            return
        self.metrics.session_closed(reason, len(self.sessions))

        async def close_under_lock() -> None:
            async with session.lock:
                await self._close_env(session)

        try:
            await asyncio.wait_for(close_under_lock(), wait_s)
        except asyncio.TimeoutError:
            pass

    async def _close_env(self, session: Session) -> None:
        if not _claim_close(session):
            return  # closed already, or once a stuck call returns
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
        """Open a session and reset it; answers 503 (CapacityError) when full, never waits.

        A create retried with the same `request_id` while the first is still running waits for
        it and returns the same session; one retried after it finished is answered from cache."""
        env_id = self.resolve_env_id(env_id)
        if request_id is not None:
            cached = await self._create_retried(request_id, env_id, seed, options)
            if cached is not None:
                return cached
        if len(self.sessions) + self._pending >= self.config.max_sessions:
            self.metrics.capacity_rejections.inc()
            raise CapacityError(self.config.max_sessions, self._retry_after())
        # The slot is taken now, not when the task starts: creates arriving together (a
        # pipelined socket, a /get_reward batch) would all pass the check above before any ran.
        self._pending += 1
        work = asyncio.ensure_future(self._create(env_id, seed, options, request_id, owner))
        if request_id is None:
            return await asyncio.shield(work)
        self._creating[request_id] = ((env_id, seed, options), work)
        work.add_done_callback(lambda _: self._creating.pop(request_id, None))
        return await asyncio.shield(work)

    async def _create_retried(
        self, request_id: str, env_id: str, seed: int | None, options: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """The answer of a create retried with its request id (waiting for it while it runs),
        None for a new id; 409 when the id was used for another create (another env, seed or
        options: its session would be another task's)."""
        running = self._creating.get(request_id)
        if running is not None:
            if not _same_call(running[0], (env_id, seed, options)):  # NaN != NaN
                raise _reused(request_id)
            self.metrics.idempotent_replays.inc()
            return await asyncio.shield(running[1])
        if request_id not in self._create_ids:
            return None
        existing = self.sessions.get(self._create_ids[request_id])
        if existing is None or existing.env_id != env_id:
            raise _reused(request_id)
        cached = self._replay(existing, request_id, "reset", (seed, options))
        if cached is None:
            raise _reused(request_id)
        return cached

    async def _create(
        self,
        env_id: str,
        seed: int | None,
        options: dict[str, Any] | None,
        request_id: str | None,
        owner: object | None,
    ) -> dict[str, Any]:
        """Make, reset and register a session: runs to its end even when its caller goes away,
        so that a retry finds the session instead of making a second one. `create` has
        counted it in `_pending`; it is given back here."""
        try:
            start = time.perf_counter()
            call = self.pool.submit(_make_and_reset, self.specs[env_id], seed, options)
        except BaseException:
            self._pending -= 1
            raise
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
        except Exception as exc:
            capacity = capacity_error_of(exc, self._retry_after())
            if capacity is not None:
                self.metrics.capacity_rejections.inc()
                raise capacity from exc
            raise
        finally:
            self._pending -= 1
        session = Session(
            secrets.token_urlsafe(24),
            env_id,
            env,
            self.clock(),
            self.config.idle_timeout_s,
            owner,
            step_deadline_s(env, self.config.step_timeout_s),
        )
        self.sessions[session.id] = session
        self.metrics.session_opened(env_id, len(self.sessions))
        try:
            if reset_result is None:  # a native async env: reset on the loop
                result = await self.reset(
                    session.id, seed=seed, options=options, request_id=request_id
                )
            else:
                self.metrics.reset_done(env_id, time.perf_counter() - start)
                result = self._reset_response(session, *reset_result)
                self._remember(session, request_id, result, "reset", (seed, options))
        except BaseException:
            await self._drop(session, "failed_reset", close_now=True)
            raise
        if request_id is not None:
            self._create_ids[request_id] = session.id
            while len(self._create_ids) > _CREATE_IDS_KEPT:
                self._create_ids.popitem(last=False)
        return result

    async def _exclusive(
        self,
        session: Session,
        work: Callable[[], Coroutine[Any, Any, dict[str, Any]]],
        owner: object | None = None,
    ) -> dict[str, Any]:
        """Run `work` under the session's lock, to its end even if the caller goes away (a
        dropped socket, a cancelled request): the lock is held until the env call returns and
        its answer is cached, so a retry never runs concurrently with it nor runs it twice."""
        session.busy += 1
        if owner is not None and session.orphaned:
            session.owner, session.orphaned = owner, False
        return await asyncio.shield(asyncio.ensure_future(self._locked(session, work)))

    async def _locked(
        self, session: Session, work: Callable[[], Coroutine[Any, Any, dict[str, Any]]]
    ) -> dict[str, Any]:
        try:
            async with session.lock:
                self._get(session.id)  # it may have been closed while we waited for the lock
                return await work()
        finally:
            session.busy -= 1
            session.last_used = self.clock()
            session.lease_s = self.config.idle_timeout_s

    def _replay(
        self, session: Session, request_id: str | None, kind: str, asked: Any
    ) -> dict[str, Any] | None:
        """The cached answer of a retried call; a request id reused for another call (another
        kind, another action or seed) is refused, never answered with the first call's result
        (a wrong action would get the right one's reward)."""
        if request_id is None:
            return None
        cached = session.answers.get(request_id)
        if cached is None:
            return None
        cached_kind, cached_asked, response = cached
        if cached_kind != kind or not _same_call(cached_asked, asked):
            raise ServerError(
                409,
                "duplicate_request",
                f"request id {request_id!r} was already used for a different {cached_kind}",
            )
        self.metrics.idempotent_replays.inc()
        return response

    @staticmethod
    def _remember(
        session: Session,
        request_id: str | None,
        response: dict[str, Any],
        kind: str,
        asked: Any,
    ) -> None:
        """Cache an answer for retries of this call (several: calls may be retried late)."""
        session.last_request_id, session.last_response = request_id, response
        if request_id is not None:
            session.answers[request_id] = (kind, asked, response)
            if len(session.answers) > _ANSWERS_KEPT:
                session.answers.popitem(last=False)

    async def reset(
        self,
        session_id: str,
        *,
        seed: int | None = None,
        options: dict[str, Any] | None = None,
        request_id: str | None = None,
        owner: object | None = None,
    ) -> dict[str, Any]:
        session = self._get(session_id)

        async def work() -> dict[str, Any]:
            cached = self._replay(session, request_id, "reset", (seed, options))
            if cached is not None:
                return cached
            start = time.perf_counter()
            try:
                observation, info = await self._call(session, "reset", seed=seed, options=options)
            except asyncio.TimeoutError:
                raise ServerError(
                    504,
                    "deadline_exceeded",
                    f"reset ran past the {session.deadline_s}s deadline; the session was closed",
                ) from None
            except Exception as exc:
                capacity = capacity_error_of(exc, self._retry_after())
                if capacity is not None:
                    raise capacity from exc
                raise
            self.metrics.reset_done(session.env_id, time.perf_counter() - start)
            response = self._reset_response(session, observation, info)
            self._remember(session, request_id, response, "reset", (seed, options))
            return response

        return await self._exclusive(session, work, owner)

    async def step(
        self,
        session_id: str,
        action: Action | str | dict[str, Any],
        *,
        request_id: str | None = None,
        owner: object | None = None,
    ) -> dict[str, Any]:
        session = self._get(session_id)

        async def work() -> dict[str, Any]:
            cached = self._replay(session, request_id, "step", action)
            if cached is not None:
                return cached
            if session.done:
                raise EpisodeDoneError(session.env_id)
            if isinstance(action, dict):  # sent as JSON: the policy's parts never make a 422
                try:  # TypeError (a wrong frame) -> 422
                    if is_large(action):  # thousands of tool calls: off the event loop
                        coerced = await self.pool.run(read_action, action)
                    else:
                        coerced = read_action(action)
                except MalformedAction as exc:  # its content: the policy's failure, scored
                    return self._refuse(session, str(exc), request_id, action)
            else:
                coerced = Action.coerce(action)  # TypeError -> 422 before touching the env
            start = time.perf_counter()
            try:
                observation, reward, terminated, truncated, info = await self._call(
                    session, "step", coerced
                )
            except asyncio.TimeoutError:
                self.metrics.step_deadline_exceeded.inc()
                response = self._infra_result(
                    session,
                    f"step ran past the {session.deadline_s}s deadline; the session was closed",
                )
                self._remember(session, request_id, response, "step", action)
                return response
            except GymhubError:  # the episode's state (over, never reset): the client's 409
                raise
            except Exception as exc:  # an env bug: the hub failed, not the policy. A TypeError
                # or ValueError too: the action was read above, so it is a valid one
                await self._drop(session, "env_error", close_now=True)
                return self._infra_result(session, f"environment raised {exc!r}")
            self.metrics.step_done(session.env_id, time.perf_counter() - start)
            session.steps += 1
            session.done = bool(terminated or truncated)
            response = {
                "observation": _dump_observation(observation),
                "reward": float(reward),
                "terminated": bool(terminated),
                "truncated": bool(truncated),
                "info": info,
            }
            self._remember(session, request_id, response, "step", action)
            return response

        return await self._exclusive(session, work, owner)

    async def step_refused(
        self, session_id: str, detail: str, *, owner: object | None = None
    ) -> dict[str, Any]:
        """End the episode with an action the env is not shown because the policy wrote it
        wrong (too long to play, content that cannot be read): `malformed_action_result`."""
        session = self._get(session_id)

        async def work() -> dict[str, Any]:
            if session.done:
                raise EpisodeDoneError(session.env_id)
            return self._refuse(session, detail, None, None)

        return await self._exclusive(session, work, owner)

    def _refuse(
        self, session: Session, detail: str, request_id: str | None, action: Any
    ) -> dict[str, Any]:
        session.steps += 1
        session.done = True
        response = malformed_action_result(detail, session)
        self._remember(session, request_id, response, "step", action)
        return response

    def _reset_response(
        self, session: Session, observation: Observation, info: dict[str, Any]
    ) -> dict[str, Any]:
        session.done = False
        session.answers.clear()  # a new episode: no call of the last one may be replayed in it
        # the deadline of this episode's steps (it follows the task just drawn): a client waits
        # at least this long for a step, or the policy's own work would end as the hub's failure
        session.deadline_s = step_deadline_s(session.env, self.config.step_timeout_s)
        return {
            "session_id": session.id,
            "env_id": session.env_id,
            "version": session.env.version,
            "observation": _dump_observation(observation),
            "info": info,
            "lease_s": self.config.idle_timeout_s,
            "max_body_bytes": self.config.max_body_bytes,
            "step_deadline_s": session.deadline_s,
        }

    def _infra_result(self, session: Session, message: str) -> dict[str, Any]:
        return infra_result(message, session)

    async def reference(self, session_id: str) -> dict[str, Any]:
        if not self.config.allow_reference:
            raise ServerError(
                403,
                "reference_disabled",
                "this server does not reveal reference actions; start it with --allow-reference",
            )
        session = self._get(session_id)

        async def work() -> dict[str, Any]:
            # As a step's: past the deadline the session is closed (its env once the stuck call
            # returns). The call went on in its thread after the lock was released, so the next
            # step ran on the same env at the same time, and the client got a 500.
            env = session.env
            call = self.pool.submit(env.reference_action)
            try:
                action = await _await_with_deadline(call.future, session.deadline_s)
            except asyncio.TimeoutError:
                call.cancel()
                await self._drop(session, "deadline", close_now=False)
                if _claim_close(session):
                    call.on_finished(lambda: _safe_close(env))
                raise ServerError(
                    504,
                    "deadline_exceeded",
                    f"reference_action ran past the {session.deadline_s}s deadline; the "
                    "session was closed",
                ) from None
            except asyncio.CancelledError:
                call.cancel()
                raise
            except Exception as exc:  # the env's bug, never the request's (it has no body)
                raise ServerError(
                    500, "env_error", f"reference_action raised {exc!r}"[:2000]
                ) from exc
            return {
                "action": None
                if action is None
                else action.model_dump(mode="json", exclude_none=True),
                "secret_strings": list(session.env.secret_strings()),
            }

        return await self._exclusive(session, work)

    async def close(self, session_id: str, *, reason: str = "client") -> None:
        """Close a session; a call of it under way finishes first (its answer is kept)."""
        session = self._get(session_id)
        wait_s = _SHUTDOWN_WAIT_S if reason == "shutdown" else None
        await self._drop_when_idle(session, reason, wait_s)

    def orphan_owned_by(self, owner: object) -> int:
        """The socket that opened these sessions went away: they live on for the disconnect
        grace period (a client may reconnect and retry), then the reaper closes them."""
        owned = [s for s in self.sessions.values() if s.owner is owner]
        for session in owned:
            session.owner, session.orphaned = None, True
            session.lease_s = min(self.config.disconnect_grace_s, self.config.idle_timeout_s)
            session.last_used = self.clock()
        return len(owned)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run `coro` in the background, keeping a reference until it is done."""
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def touch(self, session_id: str) -> float:
        session = self._get(session_id)
        session.last_used = self.clock()
        session.lease_s = self.config.idle_timeout_s
        return self.config.idle_timeout_s

    def describe(self, session_id: str) -> dict[str, Any]:
        """The state of one session (only to whoever holds its id: no route lists sessions)."""
        s = self._get(session_id)
        now = self.clock()
        return {
            "session_id": s.id,
            "env_id": s.env_id,
            "turn": s.env.turn,
            "steps": s.steps,
            "done": s.done,
            "idle_s": round(max(0.0, now - s.last_used), 3),
            "lease_expires_in_s": round(max(0.0, s.last_used + s.lease_s - now), 3),
            "step_deadline_s": s.deadline_s,
        }

    # ----- leases ----------------------------------------------------------------------------------
    def _retry_after(self) -> int:
        return max(1, min(30, int(self.config.idle_timeout_s // 4) or 1))

    async def reap_once(self) -> int:
        """Close every session idle for longer than the idle timeout; returns how many."""
        now = self.clock()
        expired = [
            s for s in self.sessions.values() if s.busy == 0 and s.last_used + s.lease_s < now
        ]
        await asyncio.gather(*(self._drop_when_idle(s, "idle", None) for s in expired))
        return len(expired)

    async def _reap_forever(self) -> None:
        shortest = min(self.config.idle_timeout_s, self.config.disconnect_grace_s or 1.0)
        interval = min(5.0, max(0.05, shortest / 4))
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


def _reused(request_id: str) -> ServerError:
    return ServerError(409, "duplicate_request", f"request id {request_id!r} was already used")


def _claim_close(session: Session) -> bool:
    """True for the first caller only: the env is closed exactly once, by whoever claims it."""
    if session.env_closing:
        return False
    session.env_closing = True
    return True


def _safe_close(env: Env) -> None:
    try:
        env.close()
    except Exception:
        pass
