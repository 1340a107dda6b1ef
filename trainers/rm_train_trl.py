"""`gymhub rm train --backend trl`: the same Bradley-Terry training done by TRL's `RewardTrainer`.

Why both: TRL is the well-kept implementation people know; our own loop (`rm_train.py`) renders
conversations exactly as `RewardModelVerifier` scores them and truncates the prompt from the
left instead of dropping long pairs. `benchmarks/rm_train.py` measures the two on the same pairs.
The split, the per-epoch held-out accuracy and the output directory are the same for both, so
the result loads in `RewardModelVerifier` either way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gymhub.errors import GymhubError


class TRLUnavailableError(GymhubError, ImportError):
    """The TRL backend was asked for but TRL is not installed."""


def _messages(value: Any, role: str) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [dict(m) for m in value]
    return [{"role": role, "content": str(value)}]


def preference_rows(pairs: list[Any], use_margin: bool) -> list[dict[str, Any]]:
    """Pairs in TRL's conversational preference shape (explicit prompt)."""
    rows = []
    for pair in pairs:
        row = {
            "prompt": _messages(pair.prompt, "user"),
            "chosen": _messages(pair.chosen, "assistant"),
            "rejected": _messages(pair.rejected, "assistant"),
        }
        if use_margin:
            row["margin"] = float(pair.margin)
        rows.append(row)
    return rows


def train_with_trl(
    model: Any,
    tokenizer: Any,
    train_pairs: list[Any],
    config: Any,
    output_dir: str,
    *,
    on_epoch_end: Callable[[int, float], None],
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """Train `model` in place with TRL's RewardTrainer; calls `on_epoch_end(epoch, loss)` after
    each epoch (the caller measures held-out accuracy there). Returns the trained model."""
    try:
        from datasets import Dataset
        from transformers import TrainerCallback
        from transformers.trainer_callback import PrinterCallback
        from trl import RewardConfig, RewardTrainer
    except ImportError as exc:
        raise TRLUnavailableError("the trl backend needs TRL: pip install 'gymhub[trl]'") from exc

    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()  # its map/filter bars would mix into `--json` output; ours shows progress
    steps_per_epoch = math.ceil(len(train_pairs) / config.batch_size)
    total = steps_per_epoch * config.epochs

    class Report(TrainerCallback):
        def __init__(self) -> None:
            self.losses: list[float] = []

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and "loss" in logs:
                self.losses.append(float(logs["loss"]))

        def on_step_end(self, args, state, control, **kwargs):
            if progress:
                progress(state.global_step, total)

        def on_epoch_end(self, args, state, control, **kwargs):
            recent = self.losses[-steps_per_epoch:] or [float("nan")]
            on_epoch_end(round(state.epoch or 0), sum(recent) / len(recent))

    args = RewardConfig(
        output_dir=output_dir,
        num_train_epochs=config.epochs,
        per_device_train_batch_size=config.batch_size,
        learning_rate=config.learning_rate,
        lr_scheduler_type="linear",
        weight_decay=config.weight_decay,
        max_grad_norm=1.0,
        max_length=config.max_length,
        logging_strategy="steps",
        logging_steps=1,
        save_strategy="no",
        report_to=[],
        use_cpu=not _on_gpu(model),
        dataloader_num_workers=0,
        disable_tqdm=True,
        seed=config.seed,
    )
    trainer = RewardTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(preference_rows(train_pairs, config.use_margin)),
        processing_class=tokenizer,
        callbacks=[Report()],
    )
    trainer.remove_callback(PrinterCallback)  # it prints every log dict; the caller reports
    trainer.train()
    return trainer.model


def _on_gpu(model: Any) -> bool:
    try:
        return next(model.parameters()).device.type == "cuda"
    except StopIteration:
        return False
