"""Env steps per second through each trainer adapter against the same env used directly.

Run: `python benchmarks/integrations.py [--episodes N] [--only trl,openenv]`. The adapter layer
should cost under 10%: the printed ratio is adapter steps/s over direct steps/s, measured in the
same process, on the same env and seeds, alternating the two to spread the machine's noise.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import integration_adapters

import gymhub

DEFAULT_ENV = "gymhub/GuessNumber-v0"


def direct_steps_per_s(env_id: str, episodes: int) -> float:
    """The baseline: the env's reference policy played through `reset`/`step` directly."""
    env = gymhub.make(env_id)
    steps, start = 0, time.perf_counter()
    try:
        for seed in range(episodes):
            env.reset(seed=seed)
            done = False
            while not done:
                _obs, _reward, terminated, truncated, _info = env.step(env.reference_action())
                steps += 1
                done = terminated or truncated
    finally:
        env.close()
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated adapter names")
    args = parser.parse_args()
    wanted = {name for name in args.only.split(",") if name}
    print(f"{'adapter':<12} {'env':<28} {'direct/s':>10} {'adapter/s':>10} {'ratio':>7}")
    for info in pkgutil.iter_modules(integration_adapters.__path__):
        if wanted and info.name not in wanted:
            continue
        try:
            module = importlib.import_module(f"integration_adapters.{info.name}")
        except ImportError as exc:
            print(f"{info.name:<12} skipped: {exc}")
            continue
        env_id = getattr(module, "ENV_ID", DEFAULT_ENV)
        direct, adapted = [], []
        for _ in range(args.rounds):
            direct.append(direct_steps_per_s(env_id, args.episodes))
            adapted.append(module.measure(env_id, args.episodes))
        d, a = max(direct), max(adapted)
        print(f"{module.NAME:<12} {env_id:<28} {d:>10.0f} {a:>10.0f} {a / d:>7.2f}")


if __name__ == "__main__":
    main()
