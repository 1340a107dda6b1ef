"""Structured HTTP errors: every failure the server answers has a status, a machine-readable
`type` and a message a person can act on. Bad input is always a 4xx, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

from gymhub.errors import (
    EpisodeDoneError,
    GymhubError,
    InvalidOptionsError,
    ResetNeededError,
    UnknownEnvError,
)


class ServerError(GymhubError):
    """An error with an HTTP status, raised by route handlers and turned into a JSON answer."""

    def __init__(
        self, status: int, type_: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message
        self.headers = headers or {}


#: what an env raises when the request's own values are wrong (options, an action's frame):
#: answered with a 4xx by `status_of`, never as the hub's 500
CLIENT_ERRORS = (GymhubError, TypeError, ValueError, LookupError, OverflowError)

#: how much of a client's own string an error message repeats
ECHO_CHARS = 200


def echo(value: object) -> str:
    """`repr(value)`, cut to ECHO_CHARS: an error names what it got without sending a
    megabyte-long id back (a client not reading its answers would have the server hold it)."""
    shown = repr(value)
    return shown if len(shown) <= ECHO_CHARS else f"{shown[:ECHO_CHARS]}... ({len(shown)} chars)"


class UnknownSessionError(ServerError):
    def __init__(self, session_id: str) -> None:
        super().__init__(
            404,
            "unknown_session",
            f"unknown session {echo(session_id)}: it was never created, was closed, or its lease "
            "expired after the idle timeout; create a new session",
        )


class CapacityError(ServerError):
    def __init__(self, max_sessions: int, retry_after_s: int) -> None:
        super().__init__(
            503,
            "at_capacity",
            f"the server holds its maximum of {max_sessions} sessions; close sessions or retry "
            f"after {retry_after_s}s",
            {"Retry-After": str(retry_after_s)},
        )


def status_of(exc: BaseException, *, during: str) -> tuple[int, str]:
    """Map an exception raised by an environment to (HTTP status, error type).

    `during` is "reset" or "step": a TypeError/ValueError raised by `step` means the action was
    malformed (422); one raised by `reset` means the options were (422 as well). An
    OverflowError is a value out of range like a ValueError (`math.isfinite` of an integer of
    4,000 digits, a client's `difficulty` option, raises one): it was a 500 `env_error`.
    """
    if isinstance(exc, ServerError):
        return exc.status, exc.type
    if isinstance(exc, UnknownEnvError):
        return 404, "unknown_env"
    if isinstance(exc, InvalidOptionsError):
        return 422, "invalid_options"
    if isinstance(exc, EpisodeDoneError):
        return 409, "episode_done"
    if isinstance(exc, ResetNeededError):
        return 409, "reset_needed"
    if isinstance(exc, (TypeError, ValueError, OverflowError)):
        return 422, "invalid_action" if during == "step" else "invalid_options"
    return 500, "env_error"


#: the longest error message answered (an env's message may quote a whole action)
MESSAGE_CHARS = 2000


def clip(message: str) -> str:
    """An error message cut to MESSAGE_CHARS."""
    if len(message) <= MESSAGE_CHARS:
        return message
    return f"{message[:MESSAGE_CHARS]}... ({len(message)} chars)"


def describe(exc: BaseException, *, during: str) -> str:
    """The message of an env's error for the client. A KeyError or IndexError says only the
    key (`'low'`): it is named, with what the env was doing."""
    if isinstance(exc, LookupError) and not isinstance(exc, GymhubError):
        what = "the options" if during == "reset" else "the action"
        return f"the env could not use {what}: {type(exc).__name__}: {exc}"
    return str(exc)


def validation_problem(error: Any) -> str:
    """One of pydantic's errors as `where: what`, with the JSON decoder's reason when the body
    is not JSON at all (pydantic says only 'JSON decode error')."""
    where = ".".join(str(p) for p in error.get("loc", ()))
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error")
        return f"the body is not valid JSON: {reason}" if reason else "the body is not valid JSON"
    return f"{where}: {error.get('msg', '')}"


def validation_problems(exc: Any) -> str:
    """A pydantic ValidationError as one line: its first five problems, `where: what` each."""
    return "; ".join(validation_problem(e) for e in exc.errors()[:5]) or "invalid request"


def error_body(status: int, type_: str, message: str, **extra: Any) -> bytes:
    detail = {"status": status, "type": type_, "message": clip(message), **extra}
    return json.dumps({"error": detail}).encode()


class ResourceExhaustedError(ServerError):
    """A resource of the hub (sessions, sandboxes, browser contexts) is used up or unavailable:
    503 with Retry-After, never a 4xx, since the client's request was fine."""

    def __init__(self, resource: str, detail: str, retry_after_s: int) -> None:
        super().__init__(
            503,
            "resource_exhausted",
            f"no {resource} available right now ({detail}); retry after {retry_after_s}s",
            {"Retry-After": str(retry_after_s)},
        )
        self.resource = resource


def capacity_error_of(exc: BaseException, retry_after_s: int) -> ResourceExhaustedError | None:
    """The 503 to answer when `exc` (or what caused it) says a hub resource ran out.

    Errors name the resource they lack with an `exhausted_resource` attribute (the web host's
    browser errors do); a sandbox backend that cannot run is one too."""
    from gymhub.sandboxes.types import SandboxError

    if isinstance(exc, (TypeError, ValueError, LookupError, OverflowError)):
        return None  # the request's own fault (bad options, unknown names): a 4xx stands
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        resource = getattr(current, "exhausted_resource", None)
        if isinstance(resource, str):
            return ResourceExhaustedError(resource, str(current)[:500], retry_after_s)
        if isinstance(current, SandboxError):
            return ResourceExhaustedError("sandbox", str(current)[:500], retry_after_s)
        current = current.__cause__ or current.__context__
    return None
