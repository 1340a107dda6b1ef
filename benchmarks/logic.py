"""Logic-puzzle throughput: tasks generated per second and verifications per second, per family,
and side by side in the same run, reasoning-gym's rates for the families it also has.

reasoning-gym is only a benchmark baseline: install it in the benchmark's own environment, never
in the project's:

    python3 -m venv .bench-venv-logic
    .bench-venv-logic/bin/pip install -e . reasoning-gym
    .bench-venv-logic/bin/python benchmarks/logic.py            # all families, difficulty 5
    .bench-venv-logic/bin/python benchmarks/logic.py --difficulty 10 --families sudoku nonogram

Without reasoning-gym the script still runs and leaves the comparison columns empty.
Each rate is measured for at least `--seconds` (default 0.5) of wall time on fresh seeds.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task

# our family -> the reasoning-gym dataset (0.1.25) with the same kind of puzzle
RG_EQUIVALENTS = {
    "sudoku": "sudoku",
    "futoshiki": "futoshiki",
    "kakurasu": "kakurasu",
    "survo": "survo",
    "graph_coloring": "graph_color",
    "maze_paths": "maze",
    "tower_of_hanoi": "tower_of_hanoi",
    "cryptarithm": "cryptarithm",
    "game_of_24": "puzzle24",
    "knights_and_knaves": "knights_knaves",
    "zebra_puzzle": "zebra_puzzles",
    "word_sorting": "word_sorting",
    "cipher": "caesar_cipher",
    "arithmetic_chain": "chain_sum",
}


def rate(fn: Callable[[int], Any], seconds: float, max_items: int = 100_000) -> tuple[float, int]:
    """Calls fn(0), fn(1), ... for at least `seconds`; returns (calls per second, calls)."""
    start = time.perf_counter()
    i = 0
    while i < max_items:
        fn(i)
        i += 1
        if time.perf_counter() - start >= seconds:
            break
    return i / (time.perf_counter() - start), i


def ours(name: str, difficulty: int, seconds: float) -> dict[str, float]:
    family = FAMILIES[name]
    gen_rate, count = rate(lambda i: generate_task(family, 1000 + i, 0, difficulty), seconds)
    tasks = [generate_task(family, 1000 + i, 0, difficulty) for i in range(min(count, 20))]
    answers = [family.reference_response(t) for t in tasks]

    def verify(i: int) -> None:
        k = i % len(tasks)
        verdict = family.verify(answers[k], tasks[k])
        if verdict.reward != 1.0:
            raise AssertionError(f"{name}: the gold answer did not verify ({verdict})")

    ver_rate, _ = rate(verify, seconds)
    return {"gen_per_s": gen_rate, "verify_per_s": ver_rate}


def theirs(dataset: str, seconds: float) -> dict[str, float] | str:
    """reasoning-gym's rates for `dataset` with its default configuration."""
    try:
        import reasoning_gym
    except ImportError:
        return "reasoning-gym not installed"
    try:
        data = reasoning_gym.create_dataset(dataset, size=100_000, seed=42)
    except Exception as exc:  # not a dataset of this version
        return f"no dataset {dataset!r} ({type(exc).__name__})"
    items: list[dict[str, Any]] = []
    gen_rate, _ = rate(lambda i: items.append(data[i]), seconds)
    sample = items[:20]

    def verify(i: int) -> None:
        entry = sample[i % len(sample)]
        data.score_answer(answer=entry["answer"], entry=entry)

    ver_rate, _ = rate(verify, seconds)
    return {"gen_per_s": gen_rate, "verify_per_s": ver_rate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--difficulty", type=int, default=5, choices=range(1, 11))
    parser.add_argument("--seconds", type=float, default=0.5)
    parser.add_argument("--families", nargs="*", default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    discover_families()
    names = args.families or sorted(FAMILIES)
    unknown = [n for n in names if n not in FAMILIES]
    if unknown:
        parser.error(f"unknown families {unknown}; known: {sorted(FAMILIES)}")
    rows = []
    for name in names:
        row: dict[str, Any] = {"family": name, **ours(name, args.difficulty, args.seconds)}
        rg_name = FAMILIES[name].equivalents.get("reasoning_gym") or RG_EQUIVALENTS.get(name)
        if rg_name:
            rg = theirs(rg_name, args.seconds)
            row["rg_dataset"] = rg_name
            if isinstance(rg, dict):
                row["rg_gen_per_s"] = rg["gen_per_s"]
                row["rg_verify_per_s"] = rg["verify_per_s"]
                row["gen_ratio"] = row["gen_per_s"] / rg["gen_per_s"]
                row["verify_ratio"] = row["verify_per_s"] / rg["verify_per_s"]
            else:
                row["rg_note"] = rg
        rows.append(row)
        if not args.json:
            print(_line(row), flush=True)
    if args.json:
        print(json.dumps({"difficulty": args.difficulty, "rows": rows}, indent=1))


def _fmt(value: float | None) -> str:
    return "-" if value is None else (f"{value:,.0f}" if value >= 100 else f"{value:.1f}")


def _line(row: dict[str, Any]) -> str:
    text = (
        f"{row['family']:<22} gen/s {_fmt(row['gen_per_s']):>9}  "
        f"verify/s {_fmt(row['verify_per_s']):>9}"
    )
    if "rg_gen_per_s" in row:
        text += (
            f"  | reasoning-gym {row['rg_dataset']}: gen/s {_fmt(row['rg_gen_per_s']):>9}"
            f" verify/s {_fmt(row['rg_verify_per_s']):>9}"
            f"  (ratio gen {row['gen_ratio']:.2f}x, verify {row['verify_ratio']:.2f}x)"
        )
    elif "rg_note" in row:
        text += f"  | reasoning-gym: {row['rg_note']}"
    return text


if __name__ == "__main__":
    main()
