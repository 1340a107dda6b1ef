"""The WebSocket channels behind `RemoteEnv(..., transport="ws")`: its async resets, steps and
reference look-ups go over a few sockets shared by every RemoteEnv of an event loop, one JSON
message each way, matched by id. Much cheaper per step than an HTTP request on both ends.

Sessions are still created over HTTP, so they do not belong to a socket: a socket that drops
does not take its sessions with it, and a call lost with it is sent again on a new socket with
the same request id, which the server answers from its cache instead of stepping twice.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import weakref
from typing import Any

SOCKETS_PER_SERVER = 4  # the server runs up to 64 operations at once per socket


class ChannelClosed(ConnectionError):
    """The socket went away before the answer came (the call may or may not have run), or
    could not be opened; `retry_after_s` is the server's word on when to try again (a 503)."""

    retry_after_s: float | None = None


class ChannelRefused(PermissionError):
    """The server refused the handshake (401/403: no token or a wrong one); not worth a retry."""


class MessageTooLarge(ValueError):
    """The message is longer than the server takes: sent, it would close the socket (and fail
    every call in flight on it), so it is not sent."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the message is {size} bytes; the server takes at most {limit}")
        self.size, self.limit = size, limit


class Channel:
    """One WebSocket to a server's `/ws`, opened on first use and again after it drops."""

    def __init__(self, ws_url: str, max_size: int, headers: dict[str, str] | None = None) -> None:
        self.ws_url, self.max_size, self.headers = ws_url, max_size, headers
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._connecting = asyncio.Lock()
        self.assigned = 0  # RemoteEnvs that use this socket

    async def call(
        self, message: dict[str, Any], timeout_s: float, max_bytes: int | None = None
    ) -> dict[str, Any]:
        """Send one operation and wait for its answer (`{"ok": ..., "result"|"error": ...}`);
        `MessageTooLarge` when it is longer than `max_bytes` (the server's limit)."""
        msg_id = next(self._ids)
        data = json.dumps({**message, "id": msg_id})  # ASCII (ensure_ascii): chars are bytes
        if max_bytes is not None and len(data) > max_bytes:
            raise MessageTooLarge(len(data), max_bytes)
        ws = await self._connect(timeout_s)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        try:
            try:
                await ws.send(data)
            except Exception as exc:
                raise ChannelClosed(f"sending to {self.ws_url} failed: {exc!r}") from exc
            return await asyncio.wait_for(future, timeout_s)
        finally:
            self._pending.pop(msg_id, None)

    async def _connect(self, timeout_s: float) -> Any:
        if self._ws is not None:
            return self._ws
        async with self._connecting:
            if self._ws is None:
                from websockets.asyncio.client import connect

                try:
                    ws = await connect(
                        self.ws_url,
                        max_size=self.max_size,
                        open_timeout=timeout_s,
                        compression=None,
                        additional_headers=self.headers,
                    )
                except Exception as exc:  # refused, timed out, or not a gymhub server
                    response = getattr(exc, "response", None)
                    status = getattr(response, "status_code", None)
                    if status in (401, 403):
                        raise ChannelRefused(f"{self.ws_url} refused the handshake") from exc
                    closed = ChannelClosed(f"cannot open {self.ws_url}: {exc!r}")
                    closed.retry_after_s = _retry_after(response) if status == 503 else None
                    raise closed from exc
                self._ws = ws
                self._reader = asyncio.get_running_loop().create_task(self._read(ws))
        return self._ws

    async def _read(self, ws: Any) -> None:
        try:
            async for raw in ws:
                try:
                    answer = json.loads(raw)
                    future = self._pending.get(answer.get("id"))
                except Exception:
                    continue
                if future is not None and not future.done():
                    future.set_result(answer)
        except Exception:
            pass
        finally:
            if self._ws is ws:
                self._ws = None
            _abort(ws)  # cancelled when its event loop ends (asyncio.run): the socket goes too
            for future in list(self._pending.values()):
                if not future.done():
                    future.set_exception(ChannelClosed(f"{self.ws_url} closed the connection"))


def _retry_after(response: Any) -> float | None:
    """The Retry-After of a refused handshake (the server holds its most WebSockets)."""
    try:
        return min(float(response.headers["Retry-After"]), 30.0)
    except Exception:
        return None


def _abort(ws: Any) -> None:
    """Close the socket now. Without this, each `asyncio.run` that used a channel left its
    socket open in this process and on the server (which holds it until a ping goes
    unanswered), one more per run."""
    try:
        ws.transport.abort()
    except Exception:
        pass


_Key = tuple[str, tuple[tuple[str, str], ...]]
_channels: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[_Key, list[Channel]]] = (
    weakref.WeakKeyDictionary()
)


def channel_for(
    base_url: str, max_size: int = 2**26, headers: dict[str, str] | None = None
) -> Channel:
    """The least used of this event loop's sockets to `base_url` (http[s]://host:port) that
    send `headers` (the bearer token) with their handshake."""
    loop = asyncio.get_running_loop()
    by_url = _channels.setdefault(loop, {})
    key = (base_url, tuple(sorted((headers or {}).items())))
    channels = by_url.get(key)
    if channels is None:
        ws_url = "ws" + base_url[len("http") :] + "/ws"
        channels = by_url[key] = [
            Channel(ws_url, max_size, headers) for _ in range(SOCKETS_PER_SERVER)
        ]
    channel = min(channels, key=lambda c: c.assigned)
    channel.assigned += 1
    return channel
