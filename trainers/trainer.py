"""`GRPOTrainer`: the reference single-process GRPO-family trainer over any gymhub environment.

One step: draw `prompts_per_step` tasks from the env mixture, run `group_size` episodes of each
with the token-exact runner, score and compute group advantages (infra errors masked, optional
dynamic sampling and overlong shaping), then `epochs_per_step` passes of clipped policy-gradient
updates over `grad_accum` micro-batches (each split further to at most `micro_batch_tokens` padded
tokens) normalised by the step's global counts.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
import warnings
from pathlib import Path
from typing import Any

import torch

import gymhub
from gymhub.env import Env
from gymhub.errors import GymhubError
from gymhub.tasks import derive_seed
from gymhub.trainers import algorithms as alg
from gymhub.trainers.adaptive import AdaptiveDifficulty, entry_labels
from gymhub.trainers.backends import HFBackend, SamplingParams, VLLMBackend, vllm_available
from gymhub.trainers.config import GRPOConfig
from gymhub.trainers.metrics import MetricsLog
from gymhub.trainers.runner import Episode, EpisodeRunner, EpisodeSpec
from gymhub.trainers.tiny import load_model_and_tokenizer


def _pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


class TrainingError(GymhubError, RuntimeError):
    """The run cannot go on (e.g. every episode of a step failed in the hub)."""


class TrainingWarning(UserWarning):
    """Something the user should change, though training can continue."""


# Files and folders a run writes into its output_dir; a new run refuses to mix with them.
RUN_ARTIFACTS = ("metrics.jsonl", "model", "reward.png", "eval.json")
BUDGET_WARNING_FRACTION = 0.5
# Prompt seeds stay below the evaluation harness's reserved range (EVAL_SEED_START = 2**31).
TRAIN_SEED_LIMIT = 2**31 - 1


def claim_output_dir(output_dir: Path, resume: bool | str, overwrite: bool) -> None:
    """Refuse to start a new run in a folder holding another run's outputs, unless resuming it or
    told to overwrite (which removes the old outputs first)."""
    if resume or not output_dir.is_dir():
        return
    found = sorted(p.name for p in output_dir.glob("checkpoint-*")) + [
        name for name in RUN_ARTIFACTS if (output_dir / name).exists()
    ]
    if not found:
        return
    if not overwrite:
        raise FileExistsError(
            f"{str(output_dir)!r} holds another run ({', '.join(found[:4])}); pass --resume "
            "(resume: true) to continue it, --overwrite (overwrite: true) to replace it, or "
            "choose another --output-dir"
        )
    for name in found:
        path = output_dir / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def cut_by_budget(episode: Episode, max_new_tokens: int | None = None) -> bool:
    """The episode ended because it ran out of tokens: the per-episode budget, or a last reply
    cut before its end-of-turn token (it filled `max_new_tokens`, or what `max_tokens` left).
    (`max_new_tokens` is no longer needed: the runner records how the last reply ended.)"""
    return episode.truncation == "max_tokens" or episode.reply_cut


def masked_as_truncated(episode: Episode) -> bool:
    """What `mask_truncated` leaves out: episodes cut by the token budget or truncated by the
    turn limit or the env, whose outcome is unknown rather than bad. Not an episode ended because
    the template could not render the policy's reply (truncation `template`): that outcome is the
    policy's own, and masking it would spare the policy every reply that breaks the template."""
    if cut_by_budget(episode):
        return True
    return episode.truncated and episode.truncation != "template"


