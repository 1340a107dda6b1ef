"""The token-exact runner: ids kept as sampled, observation deltas from the chat template, masks,
budgets, infra errors masked, generation batched across live episodes."""

from __future__ import annotations

import json

import pytest

import gymhub
from gymhub.trainers.backends import Generation, HFBackend, SamplingParams
from gymhub.trainers.chat import message_dict
from gymhub.trainers.runner import EpisodeRunner, EpisodeSpec
from gymhub.trainers.tiny import build_tiny_model, build_tiny_tokenizer
from tests.core.episode_envs import BrokenEnv


@pytest.fixture(scope="module")
def tok():
    return build_tiny_tokenizer()


class ScriptedBackend:
    """Replies with fixed texts, turn by turn; records every batch it was asked for."""

    def __init__(self, tokenizer, replies: list[str], stop: bool = True) -> None:
        self.tok = tokenizer
        self.replies = replies
        self.stop = stop
        self.batches: list[int] = []
        self.produced: list[list[int]] = []

    def generate(self, prompts, params):
        self.batches.append(len(prompts))
        turn = len(self.batches) - 1
        out = []
        for _ in prompts:
            ids = self.tok(self.replies[turn % len(self.replies)], add_special_tokens=False)[
                "input_ids"
            ]
            ids = ids[: params.max_new_tokens]
            finish = "length"
            if self.stop and len(ids) < params.max_new_tokens:
                ids, finish = ids + [self.tok.eos_token_id], "stop"
            self.produced.append(ids)
            out.append(Generation(ids, [-0.5] * len(ids), finish))
        return out

    def sync_weights(self, model):
        pass


def test_multi_turn_tool_episode_is_token_exact(tok):
    env = gymhub.make("gymhub/UnitConvert-v0")
    env.reset(seed=5)
    meta = env.task.metadata
    call = json.dumps(
        {
            "name": "convert",
            "arguments": {
                "value": meta["value"],
                "from_unit": meta["from_unit"],
                "to_unit": meta["to_unit"],
            },
        }
    )
    answer = f"<answer>{env.task.answer:.6g}</answer>"
    backend = ScriptedBackend(tok, [f"<tool_call>{call}</tool_call>", answer])
    runner = EpisodeRunner(backend, tok, SamplingParams(max_new_tokens=400), max_tokens=4000)
    (ep,) = runner.run([EpisodeSpec(env, seed=5)])
    assert ep.reward == 1.0 and ep.terminated and not ep.truncated
    assert ep.num_turns == 2 and len(ep.turn_rewards) == 2
    # the policy spans hold exactly the sampled ids, with mask 1 and the sampler's log-probs
    for (start, end), sampled in zip(ep.turn_spans, backend.produced):
        assert ep.completion_ids[start:end] == sampled
        assert ep.loss_mask[start:end] == [1] * len(sampled)
        assert ep.logprobs[start:end] == [-0.5] * len(sampled)
    # everything else (tool output, template glue) is environment: mask 0
    assert sum(ep.loss_mask) == sum(len(p) for p in backend.produced)
    # the whole sequence is the chat template's rendering of the final conversation
    conversation = [message_dict(m) for m in ep.messages]
    tools = env.toolbox.specs
    rendered = tok.apply_chat_template(
        conversation, tools=[t.to_openai() for t in tools], tokenize=False
    )
    full = tok.decode(ep.prompt_ids + ep.completion_ids)
    assert rendered.startswith(full)
    assert rendered[len(full) :] == "\n", "only the template's newline after the last <|im_end|>"
    assert ep.messages[2].role == "tool" and "Error" not in ep.messages[2].text


def test_observation_tokens_are_masked_and_budgets_truncate(tok):
    env = gymhub.make("gymhub/GuessNumber-v0", difficulty=3)
    backend = ScriptedBackend(tok, ["1"])
    runner = EpisodeRunner(backend, tok, SamplingParams(max_new_tokens=8), max_turns=3)
    (ep,) = runner.run([EpisodeSpec(env, seed=0)])
    assert ep.truncated and ep.truncation in ("max_turns", "env") and ep.num_turns == 3
    env_text = tok.decode([t for t, m in zip(ep.completion_ids, ep.loss_mask) if m == 0])
    assert "higher" in env_text or "lower" in env_text
    policy_text = tok.decode([t for t, m in zip(ep.completion_ids, ep.loss_mask) if m == 1])
    assert policy_text.count("1") == 3

    env2 = gymhub.make("gymhub/GuessNumber-v0", difficulty=3)
    runner = EpisodeRunner(backend, tok, SamplingParams(max_new_tokens=8), max_tokens=260)
    (ep2,) = runner.run([EpisodeSpec(env2, seed=0)])
    assert ep2.truncated and ep2.truncation == "max_tokens" and ep2.num_turns >= 1
    assert len(ep2.prompt_ids) + len(ep2.completion_ids) <= 260


