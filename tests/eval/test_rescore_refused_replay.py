"""A stored trace whose seed or options are refused now is kept and noted, not a crash of the
whole re-scoring (rollouts raise on a caller's bad seed or options instead of masking them)."""

from __future__ import annotations

import asyncio

from gymhub.evaluation import evaluate
from gymhub.evaluation.rescore import arescore
from gymhub.policies import ReferencePolicy


def test_refused_options_or_seed_keep_the_old_verdict_with_a_note():
    _, traces = evaluate(["gymhub/GuessNumber-v0"], ReferencePolicy(), seeds=range(3))
    assert all(t.status == "correct" for t in traces)
    traces[0].options = {"no_such_option": 1}
    traces[1].seed = -4
    new, changes = asyncio.run(arescore(traces))
    assert [t.status for t in new] == ["correct"] * 3
    notes = {c.seed: c.note for c in changes}
    assert len(changes) == 2
    assert "cannot be replayed" in notes[traces[0].seed] and "no_such_option" in notes[0]
    assert "cannot be replayed" in notes[-4] and "non-negative" in notes[-4]
