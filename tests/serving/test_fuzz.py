"""Garbage on every route: schemathesis drives the server from its own OpenAPI spec with valid
and invalid data (bounded examples). Nothing may be a 5xx; invalid input must be a 4xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig

_ENVS = ["gymhub/GuessNumber-v0", "gymhub/Capitals-v0"]
_EXAMPLES = 6


def _fuzz(operation, mode: GenerationMode, checked: dict[str, int]):
    label = f"{operation.method.upper()} {operation.path}"

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        response = case.call(timeout=30)
        status = response.status_code
        assert status < 500, (label, mode, case.body, response.text[:300])
        if status >= 400:
            assert response.json()["error"]["status"] == status
        if mode is GenerationMode.NEGATIVE:
            assert 400 <= status < 500, (label, case.body, status)
        checked[label] = checked.get(label, 0) + 1

    return run


@pytest.mark.slow
def test_every_route_answers_garbage_with_4xx():
    checked: dict[str, int] = {}
    with ThreadServer(_ENVS, ServerConfig(max_sessions=64, allow_reference=True)) as srv:
        schema = schemathesis.openapi.from_url(f"{srv.url}/openapi.json")
        for result in schema.get_all_operations():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _fuzz(result.ok(), mode, checked)()
                except Unsatisfiable:
                    # nothing to make invalid (a route without parameters or body)
                    assert mode is GenerationMode.NEGATIVE
    assert {"POST /sessions", "POST /sessions/{session_id}/step", "GET /health"} <= set(checked)
    assert sum(checked.values()) >= 2 * len(checked)
