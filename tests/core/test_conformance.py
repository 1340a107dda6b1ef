"""Every registered environment passes the conformance checker (new envs are covered
automatically). Browser-based families need Chromium: in CI its absence is a failure."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import gymhub
from tests.conftest import require

TESTS_DIR = Path(__file__).resolve().parents[1]


def _defined_in_tests(spec: gymhub.EnvSpec) -> bool:
    """An env some test module registered to misbehave on purpose (a step that raises, NaN
    rewards): which of those exist at collection depends on the order test modules import."""
    entry = spec.entry_point
    name = entry.split(":", 1)[0] if isinstance(entry, str) else getattr(entry, "__module__", "")
    module_file = getattr(sys.modules.get(name), "__file__", None)
    return module_file is not None and TESTS_DIR in Path(module_file).resolve().parents


ALL_IDS = [s.id for s in gymhub.list_envs() if not _defined_in_tests(s)]
BROWSER_FAMILIES = {"web", "gui"}


@pytest.fixture(scope="module")
def shared_browser():
    """Keep one Chromium up across the browser envs of this module (each check opens and closes
    several envs; without a standing reference every close would stop the browser)."""
    holder: dict[str, object] = {}
    yield holder
    host = holder.get("host")
    if host is not None:
        host.release()


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_env_passes_conformance(env_id, shared_browser):
    spec = gymhub.spec(env_id)
    if spec.family in BROWSER_FAMILIES:
        from gymhub.envs.web.host import BrowserHost, chromium_available

        require(chromium_available(), "Chromium")
        if "host" not in shared_browser:
            shared_browser["host"] = BrowserHost.acquire()
    if spec.family == "code":
        from gymhub.sandboxes import available_backends

        require(
            bool(set(available_backends()) & {"bwrap", "docker"}), "bubblewrap or a Docker engine"
        )
    report = gymhub.check_env(env_id)
    assert report.passed, report.summary()
