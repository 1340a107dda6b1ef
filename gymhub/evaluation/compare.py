"""Compare two runs task by task: a paired test per env on the tasks both runs scored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from gymhub.evaluation.stats import paired_test
from gymhub.evaluation.summary import SUCCESS, failure_reason, task_key
from gymhub.rollout import Trace

SIGNIFICANCE = 0.05


def task_scores(traces: Sequence[Trace], success: float = SUCCESS) -> dict[str, dict[str, float]]:
    """env id -> task key -> success rate over that task's scored samples."""
    hits: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for t in traces:
        if failure_reason(t) is None:
            hits[t.env_id or "?"][task_key(t)].append(float(t.total_reward >= success - 1e-9))
    return {
        env: {task: sum(v) / len(v) for task, v in tasks.items()} for env, tasks in hits.items()
    }


def compare_runs(a: Sequence[Trace], b: Sequence[Trace]) -> list[dict[str, Any]]:
    """One row per env present in both runs: paired tasks, success of A and B, the difference
    B - A with its 95% interval, the p-value and whether it is significant at 5%. An env whose
    runs share no scored task has `tasks` 0 and None for every figure."""
    scores_a, scores_b = task_scores(a), task_scores(b)
    rows = []
    for env in [e for e in scores_a if e in scores_b]:
        shared = sorted(set(scores_a[env]) & set(scores_b[env]))
        xa = [scores_a[env][t] for t in shared]
        xb = [scores_b[env][t] for t in shared]
        if not shared:  # nothing to pair: no figures (JSON has no NaN)
            rows.append(
                {"env_id": env, "tasks": 0, "a": None, "b": None, "diff": None,
                 "ci": None, "p": None, "significant": False}
            )  # fmt: skip
            continue
        test = paired_test(xa, xb)
        rows.append(
            {
                "env_id": env,
                "tasks": len(shared),
                "a": sum(xa) / len(xa),
                "b": sum(xb) / len(xb),
                "diff": test["mean_diff"],
                "ci": (test["ci_low"], test["ci_high"]),
                "p": test["p"],
                "significant": test["p"] < SIGNIFICANCE,
            }
        )
    return rows
