"""The reward server on a real socket: 64 concurrent clients, OpenRLHF's request shape, errors."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from typer.testing import CliRunner

from gymhub.cli import app as cli_app
from gymhub.rm_server import create_rm_app
from gymhub.verifiers.reward_model import RewardModelVerifier, render_conversation
from tests.rewards.helpers import serve_app


@pytest.fixture(scope="module")
def rm(tiny_rm_path):
    return RewardModelVerifier(str(tiny_rm_path), batch_size=32)


@pytest.fixture(scope="module")
def server(rm):
    with serve_app(create_rm_app(rm, max_batch=32, max_wait_ms=20)) as url:
        yield url


def test_64_concurrent_clients_get_the_direct_scores(server, rm):
    prompts = [f"Question number {i}?" for i in range(64)]
    responses = [f"Answer {i} " + "x" * (i % 9) for i in range(64)]
    expected = [v.components["rm_score"] for v in rm.verify_batch(responses, prompts=prompts)]

    async def client(i: int, http: httpx.AsyncClient) -> list[float]:
        got = []
        for _ in range(3):
            r = await http.post(
                "/verify", json={"items": [{"prompt": prompts[i], "response": responses[i]}]}
            )
            assert r.status_code == 200, r.text
            got.append(r.json()["verdicts"][0]["components"]["rm_score"])
        return got

    async def main():
        limits = httpx.Limits(max_connections=64)
        async with httpx.AsyncClient(base_url=server, timeout=300, limits=limits) as http:
            return await asyncio.gather(*(client(i, http) for i in range(64)))

    results = asyncio.run(main())
    for i, scores in enumerate(results):
        assert scores == pytest.approx([expected[i]] * 3, abs=1e-5)
    health = httpx.get(server + "/health").json()
    assert health["batching"]["verify"]["items"] >= 192
    assert health["batching"]["verify"]["largest_batch"] > 1  # requests were batched together


def test_openrlhf_get_reward_shape(server, rm):
    prompts, responses = ["What is 2+2?", "Name a colour."], ["4", "Blue."]
    queries, prefix = [], []
    for p, r in zip(prompts, responses):
        text, start = render_conversation(rm.tokenizer, p, r)
        queries.append(text)
        prefix.append(text[:start])
    # what OpenRLHF's remote reward-model client posts
    body = {"query": queries, "prompts": prefix, "labels": ["4", "any colour"]}
    r = httpx.post(server + "/get_reward", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert set(data) == {"rewards", "scores", "extra_logs"}
    expected = [v.components["rm_score"] for v in rm.verify_batch(responses, prompts=prompts)]
    assert data["rewards"] == pytest.approx(expected, abs=1e-5)
    assert data["scores"] == pytest.approx(expected, abs=1e-5)
    assert data["extra_logs"]["rm_score"] == pytest.approx(expected, abs=1e-5)
    # query only (older clients): scored as a whole
    r = httpx.post(server + "/get_reward", json={"query": queries})
    assert r.status_code == 200 and len(r.json()["rewards"]) == 2


@pytest.mark.parametrize(
    "route,body,message",
    [
        ("/get_reward", {"query": "text"}, "list of strings"),
        ("/get_reward", {"query": ["a"], "prompts": ["a", "b"]}, "entries"),
        ("/get_reward", {"query": ["a"], "labels": [1, 2]}, "labels"),
        ("/get_reward", [1, 2], "JSON object"),
        ("/verify", {"items": []}, "1 to"),
        ("/verify", {"items": [{"prompt": "q"}]}, "response"),
        ("/verify", {"items": [{"prompt": 3, "response": "r"}]}, "prompt"),
        ("/verify", {"items": [{"prompt": "q", "response": "r", "x": 1}]}, "unknown"),
    ],
)
def test_bad_input_is_422_with_the_reason(server, route, body, message):
    r = httpx.post(server + route, json=body)
    assert r.status_code == 422 and message in r.text


def test_not_json_is_422(server):
    r = httpx.post(
        server + "/verify", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and "JSON" in r.text


def test_body_over_the_limit_is_413_before_it_is_read(rm):
    with serve_app(create_rm_app(rm, max_body_bytes=4096)) as url:
        body = {"items": [{"prompt": "q", "response": "r" * 10_000}]}
        r = httpx.post(url + "/verify", json=body)
        assert r.status_code == 413 and "4096" in r.text

        def streamed():  # no declared length: counted as it arrives
            yield b'{"query": ["'
            for _ in range(100):
                yield b"x" * 100
            yield b'"]}'

        r = httpx.post(url + "/get_reward", content=streamed())
        assert r.status_code == 413
        small = {"items": [{"prompt": "q", "response": "r"}]}
        assert httpx.post(url + "/verify", json=small).status_code == 200


def test_model_failure_is_500_and_token_is_required(rm):
    class Broken:
        def verify_batch(self, *a, **k):
            raise RuntimeError("CUDA out of memory")

        verify_texts = verify_batch

    with serve_app(create_rm_app(Broken(), token="s3cret")) as url:
        body = {"items": [{"prompt": "q", "response": "r"}]}
        assert httpx.post(url + "/verify", json=body).status_code == 401
        auth = {"Authorization": "Bearer s3cret"}
        r = httpx.post(url + "/verify", json=body, headers=auth)
        assert r.status_code == 500 and "out of memory" in r.text
        r = httpx.post(url + "/get_reward", json={"query": ["x"]}, headers=auth)
        assert r.status_code == 500


def test_serve_refuses_a_public_address_without_a_token(tiny_rm_path):
    result = CliRunner().invoke(cli_app, ["rm", "serve", str(tiny_rm_path), "--host", "0.0.0.0"])
    assert result.exit_code != 0 and "--token" in result.output


def test_remote_verifier_matches_local_and_maps_failures_to_infra_error(server, rm):
    from gymhub.verifiers import RemoteRewardVerifier

    remote = RemoteRewardVerifier(server)
    local = rm.verify("Blue.", prompt="Name a colour.")
    got = remote.verify("Blue.", prompt="Name a colour.")
    assert got.components["rm_score"] == pytest.approx(local.components["rm_score"], abs=1e-5)
    with pytest.raises(ValueError, match="refused"):
        remote.verify_batch([], [])
    dead = RemoteRewardVerifier("http://127.0.0.1:9", timeout=2)
    assert dead.verify("x", prompt="q").status == "infra_error"

    class Broken:
        def verify_batch(self, *a, **k):
            raise RuntimeError("boom")

    with serve_app(create_rm_app(Broken())) as url:
        verdict = RemoteRewardVerifier(url).verify("x", prompt="q")
        assert verdict.status == "infra_error" and "500" in verdict.detail


def test_continuous_batching_takes_what_queued_while_the_model_ran():
    """max_wait 0: the first item runs alone at once; the items that arrive meanwhile make the
    next batch together (no timer, no one-by-one)."""
    import concurrent.futures
    import threading
    import time

    from gymhub.rm_server import DynamicBatcher

    sizes: list[int] = []
    started = threading.Event()

    def fn(items):
        sizes.append(len(items))
        started.set()
        time.sleep(0.2)
        return [i * 2 for i in items]

    async def main():
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            batcher = DynamicBatcher(fn, pool, max_batch=8, max_wait_s=0)
            batcher.start()
            first = asyncio.create_task(batcher.submit([0]))
            await asyncio.get_running_loop().run_in_executor(None, started.wait)
            rest = [asyncio.create_task(batcher.submit([i])) for i in range(1, 11)]
            results = await asyncio.gather(first, *rest)
            await batcher.stop()
            return results

    assert asyncio.run(main()) == [[i * 2] for i in range(11)]
    assert sizes == [1, 8, 2]


def test_no_response_makes_the_remote_verifier_raise_or_infra_error(server, rm, monkeypatch):
    """A lone surrogate, a response over the server's size, a batch over its item limit: each is
    scored or is the policy's `unparseable`, never a raise or `infra_error`."""
    from gymhub.verifiers import RemoteRewardVerifier, remote_reward

    remote = RemoteRewardVerifier(server)
    got = remote.verify("Blue \ud800.", prompt="Name a colour \udc80.")
    local = rm.verify("Blue \ufffd.", prompt="Name a colour \ufffd.")
    assert got.components["rm_score"] == pytest.approx(local.components["rm_score"], abs=1e-5)
    huge = remote.verify("x" * 1_000_001, prompt="q")
    assert huge.status == "unparseable" and "longer" in huge.detail
    monkeypatch.setattr(remote_reward, "MAX_ITEMS", 2)
    verdicts = remote.verify_batch(["a", "bb", "x" * 1_000_001, "ccc", "d"], prompts=["q"] * 5)
    assert [v.status for v in verdicts] == ["partial"] * 2 + ["unparseable"] + ["partial"] * 2
    assert verdicts[3].components["rm_score"] == pytest.approx(
        rm.verify("ccc", prompt="q").components["rm_score"], abs=1e-5
    )
    # the server itself, given JSON that spells a lone surrogate, scores it
    body = json.dumps({"items": [{"prompt": "q", "response": "a\ud800"}]})
    reply = httpx.post(
        server + "/verify", content=body, headers={"content-type": "application/json"}
    )
    assert reply.status_code == 200, reply.text
