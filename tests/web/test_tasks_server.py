"""The task suite and the local task server, without a browser (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import random
import urllib.error
import urllib.parse
import urllib.request

import pytest

import gymhub
from gymhub.envs.web.server import SiteState, TaskServer
from gymhub.envs.web.tasks import TASKS


def test_suite_has_at_least_15_registered_tasks() -> None:
    assert len(TASKS) >= 15
    ids = {s.id for s in gymhub.list_envs(family="web")}
    assert {f"gymhub/Web-{name}-v0" for name in TASKS} == ids  # the task table is the registry
    assert [s.id for s in gymhub.list_envs(family="gui")] == ["gymhub/GUIGround-v0"]
    assert "image" in gymhub.spec("gymhub/GUIGround-v0").modalities


@pytest.mark.parametrize("name", sorted(TASKS))
def test_tasks_are_seeded_and_scripted(name: str) -> None:
    cls = TASKS[name]
    a, b = cls(random.Random(7), 2), cls(random.Random(7), 2)
    assert a.goal == b.goal and a.plan == b.plan
    goals = {cls(random.Random(s), 2).goal for s in range(8)}
    assert len(goals) > 1, "the goal does not depend on the seed"
    assert 0 < len(a.plan) < cls.max_steps
    for d in range(1, 6):  # every difficulty draws a valid task
        assert cls(random.Random(d), d).goal
    # nothing submitted: not done, and the check says so
    assert a.score(SiteState(), None)[0] == 0.0
    assert a.render("GET", "", {}, SiteState()) is not None
    assert a.render("GET", "no/such/page", {}, SiteState()) is None


def _request(url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_server_binds_localhost_and_routes_by_token() -> None:
    server = TaskServer()
    server.start()
    try:
        assert server.origin.startswith("http://127.0.0.1:")
        task = TASKS["ClickButton"](random.Random(0), 1)
        site = server.add_site(task)
        status, html = _request(server.origin + site.prefix)
        assert status == 200 and f"<base href='{site.prefix}'>" in html
        assert _request(server.origin + "/ep/not-a-token/")[0] == 404
        assert _request(server.origin + "/elsewhere")[0] == 404
        target = task.labels[task.target]
        status, _ = _request(server.origin + site.prefix + "submit", {"choice": target})
        assert status == 200 and site.state.done and site.state.outcome == {"choice": target}
        assert task.score(site.state, None) == (1.0, "task completed")
        # a second submission does not change the recorded outcome
        _request(server.origin + site.prefix + "submit", {"choice": "other"})
        assert site.state.outcome == {"choice": target}
        server.remove_site(site)
        assert _request(server.origin + site.prefix)[0] == 404
    finally:
        server.stop()


def test_server_refuses_huge_bodies() -> None:
    server = TaskServer()
    server.start()
    try:
        site = server.add_site(TASKS["EnterText"](random.Random(0), 1))
        try:
            status, _ = _request(server.origin + site.prefix + "submit", {"text": "x" * (2 << 20)})
        except urllib.error.URLError:  # the server answers 413 and closes before reading it all
            status = 413
        assert status == 413 and not site.state.done
        assert _request(server.origin + site.prefix)[0] == 200  # and keeps serving
    finally:
        server.stop()


def test_wrong_outcomes_score_zero() -> None:
    task = TASKS["ShopCheckout"](random.Random(3), 2)
    state = SiteState(done=True, outcome={"name": task.buyer}, data={"cart": []})
    assert task.score(state, None)[0] == 0
    state.data["cart"] = list(task.targets) + [task.targets[0]]  # one too many
    assert task.score(state, None)[0] == 0
    state.data["cart"] = list(reversed(task.targets))
    assert task.score(state, None)[0] == 1
    report = TASKS["ReadReport"](random.Random(1), 1)
    assert report.score(SiteState(), "no idea")[0] == 0
    assert report.score(SiteState(), f"The SKU is {report.skus[report.target]}")[0] == 1
