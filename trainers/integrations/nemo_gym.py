"""NeMo Gym's resources-server routes on `gymhub serve --nemo-gym`: `/seed_session`, `/verify`.

NeMo Gym's agents call a resources server with the dataset row: `POST /seed_session` opens the
rollout's session (NeMo Gym keeps it in a cookie the agent sends back), `POST /verify` with
`{"responses_create_params": {...}, "response": <Responses API response>, ...}` answers the same
body plus `"reward"`. Here a row names its gymhub episode with `env_id` (optional when the
server serves one env), `seed` and `options`, at the top level or under `verifier_metadata`:

- `/seed_session` makes and resets the env (a gymhub session, with its deadlines and lease) and
  sets the `gymhub_session` cookie; it answers the prompt as `responses_create_params` (the
  Responses API `input`), for rows that do not carry their own.
- `/verify` steps that session with the response's text (its `output_text` parts); without a
  session cookie it plays the row's episode (its `seed` is required) on a fresh env. A multi-turn
  env's episode goes on: the answer carries `observation` (what the env said) and `done`. A
  cookie whose session is over (or expired) gets 409: a finished episode is not played again.

`infra_error` (the hub failed) answers `reward: 0.0` with `mask_sample: true`,
`failure_kind: "infra_error"` and `failure_reason`, the fields NeMo Gym's verify responses use to
keep a sample out of training; a policy's failure is an ordinary reward.
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from gymhub.errors import GymhubError
from gymhub.server.body_limit import (
    LARGE_BODIES_AT_ONCE,
    MAX_REPLY_CHARS,
    POLICY_BODY_BYTES,
    read_large_body,
)
from gymhub.trainers.integrations.routes import step_action
from gymhub.trainers.integrations.rows import seed_value

__all__ = ["COOKIE", "add_routes", "episode_of", "response_text"]

COOKIE = "gymhub_session"
#: the body limit of `/verify` (the server's `--max-body-bytes` when that is higher)
VERIFY_BODY_BYTES = POLICY_BODY_BYTES


class NemoGymRequestError(GymhubError, ValueError):
    """A request body that does not fit NeMo Gym's schema or name a gymhub episode."""


def _row_fields(body: dict[str, Any]) -> dict[str, Any]:
    """Where a row keeps its episode: `verifier_metadata` when it has the seed, else the top."""
    meta = body.get("verifier_metadata")
    return meta if isinstance(meta, dict) and "seed" in meta else body


def episode_of(body: dict[str, Any], served: list[str]) -> tuple[str, int | None, dict | None]:
    """(env_id, seed, options) of a row: top-level fields, else under `verifier_metadata`."""
    source = _row_fields(body)
    env_id = source.get("env_id", body.get("env_id"))
    if env_id is None:
        if len(served) != 1:
            raise NemoGymRequestError(f"the row must name its env_id: this serves {served}")
        env_id = served[0]
    if not isinstance(env_id, str):
        raise NemoGymRequestError("env_id must be a string")
    seed, options = source.get("seed"), source.get("options")
    if seed is not None:
        if (value := seed_value(seed)) is None:
            raise NemoGymRequestError(f"seed must be a non-negative integer, got {seed!r}")
        seed = value
    if options is not None and not isinstance(options, dict):
        raise NemoGymRequestError("options must be an object")
    return env_id, seed, options


def response_text(response: Any) -> str:
    """The text of a Responses API response: its message items' `output_text` parts (one
    message's parts joined as they are, separate messages a line apart: `1` and `2` are not
    the answer `12`)."""
    if not isinstance(response, dict) or not isinstance(response.get("output"), list):
        raise NemoGymRequestError("'response' must be a Responses API object with an 'output' list")
    messages = []
    for item in response["output"]:
        if not isinstance(item, dict) or item.get("type") != "message":
            continue
        content = item.get("content")
        if isinstance(content, str):
            messages.append(content)
        elif isinstance(content, list):
            messages.append("".join(
                c["text"]
                for c in content
                if isinstance(c, dict) and c.get("type") == "output_text" and isinstance(c.get("text"), str)
            ))  # fmt: skip
    return "\n".join(messages)


def _input_of(observation: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"role": m.get("role", "user"), "content": m.get("content", "")}
        for m in observation.get("messages", [])
    ]


def _check_row_matches(body: dict[str, Any], manager: Any, session: Any) -> None:
    """A /verify whose row names an episode must name the cookie's: a reply is never scored
    on one task while the row says another."""
    source = _row_fields(body)
    if source.get("env_id", body.get("env_id")) is None and source.get("seed") is None:
        return  # the row leaves the episode to the session
    env_id, seed, _options = episode_of(body, list(manager.specs))
    session_seed = getattr(session.env, "episode_seed", None)
    if manager.resolve_env_id(env_id) != session.env_id or (
        seed is not None and session_seed is not None and seed != session_seed
    ):
        raise NemoGymRequestError(
            f"the row names {env_id} seed {seed}, but this session plays {session.env_id} "
            f"seed {session_seed}: POST /seed_session with the row first"
        )


def _finite(value: Any) -> Any:
    """`value` with NaN and infinities as null: what is echoed stays JSON every parser reads
    (a logprob of -inf in a response would otherwise come back as `-Infinity`)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _null(_constant: str) -> None:
    return None


def _dumps(answer: dict[str, Any]) -> str:
    """The answer as JSON every parser reads. NaN and infinities (in the echoed body) become
    null through the C encoder and decoder, which go as deep as the body's parse went: a
    Python walk of a body nested ~900 deep ran out of stack after the step was played, a 500
    that lost its reward. Past even that, the answer leaves the body's echo out."""
    try:
        return json.dumps(answer, default=str, allow_nan=False)
    except ValueError:  # NaN or an infinity somewhere in the echoed body
        pass
    except RecursionError:
        return _without_echo(answer)
    try:
        text = json.dumps(answer, default=str)  # NaN, Infinity: read back below as null
        return json.dumps(json.loads(text, parse_constant=_null), allow_nan=False)
    except RecursionError:
        return _without_echo(answer)


