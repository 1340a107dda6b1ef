"""`get_sandbox(name)`: pick a backend by name, or the strongest available with `auto`."""

from __future__ import annotations

import logging
import os
from typing import Any

from gymhub.sandboxes.types import Sandbox, SandboxError

log = logging.getLogger("gymhub.sandboxes")
BACKENDS = ("docker", "bwrap", "remote", "local")


def available_backends() -> list[str]:
    """The backends usable on this machine, strongest first (remote only when configured)."""
    from gymhub.sandboxes.bwrap import bwrap_available
    from gymhub.sandboxes.docker_pool import docker_available

    found = []
    if docker_available(os.environ.get("GYMHUB_SANDBOX_IMAGE", "gymhub-sandbox:latest")):
        found.append("docker")
    if bwrap_available():
        found.append("bwrap")
    if os.environ.get("GYMHUB_SANDBOX_URL"):
        found.append("remote")
    found.append("local")
    return found


def get_sandbox(name: str = "auto", **options: Any) -> Sandbox:
    """A sandbox backend: `docker`, `bwrap`, `remote`, `local`, or `auto`.

    `auto` takes the strongest isolating backend that works here (docker, then bwrap, then a
    configured remote) and logs which; the GYMHUB_SANDBOX environment variable overrides the
    choice. It never falls back to the unsafe `local` backend unless `allow_local=True`.
    """
    if name == "auto":
        name = os.environ.get("GYMHUB_SANDBOX", "auto")
    allow_local = bool(options.pop("allow_local", False))
    if name == "auto":
        found = available_backends()
        for candidate in ("docker", "bwrap", "remote"):
            if candidate in found:
                log.info("gymhub sandbox: auto picked %s (available: %s)", candidate, found)
                return get_sandbox(candidate, **options)
        if allow_local:
            log.warning("gymhub sandbox: no isolating backend available; using UNSAFE local")
            return get_sandbox("local", **options)
        raise SandboxError(
            "no isolating sandbox backend is available (install bubblewrap or run a Docker "
            "engine with the sandbox image; see scripts/setup_sandboxes.sh), and allow_local "
            "was not set"
        )
    if name == "bwrap":
        from gymhub.sandboxes.bwrap import BwrapSandbox

        return BwrapSandbox(**options)
    if name == "docker":
        from gymhub.sandboxes.docker_pool import DockerSandbox

        return DockerSandbox(**options)
    if name == "remote":
        from gymhub.sandboxes.remote import RemoteSandbox

        return RemoteSandbox(**options)
    if name == "local":
        from gymhub.sandboxes.local import LocalSandbox

        return LocalSandbox(**options)
    raise ValueError(f"unknown sandbox backend {name!r}; choose one of {['auto', *BACKENDS]}")
