"""Adapters are tested against the real outside packages, installed through their extras.

`require_package(name)` follows the project's rule: in CI (CI=true) a missing package fails the
test, elsewhere it skips with the install hint.
"""

from __future__ import annotations

import importlib.util

from tests.conftest import require


def require_package(module: str, extra: str) -> None:
    """Fail in CI, skip elsewhere, when the outside package `module` is not installed."""
    require(
        importlib.util.find_spec(module) is not None,
        f"the '{module}' package (pip install 'gymhub[{extra}]')",
    )
