"""Serve one gymhub env under OpenEnv's wire protocol, and package it as an OpenEnv env.

`create_openenv_app(env_id)` answers OpenEnv's clients (`openenv.core.GenericEnvClient`, TRL's
OpenEnv integration) on the routes OpenEnv's own server has, so a trainer built on OpenEnv uses a
gymhub env unchanged; it runs on gymhub's SessionManager, so deadlines, the worker pool,
metrics, token auth and `infra_error` behave exactly as on `gymhub serve`:

- `WS /ws`, one env per socket: `{"type": "reset"|"step"|"state"|"close", "data": {...}}` ->
  `{"type": "observation", "data": {"observation": {...}, "reward": r, "done": b}}`,
  `{"type": "state", "data": {...}}` or `{"type": "error", "data": {"message", "code"}}`.
- HTTP, stateless (a new env per request, as in OpenEnv): `POST /reset`, `POST /step` (reset
  with the body's `seed`, then one step: a whole single-turn episode), `GET /state`,
  `/metadata`, `/schema`, `/health`, `POST /mcp` (JSON-RPC; `tools/list` only).

Actions are gymhub actions as JSON (`{"content": "42"}`, optionally `tool_calls`); an
observation is gymhub's (`messages`, `tools`) plus `info`, `terminated`, `truncated` and
`infra_error`. A step where the hub failed (deadline, env crash, sandbox down) answers
`reward: null`, `done: true`, `observation.infra_error: true`: OpenEnv has no mask field, and a
missing reward is what OpenEnv-based trainers (TRL: a reward function returning None) skip.

`write_package(env_id, directory)` writes an OpenEnv env directory (`openenv.yaml`,
`pyproject.toml`, `server/app.py`, `server/Dockerfile`) that `openenv validate` accepts once
`uv lock` has written its lock file.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

import gymhub
from gymhub.errors import GymhubError
from gymhub.server.actions import MalformedAction, is_large, read_action
from gymhub.server.auth import TokenAuth
from gymhub.server.body_limit import (
    LARGE_BODIES_AT_ONCE,
    POLICY_BODY_BYTES,
    BodyLimit,
    read_large_body,
)
from gymhub.server.errors import ServerError, echo, error_body, status_of, validation_problems
from gymhub.server.metrics import CONTENT_TYPE
from gymhub.server.sessions import ServerConfig, SessionManager
from gymhub.server.transport import refuse_websocket
from gymhub.trainers.integrations.routes import step_action
from gymhub.types import Action, Observation

__all__ = ["create_openenv_app", "serve_openenv", "to_openenv_result", "write_package"]

#: OpenEnv's WebSocket error codes (openenv.core.env_server.types.WSErrorCode)
INVALID_JSON, UNKNOWN_TYPE, VALIDATION_ERROR = "INVALID_JSON", "UNKNOWN_TYPE", "VALIDATION_ERROR"
EXECUTION_ERROR, CAPACITY_REACHED = "EXECUTION_ERROR", "CAPACITY_REACHED"
#: the body limit of the stateless `POST /step` (`--max-body-bytes` when that is higher)
STEP_BODY_BYTES = POLICY_BODY_BYTES


class ResetBody(BaseModel):
    """OpenEnv's ResetRequest, plus gymhub's reset `options`."""

    model_config = ConfigDict(extra="forbid")
    seed: StrictInt | None = Field(default=None, ge=0)  # strict: `true` is not seed 1
    episode_id: str | None = Field(default=None, max_length=255)
    options: dict[str, Any] | None = None


class StepBody(BaseModel):
    """OpenEnv's StepRequest; `seed`/`options` pick the task of the fresh env it runs on."""

    model_config = ConfigDict(extra="forbid")
    action: dict[str, Any]
    timeout_s: float | None = Field(default=None, gt=0)
    request_id: str | None = Field(default=None, min_length=1, max_length=128)
    seed: StrictInt | None = Field(default=None, ge=0)
    options: dict[str, Any] | None = None


class EpisodeState(BaseModel):
    """OpenEnv's State (`episode_id`, `step_count`) plus the gymhub env and turn."""

    episode_id: str | None = None
    step_count: int = 0
    env_id: str | None = None
    turn: int = 0


class GymhubObservation(Observation):
    """What `observation` holds in an OpenEnv answer: gymhub's observation and step outcome."""

    info: dict[str, Any] = Field(default_factory=dict)
    terminated: bool = False
    truncated: bool = False
    infra_error: bool = False
    #: at reset: the server's deadline for one step of this episode (the env's step budget
    #: included); a client waiting less would report the policy's slow, legitimate work as the
    #: hub's failure
    step_deadline_s: float | None = None


