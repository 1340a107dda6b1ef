"""Core commands: list, info, play, check, eval."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from gymhub.errors import GymhubError

console = Console()
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


def _parse_options(options: str | None) -> dict[str, Any] | None:
    if options is None:
        return None
    try:
        value = json.loads(options)
    except json.JSONDecodeError as exc:
        _fail(f"--options must be a JSON object: {exc}")
    if not isinstance(value, dict):
        _fail("--options must be a JSON object")
    return value


def list_cmd(
    family: str = typer.Option(None, "--family", "-f", help="Only envs of this family."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """List the registered environments."""
    import gymhub

    specs = gymhub.list_envs(family=family)
    if family and not specs:
        known = sorted({s.family for s in gymhub.list_envs()})
        _fail(f"no envs of family {family!r}; families: {', '.join(known)}")
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
        _fail(str(exc))
    data = spec.to_dict()
    if as_json:
        print(json.dumps(data, indent=2))
        return
    table = Table(show_header=False, title=spec.id)
    for key, value in data.items():
        table.add_row(key, json.dumps(value) if not isinstance(value, str) else value)
    console.print(table)


def play_cmd(
    env_id: str = typer.Argument(..., help="Environment id."),
    seed: int = typer.Option(0, help="Episode seed."),
    options: str = typer.Option(None, help="Reset options as JSON, e.g. '{\"difficulty\": 2}'."),
    hint: bool = typer.Option(False, help="Show the reference action before each turn."),
) -> None:
    """Play one episode yourself in the terminal (type your answer; an empty line quits)."""
    import gymhub

    try:
        env = gymhub.make(env_id)
        observation, info = env.reset(seed=seed, options=_parse_options(options))
    except (GymhubError, ValueError, TypeError) as exc:
        _fail(str(exc))
    total = 0.0
    try:
        while True:
            for message in observation.messages:
                console.print(f"[bold cyan]{message.role}[/]: {message.text}")
            if observation.tools:
                console.print(f"[dim]tools: {', '.join(t.name for t in observation.tools)}[/]")
            if hint:
                ref = env.reference_action()
                if ref is not None:
                    console.print(f"[dim]hint: {ref.model_dump_json(exclude_none=True)}[/]")
            try:
                text = console.input("[bold green]you[/]> ")
            except EOFError:
                text = ""
            if not text.strip():
                console.print("bye")
                break
            observation, reward, terminated, truncated, info = env.step(text)
            total += reward
            console.print(
                f"[dim]reward {reward:g} | verdict {info.get('verdict')} | turn {info.get('turn')}[/]"
            )
            if terminated or truncated:
                for message in observation.messages:
                    console.print(f"[bold cyan]{message.role}[/]: {message.text}")
                console.print(
                    f"episode over ({'terminated' if terminated else 'truncated'}); total reward {total:g}"
                )
                break
    finally:
        env.close()


def check_cmd(
    env_ids: list[str] = typer.Argument(None, help="Env ids (default: every registered env)."),
    family: str = typer.Option(None, "--family", "-f", help="Check every env of this family."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Run the conformance checks; exits 1 if any env fails."""
    import gymhub
    from gymhub.checker import check_env

    try:
        ids = list(env_ids or []) or [s.id for s in gymhub.list_envs(family=family)]
        for env_id in ids:
            gymhub.spec(env_id)
    except GymhubError as exc:
        _fail(str(exc))
    reports = []
    from rich.progress import Progress

    with Progress(console=err, transient=True, disable=as_json) as progress:
        task = progress.add_task("checking", total=len(ids))
        for env_id in ids:
            progress.update(task, description=env_id)
            reports.append(check_env(env_id))
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


def register(app: typer.Typer) -> None:
    app.command("list")(list_cmd)
    app.command("info")(info_cmd)
    app.command("play")(play_cmd)
    app.command("check")(check_cmd)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
