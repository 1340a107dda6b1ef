"""`gymhub sandbox serve`: a FastAPI service running ExecRequests on a local backend.

Bad requests get 422 with the reason; more concurrent runs than `max_concurrency` get 503; with a
token set, requests without `Authorization: Bearer <token>` get 401.
"""

from __future__ import annotations

import hmac
import threading
from typing import Any

from fastapi import FastAPI, HTTPException, Request

from gymhub.sandboxes.types import ExecRequest, Sandbox


def create_app(sandbox: Sandbox, *, token: str | None = None, max_concurrency: int = 8) -> FastAPI:
    """The HTTP app serving `sandbox` (the caller keeps ownership and closes it)."""
    app = FastAPI(title="gymhub sandbox", version="1")
    slots = threading.BoundedSemaphore(max_concurrency)

    def check_auth(request: Request) -> None:
        if token is None:
            return
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise HTTPException(status_code=401, detail="missing or wrong bearer token")

    @app.get("/health")
    def health(request: Request) -> dict[str, Any]:
        check_auth(request)
        return {"status": "ok", "backend": sandbox.name}

    @app.post("/run")
    def run(payload: dict[str, Any], request: Request) -> dict[str, Any]:
        check_auth(request)
        try:
            exec_request = ExecRequest.from_wire(payload)
        except Exception as exc:
            raise HTTPException(status_code=422, detail=f"invalid request: {exc}") from exc
        if not slots.acquire(blocking=False):
            raise HTTPException(status_code=503, detail="sandbox server at capacity")
        try:
            return sandbox.run(exec_request).to_wire()
        finally:
            slots.release()

    return app
