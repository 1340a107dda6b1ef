"""GRPO-family algorithms as small pure tensor functions (tested against plain loop versions).

Shapes: rewards are `[groups, G]`; per-token tensors are `[batch, T]` with a 0/1 `mask` marking
the policy's own tokens (environment and tool tokens are 0 and never contribute). Rows whose
rollout failed for infrastructure reasons are passed as `valid=False`: they are left out of the
group statistics and get advantage 0, instead of being scored 0.
"""

from __future__ import annotations

from typing import Literal

import torch

AdvantageMethod = Literal["grpo", "dr_grpo", "rloo"]
RatioLevel = Literal["token", "sequence"]
Aggregation = Literal["token_mean", "seq_mean_token_mean", "constant"]

ADVANTAGE_METHODS: tuple[str, ...] = ("grpo", "dr_grpo", "rloo")
RATIO_LEVELS: tuple[str, ...] = ("token", "sequence")
AGGREGATIONS: tuple[str, ...] = ("token_mean", "seq_mean_token_mean", "constant")


def group_advantages(
    rewards: torch.Tensor,
    method: AdvantageMethod = "grpo",
    valid: torch.Tensor | None = None,
    eps: float = 1e-4,
) -> torch.Tensor:
    """Outcome advantages per rollout, relative to its group.

    - `grpo`: (r - mean) / (std + eps), std with Bessel's correction (a group with equal rewards
      gets 0);
    - `dr_grpo`: r - mean (no std scaling);
    - `rloo`: r - mean of the *other* valid rollouts of the group.
    """
    if method not in ADVANTAGE_METHODS:
        raise ValueError(f"unknown advantage method {method!r}; choose one of {ADVANTAGE_METHODS}")
    if rewards.dim() != 2:
        raise ValueError(f"rewards must be [groups, group_size], got shape {tuple(rewards.shape)}")
    r = rewards.to(torch.float64)
    v = torch.ones_like(r) if valid is None else valid.to(torch.float64)
    # a masked reward may be anything (NaN from a broken reward model): 0 * NaN is NaN, so it is
    # replaced, not multiplied away
    r = torch.where(v > 0, r, torch.zeros_like(r))
    n = v.sum(dim=1, keepdim=True)
    mean = (r * v).sum(dim=1, keepdim=True) / n.clamp(min=1)
    centered = (r - mean) * v
    if method == "grpo":
        var = (centered**2).sum(dim=1, keepdim=True) / (n - 1).clamp(min=1)
        adv = centered / (var.sqrt() + eps)
    elif method == "dr_grpo":
        adv = centered
    else:  # rloo: r_i - (sum - r_i) / (n - 1) == n / (n - 1) * (r_i - mean)
        adv = torch.where(n > 1, centered * n / (n - 1).clamp(min=1), torch.zeros_like(centered))
    adv = torch.where(n > 1, adv, torch.zeros_like(adv))
    return (adv * v).to(rewards.dtype if rewards.is_floating_point() else torch.float32)


def token_logprobs(
    logits: torch.Tensor, ids: torch.Tensor, temperature: float = 1.0
) -> torch.Tensor:
    """log p(ids) under `logits / temperature` (the sampling distribution), in float32.

    The chosen logit minus the log-normaliser: unlike `log_softmax(...).gather(...)` it keeps no
    second vocabulary-sized tensor for the backward pass."""
    logits = logits.float()
    if temperature != 1.0:
        logits = logits / temperature
    chosen = logits.gather(-1, ids.unsqueeze(-1)).squeeze(-1)
    return chosen - torch.logsumexp(logits, dim=-1)


# vocabulary entries per chunk when entropy needs no gradient (about 256 MB of float32)
ENTROPY_CHUNK_ELEMENTS = 1 << 26


