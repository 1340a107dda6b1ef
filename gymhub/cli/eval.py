"""`gymhub eval`: run a policy against environments and report pass@k and rewards."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)


def eval_cmd(
    env_ids: list[str] = typer.Argument(None, help="Env ids (default: all, or --family)."),
    family: str = typer.Option(None, "--family", "-f", help="Every env of this family."),
    policy: str = typer.Option("reference", help="reference | openai"),
    model: str = typer.Option(None, help="Model name for --policy openai."),
    base_url: str = typer.Option(
        None, help="OpenAI-compatible endpoint (default $OPENAI_BASE_URL)."
    ),
    temperature: float = typer.Option(0.0, help="Sampling temperature for --policy openai."),
    seeds: int = typer.Option(3, min=1, help="Number of seeds (tasks) per env: 0..N-1."),
    samples: int = typer.Option(1, min=1, help="Episodes per seed (for pass@k)."),
    k: list[int] = typer.Option([1], "--k", help="k values for pass@k (repeatable)."),
    concurrency: int = typer.Option(16, min=1, help="Episodes in flight at once."),
    options: str = typer.Option(None, help="Reset options as JSON."),
    output: Path = typer.Option(None, help="Write every trace to this JSONL file."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Evaluate a policy on environments (pass@k, mean reward, turns, failures)."""
    import gymhub
    from gymhub.errors import GymhubError
    from gymhub.evaluation import aevaluate
    from gymhub.policies import OpenAIPolicy, ReferencePolicy

    def fail(message: str) -> None:
        err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
        raise typer.Exit(2)

    try:
        ids = list(env_ids or []) or [s.id for s in gymhub.list_envs(family=family)]
        for env_id in ids:
            gymhub.spec(env_id)
    except GymhubError as exc:
        fail(str(exc))
    if not ids:
        fail("no environments selected")
    reset_options = None
    if options:
        try:
            reset_options = json.loads(options)
        except json.JSONDecodeError as exc:
            fail(f"--options must be JSON: {exc}")
    if policy == "reference":
        chosen = ReferencePolicy()
    elif policy == "openai":
        if not model:
            fail("--policy openai needs --model")
        chosen = OpenAIPolicy(model, base_url=base_url, temperature=temperature)
    else:
        fail(f"unknown policy {policy!r}; use reference or openai")
    try:
        summaries, traces = asyncio.run(
            aevaluate(
                ids,
                chosen,
                seeds=range(seeds),
                samples=samples,
                ks=k,
                concurrency=concurrency,
                options=reset_options,
            )
        )
    except ValueError as exc:
        fail(str(exc))
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w") as handle:
            for trace in traces:
                handle.write(trace.model_dump_json() + "\n")
    if as_json:
        print(json.dumps([s.model_dump() for s in summaries], indent=2))
        return
    table = Table(title=f"{policy} policy, {seeds} seeds x {samples} samples")
    table.add_column("env", overflow="fold")
    for col in ("episodes", "turns", "reward", *(f"pass@{x}" for x in k), "errors"):
        table.add_column(col)
    for s in summaries:
        table.add_row(
            s.env_id,
            str(s.episodes),
            f"{s.mean_turns:.1f}",
            f"{s.mean_reward:.2f}",
            *(f"{s.pass_at_k.get(f'pass@{x}', float('nan')):.2f}" for x in k),
            str(s.infra_errors + s.policy_errors),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_cmd)
