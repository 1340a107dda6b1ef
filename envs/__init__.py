"""Environment families, one subpackage each (`gymhub.envs.<family>`).

Each family's `__init__.py` only calls `gymhub.register(...)` with string entry points, so that
registering every built-in env at `import gymhub` stays cheap; heavy modules load on `make`.
"""

from __future__ import annotations

import importlib
import pkgutil


def register_builtin_envs() -> list[str]:
    """Import every family subpackage so that its `register` calls run; returns their names."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg)
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return names
