"""Tools as plain Python callables: JSON schemas from signatures and docstrings, safe execution.

A bad tool call from the policy (unknown tool, bad JSON, JSON nested too deep, wrong arguments, a
tool that raises) becomes an error message for the policy, never an exception in the hub.

The calls of one step share a time budget (`Toolbox.call_all(calls, budget_s=...)`): once it is
spent, the remaining calls are answered with an error instead of being run, so a policy's many
calls, each within its own limit, cannot add up past a server's per-step deadline. A tool with a
timeout of its own caps it with `time_left()`.
"""

from __future__ import annotations

import bisect
import contextvars
import enum
import inspect
import json
import math
import re
import time
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from gymhub.types import Message, ToolCall, ToolSpec

_JSON_TYPES: dict[Any, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
}
MAX_TOOL_OUTPUT_CHARS = 8_000
#: the deadline (time.monotonic()) of the tool calls now running, if any
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("gymhub_tool_deadline")


def time_left() -> float:
    """Seconds left in the running step's tool budget (infinite outside a budgeted tool loop).

    Tools with a timeout of their own (a sandbox run, a page load) use
    `min(own_timeout, time_left())` so that one call cannot overrun what the step has left."""
    deadline = _DEADLINE.get(None)
    return math.inf if deadline is None else max(0.0, deadline - time.monotonic())


#: tool-call arguments nested deeper than this are not kept (recording them would overflow the
#: stack); the env sees a malformed call instead and answers it as the policy's error.
MAX_ARGUMENT_DEPTH = 64


def nesting_depth(value: Any, limit: int) -> int:
    """Depth of nested lists/dicts in `value`, counted without recursion and capped at `limit`."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, (list, tuple)):
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest >= limit:
                return limit
        stack.extend((child, depth) for child in item)
    return deepest


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """`text` itself when it can be encoded as UTF-8, else with each lone surrogate as U+FFFD."""
    if text.isascii():  # O(1) in CPython: the string knows its widest character
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


#: below this many bits an int has fewer than 4,300 digits, Python's default limit on writing one
_WRITABLE_INT_BITS = 14_000
_LOG10_2 = 0.30103


def about_digits(value: int) -> int:
    """How many decimal digits `value` has: counted when it can be written out, else estimated
    from its bit length (an int past Python's digit limit has no text to count; messages about
    huge ints use this)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"value must be an int, got {type(value).__name__}")
    if value.bit_length() <= _WRITABLE_INT_BITS:
        return len(str(abs(value)))
    return int(value.bit_length() * _LOG10_2) + 1