def entropy_from_logits(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Per-position entropy of the sampling distribution. Without a gradient to keep (entropy
    logged, not optimised) it runs over chunks of positions, so the float32 copies it makes stay
    small whatever the vocabulary."""

    def entropy(chunk: torch.Tensor) -> torch.Tensor:
        logp = torch.log_softmax(chunk.float() / temperature, dim=-1)
        return -(logp.exp() * logp).sum(-1)

    vocab = logits.shape[-1]
    flat = logits.reshape(-1, vocab)
    if (torch.is_grad_enabled() and logits.requires_grad) or flat.shape[0] == 0:
        return entropy(logits)
    rows = max(1, ENTROPY_CHUNK_ELEMENTS // max(vocab, 1))
    parts = [entropy(flat[i : i + rows]) for i in range(0, flat.shape[0], rows)]
    return torch.cat(parts).reshape(logits.shape[:-1])


def k3_kl(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """Per-token k3 estimator of KL(pi || ref): exp(ref - logp) - (ref - logp) - 1 (>= 0)."""
    diff = ref_logp - logp
    return torch.exp(diff) - diff - 1.0


def clipped_surrogate(
    logp: torch.Tensor,
    old_logp: torch.Tensor,
    advantages: torch.Tensor,
    mask: torch.Tensor,
    *,
    clip_low: float = 0.2,
    clip_high: float = 0.2,
    ratio_level: RatioLevel = "token",
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-token PPO-clip loss `-min(rho*A, clip(rho, 1-clip_low, 1+clip_high)*A)` and the ratio.

    `clip_high > clip_low` is DAPO's clip-higher. With `ratio_level="sequence"` (GSPO) every token
    of a sequence uses the sequence ratio exp(mean_t log rho_t); its gradient flows through each
    token as sg[s] * pi / sg[pi]."""
    if ratio_level not in RATIO_LEVELS:
        raise ValueError(f"unknown ratio level {ratio_level!r}; choose one of {RATIO_LEVELS}")
    mask = mask.to(logp.dtype)
    adv = advantages.unsqueeze(-1) if advantages.dim() == 1 else advantages
    log_ratio = (logp - old_logp) * mask
    if ratio_level == "sequence":
        seq_log_ratio = log_ratio.sum(-1, keepdim=True) / mask.sum(-1, keepdim=True).clamp(min=1)
        log_ratio = seq_log_ratio.detach() + logp - logp.detach()
    ratio = torch.exp(log_ratio)
    unclipped = ratio * adv
    clipped = torch.clamp(ratio, 1.0 - clip_low, 1.0 + clip_high) * adv
    return -torch.minimum(unclipped, clipped) * mask, ratio


def clipped_mask(
    ratio: torch.Tensor,
    advantages: torch.Tensor,
    mask: torch.Tensor,
    clip_low: float = 0.2,
    clip_high: float = 0.2,
) -> torch.Tensor:
    """The policy tokens whose PPO-clip term is the clipped one (so they get no gradient): a ratio
    above 1 + clip_high with a positive advantage, or below 1 - clip_low with a negative one."""
    adv = advantages.unsqueeze(-1) if advantages.dim() == 1 else advantages
    high = (ratio > 1.0 + clip_high) & (adv > 0)
    low = (ratio < 1.0 - clip_low) & (adv < 0)
    return (high | low) & (mask > 0)


def aggregate(
    per_token: torch.Tensor,
    mask: torch.Tensor,
    mode: Aggregation = "token_mean",
    *,
    total_tokens: float | None = None,
    total_sequences: float | None = None,
    max_len: int | None = None,
    seq_tokens: torch.Tensor | None = None,
) -> torch.Tensor:
    """Reduce a per-token loss to a scalar.

    - `token_mean`: sum over all policy tokens / number of policy tokens (DAPO; long answers
      weigh more);
    - `seq_mean_token_mean`: mean over sequences of each sequence's token mean (GRPO paper);
    - `constant`: sum / (sequences * max_len) (Dr. GRPO: no length bias).

    The `total_*` arguments are the counts over the whole optimizer step, so that gradient
    accumulation over micro-batches gives the same gradient as one big batch. `seq_tokens[i]` is
    the token count of the sequence row i belongs to, when a sequence spans several rows (an
    episode whose context was replaced): each row then adds its share of that sequence's mean."""
    if mode not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {mode!r}; choose one of {AGGREGATIONS}")
    mask = mask.to(per_token.dtype)
    masked = per_token * mask
    if mode == "token_mean":
        denom = float(total_tokens) if total_tokens is not None else mask.sum().clamp(min=1)
        return masked.sum() / denom
    n_seq = float(total_sequences) if total_sequences is not None else float(per_token.shape[0])
    if mode == "seq_mean_token_mean":
        counts = mask.sum(-1) if seq_tokens is None else seq_tokens.to(per_token.dtype)
        per_seq = masked.sum(-1) / counts.clamp(min=1)
        return per_seq.sum() / max(n_seq, 1.0)
    length = max_len if max_len is not None else per_token.shape[-1]
    return masked.sum() / max(n_seq * length, 1.0)


def truncated_is_weights(
    trainer_logp: torch.Tensor, sampler_logp: torch.Tensor, cap: float = 2.0
) -> torch.Tensor:
    """Per-token truncated importance weights min(pi_trainer / pi_sampler, cap) for when the
    sampling engine (vLLM, a stale copy, another precision) is not the trained model."""
    return torch.exp(trainer_logp - sampler_logp).clamp(max=cap).detach()


def dynamic_sampling_keep(rewards: torch.Tensor, valid: torch.Tensor | None = None) -> torch.Tensor:
    """DAPO dynamic sampling: True for groups whose valid rewards are not all equal (groups with
    no spread carry no GRPO signal)."""
    v = torch.ones_like(rewards, dtype=torch.bool) if valid is None else valid.bool()
    big = torch.finfo(torch.float64).max
    r = rewards.to(torch.float64)
    hi = torch.where(v, r, torch.full_like(r, -big)).max(dim=1).values
    lo = torch.where(v, r, torch.full_like(r, big)).min(dim=1).values
    return (v.sum(dim=1) >= 2) & (hi > lo)


def overlong_penalty(lengths: torch.Tensor, max_len: int, cache_len: int) -> torch.Tensor:
    """DAPO soft overlong shaping: 0 up to max_len - cache_len, then a linear ramp to -1 at
    max_len, -1 beyond."""
    if cache_len <= 0 or cache_len > max_len:
        raise ValueError(
            f"cache_len must be in (0, max_len], got {cache_len} for max_len {max_len}"
        )
    free = max_len - cache_len
    lengths = lengths.to(torch.float64)
    ramp = (free - lengths) / cache_len
    out = torch.where(lengths <= free, torch.zeros_like(lengths), ramp)
    return torch.where(lengths > max_len, torch.full_like(lengths, -1.0), out).float()
