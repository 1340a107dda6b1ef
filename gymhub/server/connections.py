"""Connections that stall are closed: slow headers, slow bodies, and peers that stop reading.

uvicorn's `timeout_keep_alive` only covers the idle time between requests. Without more, a client
holds a connection (its memory, a task, a file descriptor) forever by

- sending a header line now and then (slowloris), or a body a byte at a time;
- never reading what the server writes: the send waits for the socket to drain, which never
  happens, and uvicorn's close after a missed WebSocket ping waits for that same drain.

The HTTP protocol class here arms a timer when a request begins (a new connection, or data on a
connection between requests): its headers must arrive within `header_timeout_s` and its whole
body within `body_timeout_s` of its first byte. Both protocol classes (HTTP and WebSocket) abort
a connection whose writes stay paused (the peer's buffers full) for `write_timeout_s`.
"""

from __future__ import annotations

import asyncio
import codecs
import time
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class _WriteDeadline:
    """Mixin: abort the connection when writing stays paused for `write_timeout_s`."""

    write_timeout_s: float = 30.0
    transport: asyncio.Transport
    _write_timer: asyncio.TimerHandle | None = None

    def pause_writing(self) -> None:
        super().pause_writing()  # type: ignore[misc]
        if self._write_timer is None:
            loop = asyncio.get_running_loop()
            self._write_timer = loop.call_later(self.write_timeout_s, self._write_stalled)

    def resume_writing(self) -> None:
        self._cancel_write_timer()
        super().resume_writing()  # type: ignore[misc]

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_write_timer()
        super().connection_lost(exc)  # type: ignore[misc]

    def _cancel_write_timer(self) -> None:
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None

    def _write_stalled(self) -> None:
        self._write_timer = None
        if self.transport.get_protocol() is self:  # not handed to a WebSocket meanwhile
            self.transport.abort()  # close() would wait for a drain that never comes


class _RequestDeadline:
    """Mixin over uvicorn's HTTP protocol; the timeouts are set per server by `protocol_with`.

    One timer per request: armed when a request begins, it closes the connection if the header
    block is still incomplete `header_timeout_s` later, or the body `body_timeout_s` after the
    request's first byte."""

    header_timeout_s: float = 10.0
    body_timeout_s: float = 60.0
    cycle: Any
    transport: asyncio.Transport
    _header_timer: asyncio.TimerHandle | None = None
    _armed_for: Any = None  # the cycle that was current when the timer was armed
    _reading_body = False
    _request_started = 0.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def data_received(self, data: bytes) -> None:
        between_requests = self.cycle is None or self.cycle.response_complete
        if between_requests and (
            self._header_timer is None or self._armed_for is not self.cycle or self._reading_body
        ):
            self._arm()  # a new request starts, with its own deadline
        super().data_received(data)  # type: ignore[misc]

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)  # type: ignore[misc]

    def _cancel(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _arm(self) -> None:
        self._cancel()
        self._armed_for, self._reading_body = self.cycle, False
        self._request_started = time.monotonic()
        loop = asyncio.get_running_loop()
        self._header_timer = loop.call_later(self.header_timeout_s, self._expire)

    def _expire(self) -> None:
        self._header_timer = None
        if self.transport.get_protocol() is not self or self.transport.is_closing():
            return  # upgraded to a WebSocket, or closing anyway
        cycle = self.cycle
        if cycle is self._armed_for and not self._reading_body:
            self.transport.close()  # no complete header block since the request began
            return
        if cycle is None or cycle.response_complete or not cycle.more_body:
            return  # the whole request is in: the app's time is not the client's
        left = self._request_started + self.body_timeout_s - time.monotonic()
        if left <= 0:
            self.transport.close()  # the body is still trickling in
            return
        self._armed_for, self._reading_body = cycle, True
        self._header_timer = asyncio.get_running_loop().call_later(left, self._expire)


def protocol_with(
    header_timeout_s: float, body_timeout_s: float = 60.0, write_timeout_s: float = 30.0
) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol class, closing connections that stall (see the module doc)."""
    return type(
        "DeadlineHTTPProtocol",
        (_WriteDeadline, _RequestDeadline, AutoHTTPProtocol),
        {
            "header_timeout_s": header_timeout_s,
            "body_timeout_s": max(body_timeout_s, header_timeout_s),
            "write_timeout_s": write_timeout_s,
        },
    )


def _is_utf8(frames: list[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for frame in frames:
            decoder.decode(frame)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class _WebSocketDeadlines(_WriteDeadline):
    """Mixin over uvicorn's WebSocket protocol. A missed keepalive ping aborts the connection: uvicorn's close waits for the peer to
    drain what is buffered, which a peer that stopped reading never does. Answers for a peer
    that is gone are not written: asyncio logs a warning for every write to a lost connection
    (one per answer in flight, 64 per socket)."""

    transport: asyncio.Transport
    conn: Any  # the websockets protocol state
    frames: list[bytes]
    curr_msg_data_type: str
    close_sent: bool

    def keepalive_timeout(self) -> None:
        super().keepalive_timeout()  # type: ignore[misc]
        self.transport.abort()

    async def send(self, message: Any) -> None:
        if message["type"] == "websocket.send" and self.transport.is_closing():
            raise ClientDisconnected()
        await super().send(message)  # type: ignore[misc]

    def send_receive_event_to_app(self) -> None:
        """A text message that is not UTF-8 closes the socket with 1007, as uvicorn does, but
        without the traceback uvicorn logs for it: one per connection a client opens."""
        if self.curr_msg_data_type == "text" and not self.close_sent and not _is_utf8(self.frames):
            self.frames = []
            self.conn.send_close(1007, "the message is not UTF-8")
            self.handle_parser_exception()
            return
        super().send_receive_event_to_app()  # type: ignore[misc]


def websocket_protocol_with(write_timeout_s: float) -> type[asyncio.Protocol]:
    """uvicorn's WebSocket protocol class, aborting peers that stop reading."""
    return type(
        "DeadlineWebSocketProtocol",
        (_WebSocketDeadlines, WebSocketsSansIOProtocol),
        {"write_timeout_s": write_timeout_s},
    )
