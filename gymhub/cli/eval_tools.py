"""`gymhub eval rescore | compare | report`: work on stored runs without calling the model."""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from gymhub.cli.common import err, fail
from gymhub.cli.eval import add_plain_row, plain, writable_path

console = Console()


def _load(run: Path) -> list[Any]:
    from gymhub.evaluation import read_traces

    skipped: list[int] = []
    try:
        traces = read_traces(run, on_skip=lambda number, why: skipped.append(number))
    except FileNotFoundError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read {run}: {exc}")
    if skipped:
        lines = ", ".join(map(str, skipped[:10])) + (", ..." if len(skipped) > 10 else "")
        err.print(
            f"{run}: skipped {len(skipped)} unreadable line(s) (torn or corrupt): {lines}",
            markup=False,
            highlight=False,
            soft_wrap=True,  # a path broken over two lines cannot be copied
        )
    if not traces:
        fail(f"{run} holds no traces")
    return traces


def _ks(traces: list[Any]) -> list[int]:
    """The k values a stored run supports: up to the fewest samples any task has (a task is its
    seed, options and pinned task, as the summary counts it)."""
    from gymhub.evaluation.summary import task_key

    per_task: dict[Any, int] = {}
    for t in traces:
        key = (t.env_id, task_key(t))
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
    if output:
        writable_path(output, "--output")
    from gymhub.errors import GymhubError

    try:
        new, changes = asyncio.run(arescore(traces, verifier=chosen))
    except (ValueError, GymhubError) as exc:
        fail(str(exc))
    if output:
        try:
            write_traces(output, new)
        except OSError as exc:
            fail(f"--output {output}: {exc}")
    if as_json:
        print(json.dumps({"changed": [c.model_dump() for c in changes], "episodes": len(new)}))
        return
    kept = sum(c.note is not None for c in changes)
    title = f"{len(changes) - kept} of {len(new)} verdicts changed"
    table = Table(
        title=plain(title + (f", {kept} not re-scored (old verdict kept)" if kept else ""))
    )
    for col in ("env", "seed", "sample", "old", "new"):
        table.add_column(col, overflow="fold")
    for c in changes:
        add_plain_row(
            table,
            c.env_id,
            str(c.seed),
            str(c.sample),
            f"{c.old_status} ({c.old_reward:g})",
            f"not re-scored: {c.note}" if c.note else f"{c.new_status} ({c.new_reward:g})",
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

    traces_a, traces_b = _load(run_a), _load(run_b)
    rows = compare_runs(traces_a, traces_b)
    if not rows:
        fail("the two runs share no environment")
    envs_a = dict.fromkeys(t.env_id or "?" for t in traces_a)
    envs_b = dict.fromkeys(t.env_id or "?" for t in traces_b)
    for name, only in (
        (run_a.name, [e for e in envs_a if e not in envs_b]),
        (run_b.name, [e for e in envs_b if e not in envs_a]),
    ):
        if only:  # not compared: say so, so a missing env is not read as "no difference"
            err.print(
                f"only in {name}, not compared: {', '.join(only)}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title=plain(f"{run_b.name} vs {run_a.name} (paired, per task)"))
    for col in ("env", "tasks", "A", "B", "B - A [95% CI]", "p", "significant"):
        table.add_column(col, overflow="fold")
    for r in rows:
        if not r["tasks"]:
            why = f"not compared: {r['refused']}" if r.get("refused") else None
            add_plain_row(
                table, r["env_id"], "0", "-", "-", why or "no task scored in both runs", "-", "no"
            )
            continue
        add_plain_row(
            table,
            r["env_id"],
            str(r["tasks"]),
            f"{r['a']:.3f}",
            f"{r['b']:.3f}",
            f"{r['diff']:+.3f} [{r['ci'][0]:+.3f}, {r['ci'][1]:+.3f}]",
            f"{r['p']:.3g}",
            "yes" if r["significant"] else "no",
        )
    console.print(table)
    for r in rows:
        if r["mismatched"]:
            console.print(
                f"{r['env_id']}: {r['mismatched']} seed(s) gave different tasks in the two runs "
                "(the env's data changed?) and were not paired",
                markup=False,
                highlight=False,
            )


def report_cmd(
    run: Path = typer.Argument(..., help="A run file (JSONL)."),
    html_path: Path = typer.Option(..., "--html", help="Write the HTML report here."),
    title: str = typer.Option(None, help="Report title (default: the run's file name)."),
) -> None:
    """One self-contained HTML report: summary, plots and browsable traces."""
    from gymhub.evaluation import report, summarise
    from gymhub.evaluation.run import write_text_atomic

    writable_path(html_path, "--html")
    traces = _load(run)
    summaries = summarise(traces, _ks(traces))
    try:
        write_text_atomic(html_path, report.render_html(summaries, traces, title or run.name))
    except OSError as exc:
        fail(f"--html {html_path}: {exc}")
    console.print(f"report: {html_path}", markup=False, highlight=False)


def decontaminate_cmd(
    env_ids: list[str] = typer.Argument(None, help="Eval env ids (or --suite)."),
    suite: str = typer.Option(None, "--suite", help="A shipped suite name or a suite file."),
    seeds: int = typer.Option(
        None, min=1, help="Eval seeds per env (default: the suite's, or 10)."
    ),
    seed_start: int = typer.Option(0, min=0, help="First eval seed."),
    train: list[Path] = typer.Option(None, "--train", help="Training set JSONL (repeatable)."),
    train_env: list[str] = typer.Option(
        None, "--train-env", help="Training env as ID or ID@START:COUNT seeds (repeatable)."
    ),
    n: int = typer.Option(13, min=1, help="Word n-gram length."),
    threshold: float = typer.Option(0.5, help="Share of a prompt's n-grams that flags it."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """N-gram overlap between eval prompts and a training set; exits 1 when any prompt is flagged."""
    import gymhub
    from gymhub.errors import GymhubError
    from gymhub.evaluation.decontaminate import env_prompts, jsonl_texts, overlap_report

    if not train and not train_env:
        fail("give the training set: --train FILE.jsonl and/or --train-env ID@START:COUNT")
    if not 0 < threshold <= 1:
        fail(f"--threshold must be in (0, 1], got {threshold}")
    from gymhub.evaluation.suites import MAX_SEED, MAX_SEEDS

    def seed_range(start: int, count: int, what: str) -> list[int]:
        """Seeds start..start+count-1, checked before the list is built (a count of 10**8
        would spend hours resetting envs, 10**20 was an OverflowError traceback)."""
        if start < 0 or not 1 <= count <= MAX_SEEDS or start + count - 1 > MAX_SEED:
            fail(
                f"{what}: seeds {start}..{start}+{count} out of range (a start >= 0, "
                f"1 to {MAX_SEEDS:,} seeds, none over {MAX_SEED})"
            )
        return list(range(start, start + count))

    entries: list[tuple[str, Any, list[int]]] = []
    training: list[tuple[str, Any, list[int]]] = []
    try:
        default = seed_range(seed_start, seeds or 10, "--seed-start/--seeds")
        if suite:
            from gymhub.evaluation.suites import load_suite

            if seed_start and not seeds:
                fail("--seed-start with --suite needs --seeds N (else the suite's seeds are used)")
            loaded = load_suite(suite)
            base = default if seeds else loaded.seeds
            entries += [(e.id, e.options, e.seeds or base) for e in loaded.envs]
        entries += [(e, None, default) for e in env_ids or []]
        if not entries:
            fail("no eval envs: give ids or --suite")
        for env_id, _, _ in entries:
            gymhub.spec(env_id)
        for item in train_env or []:
            env_id, _, span = item.partition("@")
            start, _, count = span.partition(":") if span else ("0", "", "100")
            try:
                first, number = int(start), int(count)
            except ValueError:
                fail(f"--train-env {item!r}: expected ID or ID@START:COUNT")
            training.append((env_id, None, seed_range(first, number, f"--train-env {item!r}")))
            gymhub.spec(env_id)
        for path in train or []:
            if not path.is_file():
                fail(f"--train {path}: no such file")
        prompts = env_prompts(entries)
        found = {str(path): 0 for path in train or []}

        def counted(path: Path) -> Any:
            for text in jsonl_texts(path):
                found[str(path)] += 1
                yield text

        # streamed: a training set is read once, never held whole (a list of every text of a
        # large JSONL ran out of memory before the n-grams were even compared)
        texts = itertools.chain(
            [t for _, _, t in env_prompts(training)], *(counted(path) for path in train or [])
        )
        rows = overlap_report(prompts, texts, n=n, threshold=threshold)
        for path, count in found.items():
            if not count:  # no text read is not a clean training set
                fail(f"--train {path}: no row holds any text; is it a training set?")
    except (GymhubError, ValueError) as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps([r.model_dump() for r in rows], indent=2))
    else:
        table = Table(title=plain(f"eval prompts sharing >= {threshold:.0%} of their {n}-grams"))
        for col in ("env", "prompts", "flagged", "max overlap", "flagged seeds"):
            table.add_column(col, overflow="fold")
        for r in rows:
            add_plain_row(table,
                r.env_id, str(r.prompts), str(r.contaminated), f"{r.max_overlap:.0%}",
                ", ".join(map(str, r.examples)),
            )  # fmt: skip
        console.print(table)
    if any(r.contaminated for r in rows):
        raise typer.Exit(1)


def add_commands(eval_app: typer.Typer) -> None:
    eval_app.command("rescore")(rescore_cmd)
    eval_app.command("compare")(compare_cmd)
    eval_app.command("report")(report_cmd)
    eval_app.command("decontaminate")(decontaminate_cmd)
