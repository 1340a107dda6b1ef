"""The FastAPI application: HTTP routes over a SessionManager, plus the WebSocket transport.

Handlers return pre-serialised JSON (no response-model validation on the hot path); the schemas
are still declared so the OpenAPI spec is complete. Every error is a JSON body
`{"error": {"status", "type", "message"}}`.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Awaitable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

import gymhub
from gymhub.errors import GymhubError
from gymhub.server import models
from gymhub.server.auth import TokenAuth
from gymhub.server.body_limit import BodyLimit
from gymhub.server.errors import (
    CLIENT_ERRORS,
    ServerError,
    describe,
    error_body,
    status_of,
    validation_problems,
)
from gymhub.server.metrics import CONTENT_TYPE
from gymhub.server.sessions import ServerConfig, SessionManager

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": models.ErrorBody} for code in (401, 404, 409, 413, 422, 503)
}


def _json(payload: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(payload, default=str, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
    )


async def _body_read(request: Request) -> bytes:
    """The body as far as it was read: the client may have gone away in the middle of it."""
    try:
        return await request.body()
    except Exception:
        return b""


def _body_problem(body: bytes) -> str | None:
    """Why a body the framework could not parse is bad: bytes that are not UTF-8, or JSON
    nested deeper than the decoder goes (None when neither, or when nothing was read)."""
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"it is not UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})"
    try:
        json.loads(text)
    except RecursionError:
        return "its JSON is nested too deeply"
    except ValueError as exc:
        return f"it is not JSON ({exc})"
    return None


#: other hubs' protocols `create_app(..., protocols=)` can add: name -> module with add_routes
PROTOCOLS = {
    "nemo_gym": "gymhub.trainers.integrations.nemo_gym",
    "openrlhf": "gymhub.trainers.integrations.openrlhf",
}


def create_app(
    env_ids: Iterable[str], config: ServerConfig | None = None, *, protocols: Iterable[str] = ()
) -> FastAPI:
    """Build the app serving `env_ids` (unknown ids raise UnknownEnvError here, at start-up).

    `protocols` adds other hubs' routes over the same sessions (see PROTOCOLS)."""
    protocols = list(protocols)
    unknown = [p for p in protocols if p not in PROTOCOLS]
    if unknown:
        raise ValueError(f"unknown protocols {unknown}; known: {sorted(PROTOCOLS)}")
    manager = SessionManager(env_ids, config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        await manager.start()
        # Everything built at start-up (modules, routes, schemas) lives as long as the server:
        # keep it out of the cyclic GC's full collections, whose pauses showed up in step p99.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await manager.stop()

    app = FastAPI(
        title="gymhub environment server",
        version=gymhub.__version__,
        description="Sessions over gymhub environments: create, reset, step, close.",
        lifespan=lifespan,
    )
    app.state.manager = manager
    metrics = manager.metrics

    def fail(
        status: int, type_: str, message: str, headers: dict[str, str] | None = None
    ) -> Response:
        metrics.error(status, type_)
        return Response(
            error_body(status, type_, message),
            status_code=status,
            media_type="application/json",
            headers=headers,
        )

    def count_413() -> None:
        metrics.error(413, "payload_too_large")

    #: path -> its own body limit (a protocol's routes may raise theirs: OpenRLHF's /get_reward)
    app.state.body_limits = {}
    app.add_middleware(
        BodyLimit,
        limit=manager.config.max_body_bytes,
        on_reject=count_413,
        routes=app.state.body_limits,
    )
    if manager.config.token is not None:  # added last: it runs first, before any body is read

        def count_401() -> None:
            metrics.error(401, "unauthorized")

        app.add_middleware(TokenAuth, token=manager.config.token, on_reject=count_401)

    @app.exception_handler(ServerError)
    async def _server_error(_r: Request, exc: ServerError) -> Response:
        return fail(exc.status, exc.type, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        content_type = request.headers.get("content-type", "")
        if "json" not in content_type.lower() and any(
            tuple(e.get("loc", ())) == ("body",) for e in errors
        ):  # FastAPI reads a body as JSON only when it says so (curl -d sends it as a form)
            got = repr(content_type) if content_type else "no Content-Type"
            message = f"send the body as JSON with 'Content-Type: application/json' (got {got})"
            return fail(422, "invalid_request", message)
        return fail(422, "invalid_request", validation_problems(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:  # a body FastAPI could not parse: say what is wrong with it
            problem = _body_problem(await _body_read(request)) or str(exc.detail)
            return fail(422, "invalid_request", f"the request body is not valid: {problem}")
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return fail(exc.status_code, kind, str(exc.detail), getattr(exc, "headers", None))

    async def guarded(during: str, call: Awaitable[dict[str, Any]]) -> Response:
        try:
            return _json(await call)
        except ServerError as exc:
            return fail(exc.status, exc.type, exc.message, exc.headers)
        except CLIENT_ERRORS as exc:
            status, type_ = status_of(exc, during=during)
            if status == 500:
                status, type_ = 422, "invalid_request"
            return fail(status, type_, describe(exc, during=during))
        except Exception as exc:  # an environment bug during reset: say so, structured
            return fail(500, "env_error", f"environment raised {exc!r}")

    # ----- routes ------------------------------------------------------------------------------------
    @app.get("/health", tags=["server"])
    async def health() -> Response:
        return _json(
            {
                "status": "ok",
                "version": gymhub.__version__,
                "sessions": len(manager.sessions),
                "max_sessions": manager.config.max_sessions,
                "envs": list(manager.specs),
            }
        )

    @app.get("/envs", tags=["envs"])
    async def list_envs() -> Response:
        return _json([s.to_dict() for s in manager.specs.values()])

    @app.get("/envs/{env_id:path}", tags=["envs"], responses=_ERRORS)
    async def get_env(env_id: str) -> Response:
        try:
            return _json(manager.specs[manager.resolve_env_id(env_id)].to_dict())
        except GymhubError as exc:
            return fail(404, "unknown_env", str(exc))

    @app.get("/metrics", tags=["server"], response_class=PlainTextResponse)
    async def get_metrics() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    # No route lists sessions: a session id is a capability, known only to whoever created it.
    @app.get("/sessions/{session_id}", tags=["sessions"], responses=_ERRORS)
    async def describe_session(session_id: str) -> Response:
        try:
            return _json(manager.describe(session_id))
        except ServerError as exc:
            return fail(exc.status, exc.type, exc.message)

    @app.post(
        "/sessions",
        tags=["sessions"],
        response_model=models.ResetResult,
        responses=_ERRORS,
        status_code=200,
    )
    async def create_session(body: models.CreateSession) -> Response:
        return await guarded(
            "reset",
            manager.create(
                body.env_id, seed=body.seed, options=body.options, request_id=body.request_id
            ),
        )

    @app.post(
        "/sessions/{session_id}/reset",
        tags=["sessions"],
        response_model=models.ResetResult,
        responses=_ERRORS,
    )
    async def reset_session(session_id: str, body: models.ResetSession | None = None) -> Response:
        body = body or models.ResetSession()  # no body: a reset without seed or options
        return await guarded(
            "reset",
            manager.reset(
                session_id, seed=body.seed, options=body.options, request_id=body.request_id
            ),
        )

    @app.post(
        "/sessions/{session_id}/step",
        tags=["sessions"],
        response_model=models.StepResult,
        responses=_ERRORS,
    )
    async def step_session(session_id: str, body: models.StepSession) -> Response:
        return await guarded(
            "step", manager.step(session_id, body.action, request_id=body.request_id)
        )

    @app.get(
        "/sessions/{session_id}/reference",
        tags=["sessions"],
        response_model=models.ReferenceResult,
        responses={**_ERRORS, 403: {"model": models.ErrorBody}},
    )
    async def reference(session_id: str) -> Response:
        return await guarded("step", manager.reference(session_id))

    @app.post("/sessions/{session_id}/heartbeat", tags=["sessions"], responses=_ERRORS)
    async def heartbeat(session_id: str) -> Response:
        try:
            return _json({"session_id": session_id, "lease_s": manager.touch(session_id)})
        except ServerError as exc:
            return fail(exc.status, exc.type, exc.message)

    @app.delete("/sessions/{session_id}", tags=["sessions"], responses=_ERRORS)
    async def close_session(session_id: str) -> Response:
        try:
            await manager.close(session_id)
        except ServerError as exc:
            return fail(exc.status, exc.type, exc.message)
        return _json({"session_id": session_id, "closed": True})

    from gymhub.server.transport import add_websocket_route

    add_websocket_route(app, manager)
    import importlib

    for name in protocols:
        importlib.import_module(PROTOCOLS[name]).add_routes(app, manager)
    return app
