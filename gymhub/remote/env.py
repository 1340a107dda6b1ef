"""`RemoteEnv`: an environment served by `gymhub serve`, behind the same Env contract.

One `RemoteEnv` is one server session (created by the first reset, reused by later resets).
Connections come from one pool per server URL shared by every RemoteEnv of the process (one sync
pool, and one async pool per event loop). The async pool is httpx2's: httpx's `AsyncClient` slows
down badly with many concurrent requests (7x fewer steps per second at 64 sessions here).
Retries happen only where they are safe: every reset and step carries a request id, so a request
retried after a lost answer is answered by the server from its cache and never executed twice.
"""

from __future__ import annotations

import asyncio
import functools
import json
import math
import os
import threading
import time
import uuid
import weakref
from collections.abc import AsyncGenerator
from typing import Any

import httpx

from gymhub import lifecycle
from gymhub.env import Env, StepResult, recordable_action
from gymhub.errors import (
    EpisodeDoneError,
    GymhubError,
    InvalidOptionsError,
    ResetNeededError,
    UnknownEnvError,
)
from gymhub.remote.ws import Channel, ChannelClosed, ChannelRefused, MessageTooLarge, channel_for
from gymhub.types import Action, Message, Observation, Verdict

_TRANSPORT_FAILURES = (
    "ConnectError",
    "ConnectTimeout",
    "ReadError",
    "WriteError",
    "RemoteProtocolError",
    "PoolTimeout",
)
_RETRYABLE: tuple[type[Exception], ...] = tuple(getattr(httpx, n) for n in _TRANSPORT_FAILURES)
_MAX_CONNECTIONS, _MAX_KEEPALIVE = 1024, 256
_LIMITS = httpx.Limits(max_connections=_MAX_CONNECTIONS, max_keepalive_connections=_MAX_KEEPALIVE)
#: how much longer than the server's step deadline a client waits for a reset or step: the
#: server answers a call past its deadline itself (`infra_error`), so the client must hear it
#: rather than give up first; this covers the transfer and the wait for the session's lock
DEADLINE_MARGIN_S = 30.0


def step_deadline(value: Any) -> float | None:
    """A server's `step_deadline_s` as seconds, or None when it sent none usable (an older
    server, a number that is not positive and finite)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < math.inf:
        return float(value)
    return None


#: the calls the server runs under its step deadline
_DEADLINED = frozenset({"reset", "step", "reference"})


class RemoteEnvError(GymhubError):
    """The server could not be used (unreachable, or it answered with an unexpected error)."""


class ServerUnreachableError(RemoteEnvError, ConnectionError):
    pass


class UnauthorizedError(RemoteEnvError, PermissionError):
    """The server wants a bearer token and this client sent none or a wrong one (not retried)."""


class PayloadTooLargeError(RemoteEnvError):
    """The request is longer than the server takes (HTTP 413, or over its WebSocket limit). On a
    step that is the policy's action: `RemoteEnv` ends the step as the policy's failure."""


class SessionExpiredError(RemoteEnvError):
    """The server no longer knows this session (idle lease expired, closed, or server restarted)."""


class RemoteTimeoutError(RemoteEnvError, TimeoutError):
    """The server did not answer in time: within `timeout_s`, or for a reset or step within the
    server's own step deadline plus DEADLINE_MARGIN_S when that is longer (not retried: the call
    may still be running; the server's own step deadline closes a stuck session)."""


# ----- shared connection pools ------------------------------------------------------------------
_sync_pools: dict[str, httpx.Client] = {}
_async_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Any]] = (
    weakref.WeakKeyDictionary()
)
_pool_lock = threading.Lock()


def _sync_pool(base_url: str, timeout: float) -> httpx.Client:
    with _pool_lock:
        client = _sync_pools.get(base_url)
        if client is None or client.is_closed:
            client = httpx.Client(base_url=base_url, timeout=timeout, limits=_LIMITS)
            _sync_pools[base_url] = client
            lifecycle.register("remote env connections", _close_pools, stage="connections")
        return client


