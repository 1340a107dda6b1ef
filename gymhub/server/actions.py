"""Reading an action sent as JSON: which part is wrong decides who failed.

An action's content and tool calls are the policy's output; its frame (an object, the role,
the field names) is the client's. A tool call whose name or arguments cannot be read is the
policy's malformed call, which the env answers with an error; content that is neither text nor
a list of text and image parts is the policy's malformed action (`MalformedAction`), scored as
its failure; only a wrong frame is a refused request (TypeError, 422)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter, ValidationError

from gymhub.server.errors import validation_problems
from gymhub.types import Action, ContentPart, ToolCall

__all__ = ["MalformedAction", "is_large", "read_action", "tool_call_of"]

#: the name of a tool call whose name cannot be read (no tool has it: the env says so)
INVALID_CALL = "<invalid>"
_TEXT_KEYS = frozenset(("role", "content"))
#: tool calls or content parts past which an action is read off the event loop (`is_large`)
LARGE_PARTS = 32


class MalformedAction(ValueError):
    """The policy-written content of an action cannot be read: the step is the policy's
    malformed action, scored as such, never a refused request."""


def read_action(data: Any) -> Action:
    """An Action from a JSON action object. `content: null` is read as no text, as OpenAI's
    chat format writes a reply that is only tool calls; `tool_calls` that are not a list are
    one malformed call. Raises MalformedAction for content that cannot be read, TypeError for
    a frame that is wrong (not an object, another role, unknown fields)."""
    if data.__class__ is dict and data.keys() <= _TEXT_KEYS:  # the common case: a text reply
        content = data.get("content", "")
        if content.__class__ is str and data.get("role", "assistant") == "assistant":
            return Action(content=content)
    if not isinstance(data, dict):
        raise TypeError(f"an action must be a JSON object or a string, got {data!r:.80}")
    data = dict(data)
    if "content" in data and data["content"] is None:
        data["content"] = ""
    calls = data.get("tool_calls")
    if isinstance(calls, list):
        data["tool_calls"] = [tool_call_of(call, i) for i, call in enumerate(calls)]
        if len(calls) > LARGE_PARTS:  # one by one: see _one_by_one
            try:
                data["tool_calls"] = _one_by_one(data["tool_calls"], _TOOL_CALL, "tool_calls")
            except _ItemError as exc:
                raise TypeError(f"invalid action: {exc}") from None
    elif calls is not None:
        data["tool_calls"] = [tool_call_of(calls, 0)]
    content = data.get("content", "")
    if not isinstance(content, str):
        try:
            if isinstance(content, list) and len(content) > LARGE_PARTS:
                data["content"] = _one_by_one(content, _PART, "content")
            else:
                Action.model_validate({"content": content})
        except (ValidationError, _ItemError) as exc:
            problem = validation_problems(exc) if isinstance(exc, ValidationError) else exc
            raise MalformedAction(
                "the action's content is neither text nor a list of text and image parts "
                f"({problem})"
            ) from None
    try:
        return Action.model_validate(data)
    except ValidationError as exc:
        raise TypeError(f"invalid action: {validation_problems(exc)}") from None


_TOOL_CALL: TypeAdapter[ToolCall] = TypeAdapter(ToolCall)
_PART: TypeAdapter[Any] = TypeAdapter(ContentPart)


class _ItemError(ValueError):
    """One item of a large list is not valid (`where: what`)."""


def _one_by_one(items: list[Any], adapter: TypeAdapter[Any], where: str) -> list[Any]:
    """`items` validated one at a time. Validating a list of 300,000 in one call held the GIL
    for seconds, so reading a large action in a worker thread still stalled the event loop;
    between items other threads run. `Action` takes the models made as they are."""
    out = []
    for i, item in enumerate(items):
        try:
            out.append(adapter.validate_python(item))
        except ValidationError as exc:
            problems = (
                ".".join([where, str(i), *map(str, e.get("loc", ()))]) + f": {e.get('msg', '')}"
                for e in exc.errors()[:5]
            )
            raise _ItemError("; ".join(problems)) from None
    return out


def is_large(data: Any) -> bool:
    """Whether reading the JSON action `data` takes long enough to block an event loop: more
    than LARGE_PARTS tool calls or content parts (a 4 MB body holds some 300,000, which took
    seconds to validate). Such an action is read in a worker thread."""
    if data.__class__ is not dict:
        return False
    calls, content = data.get("tool_calls"), data.get("content")
    return (calls.__class__ is list and len(calls) > LARGE_PARTS) or (
        content.__class__ is list and len(content) > LARGE_PARTS
    )


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