def action_of(data: Any) -> Action:
    """A gymhub Action from an OpenEnv step payload (OpenEnv's Action base adds `metadata`,
    left out). What the policy wrote never makes a refused request: content that cannot be
    read raises MalformedAction (scored as the policy's), malformed tool calls are its
    malformed calls; a wrong frame raises TypeError (see `gymhub.server.actions`)."""
    if not isinstance(data, dict):
        raise TypeError(f"a step's data must be a JSON object (a gymhub action), got {data!r:.80}")
    return read_action(_without_metadata(data))


async def _read(manager: SessionManager, data: Any) -> Action:
    """`action_of(data)`; an action of many tool calls or parts is read in a worker thread
    (thousands of them took seconds to validate, stalling every socket of the server)."""
    if is_large(data):
        return await manager.pool.run(action_of, data)
    return action_of(data)


def _without_metadata(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "metadata"}


def to_openenv_result(gymhub_result: dict[str, Any]) -> dict[str, Any]:
    """gymhub's reset/step answer -> OpenEnv's `{observation, reward, done}`.

    A reset has no reward (None, as in OpenEnv); an infra_error step has none either."""
    info = gymhub_result.get("info") or {}
    infra = bool(info.get("infra_error"))
    terminated = bool(gymhub_result.get("terminated", False))
    truncated = bool(gymhub_result.get("truncated", False))
    observation = dict(gymhub_result.get("observation") or {})
    observation.update(info=info, terminated=terminated, truncated=truncated, infra_error=infra)
    if isinstance(gymhub_result.get("step_deadline_s"), (int, float)):  # a reset's answer
        observation["step_deadline_s"] = float(gymhub_result["step_deadline_s"])
    reward = gymhub_result.get("reward")
    return {
        "observation": observation,
        "reward": None if infra or reward is None else float(reward),
        "done": terminated or truncated,
    }


