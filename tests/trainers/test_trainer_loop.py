"""GRPOTrainer end to end on the tiny model: masking, multi-turn training, metrics, checkpoint and
resume, LoRA, KL, the CLI and HFPolicy."""

from __future__ import annotations

import asyncio
import json
import math

import pytest
import torch

import gymhub
from gymhub.trainers import GRPOConfig, GRPOTrainer, HFPolicy
from gymhub.trainers.tiny import build_tiny_model, build_tiny_tokenizer

REQUIRED_KEYS = {"step", "reward_mean", "loss", "kl", "entropy", "response_len", "tokens_per_s"}


def small_config(tmp_path, **overrides) -> GRPOConfig:
    settings = dict(
        envs=["gymhub/ToyArith-v0"],
        steps=2,
        group_size=4,
        prompts_per_step=2,
        learning_rate=5e-3,
        max_new_tokens=3,
        max_turns=2,
        max_tokens=128,
        output_dir=str(tmp_path / "run"),
        progress=False,
        torch_threads=1,
        model_overrides={"initializer_range": 0.1},
    )
    settings.update(overrides)
    return GRPOConfig(**settings)


def test_environment_tokens_do_not_change_gradients(tmp_path):
    trainer = GRPOTrainer(small_config(tmp_path))
    tok = trainer.tokenizer
    prompt = tok(
        "<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n", add_special_tokens=False
    )["input_ids"]
    policy = tok("42", add_special_tokens=False)["input_ids"] + [tok.eos_token_id]

    def grads(env_text: str) -> list[torch.Tensor]:
        env_ids = tok(env_text, add_special_tokens=False)["input_ids"]
        ids = prompt + policy + env_ids
        sample = {
            "ids": ids,
            "mask": [0] * len(prompt) + [1] * len(policy) + [0] * len(env_ids),
            "sampler_logp": [0.0] * len(ids),
            "adv": 1.0,
        }
        trainer.model.zero_grad()
        batch = trainer._tensors([sample])
        logp, _ = trainer._forward_logp(trainer.model, batch)
        per_token, _ = trainer_alg().clipped_surrogate(
            logp, logp.detach(), batch["adv"], batch["mask"]
        )
        trainer_alg().aggregate(per_token, batch["mask"]).backward()
        return [p.grad.clone() for p in trainer.model.parameters()]

    a = grads("\n<|im_start|>tool\nresult: 12<|im_end|>")
    b = grads("\n<|im_start|>tool\nsomething entirely different, longer<|im_end|>")
    assert all(torch.equal(x, y) for x, y in zip(a, b))
    assert any(x.abs().sum() > 0 for x in a), "policy tokens must produce a gradient"
    trainer.close()


def trainer_alg():
    from gymhub.trainers import algorithms

    return algorithms


def test_multi_turn_env_trains_end_to_end_and_logs(tmp_path):
    cfg = small_config(
        tmp_path,
        envs=[{"id": "gymhub/ToyArithRetry-v0", "weight": 3}, "gymhub/ToyArith-v0"],
        plot_every=1,
    )
    trainer = GRPOTrainer(cfg)
    # a random tiny model almost never answers right; a sampler that cycles through the digits
    # gives each group a reward spread, so the update has something to learn from
    trainer.runner.backend = CyclingDigits(trainer.tokenizer)
    before = [p.detach().clone() for p in trainer.model.parameters()]
    history = trainer.train()
    assert len(history) == 2
    assert any(not torch.equal(b, p) for b, p in zip(before, trainer.model.parameters()))
    rows = [
        json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    ]
    assert [r["step"] for r in rows] == [1, 2]
    assert REQUIRED_KEYS <= set(rows[0]) and "reward/exact" in rows[0]
    assert rows[0]["num_turns"] > 1, "wrong first answers get a second turn"
    assert rows[0]["entropy"] > 0 and rows[0]["reward_mean"] > 0
    assert (tmp_path / "run" / "reward.png").stat().st_size > 1000
    assert (tmp_path / "run" / "model" / "config.json").is_file()
    report = trainer.evaluate(episodes=3)
    assert set(report) == {"gymhub/ToyArithRetry-v0", "gymhub/ToyArith-v0"}
    trainer.close()


class CyclingDigits:
    def __init__(self, tok):
        self.tok, self.n = tok, 0

    def generate(self, prompts, params):
        from gymhub.trainers.backends import Generation

        out = []
        for _ in prompts:
            self.n += 1
            ids = self.tok(str(self.n % 10), add_special_tokens=False)["input_ids"]
            out.append(Generation(ids + [self.tok.eos_token_id], [-2.3, -0.1], "stop"))
        return out

    def sync_weights(self, model):
        pass


