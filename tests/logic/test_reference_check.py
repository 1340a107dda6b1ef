"""A verification whose reference cannot be checked is the caller's failure, not the policy's:
`family.verify(reply, "123")` (a gold without the task's metadata) made every family's check
raise, and the verdict was `error` (the policy's), so even the gold answer was scored 0 and a
trainer counted it. It is `infra_error` now; a reply that trips a complete task stays a policy
status."""

from __future__ import annotations

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task

discover_families()
NAMES = sorted(FAMILIES)


@pytest.mark.parametrize("name", NAMES)
def test_a_reference_without_its_metadata_is_an_infra_error_not_the_policys(name: str) -> None:
    family = FAMILIES[name]
    task = generate_task(family, 0, 0, 3)
    gold = family.format_answer(task)
    verdict = family.verify(f"<answer>{gold}</answer>", gold)  # the metadata left out
    assert verdict.status in ("infra_error", "correct", "incorrect", "unparseable"), verdict
    assert verdict.status != "error", verdict
    if verdict.status == "infra_error":
        assert "reference" in (verdict.detail or "") and verdict.reward == 0.0
    # the same task passed whole, or its gold with the metadata as context, is checked
    assert family.verify(f"<answer>{gold}</answer>", task).status == "correct"
    if "reference" not in task.metadata:
        context = dict(task.metadata)
        assert family.verify(f"<answer>{gold}</answer>", task.answer, **context).reward == 1.0


def test_most_families_need_their_metadata() -> None:
    """The check reads the puzzle from the metadata in most families (so the rule above is
    exercised): a gold alone is an infra_error there."""
    infra = 0
    for name in NAMES:
        family = FAMILIES[name]
        gold = family.format_answer(generate_task(family, 0, 0, 3))
        infra += family.verify(f"<answer>{gold}</answer>", gold).status == "infra_error"
    assert infra >= 0.5 * len(NAMES), infra
