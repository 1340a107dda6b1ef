"""Typed fields are read surrounding spaces aside in every task that asks for typed text, as the
docs' table of accepted answers says (no browser needed: the tasks' own server code)."""

from __future__ import annotations

import random

from gymhub.envs.web.server import SiteState
from gymhub.envs.web.tasks import TASKS


def test_login_reads_its_fields_surrounding_spaces_aside() -> None:
    task = TASKS["LoginUser"](random.Random(4), 1)
    user, password = task.user, task.password
    padded = SiteState(done=True, outcome={"username": f" {user} ", "password": f"{password}\n"})
    assert task.score(padded, None)[0] == 1  # scored 0: the username was compared as typed
    for wrong in (
        {"username": user, "password": password + "x"},
        {"username": [user, user], "password": password},  # a field sent twice: a list
        {"username": user},
        {"username": f"{user} {password}", "password": password},
    ):
        assert task.score(SiteState(done=True, outcome=wrong), None)[0] == 0, wrong


def test_validated_form_accepts_what_its_check_accepts() -> None:
    task = TASKS["ValidatedForm"](random.Random(2), 1)
    params = {k: [f"  {v} "] for k, v in task.values.items()}
    state = SiteState()
    task.render("POST", "register", params, state)
    # " 555-1234" was refused by the form's own validation, so the right entry never scored
    assert state.done and task.score(state, None)[0] == 1
    bad = SiteState()
    task.render("POST", "register", {**params, "phone": ["5551234"]}, bad)
    assert not bad.done
