"""Compare two runs task by task: a paired test per env on the tasks both runs scored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from gymhub.evaluation.stats import paired_test
from gymhub.evaluation.summary import failure_reason, success_threshold, task_key
from gymhub.rollout import Trace

SIGNIFICANCE = 0.05


def task_scores(
    traces: Sequence[Trace], success: float | None = None
) -> dict[str, dict[str, float]]:
    """env id -> task key -> success rate over that task's scored samples (a pass is `success`,
    by default the env's full reward, as in `summarise`)."""
    hits: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    thresholds: dict[str, float] = {}
    for t in traces:
        if failure_reason(t) is None:
            env = t.env_id or "?"
            if env not in thresholds:
                thresholds[env] = success_threshold(t.env_id) if success is None else success
            hits[env][task_key(t)].append(float(t.total_reward >= thresholds[env] - 1e-9))
    return {
        env: {task: sum(v) / len(v) for task, v in tasks.items()} for env, tasks in hits.items()
    }


def _task_ids(traces: Sequence[Trace]) -> dict[tuple[str, str], set[str]]:
    """(env id, task key) -> the task ids the env reported for it (seed and options name a task;
    the task id says which task that was, so a changed dataset is seen)."""
    ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t in traces:
        if failure_reason(t) is None and t.task_id is not None:
            ids[(t.env_id or "?", task_key(t))].add(t.task_id)
    return ids


def _setup(traces: Sequence[Trace]) -> dict[str, dict[str, set[str]]]:
    """env id -> what must match for two runs' scores to be compared -> the values one run has:
    the env's version, its verifier (name@version) and the turn cap the episodes were cut at."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for t in traces:
        if failure_reason(t) is not None:
            continue
        env = out[t.env_id or "?"]
        env["env version"].add(str(t.env_version))
        if t.verifier is not None:
            env["verifier"].add(t.verifier)
        run = getattr(t, "run", None) or {}
        if "max_turns" in run:
            env["max_turns"].add(str(run["max_turns"]))
    return out


def _incomparable(a: dict[str, set[str]], b: dict[str, set[str]]) -> str | None:
    """Why two runs of one env measured different things (None when they did not)."""
    for what in ("env version", "verifier", "max_turns"):
        if a.get(what) and b.get(what) and a[what] != b[what]:
            return f"{what} differs: {', '.join(sorted(a[what]))} vs {', '.join(sorted(b[what]))}"
    return None


def compare_runs(a: Sequence[Trace], b: Sequence[Trace]) -> list[dict[str, Any]]:
    """One row per env present in both runs: paired tasks, success of A and B, the difference
    B - A with its 95% interval, the p-value and whether it is significant at 5%. A seed whose
    task ids differ between the runs (the dataset changed) is not paired: `mismatched` counts
    them. An env whose runs share no scored task has `tasks` 0 and None for every figure. An env
    whose runs differ in its version, its verifier or the turn cap is refused: `tasks` 0, no
    figures, and `refused` says what differs (their scores measure different things); every
    row has `refused` (None when compared)."""
    scores_a, scores_b = task_scores(a), task_scores(b)
    ids_a, ids_b = _task_ids(a), _task_ids(b)
    setup_a, setup_b = _setup(a), _setup(b)
    rows = []
    envs_b = {t.env_id or "?" for t in b}
    for env in dict.fromkeys(t.env_id or "?" for t in a):  # every env of both runs, scored or not
        if env not in envs_b:
            continue
        refused = _incomparable(setup_a.get(env, {}), setup_b.get(env, {}))
        if refused is not None:
            rows.append(
                {"env_id": env, "tasks": 0, "mismatched": 0, "a": None, "b": None, "diff": None,
                 "ci": None, "p": None, "significant": False, "refused": refused}
            )  # fmt: skip
            continue
        both = sorted(set(scores_a.get(env, {})) & set(scores_b.get(env, {})))
        shared = [
            t
            for t in both
            if not (ids_a.get((env, t)) and ids_b.get((env, t)))
            or ids_a[(env, t)] == ids_b[(env, t)]
        ]
        mismatched = len(both) - len(shared)
        xa = [scores_a[env][t] for t in shared]
        xb = [scores_b[env][t] for t in shared]
        if not shared:  # nothing to pair: no figures (JSON has no NaN)
            rows.append(
                {"env_id": env, "tasks": 0, "mismatched": mismatched, "a": None, "b": None,
                 "diff": None, "ci": None, "p": None, "significant": False, "refused": None}
            )  # fmt: skip
            continue
        test = paired_test(xa, xb)
        rows.append(
            {
                "env_id": env,
                "tasks": len(shared),
                "mismatched": mismatched,
                "a": sum(xa) / len(xa),
                "b": sum(xb) / len(xb),
                "diff": test["mean_diff"],
                "ci": (test["ci_low"], test["ci_high"]),
                "p": test["p"],
                "significant": test["p"] < SIGNIFICANCE,
                "refused": None,
            }
        )
    return rows