class GRPOTrainer:
    """Train a causal LM with GRPO/Dr. GRPO/RLOO/DAPO/GSPO on gymhub envs. See docs/training.md."""

    def __init__(self, config: GRPOConfig, model: Any = None, tokenizer: Any = None) -> None:
        if not isinstance(config, GRPOConfig):
            raise TypeError("GRPOTrainer needs a GRPOConfig")
        config.check()  # again: a config built with model_construct, or left invalid by a failed set
        self.config = config
        claim_output_dir(Path(config.output_dir), config.resume, config.overwrite)
        self._warned_budget = False
        if config.torch_threads:
            torch.set_num_threads(config.torch_threads)
        self.device = _pick_device(config.device)
        use_bf16 = config.bf16 if config.bf16 is not None else self.device.type == "cuda"
        self.dtype = torch.bfloat16 if use_bf16 else torch.float32
        for entry in config.env_entries:
            gymhub.spec(entry.id)  # unknown ids fail now, with suggestions
        if model is None or tokenizer is None:
            model, tokenizer = load_model_and_tokenizer(
                config.model, seed=config.seed, model_overrides=config.model_overrides
            )
        self.tokenizer = tokenizer
        model = model.to(self.device, dtype=self.dtype)
        if config.disable_dropout:
            disable_dropout(model)
        self.ref_model: Any = None
        if config.lora:
            from peft import LoraConfig, get_peft_model

            lora = LoraConfig(
                r=config.lora_r,
                lora_alpha=config.lora_alpha,
                lora_dropout=config.lora_dropout,
                target_modules=config.lora_target_modules,
                task_type="CAUSAL_LM",
            )
            model = get_peft_model(model, lora)
        elif config.beta > 0:
            import copy

            self.ref_model = copy.deepcopy(model).eval().requires_grad_(False)
        self.model = model
        self.model.train()
        params = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(
            params, lr=config.learning_rate, weight_decay=config.weight_decay, betas=(0.9, 0.99)
        )
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, self._lr_factor)
        self.backend: Any = self._make_backend()
        self.is_correction = (
            config.is_correction
            if config.is_correction is not None
            else not isinstance(self.backend, HFBackend)
        )
        self.sampling = SamplingParams(
            max_new_tokens=config.max_new_tokens, temperature=config.temperature, top_p=config.top_p
        )
        self.runner = EpisodeRunner(
            self.backend,
            tokenizer,
            self.sampling,
            max_turns=config.max_turns,
            max_tokens=config.max_tokens,
        )
        self._pools: dict[str, list[Env]] = {}
        self.adaptive: AdaptiveDifficulty | None = None
        if config.adaptive_difficulty is not None:
            entries = config.env_entries
            self.adaptive = AdaptiveDifficulty(
                entry_labels([e.id for e in entries]),
                [gymhub.spec(e.id).difficulty_range for e in entries],
                config.adaptive_difficulty,
            )
        self._last_picks: list[int] = []
        self._last_difficulties: list[Any] = []
        self.step_count = 0
        self.output_dir = Path(config.output_dir)
        self.history: list[dict[str, Any]] = []
        if config.resume:
            self.load_checkpoint(self._resume_path(config.resume))
        self.log = MetricsLog(self.output_dir, resume_step=self.step_count)
        if self.adaptive is not None:
            self.log.band = self.adaptive.band
        self.history = list(self.log.rows)

    # ---- set-up helpers ------------------------------------------------------------------------
    def _make_backend(self) -> Any:
        choice = self.config.backend
        if choice == "vllm" or (
            choice == "auto" and vllm_available() and self.device.type == "cuda"
        ):
            if self.config.model in ("tiny", "qwen2.5-0.5b-shape"):
                if choice == "vllm":
                    raise ValueError("the vLLM backend needs a model path, not a built-in model")
                return HFBackend(self.model, self.tokenizer)
            return VLLMBackend(self.config.model)
        return HFBackend(self.model, self.tokenizer)

    def _lr_factor(self, step: int) -> float:
        cfg = self.config
        if cfg.warmup_steps and step < cfg.warmup_steps:
            return (step + 1) / cfg.warmup_steps
        if cfg.lr_schedule == "constant":
            return 1.0
        span = max(1, cfg.steps - cfg.warmup_steps)
        progress = min(1.0, (step - cfg.warmup_steps) / span)
        if cfg.lr_schedule == "linear":
            return 1.0 - progress
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    def _envs(self, env_index: int, count: int) -> list[Env]:
        entry = self.config.env_entries[env_index]
        pool = self._pools.setdefault(entry.id, [])
        while len(pool) < count:
            pool.append(gymhub.make(entry.id, **entry.kwargs))
        return pool[:count]

    # ---- rollouts ------------------------------------------------------------------------------
    def _specs(self, step: int, round_: int, prompts: int) -> list[EpisodeSpec]:
        cfg = self.config
        rng = random.Random(derive_seed("mix", cfg.seed, step, round_))
        weights = [e.weight for e in cfg.env_entries]
        picks = rng.choices(range(len(cfg.env_entries)), weights=weights, k=prompts)
        needed: dict[int, int] = {}
        for p in picks:
            needed[p] = needed.get(p, 0) + cfg.group_size
        pools = {i: iter(self._envs(i, n)) for i, n in needed.items()}
        specs = []
        self._last_picks, self._last_difficulties = picks, []
        for g, env_index in enumerate(picks):
            seed = derive_seed("prompt", cfg.seed, step, round_, g) % TRAIN_SEED_LIMIT
            options = dict(cfg.env_entries[env_index].options) or None
            if self.adaptive is not None:  # one difficulty per group: the group plays one task
                options = self.adaptive.options(env_index, options)
            self._last_difficulties.append((options or {}).get("difficulty"))
            for _ in range(cfg.group_size):
                specs.append(EpisodeSpec(next(pools[env_index]), seed, options, group=g))
        return specs

    def collect(self, step: int) -> tuple[list[list[Episode]], dict[str, float]]:
        """Run the step's groups; with dynamic sampling, keep drawing (up to max_resample_rounds
        extra rounds) until `prompts_per_step` groups with reward spread are found."""
        cfg = self.config
        kept: list[list[Episode]] = []
        stats = {"gen_s": 0.0, "env_s": 0.0, "gen_tokens": 0.0, "groups_seen": 0.0}
        all_groups: list[list[Episode]] = []
        rounds = 1 + (cfg.max_resample_rounds if cfg.dynamic_sampling else 0)
        for round_ in range(rounds):
            need = cfg.prompts_per_step - len(kept)
            if need <= 0:
                break
            episodes = self.runner.run(self._specs(step, round_, need))
            for key in ("gen_s", "env_s", "gen_tokens"):
                stats[key] += float(self.runner.stats.get(key, 0.0))
            groups = [
                episodes[i : i + cfg.group_size] for i in range(0, len(episodes), cfg.group_size)
            ]
            stats["groups_seen"] += len(groups)
            all_groups += groups
            if self.adaptive is not None:
                for env_index, group, played_at in zip(
                    self._last_picks, groups, self._last_difficulties
                ):
                    rewards = [e.reward for e in group if not e.infra_error]
                    self.adaptive.record(env_index, rewards, played_at)
            if not cfg.dynamic_sampling:
                kept = groups
                break
            rewards, valid = self._group_rewards(groups)
            keep = alg.dynamic_sampling_keep(rewards, valid)
            kept += [g for g, k in zip(groups, keep.tolist()) if k][:need]
        self._last_all_groups = all_groups
        return kept, stats

    def _shaped_reward(self, ep: Episode) -> float:
        reward = ep.reward
        cfg = self.config
        if cfg.overlong_cache:
            limit = cfg.max_new_tokens * cfg.max_turns
            length = torch.tensor([float(ep.policy_tokens)])
            reward += float(alg.overlong_penalty(length, limit, cfg.overlong_cache)[0])
        return reward

    def _group_rewards(self, groups: list[list[Episode]]) -> tuple[torch.Tensor, torch.Tensor]:
        if not groups:
            size = self.config.group_size
            return torch.zeros((0, size)), torch.zeros((0, size), dtype=torch.bool)
        rewards = torch.tensor(
            [[self._shaped_reward(e) for e in g] for g in groups], dtype=torch.float32
        )
        valid = torch.tensor(
            [[not e.infra_error and e.policy_tokens > 0 for e in g] for g in groups]
        )
        return rewards, valid

    # ---- the update ----------------------------------------------------------------------------
    def _batches(self, samples: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """`grad_accum` micro-batches, each cut again where its padded size (rows x longest
        sequence) would pass `micro_batch_tokens`: a real vocabulary's float32 logits for a whole
        step (128 episodes of 300 tokens x 152k entries) are tens of GB. A sequence longer than
        the budget gets a micro-batch of its own."""
        n = max(1, min(self.config.grad_accum, len(samples)))
        size = math.ceil(len(samples) / n)
        budget = self.config.micro_batch_tokens
        batches: list[list[dict[str, Any]]] = []
        for start in range(0, len(samples), size):
            batch: list[dict[str, Any]] = []
            width = 0
            for sample in samples[start : start + size]:
                wider = max(width, len(sample["ids"]))
                if batch and wider * (len(batch) + 1) > budget:
                    batches.append(batch)
                    batch, wider = [], len(sample["ids"])
                batch.append(sample)
                width = wider
            batches.append(batch)
        return batches

    def _tensors(self, batch: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        width = max(len(s["ids"]) for s in batch)
        pad = self.tokenizer.pad_token_id
        ids = torch.full((len(batch), width), pad, dtype=torch.long)
        attn = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.float32)
        sampler = torch.zeros((len(batch), width), dtype=torch.float32)
        for row, s in enumerate(batch):
            n = len(s["ids"])
            ids[row, :n] = torch.tensor(s["ids"])
            attn[row, :n] = 1
            mask[row, :n] = torch.tensor(s["mask"], dtype=torch.float32)
            sampler[row, :n] = torch.tensor(s["sampler_logp"], dtype=torch.float32)
        adv = torch.tensor([s["adv"] for s in batch], dtype=torch.float32)
        # policy tokens of the whole episode (all its segments): its per-sequence mean's divisor
        seq_tokens = torch.tensor(
            [float(s.get("seq_tokens", sum(s["mask"]))) for s in batch], dtype=torch.float32
        )
        dev = self.device
        return {
            "ids": ids.to(dev),
            "attn": attn.to(dev),
            # position t predicts token t+1
            "mask": mask[:, 1:].to(dev),
            "sampler": sampler[:, 1:].to(dev),
            "adv": adv.to(dev),
            "seq_tokens": seq_tokens.to(dev),
        }

    def _forward_logp(self, model: Any, t: dict[str, torch.Tensor], entropy: bool = False):
        logits = model(input_ids=t["ids"], attention_mask=t["attn"]).logits[:, :-1]
        logp = alg.token_logprobs(logits, t["ids"][:, 1:], self.config.temperature)
        ent = None
        if entropy and self.config.entropy_coef > 0:
            ent = alg.entropy_from_logits(logits, self.config.temperature)
        elif entropy:
            with torch.no_grad():
                ent = alg.entropy_from_logits(logits.detach(), self.config.temperature)
        return logp, ent

    def _ref_logp(self, t: dict[str, torch.Tensor]) -> torch.Tensor:
        with torch.no_grad():
            if self.config.lora:
                with self.model.disable_adapter():
                    logp, _ = self._forward_logp(self.model, t)
            else:
                logp, _ = self._forward_logp(self.ref_model, t)
        return logp

    def update(self, samples: list[dict[str, Any]]) -> dict[str, float]:
        """`epochs_per_step` passes of the clipped objective; returns loss statistics."""
        cfg = self.config
        batches = [self._tensors(b) for b in self._batches(samples)]
        total_tokens = float(sum(b["mask"].sum().item() for b in batches))
        # an episode is one sequence however many segments (context replacements) it has
        total_seqs = float(len({s.get("episode", i) for i, s in enumerate(samples)}))
        max_len = cfg.max_new_tokens * cfg.max_turns
        need_old = cfg.epochs_per_step > 1 or self.is_correction
        if need_old:
            with torch.no_grad():
                for b in batches:
                    b["old"] = self._forward_logp(self.model, b)[0].detach()
        if cfg.beta > 0:
            for b in batches:
                b["ref"] = self._ref_logp(b)
        sums = {"loss": 0.0, "kl": 0.0, "entropy": 0.0, "clip_frac": 0.0, "grad_norm": 0.0}
        sums["skipped_updates"] = 0.0
        for epoch in range(cfg.epochs_per_step):
            self.optimizer.zero_grad(set_to_none=True)
            for b in batches:
                logp, ent = self._forward_logp(
                    self.model, b, entropy=epoch == 0 or cfg.entropy_coef > 0
                )
                old = b["old"] if need_old else logp.detach()
                per_token, ratio = alg.clipped_surrogate(
                    logp,
                    old,
                    b["adv"],
                    b["mask"],
                    clip_low=cfg.clip_low,
                    clip_high=cfg.clip_high,
                    ratio_level=cfg.ratio_level,
                )
                if self.is_correction:
                    per_token = per_token * alg.truncated_is_weights(old, b["sampler"], cfg.is_cap)
                if cfg.entropy_coef > 0 and ent is not None:
                    per_token = per_token - cfg.entropy_coef * ent
                if cfg.beta > 0:
                    kl = alg.k3_kl(logp, b["ref"])
                    per_token = per_token + cfg.beta * kl
                    if epoch == 0:
                        sums["kl"] += float((kl.detach() * b["mask"]).sum()) / max(total_tokens, 1)
                loss = alg.aggregate(
                    per_token,
                    b["mask"],
                    cfg.loss_agg,
                    total_tokens=total_tokens,
                    total_sequences=total_seqs,
                    seq_tokens=b["seq_tokens"],
                    max_len=max_len,
                )
                loss.backward()
                if epoch == 0:
                    sums["loss"] += float(loss.detach())
                    if ent is not None:
                        ent_sum = float((ent.detach() * b["mask"]).sum())
                        sums["entropy"] += ent_sum / max(total_tokens, 1)
                # tokens whose gradient the clip removed, over every pass: the first pass is
                # on-policy (ratio 1), so clipping only shows in later ones
                clipped = alg.clipped_mask(
                    ratio.detach(), b["adv"], b["mask"], cfg.clip_low, cfg.clip_high
                )
                passes = total_tokens * cfg.epochs_per_step
                sums["clip_frac"] += float(clipped.sum()) / max(passes, 1)
            params = [p for p in self.model.parameters() if p.requires_grad]
            norm = torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm)
            if epoch == 0:
                sums["grad_norm"] = float(norm)
            if not torch.isfinite(norm):
                # one NaN/inf gradient (an overflow, a broken sample) would make every weight
                # NaN for good: this update is skipped instead, and counted
                self.optimizer.zero_grad(set_to_none=True)
                sums["skipped_updates"] += 1
                warnings.warn(
                    f"a non-finite gradient norm ({float(norm)}) at step {self.step_count + 1}: "
                    "that update was skipped",
                    TrainingWarning,
                    stacklevel=2,
                )
                continue
            self.optimizer.step()
        self.scheduler.step()
        self.backend.sync_weights(self.model)
        sums["update_tokens"] = float(sum(b["attn"].sum().item() for b in batches))
        return sums

    def _samples(self, groups: list[list[Episode]]) -> tuple[list[dict[str, Any]], torch.Tensor]:
        cfg = self.config
        rewards, valid = self._group_rewards(groups)
        adv = alg.group_advantages(rewards, cfg.advantage, valid)
        samples = []
        for gi, group in enumerate(groups):
            for ei, ep in enumerate(group):
                if not bool(valid[gi, ei]):
                    continue
                if cfg.mask_truncated and masked_as_truncated(ep):
                    continue  # DAPO overlong filtering: no gradient, and not counted as a sequence
                for seg in ep.segments:  # more than one when the env replaced the context
                    if not any(seg.loss_mask):
                        continue  # nothing to learn from; it would only dilute per-sequence means
                    mask = [0] * len(seg.prompt_ids) + list(seg.loss_mask)
                    samples.append(
                        {
                            "ids": seg.prompt_ids + seg.completion_ids,
                            "mask": mask,
                            "sampler_logp": [0.0] * len(seg.prompt_ids) + list(seg.logprobs),
                            "adv": float(adv[gi, ei]),
                            "episode": (gi, ei),
                            "seq_tokens": ep.policy_tokens,
                        }
                    )
        return samples, rewards

    # ---- the loop ------------------------------------------------------------------------------
    def step(self) -> dict[str, Any]:
        """One GRPO step (rollouts + update); returns and logs its metrics row."""
        step = self.step_count
        cfg = self.config
        torch.manual_seed(derive_seed("torch", cfg.seed, step) % (2**63 - 1))
        t0 = time.perf_counter()
        groups, rstats = self.collect(step)
        all_eps = [e for g in self._last_all_groups for e in g]
        if all_eps and all(e.infra_error for e in all_eps):
            reasons = sorted({e.error or "infra_error" for e in all_eps})
            raise TrainingError(
                f"every episode of step {step + 1} failed in the hub (infra_error), so there is "
                f"nothing to learn from; first reasons: {'; '.join(reasons[:3])}"
            )
        samples, _ = self._samples(groups)
        t1 = time.perf_counter()
        if samples:
            ustats = self.update(samples)
        else:  # nothing to learn from (all infra errors or no spread): still advance the schedule
            ustats = {"loss": 0.0, "kl": 0.0, "entropy": 0.0, "clip_frac": 0.0, "grad_norm": 0.0}
            ustats["update_tokens"] = ustats["skipped_updates"] = 0.0
            self.scheduler.step()
        t2 = time.perf_counter()
        scored = [e for e in all_eps if not e.infra_error]
        comps: dict[str, list[float]] = {}
        for e in scored:
            for k, v in e.reward_components.items():
                comps.setdefault(k, []).append(float(v))
        rewards = [e.reward for e in scored]
        policy_tokens = [e.policy_tokens for e in scored]
        gen_tokens = rstats["gen_tokens"]
        row: dict[str, Any] = {
            "step": step + 1,
            "reward_mean": _mean(rewards),
            "reward_std": _std(rewards),
            "loss": ustats["loss"],
            "kl": ustats["kl"],
            "entropy": ustats["entropy"],
            "clip_frac": ustats["clip_frac"],
            "grad_norm": ustats["grad_norm"],
            "skipped_updates": int(ustats["skipped_updates"]),
            "response_len": _mean(policy_tokens),
            "num_turns": _mean([e.num_turns for e in scored]),
            "truncated_frac": _mean([float(e.truncated) for e in scored]),
            "budget_cut_frac": _mean([float(cut_by_budget(e)) for e in scored]),
            "infra_error_frac": _mean([float(e.infra_error) for e in all_eps]),
            "groups_used": len(groups),
            "groups_seen": int(rstats["groups_seen"]),
            "samples": len(samples),
            "lr": self.scheduler.get_last_lr()[0],
            "gen_s": rstats["gen_s"],
            "env_s": rstats["env_s"],
            "update_s": t2 - t1,
            "step_s": t2 - t0,
            "tokens_per_s": gen_tokens / max(t2 - t0, 1e-9),
            "gen_tokens_per_s": gen_tokens / max(rstats["gen_s"], 1e-9),
            "update_tokens_per_s": ustats["update_tokens"] / max(t2 - t1, 1e-9),
        }
        for k, v in sorted(comps.items()):
            row[f"reward/{k}"] = _mean(v)
        if self.adaptive is not None:
            row.update(self.adaptive.metrics())
        if "gold" in comps:  # a learned (proxy) reward with a gold verifier beside it
            row["proxy_reward_mean"], row["gold_reward_mean"] = (
                row["reward_mean"],
                _mean(comps["gold"]),
            )
        if row["budget_cut_frac"] > BUDGET_WARNING_FRACTION and not self._warned_budget:
            self._warned_budget = True
            warnings.warn(
                f"{row['budget_cut_frac']:.0%} of the episodes of step {step + 1} were cut by the "
                f"token budget (max_new_tokens={cfg.max_new_tokens}, max_tokens={cfg.max_tokens}); "
                "the policy rarely finishes its answer: raise the budget or shorten the task",
                TrainingWarning,
                stacklevel=2,
            )
        self.step_count += 1
        self.log.append(row)
        self.history.append(row)
        return row

    def train(self) -> list[dict[str, Any]]:
        """Run until `steps`; writes metrics.jsonl, reward.png, checkpoints and the final model."""
        cfg = self.config
        progress = _Progress(cfg.progress, cfg.steps, self.step_count)
        with progress:
            while self.step_count < cfg.steps:
                row = self.step()
                progress.update(row)
                if cfg.plot_every and self.step_count % cfg.plot_every == 0:
                    self.log.plot()
                if cfg.save_every and self.step_count % cfg.save_every == 0:
                    self.save_checkpoint()
        if cfg.save_every and not (self.output_dir / f"checkpoint-{self.step_count}").is_dir():
            # the last steps too: resuming with more `steps` must not redo (and drop) them
            self.save_checkpoint()
        self.log.plot()
        self.save_model(self.output_dir / "model")
        return self.history

    # ---- persistence ---------------------------------------------------------------------------
    def save_model(self, path: str | Path) -> Path:
        """The trained policy (merged LoRA weights if any) and its tokenizer, `from_pretrained`-able."""
        path = Path(path)
        model = self.model
        if self.config.lora:
            import copy

            model = copy.deepcopy(self.model).merge_and_unload()
        model.save_pretrained(path)
        self.tokenizer.save_pretrained(path)
        return path

    def save_checkpoint(self, path: str | Path | None = None) -> Path:
        """Model, optimizer, scheduler and controller state. Written into a temporary folder
        that is renamed when complete, so a run killed while saving never leaves a half-written
        `checkpoint-N` for `resume` to pick."""
        path = Path(path) if path else self.output_dir / f"checkpoint-{self.step_count}"
        final, path = path, path.with_name(f".{path.name}.partial")
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        torch.save(
            {
                "model": {k: v.detach().cpu() for k, v in self.model.state_dict().items()},
                "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(),
                "step": self.step_count,
                "adaptive_difficulty": self.adaptive.state_dict() if self.adaptive else None,
            },
            path / "trainer_state.pt",
        )
        meta = {"step": self.step_count, "config": self.config.to_dict()}
        (path / "trainer_state.json").write_text(json.dumps(meta, indent=2, default=str))
        if final.exists():
            shutil.rmtree(final)
        path.rename(final)
        return final

    def load_checkpoint(self, path: str | Path) -> None:
        path = Path(path)
        state_file = path / "trainer_state.pt"
        if not state_file.is_file():
            raise FileNotFoundError(f"no checkpoint at {str(path)!r} (missing trainer_state.pt)")
        state = torch.load(state_file, map_location=self.device, weights_only=True)
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.step_count = int(state["step"])
        if self.adaptive is not None and state.get("adaptive_difficulty"):
            self.adaptive.load_state_dict(state["adaptive_difficulty"])
        self.backend.sync_weights(self.model)

    def _resume_path(self, resume: bool | str) -> Path:
        if isinstance(resume, str):
            return Path(resume)
        found = sorted(
            (
                p
                for p in self.output_dir.glob("checkpoint-*")
                if p.name.split("-")[-1].isdigit() and (p / "trainer_state.pt").is_file()
            ),
            key=lambda p: int(p.name.split("-")[-1]),
        )
        if not found:
            raise FileNotFoundError(f"resume requested but {self.output_dir} has no checkpoint-*")
        return found[-1]

    # ---- evaluation ----------------------------------------------------------------------------
    def evaluate(
        self, episodes: int = 32, seed: int = 10_000, greedy: bool = True
    ) -> dict[str, Any]:
        """Mean reward and success rate of the current policy on fresh seeds of each env."""
        params = SamplingParams(
            max_new_tokens=self.config.max_new_tokens,
            temperature=0.0 if greedy else self.config.temperature,
        )
        runner = EpisodeRunner(
            self.backend,
            self.tokenizer,
            params,
            max_turns=self.config.max_turns,
            max_tokens=self.config.max_tokens,
        )
        report: dict[str, Any] = {}
        for entry in self.config.env_entries:
            envs = [gymhub.make(entry.id, **entry.kwargs) for _ in range(episodes)]
            specs = [
                EpisodeSpec(env, derive_seed("eval", seed, j) % (2**31 - 1), entry.options or None)
                for j, env in enumerate(envs)
            ]
            eps = runner.run(specs)
            for env in envs:
                env.close()
            scored = [e for e in eps if not e.infra_error]
            report[entry.id] = {
                "episodes": len(eps),
                "reward_mean": _mean([e.reward for e in scored]),
                "success_rate": _mean([float(e.verdict == "correct") for e in scored]),
                "infra_errors": len(eps) - len(scored),
                "examples": [
                    {"prompt": e.messages[0].text if e.messages else "", "reply": _last_reply(e)}
                    for e in eps[:5]
                ],
            }
        return report

    def close(self) -> None:
        for pool in self._pools.values():
            for env in pool:
                env.close()
        self._pools.clear()