def _scrub(value: Any) -> Any:
    # only called on values at most MAX_ARGUMENT_DEPTH deep, so the recursion is bounded
    if isinstance(value, str):
        return encodable(value)
    if isinstance(value, int) and value.bit_length() > _WRITABLE_INT_BITS:
        try:  # Python refuses to write ints past sys.get_int_max_str_digits(): JSON could not
            str(value)
        except ValueError:
            return f"<an integer of about {about_digits(value)} digits was dropped>"
    if isinstance(value, dict):
        return {encodable(str(k)): _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


def recordable_call(call: ToolCall) -> ToolCall:
    """`call` with encodable text, and arguments nested past `MAX_ARGUMENT_DEPTH` or integers too
    long to write as text replaced by a note (so the tool answers a malformed call instead of the
    hub overflowing its stack or failing to send or record the call)."""
    arguments: Any = call.arguments
    if isinstance(arguments, str):
        arguments = encodable(arguments)
    elif nesting_depth(arguments, MAX_ARGUMENT_DEPTH + 1) > MAX_ARGUMENT_DEPTH:
        arguments = f"<arguments nested deeper than {MAX_ARGUMENT_DEPTH} levels were dropped>"
    else:
        arguments = _scrub(arguments)
    return ToolCall.model_construct(
        id=encodable(call.id), name=encodable(call.name), arguments=arguments
    )


_SCALARS: dict[type, str] = {int: "integer", float: "number", str: "string", bool: "boolean"}
_SCALARS[type(None)] = "null"


def _enum_schema(values: list[Any]) -> dict[str, Any]:
    kinds = list(dict.fromkeys(_SCALARS.get(type(v), "string") for v in values))
    return {"type": kinds[0] if len(kinds) == 1 else kinds, "enum": values}


def _schema_for(annotation: Any) -> dict[str, Any]:
    """The JSON schema of a type hint, written the way transformers' `get_json_schema` writes it
    (so a tool reads the same to a model whichever library described it); hints it cannot
    express (custom classes, none at all) give `{}`, any value, instead of an error."""
    if annotation is inspect.Parameter.empty or annotation is Any:
        return {}
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is None and isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _enum_schema([member.value for member in annotation])
    if origin is typing.Literal:
        return _enum_schema(list(args))
    if origin in (typing.Union, types.UnionType):
        parts = [_schema_for(a) for a in args if a is not type(None)]
        if len(parts) == 1:
            schema = parts[0]
        elif all(set(p) == {"type"} and isinstance(p["type"], str) for p in parts):
            kinds = sorted({p["type"] for p in parts})
            schema = {"type": kinds[0] if len(kinds) == 1 else kinds}
        else:
            schema = {"anyOf": parts}
        if type(None) in args:
            schema = {**schema, "nullable": True}
        return schema
    if origin is list:
        return {"type": "array", **({"items": _schema_for(args[0])} if args else {})}
    if origin is tuple:
        if len(args) >= 2 and ... not in args:
            return {"type": "array", "prefixItems": [_schema_for(a) for a in args]}
        return {"type": "array", **({"items": _schema_for(args[0])} if args else {})}
    if origin is dict:
        if len(args) == 2:
            return {"type": "object", "additionalProperties": _schema_for(args[1])}
        return {"type": "object"}
    if annotation in _JSON_TYPES:
        return {"type": _JSON_TYPES[annotation]}
    if annotation is type(None):
        return {"type": "null"}
    return {}


_SECTION = re.compile(r"^\s*(Args|Arguments|Returns|Raises|Yields|Examples?|Notes?):\s*$")
_CHOICES = re.compile(r"\(choices:\s*(.*?)\)\s*$", re.IGNORECASE)


def _summary(doc: str) -> str:
    """The description: everything before the first Args/Returns/Raises section."""
    match = re.search(r"^(.*?)[\n\s]*(Args:|Returns:|Raises:|\Z)", doc, re.S)
    return (match.group(1) if match else doc).strip()


def _param_docs(doc: str) -> dict[str, str]:
    """Parameter descriptions from a Google-style `Args:` block (continuation lines joined) or
    Sphinx `:param name: text` lines."""
    found: dict[str, str] = {}
    lines = doc.splitlines()
    in_args, indent, current = False, 0, None
    for line in lines:
        stripped = line.strip()
        if _SECTION.match(line):
            in_args, current = line.strip().rstrip(":") in ("Args", "Arguments"), None
            continue
        if not in_args or not stripped:
            continue
        depth = len(line) - len(line.lstrip())
        match = re.match(r"\s*(\w+)\s*(?:\([^()\n]*\))?\s*:\s*(.*)", line)
        if match and (current is None or depth <= indent):
            current, indent = match.group(1), depth
            found[current] = match.group(2).strip()
        elif current is not None:
            found[current] = f"{found[current]} {stripped}".strip()
    for line in lines:
        match = re.match(r"\s*:param\s+(?:[^:]*\s)?(\w+)\s*:\s*(.+)", line)
        if match:
            found.setdefault(match.group(1), match.group(2).strip())
    return found


def tool_spec(fn: Callable[..., Any], name: str | None = None) -> ToolSpec:
    """The JSON-schema description of `fn`, from its signature, type hints and docstring, the
    same as transformers' `get_json_schema` for the functions it accepts."""
    signature = inspect.signature(fn)
    try:
        hints = typing.get_type_hints(fn)
    except Exception:
        hints = {}
    doc = inspect.getdoc(fn) or ""
    param_docs = _param_docs(doc)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for pname, param in signature.parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        schema = _schema_for(hints.get(pname, param.annotation))
        if pname in param_docs:
            text = param_docs[pname]
            choices = _CHOICES.search(text)
            if choices:
                try:
                    values = json.loads(choices.group(1))
                    schema["enum"] = [v.strip() if isinstance(v, str) else v for v in values]
                    text = text[: choices.start()].strip()
                except ValueError:
                    pass
            schema["description"] = text
        if param.default is inspect.Parameter.empty:
            required.append(pname)
        properties[pname] = schema
    parameters: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        parameters["required"] = required
    return ToolSpec(name=name or fn.__name__, description=_summary(doc), parameters=parameters)


_OPEN_TAG, _CLOSE_TAG = "<tool_call>", "</tool_call>"
# Qwen3.5/Qwen3-Coder/Nemotron: <tool_call><function=name><parameter=k>v</parameter></function>
_XML_FUNCTION = re.compile(r"^<function=([^\s>]+)>(.*?)(?:</function>)?$", re.S)
_PARAMETER_NAME = re.compile(r"<parameter=([^\s>]+)>")
# GLM-4: <tool_call>name<arg_key>k</arg_key><arg_value>v</arg_value></tool_call>
_GLM_NAME = re.compile(r"([^\s<]+)\s*")
# GPT-OSS (harmony): to=functions.name<|channel|>commentary json<|message|>{...}<|call|>
_HARMONY_NAME = re.compile(r"to=functions\.([\w.-]+)")
_HARMONY_HEADER_TOKENS = ("<|channel|>", "<|constrain|>")
# These formats are read by scanning with str.find, never by a regex with a lazy `.*?` between
# two tags: such a regex re-scans to the end from every unclosed opening tag (quadratic), and
# GLM's whole-body pattern backtracked exponentially (20 arguments and a stray `x` never ended).
# Mistral (v11+): [TOOL_CALLS]name[ARGS]{...}
_MISTRAL_ARGS = re.compile(r"\[TOOL_CALLS\]\s*([\w.-]+)\s*\[ARGS\]", re.S)
_BARE_PREFIXES = ("<|python_tag|>", "[TOOL_CALLS]")
_END_OF_TURN = re.compile(r"(?:<\|[a-z_]+\|>|</s>)\s*$")


def _loose_value(text: str) -> Any:
    """A value written as text in an XML-style call: JSON when it parses, else the string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _call_from_json(data: Any, i: int) -> ToolCall:
    """A call from `{"name": ..., "arguments" | "parameters": ...}`; raises on anything else."""
    name = data["name"]
    if not isinstance(name, str):
        raise TypeError("name must be a string")
    args = data.get("arguments", data.get("parameters", {}))
    return ToolCall(
        id=f"call_{i}",
        name=name,
        arguments=args if isinstance(args, (dict, str)) else json.dumps(args),
    )


def _call_from_tag(body: str, i: int) -> ToolCall:
    """The body of one `<tool_call>` tag: JSON (Hermes/Qwen), XML (Qwen3.5) or GLM-4."""
    try:
        return _call_from_json(json.loads(body), i)
    except ValueError:
        pass
    match = _XML_FUNCTION.match(body)
    if match:
        args = {k: _loose_value(v) for k, v in _xml_parameters(match.group(2))}
        return ToolCall(id=f"call_{i}", name=match.group(1), arguments=args)
    glm = _glm_call(body)
    if glm is not None:
        name, pairs = glm
        args = {k.strip(): _loose_value(v) for k, v in pairs}
        return ToolCall(id=f"call_{i}", name=name, arguments=args)
    raise ValueError("not a tool call")


def _xml_parameters(body: str) -> list[tuple[str, str]]:
    """The `<parameter=k>v</parameter>` pairs of a Qwen3.5-style call (values stripped)."""
    pairs, pos = [], 0
    while (match := _PARAMETER_NAME.search(body, pos)) is not None:
        end = body.find("</parameter>", match.end())
        if end < 0:
            break
        pairs.append((match.group(1), body[match.end() : end].strip()))
        pos = end + len("</parameter>")
    return pairs


def _glm_call(body: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(name, [(key, value), ...]) when the whole body is GLM-4's `name<arg_key>k</arg_key>
    <arg_value>v</arg_value>...`, else None."""
    match = _GLM_NAME.match(body)
    if match is None:
        return None
    pairs, pos = [], match.end()
    while pos < len(body):
        key = _between(body, pos, "<arg_key>", "</arg_key>")
        if key is None:
            return None
        value = _between(body, _skip_space(body, key[1]), "<arg_value>", "</arg_value>")
        if value is None:
            return None
        pairs.append((key[0], value[0]))
        pos = _skip_space(body, value[1])
    return match.group(1), pairs


def _between(text: str, pos: int, open_: str, close: str) -> tuple[str, int] | None:
    """(what lies between `open_` at `pos` and the next `close`, the index after `close`)."""
    if not text.startswith(open_, pos):
        return None
    end = text.find(close, pos + len(open_))
    return None if end < 0 else (text[pos + len(open_) : end], end + len(close))


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _harmony_calls(text: str) -> list[tuple[str, str]]:
    """(name, arguments) of each GPT-OSS call: `to=functions.name`, a header of plain text and
    `<|channel|>`/`<|constrain|>` tokens, `<|message|>`, the arguments up to `<|call|>` or the
    end. Linear: the header's stray `<`s are found once, and each call start looks them up."""
    strays = [
        i
        for i in _positions(text, "<")
        if not text.startswith(_HARMONY_HEADER_TOKENS, i) and not text.startswith("<|message|>", i)
    ]
    calls, pos, message = [], 0, -1
    while (match := _HARMONY_NAME.search(text, pos)) is not None:
        if message < match.end():
            message = text.find("<|message|>", match.end())
            if message < 0:
                break
        stray = bisect.bisect_left(strays, match.end())
        if stray < len(strays) and strays[stray] < message:
            pos = match.start() + 1  # a header with other markup: not a call from here
            continue
        start = message + len("<|message|>")
        end = text.find("<|call|>", start)
        calls.append((match.group(1), text[start : len(text) if end < 0 else end]))
        pos = len(text) if end < 0 else end + len("<|call|>")
    return calls


def _positions(text: str, char: str) -> Iterator[int]:
    pos = text.find(char)
    while pos >= 0:
        yield pos
        pos = text.find(char, pos + 1)


def _invalid(i: int, body: str) -> ToolCall:
    return ToolCall(id=f"call_{i}", name="<invalid>", arguments=encodable(body[:2000]))


def _parse(parse: Callable[[], ToolCall], i: int, body: str) -> ToolCall:
    try:
        return recordable_call(parse())  # JSON escapes can spell lone surrogates
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return _invalid(i, body)


def _bare_json_calls(text: str) -> list[ToolCall]:
    """Llama 3 (`{"name": ..., "parameters": {...}}`, maybe after `<|python_tag|>`) and Mistral
    (`[TOOL_CALLS][{"name": ..., "arguments": {...}}]`): the whole reply is the JSON call(s)."""
    stripped = _END_OF_TURN.sub("", text.strip()).strip()
    marked = stripped.startswith(_BARE_PREFIXES)
    for prefix in _BARE_PREFIXES:
        stripped = stripped.removeprefix(prefix).strip()
    if not stripped.startswith(("{", "[")):
        return [_invalid(0, stripped)] if marked else []
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return [_invalid(0, stripped)] if marked else []
    items = data if isinstance(data, list) else [data]
    if not items or not all(
        isinstance(d, dict)
        and "name" in d
        and set(d) <= {"name", "arguments", "parameters", "id", "type"}
        for d in items
    ):
        return [_invalid(0, stripped)] if marked else []
    return [
        _parse(lambda d=d, i=i: _call_from_json(d, i), i, stripped) for i, d in enumerate(items)
    ]


def _tagged_bodies(text: str) -> list[str]:
    """The stripped bodies of the `<tool_call>...</tool_call>` pairs, in order, each ending at
    the first closing tag after its opening one. A scan with `str.find`, linear in the text: the
    regex `<tool_call>(.*?)</tool_call>` re-scanned to the end from every unclosed opening tag
    (`<tool_call>` written 8,000 times took 5 s)."""
    bodies: list[str] = []
    start = text.find(_OPEN_TAG)
    while start >= 0:
        end = text.find(_CLOSE_TAG, start + len(_OPEN_TAG))
        if end < 0:
            break
        bodies.append(text[start + len(_OPEN_TAG) : end].strip())
        start = text.find(_OPEN_TAG, end + len(_CLOSE_TAG))
    return bodies


def parse_text_tool_calls(text: str) -> list[ToolCall]:
    """Tool calls written as text, in the formats of the main model families:

    - Hermes/Qwen2.5/Qwen3: `<tool_call>{"name": ..., "arguments": {...}}</tool_call>`;
    - Qwen3.5/Qwen3-Coder: `<tool_call><function=name><parameter=k>v</parameter></function>...`;
    - GLM-4: `<tool_call>name<arg_key>k</arg_key><arg_value>v</arg_value></tool_call>`;
    - GPT-OSS: `to=functions.name<|channel|>commentary json<|message|>{...}<|call|>`;
    - Mistral: `[TOOL_CALLS][{"name": ..., "arguments": {...}}]` or `[TOOL_CALLS]name[ARGS]{...}`;
    - Llama 3: the whole reply is `{"name": ..., "parameters": {...}}` (after `<|python_tag|>`).

    Unparseable bodies are kept as calls named `<invalid>` so the env can answer with an error."""
    text = text or ""
    bodies = _tagged_bodies(text)
    if bodies:
        return [_parse(lambda b=b, i=i: _call_from_tag(b, i), i, b) for i, b in enumerate(bodies)]
    harmony = _harmony_calls(text)
    if harmony:
        return [
            _parse(
                lambda n=n, a=a, i=i: ToolCall(
                    id=f"call_{i}", name=n, arguments=_loose_value(a.strip()) if a.strip() else {}
                ),
                i,
                a,
            )
            for i, (n, a) in enumerate(harmony)
        ]
    named = list(_MISTRAL_ARGS.finditer(text))
    if named:
        calls = []
        for i, match in enumerate(named):
            end = named[i + 1].start() if i + 1 < len(named) else len(text)
            body = text[match.end() : end].strip()
            calls.append(
                _parse(
                    lambda n=match.group(1), b=body, i=i: ToolCall(
                        id=f"call_{i}", name=n, arguments=json.loads(b)
                    ),
                    i,
                    body,
                )
            )
        return calls
    return _bare_json_calls(text)


class Toolbox:
    """A set of callables exposed to the policy as tools."""

    def __init__(self, tools: list[Callable[..., Any]] | dict[str, Callable[..., Any]]) -> None:
        items = tools.items() if isinstance(tools, dict) else ((t.__name__, t) for t in tools)
        self.functions: dict[str, Callable[..., Any]] = {}
        self.specs: list[ToolSpec] = []
        for name, fn in items:
            if not callable(fn):
                raise TypeError(f"tool {name!r} is not callable")
            self.functions[name] = fn
            self.specs.append(tool_spec(fn, name))

    def call_all(
        self, calls: Sequence[ToolCall], *, budget_s: float | None = None
    ) -> list[Message]:
        """Run `calls` in order, all within `budget_s` seconds together (None: no budget).

        Calls that would start after the budget is spent are not run; their answer says so."""
        if budget_s is None:
            return [self.call(c) for c in calls]
        deadline = time.monotonic() + budget_s
        token = _DEADLINE.set(deadline)
        try:
            answers = []
            for c in calls:
                if time.monotonic() >= deadline:
                    answers.append(
                        self._answer(
                            c,
                            f"Error: this step's tool time budget ({budget_s:g}s) is spent; "
                            "the call was not run. Make fewer or cheaper calls per step.",
                        )
                    )
                else:
                    answers.append(self.call(c))
            return answers
        finally:
            _DEADLINE.reset(token)

    def call(self, call: ToolCall) -> Message:
        """Run one tool call and return the `tool` message with its result or error."""
        return self._answer(call, self._run(call))

    @staticmethod
    def _answer(call: ToolCall, content: str) -> Message:
        if len(content) > MAX_TOOL_OUTPUT_CHARS:
            content = content[:MAX_TOOL_OUTPUT_CHARS] + "\n[output truncated]"
        return Message(
            role="tool",
            content=encodable(content),
            tool_call_id=encodable(call.id),
            name=encodable(call.name),
        )

    def _run(self, call: ToolCall) -> str:
        fn = self.functions.get(call.name)
        if fn is None:
            return f"Error: unknown tool {call.name[:100]!r}; available tools: {sorted(self.functions)}"
        try:
            args = call.parsed_arguments()
        except ValueError as exc:
            return f"Error: {exc}"
        except RecursionError:
            return f"Error: arguments of tool call {call.name[:100]!r} are nested too deeply"
        try:
            inspect.signature(fn).bind(**args)
        except TypeError as exc:
            return f"Error: bad arguments for {call.name}: {exc}"
        try:
            result = fn(**args)
        except Exception as exc:  # a tool failing is feedback for the policy
            return f"Error: {call.name} failed: {type(exc).__name__}: {exc}"
        if isinstance(result, str):
            return result
        try:
            return json.dumps(result)
        except (TypeError, ValueError):
            return str(result)
