"""Batch planning and the mask-free causal path of RewardModelVerifier, on real tiny models."""

from __future__ import annotations

import pytest
import torch

from gymhub.verifiers.reward_model import RewardModelVerifier
from gymhub.verifiers.rm_batching import is_causal_decoder, plan_batches


def test_plan_batches_bounds_rows_tokens_and_padding():
    lengths = [50, 10, 12, 300, 11, 49, 48, 2000]
    batches = plan_batches(lengths, max_rows=3, max_tokens=200)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        longest = max(lengths[i] for i in batch)
        assert len(batch) <= 3
        assert len(batch) == 1 or longest * len(batch) <= 200
        assert longest * len(batch) <= 1.5 * sum(lengths[i] for i in batch) or len(batch) == 1
    assert [7] in batches  # longer than the budget: alone, never dropped
    assert plan_batches([], max_rows=4, max_tokens=10) == []
    with pytest.raises(ValueError, match="max_rows"):
        plan_batches([3], max_rows=0, max_tokens=10)


def test_causal_decoder_drops_the_mask_and_keeps_the_unbatched_scores(tiny_rm_path):
    rm = RewardModelVerifier(str(tiny_rm_path), batch_size=8, max_batch_tokens=4096)
    assert rm._causal
    prompts = [f"question {i} " * (1 + i % 5) for i in range(12)]
    responses = [f"answer {i} " * (1 + i % 7) for i in range(12)]
    batch = rm.score(prompts, responses)
    for p, r, got in zip(prompts, responses, batch):
        ids = torch.tensor([rm.encode(p, r)[0]])
        with torch.inference_mode():
            direct = float(rm.model(input_ids=ids).logits[0, 0])
        assert got == pytest.approx(direct, abs=1e-5)


def test_an_encoder_keeps_its_attention_mask():
    from transformers import BertConfig, BertForSequenceClassification

    from gymhub.trainers.tiny import build_tiny_tokenizer

    tokenizer = build_tiny_tokenizer()
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=1,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    model = BertForSequenceClassification(config).eval()
    assert not is_causal_decoder(model)
    rm = RewardModelVerifier(model, tokenizer=tokenizer, batch_size=4, max_length=512)
    assert not rm._causal
    responses = ["short", "a much longer answer than that " * 4, "mid answer"]
    batch = [v.components["rm_score"] for v in rm.verify_batch(responses, prompt="q")]
    single = [rm.verify(r, prompt="q").components["rm_score"] for r in responses]
    assert batch == pytest.approx(single, abs=1e-5)
