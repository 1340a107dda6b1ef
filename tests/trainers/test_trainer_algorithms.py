"""Algorithms vs straightforward loop implementations of the formulas."""

from __future__ import annotations

import math

import pytest
import torch

from gymhub.trainers import algorithms as alg


def loop_advantages(rewards, valid, method, eps=1e-4):
    out = []
    for row, vrow in zip(rewards, valid):
        vals = [r for r, v in zip(row, vrow) if v]
        n = len(vals)
        mean = sum(vals) / n if n else 0.0
        std = math.sqrt(sum((x - mean) ** 2 for x in vals) / (n - 1)) if n > 1 else 0.0
        res = []
        for r, v in zip(row, vrow):
            if not v or n < 2:
                res.append(0.0)
            elif method == "grpo":
                res.append((r - mean) / (std + eps))
            elif method == "dr_grpo":
                res.append(r - mean)
            else:
                others = [x for x in vals]
                others.remove(r)
                res.append(r - sum(others) / (n - 1))
        out.append(res)
    return out


@pytest.mark.parametrize("method", ["grpo", "dr_grpo", "rloo"])
def test_advantages_match_loops(method):
    gen = torch.Generator().manual_seed(0)
    rewards = torch.rand(5, 6, generator=gen).round(decimals=1)
    valid = torch.rand(5, 6, generator=gen) > 0.2
    valid[0] = True
    rewards[1] = 0.5  # zero spread
    got = alg.group_advantages(rewards, method, valid)
    want = loop_advantages(rewards.tolist(), valid.tolist(), method)
    assert torch.allclose(got, torch.tensor(want), atol=1e-5)
    assert torch.all(got[1] == 0)
    assert torch.all(got[~valid] == 0), "masked (infra_error) rollouts get no advantage"


def test_infra_error_is_masked_not_scored_zero():
    rewards = torch.tensor([[1.0, 1.0, 0.0]])
    masked = alg.group_advantages(rewards, "grpo", torch.tensor([[True, True, False]]))
    assert torch.all(masked == 0), "the failed rollout must not count as a 0 reward"
    scored = alg.group_advantages(rewards, "grpo")
    assert scored[0, 0] > 0


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="advantage method"):
        alg.group_advantages(torch.zeros(2, 2), "ppo")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="groups, group_size"):
        alg.group_advantages(torch.zeros(4))
    with pytest.raises(ValueError, match="aggregation"):
        alg.aggregate(torch.zeros(2, 2), torch.ones(2, 2), "mean")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cache_len"):
        alg.overlong_penalty(torch.tensor([1.0]), 10, 0)


def loop_surrogate(logp, old, adv, mask, lo, hi):
    out = [[0.0] * len(logp[0]) for _ in logp]
    for i in range(len(logp)):
        for t in range(len(logp[0])):
            if mask[i][t]:
                rho = math.exp(logp[i][t] - old[i][t])
                clipped = min(max(rho, 1 - lo), 1 + hi)
                out[i][t] = -min(rho * adv[i], clipped * adv[i])
    return out


def test_clipped_surrogate_matches_loop_with_clip_higher():
    gen = torch.Generator().manual_seed(1)
    logp = -torch.rand(4, 7, generator=gen) * 3
    old = logp + (torch.rand(4, 7, generator=gen) - 0.5)
    adv = torch.tensor([1.5, -0.7, 0.3, -2.0])
    mask = (torch.rand(4, 7, generator=gen) > 0.3).float()
    got, _ = alg.clipped_surrogate(logp, old, adv, mask, clip_low=0.2, clip_high=0.28)
    want = loop_surrogate(logp.tolist(), old.tolist(), adv.tolist(), mask.tolist(), 0.2, 0.28)
    assert torch.allclose(got, torch.as_tensor(want, dtype=got.dtype), atol=1e-6)
    symmetric, _ = alg.clipped_surrogate(logp, old, adv, mask, clip_low=0.2, clip_high=0.2)
    assert not torch.allclose(got, symmetric), "clip-higher must change something here"


def test_sequence_ratio_gspo_value_and_gradient():
    gen = torch.Generator().manual_seed(2)
    logp = (-torch.rand(3, 5, generator=gen)).requires_grad_()
    old = logp.detach() + 0.01 * torch.randn(3, 5, generator=gen)
    adv = torch.tensor([1.0, -1.0, 0.5])
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 1, 0]], dtype=torch.float32)
    per_token, ratio = alg.clipped_surrogate(
        logp, old, adv, mask, clip_low=3e-4, clip_high=4e-4, ratio_level="sequence"
    )
    loss = alg.aggregate(per_token, mask, "seq_mean_token_mean")
    loss.backward()
    # loop reference: s_i = exp(mean_t log rho), J = mean_i min(s A, clip(s) A)
    logp2 = logp.detach().clone().requires_grad_()
    terms = []
    for i in range(3):
        idx = mask[i].bool()
        s = torch.exp((logp2[i][idx] - old[i][idx]).mean())
        assert torch.allclose(ratio[i][idx], s.detach().expand(int(idx.sum())))
        terms.append(-torch.minimum(s * adv[i], torch.clamp(s, 1 - 3e-4, 1 + 4e-4) * adv[i]))
    ref = torch.stack(terms).mean()
    ref.backward()
    assert torch.allclose(loss, ref, atol=1e-6)
    assert torch.allclose(logp.grad, logp2.grad, atol=1e-6)


