"""`gymhub eval --policy openai` against real local HTTP servers: the tiny model served the way vLLM
would serve it, and endpoints that rate-limit, fail and hang."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from gymhub.evaluation import evaluate
from gymhub.policies import OpenAIPolicy
from gymhub.trainers.openai_server import serve_app_in_thread, serve_in_thread
from tests.conftest import require


@pytest.fixture(scope="module")
def tiny_url():
    from gymhub.trainers import HFPolicy

    with serve_in_thread(HFPolicy("tiny", max_new_tokens=16), "tiny") as url:
        yield url


def test_tiny_model_over_http_through_the_cli_on_math_and_logic(tiny_url, tmp_path):
    out_path = tmp_path / "run.jsonl"
    args = [
        sys.executable, "-m", "gymhub", "eval", "gymhub/MathGen-v0", "gymhub/Logic-Mix-v0",
        "--policy", "openai", "--model", "tiny", "--base-url", tiny_url, "--seeds", "3",
        "--samples", "2", "--k", "1", "--k", "2", "--max-tokens", "16", "-o", str(out_path),
        "--json",
    ]  # fmt: skip
    out = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["episodes"] == 12 and summary["failed"] == 0
    for env in summary["envs"]:
        assert env["scored"] == 6 and set(env["pass_at_k"]) == {"pass@1", "pass@2"}
    lines = [json.loads(line) for line in out_path.read_text().splitlines()]
    assert len(lines) == 12
    record = lines[0]
    assert record["run"]["sampling"]["model"] == "tiny" and record["gymhub_version"]
    assert record["messages"][-1]["role"] in ("assistant", "user", "tool")
    assert any(m["role"] == "assistant" for m in record["messages"])


def test_tiny_model_over_http_on_code(tiny_url):
    from gymhub.sandboxes.factory import available_backends

    require(
        any(b in available_backends() for b in ("bwrap", "docker")), "a bwrap or docker sandbox"
    )
    policy = OpenAIPolicy("tiny", base_url=tiny_url, max_tokens=16)
    summaries, traces = evaluate(["gymhub/Code-v0"], policy, seeds=range(2))
    assert summaries[0].failed == 0 and summaries[0].scored == 2
    assert all(t.status not in (None, "infra_error") for t in traces)


def test_tiny_model_over_http_on_a_web_env(tiny_url):
    from gymhub.envs.web.host import chromium_available

    require(chromium_available(), "Chromium and playwright")
    policy = OpenAIPolicy("tiny", base_url=tiny_url, max_tokens=16)
    summaries, traces = evaluate(["gymhub/Web-ClickButton-v0"], policy, seeds=range(2), max_turns=2)
    assert summaries[0].failed == 0 and summaries[0].scored == 2, summaries[0].failures


def flaky_app(plan: list[int], hang_s: float = 0.0):
    """Answers the statuses in `plan` in order (then 200 with a fixed reply)."""
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    app = FastAPI()
    app.state.calls = 0

    @app.post("/v1/chat/completions")
    async def chat(body: dict):
        app.state.calls += 1
        if hang_s:
            await asyncio.sleep(hang_s)
        status = plan.pop(0) if plan else 200
        if status != 200:
            return JSONResponse({"error": "busy"}, status_code=status, headers={"Retry-After": "0"})
        reply = {"role": "assistant", "content": "<answer>Paris</answer>"}
        return {"choices": [{"index": 0, "message": reply, "finish_reason": "stop"}]}

    return app


def test_retries_with_backoff_on_429_and_5xx_then_succeed():
    app = flaky_app([429, 503, 500])
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=3, backoff_s=0.01)
        summaries, traces = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0])
    assert app.state.calls == 4 and policy.requests == 4
    assert summaries[0].failed == 0 and traces[0].status in ("correct", "incorrect")


def test_an_endpoint_that_keeps_failing_or_hangs_gives_failed_episodes_not_wrong_answers():
    app = flaky_app([500] * 10)
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=2, backoff_s=0.01)
        (summary,), _ = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0, 1])
    assert summary.failed == 2 and summary.scored == 0 and summary.pass_at_k == {}
    assert any("500 after 3 tries" in reason for reason in summary.failures)
    slow = flaky_app([], hang_s=2.0)
    with serve_app_in_thread(slow) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=1, timeout_s=0.2)
        (summary,), _ = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0])
    assert summary.failed == 1 and "ReadTimeout" in next(iter(summary.failures))


def test_client_side_rate_limit_spaces_requests():
    import time

    app = flaky_app([])
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", requests_per_s=20)
        start = time.perf_counter()
        evaluate(["gymhub/Capitals-v0"], policy, seeds=range(6), concurrency=6)
        elapsed = time.perf_counter() - start
    assert app.state.calls == 6
    assert elapsed >= 5 / 20 * 0.9  # six starts spaced 50 ms apart


def test_a_killed_run_resumed_gives_the_uninterrupted_summary(tiny_url, tmp_path):
    """SIGKILL a real `gymhub eval` midway (the tiny model over HTTP), resume it, compare."""
    import os
    import signal
    import time

    def args(output):
        return [
            sys.executable, "-m", "gymhub", "eval", "gymhub/MathGen-v0", "gymhub/ToyArith-v0",
            "--policy", "openai", "--model", "tiny", "--base-url", tiny_url, "--seeds", "3",
            "--samples", "2", "--k", "1", "--k", "2", "--max-tokens", "4", "--concurrency", "1",
            "-o", str(output), "--json",
        ]  # fmt: skip

    full = subprocess.run(
        args(tmp_path / "full.jsonl"), capture_output=True, text=True, timeout=300
    )
    assert full.returncode == 0, full.stderr
    cut = tmp_path / "cut.jsonl"
    proc = subprocess.Popen(args(cut), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (cut.exists() and len(cut.read_text().splitlines()) >= 4):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    survived = len(cut.read_text().splitlines())
    assert 4 <= survived < 12
    resumed = subprocess.run([*args(cut), "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert len(cut.read_text().splitlines()) == 12

    def comparable(out):
        data = json.loads(out)
        for env in data["envs"]:
            env.pop("mean_seconds")
        return data

    assert comparable(resumed.stdout) == comparable(full.stdout)


def test_local_hf_policies_from_the_command_line():
    out = subprocess.run(
        [sys.executable, "-m", "gymhub", "eval", "gymhub/ToyArith-v0", "--policy", "tiny",
         "--seeds", "4", "--max-tokens", "4", "--json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    (env,) = json.loads(out.stdout)["envs"]
    assert env["scored"] == 4 and env["failed"] == 0


def seed_recording_app():
    """Records each request's `seed` and answers a fixed reply."""
    from fastapi import FastAPI

    app = FastAPI()
    app.state.seeds = []

    @app.post("/v1/chat/completions")
    async def chat(body: dict):
        app.state.seeds.append(body.get("seed"))
        reply = {"role": "assistant", "content": "<answer>Paris</answer>"}
        return {"choices": [{"index": 0, "message": reply, "finish_reason": "stop"}]}

    return app


