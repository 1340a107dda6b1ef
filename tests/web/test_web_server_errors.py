"""A web env's reset that fails in the browser is the hub's failure behind `gymhub serve`: 503
with Retry-After, never the 422 that tells a client its request was wrong."""

from __future__ import annotations

import httpx
import pytest

from gymhub.envs.web.env import BrowserEnv, EpisodeLostError
from gymhub.envs.web.host import BrowserHost
from gymhub.server.background import ThreadServer

pytestmark = pytest.mark.browser
ENV_ID = "gymhub/Web-ClickButton-v0"


def test_a_reset_the_browser_cannot_open_is_503(host: BrowserHost, monkeypatch) -> None:
    async def lost(self: BrowserEnv) -> tuple[str, str | None]:
        raise EpisodeLostError("could not open the task page: net::ERR_ABORTED")

    with ThreadServer([ENV_ID]) as srv:
        ok = httpx.post(f"{srv.url}/sessions", json={"env_id": ENV_ID}, timeout=60)
        assert ok.status_code == 200, ok.text
        monkeypatch.setattr(BrowserEnv, "_open", lost)
        r = httpx.post(f"{srv.url}/sessions", json={"env_id": ENV_ID}, timeout=60)
        assert r.status_code == 503, r.text  # was 422 invalid_request
        assert int(r.headers["retry-after"]) >= 1
        assert r.json()["error"]["type"] == "resource_exhausted"
        sid = ok.json()["session_id"]
        r = httpx.post(f"{srv.url}/sessions/{sid}/reset", json={}, timeout=60)
        assert r.status_code == 503, r.text
        monkeypatch.undo()
        assert httpx.get(f"{srv.url}/health").json()["sessions"] == 1
        r = httpx.post(f"{srv.url}/sessions/{sid}/reset", json={}, timeout=60)
        assert r.status_code == 200, r.text
