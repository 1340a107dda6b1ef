"""Reward-model training: `gymhub rm train`'s Bradley-Terry loop against TRL's `RewardTrainer`,
on the same preference pairs, the same initial model, optimiser settings and epochs, in one run.

    python benchmarks/rm_train.py [--pairs 800] [--epochs 8] [--threads 1]

Pairs come from a verifiable env (`gymhub/ToyArith-v0`, chosen = a verified-correct answer,
rejected = a verified-wrong one, with untrained-policy-shaped noise), split 80/20 the same way for
both. Both models are scored by the same `RewardModelVerifier` on the held-out pairs, so the
accuracy column compares like with like. Needs `pip install "gymhub[trl]"` for the TRL side.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path


def make_pairs(count: int, seed: int = 0) -> list:
    import gymhub
    from gymhub.trainers.rm_pairs import iter_pairs

    pairs = []
    for pair in iter_pairs(
        lambda: gymhub.make("gymhub/ToyArith-v0"),
        seeds=range(10 * count),
        per_prompt=2,
        seed=seed,
        noise=True,
    ):
        pairs.append(pair)
        if len(pairs) >= count:
            break
    return pairs


def split(pairs: list, seed: int = 0) -> tuple[list, list]:
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    held = int(round(len(pairs) * 0.2))
    return [pairs[i] for i in order[held:]], [pairs[i] for i in order[:held]]


def ours(train: list, held: list, out: Path, args: argparse.Namespace) -> tuple[float, float]:
    from gymhub.trainers.rm_train import RMTrainConfig, pairwise_accuracy, train_reward_model
    from gymhub.verifiers.reward_model import RewardModelVerifier

    config = RMTrainConfig(
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.lr,
        eval_fraction=0.0,  # the split is made here, the same for both sides
        seed=0,
        torch_threads=args.threads,
    )
    start = time.perf_counter()
    train_reward_model(train, out, config)
    seconds = time.perf_counter() - start
    return seconds, pairwise_accuracy(RewardModelVerifier(str(out)), held)


def theirs(train: list, held: list, out: Path, args: argparse.Namespace) -> tuple[float, float]:
    import torch
    from datasets import Dataset
    from transformers.utils import logging as hf_logging
    from trl import RewardConfig, RewardTrainer

    from gymhub.trainers.rm_train import build_tiny_reward_model, pairwise_accuracy
    from gymhub.trainers.tiny import build_tiny_tokenizer
    from gymhub.verifiers.reward_model import RewardModelVerifier

    hf_logging.set_verbosity_error()
    torch.manual_seed(0)
    tokenizer = build_tiny_tokenizer()
    model = build_tiny_reward_model(tokenizer, 0)
    rows = [
        {
            "prompt": p.prompt,
            "chosen": [{"role": "assistant", "content": p.chosen}],
            "rejected": [{"role": "assistant", "content": p.rejected}],
        }
        for p in train
    ]
    config = RewardConfig(
        output_dir=str(out / "trl-run"),
        num_train_epochs=args.epochs,
        per_device_train_batch_size=args.batch_size,
        learning_rate=args.lr,
        lr_scheduler_type="linear",
        max_grad_norm=1.0,
        weight_decay=0.0,
        max_length=512,
        logging_strategy="no",
        save_strategy="no",
        report_to=[],
        use_cpu=True,
        dataloader_num_workers=0,
        disable_tqdm=True,
        seed=0,
    )
    start = time.perf_counter()
    trainer = RewardTrainer(
        model=model,
        args=config,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
    )
    trainer.train()
    seconds = time.perf_counter() - start
    trainer.model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return seconds, pairwise_accuracy(RewardModelVerifier(str(out)), held)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=800)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (both sides)")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    pairs = make_pairs(args.pairs)
    train, held = split(pairs)
    print(f"{len(train)} training pairs, {len(held)} held out, {args.epochs} epochs")
    with tempfile.TemporaryDirectory() as tmp:
        our_s, our_acc = ours(train, held, Path(tmp) / "ours", args)
        print(f"  gymhub rm train (own BT loop)   {our_s:7.1f} s   held-out accuracy {our_acc:.3f}")
        their_s, their_acc = theirs(train, held, Path(tmp) / "trl", args)
        print(
            f"  TRL RewardTrainer               {their_s:7.1f} s   held-out accuracy {their_acc:.3f}"
        )
        print(f"  time ratio (TRL / ours)         {their_s / our_s:7.2f}x")


if __name__ == "__main__":
    main()
