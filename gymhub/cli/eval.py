"""`gymhub eval`: run a policy against environments and report pass@k, rewards and failures.

`gymhub eval [ID ...] [options]` runs an evaluation (the `run` subcommand is implied);
`gymhub eval rescore|compare|report RUN` work on a stored run (its JSONL traces).
"""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any

import click
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from gymhub.cli.common import err, fail, parse_json_object

console = Console()


class _RunByDefault(TyperGroup):
    """`gymhub eval ID ...` means `gymhub eval run ID ...`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


eval_app = typer.Typer(
    cls=_RunByDefault,
    help="Evaluate a policy on environments; rescore, compare and report stored runs.",
    no_args_is_help=False,
)


def make_policy(
    name: str,
    *,
    model: str | None,
    base_url: str | None,
    temperature: float,
    max_tokens: int,
    timeout: float,
    max_retries: int,
    requests_per_s: float | None,
    sampling_seed: int | None = None,
) -> Any:
    """`reference`, `openai`, `hf:PATH` or `tiny` (the embedded model) -> a Policy."""
    from gymhub.policies import OpenAIPolicy, ReferencePolicy

    if sampling_seed is not None and name != "openai":
        fail(f"--sampling-seed seeds an OpenAI-compatible endpoint (--policy openai), not {name}")
    if name == "reference":
        return ReferencePolicy()
    if name == "openai":
        if not model:
            fail("--policy openai needs --model")
        try:
            return OpenAIPolicy(
                model,
                base_url=base_url,
                temperature=temperature,
                max_tokens=max_tokens,
                timeout_s=timeout,
                max_retries=max_retries,
                requests_per_s=requests_per_s,
                seed=sampling_seed,
            )
        except ValueError as exc:
            fail(str(exc))
    if name == "tiny" or name.startswith("hf:"):
        path = "tiny" if name == "tiny" else name[3:]
        if path != "tiny" and not Path(path).exists():
            fail(f"--policy {name}: no model at {path!r}")
        from gymhub.trainers.hf_policy import HFPolicy

        try:
            return HFPolicy(path, temperature=temperature, max_new_tokens=max_tokens)
        except (OSError, ValueError) as exc:
            fail(f"--policy {name}: cannot load the model: {exc}")
    fail(f"unknown policy {name!r}; use reference, openai, hf:PATH or tiny")


def _select(
    env_ids: list[str], family: str | None, suite: str | None, server: str | None
) -> tuple[list[Any], Any]:
    import gymhub
    from gymhub.errors import GymhubError

    chosen: list[Any] = list(env_ids or [])
    loaded = None
    try:
        if suite:
            from gymhub.evaluation.suites import load_suite

            loaded = load_suite(suite)
            chosen += loaded.envs
        if family:
            members = [s.id for s in gymhub.list_envs(family=family)]
            if not members:
                known = sorted({s.family for s in gymhub.list_envs()})
                fail(f"no envs of family {family!r}; families: {', '.join(known)}")
            chosen += members
        if not chosen and not server:
            chosen = [s.id for s in gymhub.list_envs()]
        if not server:
            for item in chosen:
                gymhub.spec(item if isinstance(item, str) else item.id)
    except GymhubError as exc:
        fail(str(exc))
    if not chosen:
        fail("no environments selected (give ids, --family or --suite)")
    return chosen, loaded


#: episodes one run may ask for: more would be a typo (its job list alone would fill memory)
MAX_EPISODES = 1_000_000


def check_run_size(chosen: list[Any], n_seeds: int, n_samples: int) -> None:
    """Fail, before any job list is built, when the run asks for more than MAX_EPISODES."""
    per_env = [len(getattr(e, "seeds", None) or ()) or n_seeds for e in chosen]
    total = sum(per_env) * n_samples
    if total > MAX_EPISODES:
        fail(
            f"this run asks for {total:,} episodes ({len(chosen)} env(s), seeds and --samples "
            f"{n_samples}); at most {MAX_EPISODES:,} episodes per run"
        )


def call_deadline(timeout: float, max_retries: int) -> float:
    """Total seconds one `openai` policy call may take: every try's connect and first byte within
    `--timeout` (plus 5 s to read the body), and the longest backoff (60 s + 10% jitter) between
    tries. httpx's timeout bounds each read only, so a server trickling bytes needs this bound."""
    return (2 * timeout + 5) * (max_retries + 1) + 66 * max_retries


