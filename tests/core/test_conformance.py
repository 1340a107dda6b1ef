"""Every registered environment passes the conformance checker (new envs are covered
automatically). Browser-based families need Chromium: in CI its absence is a failure."""

from __future__ import annotations

import shutil

import pytest

import gymhub
from tests.conftest import require

ALL_IDS = [s.id for s in gymhub.list_envs()]
BROWSER_FAMILIES = {"web", "gui"}


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_env_passes_conformance(env_id):
    spec = gymhub.spec(env_id)
    if spec.family in BROWSER_FAMILIES:
        import os

        path = os.environ.get("GYMHUB_CHROMIUM") or shutil.which("chromium")
        require(bool(path), "Chromium")
    report = gymhub.check_env(env_id)
    assert report.passed, report.summary()
