"""`BodyLimit` on a route with a limit of its own: the body streams to the route, counted."""

from __future__ import annotations

import asyncio

from gymhub.server.body_limit import BodyLimit


def _run(path: str, parts: list[bytes], reads_body: bool) -> tuple[int, list[dict]]:
    """Messages the middleware pulled before the app started, and what it sent."""
    pulled, sent = 0, []
    messages = [
        {"type": "http.request", "body": part, "more_body": i + 1 < len(parts)}
        for i, part in enumerate(parts)
    ]

    async def receive() -> dict:
        nonlocal pulled
        pulled += 1
        return messages.pop(0)

    async def send(message: dict) -> None:
        sent.append(message)

    before_app = []

    async def app(scope, app_receive, app_send) -> None:
        before_app.append(pulled)
        if reads_body:
            while (await app_receive()).get("more_body"):
                pass
        await app_send({"type": "http.response.start", "status": 200, "headers": []})
        await app_send({"type": "http.response.body", "body": b"ok"})

    limit = BodyLimit(app, 10, on_reject=lambda: None, routes={"/big": 100})
    scope = {"type": "http", "path": path, "headers": []}  # no content-length: streamed
    asyncio.run(limit(scope, receive, send))
    return (before_app[0] if before_app else -1), sent


def test_a_route_with_its_own_limit_reads_its_streamed_body_itself():
    """The middleware buffered a streamed body whole (up to the route's limit) before the route
    could take its turn among the few large bodies read at once; it now passes it on unread."""
    before, sent = _run("/big", [b"x" * 40, b"x" * 40], reads_body=True)
    assert before == 0 and sent[0]["status"] == 200
    before, sent = _run("/other", [b"x" * 5, b"x" * 4], reads_body=True)
    assert before == 2 and sent[0]["status"] == 200  # the default limit still buffers


def test_a_streamed_body_over_the_routes_limit_is_413_while_the_route_reads():
    before, sent = _run("/big", [b"x" * 60, b"x" * 60], reads_body=True)
    assert before == 0 and sent[0]["status"] == 413
    _before, sent = _run("/other", [b"x" * 6, b"x" * 6], reads_body=True)
    assert sent[0]["status"] == 413
