"""Training metrics: one JSON object per step in `metrics.jsonl`, and `reward.png`, redrawn as
training goes (written atomically, so a viewer never sees a half-written file)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any


class MetricsLog:
    def __init__(self, output_dir: str | Path, resume_step: int = 0) -> None:
        self.dir = Path(output_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / "metrics.jsonl"
        self.rows: list[dict[str, Any]] = []
        self.band: tuple[float, float] | None = None  # the adaptive-difficulty target, if any
        if resume_step > 0 and self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    if row.get("step", 0) <= resume_step:
                        self.rows.append(row)
        self.path.write_text("".join(json.dumps(r) + "\n" for r in self.rows), encoding="utf-8")

    def append(self, row: dict[str, Any]) -> None:
        clean = {k: _finite(v) for k, v in row.items()}
        self.rows.append(clean)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(clean) + "\n")

    def plot(self) -> Path | None:
        """Redraw reward.png (reward mean per step and a 10-step moving average)."""
        if not self.rows:
            return None
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        steps = [r["step"] for r in self.rows]
        rewards = [r.get("reward_mean", float("nan")) for r in self.rows]
        window = 10
        smooth = [
            sum(rewards[max(0, i - window + 1) : i + 1])
            / len(rewards[max(0, i - window + 1) : i + 1])
            for i in range(len(rewards))
        ]
        fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
        gold = [r.get("gold_reward_mean") for r in self.rows]
        proxy_label = "proxy (learned) reward" if any(g is not None for g in gold) else "reward"
        ax.plot(steps, rewards, alpha=0.35, label=f"{proxy_label} (step mean)")
        ax.plot(steps, smooth, linewidth=2, label=f"{window}-step moving average")
        if any(g is not None for g in gold):  # over-optimisation monitor: the gold curve beside
            ax.plot(steps, [float("nan") if g is None else g for g in gold], label="gold reward")
        ax.set_xlabel("step")
        ax.set_ylabel("reward")
        ax.set_title("GRPO training reward")
        ax.grid(alpha=0.3)
        ax.legend(loc="center right" if any(g is not None for g in gold) else "lower right")
        fig.tight_layout()
        out = self.dir / "reward.png"
        tmp = self.dir / ".reward.png.tmp"
        fig.savefig(tmp, format="png")
        plt.close(fig)
        os.replace(tmp, out)
        self.plot_difficulty()
        return out

    def plot_difficulty(self, band: tuple[float, float] | None = None) -> Path | None:
        """Redraw difficulty.png when the run adapts difficulty: each env's difficulty and its
        recent success rate per step, with the target band shaded."""
        labels = sorted(
            {k.split("/", 1)[1] for r in self.rows for k in r if k.startswith("difficulty/")}
        )
        if not labels:
            return None
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        steps = [r["step"] for r in self.rows]
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6), dpi=100, sharex=True)
        for label in labels:
            top.plot(
                steps, [r.get(f"difficulty/{label}", float("nan")) for r in self.rows], label=label
            )
            rates = [r.get(f"success_rate/{label}") for r in self.rows]
            line = bottom.plot(steps, [math.nan if x is None else x for x in rates], alpha=0.25)
            bottom.plot(steps, _moving_mean(rates, 10), color=line[0].get_color(), label=label)
        band = band or self.band
        if band is not None:
            bottom.axhspan(band[0], band[1], color="green", alpha=0.12, label="target band")
        top.set_ylabel("difficulty")
        top.set_title("Adaptive difficulty")
        top.legend(loc="upper left", fontsize="small")
        bottom.set_ylabel("success rate (step, 10-step mean)")
        bottom.set_xlabel("step")
        bottom.set_ylim(-0.02, 1.02)
        for ax in (top, bottom):
            ax.grid(alpha=0.3)
        fig.tight_layout()
        out = self.dir / "difficulty.png"
        tmp = self.dir / ".difficulty.png.tmp"
        fig.savefig(tmp, format="png")
        plt.close(fig)
        os.replace(tmp, out)
        return out


def _moving_mean(values: list[Any], window: int) -> list[float]:
    """Mean of the last `window` present values at each position (None = no episode that step)."""
    out: list[float] = []
    for i in range(len(values)):
        recent = [v for v in values[max(0, i - window + 1) : i + 1] if v is not None]
        out.append(sum(recent) / len(recent) if recent else math.nan)
    return out


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def learning_check(
    rewards: list[float], window: int = 10, min_final: float = 0.8, min_gain: float = 0.4
) -> tuple[bool, float, float]:
    """Did the reward rise? Mean of the last `window` steps >= min_final and at least min_gain
    above the mean of the first `window` steps. Returns (ok, first_mean, last_mean)."""
    if len(rewards) < 2 * window:
        raise ValueError(f"need at least {2 * window} steps for the learning check")
    first = sum(rewards[:window]) / window
    last = sum(rewards[-window:]) / window
    return (last >= min_final and last - first >= min_gain), first, last
