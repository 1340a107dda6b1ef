"""What every adapter checks in a trainer's dataset row before it resets an env with it."""

from __future__ import annotations

from typing import Any


def is_seed(value: Any) -> bool:
    """Whether `value` can seed an env: a non-negative int (a bool is not one). A row's bad seed
    is the user's setup error, to be named, never an env failure masked as `infra_error`."""
    return type(value) is int and value >= 0


def check_options(env: Any, options: dict[str, Any] | None) -> None:
    """Check a row's reset `options` with the env's own `validate_options` before the reset.

    The episode loop records any reset failure as the hub's (`infra_error`, which trainers mask),
    so a row's bad options (an unknown key, a NaN difficulty) would be masked on every epoch
    instead of named: here they raise `InvalidOptionsError` saying what is wrong."""
    if options:
        validate = getattr(env, "validate_options", None)  # a remote env checks on its server
        if validate is not None:
            validate(dict(options))
