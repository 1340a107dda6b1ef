"""`python -m gymhub.trainers.adaptive_report RUN/metrics.jsonl --config CONFIG --warmup N`: how
well an adaptive-difficulty run kept each env in its success band.

For every env with a `difficulty/<env>` column, over the steps after the first `warmup` ones that
played it: the share of steps whose success rate (`success_rate/<env>`) was inside the band, the
same for its `window`-step moving mean (the curve `difficulty.png` draws), the mean success rate,
the levels it was played at and how often the level changed. The band is the config's
`adaptive_difficulty` (or `--low/--high`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from gymhub.trainers.adaptive import DEFAULTS
from gymhub.trainers.metrics import _moving_mean


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """The rows of a metrics.jsonl (blank lines skipped)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no metrics file at {str(path)!r}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def band_summary(
    rows: list[dict[str, Any]],
    band: tuple[float, float],
    warmup: int = 0,
    window: int = 10,
) -> dict[str, dict[str, Any]]:
    """Per env label: `steps` (after warm-up, with episodes of that env), `in_band` (share of
    those steps whose success rate is in the band, ends included), `mean_in_band` (the same for
    the `window`-step moving mean), `success_mean`, `levels` (lowest and highest difficulty given
    after warm-up), `changes` (level changes over the whole run) and `first_in_band` (the first
    step whose moving mean is in the band, or None)."""
    low, high = band
    if not 0 <= low < high <= 1:
        raise ValueError(f"band must satisfy 0 <= low < high <= 1, got {band}")
    if warmup < 0 or window < 1:
        raise ValueError("warmup must be >= 0 and window >= 1")
    labels = sorted({k.split("/", 1)[1] for r in rows for k in r if k.startswith("difficulty/")})
    if not labels:
        raise ValueError("no difficulty/<env> column: was the run made with adaptive_difficulty?")

    def inside(x: float) -> bool:
        return low <= x <= high

    out: dict[str, dict[str, Any]] = {}
    for label in labels:
        rates = [r.get(f"success_rate/{label}") for r in rows]
        smooth = _moving_mean(rates, window)
        # the level a step played is the one logged by the step before it (the first plays 1)
        given = [r.get(f"difficulty/{label}") for r in rows]
        played = [given[i - 1] if i else None for i in range(len(rows))]
        kept = [
            i for i, r in enumerate(rows) if r.get("step", i + 1) > warmup and rates[i] is not None
        ]
        levels = [played[i] for i in kept if played[i] is not None]
        present = [g for g in given if g is not None]
        out[label] = {
            "steps": len(kept),
            "in_band": sum(inside(rates[i]) for i in kept) / len(kept) if kept else None,
            "mean_in_band": sum(inside(smooth[i]) for i in kept) / len(kept) if kept else None,
            "success_mean": sum(rates[i] for i in kept) / len(kept) if kept else None,
            "levels": (min(levels), max(levels)) if levels else None,
            "changes": sum(a != b for a, b in zip(present, present[1:])),
            "first_in_band": next(
                (rows[i].get("step", i + 1) for i, s in enumerate(smooth) if inside(s)), None
            ),
        }
    return out


def markdown(summary: dict[str, dict[str, Any]], band: tuple[float, float], warmup: int) -> str:
    """The summary as the table docs/training.md shows."""

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.0%}"

    lines = [
        f"band {band[0]}-{band[1]}, steps after {warmup}:",
        "",
        "| env | steps | step rate in band | 10-step mean in band | mean success | levels "
        "| level changes | moving mean first in band |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, s in summary.items():
        levels = "-" if s["levels"] is None else f"{s['levels'][0]:.0f}-{s['levels'][1]:.0f}"
        mean = "-" if s["success_mean"] is None else f"{s['success_mean']:.2f}"
        lines.append(
            f"| `{label}` | {s['steps']} | {pct(s['in_band'])} | {pct(s['mean_in_band'])} "
            f"| {mean} | {levels} | {s['changes']} | {s['first_in_band'] or '-'} |"
        )
    return "\n".join(lines)


def _band_of(config: str | None, low: float | None, high: float | None) -> tuple[float, float]:
    settings: dict[str, Any] = dict(DEFAULTS)
    if config:
        from gymhub.trainers.config import GRPOConfig

        settings.update(GRPOConfig.from_yaml(config).adaptive_difficulty or {})
    return (
        float(settings["low"] if low is None else low),
        float(settings["high"] if high is None else high),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gymhub.trainers.adaptive_report")
    parser.add_argument("metrics", help="the run's metrics.jsonl")
    parser.add_argument("--config", help="the run's config (its adaptive_difficulty band)")
    parser.add_argument("--low", type=float, help="band low (overrides the config)")
    parser.add_argument("--high", type=float, help="band high (overrides the config)")
    parser.add_argument("--warmup", type=int, default=0, help="leave out the first N steps")
    parser.add_argument("--window", type=int, default=10, help="moving-mean window in steps")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    band = _band_of(args.config, args.low, args.high)
    summary = band_summary(read_rows(args.metrics), band, args.warmup, args.window)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(markdown(summary, band, args.warmup))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