def test_infra_errors_are_marked_and_do_not_stop_others(tok):
    backend = ScriptedBackend(tok, ["3"])
    runner = EpisodeRunner(backend, tok, SamplingParams(max_new_tokens=4))
    specs = [EpisodeSpec(BrokenEnv(), seed=1)] + [
        EpisodeSpec(gymhub.make("gymhub/ToyArith-v0"), seed=i) for i in range(3)
    ]
    eps = runner.run(specs)
    assert eps[0].infra_error and "sandbox down" in eps[0].error
    assert all(not e.infra_error and e.terminated for e in eps[1:])
    assert backend.batches == [4], "one generation batch for all live episodes"


def test_generation_is_batched_across_envs_and_turns(tok):
    backend = ScriptedBackend(tok, ["7"])
    runner = EpisodeRunner(backend, tok, SamplingParams(max_new_tokens=4), max_turns=2)
    specs = [EpisodeSpec(gymhub.make("gymhub/ToyArithRetry-v0"), seed=i) for i in range(6)]
    specs += [EpisodeSpec(gymhub.make("gymhub/ToyArith-v0"), seed=i) for i in range(4)]
    eps = runner.run(specs)
    # round 1: all 10; round 2: only the retry episodes whose first answer was wrong
    wrong_first = sum(1 for e in eps[:6] if e.turn_rewards[0] == 0.0)
    assert backend.batches == [10, wrong_first] if wrong_first else [10]


def test_hf_backend_logprobs_match_a_forward_pass(tok):
    import torch

    model = build_tiny_model(tok, seed=0)
    backend = HFBackend(model, tok)
    prompts = [tok("<|im_start|>user\nab", add_special_tokens=False)["input_ids"], [5, 6, 7, 8, 9]]
    torch.manual_seed(0)
    gens = backend.generate(prompts, SamplingParams(max_new_tokens=5, temperature=0.7))
    for prompt, gen in zip(prompts, gens):
        assert 1 <= len(gen.ids) <= 5 and len(gen.logprobs) == len(gen.ids)
        ids = torch.tensor([prompt + gen.ids])
        with torch.no_grad():
            logits = model(input_ids=ids).logits[0, len(prompt) - 1 : -1] / 0.7
        want = torch.log_softmax(logits, -1).gather(-1, torch.tensor(gen.ids)[:, None])[:, 0]
        assert torch.allclose(torch.tensor(gen.logprobs), want, atol=1e-4)


def test_replace_context_starts_a_new_token_segment(tok):
    """The env rewrites the context after turn 1: the episode goes on (not truncated) in a second
    token segment whose prompt is the new context, and the messages agree with a rollout's."""
    from gymhub.policies import ReferencePolicy
    from tests.core.episode_envs import REPLIES, SUMMARY, SummarizingEnv

    backend = ScriptedBackend(tok, REPLIES)
    runner = EpisodeRunner(backend, tok, SamplingParams(max_new_tokens=8), max_tokens=4000)
    (ep,) = runner.run([EpisodeSpec(SummarizingEnv(), seed=0)])
    assert ep.terminated and not ep.truncated and not ep.infra_error and ep.reward == 1.0
    assert len(ep.segments) == 2 and ep.num_turns == 3
    first, second = ep.segments
    assert first.completion_ids == backend.produced[0] and first.loss_mask == [1] * len(
        backend.produced[0]
    )
    new_context = [message_dict(m) for m in SUMMARY]
    expected = tok.apply_chat_template(new_context, tokenize=False, add_generation_prompt=True)
    assert tok.decode(second.prompt_ids) == expected
    policy = [t for t, m in zip(second.completion_ids, second.loss_mask) if m == 1]
    assert policy == backend.produced[1] + backend.produced[2]
    assert ep.policy_tokens == sum(len(p) for p in backend.produced)
    (trace,) = gymhub.run_rollouts(SummarizingEnv, ReferencePolicy(), seeds=[0])
    assert [(m.role, m.text) for m in ep.messages] == [(m.role, m.text) for m in trace.messages]
