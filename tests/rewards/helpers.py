"""Helpers of the learned-reward tests: a uvicorn server on a free loopback port in a thread,
and an OpenAI-compatible judge app whose behaviour is picked by the request's `model`:
`yes` says 10 to everything (the worst judge), `sensible` gives 10 when the fenced candidate
contains the reference answer, `chatty` never writes a score line, `broken` answers 500.
`requests` records every body the judge app saw."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator

from fastapi import FastAPI


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(app) -> Iterator[str]:
    """Run a FastAPI app with uvicorn on a free loopback port in a thread; yields its URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


requests: list[dict] = []


def _sensible(system: str, user: str) -> str:
    nonce = re.search(r"<<<CANDIDATE (\w+)>>>", system).group(1)
    fenced = re.search(
        rf"<<<CANDIDATE {nonce}>>>\n(.*)\n<<<END CANDIDATE {nonce}>>>", user, re.DOTALL
    )
    reference = re.search(r"Reference answer \(trusted\):\n(.*?)\n\n", user, re.DOTALL)
    candidate = fenced.group(1)
    ok = reference and re.search(rf"(?<!\w){re.escape(reference.group(1))}(?!\w)", candidate)
    hedge = " or " in candidate
    return f"Checked against the reference.\nScore: {10 if ok and not hedge else 0}"


def judge_app() -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    def complete(body: dict):
        from fastapi.responses import JSONResponse

        requests.append(body)
        system, user = body["messages"][0]["content"], body["messages"][1]["content"]
        model = body["model"]
        if model == "broken":
            return JSONResponse({"error": "down"}, status_code=500)
        text = {
            "yes": lambda: "Great answer!\nScore: 10",
            "sensible": lambda: _sensible(system, user),
            "chatty": lambda: "I like this answer a lot.",
        }[model]()
        return {"choices": [{"message": {"role": "assistant", "content": text}}]}

    return app
