"""`gymhub play ID`: play one episode yourself in the terminal.

The env's text is shown verbatim (never read as rich markup). Input is one line, or a fenced
block: a line starting with ``` opens it and a line holding only ``` closes it; the whole block,
fences included, is the answer. `/tools` lists the tools of the episode, `/tool NAME key=value ...`
calls one (values typed from the tool's JSON schema), `/quit` or an empty line ends the session.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from gymhub.cli.common import fail, parse_json_object
from gymhub.errors import GymhubError
from gymhub.types import Action, Message, ToolCall, ToolSpec

console = Console(highlight=False)

HELP = (
    "type an answer and press Enter; ``` on its own line starts a multi-line block (ended by ```); "
    "/tools lists tools; /tool NAME key=value ... calls one; /quit or an empty line ends"
)


class InputError(ValueError):
    """The user's command was malformed; shown, then the prompt repeats."""


def read_answer(read_line: Callable[[str], str]) -> str | None:
    """One answer from the terminal: a line, or a fenced block. None at end of input."""
    try:
        first = read_line("you> ")
    except EOFError:
        return None
    if not first.strip().startswith("```"):
        return first
    lines = [first]
    while True:
        try:
            line = read_line("... ")
        except EOFError:
            break
        lines.append(line)
        if line.strip() == "```":
            break
    return "\n".join(lines)


def _typed(value: str, schema: dict[str, Any], key: str) -> Any:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "boolean":
            lowered = value.lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            return lowered in ("true", "1", "yes")
        if kind in ("array", "object"):
            return json.loads(value)
    except (ValueError, json.JSONDecodeError, RecursionError) as exc:  # nested thousands deep
        raise InputError(f"{key}={value!r:.80} is not a valid {kind}") from exc
    return value


def tool_call_from_command(line: str, tools: list[ToolSpec], call_index: int) -> Action:
    """`/tool NAME key=value ...` -> an assistant action with one tool call."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise InputError(f"cannot split {line!r}: {exc}") from exc
    if len(words) < 2:
        raise InputError("usage: /tool NAME key=value ...  (see /tools)")
    by_name = {t.name: t for t in tools}
    name = words[1]
    if name not in by_name:
        known = ", ".join(by_name) or "none in this episode"
        raise InputError(f"unknown tool {name!r}; tools: {known}")
    properties = by_name[name].parameters.get("properties", {})
    arguments: dict[str, Any] = {}
    for word in words[2:]:
        key, sep, value = word.partition("=")
        if not sep:
            raise InputError(f"expected key=value, got {word!r}")
        if properties and key not in properties:
            raise InputError(
                f"{name} has no parameter {key!r}; parameters: {', '.join(properties)}"
            )
        arguments[key] = _typed(value, properties.get(key, {}), key)
    missing = [k for k in by_name[name].parameters.get("required", []) if k not in arguments]
    if missing:
        raise InputError(f"{name} needs {', '.join(missing)}")
    call = ToolCall(id=f"call_{call_index}", name=name, arguments=arguments)
    return Action(content="", tool_calls=[call])


def describe_tools(tools: list[ToolSpec]) -> str:
    if not tools:
        return "no tools in this episode"
    lines = []
    for tool in tools:
        params = tool.parameters.get("properties", {})
        required = set(tool.parameters.get("required", []))
        args = " ".join(
            f"{k}=<{v.get('type', 'any')}>" + ("" if k in required else "?")
            for k, v in params.items()
        )
        lines.append(f"/tool {tool.name} {args}".rstrip() + f"  - {tool.description}".rstrip(" -"))
    return "\n".join(lines)


def show_messages(messages: list[Message]) -> None:
    for message in messages:
        line = Text(f"{message.role}: ", style="bold cyan")
        line.append(message.text)
        for call in message.tool_calls or []:
            args = call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments)
            line.append(f"\n  -> {call.name}({args})")
        console.print(line, soft_wrap=True)


def dim(text: str) -> None:
    console.print(Text(text, style="dim"), soft_wrap=True)


def play_cmd(
    env_id: str = typer.Argument(..., help="Environment id."),
    seed: int = typer.Option(0, min=0, help="Episode seed."),
    options: str = typer.Option(None, help="Reset options as JSON, e.g. '{\"difficulty\": 2}'."),
    hint: bool = typer.Option(False, help="Show the reference action before each turn."),
) -> None:
    """Play one episode yourself in the terminal (``` starts a multi-line block; /tool calls a
    tool; /quit or an empty line quits)."""
    import gymnasium

    import gymhub

    reset_options = parse_json_object(options)
    try:
        env = gymhub.make(env_id)
    except (GymhubError, ValueError, TypeError) as exc:
        fail(str(exc))
    try:
        try:
            observation, info = env.reset(seed=seed, options=reset_options)
        except (GymhubError, ValueError, TypeError, gymnasium.error.Error) as exc:
            fail(str(exc))
        _play(env, observation, hint)
    finally:
        env.close()


def _play(env: Any, observation: Any, hint: bool) -> None:
    dim(HELP)
    tools = list(observation.tools)
    total, calls = 0.0, 0
    show_messages(observation.messages)
    while True:
        if tools:
            dim(f"tools: {', '.join(t.name for t in tools)} (/tools for usage)")
        if hint:
            ref = env.reference_action()
            if ref is not None:
                dim(f"hint: {ref.model_dump_json(exclude_none=True)}")
        text = read_answer(console.input)
        if text is None or not text.strip() or text.strip() in ("/quit", "/exit"):
            console.print("bye")
            return
        command = text.strip()
        if command == "/tools":
            console.print(Text(describe_tools(tools)), soft_wrap=True)
            continue
        if command in ("/help", "/?"):
            dim(HELP)
            continue
        if command.startswith("/tool "):
            try:
                action: Action | str = tool_call_from_command(command, tools, calls)
            except InputError as exc:
                console.print(Text(f"! {exc}", style="red"), soft_wrap=True)
                continue
            calls += 1
        else:
            action = text
        observation, reward, terminated, truncated, info = env.step(action)
        total += reward
        if observation.tools:
            tools = list(observation.tools)
        show_messages(observation.messages)
        dim(f"reward {reward:g} | verdict {info.get('verdict')} | turn {info.get('turn')}")
        if terminated or truncated:
            console.print(
                f"episode over ({'terminated' if terminated else 'truncated'}); "
                f"total reward {total:g}"
            )
            return


def register(app: typer.Typer) -> None:
    app.command("play")(play_cmd)
