"""Env steps per second through each trainer adapter against a fair baseline, in one run.

Run: `python benchmarks/integrations.py [--episodes N] [--rounds R] [--only trl,openenv]
[--envs ID,ID]`. Each adapter module (`integration_adapters/<name>.py`) names its baseline: the
same work without the adapter's translation layer. For in-process adapters that is the env's own
`reset`/`step` with the same actions; for protocol adapters it is the same transport without the
translation (gymhub's own session API over the same kind of socket, gymhub's own token-exact
runner, verifiers' machinery around a bare env). The ratio is adapter steps/s over baseline
steps/s, both measured in this process on the same env and seeds, alternating the two round by
round; the ratio printed is the median of the rounds' paired ratios (their range beside it), the
steps/s columns each side's median. The adapter layer should cost under 10% (ratio >= 0.90).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import pkgutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import integration_adapters
from integration_adapters import _common

#: GuessNumber's step is ~20-30 us (the worst case for a fixed per-step cost); a multi-turn math
#: env scored by MathVerifier and a logic puzzle stand for what training runs step
DEFAULT_ENVS = "gymhub/GuessNumber-v0,gymhub/MathRetry-v0,gymhub/Logic-Sudoku-v0"
TARGET = 0.90


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--only", default="", help="comma-separated adapter names")
    parser.add_argument("--envs", default=DEFAULT_ENVS, help="comma-separated env ids")
    parser.add_argument(
        "--direct",
        action="store_true",
        help="compare every in-process adapter with the env's own reset/step (no trainer's "
        "per-episode framework cost in the baseline)",
    )
    parser.add_argument(
        "--once",
        choices=["adapter", "baseline"],
        help="after a warm-up, run one side once for one adapter (--only) and env (--envs) "
        "inside sys.call_tracing with the garbage collector off, for an instruction counter "
        "that starts at that call (a noise-free figure; docs/benchmarks.md has the command)",
    )
    args = parser.parse_args()
    if args.once:
        return once(args)
    wanted = {name for name in args.only.split(",") if name}
    env_ids = [e for e in args.envs.split(",") if e]
    print(
        f"{'adapter':<10} {'env':<24} {'baseline':<44} {'base/s':>8} {'adapter/s':>9} "
        f"{'ratio':>6} {'<=10%':>5} {'range':>9}"
    )
    for info in pkgutil.iter_modules(integration_adapters.__path__):
        if info.name.startswith("_") or (wanted and info.name not in wanted):
            continue
        try:
            module = importlib.import_module(f"integration_adapters.{info.name}")
        except ImportError as exc:
            print(f"{info.name:<10} skipped: {exc}")
            continue
        baseline, label = _sides(module, args.direct)
        for env_id in env_ids:
            base, adapted = [], []
            module.measure(env_id, max(2, args.episodes // 10))  # warm-up: imports, caches
            for _ in range(args.rounds):
                base.append(baseline(env_id, args.episodes))
                adapted.append(module.measure(env_id, args.episodes))
            # each round's adapter/baseline pair ran back to back, so a burst of load from
            # elsewhere hits both alike; the median of the paired ratios resists the bursts that
            # hit one side only (the best of each side does not)
            ratios = sorted(a / b for a, b in zip(adapted, base))
            ratio = statistics.median(ratios)
            ok = "yes" if ratio >= TARGET else "no"
            short = env_id.removeprefix("gymhub/")
            print(
                f"{module.NAME:<10} {short:<24} {label:<44} {statistics.median(base):>8.0f} "
                f"{statistics.median(adapted):>9.0f} {ratio:>6.2f} {ok:>5} "
                f"{ratios[0]:>5.2f}-{ratios[-1]:.2f}",
                flush=True,
            )


def _sides(module: Any, direct: bool) -> tuple[Callable[[str, int], float], str]:
    """The baseline an adapter module names (the env's own reset/step with `direct`)."""
    baseline = getattr(module, "baseline", _common.direct)
    label = getattr(module, "BASELINE", _common.DIRECT)
    if direct and getattr(module, "IN_PROCESS", baseline is _common.direct):
        return _common.direct, _common.DIRECT
    return baseline, label


def once(args: argparse.Namespace) -> None:
    """One side of one adapter on one env, run once inside `sys.call_tracing` (see `--once`)."""
    names, env_ids = [n for n in args.only.split(",") if n], [e for e in args.envs.split(",") if e]
    if len(names) != 1 or len(env_ids) != 1:
        raise SystemExit("--once needs exactly one adapter (--only NAME) and one env (--envs ID)")
    module = importlib.import_module(f"integration_adapters.{names[0]}")
    side = module.measure if args.once == "adapter" else _sides(module, args.direct)[0]
    for _ in range(2):  # warm-up: imports, caches, the env pools
        side(env_ids[0], max(2, args.episodes // 10))
    gc.collect()
    gc.disable()
    rate = sys.call_tracing(side, (env_ids[0], args.episodes))
    gc.enable()
    print(f"{names[0]} {args.once} {env_ids[0]}: {rate:.0f} steps/s")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)")
