"""Procedurally generated logic puzzles: one env per family plus a weighted mixture.

Every module in `families/` (except those starting with `_`) defines one `@register_family`
class; it is found automatically and registered as `gymhub/Logic-<Title>-v0`. Family modules are
pure Python (no heavy imports), so discovering them at `import gymhub` stays cheap.
"""

from __future__ import annotations

import importlib
import pkgutil
import warnings

from gymhub.envs.logic.base import FAMILIES, LogicFamily, make_task, register_family
from gymhub.registry import register

__all__ = [
    "FAMILIES",
    "LogicFamily",
    "discover_families",
    "make_task",
    "register_family",
    "register_family_env",
]

_discovered: dict[str, str] = {}  # module name -> family name ("" when the import failed)
FAILED: dict[str, str] = {}  # module name -> error, for the tests and `gymhub info`


def discover_families() -> dict[str, LogicFamily]:
    """Import every family module once; a module that fails to import is reported (warning and
    `FAILED`) instead of breaking `import gymhub` for everyone."""
    from gymhub.envs.logic import families

    for info in sorted(pkgutil.iter_modules(families.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name in _discovered:
            continue
        before = set(FAMILIES)
        try:
            importlib.import_module(f"{families.__name__}.{info.name}")
        except Exception as exc:  # a broken family must not break the hub
            FAILED[info.name] = f"{type(exc).__name__}: {exc}"
            warnings.warn(
                f"logic family module {info.name!r} failed to import: {exc}", stacklevel=2
            )
            _discovered[info.name] = ""
            continue
        added = sorted(set(FAMILIES) - before)
        _discovered[info.name] = added[0] if added else ""
    return FAMILIES


def env_id(family: LogicFamily) -> str:
    return f"gymhub/Logic-{family.title}-v0"


def register_family_env(family: LogicFamily | str, id: str | None = None) -> str:
    """Register the single-turn env of a registered family (by default `gymhub/Logic-<Title>-v0`)
    and return its id. Families in `envs/logic/families/` are registered automatically; a family
    defined elsewhere needs this one line after its module is imported."""
    if isinstance(family, str):
        family = FAMILIES[family]
    id = id or env_id(family)
    register(
        id,
        "gymhub.envs.logic.env:LogicEnv",
        kwargs={"family": family.name},
        family="logic",
        description=family.description,
        verifier=f"logic:{family.name}",
        difficulty_range=family.difficulty_range,
        task_source=f"generator:logic/{family.name}",
        tags=("logic", family.name),
    )
    return id


def _register_all() -> None:
    for family in discover_families().values():
        register_family_env(family)
    register(
        "gymhub/Logic-Mix-v0",
        "gymhub.envs.logic.env:LogicMixEnv",
        family="logic",
        description="A weighted mixture over every logic-puzzle family (weights=... to choose); "
        "reset(options={'family': name}) pins one.",
        verifier="logic:*",
        difficulty_range=LogicFamily.difficulty_range,
        task_source="generator:logic/*",
        tags=("logic", "mixture"),
    )


_register_all()