def _close_pools() -> None:
    """Close the sync pools; forget the async ones (each belongs to its event loop)."""
    with _pool_lock:
        clients = list(_sync_pools.values())
        _sync_pools.clear()
        _async_pools.clear()
    for client in clients:
        client.close()


def _async_pool(base_url: str, timeout: float) -> Any:
    """The `httpx2.AsyncClient` of this event loop for `base_url` (imported on first use)."""
    import httpx2

    loop = asyncio.get_running_loop()
    with _pool_lock:
        pools = _async_pools.setdefault(loop, {})
        entry = pools.get(base_url)
        if entry is None or entry[0].is_closed:
            limits = httpx2.Limits(
                max_connections=_MAX_CONNECTIONS, max_keepalive_connections=_MAX_KEEPALIVE
            )
            client = httpx2.AsyncClient(base_url=base_url, timeout=timeout, limits=limits)
            entry = pools[base_url] = (client, _closed_with_loop(client))
            lifecycle.register("remote env connections", _close_pools, stage="connections")
        return entry[0]


def _closed_with_loop(client: Any) -> AsyncGenerator[None, None]:
    """Close `client` when its event loop shuts down. Without this, every `asyncio.run` that
    used a RemoteEnv left a connection open in this process, one more per run. An event loop
    has no close hook, but it closes the async generators it has seen before it stops
    (`asyncio.run` does): this one is started here, so that its loop knows it."""

    async def closer() -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            await client.aclose()

    gen = closer()
    try:
        gen.__anext__().send(None)  # runs to the yield: the loop's first-iteration hook sees it
    except StopIteration:
        pass
    return gen


@functools.cache
def _async_retryable() -> tuple[type[Exception], ...]:
    import httpx2

    return _RETRYABLE + tuple(getattr(httpx2, n) for n in _TRANSPORT_FAILURES)


@functools.cache
def _timeouts() -> tuple[type[Exception], ...]:
    import httpx2

    return (httpx.TimeoutException, httpx2.TimeoutException)


def _raise_for(response: Any, during: str, env_id: str) -> None:
    """Turn an HTTP error answer into the exception the local env would have raised."""
    if response.status_code < 400:
        return
    try:
        err = response.json()["error"]
        type_, message = err["type"], err["message"]
    except Exception:
        type_, message = "http_error", response.text[:500]
    _raise_error(response.status_code, type_, message, during, env_id)


def _raise_error(status: int, type_: str, message: str, during: str, env_id: str) -> None:
    """The exception the local env would have raised for a server error (HTTP or WebSocket)."""
    if status == 401 or type_ == "unauthorized":
        raise UnauthorizedError(
            f"the server refused the token ({message}); pass token= or set $GYMHUB_TOKEN"
        )
    if status == 413 or type_ == "payload_too_large":
        raise PayloadTooLargeError(f"{during} on {env_id}: {message}")
    if type_ == "unknown_session":
        raise SessionExpiredError(message)
    if type_ == "unknown_env":
        raise UnknownEnvError(env_id)
    if type_ == "episode_done":
        raise EpisodeDoneError(env_id)
    if type_ == "reset_needed":
        raise ResetNeededError()
    if type_ == "invalid_options" or (status == 422 and during == "reset"):
        raise InvalidOptionsError(message)
    if status == 422:
        raise TypeError(message)
    raise RemoteEnvError(f"{during} on {env_id} failed with HTTP {status} ({type_}): {message}")


def _keep_non_finite_arguments(action: Action, dumped: dict[str, Any]) -> None:
    """Tool arguments holding NaN or an infinity (a policy's `{"value": NaN}`) go as their JSON
    text, which the server's env parses back to the same floats. Dumped as JSON values they
    became null (pydantic writes non-finite floats so): the remote env's tool got None where a
    local one gets NaN, a different answer for the same action."""
    for call, out in zip(action.tool_calls or (), dumped.get("tool_calls", ())):
        arguments = call.arguments
        if not isinstance(arguments, dict):
            continue
        try:
            json.dumps(arguments, allow_nan=False)
        except ValueError:  # a non-finite float somewhere in them
            try:
                out["arguments"] = json.dumps(arguments)
            except (TypeError, ValueError, RecursionError):
                pass
        except (TypeError, RecursionError):
            pass