def test_ratio_one_gives_reinforce_gradient():
    logits = torch.randn(2, 4, 6, requires_grad=True)
    ids = torch.randint(0, 6, (2, 4))
    mask = torch.ones(2, 4)
    adv = torch.tensor([0.5, -1.0])
    logp = alg.token_logprobs(logits, ids)
    per_token, _ = alg.clipped_surrogate(logp, logp.detach(), adv, mask)
    alg.aggregate(per_token, mask, "token_mean").backward()
    logits2 = logits.detach().clone().requires_grad_()
    lp2 = alg.token_logprobs(logits2, ids)
    (-(lp2 * adv[:, None]).sum() / 8).backward()
    assert torch.allclose(logits.grad, logits2.grad, atol=1e-6)


def test_logprobs_and_entropy_match_the_plain_formulas(monkeypatch):
    """token_logprobs (logit minus log-normaliser) and the chunked no-grad entropy give what
    log_softmax gives, gradients included."""
    logits = (torch.randn(3, 5, 11) * 4).requires_grad_()
    ids = torch.randint(0, 11, (3, 5))
    for temperature in (1.0, 0.7):
        plain = torch.log_softmax(logits.float() / temperature, -1)
        want = plain.gather(-1, ids[..., None]).squeeze(-1)
        got = alg.token_logprobs(logits, ids, temperature)
        assert torch.allclose(got, want, atol=1e-5)
        (g1,) = torch.autograd.grad(got.sum(), logits)
        (g2,) = torch.autograd.grad(want.sum(), logits)
        assert torch.allclose(g1, g2, atol=1e-5)
        entropy = -(plain.exp() * plain).sum(-1)
        monkeypatch.setattr(alg, "ENTROPY_CHUNK_ELEMENTS", 22)  # two positions per chunk
        with torch.no_grad():
            chunked = alg.entropy_from_logits(logits, temperature)
        assert chunked.shape == (3, 5) and torch.allclose(chunked, entropy, atol=1e-5)
        with_grad = alg.entropy_from_logits(logits, temperature)
        assert with_grad.requires_grad and torch.allclose(with_grad, entropy, atol=1e-5)


def loop_aggregate(x, mask, mode, max_len):
    if mode == "token_mean":
        return sum(v for r, m in zip(x, mask) for v, k in zip(r, m) if k) / sum(map(sum, mask))
    if mode == "seq_mean_token_mean":
        means = [sum(v for v, k in zip(r, m) if k) / sum(m) for r, m in zip(x, mask)]
        return sum(means) / len(means)
    return sum(v for r, m in zip(x, mask) for v, k in zip(r, m) if k) / (len(x) * max_len)


@pytest.mark.parametrize("mode", ["token_mean", "seq_mean_token_mean", "constant"])
def test_aggregation_matches_loop_and_accumulation_is_exact(mode):
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(6, 5, generator=gen)
    mask = (torch.rand(6, 5, generator=gen) > 0.3).float()
    mask[:, 0] = 1
    whole = alg.aggregate(x, mask, mode, max_len=5)
    assert whole.item() == pytest.approx(
        loop_aggregate(x.tolist(), mask.tolist(), mode, 5), abs=1e-6
    )
    # micro-batches with the step's global counts add up to the same loss (so the same gradient)
    parts = sum(
        alg.aggregate(
            x[i : i + 2],
            mask[i : i + 2],
            mode,
            total_tokens=float(mask.sum()),
            total_sequences=6,
            max_len=5,
        )
        for i in range(0, 6, 2)
    )
    assert parts.item() == pytest.approx(whole.item(), abs=1e-6)


def test_k3_kl_and_entropy():
    logp = torch.log(torch.tensor([0.5, 0.2, 0.9]))
    ref = torch.log(torch.tensor([0.5, 0.4, 0.3]))
    kl = alg.k3_kl(logp, ref)
    want = [r / p - math.log(r / p) - 1 for p, r in [(0.5, 0.5), (0.2, 0.4), (0.9, 0.3)]]
    assert torch.allclose(kl, torch.tensor(want), atol=1e-6)
    assert kl[0] == 0 and torch.all(kl >= 0)
    uniform = torch.zeros(1, 8)
    assert alg.entropy_from_logits(uniform).item() == pytest.approx(math.log(8), abs=1e-6)


def test_dynamic_sampling_and_overlong():
    rewards = torch.tensor([[1.0, 1.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, 1.0]])
    valid = torch.tensor([[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 0, 1]], dtype=torch.bool)
    assert alg.dynamic_sampling_keep(rewards, valid).tolist() == [False, True, False, False]
    pen = alg.overlong_penalty(
        torch.tensor([10.0, 16.0, 18.0, 20.0, 25.0]), max_len=20, cache_len=4
    )
    assert pen.tolist() == pytest.approx([0.0, 0.0, -0.5, -1.0, -1.0])


def test_truncated_is_weights_are_capped_and_detached():
    trainer = torch.tensor([0.0, -1.0, -5.0], requires_grad=True)
    sampler = torch.tensor([0.0, -2.0, -1.0])
    w = alg.truncated_is_weights(trainer, sampler, cap=2.0)
    assert not w.requires_grad
    assert w.tolist() == pytest.approx([1.0, 2.0, math.exp(-4.0)], rel=1e-5)
