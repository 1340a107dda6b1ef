"""The evaluation's per-call deadline counts the endpoint's time, not the hub's own queue: a call
waiting for a client-side slot (`max_concurrent_requests`, `requests_per_s`) failed as a timeout,
out of the scores, although the endpoint answered every request in time. A slow endpoint still
times out."""

from __future__ import annotations

import asyncio

from gymhub.evaluation import evaluate
from gymhub.policies import OpenAIPolicy
from gymhub.trainers.openai_server import serve_app_in_thread


def slow_app(delay_s: float):
    from fastapi import FastAPI

    app = FastAPI()
    app.state.calls = 0

    @app.post("/v1/chat/completions")
    async def chat(body: dict):
        app.state.calls += 1
        await asyncio.sleep(delay_s)
        reply = {"role": "assistant", "content": "<answer>Paris</answer>"}
        return {"choices": [{"index": 0, "message": reply, "finish_reason": "stop"}]}

    return app


def test_waiting_for_a_client_side_slot_is_not_held_against_the_call():
    app = slow_app(0.25)
    with serve_app_in_thread(app) as url:
        # one request at a time, six episodes at once: the last waits ~1.25 s for its slot, far
        # past the 0.8 s deadline, while each request takes 0.25 s at the endpoint
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_concurrent_requests=1, max_retries=0)
        (summary,), _ = evaluate(
            ["gymhub/Capitals-v0"], policy, seeds=range(6), concurrency=6, policy_deadline_s=0.8
        )
    assert app.state.calls == 6
    assert summary.failed == 0 and summary.scored == 6, summary.failures


def test_rate_limit_pacing_is_not_held_against_the_call():
    app = slow_app(0.0)
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", requests_per_s=5, max_retries=0)
        (summary,), _ = evaluate(
            ["gymhub/Capitals-v0"], policy, seeds=range(6), concurrency=6, policy_deadline_s=0.6
        )
    assert summary.failed == 0 and summary.scored == 6, summary.failures


def test_an_endpoint_slower_than_the_deadline_still_times_out():
    app = slow_app(3.0)
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_concurrent_requests=1, max_retries=0)
        (summary,), (trace,) = evaluate(
            ["gymhub/Capitals-v0"], policy, seeds=[0], policy_deadline_s=0.5
        )
    assert summary.failed == 1 and trace.status == "timeout"
    assert "0.5 s call deadline" in (trace.error or "")
