"""Policies: what produces actions in a rollout.

`Policy.act(conversation, tools, env=None) -> Action` is the whole contract; policies that call a
model over the network implement it natively async.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import json
import math
import os
import random
import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gymhub.errors import GymhubError
from gymhub.types import Action, Message, ToolCall, ToolSpec

if TYPE_CHECKING:
    from gymhub.env import Env


RETRYABLE_STATUS = (408, 409, 429, 500, 502, 503, 504)
#: a choice's `finish_reason` saying the server, not the model, ended the generation
SERVER_FINISH_REASONS = ("error", "abort")
#: the statuses and wordings servers refuse a conversation too long for the model with (OpenAI
#: and vLLM "maximum context length", `context_length_exceeded`; SGLang "longer than the model's
#: context length"; llama.cpp "exceeds the available context size"; TGI "`inputs` tokens +
#: `max_new_tokens` must be <= N")
CONTEXT_LENGTH_STATUS = (400, 413, 422)
_CONTEXT_LENGTH = re.compile(
    r"context[ _-]?length|context (?:size|window)|prompt is too long|input is too long"
    r"|inputs`? tokens \+ `?max_new_tokens",
    re.IGNORECASE,
)

#: which sample of its task the episode being played is (0 .. samples-1); the evaluation runner
#: sets it per episode, so a seeded policy draws a different, reproducible seed for each sample
SAMPLE_INDEX: contextvars.ContextVar[int] = contextvars.ContextVar("gymhub_sample", default=0)


class QueueClock:
    """Seconds one policy call waited for a client-side slot (the rate limit's pace, a free
    concurrent-request slot). An evaluation's call deadline leaves them out: the hub's own
    queue is not the endpoint being slow, and a run with `requests_per_s` or
    `max_concurrent_requests` set failed its later calls as timeouts, out of the scores."""

    __slots__ = ("queued_s", "_since")

    def __init__(self) -> None:
        self.queued_s = 0.0
        self._since: float | None = None

    def start(self) -> None:
        self._since = time.monotonic()

    def stop(self) -> None:
        if self._since is not None:
            self.queued_s += time.monotonic() - self._since
            self._since = None

    def total(self) -> float:
        """Seconds queued so far, a wait in progress included."""
        waiting = time.monotonic() - self._since if self._since is not None else 0.0
        return self.queued_s + waiting


#: the clock of the policy call in progress (set by the evaluation around each call)
CALL_QUEUE: contextvars.ContextVar[QueueClock | None] = contextvars.ContextVar(
    "gymhub_call_queue", default=None
)
_SEED_LIMIT = 2**31  # endpoints take a signed 32-bit seed at least (vLLM, SGLang, OpenAI)


def _retry_after(response: Any) -> float | None:
    """Seconds from a Retry-After header (capped at a minute), if the server sent one."""
    value = response.headers.get("retry-after")
    try:
        seconds = float(value) if value is not None else None
    except ValueError:  # an HTTP date, or garbage: the policy's own backoff
        return None
    if seconds is None or math.isnan(seconds):  # NaN made asyncio.sleep wait forever
        return None
    return min(max(seconds, 0.0), 60.0)


class PolicyError(GymhubError, RuntimeError):
    """The policy could not produce an action (e.g. the model endpoint failed)."""


class UnusableReplyError(PolicyError):
    """The model replied, but with something that cannot become an action (a tool call without
    a function name, a number as content): the policy's own answer, scored unparseable."""


class ContextLengthError(PolicyError):
    """The server refused the conversation as longer than the model's context: the episode's
    own length (its turns and the env's observations), not the server failing. The episode ends
    truncated (`truncation="context_length"`) and is scored like any truncated one; left out of
    the scores, an agent that outgrows its context would look better than one that answers."""


def _completion_message(data: Any) -> Any:
    """The first choice's message of a chat completion body; PolicyError when the body is none
    (the server failed: the model said nothing that could be scored)."""
    if not isinstance(data, dict):
        raise PolicyError(f"the reply is not a chat completion object: {str(data)[:300]}")
    if data.get("error"):
        raise PolicyError(f"the server answered an error: {str(data['error'])[:300]}")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices:
        raise PolicyError(f"the reply has no choices: {str(data)[:300]}")
    choice = choices[0]
    if isinstance(choice, dict) and (
        choice.get("error") or choice.get("finish_reason") in SERVER_FINISH_REASONS
    ):  # the generation failed on the server (OpenRouter's upstream error, vLLM's abort)
        raise PolicyError(
            f"the server failed the generation (finish_reason {choice.get('finish_reason')!r}): "
            f"{str(choice.get('error') or data)[:300]}"
        )
    message = choice.get("message") if isinstance(choice, dict) else None
    if message is None:
        raise PolicyError(f"the reply's first choice has no message: {str(data)[:300]}")
    return message  # a message that is no object is the model's malformed output: read on


