"""Clients that stall a connection are cut off, on a real socket: a body that trickles in, and
peers (HTTP or WebSocket) that send requests but never read the answers. Before, each of them
held its connection, a task and the unsent answers in memory for as long as it liked."""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import struct
import time
from collections.abc import Iterator
from typing import Any

import gymnasium
import httpx
import pytest

from gymhub import registry
from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig
from gymhub.types import Message, Observation, Task
from tests.serving.conftest import SlowEnv

BIG_ID = "gymhubtest/BigObservation-v0"
BIG_CHARS = 256 * 1024


class BigObservationEnv(SlowEnv):
    """Every reset answers with a 256 KiB observation: answers pile up fast when nobody reads."""

    def _reset(self, options: dict[str, Any]) -> Observation:
        self.task = Task(id="big", answer="done")
        return Observation(messages=[Message(role="user", content="x" * BIG_CHARS)])


@pytest.fixture(scope="module")
def big_env() -> Iterator[str]:
    registry.register(BIG_ID, BigObservationEnv, family="test")
    yield BIG_ID
    registry._REGISTRY.pop(BIG_ID, None)
    gymnasium.registry.pop(BIG_ID, None)


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _cut_off_within(sock: socket.socket, seconds: float, max_bytes: int) -> bool:
    """True when the server closes or resets `sock` within `seconds`, having sent it less than
    `max_bytes` (reading a stalled socket would let a server that never gives up go on)."""
    deadline, received = time.monotonic() + seconds, 0
    while time.monotonic() < deadline and received < max_bytes:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            return True
        except TimeoutError:
            return False
        if not data:
            return True
        received += len(data)
    return False


def test_a_body_that_trickles_in_is_cut_off_and_a_slow_but_timely_one_is_not(big_env):
    config = ServerConfig(header_timeout_s=0.5, body_timeout_s=2.0)
    with ThreadServer([big_env], config) as srv:
        head = (
            b"POST /sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{"
        )
        trickle = socket.create_connection(("127.0.0.1", _port(srv.url)))
        trickle.sendall(head)
        start = time.monotonic()
        try:
            for _ in range(12):  # a byte now and then never resets the deadline
                time.sleep(0.25)
                trickle.sendall(b" ")
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert _cut_off_within(trickle, 5, 1)
        assert 1.5 < time.monotonic() - start < 6
        trickle.close()

        # a body sent in parts over longer than the header timeout, within the body's: served
        body = json.dumps({"env_id": big_env}).encode()
        timely = socket.create_connection(("127.0.0.1", _port(srv.url)))
        timely.sendall(head.replace(b"1000", str(len(body)).encode())[:-1])
        time.sleep(0.8)
        timely.sendall(body)
        timely.settimeout(5)
        assert timely.recv(100).startswith(b"HTTP/1.1 200")
        timely.close()


def _ws_connect(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a reader that barely reads
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(1)  # byte by byte: nothing past the handshake is read here
    assert b" 101 " in answer
    return sock


def _ws_frame(message: dict[str, Any]) -> bytes:
    payload, mask = json.dumps(message).encode(), os.urandom(4)
    assert len(payload) < 126
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return struct.pack("!BB", 0x81, 0x80 | len(payload)) + mask + masked


def _send_until_blocked(sock: socket.socket, data: bytes, times: int) -> None:
    sock.settimeout(2)
    try:
        for _ in range(times):
            sock.sendall(data)
    except (TimeoutError, BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading us (backpressure), or cut us off already


def test_a_websocket_peer_that_never_reads_is_aborted_and_its_session_closed(big_env):
    config = ServerConfig(write_timeout_s=1.0, disconnect_grace_s=0.2, idle_timeout_s=600)
    with ThreadServer([big_env], config) as srv:
        sock = _ws_connect(_port(srv.url))
        # ask for big answers without reading them; the server must not hold them for ever
        _send_until_blocked(sock, _ws_frame({"op": "create", "env_id": big_env, "id": 0}), 60)
        time.sleep(0.3)
        assert httpx.get(f"{srv.url}/health").json()["sessions"] > 1
        time.sleep(2.5)  # read nothing for longer than the write timeout
        assert _cut_off_within(sock, 5, 50 * BIG_CHARS)
        sock.close()
        # everyone else is served, and the socket's session is closed after the grace period
        assert httpx.get(f"{srv.url}/health").status_code == 200
        deadline = time.monotonic() + 5
        while httpx.get(f"{srv.url}/health").json()["sessions"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert httpx.get(f"{srv.url}/health").json()["sessions"] == 0


def test_an_http_peer_that_pipelines_requests_and_never_reads_is_aborted(big_env):
    with ThreadServer([big_env], ServerConfig(write_timeout_s=1.0)) as srv:
        sid = httpx.post(f"{srv.url}/sessions", json={"env_id": big_env}).json()["session_id"]
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", _port(srv.url)))
        request = (
            f"POST /sessions/{sid}/reset HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        ).encode()
        _send_until_blocked(sock, request, 200)
        time.sleep(2.5)  # read nothing for longer than the write timeout
        assert _cut_off_within(sock, 5, 50 * BIG_CHARS)
        sock.close()
        assert httpx.post(f"{srv.url}/sessions/{sid}/step", json={"action": "x"}).status_code == 200


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_answers_for_a_websocket_peer_that_reset_are_not_written_to_the_log(big_env):
    """A peer that sends 64 operations and resets its connection: every answer written after
    the reset was an asyncio warning ('socket.send() raised exception.'), 59 per socket."""
    warnings, logger = _Warnings(), logging.getLogger("asyncio")
    level = logger.level
    logger.addHandler(warnings)
    logger.setLevel(logging.WARNING)
    try:
        with ThreadServer([big_env]) as srv:
            for _ in range(3):
                sock = _ws_connect(_port(srv.url))
                frames = b"".join(
                    _ws_frame({"op": "heartbeat", "session_id": "x", "id": i}) for i in range(64)
                )
                sock.sendall(frames)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()  # with a zero linger time: a reset
            time.sleep(0.5)
            assert httpx.get(f"{srv.url}/health").status_code == 200
    finally:
        logger.removeHandler(warnings)
        logger.setLevel(level)
    assert not warnings.messages, f"{len(warnings.messages)} x {warnings.messages[0]!r}"


def test_a_text_message_that_is_not_utf8_closes_the_socket_without_a_traceback(big_env):
    """uvicorn closes such a socket with 1007 and logs a traceback for it: a client opening
    sockets to send one each could fill the server's log."""
    errors, logger = _Warnings(), logging.getLogger("uvicorn.error")
    with ThreadServer([big_env]) as srv:
        logger.addHandler(errors)  # after the server set up its logging, which drops handlers
        try:
            for _ in range(3):
                sock = _ws_connect(_port(srv.url))
                mask = os.urandom(4)
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(b'{"op": "\xff"}'))
                sock.sendall(struct.pack("!BB", 0x81, 0x80 | len(payload)) + mask + payload)
                sock.settimeout(5)
                close = sock.recv(100)
                assert close[0] == 0x88 and struct.unpack("!H", close[2:4])[0] == 1007
                sock.close()
            assert httpx.get(f"{srv.url}/health").status_code == 200
        finally:
            logger.removeHandler(errors)
    assert not errors.messages, errors.messages[0]
