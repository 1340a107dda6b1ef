"""Policies: what produces actions in a rollout.

`Policy.act(conversation, tools, env=None) -> Action` is the whole contract; policies that call a
model over the network implement it natively async.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gymhub.errors import GymhubError
from gymhub.types import Action, Message, ToolCall, ToolSpec

if TYPE_CHECKING:
    from gymhub.env import Env


class PolicyError(GymhubError, RuntimeError):
    """The policy could not produce an action (e.g. the model endpoint failed)."""


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
        self.actions = list(actions or [])
        self.fn = fn

    async def act(
        self, conversation: list[Message], tools: list[ToolSpec], env: Env | None = None
    ) -> Action:
        if self.fn is not None:
            return Action.coerce(self.fn(conversation, tools))
        turn = sum(1 for m in conversation if m.role == "assistant")
        return Action.coerce(self.actions[turn % len(self.actions)])


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
    ) -> None:
        if not model:
            raise ValueError("OpenAIPolicy needs a model name")
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
        self._client: Any = None

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
        return body

    @staticmethod
    def parse_response(data: dict[str, Any]) -> Action:
        try:
            message = data["choices"][0]["message"]
        except (KeyError, IndexError, TypeError) as exc:
            raise PolicyError(f"malformed chat completion: {str(data)[:300]}") from exc
        calls = [
            ToolCall(
                id=c.get("id") or f"call_{i}",
                name=c["function"]["name"],
                arguments=c["function"].get("arguments") or "{}",
            )
            for i, c in enumerate(message.get("tool_calls") or [])
        ]
        return Action(content=message.get("content") or "", tool_calls=calls or None)

    async def act(
        self, conversation: list[Message], tools: list[ToolSpec], env: Env | None = None
    ) -> Action:
        import httpx

        body = self.request_body(conversation, tools)
        delay = 0.5
        for attempt in range(self.max_retries + 1):
            try:
                response = await self._http().post("/chat/completions", json=body)
            except httpx.TransportError as exc:
                if attempt == self.max_retries:
                    raise PolicyError(f"cannot reach {self.base_url}: {exc}") from exc
            else:
                if response.status_code == 200:
                    return self.parse_response(response.json())
                retryable = response.status_code in (408, 429, 500, 502, 503, 504)
                if not retryable or attempt == self.max_retries:
                    raise PolicyError(
                        f"{self.base_url} answered {response.status_code}: {response.text[:300]}"
                    )
            await asyncio.sleep(delay)
            delay *= 2
        raise PolicyError("unreachable")

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