class Policy:
    """Produces the next action from the conversation so far."""

    name: str = "policy"

    async def act(
        self, conversation: list[Message], tools: list[ToolSpec], env: Env | None = None
    ) -> Action:
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release connections; the default has none."""


class ReferencePolicy(Policy):
    """Plays each env's `reference_action()`: the gold answer, solver or scripted steps."""

    name = "reference"

    async def act(
        self, conversation: list[Message], tools: list[ToolSpec], env: Env | None = None
    ) -> Action:
        if env is None:
            raise PolicyError("ReferencePolicy needs the env to ask for its reference action")
        action = env.reference_action()
        if action is None:
            raise PolicyError(f"{env.env_id or env!r} has no reference action in this state")
        return action


class ScriptedPolicy(Policy):
    """Replays fixed actions in order (cycling), or calls `fn(conversation, tools)`."""

    name = "scripted"

    def __init__(
        self,
        actions: Sequence[Action | str] | None = None,
        fn: Callable[[list[Message], list[ToolSpec]], Action | str] | None = None,
    ) -> None:
        if (actions is None) == (fn is None):
            raise ValueError("give exactly one of `actions` or `fn`")
        if actions is not None and not actions:
            raise ValueError("`actions` must not be empty")
        if isinstance(actions, (str, bytes)):
            raise TypeError("`actions` is a list of actions; wrap one text in a list")
        # the script is checked once here (TypeError naming the bad action), not at every turn
        self.actions = [Action.coerce(a) for a in actions or []]
        self.fn = fn

    async def act(
        self, conversation: list[Message], tools: list[ToolSpec], env: Env | None = None
    ) -> Action:
        if self.fn is not None:
            reply = self.fn(conversation, tools)
            try:
                return Action.coerce(reply)
            except TypeError as exc:  # what `fn` (the model it stands for) replied: scored
                raise UnusableReplyError(f"the scripted reply is no action: {exc}") from exc
        turn = sum(1 for m in conversation if m.role == "assistant")
        return self.actions[turn % len(self.actions)].model_copy(deep=True)  # one per turn


