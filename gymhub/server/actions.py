"""Reading an action sent as JSON: which part is wrong decides who failed.

An action's content and tool calls are the policy's output; its frame (an object, the role,
the field names) is the client's. A tool call whose name or arguments cannot be read is the
policy's malformed call, which the env answers with an error; content that is neither text nor
a list of text and image parts is the policy's malformed action (`MalformedAction`), scored as
its failure; only a wrong frame is a refused request (TypeError, 422)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from gymhub.server.errors import validation_problems
from gymhub.types import Action

__all__ = ["MalformedAction", "read_action", "tool_call_of"]

#: the name of a tool call whose name cannot be read (no tool has it: the env says so)
INVALID_CALL = "<invalid>"


class MalformedAction(ValueError):
    """The policy-written content of an action cannot be read: the step is the policy's
    malformed action, scored as such, never a refused request."""


def read_action(data: Any) -> Action:
    """An Action from a JSON action object. `content: null` is read as no text, as OpenAI's
    chat format writes a reply that is only tool calls; `tool_calls` that are not a list are
    one malformed call. Raises MalformedAction for content that cannot be read, TypeError for
    a frame that is wrong (not an object, another role, unknown fields)."""
    if not isinstance(data, dict):
        raise TypeError(f"an action must be a JSON object or a string, got {data!r:.80}")
    data = dict(data)
    if "content" in data and data["content"] is None:
        data["content"] = ""
    calls = data.get("tool_calls")
    if isinstance(calls, list):
        data["tool_calls"] = [tool_call_of(call, i) for i, call in enumerate(calls)]
    elif calls is not None:
        data["tool_calls"] = [tool_call_of(calls, 0)]
    content = data.get("content", "")
    if not isinstance(content, str):
        try:
            Action.model_validate({"content": content})
        except ValidationError as exc:
            raise MalformedAction(
                "the action's content is neither text nor a list of text and image parts "
                f"({validation_problems(exc)})"
            ) from None
    try:
        return Action.model_validate(data)
    except ValidationError as exc:
        raise TypeError(f"invalid action: {validation_problems(exc)}") from None


def tool_call_of(call: Any, i: int) -> dict[str, Any]:
    """One entry of an action's `tool_calls` as a gymhub ToolCall's fields. Its name and
    arguments are the policy's output: a name that is not a string, or arguments that are
    neither an object nor JSON text, make the policy's malformed call (named `<invalid>`, the
    arguments kept as their JSON text, as for a malformed call written in text), which the env
    answers with an error; never a refused step. OpenAI's shape (`{"type": "function",
    "function": {"name", "arguments"}}`) is read too; other fields are left out."""
    if not isinstance(call, dict):
        return {"id": f"call_{i}", "name": INVALID_CALL, "arguments": _json_text(call)}
    function = call.get("function")
    source = function if isinstance(function, dict) and "name" not in call else call
    call_id, name, arguments = call.get("id"), source.get("name"), source.get("arguments")
    if arguments is not None and not isinstance(arguments, (dict, str)):
        arguments = _json_text(arguments)
    return {
        "id": call_id if isinstance(call_id, str) else f"call_{i}",
        "name": name if isinstance(name, str) else INVALID_CALL,
        "arguments": {} if arguments is None else arguments,
    }


def _json_text(value: Any) -> str:
    """A value from the wire as JSON text, for the env to report as malformed arguments."""
    try:
        return json.dumps(value)[:2000]
    except (TypeError, ValueError, RecursionError):
        return "<arguments that cannot be written as JSON>"