#: the fields of a /verify answer that are the route's own (the rest echoes the request)
_OWN_FIELDS = (
    "env_id",
    "reward",
    "verdict",
    "done",
    "observation",
    "mask_sample",
    "failure_kind",
    "failure_reason",
)


def _without_echo(answer: dict[str, Any]) -> str:
    own = {k: answer[k] for k in _OWN_FIELDS if k in answer}
    own["echo_dropped"] = "the request body is nested too deeply to be echoed"
    return json.dumps(_finite(own), default=str, allow_nan=False)


def _parse_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw) if raw.strip() else {}
    except RecursionError:
        raise NemoGymRequestError("the body's JSON is nested too deeply") from None
    except ValueError as exc:
        raise NemoGymRequestError(f"the body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise NemoGymRequestError("the body must be a JSON object")
    return body


def add_routes(app: Any, manager: Any) -> None:
    """Add `/seed_session` and `/verify` over the manager's sessions."""
    from gymhub.server.errors import ServerError, error_body, status_of

    limits = getattr(app.state, "body_limits", None)
    if limits is not None:  # gymhub's server app: /verify takes long responses
        limits["/verify"] = max(manager.config.max_body_bytes, VERIFY_BODY_BYTES)
    large_bodies = asyncio.Semaphore(LARGE_BODIES_AT_ONCE)

    def fail(
        status: int, type_: str, message: str, headers: dict[str, str] | None = None
    ) -> Response:
        manager.metrics.error(status, type_)
        return Response(
            error_body(status, type_, message),
            status_code=status,
            media_type="application/json",
            headers=headers,  # a 503's Retry-After, as gymhub serve's own routes send it
        )

    async def body_of(request: Request) -> dict[str, Any]:
        """The body as a JSON object; one over `--max-body-bytes` waits its turn among
        LARGE_BODIES_AT_ONCE and is parsed off the event loop."""
        return await read_large_body(
            request, _parse_body, manager.config.max_body_bytes, large_bodies
        )

    def as_error(exc: Exception, during: str) -> Response:
        if isinstance(exc, ServerError):
            return fail(exc.status, exc.type, exc.message, exc.headers or None)
        if isinstance(exc, NemoGymRequestError):
            return fail(422, "invalid_request", str(exc))
        if isinstance(exc, (GymhubError, TypeError, ValueError, LookupError)):
            status, type_ = status_of(exc, during=during)
            return fail(422 if status == 500 else status, type_, str(exc))
        return fail(500, "env_error", f"environment raised {exc!r}")

    @app.post("/seed_session", tags=["nemo_gym"])
    async def seed_session(request: Request) -> Response:
        try:
            body = await body_of(request)
            env_id, seed, options = episode_of(body, list(manager.specs))
            old = request.cookies.get(COOKIE)
            if old and old in manager.sessions:
                await manager.close(old)
            created = await manager.create(env_id, seed=seed, options=options)
        except Exception as exc:
            return as_error(exc, "reset")
        answer = {
            "env_id": created["env_id"],
            "responses_create_params": {"input": _input_of(created["observation"])},
            "tools": created["observation"].get("tools", []),
        }
        response = Response(_dumps(answer), media_type="application/json")
        response.set_cookie(COOKIE, created["session_id"], httponly=True, samesite="strict")
        return response

    @app.post("/verify", tags=["nemo_gym"])
    async def verify(request: Request) -> Response:
        session_id = request.cookies.get(COOKIE)
        fresh = None
        try:
            body = await body_of(request)
            if not isinstance(body.get("responses_create_params"), dict):
                raise NemoGymRequestError("'responses_create_params' must be an object")
            text = response_text(body.get("response"))
            if session_id and session_id not in manager.sessions:
                # its episode is over (or timed out): a second try would be a new episode
                return fail(
                    409,
                    "session_closed",
                    "this rollout's session is over or expired; POST /seed_session for a new one",
                )
            if not session_id:
                env_id, seed, options = episode_of(body, list(manager.specs))
                if seed is None:  # the reply would be scored on a task the policy never saw
                    raise NemoGymRequestError(
                        "a /verify without a session must carry the row's seed "
                        "(or POST /seed_session first)"
                    )
                fresh = await manager.create(env_id, seed=seed, options=options)
                session_id = fresh["session_id"]
            else:
                _check_row_matches(body, manager, manager.sessions[session_id])
            if len(text) > MAX_REPLY_CHARS:  # the policy's over-long answer: scored, not played
                detail = f"a response of {len(text)} characters, over {MAX_REPLY_CHARS}"
                result = await manager.step_refused(session_id, detail)
            else:
                result = await step_action(manager, session_id, text)
        except Exception as exc:
            return as_error(exc, "step")
        finally:
            if fresh is not None and fresh["session_id"] in manager.sessions:
                await manager.close(fresh["session_id"])
        info = result["info"]
        infra = bool(info.get("infra_error"))
        done = bool(result["terminated"] or result["truncated"])
        if done and session_id in manager.sessions:
            await manager.close(session_id)
        answer = {
            **body,
            "reward": 0.0 if infra else float(result["reward"]),
            "verdict": info.get("verdict"),
            "done": done,
            "observation": _input_of(result["observation"]),
            "mask_sample": infra,
            "failure_kind": "infra_error" if infra else None,
            "failure_reason": info.get("error") if infra else None,
        }
        return Response(_dumps(answer), media_type="application/json")
