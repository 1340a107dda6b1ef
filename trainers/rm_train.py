"""Bradley-Terry reward-model training (`gymhub rm train`).

Preference JSONL in the usual Hugging Face shape: `prompt`, `chosen`, `rejected` (each a string
or a list of messages; `chosen`/`rejected` as message lists may carry the prompt themselves), an
optional `margin`. Loss: `-log sigmoid(r_chosen - r_rejected - margin)`. Held-out pairwise
accuracy is reported after each epoch, and the output directory loads with
`RewardModelVerifier(path)`.

This is a small torch loop rather than TRL's `RewardTrainer`: TRL is not part of the `train`
extra (it pulls accelerate and datasets), and this loop reuses the verifier's own encoding, so
training and scoring read exactly the same tokens.
"""

from __future__ import annotations

import json
import math
import os
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gymhub.errors import GymhubError
from gymhub.tasks import iter_jsonl


@dataclass
class PreferencePair:
    prompt: Any
    chosen: str
    rejected: str
    margin: float = 0.0


def _split_messages(value: Any, what: str, line: int) -> tuple[Any, str]:
    """A completion as text, or (prompt messages, last assistant text) from a message list."""
    if isinstance(value, str):
        return None, value
    if isinstance(value, list) and value and isinstance(value[-1], dict):
        last = value[-1]
        if last.get("role") == "assistant" and isinstance(last.get("content"), str):
            return (value[:-1] or None), last["content"]
    raise ValueError(
        f"line {line}: {what} must be a string or messages ending with an assistant turn"
    )


def parse_pair(row: Any, line: int = 0) -> PreferencePair:
    """One preference record -> PreferencePair, with an error naming what is wrong."""
    if not isinstance(row, dict):
        raise ValueError(f"line {line}: a preference record must be a JSON object")
    missing = [k for k in ("chosen", "rejected") if k not in row]
    if missing:
        raise ValueError(f"line {line}: missing {missing} (need prompt, chosen, rejected)")
    chosen_prompt, chosen = _split_messages(row["chosen"], "chosen", line)
    rejected_prompt, rejected = _split_messages(row["rejected"], "rejected", line)
    prompt = row.get("prompt", chosen_prompt)
    if prompt is None:
        prompt = rejected_prompt
    if prompt is None:
        raise ValueError(f"line {line}: no prompt (a 'prompt' field or messages before the answer)")
    if not isinstance(prompt, str | list):
        raise ValueError(f"line {line}: prompt must be a string or a list of messages")
    margin = row.get("margin", 0.0)
    if not isinstance(margin, int | float) or not math.isfinite(margin):
        raise ValueError(f"line {line}: margin must be a finite number")
    return PreferencePair(prompt, chosen, rejected, float(margin))


def load_pairs(path: str | Path) -> list[PreferencePair]:
    try:
        pairs = [parse_pair(row, line) for line, row in iter_jsonl(path, what="preference file")]
    except GymhubError as exc:
        raise ValueError(str(exc)) from exc
    if len(pairs) < 2:
        raise ValueError(f"{path} has {len(pairs)} preference pairs; need at least 2")
    return pairs


