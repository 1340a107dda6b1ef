"""Connections that never finish their request headers are closed (slowloris).

uvicorn's `timeout_keep_alive` only covers the idle time between requests: a client that opens a
connection and sends a header line now and then holds a connection (and its memory) forever. The
protocol class here arms a timer whenever a request may begin (a new connection, or data on a
connection between requests) and closes the connection if no complete header block has arrived
when it fires.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol


class _HeaderDeadline:
    """Mixin over uvicorn's HTTP protocol; `header_timeout_s` is set per server by `protocol_with`."""

    header_timeout_s: float = 10.0
    cycle: Any
    transport: asyncio.Transport
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._arm()  # data on an idle connection: a new request starts, with its own deadline
        super().data_received(data)  # type: ignore[misc]

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm(self) -> None:
        loop = asyncio.get_running_loop()
        self._header_timer = loop.call_later(self.header_timeout_s, self._expire, self.cycle)

    def _expire(self, cycle_when_armed: Any) -> None:
        self._header_timer = None
        if (
            self.cycle is cycle_when_armed
            and self.transport.get_protocol() is self  # not upgraded to a WebSocket meanwhile
            and not self.transport.is_closing()
        ):
            self.transport.close()  # still no complete header block since the timer was armed


def protocol_with(header_timeout_s: float) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol class, closing connections whose headers take too long."""
    return type(
        "HeaderDeadlineProtocol",
        (_HeaderDeadline, AutoHTTPProtocol),
        {"header_timeout_s": header_timeout_s},
    )
