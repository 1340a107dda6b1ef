"""JSON-schema `pattern` keywords with a time limit on the policy's strings.

jsonschema matches `pattern`, `patternProperties` and (through them) `additionalProperties` with
Python's `re`, which cannot be interrupted: a schema pattern with nested quantifiers such as
`^(a+)+$` takes tens of seconds on a 32-character policy string that almost matches, and the
verifier's thread with it. Here those keywords match with the `regex` package under a deadline
shared by one validation; past it they raise `PatternTimeout`, which the verifier scores as an
answer the schema does not accept (the policy's, never the hub's failure).
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from functools import cache
from typing import Any

import regex

#: the time one validation may spend matching patterns, all of them together
PATTERN_BUDGET_S = 0.5

_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("schema_pattern_deadline")


class PatternTimeout(Exception):
    """A pattern did not finish matching a string within the validation's budget."""


def start_budget(seconds: float = PATTERN_BUDGET_S) -> contextvars.Token[float]:
    """Open a matching budget for one validation (`reset_budget` with the token closes it)."""
    return _deadline.set(time.monotonic() + seconds)


def reset_budget(token: contextvars.Token[float]) -> None:
    _deadline.reset(token)


def search(pattern: str, text: str) -> bool:
    """`re.search(pattern, text)` within what is left of the budget (PatternTimeout past it)."""
    left = _deadline.get(time.monotonic() + PATTERN_BUDGET_S) - time.monotonic()
    if left <= 0:
        raise PatternTimeout(pattern)
    try:
        return regex.search(pattern, text, timeout=left) is not None
    except TimeoutError:
        raise PatternTimeout(pattern) from None


def _pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not search(patrn, instance):
        yield ValidationError(f"{instance[:100]!r} does not match {patrn!r}")


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(validator: Any, extra: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    extras = [
        key
        for key in instance
        if key not in properties and not any(search(p, key) for p in patterns)
    ]
    if validator.is_type(extra, "object"):
        for key in extras:
            yield from validator.descend(instance[key], extra, path=key)
    elif not extra and extras:
        named = ", ".join(repr(key[:50]) for key in sorted(extras)[:10])
        yield ValidationError(f"additional properties are not allowed ({named} unexpected)")


@cache
def bounded(validator_cls: type) -> type:
    """`validator_cls` with its pattern keywords matched under the budget."""
    import jsonschema

    return jsonschema.validators.extend(
        validator_cls,
        {
            "pattern": _pattern,
            "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties,
        },
    )
