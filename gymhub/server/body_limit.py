"""A request-body cap for gymhub's HTTP apps (the env server and the reward server): a body over
the limit gets 413 before it is read into memory, whether its length is declared or streamed.
A route may have its own, higher limit (OpenRLHF's `/get_reward`, whose body is a batch of the
policy's generations)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.types import ASGIApp, Scope

from gymhub.server.errors import error_body


class BodyLimit:
    """Pure-ASGI middleware answering 413 for bodies over `limit` bytes, declared or streamed.

    `routes` maps a path to its own limit; it is read at each request, so that routes added
    after the middleware (another hub's protocol) can set theirs."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        on_reject: Callable[[], None],
        routes: Mapping[str, int] | None = None,
    ) -> None:
        self.app, self.limit, self.on_reject = app, limit, on_reject
        self.routes: Mapping[str, int] = routes if routes is not None else {}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.routes.get(scope.get("path", ""), self.limit)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = False
                if too_big:
                    return await self._reject(send, limit)
                return await self.app(scope, receive, send)  # the server enforces the length
        # No declared length (chunked): read it here, up to the limit, then replay it.
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, _replay([message], receive), send)
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                return await self._reject(send, limit)
            if not message.get("more_body", False):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], receive), send)

    async def _reject(self, send: Any, limit: int) -> None:
        self.on_reject()
        body = error_body(413, "payload_too_large", f"request body over {limit} bytes")
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _replay(messages: list[dict], receive: Any) -> Callable[[], Awaitable[dict]]:
    async def replayed() -> dict:
        return messages.pop(0) if messages else await receive()

    return replayed
