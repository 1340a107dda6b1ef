"""A request-body cap for gymhub's HTTP apps (the env server and the reward server): a body over
the limit gets 413 before it is read into memory, whether its length is declared or streamed.
A route may have its own, higher limit (OpenRLHF's `/get_reward`, whose body is a batch of the
policy's generations): such a route reads its large bodies a few at a time (`read_large_body`),
so their bytes are counted as they stream in, never buffered here ahead of its turn."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from starlette.types import ASGIApp, Scope

from gymhub.server.errors import error_body

T = TypeVar("T")

#: the body limit of the routes whose body is the policy's text (OpenRLHF's `/get_reward`, NeMo
#: Gym's `/verify`, OpenEnv's stateless `/step`; `--max-body-bytes` when that is higher): a long
#: generation, or a batch of them, must be scored, not refused
POLICY_BODY_BYTES = 64 * 1024 * 1024
#: bodies over `--max-body-bytes` one such route reads and parses at once; the others wait their
#: turn, so that big bodies arriving together hold a bounded amount of memory
LARGE_BODIES_AT_ONCE = 2
#: a reply longer than this is the policy's over-long answer, scored with the verifier's failing
#: reward without being played (far above any env's own cap on an action's length)
MAX_REPLY_CHARS = 1_000_000


class BodyTooLarge(BaseException):
    """A streamed body passed its route's limit while the route read it. A BaseException, so a
    route's broad `except Exception` cannot answer it as its own error: `BodyLimit` answers 413."""


async def read_large_body(
    request: Any, parse: Callable[[bytes], T], small: int, slots: asyncio.Semaphore
) -> T:
    """`parse` of the request's body. A body over `small` bytes, or of undeclared length, is read
    while holding one of `slots` and parsed off the event loop (tens of MiB take a while): the
    routes with a limit of their own take a few such bodies at a time, so memory stays bounded
    however many arrive together."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) <= small:
        return parse(await request.body())
    async with slots:
        return await asyncio.to_thread(parse, await request.body())


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
        if scope.get("path", "") in self.routes:  # it reads its bodies in turn: count them
            return await self._counted(scope, receive, send, limit)
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

    async def _counted(self, scope: Scope, receive: Any, send: Any, limit: int) -> None:
        """Pass a streamed body through to the route, counting it: past `limit` the route's read
        stops (`BodyTooLarge`) and the answer is 413."""
        size, started = 0, False

        async def counting() -> dict:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    raise BodyTooLarge
            return message

        async def tracking(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except BodyTooLarge:
            if not started:
                await self._reject(send, limit)

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
