"""A server refusing the conversation as too long for the model (HTTP 400 with the wording of
OpenAI, vLLM, SGLang, llama.cpp or TGI) ends the episode truncated and scored: the agent's own
conversation outgrew its context. Left out of the scores, as it was, an agent that runs past its
context on the hard tasks looked better than one that answers them wrong."""

from __future__ import annotations

import pytest

from gymhub.evaluation import evaluate
from gymhub.policies import ContextLengthError, OpenAIPolicy
from gymhub.trainers.openai_server import serve_app_in_thread

REFUSALS = [
    (400, {"error": {"message": "This model's maximum context length is 4096 tokens. However, "
                                "you requested 5000 tokens.", "code": "context_length_exceeded"}}),
    (400, {"object": "error", "message": "The input (5000 tokens) is longer than the model's "
                                          "context length (4096 tokens).", "code": 400}),
    (400, {"error": {"code": 400, "message": "the request exceeds the available context size, "
                                               "try increasing it", "type": "exceed_context_size_error"}}),
    (422, {"error": "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. "
                    "Given: 4000 `inputs` tokens and 1024 `max_new_tokens`"}),
]  # fmt: skip


def refusing_app(first_replies: int, status: int, body: dict):
    """Answers `first_replies` wrong guesses, then refuses every request with `status`/`body`."""
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    app = FastAPI()
    app.state.calls = 0

    @app.post("/v1/chat/completions")
    async def chat(request: dict):
        app.state.calls += 1
        if app.state.calls > first_replies:
            return JSONResponse(body, status_code=status)
        reply = {"role": "assistant", "content": "My guess: 1"}
        return {"choices": [{"index": 0, "message": reply, "finish_reason": "stop"}]}

    return app


@pytest.mark.parametrize(("status", "body"), REFUSALS)
def test_a_conversation_too_long_for_the_model_is_truncated_and_scored(status, body):
    app = refusing_app(1, status, body)
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=2, backoff_s=0.01)
        (summary,), (trace,) = evaluate(["gymhub/GuessNumber-v0"], policy, seeds=[0])
    assert app.state.calls == 2  # refused once, not retried: a longer wait will not shorten it
    assert summary.failed == 0 and summary.scored == 1, summary.failures
    assert trace.truncated and trace.truncation == "context_length" and not trace.error
    assert not trace.infra_error and sum(trace.rewards) == 0.0 and trace.turns == 1


def test_other_client_errors_still_fail_the_episode_out_of_the_scores():
    app = refusing_app(0, 400, {"error": {"message": "unknown model 'm'"}})
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=1, backoff_s=0.01)
        (summary,), (trace,) = evaluate(["gymhub/GuessNumber-v0"], policy, seeds=[0])
    assert summary.failed == 1 and summary.scored == 0
    assert trace.error and "400" in trace.error and trace.truncation != "context_length"


def test_context_length_error_is_a_policy_error():
    assert issubclass(ContextLengthError, Exception)
    from gymhub.policies import PolicyError

    assert issubclass(ContextLengthError, PolicyError)  # callers catching PolicyError still do