def test_resume_gives_the_same_next_step_loss(tmp_path):
    full = GRPOTrainer(small_config(tmp_path / "a", steps=3, save_every=2))
    rows = full.train()
    full.close()
    # the finished run also saved its last step (checkpoint-3); continue from step 2's
    checkpoint = tmp_path / "a" / "run" / "checkpoint-2"
    resumed = GRPOTrainer(small_config(tmp_path / "a", steps=3, resume=str(checkpoint)))
    assert resumed.step_count == 2
    rows_b = resumed.train()
    resumed.close()
    assert rows_b[-1]["step"] == 3 and len(rows_b) == 3
    assert rows_b[-1]["loss"] == pytest.approx(rows[-1]["loss"], abs=1e-6)
    assert rows_b[-1]["reward_mean"] == rows[-1]["reward_mean"]
    assert rows_b[-1]["grad_norm"] == pytest.approx(rows[-1]["grad_norm"], rel=1e-4)
    lines = (tmp_path / "a" / "run" / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(x)["step"] for x in lines] == [1, 2, 3]


def test_lora_trains_adapters_only_and_kl_is_logged(tmp_path):
    cfg = small_config(tmp_path, lora=True, lora_r=4, beta=0.05, steps=2)
    trainer = GRPOTrainer(cfg)
    base = {n: p.detach().clone() for n, p in trainer.model.named_parameters() if "lora_" not in n}
    lora_before = {
        n: p.detach().clone() for n, p in trainer.model.named_parameters() if "lora_B" in n
    }
    assert lora_before and trainer.ref_model is None, "LoRA uses the base model as reference"
    rows = trainer.train()
    # the rollouts may all score alike (no gradient: seen on CUDA, whose sampling differs from
    # the CPU's): one update with advantages of both signs is sure to move the adapters
    trainer.update(reply_samples(trainer.tokenizer))
    for n, p in trainer.model.named_parameters():
        if n in base:
            assert torch.equal(base[n], p), f"base weight {n} changed"
    assert any(
        not torch.equal(lora_before[n], p)
        for n, p in trainer.model.named_parameters()
        if n in lora_before
    )
    assert rows[-1]["kl"] >= 0.0
    trainer.close()


def test_kl_without_lora_loads_a_reference_only_when_asked(tmp_path):
    assert GRPOTrainer(small_config(tmp_path / "x")).ref_model is None
    t = GRPOTrainer(small_config(tmp_path / "y", beta=0.1, steps=1, dynamic_sampling=True))
    assert t.ref_model is not None
    row = t.step()
    assert row["kl"] >= 0 and row["groups_used"] <= 2
    t.close()


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"group_size": 1}, "group_size"),
        ({"advantage": "ppo"}, "advantage"),
        ({"envs": []}, "envs"),
        ({"learning_rate": 0}, "learning_rate"),
    ],
)
def test_config_errors_are_clear(tmp_path, bad, match):
    with pytest.raises(ValueError, match=match):
        small_config(tmp_path, **bad)
    with pytest.raises(ValueError, match="did you mean group_size"):
        GRPOConfig.from_dict({"group_sise": 4})


def test_unknown_env_fails_at_construction(tmp_path):
    with pytest.raises(gymhub.UnknownEnvError):
        GRPOTrainer(small_config(tmp_path, envs=["gymhub/NoSuchEnv-v0"]))


