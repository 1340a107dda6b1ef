"""`python -m gymhub.trainers.rm_report RUN/metrics.jsonl`: proxy vs gold reward of a run trained
on a learned reward, in windows of 10 steps (where the two curves part is reward hacking)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def report(path: str | Path, window: int = 10) -> str:
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    rows = [r for r in rows if r.get("gold_reward_mean") is not None]
    if not rows:
        raise SystemExit(f"{path} has no gold_reward_mean: was the run on a proxy-reward env?")
    lines = ["steps        proxy   gold"]
    for start in range(0, len(rows), window):
        chunk = rows[start : start + window]
        proxy = sum(r["proxy_reward_mean"] for r in chunk) / len(chunk)
        gold = sum(r["gold_reward_mean"] for r in chunk) / len(chunk)
        lines.append(f"{chunk[0]['step']:>4}-{chunk[-1]['step']:<4}  {proxy:6.3f}  {gold:6.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(sys.argv[1]))