def test_sampling_seed_differs_per_sample_and_repeats_on_a_rerun():
    """With `seed=`, the samples of one task ask different seeds (a single seed would make
    pass@k pass@1) and a rerun asks the very same ones."""
    app = seed_recording_app()
    with serve_app_in_thread(app) as url:
        for _ in range(2):
            policy = OpenAIPolicy("m", base_url=f"{url}/v1", temperature=1.0, seed=7)
            evaluate(["gymhub/Capitals-v0"], policy, seeds=[0, 1], samples=3, ks=(1, 3))
        first, second = app.state.seeds[:6], app.state.seeds[6:]
        assert len(second) == 6 and sorted(first) == sorted(second)
        assert len(set(first)) == 6 and all(isinstance(s, int) and 0 <= s < 2**31 for s in first)
        assert policy.sampling()["seed"] == 7
        app.state.seeds.clear()
        evaluate(["gymhub/Capitals-v0"], OpenAIPolicy("m", base_url=f"{url}/v1"), seeds=[0])
        assert app.state.seeds == [None]  # no seed asked: none sent


@pytest.mark.parametrize(
    "kwargs", [{"seed": -1}, {"seed": 2**31}, {"seed": 1.5}, {"seed": 1, "extra_body": {"seed": 2}}]
)
def test_sampling_seed_is_validated(kwargs):
    with pytest.raises(ValueError, match="seed"):
        OpenAIPolicy("m", **kwargs)


def test_cli_sampling_seed_is_only_for_an_endpoint():
    out = subprocess.run(
        [sys.executable, "-m", "gymhub", "eval", "gymhub/Capitals-v0", "--sampling-seed", "3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode != 0 and "--sampling-seed" in out.stderr and "Traceback" not in out.stderr