def _json(payload: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(payload, default=str, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
    )


def _ws_error(message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"type": "error", "data": {"message": message, "code": code, **extra}}


def _error_of(exc: BaseException, during: str) -> tuple[int, str, str]:
    """(status, gymhub type, message) for an exception raised by a reset or step."""
    if isinstance(exc, ServerError):
        return exc.status, exc.type, exc.message
    if isinstance(exc, ValidationError):
        return 422, "invalid_request", validation_problems(exc)
    if isinstance(exc, (GymhubError, TypeError, ValueError, LookupError)):
        status, type_ = status_of(exc, during=during)
        if status == 500:
            status, type_ = 422, "invalid_request"
        return status, type_, str(exc)
    return 500, "env_error", f"environment raised {exc!r}"


class _Socket:
    """One OpenEnv WebSocket: at most one gymhub session, opened by the first reset."""

    def __init__(self, manager: SessionManager, env_id: str) -> None:
        self.manager, self.env_id = manager, env_id
        self.session_id: str | None = None
        self.episode_id: str | None = None
        self.steps = 0
        self.owner = object()

    async def handle(self, message: dict[str, Any]) -> dict[str, Any] | None:
        kind = message.get("type")
        data = message.get("data")
        if data is None:  # absent or null: no fields. `""`, `0` or `[]` were read as `{}` too, so
            data = {}  # a step whose data was a string played an empty action, scored 0
        if not isinstance(data, dict):
            return _ws_error("'data' must be a JSON object", VALIDATION_ERROR)
        if kind == "reset":
            return await self._run("reset", self._reset(ResetBody.model_validate(data)))
        if kind == "step":
            if self.session_id is None:
                return _ws_error("step before reset: send a reset first", EXECUTION_ERROR)
            try:
                action: Action | dict[str, Any] = await _read(self.manager, data)
            except MalformedAction:  # the policy's: the session scores it, ending the episode
                action = _without_metadata(data)
            return await self._run("step", self._step(action))
        if kind == "state":
            state = EpisodeState(episode_id=self.episode_id, step_count=self.steps)
            state.env_id = self.env_id
            if self.session_id is not None and self.session_id in self.manager.sessions:
                state.turn = self.manager.sessions[self.session_id].env.turn
            return {"type": "state", "data": state.model_dump()}
        if kind == "close":
            return None
        return _ws_error(
            f"unknown message type {echo(kind)}; one of reset step state close", UNKNOWN_TYPE
        )

    async def _run(self, during: str, call: Any) -> dict[str, Any]:
        try:
            return {"type": "observation", "data": to_openenv_result(await call)}
        except Exception as exc:
            status, type_, message = _error_of(exc, during)
            self.manager.metrics.error(status, type_)
            code = CAPACITY_REACHED if status == 503 else EXECUTION_ERROR
            return _ws_error(message, code, status=status, error_type=type_)

    async def _reset(self, body: ResetBody) -> dict[str, Any]:
        self.episode_id = body.episode_id or secrets.token_hex(8)
        self.steps = 0
        if self.session_id is not None and self.session_id in self.manager.sessions:
            return await self.manager.reset(
                self.session_id, seed=body.seed, options=body.options, owner=self.owner
            )
        result = await self.manager.create(
            self.env_id, seed=body.seed, options=body.options, owner=self.owner
        )
        self.session_id = result["session_id"]
        return result

    async def _step(self, action: Action | dict[str, Any]) -> dict[str, Any]:
        assert self.session_id is not None
        result = await step_action(self.manager, self.session_id, action, owner=self.owner)
        self.steps += 1
        if result.get("info", {}).get("session_closed"):
            self.session_id = None  # the hub closed it (infra_error): the next reset opens one
        return result

    async def close(self) -> None:
        if self.session_id is not None and self.session_id in self.manager.sessions:
            try:
                await self.manager.close(self.session_id)
            except ServerError:
                pass
        self.session_id = None


def _metadata(env_id: str) -> dict[str, Any]:
    s = gymhub.spec(env_id)
    return {
        "name": s.id,
        "description": s.description or f"gymhub environment {s.id}",
        "readme_content": None,
        "version": str(s.version),
        "author": "gymhub",
        "documentation_url": None,
        "family": s.family,
        "multi_turn": s.multi_turn,
    }


def create_openenv_app(env_id: str, config: ServerConfig | None = None) -> FastAPI:
    """The OpenEnv-protocol server of `env_id` (one env per server, as OpenEnv has it)."""
    manager = SessionManager([env_id], config)
    env_id = next(iter(manager.specs))

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        await manager.start()
        try:
            yield
        finally:
            await manager.stop()

    app = FastAPI(
        title=f"gymhub {env_id} (OpenEnv protocol)",
        version=gymhub.__version__,
        description="A gymhub environment behind OpenEnv's HTTP and WebSocket protocol.",
        lifespan=lifespan,
    )
    app.state.manager = manager
    metrics = manager.metrics
    app.add_middleware(
        BodyLimit,
        limit=manager.config.max_body_bytes,
        on_reject=lambda: metrics.error(413, "payload_too_large"),
        # a stateless step's body is the policy's action: a long one is scored, not refused
        routes={"/step": max(manager.config.max_body_bytes, STEP_BODY_BYTES)},
    )
    large_bodies = asyncio.Semaphore(LARGE_BODIES_AT_ONCE)
    if manager.config.token is not None:
        app.add_middleware(
            TokenAuth,
            token=manager.config.token,
            on_reject=lambda: metrics.error(401, "unauthorized"),
        )

    def fail(
        status: int, type_: str, message: str, headers: dict[str, str] | None = None
    ) -> Response:
        metrics.error(status, type_)
        return Response(
            error_body(status, type_, message),
            status_code=status,
            media_type="application/json",
            headers=headers,  # a 503's Retry-After, as gymhub serve's own routes send it
        )

    async def body_of(request: Request, model: type[BaseModel]) -> Any:
        return await read_large_body(  # a long action: a few at a time, off the event loop
            request, lambda raw: parse(raw, model), manager.config.max_body_bytes, large_bodies
        )

    def parse(raw: bytes, model: type[BaseModel]) -> Any:
        try:
            payload = json.loads(raw) if raw.strip() else {}
        except RecursionError:
            raise ServerError(
                422, "invalid_request", "the body's JSON is nested too deeply"
            ) from None
        except ValueError as exc:  # UnicodeDecodeError included
            raise ServerError(
                422, "invalid_request", f"the body is not valid JSON: {exc}"
            ) from None
        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            raise ServerError(422, "invalid_request", validation_problems(exc)) from None

    async def one_shot(body: Any, action: Action | dict[str, Any] | None) -> dict[str, Any]:
        """OpenEnv's stateless HTTP: a fresh env for this request, closed afterwards. An action
        left as a dict is one whose content the policy wrote wrong: the session scores it."""
        created = await manager.create(env_id, seed=body.seed, options=body.options)
        try:
            if action is None:
                return created
            return await step_action(manager, created["session_id"], action, request_id=None)
        finally:
            if created["session_id"] in manager.sessions:
                await manager.close(created["session_id"])

    async def answer(during: str, work: Any) -> Response:
        try:
            return _json(to_openenv_result(await work))
        except Exception as exc:
            status, type_, message = _error_of(exc, during)
            return fail(
                status, type_, message, exc.headers if isinstance(exc, ServerError) else None
            )

    @app.get("/health", tags=["Health"])
    async def health() -> Response:
        return _json({"status": "healthy", "env": env_id, "sessions": len(manager.sessions)})

    @app.get("/metadata", tags=["Environment Info"])
    async def metadata() -> Response:
        return _json(_metadata(env_id))

    @app.get("/schema", tags=["Schema"])
    async def schema() -> Response:
        return _json(
            {
                "action": Action.model_json_schema(),
                "observation": GymhubObservation.model_json_schema(),
                "state": EpisodeState.model_json_schema(),
            }
        )

    @app.get("/state", tags=["State Management"])
    async def state() -> Response:
        # HTTP is stateless in OpenEnv: a fresh env's state (the WebSocket has the real one)
        return _json(EpisodeState(env_id=env_id).model_dump())

    @app.post("/reset", tags=["Environment Control"])
    async def reset(request: Request) -> Response:
        try:
            body = await body_of(request, ResetBody)
        except ServerError as exc:
            return fail(exc.status, exc.type, exc.message)
        return await answer("reset", one_shot(body, None))

    @app.post("/step", tags=["Environment Control"])
    async def step(request: Request) -> Response:
        try:
            body = await body_of(request, StepBody)
            if body.seed is None:  # a fresh env would pose a task the policy never saw
                raise ServerError(
                    422,
                    "invalid_request",
                    "a stateless POST /step needs the task's 'seed' (the one its prompt came "
                    "from); play episodes over the WebSocket (/ws)",
                )
            action: Action | dict[str, Any] = await _read(manager, body.action)
        except ServerError as exc:
            return fail(exc.status, exc.type, exc.message)
        except MalformedAction:
            action = _without_metadata(body.action)
        except TypeError as exc:
            return fail(422, "invalid_action", str(exc))
        return await answer("step", one_shot(body, action))

    @app.post("/mcp", tags=["MCP"])
    async def mcp(request: Request) -> Response:
        raw = await request.body()
        try:
            call = json.loads(raw) if raw.strip() else {}
        except (ValueError, RecursionError):
            return _json(_rpc_error(None, -32700, "parse error"))
        if not isinstance(call, dict) or call.get("jsonrpc") != "2.0" or "method" not in call:
            return _json(_rpc_error(call.get("id") if isinstance(call, dict) else None, -32600,
                                    "invalid request: a JSON-RPC 2.0 object with 'method'"))  # fmt: skip
        if call["method"] == "tools/list":
            return _json({"jsonrpc": "2.0", "id": call.get("id"), "result": {"tools": []}})
        return _json(
            _rpc_error(
                call.get("id"),
                -32601,
                "method not found: gymhub envs take tool calls as actions over /ws",
            )
        )

    @app.get("/metrics", tags=["server"])
    async def get_metrics() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    open_sockets = 0

    @app.websocket("/ws")
    async def ws_endpoint(ws: WebSocket) -> None:
        # as on `gymhub serve`: each socket holds a descriptor and memory, so a client opening
        # them without end is answered 503 at the handshake past `max_websockets`
        nonlocal open_sockets
        if open_sockets >= manager.config.max_websockets:
            return await refuse_websocket(ws, manager)
        open_sockets += 1
        try:
            await _serve_socket(ws)
        finally:
            open_sockets -= 1

    async def _serve_socket(ws: WebSocket) -> None:
        await ws.accept()
        socket = _Socket(manager, env_id)
        try:
            while True:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                raw = message.get("text")
                if raw is None:
                    raw = (message.get("bytes") or b"").decode("utf-8", errors="replace")
                try:
                    parsed = json.loads(raw)
                except (ValueError, RecursionError) as exc:
                    await ws.send_text(json.dumps(_ws_error(f"Invalid JSON: {exc}", INVALID_JSON)))
                    continue
                if not isinstance(parsed, dict):
                    answer_ = _ws_error("a message must be a JSON object", VALIDATION_ERROR)
                else:
                    try:
                        answer_ = await socket.handle(parsed)
                    except ValidationError as exc:
                        answer_ = _ws_error(
                            f"invalid message: {validation_problems(exc)}", VALIDATION_ERROR
                        )
                    except TypeError as exc:
                        answer_ = _ws_error(str(exc), VALIDATION_ERROR)
                if answer_ is None:  # close
                    break
                await ws.send_text(json.dumps(answer_, default=str, separators=(",", ":")))
        except Exception:
            pass  # the socket went away
        finally:
            await socket.close()
            try:
                await ws.close()
            except Exception:
                pass

    return app


def _rpc_error(call_id: Any, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": call_id, "error": {"code": code, "message": message}}


def serve_openenv(
    env_id: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    config: ServerConfig | None = None,
    log_level: str = "warning",
    allow_insecure: bool = False,
) -> None:
    """Run the OpenEnv-protocol server of `env_id` in the foreground."""
    import uvicorn

    from gymhub.server import uvicorn_options
    from gymhub.server.auth import check_bind
    from gymhub.shutdown import exit_cleanly_on_sigterm

    config = config or ServerConfig()
    check_bind(host, config.token, allow_insecure)
    exit_cleanly_on_sigterm()
    app = create_openenv_app(env_id, config)
    uvicorn.run(app, host=host, port=port, **uvicorn_options(config, log_level))


_APP_PY = '''"""OpenEnv entry point of {env_id}: gymhub serves it under OpenEnv's protocol."""

import os

from gymhub.trainers.integrations.openenv import create_openenv_app

ENV_ID = {env_id!r}
app = create_openenv_app(ENV_ID)


def main() -> None:
    from gymhub.trainers.integrations.openenv import serve_openenv

    serve_openenv(ENV_ID, host=os.environ.get("HOST", "127.0.0.1"),
                  port=int(os.environ.get("PORT", "{port}")))


if __name__ == "__main__":
    main()
'''

_DOCKERFILE = """FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir {requirement} openenv-core
ENV HOST=0.0.0.0 PORT={port}
EXPOSE {port}
CMD ["python", "-m", "server.app"]
"""


def write_package(
    env_id: str, directory: str | Path, *, port: int = 8000, requirement: str = "gymhub"
) -> Path:
    """Write an OpenEnv env directory for `env_id` into `directory` (created; existing files of
    the same names are replaced) and return its path. `requirement` is how the image installs
    gymhub (a version pin, a wheel file name)."""
    s = gymhub.spec(env_id)  # UnknownEnvError for an id that is not registered
    if not 0 < port < 65536:
        raise ValueError(f"port must be 1..65535, got {port}")
    if not requirement or any(c in requirement for c in "\n\r\"'`$;&|"):
        raise ValueError(f"requirement must be a plain pip requirement, got {requirement!r}")
    root = Path(directory)
    (root / "server").mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "_", s.name.lower()).strip("_") + "_env"
    (root / "openenv.yaml").write_text(
        f"spec_version: 1\nname: {name}\ntype: space\nruntime: fastapi\n"
        f"app: server.app:app\nport: {port}\n",
        encoding="utf-8",
    )
    description = s.description or f"gymhub environment {s.id}"
    # a TOML basic string: JSON's escapes are TOML's (a bare backslash, as in Math-v0's
    # "\\boxed{}", was read as the escape \b, a backspace)
    toml_description = json.dumps(description, ensure_ascii=False)
    (root / "pyproject.toml").write_text(
        f'[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{name.replace("_", "-")}"\nversion = "{s.version}.0.0"\n'
        f'description = {toml_description}\nrequires-python = ">=3.10"\n'
        f'dependencies = ["openenv-core>=0.3,<0.4", "{requirement}"]\n\n'
        f'[project.scripts]\nserver = "server.app:main"\n\n'
        f'[tool.setuptools]\npackages = ["server"]\n',
        encoding="utf-8",
    )
    (root / "server" / "__init__.py").write_text("", encoding="utf-8")
    (root / "server" / "app.py").write_text(
        _APP_PY.format(env_id=s.id, port=port), encoding="utf-8"
    )
    (root / "server" / "Dockerfile").write_text(
        _DOCKERFILE.format(requirement=requirement, port=port), encoding="utf-8"
    )
    (root / "README.md").write_text(
        f"# {s.id} as an OpenEnv environment\n\n{description}\n\n"
        "Served by gymhub under OpenEnv's protocol: `python -m server.app`, or "
        f"`gymhub serve --openenv {s.id}`.\n",
        encoding="utf-8",
    )
    return root
