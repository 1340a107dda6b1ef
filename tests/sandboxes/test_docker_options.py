"""The docker pool's options: the engine reads 0 memory, pids, CPUs or tmpfs size as "no limit",
so a zero or a wrong type must be refused, not run unconfined. No engine is needed: the options
are checked before it is reached."""

from __future__ import annotations

import pytest

from gymhub.sandboxes.docker_pool import DockerSandbox
from gymhub.sandboxes.errors import SandboxConfigError


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("memory_mb", 0),
        ("memory_mb", -1),
        ("memory_mb", 8),
        ("memory_mb", "1024"),
        ("memory_mb", 512.5),
        ("memory_mb", True),
        ("disk_mb", 0),
        ("disk_mb", None),
        ("pids_limit", 0),
        ("pids_limit", -1),
        ("cpus", 0),
        ("cpus", 0.0),
        ("cpus", -1.0),
        ("cpus", float("nan")),
        ("cpus", float("inf")),
        ("cpus", "1"),
        ("pool_size", 0),
        ("pool_size", 2.0),
        ("image", ""),
        ("image", None),
    ],
)
def test_options_that_would_lift_a_limit_are_refused(option, value):
    with pytest.raises(SandboxConfigError, match=option):
        DockerSandbox(**{option: value})
