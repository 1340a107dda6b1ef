"""Every generated logic task stays byte-identical: prompt, gold, id, answer and metadata of
seeds x difficulties for every family env and Logic-Mix hash to the stored fingerprint.

A change that alters generated tasks on purpose must bump the family's version and refresh the
stored value: `python -m tests.logic.fingerprint --write`.
"""

from __future__ import annotations

import json

from tests.logic.fingerprint import STORE, digests, fingerprint

STORED = json.loads(STORE.read_text())


def test_generated_tasks_are_byte_identical() -> None:
    per_env = digests()
    changed = sorted(k for k, v in per_env.items() if STORED["per_env"].get(k) != v)
    assert not changed, f"generated tasks changed for {changed}"
    assert sorted(per_env) == sorted(STORED["per_env"])
    assert fingerprint(per_env) == STORED["fingerprint"]
