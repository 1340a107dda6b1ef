"""The `gymhub` command. Core commands live in `gymhub.cli.core`; every other module of this
package that defines `register(app)` adds its own commands (serve, train, sandbox, ...)."""

from __future__ import annotations

import importlib
import pkgutil

import typer

app = typer.Typer(
    name="gymhub",
    help="gymhub: RL environments and verifiers for language models and agents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        mod = importlib.import_module(f"{__name__}.{module}")
        register = getattr(mod, "register", None)
        if callable(register):
            register(app)


_register_commands()


def main() -> None:
    app()
