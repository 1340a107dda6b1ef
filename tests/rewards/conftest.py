"""Fixtures of the learned-reward tests: a tiny reward model built locally and saved to disk."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_rm_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised one-output Qwen2 classifier with the tiny tokenizer, on disk."""
    from gymhub.trainers.rm_train import build_tiny_reward_model
    from gymhub.trainers.tiny import build_tiny_tokenizer

    path = tmp_path_factory.mktemp("tiny_rm")
    tokenizer = build_tiny_tokenizer()
    model = build_tiny_reward_model(tokenizer, seed=3, initializer_range=0.2)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def _free_port() -> int:
    import socket

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
