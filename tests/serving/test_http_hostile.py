"""HTTP requests a person gets wrong: the answer says what to change."""

from __future__ import annotations

import httpx
import pytest

from gymhub.server.background import ThreadServer

BODY = b'{"env_id": "gymhub/Capitals-v0"}'


@pytest.fixture(scope="module")
def server():
    with ThreadServer(["gymhub/Capitals-v0"]) as srv:
        yield srv


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded"],  # the last is curl -d's
)
def test_a_json_body_sent_without_the_json_content_type_is_named(server, content_type):
    headers = {"content-type": content_type} if content_type else {}
    r = httpx.post(server.url + "/sessions", content=BODY, headers=headers)
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert "Content-Type: application/json" in message
    assert (content_type or "no Content-Type") in message


def test_a_wrong_json_body_still_names_its_field(server):
    r = httpx.post(server.url + "/sessions", json={"env_id": 5})
    assert r.status_code == 422 and "env_id" in r.json()["error"]["message"]
    r = httpx.post(server.url + "/sessions", json=[1])
    assert r.status_code == 422 and "Content-Type" not in r.json()["error"]["message"]
