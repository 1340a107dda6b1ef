"""A local model behind an OpenAI-compatible `/v1/chat/completions` route.

Made for tests and benchmarks: `gymhub eval --policy openai` (and any other OpenAI client) can
then evaluate a local `HFPolicy` (the embedded `tiny` model included) exactly as it would a vLLM
server. Concurrent requests join one batched `generate` call through `HFPolicy.act`. Binds to
loopback only.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from gymhub.types import Message, ToolSpec


def make_app(policy: Any, model_name: str = "tiny") -> Any:
    """A FastAPI app answering chat completions with `policy` (an `HFPolicy`)."""
    from fastapi import FastAPI, HTTPException

    app = FastAPI(title=f"gymhub local model: {model_name}")

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": model_name, "object": "model"}]}

    @app.post("/v1/chat/completions")
    async def chat(body: dict[str, Any]) -> dict[str, Any]:
        try:
            messages = [_message(m) for m in body.get("messages") or []]
            tools = [
                ToolSpec.model_validate(t["function"])
                for t in body.get("tools") or []
                if "function" in t
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise HTTPException(status_code=422, detail=f"bad request: {exc}") from exc
        if not messages:
            raise HTTPException(status_code=422, detail="messages must not be empty")
        action = await policy.act(messages, tools)
        message: dict[str, Any] = {"role": "assistant", "content": action.text}
        if action.tool_calls:
            message["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": _json(call.arguments)},
                }
                for call in action.tool_calls
            ]
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model_name,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        }

    return app


def _message(data: dict[str, Any]) -> Message:
    """An OpenAI chat message (content may be null; tool calls nest under `function`)."""
    calls = [
        {"id": c.get("id") or f"call_{i}", **{k: c["function"][k] for k in ("name", "arguments")}}
        for i, c in enumerate(data.get("tool_calls") or [])
    ]
    return Message.model_validate(
        {
            **{k: v for k, v in data.items() if k in ("role", "name", "tool_call_id")},
            "content": data.get("content") or "",
            "tool_calls": calls or None,
        }
    )


def _json(arguments: Any) -> str:
    import json

    return arguments if isinstance(arguments, str) else json.dumps(arguments)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_in_thread(
    policy: Any, model_name: str = "tiny", port: int | None = None
) -> Iterator[str]:
    """Serve `policy` on 127.0.0.1 in a background thread; yields its base URL (`.../v1`)."""
    with serve_app_in_thread(make_app(policy, model_name), port) as url:
        yield f"{url}/v1"


@contextlib.contextmanager
def serve_app_in_thread(app: Any, port: int | None = None) -> Iterator[str]:
    """Run any ASGI app on 127.0.0.1 in a background thread; yields `http://127.0.0.1:PORT`."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the local server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
