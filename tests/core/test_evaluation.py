from __future__ import annotations

import math

import pytest

import gymhub
from gymhub.evaluation import pass_at_k
from gymhub.policies import ScriptedPolicy


def test_pass_at_k_matches_the_definition():
    # brute force: probability that a random k-subset of n samples contains a pass
    from itertools import combinations

    for n, c, k in [(5, 2, 1), (5, 2, 3), (6, 0, 2), (4, 4, 2), (10, 3, 5)]:
        samples = [True] * c + [False] * (n - c)
        subsets = list(combinations(range(n), k))
        expected = sum(any(samples[i] for i in s) for s in subsets) / len(subsets)
        assert math.isclose(pass_at_k(n, c, k), expected)
    with pytest.raises(ValueError):
        pass_at_k(3, 4, 1)


def test_evaluate_reports_per_env():
    summaries, traces = gymhub.evaluate(
        ["gymhub/Capitals-v0", "gymhub/GuessNumber-v0"],
        gymhub.ReferencePolicy(),
        seeds=range(3),
        samples=2,
        ks=(1, 2),
    )
    assert len(traces) == 12
    by_id = {s.env_id: s for s in summaries}
    assert by_id["gymhub/Capitals-v0"].pass_at_k == {"pass@1": 1.0, "pass@2": 1.0}
    assert by_id["gymhub/GuessNumber-v0"].mean_turns > 1
    wrong, _ = gymhub.evaluate(
        ["gymhub/Capitals-v0"], ScriptedPolicy(["<answer>Atlantis</answer>"]), seeds=range(4)
    )
    assert wrong[0].mean_reward == 0.0 and wrong[0].statuses == {"incorrect": 4}
    with pytest.raises(ValueError, match="k <= samples"):
        gymhub.evaluate(
            ["gymhub/Capitals-v0"], gymhub.ReferencePolicy(), seeds=[0], samples=1, ks=(2,)
        )
