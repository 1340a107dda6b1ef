"""Web envs behind `gymhub serve`, in a real Chromium: when every browser context is taken, a new
session is refused with 503 and Retry-After (the hub ran out, the client asked nothing wrong)."""

from __future__ import annotations

import httpx
import pytest

from gymhub.envs.web.host import chromium_available
from gymhub.server.background import ProcessServer
from tests.conftest import require

pytestmark = pytest.mark.browser
ENV_ID = "gymhub/Web-EnterText-v0"


@pytest.mark.slow  # a server process that starts its own Chromium
def test_exhausted_browser_contexts_are_503_with_retry_after() -> None:
    require(chromium_available(), "Chromium (scripts/setup_browser.sh) and playwright")
    limits = {"GYMHUB_WEB_MAX_CONTEXTS": "1", "GYMHUB_WEB_ACQUIRE_TIMEOUT": "1"}
    with ProcessServer([ENV_ID], env=limits) as srv:
        first = httpx.post(f"{srv.url}/sessions", json={"env_id": ENV_ID}, timeout=120)
        assert first.status_code == 200, first.text
        second = httpx.post(f"{srv.url}/sessions", json={"env_id": ENV_ID}, timeout=120)
        assert second.status_code == 503, second.text
        assert int(second.headers["retry-after"]) >= 1
        error = second.json()["error"]
        assert error["type"] == "resource_exhausted" and "browser contexts" in error["message"]
        # once the first session is closed, its context is free again
        httpx.delete(f"{srv.url}/sessions/{first.json()['session_id']}", timeout=60)
        third = httpx.post(f"{srv.url}/sessions", json={"env_id": ENV_ID}, timeout=120)
        assert third.status_code == 200, third.text
