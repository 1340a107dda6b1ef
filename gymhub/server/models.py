"""Request and response bodies of the HTTP API (they make the OpenAPI spec precise)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from gymhub.types import Action, Observation

SEED = Field(None, ge=0, le=2**63 - 1, description="episode seed; same seed, same episode")
REQUEST_ID = Field(
    None,
    min_length=1,
    max_length=128,
    description="client-chosen id; a retried request with the same id is answered from cache, "
    "never executed twice",
)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CreateSession(_Body):
    env_id: str = Field(..., min_length=1, max_length=256)
    seed: StrictInt | None = SEED  # strict: "1" and true are rejected, as a local env does
    options: dict[str, Any] | None = None
    request_id: str | None = REQUEST_ID


class ResetSession(_Body):
    seed: StrictInt | None = SEED  # strict: "1" and true are rejected, as a local env does
    options: dict[str, Any] | None = None
    request_id: str | None = REQUEST_ID


class StepSession(_Body):
    #: an object is read by gymhub.server.actions, not here: content or tool calls the policy
    #: wrote wrong are scored as its failure, a wrong frame is a 422. `dict` comes before
    #: `Action` (tried left to right): validating an action of 300,000 tool calls as an Action
    #: took seconds on the event loop, stalling every session; a large one is read off it.
    #: `Action` stays in the union for the OpenAPI spec.
    action: str | dict[str, Any] | Action = Field(
        ..., description="a string or an assistant message", union_mode="left_to_right"
    )
    request_id: str | None = REQUEST_ID


class ResetResult(BaseModel):
    session_id: str
    env_id: str
    version: int
    observation: Observation
    info: dict[str, Any]
    lease_s: float
    #: the largest request body (and WebSocket message) the server takes: a client learns here
    #: that a longer action cannot be sent, and ends the step as the policy's, not the hub's
    max_body_bytes: int
    #: the server's deadline for one call into this episode's env (its step budget included):
    #: a client that waits less for a step reports the policy's legitimate work as a hub failure
    step_deadline_s: float


class StepResult(BaseModel):
    observation: Observation
    reward: float
    terminated: bool
    truncated: bool
    info: dict[str, Any]


class ReferenceResult(BaseModel):
    action: Action | None
    secret_strings: list[str]


class ErrorDetail(BaseModel):
    status: int
    type: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail
