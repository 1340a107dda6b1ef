"""Making a logic env looks its family up without listing the families folder again: the scan
(~4 ms) ran on every `LogicEnv` made, which the trainer adapters' dataset export and every
consumer without an env pool paid per episode."""

from __future__ import annotations

import pytest

import gymhub
import gymhub.envs.logic as logic
from gymhub.envs.logic.env import get_family


def test_a_registered_family_is_found_without_a_rescan(monkeypatch):
    gymhub.make("gymhub/Logic-Sudoku-v0")  # every family imported once
    scans = []
    monkeypatch.setattr(logic, "discover_families", lambda: scans.append(1) or logic.FAMILIES)
    for _ in range(3):
        gymhub.make("gymhub/Logic-Sudoku-v0")
    assert get_family("sudoku").name == "sudoku"
    assert scans == []


def test_an_unknown_family_is_still_named_after_a_scan():
    with pytest.raises(ValueError, match="unknown logic family 'no_such_family'"):
        get_family("no_such_family")
