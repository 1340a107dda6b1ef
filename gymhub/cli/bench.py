"""`gymhub bench`: how fast an environment resets and steps under its reference policy."""

from __future__ import annotations

import json
import statistics
import time

import typer
from rich.console import Console
from rich.table import Table

from gymhub.cli.common import fail

console = Console()


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


#: episodes per env one run may ask for (a latency figure settles long before; a typo such as
#: `--episodes 10000000000` would otherwise run for days and keep every latency in memory)
MAX_BENCH_EPISODES = 100_000


def bench_env(env_id: str, episodes: int) -> dict[str, float | str | int]:
    """Reset and step latencies of `episodes` reference episodes of one env."""
    import gymhub

    if isinstance(episodes, bool) or not isinstance(episodes, int):
        raise TypeError(f"episodes must be an int, got {type(episodes).__name__}")
    if not 1 <= episodes <= MAX_BENCH_EPISODES:
        raise ValueError(f"episodes must be 1 to {MAX_BENCH_EPISODES:,}, got {episodes}")

    env = gymhub.make(env_id)
    resets: list[float] = []
    steps: list[float] = []
    try:
        for seed in range(episodes):
            t0 = time.perf_counter()
            env.reset(seed=seed)
            resets.append(time.perf_counter() - t0)
            while not env.done:
                action = env.reference_action()
                if action is None:
                    break
                t0 = time.perf_counter()
                env.step(action)
                steps.append(time.perf_counter() - t0)
    finally:
        env.close()
    total = sum(resets) + sum(steps)
    return {
        "env_id": env_id,
        "episodes": episodes,
        "steps": len(steps),
        "reset_ms_p50": 1000 * statistics.median(resets),
        "step_ms_p50": 1000 * statistics.median(steps) if steps else float("nan"),
        "step_ms_p99": 1000 * _percentile(steps, 0.99),
        "steps_per_s": len(steps) / total if total else float("nan"),
    }


def bench_cmd(
    env_ids: list[str] = typer.Argument(
        None, help="Env ids (default: --family or the basic envs)."
    ),
    family: str = typer.Option(None, "--family", "-f"),
    episodes: int = typer.Option(
        20, min=1, max=MAX_BENCH_EPISODES, help="Reference episodes per env."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Measure reset and step latency of environments with their reference policy."""
    import gymhub
    from gymhub.errors import GymhubError

    try:
        ids = list(env_ids or []) or [s.id for s in gymhub.list_envs(family=family or "basic")]
        for env_id in ids:
            gymhub.spec(env_id)
    except GymhubError as exc:
        fail(str(exc))
    if not ids:
        known = sorted({s.family for s in gymhub.list_envs()})
        fail(f"no envs of family {family!r}; families: {', '.join(known)}")
    rows = [bench_env(env_id, episodes) for env_id in ids]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{episodes} reference episodes per env")
    table.add_column("env", overflow="fold")
    for col in ("reset p50 ms", "step p50 ms", "step p99 ms", "steps/s"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(
            str(r["env_id"]),
            f"{r['reset_ms_p50']:.2f}",
            f"{r['step_ms_p50']:.2f}",
            f"{r['step_ms_p99']:.2f}",
            f"{r['steps_per_s']:.0f}",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("bench")(bench_cmd)