def reply_too_large_step(reason: Exception) -> StepResult:
    """The step of an action longer than a server takes: the policy wrote it, so it ends the
    episode as the policy's failure (`unparseable`, reward 0), never as `infra_error`."""
    detail = f"the reply is longer than the server takes ({reason})"
    observation = Observation(
        messages=[Message(role="user", content=f"Your reply was not read: {detail}.")]
    )
    verdict = Verdict(reward=0.0, status="unparseable", detail=detail)
    return StepResult(observation, 0.0, True, verdict, {"reply_too_large": True})


class RemoteEnv(Env):
    """An env living on a gymhub server; sync and async calls, same contract as a local env.

    `reference_action()` works when the server was started with `--allow-reference` and returns
    None otherwise. `close()` ends the server session and never raises. With `transport="ws"`
    the async calls (`areset` of an open session, `astep`, `areference_action`) go over the
    server's WebSocket route, a few sockets shared by the event loop: the fast path for many
    concurrent sessions. Sessions are created over HTTP either way.

    `timeout_s` is how long a call waits for its answer. A reset, step or reference look-up of
    an open session waits at least the server's deadline for that episode's calls (which its
    reset answer gives, `step_deadline_s`, raised by the env's step budget: a code task's tests)
    plus DEADLINE_MARGIN_S: the server answers a call past its deadline itself, and a client
    giving up sooner would report the policy's legitimate work (a slow program within its
    limits) as the hub's failure. A longer `timeout_s` is kept as it is.
    """

    def __init__(
        self,
        url: str,
        env_id: str,
        *,
        timeout_s: float = 120.0,
        retries: int = 3,
        backoff_s: float = 0.2,
        transport: str = "http",
        token: str | None = None,
    ) -> None:
        super().__init__()
        if transport not in ("http", "ws"):
            raise ValueError(f"transport must be 'http' or 'ws', got {transport!r}")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"url must start with http:// or https://, got {url!r}")
        if retries < 0:
            raise ValueError(f"retries must be >= 0, got {retries}")
        if (
            isinstance(timeout_s, bool)
            or not isinstance(timeout_s, (int, float))
            or not 0 < timeout_s < float("inf")
        ):
            raise ValueError(f"timeout_s must be a positive number of seconds, got {timeout_s!r}")
        self.url = url.rstrip("/")
        token = token if token is not None else os.environ.get("GYMHUB_TOKEN") or None
        if token is not None and (not isinstance(token, str) or not token.strip()):
            raise ValueError("token must be a non-empty string or None")
        self._headers = {"Authorization": f"Bearer {token.strip()}"} if token else None
        self.timeout_s = float(timeout_s)
        self.retries = retries
        self.backoff_s = backoff_s
        self.transport = transport
        self._channel: tuple[asyncio.AbstractEventLoop, Channel] | None = None
        self.session_id: str | None = None
        self._reference: tuple[tuple[int, int], Action | None, list[str]] | None = None
        self._reset_count = 0
        self._fetched: dict[str, Any] | None = None  # an answer fetched by areset/astep
        self._seed_asked: int | None = None
        self._server_info: dict[str, Any] = {}
        self._server_truncated = False
        self._max_body: int | None = None  # the server's limit, from its reset answers
        self._deadline_s: float | None = None  # the server's step deadline, from the same
        self._refused: PayloadTooLargeError | None = None  # an action astep could not send
        spec = self._request_sync("GET", f"/envs/{env_id}", None, "connect", env_id=env_id)
        self.env_id = spec["id"]
        self.version = int(spec.get("version", 0))
        self.spec_dict = spec

    # ----- transport ------------------------------------------------------------------------------
    def _retry_delay(self, attempt: int, response: Any | None) -> float:
        if response is not None and "retry-after" in response.headers:
            try:
                return min(float(response.headers["retry-after"]), 30.0)
            except ValueError:
                pass
        return self.backoff_s * (2**attempt)

    def wait_s(self, during: str) -> float:
        """How long a call waits for its answer: `timeout_s`, raised for the calls the server
        runs under its step deadline to that deadline plus DEADLINE_MARGIN_S."""
        if during in _DEADLINED and self._deadline_s is not None:
            return max(self.timeout_s, self._deadline_s + DEADLINE_MARGIN_S)
        return self.timeout_s

    def _request_sync(
        self, method: str, path: str, body: Any, during: str, env_id: str | None = None
    ) -> Any:
        # the pool is shared by every RemoteEnv of this URL: each request says its own timeout
        client = _sync_pool(self.url, self.timeout_s)
        wait = self.wait_s(during)
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                response = client.request(
                    method, path, json=body, headers=self._headers, timeout=wait
                )
            except _RETRYABLE as exc:
                last = exc
                time.sleep(self._retry_delay(attempt, None))
                continue
            except httpx.TimeoutException as exc:
                raise self._timed_out(during, exc, wait) from exc
            if response.status_code == 503 and attempt < self.retries:
                time.sleep(self._retry_delay(attempt, response))
                continue
            _raise_for(response, during, env_id or self.env_id or "?")
            return response.json()
        raise ServerUnreachableError(f"gymhub server at {self.url} is unreachable ({last!r})")

    async def _request_async(self, method: str, path: str, body: Any, during: str) -> Any:
        client = _async_pool(self.url, self.timeout_s)
        retryable, timeouts = _async_retryable(), _timeouts()
        wait = self.wait_s(during)
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                response = await client.request(
                    method, path, json=body, headers=self._headers, timeout=wait
                )
            except retryable as exc:
                last = exc
                await asyncio.sleep(self._retry_delay(attempt, None))
                continue
            except timeouts as exc:
                raise self._timed_out(during, exc, wait) from exc
            if response.status_code == 503 and attempt < self.retries:
                await asyncio.sleep(self._retry_delay(attempt, response))
                continue
            _raise_for(response, during, self.env_id or "?")
            return response.json()
        raise ServerUnreachableError(f"gymhub server at {self.url} is unreachable ({last!r})")

    async def _session_call_async(
        self, op: str, method: str, body: dict[str, Any] | None, during: str
    ) -> Any:
        """Operation `op` on this env's open session, over the transport it was built with (the
        HTTP route is `/sessions/{id}/{op}`, the WebSocket op has the same name)."""
        if self.transport == "ws":
            return await self._ws_call(op, {"session_id": self.session_id, **(body or {})}, during)
        path = f"/sessions/{self.session_id}/{op}"
        return await self._request_async(method, path, body, during)

    async def _ws_call(self, op: str, fields: dict[str, Any], during: str) -> Any:
        """One operation over this loop's WebSocket; retried like HTTP (same request id)."""
        loop = asyncio.get_running_loop()
        if self._channel is None or self._channel[0] is not loop:
            self._channel = (loop, channel_for(self.url, headers=self._headers))
        channel = self._channel[1]
        wait = self.wait_s(during)
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                answer = await channel.call({"op": op, **fields}, wait, self._max_body)
            except MessageTooLarge as exc:
                raise PayloadTooLargeError(f"{during} on {self.env_id}: {exc}") from exc
            except ChannelClosed as exc:
                last = exc
                await asyncio.sleep(exc.retry_after_s or self._retry_delay(attempt, None))
                continue
            except ChannelRefused as exc:
                raise UnauthorizedError(
                    f"{self.url} refused the WebSocket: pass token= or set $GYMHUB_TOKEN"
                ) from exc
            except asyncio.TimeoutError as exc:
                raise self._timed_out(during, exc, wait) from exc
            if answer.get("ok"):
                return answer["result"]
            err = answer.get("error") if isinstance(answer.get("error"), dict) else {}
            status = int(err.get("status", 500))
            if status == 503 and attempt < self.retries:
                retry_after = err.get("retry_after_s")
                delay = (
                    min(float(retry_after), 30.0)
                    if isinstance(retry_after, (int, float))
                    else self._retry_delay(attempt, None)
                )
                await asyncio.sleep(delay)
                continue
            type_, message = str(err.get("type", "error")), str(err.get("message", ""))
            _raise_error(status, type_, message, during, self.env_id or "?")
        raise ServerUnreachableError(f"gymhub server at {self.url} is unreachable ({last!r})")

    def _timed_out(self, during: str, exc: Exception, wait: float) -> RemoteTimeoutError:
        return RemoteTimeoutError(
            f"{during} on {self.env_id} at {self.url}: no answer within {wait}s ({exc!r})"
        )

    # ----- the Env contract ------------------------------------------------------------------------
    # Env.reset/step do the bookkeeping (seed and option checks, episode index, turn count,
    # refusing a finished episode, the conversation record, standard info keys); the server
    # round trip happens in _reset/_step. The async calls make the round trip first, then run
    # the same Env.reset/step, whose _reset/_step take the answer already fetched.

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """The server validates options (it knows the env); here they only become JSON."""
        return {
            k: (v.model_dump(mode="json") if hasattr(v, "model_dump") else v)
            for k, v in options.items()
        }

    def _reset_body(self, seed: int | None, options: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {"seed": seed, "request_id": uuid.uuid4().hex}
        if options:
            body["options"] = options
        return body

    def _reset(self, options: dict[str, Any]) -> Observation:
        data, self._fetched = self._fetched, None
        if data is None:  # a sync reset: the round trip happens here
            body = self._reset_body(self._seed_asked, options)
            if self.session_id is not None:
                try:
                    data = self._request_sync(
                        "POST", f"/sessions/{self.session_id}/reset", body, "reset"
                    )
                except SessionExpiredError:
                    self.session_id = None
            if data is None:
                body = {**body, "env_id": self.env_id}
                data = self._request_sync("POST", "/sessions", body, "reset")
        self.session_id = data["session_id"]
        self._reset_count += 1
        self._reference = None
        self._server_info = data["info"]
        limit = data.get("max_body_bytes")  # absent from servers older than the field
        self._max_body = limit if isinstance(limit, int) and limit > 0 else None
        # absent from servers older than the field
        self._deadline_s = step_deadline(data.get("step_deadline_s"))
        return Observation.model_validate(data["observation"])

    def _step(self, action: Action) -> StepResult:
        data, self._fetched = self._fetched, None
        refused, self._refused = self._refused, None
        if refused is not None:
            return self._refused_step(refused)
        if data is None:  # a sync step: the round trip happens here
            try:
                body = self._step_body(action)
                self._check_http_size(action, body)
                data = self._request_sync("POST", f"/sessions/{self.session_id}/step", body, "step")
            except PayloadTooLargeError as exc:
                return self._refused_step(exc)
        self._reference = None
        self._server_truncated = bool(data["truncated"])
        if data["info"].get("session_closed"):
            self.session_id = None  # the server closed it (deadline); next reset opens a new one
        observation = Observation.model_validate(data["observation"])
        return StepResult(
            observation, float(data["reward"]), bool(data["terminated"]), None, data["info"]
        )

    def _check_http_size(self, action: Action, body: dict[str, Any]) -> None:
        """Raise PayloadTooLargeError for a step body over the server's limit, before it is
        sent: the server answers 413 before reading it and closes the connection, which an
        async client still uploading sees as a dropped connection, not as the 413."""
        limit = self._max_body
        if limit is None:
            return
        content = action.content
        if (
            action.tool_calls is None
            and isinstance(content, str)
            and 6 * len(content) < limit - 1024
        ):
            return  # JSON writes a character in at most 6 bytes: this body fits, no need to encode
        # the bytes httpx sends (its encode_json)
        size = len(
            json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        )
        if size > limit:
            raise PayloadTooLargeError(
                f"step on {self.env_id}: the request is {size} bytes; the server takes at most {limit}"
            )

    @staticmethod
    def _refused_step(exc: PayloadTooLargeError) -> StepResult:
        """Nothing reached the server; the session's next reset starts a new episode there."""
        return reply_too_large_step(exc)

    @staticmethod
    def _step_body(action: Action) -> dict[str, Any]:
        dumped = action.model_dump(mode="json", exclude_none=True)
        if action.tool_calls:
            _keep_non_finite_arguments(action, dumped)
        return {"action": dumped, "request_id": uuid.uuid4().hex}

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        self._seed_asked = seed
        observation, _ = super().reset(seed=seed, options=options)
        return observation, self._server_info  # the server's info: what a local env returns

    def step(
        self, action: Action | Message | str
    ) -> tuple[Observation, float, bool, bool, dict[str, Any]]:
        self._server_truncated = False
        observation, reward, terminated, truncated, info = super().step(action)
        if self._server_truncated and not truncated:  # the server's turn budget or deadline
            truncated, self._done = True, True
        return observation, reward, terminated, truncated, info

    async def areset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            return self.reset(seed=seed, options=options)  # Env.reset raises the right error
        if options is not None and not isinstance(options, dict):
            return self.reset(seed=seed, options=options)
        body = self._reset_body(seed, self.validate_options(dict(options or {})))
        data = None
        if self.session_id is not None:
            try:
                data = await self._session_call_async("reset", "POST", body, "reset")
            except SessionExpiredError:
                self.session_id = None
        if data is None:
            data = await self._request_async(
                "POST", "/sessions", {**body, "env_id": self.env_id}, "reset"
            )
        self._fetched = data
        return self.reset(seed=seed, options=options)

    async def astep(
        self, action: Action | Message | str
    ) -> tuple[Observation, float, bool, bool, dict[str, Any]]:
        # as Env.step reads it: lone surrogates (which no JSON encoder of httpx's writes) become
        # U+FFFD, over-deep tool-call arguments a note; the sync step sends the same
        action = recordable_action(action)
        if self._needs_reset or self._done or self.session_id is None:
            return self.step(action)  # Env.step raises ResetNeededError / EpisodeDoneError
        try:
            body = self._step_body(action)
            if self.transport == "http":  # the WebSocket channel measures what it sends itself
                self._check_http_size(action, body)
            data = await self._session_call_async("step", "POST", body, "step")
        except PayloadTooLargeError as exc:
            self._refused = exc  # Env.step's bookkeeping runs all the same, in step below
            return self.step(action)
        self._fetched = data
        return self.step(action)

    def _fetch_reference(self) -> tuple[Action | None, list[str]]:
        key = (self._reset_count, self.turn)
        if self._reference is not None and self._reference[0] == key:
            return self._reference[1], self._reference[2]
        if self.session_id is None or self._needs_reset:
            return None, []
        try:
            data = self._request_sync(
                "GET", f"/sessions/{self.session_id}/reference", None, "reference"
            )
        except RemoteEnvError:
            return None, []  # the server does not reveal references (403) or lost the session
        action = None if data["action"] is None else Action.model_validate(data["action"])
        self._reference = (key, action, list(data["secret_strings"]))
        return action, list(data["secret_strings"])

    async def areference_action(self) -> Action | None:
        """`reference_action` without blocking the event loop."""
        if self._done or self.session_id is None or self._needs_reset:
            return None
        key = (self._reset_count, self.turn)
        if self._reference is None or self._reference[0] != key:
            try:
                data = await self._session_call_async("reference", "GET", None, "reference")
            except RemoteEnvError:
                return None
            action = None if data["action"] is None else Action.model_validate(data["action"])
            self._reference = (key, action, list(data["secret_strings"]))
        return self._reference[1]

    def reference_action(self) -> Action | None:
        if self._done:
            return None
        return self._fetch_reference()[0]

    def secret_strings(self) -> list[str]:
        return self._fetch_reference()[1]

    def heartbeat(self) -> float:
        """Renew the session's lease without stepping; returns the lease length in seconds."""
        if self.session_id is None:
            raise ResetNeededError()
        data = self._request_sync("POST", f"/sessions/{self.session_id}/heartbeat", None, "step")
        return float(data["lease_s"])

    def close(self) -> None:
        """End the server session (idempotent; never raises, the lease reaps it otherwise)."""
        session_id, self.session_id = self.session_id, None
        self._closed, self._needs_reset = True, True
        if session_id is None:
            return
        try:
            _sync_pool(self.url, self.timeout_s).delete(
                f"/sessions/{session_id}", timeout=10, headers=self._headers
            )
        except Exception:
            pass

    def __repr__(self) -> str:
        return f"<RemoteEnv {self.env_id} at {self.url}>"
