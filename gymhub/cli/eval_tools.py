"""`gymhub eval rescore | compare | report`: work on stored runs without calling the model."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from gymhub.cli.common import fail

console = Console()


def _load(run: Path) -> list[Any]:
    from gymhub.evaluation import read_traces

    try:
        traces = read_traces(run)
    except FileNotFoundError as exc:
        fail(str(exc))
    if not traces:
        fail(f"{run} holds no traces")
    return traces


def _ks(traces: list[Any]) -> list[int]:
    per_task: dict[Any, int] = {}
    for t in traces:
        key = (t.env_id, t.seed, json.dumps(t.options, sort_keys=True))
        per_task[key] = per_task.get(key, 0) + 1
    n = min(per_task.values())
    return sorted({1, n} | ({k for k in (2, 4, 8, 16, 32, 64, 128, 256) if k <= n}))


def rescore_cmd(
    run: Path = typer.Argument(..., help="A run file written by `gymhub eval --output`."),
    verifier: str = typer.Option(
        None, help="module:attribute of another verifier (default: each env's current one)."
    ),
    output: Path = typer.Option(None, "--output", "-o", help="Write the rescored run here."),
    as_json: bool = typer.Option(False, "--json", help="Print the changes as JSON."),
) -> None:
    """Re-verify a run's stored answers (no model calls) and list the verdicts that changed."""
    from gymhub.evaluation import summarise, write_traces
    from gymhub.evaluation.rescore import arescore, load_verifier

    traces = _load(run)
    chosen = None
    if verifier:
        try:
            chosen = load_verifier(verifier)
        except (ImportError, AttributeError, ValueError, TypeError) as exc:
            fail(f"--verifier {verifier}: {exc}")
    new, changes = asyncio.run(arescore(traces, verifier=chosen))
    if output:
        write_traces(output, new)
    if as_json:
        print(json.dumps({"changed": [c.model_dump() for c in changes], "episodes": len(new)}))
        return
    table = Table(title=f"{len(changes)} of {len(new)} verdicts changed")
    for col in ("env", "seed", "sample", "old", "new"):
        table.add_column(col, overflow="fold")
    for c in changes:
        table.add_row(
            c.env_id,
            str(c.seed),
            str(c.sample),
            f"{c.old_status} ({c.old_reward:g})",
            f"{c.new_status} ({c.new_reward:g})",
        )
    console.print(table)
    from gymhub.cli.eval import print_summary

    ks = _ks(new)
    print_summary(summarise(new, ks), ks, title="rescored")


def compare_cmd(
    run_a: Path = typer.Argument(..., help="Baseline run (JSONL)."),
    run_b: Path = typer.Argument(..., help="Candidate run (JSONL)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Paired comparison per env: B - A success on the tasks both runs scored, 95% CI, p-value."""
    from gymhub.evaluation.compare import compare_runs

    rows = compare_runs(_load(run_a), _load(run_b))
    if not rows:
        fail("the two runs share no environment")
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{run_b.name} vs {run_a.name} (paired, per task)")
    for col in ("env", "tasks", "A", "B", "B - A [95% CI]", "p", "significant"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            r["env_id"],
            str(r["tasks"]),
            f"{r['a']:.3f}",
            f"{r['b']:.3f}",
            f"{r['diff']:+.3f} [{r['ci'][0]:+.3f}, {r['ci'][1]:+.3f}]",
            f"{r['p']:.3g}",
            "yes" if r["significant"] else "no",
        )
    console.print(table)


def report_cmd(
    run: Path = typer.Argument(..., help="A run file (JSONL)."),
    html_path: Path = typer.Option(..., "--html", help="Write the HTML report here."),
    title: str = typer.Option(None, help="Report title (default: the run's file name)."),
) -> None:
    """One self-contained HTML report: summary, plots and browsable traces."""
    from gymhub.evaluation import summarise
    from gymhub.evaluation.report import render_html

    traces = _load(run)
    summaries = summarise(traces, _ks(traces))
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(render_html(summaries, traces, title or run.name), encoding="utf-8")
    console.print(f"report: {html_path}", markup=False, highlight=False)


def add_commands(eval_app: typer.Typer) -> None:
    eval_app.command("rescore")(rescore_cmd)
    eval_app.command("compare")(compare_cmd)
    eval_app.command("report")(report_cmd)
