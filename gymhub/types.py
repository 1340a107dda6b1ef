"""Core data types shared by every part of the hub (pydantic v2, exact JSON round-trip).

The shapes follow the OpenAI chat format so that observations can be fed to any chat model and
policies' outputs can be consumed without translation.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Role = Literal["system", "user", "assistant", "tool"]
VerdictStatus = Literal[
    "correct", "incorrect", "partial", "unparseable", "timeout", "error", "infra_error"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class TextPart(_Model):
    type: Literal["text"] = "text"
    text: str


class ImagePart(_Model):
    """An image as base64-encoded bytes (PNG unless `mime_type` says otherwise)."""

    type: Literal["image"] = "image"
    image: str
    mime_type: str = "image/png"


ContentPart = Annotated[TextPart | ImagePart, Field(discriminator="type")]


class ToolCall(_Model):
    """A function call requested by the assistant. `arguments` keeps the raw JSON text when the
    model produced something that is not a JSON object, so the environment can report the error."""

    id: str = "call_0"
    name: str
    arguments: dict[str, Any] | str = Field(default_factory=dict)

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; raises ValueError with a readable reason otherwise."""
        if isinstance(self.arguments, dict):
            return self.arguments
        try:
            value = json.loads(self.arguments) if self.arguments.strip() else {}
        except RecursionError as exc:  # JSON nested deeper than the decoder's stack
            raise ValueError(f"arguments of tool call {self.name!r} nest too deeply") from exc
        except ValueError as exc:  # also an int literal too long for Python to read
            raise ValueError(
                f"arguments of tool call {self.name!r} are not valid JSON: {exc}"
            ) from exc
        if not isinstance(value, dict):
            raise ValueError(f"arguments of tool call {self.name!r} must be a JSON object")
        return value


class ToolSpec(_Model):
    """A JSON-schema function description, as in OpenAI's `tools` parameter."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})

    def to_openai(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


class Message(_Model):
    role: Role
    content: str | list[ContentPart] = ""
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None
    name: str | None = None

    @property
    def text(self) -> str:
        """The message's text, with image parts left out."""
        content = self.content  # one read: a pydantic attribute read is not a cheap one
        if content.__class__ is str or isinstance(content, str):
            return content
        return "".join(p.text for p in content if isinstance(p, TextPart))

    def to_openai(self) -> dict[str, Any]:
        """The message as an OpenAI chat-completions dict."""
        out: dict[str, Any] = {"role": self.role}
        if isinstance(self.content, str):
            out["content"] = self.content
        else:
            out["content"] = [
                {"type": "text", "text": p.text}
                if isinstance(p, TextPart)
                else {
                    "type": "image_url",
                    "image_url": {"url": f"data:{p.mime_type};base64,{p.image}"},
                }
                for p in self.content
            ]
        if self.tool_calls:
            out["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {
                        "name": c.name,
                        "arguments": c.arguments
                        if isinstance(c.arguments, str)
                        else json.dumps(c.arguments),
                    },
                }
                for c in self.tool_calls
            ]
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        if self.name is not None:
            out["name"] = self.name
        return out


class Action(Message):
    """What a policy emits: an assistant message. Anywhere an Action is expected a plain `str`
    is accepted and means `Action(content=str)`."""

    role: Literal["assistant"] = "assistant"

    @classmethod
    def coerce(cls, value: Action | Message | str | dict[str, Any]) -> Action:
        """Turn what a caller passed as an action into an Action, or raise TypeError saying why."""
        if isinstance(value, Action):
            return value
        if isinstance(value, str):
            return cls(content=value)
        if isinstance(value, Message):
            if value.role != "assistant":
                raise TypeError(f"an action must be an assistant message, got role {value.role!r}")
            return cls.model_validate(value.model_dump())
        if isinstance(value, dict):
            try:
                return cls.model_validate(value)
            except Exception as exc:  # pydantic.ValidationError
                raise TypeError(f"invalid action dict: {exc}") from exc
        raise TypeError(
            "an action must be a str, a gymhub.Action or an assistant Message, "
            f"got {type(value).__name__}"
        )


class Observation(_Model):
    """Messages to append to the conversation (at reset: the whole prompt). With
    `replace_context=True` the environment rewrote the context and these messages replace it."""

    messages: list[Message] = Field(default_factory=list)
    tools: list[ToolSpec] = Field(default_factory=list)
    replace_context: bool = False

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages)


class Verdict(_Model):
    """A scored judgement. `infra_error` means the hub failed, not the policy: trainers mask such
    rollouts instead of scoring them 0."""

    reward: float
    status: VerdictStatus
    components: dict[str, float] = Field(default_factory=dict)
    detail: str | None = None

    @field_validator("reward")
    @classmethod
    def _finite(cls, value: float) -> float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("reward must be a finite number")
        return value

    @classmethod
    def correct(cls, reward: float = 1.0, **kw: Any) -> Verdict:
        return cls(reward=reward, status="correct", **kw)

    @classmethod
    def incorrect(cls, detail: str | None = None, **kw: Any) -> Verdict:
        return cls(reward=kw.pop("reward", 0.0), status="incorrect", detail=detail, **kw)

    @classmethod
    def unparseable(cls, detail: str | None = None, **kw: Any) -> Verdict:
        return cls(reward=kw.pop("reward", 0.0), status="unparseable", detail=detail, **kw)

    @property
    def is_infra_error(self) -> bool:
        return self.status == "infra_error"


class Task(_Model):
    """One problem instance: what the policy is asked, the gold answer (never shown to it) and
    free-form metadata (difficulty, source, verifier options)."""

    model_config = ConfigDict(extra="forbid")

    id: str = ""
    question: str = ""
    answer: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _json_only(self) -> Task:
        try:
            json.dumps(self.answer)
            json.dumps(self.metadata)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"task answer and metadata must be JSON-serializable: {exc}") from exc
        return self