class OpenAIPolicy(Policy):
    """Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, SGLang, llama.cpp, ...).

    One `httpx.AsyncClient` (connection pool) is shared by every episode using this policy.
    """

    name = "openai"

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        temperature: float = 0.0,
        max_tokens: int | None = 1024,
        timeout_s: float = 120.0,
        max_retries: int = 3,
        extra_body: dict[str, Any] | None = None,
        requests_per_s: float | None = None,
        max_concurrent_requests: int | None = None,
        backoff_s: float = 0.5,
        seed: int | None = None,
    ) -> None:
        if not model:
            raise ValueError("OpenAIPolicy needs a model name")
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < _SEED_LIMIT
        ):
            raise ValueError(
                f"seed must be an int from 0 to {_SEED_LIMIT - 1} or None, got {seed!r}"
            )
        if (extra_body or {}).get("stream"):  # an SSE body is no chat completion: every call
            raise ValueError(  # would fail after its retries
                "OpenAIPolicy reads whole chat completions: extra_body['stream'] is not supported"
            )
        if seed is not None and "seed" in (extra_body or {}):
            raise ValueError("give the sampling seed once: seed= or extra_body['seed'], not both")
        if requests_per_s is not None and not requests_per_s > 0:
            raise ValueError(f"requests_per_s must be > 0, got {requests_per_s}")
        if max_concurrent_requests is not None and max_concurrent_requests < 1:
            raise ValueError(f"max_concurrent_requests must be >= 1, got {max_concurrent_requests}")
        if max_retries < 0 or not timeout_s > 0:
            raise ValueError("max_retries must be >= 0 and timeout_s > 0")
        if not (isinstance(backoff_s, (int, float)) and 0 <= backoff_s < math.inf):
            raise ValueError(f"backoff_s must be a finite number >= 0, got {backoff_s!r}")
        self.model = model
        self.base_url = (
            base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        ).rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY", "")
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.extra_body = dict(extra_body or {})
        self.requests_per_s = requests_per_s
        self.max_concurrent_requests = max_concurrent_requests
        self.backoff_s = backoff_s
        self.seed = seed
        self.requests = 0  # HTTP requests sent, retries included
        self._client: Any = None
        self._slots: asyncio.Semaphore | None = None
        self._next_start = 0.0
        self._pace_lock: asyncio.Lock | None = None

    def sampling(self) -> dict[str, Any]:
        """The sampling parameters, for provenance records."""
        return {
            "model": self.model,
            "base_url": self.base_url,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            **({"seed": self.seed} if self.seed is not None else {}),
            **self.extra_body,
        }

    def request_seed(self, body: dict[str, Any]) -> int | None:
        """The seed one request carries: drawn from `seed`, the episode's sample index and the
        request itself (model, messages, tools), so the k samples of a task differ (a single
        seed on every request makes them one sample repeated, and pass@k equal to pass@1) while
        a rerun sends each request the same seed. None without `seed`."""
        if self.seed is None:
            return None
        digest = hashlib.blake2b(digest_size=8)
        digest.update(f"{self.seed}|{SAMPLE_INDEX.get()}|".encode())
        digest.update(json.dumps(body, sort_keys=True, default=str).encode("utf-8", "replace"))
        return int.from_bytes(digest.digest(), "big") % _SEED_LIMIT

    async def _pace(self) -> None:
        """Space request starts `1 / requests_per_s` apart (a client-side rate limit)."""
        if self.requests_per_s is None:
            return
        if self._pace_lock is None:
            self._pace_lock = asyncio.Lock()
        async with self._pace_lock:
            loop = asyncio.get_running_loop()
            wait = self._next_start - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_start = max(loop.time(), self._next_start) + 1.0 / self.requests_per_s

    async def _post(self, body: dict[str, Any]) -> Any:
        if self.max_concurrent_requests is not None and self._slots is None:
            self._slots = asyncio.Semaphore(self.max_concurrent_requests)
        slots, clock = self._slots, CALL_QUEUE.get()
        if clock is not None:
            clock.start()  # waiting for the pace and a slot: the hub's queue, not the endpoint
        try:
            await self._pace()
            if slots is not None:
                await slots.acquire()
        finally:
            if clock is not None:
                clock.stop()
        self.requests += 1
        try:
            return await self._http().post("/chat/completions", json=body)
        finally:
            if slots is not None:
                slots.release()

    def _http(self) -> Any:
        if self._client is None:
            import httpx

            headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                headers=headers,
                timeout=self.timeout_s,
                limits=httpx.Limits(max_connections=256, max_keepalive_connections=64),
            )
        return self._client

    def request_body(self, conversation: list[Message], tools: list[ToolSpec]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [m.to_openai() for m in conversation],
            "temperature": self.temperature,
            **self.extra_body,
        }
        if self.max_tokens is not None:
            body["max_tokens"] = self.max_tokens
        if tools:
            body["tools"] = [t.to_openai() for t in tools]
        seed = self.request_seed(body)
        if seed is not None:
            body["seed"] = seed
        return body

    @staticmethod
    def parse_response(data: dict[str, Any]) -> Action:
        """The completion's first choice as an Action.

        A body that is no chat completion (not an object, an `{"error": ...}` body, no or empty
        `choices`, a choice without a message, a choice carrying an `error` or ending with
        `finish_reason` "error" or "abort") is the server's failure: `PolicyError`, which an
        evaluation leaves out of the scores. A message that cannot become an action (a tool call
        without a function name, a number as content) is the model's malformed output:
        `UnusableReplyError`, the policy's failure, scored unparseable."""
        message = _completion_message(data)
        try:
            calls = [
                ToolCall(
                    id=c.get("id") or f"call_{i}",
                    name=c["function"]["name"],
                    arguments=c["function"].get("arguments") or "{}",
                )
                for i, c in enumerate(message.get("tool_calls") or [])
            ]
            return Action(content=message.get("content") or "", tool_calls=calls or None)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
            raise UnusableReplyError(
                f"malformed chat completion ({type(exc).__name__}): {str(data)[:300]}"
            ) from exc

    async def act(
        self, conversation: list[Message], tools: list[ToolSpec], env: Env | None = None
    ) -> Action:
        import httpx

        body = self.request_body(conversation, tools)
        delay = self.backoff_s
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                response = await self._post(body)
            except (httpx.TransportError, httpx.DecodingError) as exc:  # timeouts, a body cut
                # short, a compressed body that does not decode: the connection or server failed
                if last:
                    raise PolicyError(
                        f"cannot reach {self.base_url} after {attempt + 1} tries: "
                        f"{type(exc).__name__}: {exc}"
                    ) from exc
                wait = delay
            else:
                if response.status_code == 200:
                    # a body that is no completion (not JSON, an error object, no choices) is
                    # a server or proxy failing, retried like a 5xx
                    try:
                        return self.parse_response(response.json())
                    except UnusableReplyError:
                        raise
                    except (ValueError, PolicyError) as exc:
                        if last:
                            raise PolicyError(
                                f"{self.base_url} answered 200 without a chat completion after "
                                f"{attempt + 1} tries: {str(exc)[:300]}"
                            ) from exc
                        wait = delay
                else:
                    if response.status_code in CONTEXT_LENGTH_STATUS and _CONTEXT_LENGTH.search(
                        response.text[:4000]
                    ):
                        raise ContextLengthError(
                            f"{self.base_url} refused the conversation as too long for the "
                            f"model ({response.status_code}): {response.text[:300]}"
                        )
                    retryable = response.status_code in RETRYABLE_STATUS
                    if not retryable or last:
                        raise PolicyError(
                            f"{self.base_url} answered {response.status_code} after "
                            f"{attempt + 1} tries: {response.text[:300]}"
                        )
                    wait = _retry_after(response) or delay
            await asyncio.sleep(wait * (1 + 0.1 * random.random()))
            delay = min(delay * 2, 60.0)
        raise PolicyError("unreachable")

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
