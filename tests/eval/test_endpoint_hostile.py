"""An OpenAI-compatible endpoint failing in ways a model never does: each is a bounded retry, then
the server's failure (out of the scores), never the model's unparseable 0 and never a hang."""

from __future__ import annotations

import asyncio
import json

import pytest

from gymhub.evaluation import evaluate
from gymhub.policies import OpenAIPolicy, PolicyError, UnusableReplyError
from gymhub.trainers.openai_server import serve_app_in_thread
from gymhub.types import Message


def scripted_app(answers: list):
    """Answers `(status, body dict, headers)` in order, repeating the last one."""
    from fastapi import FastAPI
    from fastapi.responses import Response

    app = FastAPI()
    app.state.calls = 0

    @app.post("/v1/chat/completions")
    async def chat(body: dict):
        status, data, headers = answers[min(app.state.calls, len(answers) - 1)]
        app.state.calls += 1
        return Response(
            json.dumps(data), status_code=status, media_type="application/json", headers=headers
        )

    return app


def _choice(**fields):
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": ""}, **fields}]}


FAILED_GENERATIONS = {
    "choice with an error (OpenRouter)": _choice(
        finish_reason="error", error={"code": 502, "message": "upstream provider failed"}
    ),
    "finish_reason error": _choice(finish_reason="error"),
    "finish_reason abort (vLLM)": _choice(finish_reason="abort"),
}


@pytest.mark.parametrize("what", sorted(FAILED_GENERATIONS))
def test_a_generation_the_server_failed_is_retried_then_left_out(what):
    """A 200 whose choice says the server failed the generation was scored as the model's empty
    (unparseable) reply, 0."""
    app = scripted_app([(200, FAILED_GENERATIONS[what], {})])
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=2, backoff_s=0.01)
        (s,), traces = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0])
    assert app.state.calls == 3  # retried, and bounded
    assert s.scored == 0 and s.failed == 1 and s.infra_errors == 0, s.statuses
    assert traces[0].status == "error" and traces[0].policy_fault is None


def test_a_failed_generation_then_a_good_one_is_scored():
    good = {
        "choices": [{"message": {"role": "assistant", "content": "x"}, "finish_reason": "stop"}]
    }
    answers = [(200, FAILED_GENERATIONS["finish_reason error"], {}), (200, good, {})]
    with serve_app_in_thread(scripted_app(answers)) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=1, backoff_s=0.01)
        (s,), _ = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0])
    assert s.scored == 1 and s.failed == 0


def test_a_length_cut_or_empty_reply_is_still_the_models():
    """finish_reason "length" (the model ran out of tokens) is the model's reply, scored."""
    with pytest.raises(UnusableReplyError):
        OpenAIPolicy.parse_response({"choices": [{"message": 5, "finish_reason": "length"}]})
    action = OpenAIPolicy.parse_response(_choice(finish_reason="length"))
    assert action.content == ""
    with pytest.raises(PolicyError):
        OpenAIPolicy.parse_response(_choice(finish_reason="abort"))


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan"])
def test_a_retry_after_that_is_not_a_number_does_not_hang_the_policy(value):
    """`Retry-After: nan` made the backoff sleep NaN seconds, which asyncio never wakes from: the
    call hung (forever outside an evaluation's call deadline)."""
    app = scripted_app([(429, {"error": "busy"}, {"Retry-After": value})])
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=2, backoff_s=0.01)

        async def call():
            try:
                return await asyncio.wait_for(
                    policy.act([Message(role="user", content="hi")], []), 10
                )
            finally:
                await policy.aclose()

        with pytest.raises(PolicyError, match="429 after 3 tries"):
            asyncio.run(call())
    assert app.state.calls == 3


@pytest.mark.parametrize("backoff", [float("nan"), float("inf"), -1.0, "1"])
def test_a_backoff_that_is_not_a_finite_number_is_refused(backoff):
    with pytest.raises(ValueError, match="backoff_s"):
        OpenAIPolicy("m", base_url="http://127.0.0.1:9/v1", backoff_s=backoff)


def raw_app(body: bytes, headers: dict[str, str]):
    """Answers 200 with `body` as it is, under `headers` (a broken encoding or length)."""
    from fastapi import FastAPI
    from fastapi.responses import Response

    app = FastAPI()
    app.state.calls = 0

    @app.post("/v1/chat/completions")
    async def chat(request_body: dict):
        app.state.calls += 1
        return Response(body, media_type="application/json", headers=headers)

    return app


def test_a_body_that_does_not_decode_is_retried_then_the_servers_failure():
    """A compressed body that does not decompress raised httpx's DecodingError, which was not
    retried: the policy raised it as it was."""
    app = raw_app(b"this is not gzip", {"Content-Encoding": "gzip"})
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=2, backoff_s=0.01)
        (s,), traces = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0])
    assert app.state.calls == 3 and s.failed == 1 and s.scored == 0
    assert "after 3 tries" in traces[0].error and "DecodingError" in traces[0].error


def test_a_reply_cut_short_is_retried_then_the_servers_failure():
    from fastapi import FastAPI
    from fastapi.responses import StreamingResponse

    app = FastAPI()
    app.state.calls = 0

    @app.post("/v1/chat/completions")
    async def chat(request_body: dict):
        app.state.calls += 1

        async def body():
            yield b'{"choices": [{"message": {"role": "assistant", "content": "Par'
            raise RuntimeError("the worker died mid-reply")

        return StreamingResponse(body(), media_type="application/json")

    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=1, backoff_s=0.01)
        (s,), traces = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0])
    assert app.state.calls == 2 and s.failed == 1 and s.scored == 0
    assert traces[0].policy_fault is None and not traces[0].infra_error


def test_streaming_is_refused_when_the_policy_is_made():
    with pytest.raises(ValueError, match="stream"):
        OpenAIPolicy("m", base_url="http://127.0.0.1:9/v1", extra_body={"stream": True})


@pytest.mark.parametrize(
    "body", [b'{"choices": [', b"<html>502 Bad Gateway</html>", b'data: {"choices": []}\n\n']
)
def test_a_200_that_is_not_json_is_retried_then_left_out(body):
    app = raw_app(body, {})
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=1, backoff_s=0.01)
        (s,), traces = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0])
    assert app.state.calls == 2 and s.scored == 0 and s.failed == 1
    assert traces[0].policy_fault is None and "without a chat completion" in traces[0].error
