"""Fixtures for the browser tests: a shared Chromium host kept alive for a whole test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gymhub.envs.web.host import BrowserHost, chromium_available
from tests.conftest import require


@pytest.fixture(scope="module")
def host() -> Iterator[BrowserHost]:
    """Holds one reference on the browser host so envs made in the module share one Chromium."""
    require(chromium_available(), "Chromium (scripts/setup_browser.sh) and playwright")
    shared = BrowserHost.acquire()
    yield shared
    shared.release()
