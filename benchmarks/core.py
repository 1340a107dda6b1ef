"""Core figures: `import gymhub` time, and the env layer's overhead per step.

The overhead compares gymhub/GuessNumber-v0 with a bare gymnasium env doing the same work
(parse a guess, compare, answer higher/lower) with plain strings, in the same process, both
driven by the same binary-search policy.

    python benchmarks/core.py [--episodes 2000] [--imports 7]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time

import gymnasium

import gymhub

_INT = re.compile(r"-?\d{1,30}")


class BareGuessNumber(gymnasium.Env):
    """The same game with str observations/actions and no gymhub machinery."""

    def __init__(self, high: int = 40) -> None:
        self.observation_space = gymnasium.spaces.Text(10_000)
        self.action_space = gymnasium.spaces.Text(10_000)
        self.high_limit = high

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.secret = int(self.np_random.integers(1, self.high_limit + 1))
        self.low, self.high, self.turn = 1, self.high_limit, 0
        return f"Guess an integer between 1 and {self.high_limit}.", {}

    def step(self, action: str):
        self.turn += 1
        guess = int(_INT.findall(action[-1000:])[-1])
        if guess == self.secret:
            return "", 1.0, True, False, {}
        if guess < self.secret:
            self.low = guess + 1
            return f"{guess} is too low: the number is higher.", 0.0, False, False, {}
        self.high = guess - 1
        return f"{guess} is too high: the number is lower.", 0.0, False, False, {}


def time_import(repeats: int) -> list[float]:
    code = "import time; t = time.perf_counter(); import gymhub; print(time.perf_counter() - t)"
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]


def run_bare(episodes: int) -> tuple[int, float]:
    env = BareGuessNumber()
    steps, start = 0, time.perf_counter()
    for seed in range(episodes):
        env.reset(seed=seed)
        done = False
        while not done:
            _, _, done, _, _ = env.step(str((env.low + env.high) // 2))
            steps += 1
    return steps, time.perf_counter() - start


def run_gymhub(episodes: int) -> tuple[int, float]:
    env = gymhub.make("gymhub/GuessNumber-v0", difficulty=3)  # range 1..40 like the bare env
    steps, start = 0, time.perf_counter()
    for seed in range(episodes):
        env.reset(seed=seed)
        done = False
        while not done:
            _, _, terminated, truncated, _ = env.step(str((env.low + env.high) // 2))
            done = terminated or truncated
            steps += 1
    return steps, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--episodes", type=int, default=2000)
    parser.add_argument("--imports", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    imports = time_import(args.imports)
    run_bare(50), run_gymhub(50)  # warm up
    bare_steps, bare_s = run_bare(args.episodes)
    hub_steps, hub_s = run_gymhub(args.episodes)
    bare_us = bare_s / bare_steps * 1e6
    hub_us = hub_s / hub_steps * 1e6
    result = {
        "import_gymhub_s_median": statistics.median(imports),
        "bare_gymnasium_us_per_step": bare_us,
        "gymhub_us_per_step": hub_us,
        "gymhub_overhead_us_per_step": hub_us - bare_us,
        "ratio_gymhub_to_bare": hub_us / bare_us,
        "steps": {"bare": bare_steps, "gymhub": hub_steps},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"import gymhub (median of {args.imports} fresh processes): {result['import_gymhub_s_median'] * 1000:.0f} ms"
    )
    print(f"bare gymnasium env : {bare_us:8.1f} us/step ({bare_steps} steps)")
    print(f"gymhub GuessNumber : {hub_us:8.1f} us/step ({hub_steps} steps)")
    print(
        f"overhead           : {hub_us - bare_us:8.1f} us/step (x{hub_us / bare_us:.1f} of the bare env)"
    )


if __name__ == "__main__":
    main()
