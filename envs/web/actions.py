"""The browser action language: parse text like `click("12")` or a tool call into an action.

Parsing uses Python's `ast` on one call expression and accepts only literal arguments, so model
output is never evaluated. Anything that is not a valid action becomes an error string that the
env reports in the next observation.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from typing import Any

from gymhub.tools import encodable, parse_text_tool_calls
from gymhub.types import Action, ToolSpec
from gymhub.verifiers.extract import strip_think

MAX_ACTION_CHARS = 20_000
MAX_TEXT_ARG = 2_000

_BID = {"type": "string", "description": "the element id shown in brackets, e.g. '12'"}
_NUM = {"type": "number"}
#: name -> (parameter names, JSON schemas, description)
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[dict[str, Any], ...], str]] = {
    "click": (("bid",), (_BID,), "Click the element."),
    "fill": (("bid", "value"), (_BID, {"type": "string"}), "Replace the text of an input."),
    "select_option": (
        ("bid", "option"),
        (_BID, {"type": "string"}),
        "Choose an option of a <select> by its label.",
    ),
    "check": (("bid",), (_BID,), "Tick a checkbox or radio button."),
    "uncheck": (("bid",), (_BID,), "Untick a checkbox."),
    "hover": (("bid",), (_BID,), "Move the mouse over the element."),
    "press": (
        ("key",),
        ({"type": "string", "description": "a key such as Enter, Tab, ArrowDown, Control+a"},),
        "Press a key on the focused element (press(bid, key) focuses bid first).",
    ),
    "focus": (("bid",), (_BID,), "Focus the element."),
    "drag": (("from_bid", "to_bid"), (_BID, _BID), "Drag one element onto another."),
    "scroll": (("dx", "dy"), (_NUM, _NUM), "Scroll the page by (dx, dy) pixels."),
    "mouse_click": (("x", "y"), (_NUM, _NUM), "Click at page coordinates (pixels)."),
    "goto": (("url",), ({"type": "string"},), "Open a URL of the task site."),
    "go_back": ((), (), "Go back to the previous page."),
    "noop": ((), (), "Do nothing (wait)."),
    "send_msg": (
        ("text",),
        ({"type": "string"},),
        "Send a message to the user; ends the episode (use it to report an answer or finish).",
    ),
}
_ARITY_EXTRA = {"press": 2}  # press(bid, key) is also accepted


@dataclass(frozen=True)
class BrowserAction:
    name: str
    args: tuple[Any, ...]

    def __str__(self) -> str:
        return f"{self.name}({', '.join(_fmt(a) for a in self.args)})"


def _fmt(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return repr(value)


def tool_specs() -> list[ToolSpec]:
    """The actions as JSON-schema tools (for policies with native tool calling)."""
    specs = []
    for name, (params, schemas, doc) in ACTIONS.items():
        parameters: dict[str, Any] = {
            "type": "object",
            "properties": dict(zip(params, schemas)),
            "required": list(params),
        }
        specs.append(ToolSpec(name=name, description=doc, parameters=parameters))
    return specs


def _check(name: str, args: tuple[Any, ...]) -> BrowserAction:
    if name not in ACTIONS:
        raise ValueError(f"unknown action {name[:40]!r}; valid actions: {', '.join(ACTIONS)}")
    params, schemas, _ = ACTIONS[name]
    allowed = {len(params), _ARITY_EXTRA.get(name, len(params))}
    if len(args) not in allowed:
        raise ValueError(f"{name} takes {len(params)} argument(s) ({', '.join(params)})")
    if name == "press" and len(args) == 2:
        schemas = (_BID, schemas[0])
    clean = []
    for value, schema in zip(args, schemas):
        if schema.get("type") == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} expects numbers, got {type(value).__name__}")
            if not -100_000 <= value <= 100_000:
                raise ValueError(f"{name}: coordinate {value} out of range")
            clean.append(value)
        else:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and schema is _BID:
                value = str(value)  # click(12) is a forgivable slip
            if not isinstance(value, str):
                raise ValueError(f"{name} expects string arguments, got {type(value).__name__}")
            if len(value) > MAX_TEXT_ARG:
                raise ValueError(f"{name}: argument longer than {MAX_TEXT_ARG} characters")
            # a lone surrogate (`"\\ud800"` in a literal or in JSON) cannot be typed, sent to the
            # browser or echoed in an observation: it becomes U+FFFD like anywhere in the hub
            clean.append(encodable(value))
    return BrowserAction(name, tuple(clean))


_CALL_START = re.compile(r"\b([a-z_]{2,20})\s*\(")

# Python's parser warns on stderr about odd literals (`3j0`, `0x1g`, `1if`): model output printed
# a SyntaxWarning line into the hub's log for each of the up to 1,000 candidate calls of every
# action. Parsed under this name, which only this module uses, they are silenced; others are not.
_SOURCE_NAME = "<gymhub-action>"
_QUIET = re.escape(_SOURCE_NAME) + r"\Z"


def _quiet_parser() -> None:
    """Keep the filter that silences the parser's warnings about the policy's text in force (a
    `warnings.catch_warnings()` block around an import or a call drops filters added in it)."""
    if not any(
        f[2] is SyntaxWarning and f[3] is not None and f[3].pattern == _QUIET
        for f in warnings.filters
    ):
        warnings.filterwarnings("ignore", category=SyntaxWarning, module=_QUIET)


def _parse_call(text: str) -> BrowserAction | None:
    """The call in `text` if it is exactly one call to a known action with literal arguments."""
    try:
        _quiet_parser()
        node = ast.parse(text.strip(), filename=_SOURCE_NAME, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        return None
    name = node.func.id
    if name not in ACTIONS:
        raise ValueError(f"unknown action {name[:40]!r}; valid: {', '.join(ACTIONS)}")
    try:
        args = [ast.literal_eval(a) for a in node.args]
        keywords = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError) as exc:
        raise ValueError(f"arguments of {name} must be literals") from exc
    if keywords:  # click(bid="3") is accepted as click("3")
        params = ACTIONS[name][0]
        if name == "press" and "bid" in keywords:
            params = ("bid", "key")
        unknown = set(keywords) - set(params[len(args) :])
        if None in keywords or unknown:
            raise ValueError(f"{name}: unexpected keyword argument(s); parameters: {params}")
        missing = [p for p in params[len(args) :] if p not in keywords]
        if missing:
            raise ValueError(f"{name}: missing argument(s) {missing}")
        args += [keywords[p] for p in params[len(args) :]]
    return _check(name, tuple(args))


_FENCE = "```"
_FENCE_LANGUAGE = re.compile(r"\w*\s*")  # matched at the block's start only: linear


def _fenced_blocks(text: str) -> list[str]:
    """The bodies of the text's ``` fenced blocks, in order, each without its language word.
    A scan with str.find: the regex ```(?:\\w+)?\\s*(.*?)``` took quadratic time on an unclosed
    fence (one step of "```" and 20,000 letters: 1.1 s of CPU), backtracking the language word
    over every length while the lazy body re-scanned to the end."""
    blocks, pos = [], 0
    while (start := text.find(_FENCE, pos)) >= 0:
        end = text.find(_FENCE, start + len(_FENCE))
        if end < 0:
            break
        body = text[start + len(_FENCE) : end]
        blocks.append(body[_FENCE_LANGUAGE.match(body).end() :])  # type: ignore[union-attr]
        pos = end + len(_FENCE)
    return blocks


def parse_text(text: str) -> BrowserAction:
    """The action written in `text`: the last line (or fenced block) that is one action call."""
    if len(text) > MAX_ACTION_CHARS:
        raise ValueError(f"action text longer than {MAX_ACTION_CHARS} characters")
    text = text.replace("\x00", "")
    candidates = [text]
    candidates.extend(reversed(_fenced_blocks(text)))
    for line in reversed(text.splitlines()[-200:]):
        starts = [m.start() for m in _CALL_START.finditer(line)][-5:]
        candidates.extend(line[i:].rstrip(" .;") for i in reversed(starts))  # "Action: click(..)"
    first_error: ValueError | None = None
    for candidate in candidates:
        if not _CALL_START.search(candidate) or len(candidate) > MAX_ACTION_CHARS:
            continue
        try:
            found = _parse_call(candidate)
        except ValueError as exc:
            first_error = first_error or exc
            continue
        if found is not None:
            return found
    if first_error is not None:
        raise first_error
    raise ValueError(
        'no action found: reply with one call such as click("12") or fill("7", "text")'
    )


def parse_action(action: Action) -> BrowserAction:
    """The action of a policy message: its first tool call if any, else the text's call. Text is
    read after any `<think>` block (an unclosed one means no action): a call drafted in the
    reasoning (`send_msg` with a guess, say) is never run in place of the one the reply ends
    with."""
    text = strip_think(action.text)
    calls = list(action.tool_calls or []) or parse_text_tool_calls(text[:MAX_ACTION_CHARS])
    if calls:
        call = calls[0]
        if call.name not in ACTIONS:
            raise ValueError(f"unknown tool {call.name[:40]!r}; valid: {', '.join(ACTIONS)}")
        arguments = call.parsed_arguments()  # ValueError for bad JSON or nesting too deep
        params = ACTIONS[call.name][0]
        if call.name == "press" and "bid" in arguments:
            params = ("bid", "key")
        unknown = set(arguments) - set(params)
        if unknown:
            raise ValueError(f"{call.name}: unknown argument(s) {sorted(unknown)[:5]}")
        missing = [p for p in params if p not in arguments]
        if missing:
            raise ValueError(f"{call.name}: missing argument(s) {missing}")
        return _check(call.name, tuple(arguments[p] for p in params))
    return parse_text(text)
