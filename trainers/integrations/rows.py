"""What every adapter checks in a trainer's dataset row before it resets an env with it."""

from __future__ import annotations

from numbers import Integral
from typing import Any


def seed_value(value: Any) -> int | None:
    """`value` as an env seed (a plain `int`), or None when it cannot be one. Rows read back from
    parquet or pandas hold numpy integers (`numpy.int64`), which are seeds too; a bool, a float
    (`2.0`) or a negative number is not. A row's bad seed is the user's setup error, to be named,
    never an env failure masked as `infra_error`."""
    if type(value) is int:  # the common case first
        return value if value >= 0 else None
    if isinstance(value, bool) or not isinstance(value, Integral):
        return None  # numpy.bool_ is not Integral; numpy integers are
    seed = int(value)
    return seed if seed >= 0 else None
