"""How `RewardModelVerifier` packs conversations into forward passes, without changing a score.

- Rows are sorted by length and cut by a padded-token budget (rows x longest row), a row cap
  and a bound on padding. On CPU the budget is small on purpose: a batch whose activations stay
  in cache scores more tokens per second than one big batch, which only adds padding and cache
  misses (the per-call overhead it saves is already small at a thousand tokens a call).
- Rows are right-padded, so every real token keeps the position it has unbatched. For a causal
  decoder the attention mask is then left out: a real token only attends to tokens on its left,
  all real, so the causal mask alone gives it what it gets unbatched, and SDPA runs its fused
  causal kernel instead of a masked one. The classifier reads the rightmost non-pad token of
  each row, as it does unbatched; pad positions compute values nobody reads.

torch loads lazily (these helpers run only once a model is loaded).
"""

from __future__ import annotations

from typing import Any

#: padded tokens per forward on CPU (see the module docstring) and on accelerators
CPU_BATCH_TOKENS = 1024
ACCELERATOR_BATCH_TOKENS = 16384


def plan_batches(
    lengths: list[int], *, max_rows: int, max_tokens: int, max_padding: float = 1.5
) -> list[list[int]]:
    """Indices into `lengths`, grouped into batches of similar length: shortest first, a batch
    closes before it would exceed `max_rows` rows, `max_tokens` padded tokens or `max_padding`
    times its real tokens. A row longer than `max_tokens` gets a batch of its own."""
    if max_rows < 1 or max_tokens < 1:
        raise ValueError("max_rows and max_tokens must be >= 1")
    batches: list[list[int]] = []
    current: list[int] = []
    real = 0
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        tokens = lengths[i]
        padded = tokens * (len(current) + 1)  # sorted: the new row is the longest
        if current and (
            len(current) >= max_rows
            or padded > max_tokens
            or padded > max_padding * (real + tokens)
        ):
            batches.append(current)
            current, real = [], 0
        current.append(i)
        real += tokens
    if current:
        batches.append(current)
    return batches


def is_causal_decoder(model: Any) -> bool:
    """True when every attention module of `model` says it is causal (decoder-only models in
    transformers set `is_causal = True`; encoders such as BERT or DeBERTa do not), so right
    padding needs no attention mask."""
    if getattr(model.config, "is_encoder_decoder", False):
        return False
    flags = [
        m.is_causal for m in model.modules() if isinstance(getattr(m, "is_causal", None), bool)
    ]
    return bool(flags) and all(flags)


def padded_ids(rows: list[list[int]], pad_id: int) -> Any:
    """A (rows, longest) LongTensor of right-padded ids, built in one call."""
    import torch

    width = max(len(r) for r in rows)
    return torch.tensor([r + [pad_id] * (width - len(r)) for r in rows], dtype=torch.long)
