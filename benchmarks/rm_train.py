"""Reward-model training: `gymhub rm train`'s own Bradley-Terry loop against TRL's
`RewardTrainer` (`--backend trl`), on the same preference pairs, split, initial model, optimiser
settings and epochs, in one run.

    python benchmarks/rm_train.py [--pairs 800] [--epochs 8] [--threads 1]

Pairs come from a verifiable env (`gymhub/ToyArith-v0`: chosen = a verified-correct answer,
rejected = a verified-wrong one, with untrained-policy-shaped noise), as `make demo-rm` makes
them. Both backends go through `train_reward_model`, so the 80/20 split and the held-out
pairwise accuracy (scored by `RewardModelVerifier`) are computed the same way. Needs
`pip install "gymhub[trl]"` for the TRL side.
"""

from __future__ import annotations

import argparse
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


def run(backend: str, pairs: list, out: Path, args: argparse.Namespace) -> tuple[float, dict]:
    from gymhub.trainers.rm_train import RMTrainConfig, train_reward_model

    config = RMTrainConfig(
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.lr,
        backend=backend,
        seed=args.seed,
        torch_threads=args.threads,
    )
    start = time.perf_counter()
    summary = train_reward_model(pairs, out, config)
    return time.perf_counter() - start, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=800)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (both sides)")
    args = parser.parse_args()

    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    pairs = make_pairs(args.pairs)
    print(f"{len(pairs)} pairs (80% train, 20% held out), {args.epochs} epochs, seed {args.seed}")
    seconds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for backend, label in (
            ("native", "gymhub rm train (own BT loop)"),
            ("trl", "TRL RewardTrainer"),
        ):
            seconds[backend], summary = run(backend, pairs, Path(tmp) / backend, args)
            curve = " ".join(f"{row['eval_accuracy']:.2f}" for row in summary["history"])
            print(
                f"  {label:<30} {seconds[backend]:7.1f} s   held-out accuracy "
                f"{summary['eval_accuracy']:.3f}   per epoch: {curve}"
            )
    print(f"  time ratio (TRL / own loop)    {seconds['trl'] / seconds['native']:7.2f}x")


if __name__ == "__main__":
    main()
