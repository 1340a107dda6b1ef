"""Isolated execution of untrusted code behind one interface.

`get_sandbox(name="auto", **options) -> Sandbox`; `Sandbox.run(ExecRequest) -> ExecResult`
(`arun` for asyncio). Backends: `bwrap` (bubblewrap namespaces), `docker` (pooled warm
containers), `remote` (HTTP to `gymhub sandbox serve`), `local` (rlimits only: UNSAFE for
untrusted code); `register_backend` adds one. See docs/sandboxes.md for what each one stops.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "ExecRequest": "types",
    "ExecResult": "types",
    "Sandbox": "types",
    "build_result": "types",
    "GymhubError": "errors",
    "SandboxError": "errors",
    "SandboxConfigError": "errors",
    "UnsupportedLanguageError": "errors",
    "get_sandbox": "factory",
    "available_backends": "factory",
    "register_backend": "factory",
    "shared_sandbox": "factory",
    "close_shared_sandboxes": "factory",
    "run_process": "_proc",
    "remove_tree": "_wipe",
    "LANGUAGES": "languages",
    "Language": "languages",
    "get_language": "languages",
    "BwrapSandbox": "bwrap",
    "DockerSandbox": "docker_pool",
    "LocalSandbox": "local",
    "RemoteSandbox": "remote",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gymhub.sandboxes' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
