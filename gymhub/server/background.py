"""Run a server in the background (a thread of this process, or a child process) and know its URL.

Used by tests, benchmarks and `gymhub serve --docker` health checks; binds port 0 so parallel runs
never collide.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from typing import Any

import httpx

from gymhub.server.sessions import ServerConfig


def _bind(host: str) -> socket.socket:
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it a response written in two parts (headers, body) waits ~40 ms for the
    # client's delayed ACK (Nagle). Accepted sockets inherit the listener's TCP_NODELAY.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, 0))
    sock.listen(4096)
    sock.set_inheritable(True)
    return sock


def wait_healthy(url: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"server at {url} did not become healthy in {timeout_s}s")
        time.sleep(0.05)


class ThreadServer:
    """A uvicorn server on a daemon thread of this process (cheap; shares the GIL)."""

    def __init__(
        self,
        env_ids: list[str],
        config: ServerConfig | None = None,
        host: str = "127.0.0.1",
        *,
        protocols: list[str] | tuple[str, ...] = (),
        app: Any = None,
    ):
        """`protocols` adds other hubs' routes; `app` serves a prebuilt app instead (one with
        `app.state.manager` and a `/health` route, e.g. the OpenEnv-protocol app)."""
        import uvicorn

        from gymhub.server.app import create_app

        self.config = config or ServerConfig()
        self.app = app if app is not None else create_app(env_ids, self.config, protocols=protocols)
        self._sock = _bind(host)
        self.url = f"http://{host}:{self._sock.getsockname()[1]}"
        from gymhub.server import uvicorn_options

        self._server = uvicorn.Server(uvicorn.Config(self.app, **uvicorn_options(self.config)))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    @property
    def manager(self) -> Any:
        return self.app.state.manager

    def __enter__(self) -> ThreadServer:
        self._thread.start()
        wait_healthy(self.url)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._sock.close()


class ProcessServer:
    """`python -m gymhub.server` in a child process (its own GIL, killable like a real server)."""

    def __init__(
        self,
        env_ids: list[str],
        *,
        host: str = "127.0.0.1",
        args: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        sock = _bind(host)
        port = sock.getsockname()[1]
        sock.close()  # the child binds it again; a collision in between is retried below
        self.url = f"http://{host}:{port}"
        self.cmd = [
            sys.executable, "-m", "gymhub.server", *env_ids, "--host", host, "--port", str(port),
            *(args or []),
        ]  # fmt: skip
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ProcessServer:
        self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=subprocess.DEVNULL)
        try:
            wait_healthy(self.url)
        except TimeoutError:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
