"""Every registered environment passes the conformance checker (new envs are covered
automatically). Browser-based families need Chromium: in CI its absence is a failure."""

from __future__ import annotations

import pytest

import gymhub
from tests.conftest import require

ALL_IDS = [s.id for s in gymhub.list_envs()]
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
