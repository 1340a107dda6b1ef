"""The WebSocket transport: the same operations as the HTTP routes, one JSON message each way.

Request: `{"id": any, "op": "create"|"reset"|"step"|"reference"|"close"|"heartbeat", ...}` with the
fields of the matching HTTP body (`session_id` for everything but create). Answer: `{"id": same,
"ok": true, "result": {...}}` or `{"id": same, "ok": false, "error": {"status", "type",
"message"}}` (503s add `retry_after_s`). Sessions created on a socket outlive it by the disconnect
grace period (so a client can reconnect and retry), then the reaper closes them; leases apply
too, so a half-open socket can never pin capacity. Operations under way when a socket drops run
to their end and their answers are cached: a retry on a new socket gets that answer.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import FastAPI, Response, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from gymhub.server import models
from gymhub.server.errors import (
    CLIENT_ERRORS,
    ServerError,
    clip,
    describe,
    echo,
    error_body,
    status_of,
    validation_problems,
)
from gymhub.server.sessions import SessionManager

_MAX_IN_FLIGHT = 64  # concurrent operations per socket (many sessions may share one socket)
_WS_RETRY_AFTER_S = 2  # a socket refused for the socket limit: sockets free up quickly
_IN_FLIGHT_BODIES = 2  # bytes in flight per socket: this many messages of the largest size
_ENCODER = json.JSONEncoder(default=str, separators=(",", ":"))  # built once, not per message
_STEP_KEYS = frozenset(("op", "id", "session_id", "action", "request_id"))
_MAX_REQUEST_ID = 128  # as models.REQUEST_ID


async def _dispatch(manager: SessionManager, msg: dict[str, Any], owner: object) -> dict[str, Any]:
    op = msg.get("op")
    session_id = msg.get("session_id")
    if op == "step" and isinstance(session_id, str):
        # The hot path: a plain-string action needs no pydantic model (the same checks, inline;
        # anything else goes through models.StepSession below and is validated in full).
        action, request_id = msg.get("action"), msg.get("request_id")
        if (
            type(action) is str
            and (
                request_id is None
                or (type(request_id) is str and 0 < len(request_id) <= _MAX_REQUEST_ID)
            )
            and msg.keys() <= _STEP_KEYS
        ):
            return await manager.step(session_id, action, request_id=request_id, owner=owner)
    body = {k: v for k, v in msg.items() if k not in ("op", "id", "session_id")}
    if op == "create":
        req = models.CreateSession.model_validate(body)
        return await manager.create(
            req.env_id, seed=req.seed, options=req.options, request_id=req.request_id, owner=owner
        )
    if not isinstance(session_id, str):
        raise ServerError(422, "invalid_request", f"op {echo(op)} needs a string 'session_id'")
    if op == "reset":
        r = models.ResetSession.model_validate(body)
        return await manager.reset(
            session_id, seed=r.seed, options=r.options, request_id=r.request_id, owner=owner
        )
    if op == "step":
        s = models.StepSession.model_validate(body)
        return await manager.step(session_id, s.action, request_id=s.request_id, owner=owner)
    if op == "reference":
        return await manager.reference(session_id)
    if op == "close":
        await manager.close(session_id)
        return {"session_id": session_id, "closed": True}
    if op == "heartbeat":
        return {"session_id": session_id, "lease_s": manager.touch(session_id)}
    raise ServerError(
        422,
        "invalid_request",
        f"unknown op {echo(op)}; one of create reset step reference close heartbeat",
    )


def _error(status: int, type_: str, message: str) -> dict[str, Any]:
    return {"status": status, "type": type_, "message": clip(message)}


async def _handle(manager: SessionManager, raw: str | bytes, owner: object) -> dict[str, Any]:
    msg_id: Any = None
    op: Any = None
    try:
        if len(raw) > manager.config.max_body_bytes:
            raise ServerError(413, "payload_too_large", "message too large")
        try:
            msg = json.loads(_decoded(raw))
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly nested JSON
            message = f"the message is not valid JSON: {str(exc)[:500]}"
            raise ServerError(422, "invalid_request", message) from None
        if not isinstance(msg, dict):
            raise ServerError(422, "invalid_request", "a message must be a JSON object")
        msg_id, op = msg.get("id"), msg.get("op")
        result = await _dispatch(manager, msg, owner)
        return {"id": msg_id, "ok": True, "result": result}
    except ServerError as exc:
        err = _error(exc.status, exc.type, exc.message)
        if "Retry-After" in exc.headers:
            err["retry_after_s"] = int(exc.headers["Retry-After"])
    except ValidationError as exc:
        err = _error(422, "invalid_request", validation_problems(exc))
    except json.JSONDecodeError as exc:
        err = _error(422, "invalid_request", str(exc)[:2000])
    except CLIENT_ERRORS as exc:
        during = "reset" if op in ("create", "reset") else "step"
        status, type_ = status_of(exc, during=during)
        err = _error(422 if status == 500 else status, type_, describe(exc, during=during))
    except Exception as exc:
        err = _error(500, "env_error", f"environment raised {exc!r}")
    manager.metrics.error(err["status"], err["type"])
    return {"id": msg_id, "ok": False, "error": err}


class _ByteBudget:
    """Bytes of the messages a socket has in flight, at most `limit` (one message may exceed
    it alone): 64 operations of the largest size a server takes would hold gigabytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used = limit, 0
        self._freed = asyncio.Event()

    async def acquire(self, size: int) -> None:
        while self.used and self.used + size > self.limit:
            self._freed.clear()
            await self._freed.wait()
        self.used += size

    def release(self, size: int) -> None:
        self.used -= size
        self._freed.set()


