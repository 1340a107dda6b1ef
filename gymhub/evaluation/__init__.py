"""Evaluation: run a policy over environments, stream traces, and summarise pass@k, rewards and
failures with confidence intervals (see docs/evaluation.md).

Modules: `run` (jobs, JSONL streaming, resume), `summary` (per-env figures), `stats` (estimators),
`suites` (named YAML suites), `rescore`, `compare`, `report` (HTML), `inspect` (Inspect AI).
"""

from __future__ import annotations

from gymhub.evaluation.run import aevaluate, evaluate, read_traces, write_traces
from gymhub.evaluation.stats import bootstrap_ci, maj_at_k, mean_at_k, paired_test, pass_at_k
from gymhub.evaluation.summary import EnvSummary, EvalTrace, by_family, summarise

__all__ = [
    "EnvSummary",
    "EvalTrace",
    "aevaluate",
    "bootstrap_ci",
    "by_family",
    "evaluate",
    "maj_at_k",
    "mean_at_k",
    "paired_test",
    "pass_at_k",
    "read_traces",
    "summarise",
    "write_traces",
]
