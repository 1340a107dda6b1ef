"""What every adapter checks in a trainer's dataset row before it resets an env with it."""

from __future__ import annotations

from typing import Any


def is_seed(value: Any) -> bool:
    """Whether `value` can seed an env: a non-negative int (a bool is not one). A row's bad seed
    is the user's setup error, to be named, never an env failure masked as `infra_error`."""
    return type(value) is int and value >= 0