def writable_path(path: Path, option: str) -> None:
    """Fail with a clear message when `path` cannot be written as a file (creating its folder)."""
    if path.is_dir():
        fail(f"{option} {path}: is a directory, give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"{option} {path}: cannot create its folder: {exc.strerror or exc}")


def _progress_callback(progress: Any, task: Any) -> Any:
    counts = {"done": 0, "passed": 0, "failed": 0}

    def on_trace(trace: Any) -> None:
        from gymhub.evaluation.summary import failure_reason, success_threshold

        counts["done"] += 1
        if failure_reason(trace) is not None:
            counts["failed"] += 1
        elif trace.total_reward >= success_threshold(trace.env_id) - 1e-9:
            counts["passed"] += 1
        scored = max(counts["done"] - counts["failed"], 1)
        progress.update(
            task,
            advance=1,
            description=f"pass {counts['passed'] / scored:.0%} | failed {counts['failed']}",
        )

    return on_trace


@eval_app.command("run")
def run_cmd(
    env_ids: list[str] = typer.Argument(None, help="Env ids (default: all, or --family/--suite)."),
    family: str = typer.Option(None, "--family", "-f", help="Every env of this family."),
    suite: str = typer.Option(None, "--suite", help="A shipped suite name or a suite YAML file."),
    server: str = typer.Option(None, "--server", help="Drive envs served by `gymhub serve` here."),
    policy: str = typer.Option("reference", help="reference | openai | hf:PATH | tiny"),
    model: str = typer.Option(None, help="Model name for --policy openai."),
    base_url: str = typer.Option(
        None, help="OpenAI-compatible endpoint (default $OPENAI_BASE_URL)."
    ),
    temperature: float = typer.Option(0.0, help="Sampling temperature."),
    max_tokens: int = typer.Option(1024, min=1, help="Tokens per reply."),
    timeout: float = typer.Option(120.0, help="Seconds per model request."),
    max_retries: int = typer.Option(
        3, min=0, max=100, help="Retries on 429/5xx/timeouts, with backoff."
    ),
    rate_limit: float = typer.Option(None, help="At most this many model requests per second."),
    sampling_seed: int = typer.Option(
        None,
        min=0,
        max=2**31 - 1,
        help="Seed the endpoint's sampling (--policy openai): each request gets its own seed, "
        "drawn from this one, the sample index and the request, so samples differ and a rerun "
        "asks the same.",
    ),
    seeds: int = typer.Option(None, min=1, help="Seeds (tasks) per env: 0..N-1 (default 3)."),
    seed_start: int = typer.Option(0, min=0, help="First seed."),
    samples: int = typer.Option(None, min=1, help="Episodes per seed (for pass@k)."),
    k: list[int] = typer.Option(None, "--k", help="k values for pass@k (repeatable)."),
    concurrency: int = typer.Option(16, min=1, help="Episodes in flight at once."),
    max_turns: int = typer.Option(None, min=1, help="Cap on policy turns per episode."),
    options: str = typer.Option(None, help="Reset options as JSON."),
    output: Path = typer.Option(None, "--output", "-o", help="Stream traces to this JSONL file."),
    resume: bool = typer.Option(False, help="Skip the episodes already in --output."),
    overwrite: bool = typer.Option(False, help="Replace an existing --output file."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Evaluate a policy on environments (pass@k, mean@k, maj@k, rewards, failures, 95% CIs).

    Episodes whose policy call or env failed are counted apart with their reason and left out
    of every score; the command exits 1 when every episode failed."""
    from gymhub.evaluation import aevaluate, by_family

    chosen, loaded = _select(env_ids, family, suite, server)
    if resume and output is None:
        fail("--resume needs --output (the run file to continue)")
    if resume and overwrite:
        fail("--resume continues the run in --output, --overwrite replaces it: give one")
    if output is not None:
        writable_path(output, "--output")
        if output.is_file() and output.stat().st_size and not (resume or overwrite):
            fail(
                f"--output {output} already holds a run: add --resume to continue it or "
                "--overwrite to replace it"
            )
    if loaded and seed_start and not seeds:
        fail("--seed-start with --suite needs --seeds N (the suite's own seeds are used otherwise)")
    n_seeds = seeds or (None if loaded else 3)
    n_samples = samples or (loaded.samples if loaded else 1)
    check_run_size(chosen, n_seeds or len(loaded.seeds), n_samples)
    from gymhub.evaluation.suites import MAX_SEED  # the largest seed a server takes

    if n_seeds and seed_start + n_seeds - 1 > MAX_SEED:
        fail(f"--seed-start {seed_start} with --seeds {n_seeds}: the last seed is over {MAX_SEED}")
    seed_list = list(range(seed_start, seed_start + n_seeds)) if n_seeds else list(loaded.seeds)
    ks = list(k or (loaded.k if loaded else [1]))
    reset_options = parse_json_object(options)
    if not (math.isfinite(temperature) and temperature >= 0):
        fail(f"--temperature must be a finite number >= 0, got {temperature}")
    if not (math.isfinite(timeout) and timeout > 0):
        fail(f"--timeout must be a finite number of seconds > 0, got {timeout}")
    chosen_policy = make_policy(
        policy,
        model=model,
        base_url=base_url,
        temperature=temperature,
        max_tokens=max_tokens,
        timeout=timeout,
        max_retries=max_retries,
        requests_per_s=rate_limit,
        sampling_seed=sampling_seed,
    )
    make_env = None
    if server:
        from gymhub.client import RemoteEnv

        def make_env(env_id: str) -> Any:
            return lambda: RemoteEnv(server, env_id, timeout_s=timeout)

    run_info = {
        "policy": policy,
        "sampling": getattr(chosen_policy, "sampling", lambda: {})()
        or {"temperature": temperature, "max_tokens": max_tokens},
        "suite": loaded.name if loaded else None,
        "server": server,
    }
    total = sum(len(getattr(e, "seeds", None) or seed_list) for e in chosen) * n_samples
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=as_json,
    )
    skipped: list[int] = []  # unreadable lines of a resumed run file (their episodes rerun)
    try:
        with progress:
            task = progress.add_task("starting", total=total)
            summaries, traces = asyncio.run(
                _run(
                    chosen,
                    chosen_policy,
                    seeds=seed_list,
                    samples=n_samples,
                    ks=ks,
                    concurrency=concurrency,
                    options=reset_options,
                    output=output,
                    resume=resume,
                    run_info=run_info,
                    make_env=make_env,
                    on_trace=_progress_callback(progress, task),
                    on_skip=lambda number, why: skipped.append(number),
                    max_turns=max_turns,
                    policy_deadline_s=call_deadline(timeout, max_retries)
                    if policy == "openai"
                    else None,
                    aevaluate=aevaluate,
                )
            )
    except (ValueError, OSError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        saved = f"; the finished episodes are in {output}: rerun with --resume" if output else ""
        err.print(f"interrupted{saved}", markup=False, highlight=False)
        raise typer.Exit(130) from None
    if skipped:
        lines = ", ".join(map(str, skipped[:10])) + (", ..." if len(skipped) > 10 else "")
        err.print(
            f"{output}: dropped {len(skipped)} unreadable line(s) (torn or corrupt): {lines}; "
            "their episodes ran again",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    failed = sum(s.failed for s in summaries)
    if as_json:
        print(
            json.dumps(
                {
                    "envs": [s.model_dump() for s in summaries],
                    "families": by_family(summaries),
                    "episodes": len(traces),
                    "failed": failed,
                },
                indent=2,
            )
        )
    else:
        print_summary(summaries, ks, title=f"{policy} policy, {len(traces)} episodes")
    if traces and failed == len(traces):
        err.print("every episode failed; see the failure reasons above", markup=False)
        raise typer.Exit(1)


async def _run(chosen: list[Any], policy: Any, *, aevaluate: Any, **kwargs: Any) -> Any:
    try:
        return await aevaluate(chosen, policy, **kwargs)
    finally:
        await policy.aclose()


def plain(text: Any) -> Text:
    """Text shown as it is: env ids, failure reasons and file names come from run files and
    endpoints, and Rich would read `[/x]` in them as markup (and raise on it)."""
    return text if isinstance(text, Text) else Text(str(text))


def add_plain_row(table: Table, *cells: Any) -> None:
    table.add_row(*(plain(c) for c in cells))


def _fmt(value: float | None, ci: tuple[float, float] | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:.2f}"
    if ci is not None and not math.isnan(ci[0]):
        text += f" [{ci[0]:.2f}, {ci[1]:.2f}]"
    return text


def print_summary(summaries: list[Any], ks: list[int], title: str) -> None:
    """The summary table, then each env's failures with their reasons."""
    table = Table(title=plain(title))
    table.add_column("env", overflow="fold")
    for col in ("scored", "failed", "turns", "reward [95% CI]", *(f"pass@{x}" for x in ks)):
        table.add_column(col)
    with_maj = any(s.maj_at_k for s in summaries) and max(ks) > 1
    if with_maj:
        table.add_column(f"maj@{max(ks)}")
    with_failures = any(s.failures for s in summaries)
    if with_failures:
        table.add_column("failure reasons", overflow="fold")
    for s in summaries:
        cells = [
            s.env_id,
            str(s.scored),
            str(s.failed),
            f"{s.mean_turns:.1f}" if s.scored else "-",
            _fmt(s.mean_reward if s.scored else None, s.ci.get("mean_reward")),
            *(_fmt(s.pass_at_k.get(f"pass@{x}"), s.ci.get(f"pass@{x}")) for x in ks),
        ]
        if with_maj:
            cells.append(_fmt(s.maj_at_k.get(f"maj@{max(ks)}")))
        if with_failures:
            cells.append(Text("\n".join(f"{n}x {r}" for r, n in s.failures.items())))
        add_plain_row(table, *cells)
    console.print(table)
    for s in summaries:
        for k_, n in s.tasks_short.items():
            console.print(
                f"{s.env_id}: {n} task(s) have fewer than {k_} scored samples (the rest failed); "
                f"their pass@{k_} is over the samples they have (a lower bound)",
                markup=False,
                highlight=False,
            )


def register(app: typer.Typer) -> None:
    from gymhub.cli import eval_tools

    eval_tools.add_commands(eval_app)
    app.add_typer(eval_app, name="eval")
