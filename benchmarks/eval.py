"""Evaluation harness throughput: `gymhub eval`'s engine vs Inspect AI vs a bare loop.

All three evaluate the same single-turn env (gymhub/Capitals-v0) against the same local
OpenAI-compatible server on 127.0.0.1, which answers every request at once with a fixed reply,
so the figures measure the harnesses, not a model:

- gymhub: `gymhub.evaluation.aevaluate` with `OpenAIPolicy` (what `gymhub eval --policy openai`
  runs), traces streamed to a JSONL file;
- Inspect AI: `gymhub.evaluation.inspect.gymhub_task` run by `inspect_ai.eval` with Inspect's
  own `openai/...` provider pointed at the same server (skipped when inspect-ai or openai is not
  installed);
- bare: an asyncio loop that resets the env, posts the conversation with httpx and steps the
  env, with the same concurrency; the harness overhead per episode is gymhub's time minus this.

    python benchmarks/eval.py [--episodes 400] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import gymhub
from gymhub.evaluation import aevaluate
from gymhub.policies import OpenAIPolicy
from gymhub.trainers.openai_server import serve_app_in_thread

ENV = "gymhub/Capitals-v0"


def fixed_reply_app():
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat(body: dict):
        message = {"role": "assistant", "content": "<answer>Paris</answer>"}
        usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
        return {
            "id": "x", "object": "chat.completion", "created": 0, "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": usage,
        }  # fmt: skip

    return app


async def bare_loop(url: str, episodes: int, concurrency: int) -> float:
    import httpx

    semaphore = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:

        async def one(seed: int) -> None:
            async with semaphore:
                env = gymhub.make(ENV)
                observation, _ = env.reset(seed=seed)
                messages = [m.to_openai() for m in observation.messages]
                response = await client.post(
                    "/chat/completions", json={"model": "fixed", "messages": messages}
                )
                env.step(response.json()["choices"][0]["message"]["content"])
                env.close()

        start = time.perf_counter()
        await asyncio.gather(*(one(s) for s in range(episodes)))
        return time.perf_counter() - start


async def gymhub_run(url: str, episodes: int, concurrency: int, out: Path) -> float:
    policy = OpenAIPolicy("fixed", base_url=url, api_key="none")
    start = time.perf_counter()
    summaries, _ = await aevaluate(
        [ENV], policy, seeds=range(episodes), concurrency=concurrency, output=out
    )
    elapsed = time.perf_counter() - start
    await policy.aclose()
    assert summaries[0].scored == episodes, summaries[0].failures
    return elapsed


def inspect_run(url: str, episodes: int, concurrency: int, log_dir: str) -> float | None:
    try:
        import openai  # noqa: F401
        from inspect_ai import eval as inspect_eval
    except ImportError:
        return None
    from gymhub.evaluation.inspect import gymhub_task

    task = gymhub_task(ENV, seeds=range(episodes))
    start = time.perf_counter()
    (log,) = inspect_eval(
        task, model="openai/fixed", model_base_url=url, max_connections=concurrency,
        max_samples=concurrency, log_dir=log_dir, display="none",
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    assert log.status == "success", log.error
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    import os

    os.environ.setdefault("OPENAI_API_KEY", "none")  # Inspect's provider insists on a key
    n, c = args.episodes, args.concurrency
    with serve_app_in_thread(fixed_reply_app()) as root, tempfile.TemporaryDirectory() as tmp:
        url = f"{root}/v1"
        asyncio.run(bare_loop(url, 20, c))  # warm up imports and connections
        bare = asyncio.run(bare_loop(url, n, c))
        ours = asyncio.run(gymhub_run(url, n, c, Path(tmp) / "run.jsonl"))
        theirs = inspect_run(url, n, c, str(Path(tmp) / "inspect-logs"))
    result = {
        "episodes": n,
        "concurrency": c,
        "bare_episodes_per_s": round(n / bare, 1),
        "gymhub_episodes_per_s": round(n / ours, 1),
        "gymhub_overhead_ms_per_episode": round((ours - bare) / n * 1000, 3),
        "inspect_episodes_per_s": round(n / theirs, 1) if theirs else None,
        "gymhub_vs_inspect": round(theirs / ours, 2) if theirs else None,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