def build_tiny_reward_model(tokenizer: Any, seed: int = 0, **overrides: Any) -> Any:
    """A randomly initialised Qwen2ForSequenceClassification (one output) with the tiny shape."""
    import torch
    from transformers import Qwen2Config, Qwen2ForSequenceClassification

    from gymhub.trainers.tiny import TINY_DEFAULTS

    settings = {**TINY_DEFAULTS, **overrides}
    vocab_size = max(int(settings.pop("vocab_size", 0)), len(tokenizer))
    config = Qwen2Config(
        vocab_size=vocab_size,
        num_labels=1,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
        **settings,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return Qwen2ForSequenceClassification(config)


@dataclass
class RMTrainConfig:
    model: str = "tiny"
    epochs: int = 4
    batch_size: int = 32
    learning_rate: float = 3e-3
    weight_decay: float = 0.0
    eval_fraction: float = 0.2
    max_length: int = 512
    use_margin: bool = False
    backend: str = "native"  # "native" (our loop) or "trl" (TRL's RewardTrainer)
    seed: int = 0
    torch_threads: int | None = None
    model_overrides: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError("epochs and batch_size must be >= 1")
        if not 0.0 <= self.eval_fraction < 1.0:
            raise ValueError(f"eval_fraction must be in [0, 1), got {self.eval_fraction!r}")
        if not self.learning_rate > 0:
            raise ValueError("learning_rate must be > 0")
        if self.backend not in ("native", "trl"):
            raise ValueError(f"backend must be 'native' or 'trl', got {self.backend!r}")


def _load_trainable(config: RMTrainConfig) -> tuple[Any, Any]:
    if config.model == "tiny":
        from gymhub.trainers.tiny import build_tiny_tokenizer

        tokenizer = build_tiny_tokenizer()
        return build_tiny_reward_model(tokenizer, config.seed, **config.model_overrides), tokenizer
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(config.model)
    model = AutoModelForSequenceClassification.from_pretrained(config.model, num_labels=1)
    return model, tokenizer


def pairwise_accuracy(verifier: Any, pairs: list[PreferencePair]) -> float:
    """Share of pairs whose chosen answer scores above the rejected one."""
    if not pairs:
        return float("nan")
    prompts = [p.prompt for p in pairs]
    chosen = verifier.score(prompts, [p.chosen for p in pairs])
    rejected = verifier.score(prompts, [p.rejected for p in pairs])
    wins = sum(1 for c, r in zip(chosen, rejected) if c is not None and r is not None and c > r)
    return wins / len(pairs)


def train_reward_model(
    pairs: list[PreferencePair],
    output_dir: str | Path,
    config: RMTrainConfig | None = None,
    *,
    on_epoch: Callable[[dict[str, Any]], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Train, evaluate each epoch on a held-out split, save model + tokenizer to `output_dir`.
    Returns the final summary (also written to `output_dir/train_summary.json`).

    `output_dir` is checked before training (`prepare_output_dir`), so a folder that cannot
    take the model fails in a second, not after the run."""
    out = prepare_output_dir(output_dir, overwrite=overwrite)
    import torch

    from gymhub.verifiers.reward_model import RewardModelVerifier

    config = config or RMTrainConfig()
    if config.torch_threads:
        torch.set_num_threads(config.torch_threads)
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    order = list(range(len(pairs)))
    rng.shuffle(order)
    held = int(round(len(pairs) * config.eval_fraction))
    eval_pairs = [pairs[i] for i in order[:held]]
    train_pairs = [pairs[i] for i in order[held:]]
    if not train_pairs:
        raise ValueError("no training pairs left after the held-out split")
    model, tokenizer = _load_trainable(config)
    verifier = RewardModelVerifier(
        model, tokenizer=tokenizer, max_length=config.max_length, batch_size=config.batch_size
    )
    model = verifier.model
    history: list[dict[str, Any]] = []

    def end_of_epoch(epoch: int, loss: float) -> None:
        model.eval()
        row = {
            "epoch": epoch,
            "loss": loss,
            "train_accuracy": pairwise_accuracy(verifier, train_pairs[:256]),
            "eval_accuracy": pairwise_accuracy(verifier, eval_pairs) if eval_pairs else None,
        }
        history.append(row)
        if on_epoch:
            on_epoch(row)
        model.train()

    if config.backend == "trl":
        import tempfile

        from gymhub.trainers.rm_train_trl import train_with_trl

        with tempfile.TemporaryDirectory(prefix="gymhub-rm-trl-") as scratch:
            train_with_trl(
                model,
                tokenizer,
                train_pairs,
                config,
                scratch,
                on_epoch_end=end_of_epoch,
                progress=progress,
            )
    else:
        _train_native(verifier, train_pairs, config, rng, end_of_epoch, progress)
    model.eval()
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the CLI draws its own; --json output stays clean
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    summary = {
        "pairs": len(pairs),
        "train_pairs": len(train_pairs),
        "eval_pairs": len(eval_pairs),
        "history": history,
        "eval_accuracy": history[-1]["eval_accuracy"],
        "output_dir": str(out),
    }
    (out / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


#: what a folder written by `train_reward_model` holds: writing there again replaces a model
SUMMARY_FILE = "train_summary.json"


def prepare_output_dir(output_dir: str | Path, *, overwrite: bool = False) -> Path:
    """Create `output_dir` (or accept an empty one, or an earlier reward model's) and return it.

    A folder that holds other files is refused unless `overwrite`: saving a model writes
    `config.json`, the weights and the tokenizer's files, and would replace a user's files of
    the same names (a checkout, a data folder) without a word."""
    out = Path(output_dir).expanduser()
    if out.exists() and not out.is_dir():
        raise ValueError(f"output dir {str(out)!r} is a file, not a folder")
    if out.is_dir() and not overwrite and not (out / SUMMARY_FILE).is_file():
        try:
            occupied = next(out.iterdir(), None) is not None
        except OSError as exc:
            raise ValueError(f"output dir {str(out)!r} cannot be read: {exc}") from exc
        if occupied:
            raise ValueError(
                f"output dir {str(out)!r} already holds other files (not a reward model saved "
                "by gymhub); give an empty or new folder, or overwrite=True (--overwrite)"
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".gymhub-write-check-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ValueError(f"output dir {str(out)!r} cannot be written: {exc}") from exc
    return out


def _train_native(
    verifier: Any,
    train_pairs: list[PreferencePair],
    config: RMTrainConfig,
    rng: random.Random,
    end_of_epoch: Callable[[int, float], None],
    progress: Callable[[int, int], None] | None,
) -> None:
    """Our Bradley-Terry loop: pairs encoded exactly as `RewardModelVerifier` scores them."""
    import torch

    model = verifier.model
    optimiser = torch.optim.AdamW(
        model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    encoded = [
        (verifier.encode(p.prompt, p.chosen)[0], verifier.encode(p.prompt, p.rejected)[0])
        for p in train_pairs
    ]
    steps_per_epoch = math.ceil(len(train_pairs) / config.batch_size)
    total = steps_per_epoch * config.epochs
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: 1.0 - step / (total + 1)
    )  # linear decay: late steps refine instead of undoing what was learned
    done = 0
    for epoch in range(1, config.epochs + 1):
        model.train()
        rng.shuffle(encoded_order := list(range(len(encoded))))
        losses = []
        for start in range(0, len(encoded_order), config.batch_size):
            chunk = encoded_order[start : start + config.batch_size]
            rows = [encoded[i][0] for i in chunk] + [encoded[i][1] for i in chunk]
            scores = _forward(verifier, rows)
            margin = torch.tensor(
                [train_pairs[i].margin if config.use_margin else 0.0 for i in chunk],
                device=scores.device,
            )
            chosen, rejected = scores[: len(chunk)], scores[len(chunk) :]
            loss = -torch.nn.functional.logsigmoid(chosen - rejected - margin).mean()
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            losses.append(loss.item())
            done += 1
            if progress:
                progress(done, total)
        end_of_epoch(epoch, sum(losses) / len(losses))


def _forward(verifier: Any, rows: list[list[int]]) -> Any:
    return verifier.forward_scores(*verifier.batch_tensors(rows))


def write_pairs(pairs: Iterable[PreferencePair], path: str | Path) -> int:
    """Write pairs as preference JSONL; returns how many."""
    count = 0
    with Path(path).open("w", encoding="utf-8") as handle:
        for p in pairs:
            row = {"prompt": p.prompt, "chosen": p.chosen, "rejected": p.rejected}
            if p.margin:
                row["margin"] = p.margin
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
