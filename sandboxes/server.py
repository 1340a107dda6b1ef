"""`gymhub sandbox serve`: a FastAPI service running ExecRequests on a local backend.

Order of checks on `POST /run`: the bearer token (401, before a byte of the body is read), the
body size (413, from Content-Length and again while reading), the JSON and every field (422:
NaN, infinities, negatives, bad base64), the server's ceilings on what a client may ask for
(422, naming the ceiling), free capacity (503 with Retry-After). The number of processes is not
a request field: it is the served backend's own limit (`--max-processes`).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import threading
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from gymhub.sandboxes.errors import SandboxConfigError
from gymhub.sandboxes.types import ExecRequest, Sandbox


@dataclass(frozen=True)
class ServerLimits:
    """The most a client may ask for in one request."""

    max_timeout_s: float = 60.0
    max_memory_mb: int = 4096
    max_disk_mb: int = 1024
    max_output_bytes: int = 16 * 1024 * 1024
    max_body_bytes: int = 32 * 1024 * 1024

    def ceilings(self) -> dict[str, float]:
        """Each request field's ceiling, as a 422 names them for the client (`RemoteSandbox`
        fits its later requests under them)."""
        return {
            "timeout_s": self.max_timeout_s,
            "cpu_time_s": self.max_timeout_s,
            "memory_mb": self.max_memory_mb,
            "disk_mb": self.max_disk_mb,
            "output_limit_bytes": self.max_output_bytes,
        }

    def violations(self, request: ExecRequest) -> list[str]:
        """What in `request` goes over a ceiling (empty when nothing does)."""
        asked = {
            "timeout_s": (request.timeout_s, self.max_timeout_s),
            "cpu_time_s": (request.cpu_limit_s, self.max_timeout_s),
            "memory_mb": (request.memory_mb, self.max_memory_mb),
            "disk_mb": (request.disk_mb, self.max_disk_mb),
            "output_limit_bytes": (request.output_limit_bytes, self.max_output_bytes),
        }
        return [
            f"{name}={value} is over this server's ceiling of {ceiling}"
            for name, (value, ceiling) in asked.items()
            if value > ceiling
        ]


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None, allow_unauthenticated: bool = False) -> None:
    """Refuse to serve a non-loopback address without a token unless explicitly allowed."""
    if token is None and not allow_unauthenticated and not is_loopback(host):
        raise SandboxConfigError(
            f"refusing to serve {host} without a token: anyone who reaches it could run code "
            "here; set --token (or --token-file / GYMHUB_SANDBOX_TOKEN), or pass "
            "--allow-unauthenticated if the network is trusted"
        )


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a valid number here")


def _error(
    status: int, detail: str, *, extra: dict[str, Any] | None = None, **headers: str
) -> JSONResponse:
    return JSONResponse(
        {"detail": detail, **(extra or {})}, status_code=status, headers=headers or None
    )


def create_app(
    sandbox: Sandbox,
    *,
    token: str | None = None,
    max_concurrency: int = 8,
    limits: ServerLimits | None = None,
) -> FastAPI:
    """The HTTP app serving `sandbox` (the caller keeps ownership and closes it)."""
    if token is not None and not token:
        raise SandboxConfigError("the token must not be empty")
    limits = limits or ServerLimits()
    app = FastAPI(title="gymhub sandbox", version="1")
    slots = threading.BoundedSemaphore(max_concurrency)
    expected = f"Bearer {token}".encode()

    def authorized(request: Request) -> bool:
        given = request.headers.get("authorization", "").encode()
        return token is None or hmac.compare_digest(given, expected)

    @app.get("/health")
    def health(request: Request) -> Any:
        if not authorized(request):
            return _error(401, "missing or wrong bearer token")
        return {"status": "ok", "backend": sandbox.name}

    @app.post("/run")
    async def run(request: Request) -> Any:
        if not authorized(request):
            return _error(401, "missing or wrong bearer token")
        too_big = f"request body over {limits.max_body_bytes} bytes"
        try:
            declared = int(request.headers.get("content-length") or 0)
        except ValueError:
            return _error(400, "invalid Content-Length")
        if declared > limits.max_body_bytes:
            return _error(413, too_big)
        # a slot first: at most max_concurrency bodies are held in memory at once
        if not slots.acquire(blocking=False):
            return _error(503, "sandbox server at capacity", **{"Retry-After": "1"})
        try:
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > limits.max_body_bytes:
                    return _error(413, too_big)
            try:
                payload = json.loads(body, parse_constant=_no_constants)
                if not isinstance(payload, dict):
                    raise ValueError("the body must be a JSON object")
                exec_request = ExecRequest.from_wire(payload)
            except Exception as exc:  # any malformed request is the client's, said in the reply
                return _error(422, f"invalid request: {exc}"[:4000])
            over = limits.violations(exec_request)
            if over:  # with the ceilings as data: the client fits its request and asks again
                return _error(
                    422,
                    "invalid request: " + "; ".join(over),
                    extra={"ceilings": limits.ceilings()},
                )
            result = await run_in_threadpool(sandbox.run, exec_request)
        finally:
            slots.release()
        return result.to_wire()

    return app