def test_cli_train_with_yaml_and_flags(tmp_path):
    from typer.testing import CliRunner

    from gymhub.cli import app

    config = tmp_path / "c.yaml"
    config.write_text(
        "envs: [gymhub/ToyArith-v0]\nsteps: 1\ngroup_size: 2\nprompts_per_step: 2\n"
        "max_new_tokens: 2\nmax_turns: 1\nlearning_rate: 0.001\ntorch_threads: 1\n"
    )
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        app,
        [
            "train",
            "--config",
            str(config),
            "-o",
            str(out),
            "--steps",
            "2",
            "--quiet",
            "--eval",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "evaluation of the trained policy" in result.output
    assert len((out / "metrics.jsonl").read_text().splitlines()) == 2
    bad = CliRunner().invoke(app, ["train", "--set", "nonsense=1", "-o", str(out)])
    assert bad.exit_code != 0 and "nonsense" in bad.output


def test_hf_policy_batches_concurrent_episodes(tmp_path):
    tok = build_tiny_tokenizer()
    policy = HFPolicy(model=build_tiny_model(tok), tokenizer=tok, max_new_tokens=4)
    calls = []
    original = policy.backend.generate
    policy.backend.generate = lambda prompts, params: (
        calls.append(len(prompts)) or original(prompts, params)
    )

    async def main():
        envs = [gymhub.make("gymhub/ToyArith-v0") for _ in range(5)]
        convs = [env.reset(seed=i)[0].messages for i, env in enumerate(envs)]
        return await asyncio.gather(*(policy.act(c, []) for c in convs))

    actions = asyncio.run(main())
    assert len(actions) == 5 and all(a.role == "assistant" for a in actions)
    assert calls == [5], "concurrent act() calls share one generate batch"


def reply_samples(tok, advantages=(1.0, -0.5, 0.25, -0.75)) -> list[dict]:
    """Hand-made update samples (a prompt, a short reply, an advantage each): an update with a
    gradient whatever the rollouts' rewards would have been."""
    samples = []
    for (text, reply), adv in zip(
        [("a", "12"), ("bb", "3"), ("ccc", "456"), ("d", "7")], advantages
    ):
        prompt = tok(f"<|im_start|>user\n{text}<|im_end|>\n", add_special_tokens=False)["input_ids"]
        out = tok(reply, add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
        samples.append(
            {
                "ids": prompt + out,
                "mask": [0] * len(prompt) + [1] * len(out),
                "sampler_logp": [0.0] * (len(prompt) + len(out)),
                "adv": adv,
            }
        )
    return samples


def test_gradient_accumulation_matches_one_batch(tmp_path):
    """Same samples, same start: one batch, grad_accum=3, and micro-batches cut by a token budget
    (`micro_batch_tokens`: here one or two sequences each) give the same update."""
    results = []
    splits = [{"grad_accum": 1}, {"grad_accum": 3}, {"micro_batch_tokens": 24}]
    for index, split in enumerate(splits):
        # float32 on any device: in bf16 (the GPU default) two batchings differ by ~5e-4
        trainer = GRPOTrainer(small_config(tmp_path / str(index), bf16=False, **split))
        samples = reply_samples(trainer.tokenizer)
        # 12, 12, 15 and 11 tokens: a budget of 24 pads pairs only while both fit
        assert [len(b) for b in trainer._batches(samples)] == [[4], [2, 2], [2, 1, 1]][index]
        grads = []
        step = trainer.optimizer.step

        def record(*a, _step=step, _grads=grads, _model=trainer.model, **kw):
            _grads.extend(p.grad.clone() for p in _model.parameters())
            return _step(*a, **kw)

        trainer.optimizer.step = record
        stats = trainer.update(samples)
        results.append((stats["loss"], grads))
        trainer.close()
    for loss, grads in results[1:]:
        assert results[0][0] == pytest.approx(loss, abs=1e-6)
        assert len(results[0][1]) == len(grads) > 0
        # equal up to float32 rounding (CUDA sums in an order that depends on the batch's shape)
        assert all(torch.allclose(a, b, atol=1e-6, rtol=1e-4) for a, b in zip(results[0][1], grads))


def test_every_algorithm_option_runs_a_step(tmp_path):
    cfg = small_config(
        tmp_path,
        advantage="rloo",
        loss_agg="constant",
        ratio_level="sequence",
        clip_low=3e-4,
        clip_high=4e-4,
        epochs_per_step=2,
        is_correction=True,
        overlong_cache=2,
        mask_truncated=True,
        grad_accum=2,
        lr_schedule="cosine",
        warmup_steps=1,
        steps=2,
    )
    trainer = GRPOTrainer(cfg)
    trainer.runner.backend = CyclingDigits(trainer.tokenizer)
    rows = trainer.train()
    assert len(rows) == 2 and all(r["samples"] > 0 for r in rows)
    assert rows[0]["lr"] != rows[1]["lr"]
    assert all(math.isfinite(r["loss"]) for r in rows)
    trainer.close()


def test_training_doc_lists_every_config_field_from_the_config():
    from pathlib import Path

    from gymhub.trainers.config import fields_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "training.md").read_text()
    assert fields_markdown() in doc, (
        "regenerate the table with gymhub.trainers.config.fields_markdown()"
    )
    for name in GRPOConfig.model_fields:
        assert f"| `{name}` |" in doc


def test_output_dir_of_another_run_is_refused_unless_resume_or_overwrite(tmp_path):
    from gymhub.trainers.trainer import claim_output_dir

    run = tmp_path / "run"
    claim_output_dir(run, resume=False, overwrite=False)  # absent: fine
    (run / "checkpoint-2").mkdir(parents=True)
    (run / "metrics.jsonl").write_text("{}\n")
    (run / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="--resume"):
        GRPOTrainer(small_config(tmp_path, output_dir=str(run)))
    claim_output_dir(run, resume=True, overwrite=False)  # continuing it: fine, nothing removed
    assert (run / "checkpoint-2").is_dir()
    claim_output_dir(run, resume=False, overwrite=True)
    assert not (run / "checkpoint-2").exists() and not (run / "metrics.jsonl").exists()
    assert (run / "notes.txt").read_text() == "mine"  # only the run's own outputs go


def test_all_infra_errors_stop_training_and_budget_cuts_warn(tmp_path):
    from gymhub.trainers.trainer import TrainingError, TrainingWarning

    trainer = GRPOTrainer(small_config(tmp_path, max_new_tokens=2))
    try:
        with pytest.warns(TrainingWarning, match="cut by the token budget"):
            trainer.step()

        async def broken_step(*args, **kwargs):
            raise RuntimeError("env host lost")

        for pool in trainer._pools.values():
            for env in pool:
                env.astep = broken_step
        with pytest.raises(TrainingError, match="every episode of step 2 failed"):
            trainer.step()
    finally:
        trainer.close()
