"""`gymhub sandbox serve` against hostile clients, on a real socket: the token is checked before
a byte of the body is read, bodies are capped, every number is validated, client requests stay
under the server's ceilings, capacity is 503 with Retry-After, and a non-loopback bind without a
token is refused."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest
from typer.testing import CliRunner

from gymhub.errors import GymhubError
from gymhub.sandboxes import ExecRequest, ExecResult
from gymhub.sandboxes.server import ServerLimits, check_bind, create_app
from gymhub.sandboxes.types import Sandbox
from tests.conftest import serve_app

TOKEN = "hardening-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class _SlowEcho(Sandbox):
    """Echoes the command back; a run with stdin `block` waits until `release` is set (no real
    execution is needed for the HTTP checks)."""

    name = "echo"

    def __init__(self) -> None:
        self.runs = 0
        self.blocked = threading.Event()
        self.release = threading.Event()

    def run(self, request: ExecRequest) -> ExecResult:
        self.runs += 1
        if request.stdin_bytes() == b"block":
            self.blocked.set()
            self.release.wait(30)
        return ExecResult(status="ok", exit_code=0, stdout=" ".join(request.command))


@pytest.fixture(scope="module")
def served():
    sandbox = _SlowEcho()
    limits = ServerLimits(
        max_timeout_s=30, max_memory_mb=1024, max_disk_mb=128, max_output_bytes=1 << 20,
        max_body_bytes=64 * 1024,
    )  # fmt: skip
    app = create_app(sandbox, token=TOKEN, max_concurrency=1, limits=limits)
    with serve_app(app) as url:
        yield int(url.rsplit(":", 1)[1]), sandbox


def _raw(port: int, head: str, body: bytes = b"") -> str:
    """Send raw HTTP and return the status line and headers of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(head.encode() + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.decode("latin-1")


def test_token_is_checked_before_the_body_is_read(served):
    port, sandbox = served
    runs = sandbox.runs
    # 50 MB announced, not one byte sent: the 401 must come back anyway
    head = (
        "POST /run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 50000000\r\n\r\n"
    )
    start = time.monotonic()
    answer = _raw(port, head)
    assert answer.startswith("HTTP/1.1 401"), answer
    assert time.monotonic() - start < 3
    wrong = head.replace("Host: x\r\n", "Host: x\r\nAuthorization: Bearer nope\r\n")
    assert _raw(port, wrong).startswith("HTTP/1.1 401")
    assert sandbox.runs == runs


def test_body_size_is_capped(served):
    port, _ = served
    head = (
        f"POST /run HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Length: 50000000\r\n\r\n"
    )
    assert _raw(port, head).startswith("HTTP/1.1 413")
    # chunked, without a length: cut off while reading
    big = json.dumps({"command": ["echo"], "stdin_b64": "A" * 100_000}).encode()
    response = httpx.post(
        f"http://127.0.0.1:{port}/run",
        content=iter([big[i : i + 8192] for i in range(0, len(big), 8192)]),
        headers=AUTH,
    )
    assert response.status_code == 413, response.text


@pytest.mark.parametrize(
    "field,value",
    [
        ("timeout_s", "NaN"),
        ("timeout_s", "Infinity"),
        ("timeout_s", "-Infinity"),
        ("timeout_s", "-1"),
        ("timeout_s", "0"),
        ("cpu_time_s", "NaN"),
        ("cpu_time_s", "-5"),
        ("memory_mb", "-1"),
        ("memory_mb", "1e400"),
        ("memory_mb", "512.5"),
        ("disk_mb", "-64"),
        ("output_limit_bytes", "-1"),
        ("output_limit_bytes", "NaN"),
    ],
)
def test_every_number_is_validated(served, field, value):
    port, sandbox = served
    runs = sandbox.runs
    body = f'{{"command": ["echo"], "{field}": {value}}}'
    response = httpx.post(
        f"http://127.0.0.1:{port}/run",
        content=body,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, (body, response.text)
    assert sandbox.runs == runs


@pytest.mark.parametrize(
    "extra,ceiling",
    [
        ({"timeout_s": 31}, "timeout_s"),
        ({"timeout_s": 10, "cpu_time_s": 31}, "cpu_time_s"),
        ({"memory_mb": 2048}, "memory_mb"),
        ({"disk_mb": 256}, "disk_mb"),
        ({"output_limit_bytes": 2 << 20}, "output_limit_bytes"),
    ],
)
def test_server_ceilings(served, extra, ceiling):
    port, _ = served
    response = httpx.post(
        f"http://127.0.0.1:{port}/run", json={"command": ["echo"], **extra}, headers=AUTH
    )
    assert response.status_code == 422 and ceiling in response.text and "ceiling" in response.text


def test_malformed_bodies_are_422(served):
    port, _ = served
    for body in ("not json", "[1, 2]", '{"command": ["x"], "stdin_b64": "!!!"}', '{"command": []}',
                 '{"command": ["x"], "files_b64": {"../x": ""}}', '{"command": ["x"], "bogus": 1}'):  # fmt: skip
        response = httpx.post(f"http://127.0.0.1:{port}/run", content=body, headers=AUTH)
        assert response.status_code == 422, (body, response.text)


def test_a_good_request_runs_and_capacity_is_503(served):
    port, sandbox = served
    url = f"http://127.0.0.1:{port}/run"
    assert httpx.post(url, json={"command": ["hi"]}, headers=AUTH).json()["stdout"] == "hi"
    slow = ExecRequest(command=["slow"], stdin="block").to_wire()
    answers: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: answers.append(httpx.post(url, json=slow, headers=AUTH, timeout=60))
    )
    thread.start()
    try:
        assert sandbox.blocked.wait(30)  # the only slot is taken
        busy = httpx.post(url, json={"command": ["hi"]}, headers=AUTH)
    finally:
        sandbox.release.set()
        thread.join()
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert answers[0].status_code == 200


def test_non_loopback_bind_needs_a_token():
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        check_bind(host, None)
    for host in ("0.0.0.0", "::", "10.1.2.3", "example.org"):
        with pytest.raises(GymhubError, match="without a token"):
            check_bind(host, None)
        check_bind(host, "a-token")
        check_bind(host, None, allow_unauthenticated=True)


def test_cli_refuses_a_public_bind_without_a_token(tmp_path, monkeypatch):
    from gymhub.cli import app

    monkeypatch.delenv("GYMHUB_SANDBOX_TOKEN", raising=False)
    result = CliRunner().invoke(
        app, ["sandbox", "serve", "--backend", "local", "--host", "0.0.0.0"]
    )
    assert result.exit_code == 2 and "without a token" in result.output
    empty = tmp_path / "token"
    empty.write_text("\n")
    result = CliRunner().invoke(
        app, ["sandbox", "serve", "--backend", "local", "--token-file", str(empty)]
    )
    assert result.exit_code == 2 and "token" in result.output
