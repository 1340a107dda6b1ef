"""Core commands: list, info, check."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from gymhub.cli.common import err, fail
from gymhub.errors import GymhubError

if TYPE_CHECKING:
    from gymhub.checker import CheckReport

console = Console()


def list_cmd(
    family: str = typer.Option(None, "--family", "-f", help="Only envs of this family."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """List the registered environments."""
    import gymhub

    specs = gymhub.list_envs(family=family)
    if family and not specs:
        known = sorted({s.family for s in gymhub.list_envs()})
        fail(f"no envs of family {family!r}; families: {', '.join(known)}")
    if as_json:
        print(json.dumps([s.to_dict() for s in specs], indent=2))
        return
    table = Table(title=f"{len(specs)} environments")
    table.add_column("id", overflow="fold")
    for col in ("family", "multi-turn", "description"):
        table.add_column(col)
    for s in specs:
        table.add_row(s.id, s.family, "yes" if s.multi_turn else "", s.description)
    console.print(table)


def info_cmd(
    env_id: str = typer.Argument(..., help="Environment id, e.g. gymhub/GuessNumber-v0."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Show an environment's metadata."""
    import gymhub

    try:
        spec = gymhub.spec(env_id)
    except GymhubError as exc:
        fail(str(exc))
    data = spec.to_dict()
    if as_json:
        print(json.dumps(data, indent=2))
        return
    table = Table(show_header=False, title=spec.id)
    for key, value in data.items():
        table.add_row(key, json.dumps(value) if not isinstance(value, str) else value)
    console.print(table)


def check_cmd(
    env_ids: list[str] = typer.Argument(None, help="Env ids (default: every registered env)."),
    family: str = typer.Option(None, "--family", "-f", help="Check every env of this family."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Run the conformance checks; exits 1 if any env fails."""
    import gymhub

    try:
        ids = list(env_ids or []) or [s.id for s in gymhub.list_envs(family=family)]
        for env_id in ids:
            gymhub.spec(env_id)
    except GymhubError as exc:
        fail(str(exc))
    if not ids:
        known = sorted({s.family for s in gymhub.list_envs()})
        fail(f"no envs of family {family!r}; families: {', '.join(known)}")
    reports = []
    from rich.progress import Progress

    with Progress(console=err, transient=True, disable=as_json) as progress:
        task = progress.add_task("checking", total=len(ids))
        for env_id in ids:
            progress.update(task, description=env_id)
            reports.append(_check_one(env_id))
            progress.advance(task)
    if as_json:
        print(json.dumps([r.to_dict() for r in reports], indent=2))
    else:
        for report in reports:
            console.print(report.summary(), markup=False, highlight=False)
        failed = [r.env_id for r in reports if not r.passed]
        console.print(f"{len(reports) - len(failed)}/{len(reports)} envs passed")
    if any(not r.passed for r in reports):
        raise typer.Exit(1)


def _check_one(env_id: str) -> CheckReport:
    """Check one env; an env that cannot even be built fails with the reason, the rest go on."""
    from gymhub.checker import CheckReport, CheckResult, check_env

    try:
        return check_env(env_id)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        return CheckReport(env_id, [CheckResult("construct", False, reason[:2000])])


def register(app: typer.Typer) -> None:
    app.command("list")(list_cmd)
    app.command("info")(info_cmd)
    app.command("check")(check_cmd)