def _text_of(message: dict[str, Any]) -> str | bytes:
    """The text of a frame, or the bytes of a binary one (read as UTF-8 JSON by `_handle`)."""
    raw = message.get("text")
    return raw if raw is not None else message.get("bytes") or b""


def _decoded(raw: str | bytes) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte 0x{raw[exc.start]:02x} at offset {exc.start}"
        raise ServerError(422, "invalid_request", f"the message is not UTF-8 ({where})") from None


def add_websocket_route(app: FastAPI, manager: SessionManager) -> None:
    budget_bytes = _IN_FLIGHT_BODIES * manager.config.max_body_bytes

    open_sockets = 0

    @app.websocket("/ws")
    async def ws_endpoint(ws: WebSocket) -> None:
        nonlocal open_sockets
        if open_sockets >= manager.config.max_websockets:
            return await refuse_websocket(ws, manager)
        open_sockets += 1
        try:
            await _serve(ws, manager, budget_bytes)
        finally:
            open_sockets -= 1


async def refuse_websocket(ws: WebSocket, manager: SessionManager) -> None:
    """Answer the handshake with 503 and Retry-After: every socket costs a file descriptor and
    memory, and a client that opens them without end would leave none for anyone else."""
    limit = manager.config.max_websockets
    message = f"the server holds its maximum of {limit} WebSockets; retry later or share sockets"
    manager.metrics.error(503, "too_many_websockets")
    await ws.send_denial_response(
        Response(
            error_body(503, "too_many_websockets", message),
            status_code=503,
            media_type="application/json",
            headers={"Retry-After": str(_WS_RETRY_AFTER_S)},
        )
    )


async def _serve(ws: WebSocket, manager: SessionManager, budget_bytes: int) -> None:
    """One socket: read messages, run each as a task, answer as they finish."""
    await ws.accept()
    owner = object()
    send_lock = asyncio.Lock()
    slots = asyncio.Semaphore(_MAX_IN_FLIGHT)
    budget = _ByteBudget(budget_bytes)
    tasks: set[asyncio.Task[None]] = set()

    async def run(raw: str | bytes) -> None:
        try:
            answer = await _handle(manager, raw, owner)
            async with send_lock:
                await ws.send_text(_ENCODER.encode(answer))
        except Exception:
            pass  # the socket went away; its sessions are closed below
        finally:
            budget.release(len(raw))
            slots.release()

    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            raw = _text_of(message)
            await budget.acquire(len(raw))  # reading stops meanwhile: TCP backpressure
            await slots.acquire()
            task = asyncio.get_running_loop().create_task(run(raw))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        # Calls under way are not cancelled: each finishes under its session's lock and
        # caches its answer for a retry. Sessions opened here get the grace period.
        manager.orphan_owned_by(owner)
