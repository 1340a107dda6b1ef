"""The `gymhub` command. Core commands live in `gymhub.cli.core`; every other module of this
package that defines `register(app)` adds its own commands (serve, train, sandbox, ...).

Global options come before the command: `gymhub --import mypkg.envs check example/Sum-v0`
imports a user module (which registers its envs) first, so every command sees those envs.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from gymhub.cli.common import fail, import_user_modules

app = typer.Typer(
    name="gymhub",
    help="gymhub: RL environments and verifiers for language models and agents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        import gymhub

        print(f"gymhub {gymhub.__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    imports: list[str] = typer.Option(
        None,
        "--import",
        "-I",
        metavar="MODULE",
        help="Import MODULE (dotted name or a .py file) before the command, so the envs it "
        "registers are usable; repeatable.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version."
    ),
) -> None:
    import_user_modules(imports or [])


def _register_commands() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        mod = importlib.import_module(f"{__name__}.{module}")
        register = getattr(mod, "register", None)
        if callable(register):
            register(app)


_register_commands()


def main() -> None:
    """Run the CLI; errors gymhub raises on purpose end as one line, never a traceback."""
    from gymhub.errors import GymhubError

    try:
        app()
    except GymhubError as exc:
        try:
            fail(str(exc))
        except typer.Exit as done:
            raise SystemExit(done.exit_code) from None