def _last_reply(ep: Episode) -> str:
    replies = [m.text for m in ep.messages if m.role == "assistant"]
    return replies[-1] if replies else ""


def _mean(xs: list[float]) -> float:
    return float(sum(xs) / len(xs)) if xs else 0.0


def _std(xs: list[float]) -> float:
    if len(xs) < 2:
        return 0.0
    m = _mean(xs)
    return float(math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)))


class _Progress:
    """A rich progress bar showing the latest reward; silent when disabled."""

    def __init__(self, enabled: bool, total: int, done: int) -> None:
        self.enabled = enabled
        self.total, self.done = total, done
        self.bar: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("[bold]GRPO"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
            )
            self.bar.__enter__()
            self.task = self.bar.add_task("train", total=self.total, completed=self.done, info="")
        return self

    def update(self, row: dict[str, Any]) -> None:
        if self.bar is None:
            return
        info = (
            f"reward {row['reward_mean']:.3f}  loss {row['loss']:+.4f}  "
            f"len {row['response_len']:.1f}  {row['tokens_per_s']:.0f} tok/s"
        )
        self.bar.update(self.task, advance=1, info=info)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def disable_dropout(model: Any) -> None:
    """Dropout off in every layer of `model`: its `nn.Dropout` modules and the attention dropout
    rate that HF attention layers keep as a float. Training mode stays on (what TRL does too),
    so a pass that computes old or reference log-probs and the loss pass see the same policy."""
    for module in model.modules():
        if isinstance(module, torch.nn.Dropout):
            module.p = 0.0
        rate = getattr(module, "attention_dropout", None)
        if isinstance(rate, float) and rate:
            module.attention_dropout = 0.0
