"""Helpers every command shares: one way to report a user error, parse JSON options and import
the user's own env modules."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

err = Console(stderr=True)

# Set by `--import`; child processes (servers, workers) import the same modules through it.
PLUGINS_VARIABLE = "GYMHUB_PLUGINS"


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `error: message` on stderr (verbatim, no markup) and exit with `code`."""
    err.print("[bold red]error:[/] ", end="")
    err.print(message, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def parse_json_object(text: str | None, option: str = "--options") -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{option} must be a JSON object: {exc}")
    except RecursionError:  # `[[[[...` thousands deep: the user's input, named, no traceback
        fail(f"{option} is nested too deeply to read as JSON")
    if not isinstance(value, dict):
        fail(f"{option} must be a JSON object, got {type(value).__name__}")
    return value


def import_user_modules(names: list[str]) -> None:
    """Import each module (a dotted name found from the current directory, or a .py file)."""
    if not names:
        return
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    for name in names:
        try:
            if name.endswith(".py"):
                path = Path(name)
                if not path.is_file():
                    fail(f"--import {name}: no such file")
                spec = importlib.util.spec_from_file_location(path.stem, path)
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                sys.modules[path.stem] = module
                spec.loader.exec_module(module)
            else:
                importlib.import_module(name)
        except typer.Exit:
            raise
        except ModuleNotFoundError as exc:
            fail(f"--import {name}: {exc} (is it on PYTHONPATH or in the current directory?)")
        except Exception as exc:
            fail(f"--import {name} failed: {type(exc).__name__}: {exc}")
    dotted = [n for n in names if not n.endswith(".py")]
    if dotted:
        existing = [p for p in os.environ.get(PLUGINS_VARIABLE, "").split(",") if p]
        os.environ[PLUGINS_VARIABLE] = ",".join(dict.fromkeys([*existing, *dotted]))
