"""Rollouts: concurrency, provenance, isolation of failures, and OpenAIPolicy against a real
OpenAI-compatible HTTP server on loopback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import gymhub
from gymhub.env import Env
from gymhub.policies import OpenAIPolicy, PolicyError, ReferencePolicy, ScriptedPolicy


def test_reference_rollout_has_provenance():
    traces = gymhub.run_rollouts(
        ["gymhub/GuessNumber-v0", "gymhub/Capitals-v0"], ReferencePolicy(), seeds=[0, 1, 2]
    )
    assert len(traces) == 6
    for t in traces:
        assert t.total_reward == 1.0 and t.error is None and not t.infra_error
        assert t.gymhub_version == gymhub.__version__ and t.env_version == 0
        assert t.seed in (0, 1, 2) and t.task_id and t.timings.total_s > 0
        assert t.messages[-1].role in ("assistant", "user", "tool")
    assert traces[3].verifier.startswith("exact_match")
    again = gymhub.run_rollouts("gymhub/GuessNumber-v0", ReferencePolicy(), seeds=[0, 1, 2])
    assert [t.messages for t in again] == [t.messages for t in traces[:3]]


def test_one_failure_does_not_cancel_others():
    class Exploding(Env):
        def _reset(self, options):
            raise RuntimeError("env is down")

    def factory():
        return Exploding()

    traces = gymhub.run_rollouts(
        [factory, "gymhub/Capitals-v0"], ReferencePolicy(), seeds=[0, 1], concurrency=4
    )
    assert [t.infra_error for t in traces] == [True, True, False, False]
    assert "env is down" in traces[0].error
    assert all(t.total_reward == 1.0 for t in traces[2:])


def test_max_turns_and_scripted_policy():
    traces = gymhub.run_rollouts(
        "gymhub/GuessNumber-v0", ScriptedPolicy(["1"]), seeds=[5], max_turns=2
    )
    assert traces[0].turns == 2 and traces[0].truncated


def test_unknown_env_fails_fast():
    with pytest.raises(gymhub.UnknownEnvError):
        gymhub.run_rollouts("gymhub/Nope-v0", ReferencePolicy())


class _FakeChat(BaseHTTPRequestHandler):
    """A minimal OpenAI-compatible server that answers guesses by binary search."""

    calls: list[dict] = []
    served = 0

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _FakeChat.calls.append(body)
        if body["model"] == "broken":
            self.send_response(400)
            self.end_headers()
            self.wfile.write(b'{"error": "bad model"}')
            return
        _FakeChat.served += 1
        if body["model"] == "no-choices" or (body["model"] == "flaky" and _FakeChat.served % 2):
            data = b'{"choices": []}'  # a 200 with no completion: an overloaded proxy, say
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        low, high = 1, int(body["messages"][0]["content"].split("between 1 and ")[1].split(".")[0])
        for m in body["messages"]:
            if m["role"] == "user" and "too low" in m["content"]:
                low = int(m["content"].split()[0]) + 1
            if m["role"] == "user" and "too high" in m["content"]:
                high = int(m["content"].split()[0]) - 1
        reply = {"choices": [{"message": {"role": "assistant", "content": str((low + high) // 2)}}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def chat_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_openai_policy_over_http(chat_server):
    policy = OpenAIPolicy("fake", base_url=chat_server, api_key="k", temperature=0.0)
    traces = gymhub.run_rollouts(
        "gymhub/GuessNumber-v0", policy, seeds=list(range(8)), concurrency=8
    )
    assert all(t.total_reward == 1.0 for t in traces), [t.error for t in traces]
    body = _FakeChat.calls[-1]
    assert body["model"] == "fake" and body["temperature"] == 0.0


def test_openai_policy_errors_are_recorded(chat_server):
    traces = gymhub.run_rollouts(
        "gymhub/GuessNumber-v0", OpenAIPolicy("broken", base_url=chat_server), seeds=[0]
    )
    assert traces[0].error.startswith("policy:") and "400" in traces[0].error
    assert not traces[0].infra_error
    unreachable = OpenAIPolicy("m", base_url="http://127.0.0.1:9/v1", max_retries=0)
    assert "cannot reach" in gymhub.run_rollouts("gymhub/Capitals-v0", unreachable)[0].error


def test_openai_policy_parses_tool_calls():
    action = OpenAIPolicy.parse_response(
        {
            "choices": [
                {
                    "message": {
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "c",
                                "function": {"name": "convert", "arguments": '{"value": 1}'},
                            }
                        ],
                    }
                }
            ]
        }
    )
    assert action.tool_calls[0].parsed_arguments() == {"value": 1}
    with pytest.raises(PolicyError):
        OpenAIPolicy.parse_response({"nope": 1})


@pytest.mark.parametrize(
    "message",
    [
        {"content": None, "tool_calls": [{"function": {"name": None, "arguments": "{}"}}]},
        {"content": None, "tool_calls": [{"function": {"arguments": "{}"}}]},
        {"content": None, "tool_calls": [{"type": "function"}]},
        {"content": None, "tool_calls": ["convert"]},
        {"content": 5},
        "just text",
    ],
)
def test_a_malformed_completion_is_the_policys_failure(message):
    """What the model server sent that cannot become an action is a PolicyError (scored as the
    policy's failure), not a KeyError that a rollout would record as the hub's."""
    with pytest.raises(PolicyError, match="malformed chat completion"):
        OpenAIPolicy.parse_response({"choices": [{"message": message}]})


@pytest.mark.parametrize(
    "body",
    [
        {"choices": []},
        {"nope": 1},
        {"error": {"message": "overloaded"}},
        {"choices": [{"finish_reason": "stop"}]},
        ["not", "an", "object"],
    ],
)
def test_a_body_without_a_completion_is_the_servers_failure_not_the_models(body):
    """A 200 whose body is no chat completion was UnusableReplyError, so an evaluation scored the
    model 0 (unparseable) for its server failing; it is a plain PolicyError now (left out of the
    scores), and the message the model did send stays the model's."""
    from gymhub.policies import UnusableReplyError

    with pytest.raises(PolicyError) as raised:
        OpenAIPolicy.parse_response(body)
    assert not isinstance(raised.value, UnusableReplyError)


def test_a_200_without_a_completion_is_retried_then_named(chat_server):
    flaky = OpenAIPolicy("flaky", base_url=chat_server, max_retries=3, backoff_s=0.01)
    traces = gymhub.run_rollouts("gymhub/GuessNumber-v0", flaky, seeds=[0])
    assert traces[0].error is None and traces[0].total_reward == 1.0
    empty = OpenAIPolicy("no-choices", base_url=chat_server, max_retries=1, backoff_s=0.01)
    trace = gymhub.run_rollouts("gymhub/GuessNumber-v0", empty, seeds=[0])[0]
    assert "without a chat completion after 2 tries" in trace.error


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"seeds": [-1]}, ValueError, "non-negative"),
        ({"seeds": [1.5]}, TypeError, "non-negative integers"),
        ({"seeds": [True]}, TypeError, "non-negative integers"),
        ({"seeds": "12"}, TypeError, "sequence of integers"),
        ({"episodes": -1}, ValueError, "episodes"),
        ({"episodes": "2"}, ValueError, "episodes"),
        ({"concurrency": "2"}, ValueError, "concurrency"),
        ({"concurrency": True}, ValueError, "concurrency"),
        ({"options": [1]}, TypeError, "options must be a dict"),
        ({"options": {"bogus": 1}}, ValueError, "bogus"),
        ({"env_kwargs": {"bogus": 1}}, ValueError, "env_kwargs rejected"),
        ({"env_kwargs": [1]}, TypeError, "env_kwargs must be a dict"),
    ],
)
def test_caller_errors_raise_instead_of_masked_infra_traces(kwargs, error, words):
    """A bad seed, option or env keyword is the caller's mistake: before, every episode failed
    to reset or make and came back as an infra-error trace, which trainers silently mask."""
    with pytest.raises(error, match=words):
        gymhub.run_rollouts("gymhub/GuessNumber-v0", ReferencePolicy(), **kwargs)


def test_rollout_refuses_a_policy_without_act():
    with pytest.raises(TypeError, match="Policy"):
        gymhub.run_rollouts("gymhub/GuessNumber-v0", None)


def test_numpy_seeds_and_valid_options_play():
    import numpy as np

    traces = gymhub.run_rollouts(
        "gymhub/GuessNumber-v0",
        ReferencePolicy(),
        seeds=np.arange(2),
        options={"difficulty": 2},
        env_kwargs={"difficulty": 2},
    )
    assert [t.seed for t in traces] == [0, 1]
    assert all(type(t.seed) is int and t.total_reward == 1.0 for t in traces)
