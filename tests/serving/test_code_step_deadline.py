"""A code task's step runs the policy's program on every test: however low a server's
`--step-timeout`, a program that runs out its time limits is the policy's `timeout`, never the
hub's `infra_error` (Code-v0 declared no step budget, so a 1 s server deadline cut a 5 s test
short and the step was masked instead of scored)."""

from __future__ import annotations

import httpx

import gymhub
from gymhub.sandboxes.factory import available_backends
from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig, step_deadline_s
from gymhub.verifiers import CodeVerifier
from tests.conftest import require

LOOP = "```python\nwhile True:\n    pass\n```"


def test_a_program_that_runs_out_its_time_is_scored_through_a_server():
    require(
        any(b in available_backends() for b in ("bwrap", "docker")), "a bwrap or docker sandbox"
    )
    env_id = "gymhub/Code-v0"
    with ThreadServer([env_id], ServerConfig(step_timeout_s=1.0)) as srv:
        created = httpx.post(f"{srv.url}/sessions", json={"env_id": env_id, "seed": 0}).json()
        url = f"{srv.url}/sessions/{created['session_id']}"
        assert httpx.get(url).json()["step_deadline_s"] > 60
        step = httpx.post(f"{url}/step", json={"action": LOOP}, timeout=300).json()
    assert step["info"]["verdict"] == "timeout", step["info"]
    assert not step["info"].get("infra_error")
    assert step["reward"] == 0.0


def test_the_step_budget_follows_the_task_and_the_verifier():
    verifier = CodeVerifier(timeout_s=1.0, total_timeout_s=20.0, compile_timeout_s=30.0)
    few = {"tests": [{"stdin": "", "expected_stdout": ""}] * 2}
    many = {"tests": [{"stdin": "", "expected_stdout": ""}] * 200}
    checked = {**few, "checker": {"language": "python", "code": "pass", "timeout_s": 10}}
    assert verifier.time_limit_s(few) >= 20 + 30 + 2 * 0.5 + 3
    assert verifier.time_limit_s(many) >= verifier.time_limit_s(few) + 99
    assert verifier.time_limit_s(checked) >= verifier.time_limit_s(few) + 30 + 20
    for env_id, runs in (("gymhub/Code-v0", 1), ("gymhub/CodeFeedback-v0", 2)):
        env = gymhub.make(env_id)
        try:
            env.reset(seed=0)
            limit = env.verifier.time_limit_s(env.task.answer)
            compile_s = env.verifier.compile_timeout_s  # compiled once, then cached
            assert env.step_budget_s >= runs * limit - (runs - 1) * compile_s
            assert step_deadline_s(env, 1.0) > env.step_budget_s
            assert step_deadline_s(env, 1000.0) == 1000.0  # never below the server's own
        finally:
            env.close()
