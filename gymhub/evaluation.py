"""Evaluation: run a policy over environments and summarise pass@k, rewards and failures."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from gymhub.policies import Policy
from gymhub.rollout import Trace, arollout


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from n samples of which c passed (Chen et al., 2021)."""
    if not 0 <= c <= n or k < 1:
        raise ValueError(f"need 0 <= c <= n and k >= 1, got n={n}, c={c}, k={k}")
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


class EnvSummary(BaseModel):
    env_id: str
    episodes: int
    mean_reward: float
    mean_turns: float
    pass_at_k: dict[str, float] = Field(default_factory=dict)
    infra_errors: int = 0
    policy_errors: int = 0
    statuses: dict[str, int] = Field(default_factory=dict)
    reward_components: dict[str, float] = Field(default_factory=dict)
    mean_seconds: float = 0.0


def summarise(
    traces: Sequence[Trace], ks: Sequence[int] = (1,), success: float = 1.0
) -> list[EnvSummary]:
    """Per-env summary; pass@k groups the samples of each (env, seed)."""
    by_env: dict[str, list[Trace]] = defaultdict(list)
    for t in traces:
        by_env[t.env_id or "?"].append(t)
    out = []
    for env_id, items in by_env.items():
        scored = [t for t in items if not t.infra_error]
        groups: dict[Any, list[Trace]] = defaultdict(list)
        for t in scored:
            groups[t.seed].append(t)
        passes: dict[str, float] = {}
        for k in ks:
            vals = [
                pass_at_k(len(g), sum(t.total_reward >= success - 1e-9 for t in g), k)
                for g in groups.values()
                if len(g) >= k
            ]
            if vals:
                passes[f"pass@{k}"] = sum(vals) / len(vals)
        statuses: dict[str, int] = defaultdict(int)
        components: dict[str, list[float]] = defaultdict(list)
        for t in items:
            statuses[t.status or ("error" if t.error else "none")] += 1
            for name, value in t.reward_components.items():
                components[name].append(value)
        n = max(len(scored), 1)
        out.append(
            EnvSummary(
                env_id=env_id,
                episodes=len(items),
                mean_reward=sum(t.total_reward for t in scored) / n,
                mean_turns=sum(t.turns for t in scored) / n,
                pass_at_k=passes,
                infra_errors=sum(t.infra_error for t in items),
                policy_errors=sum(bool(t.error) and not t.infra_error for t in items),
                statuses=dict(statuses),
                reward_components={k: sum(v) / len(v) for k, v in components.items()},
                mean_seconds=sum(t.timings.total_s for t in items) / max(len(items), 1),
            )
        )
    return out


async def aevaluate(
    env_ids: Sequence[str],
    policy: Policy,
    *,
    seeds: Sequence[int],
    samples: int = 1,
    ks: Sequence[int] = (1,),
    concurrency: int = 32,
    options: dict[str, Any] | None = None,
) -> tuple[list[EnvSummary], list[Trace]]:
    """Run `samples` episodes per (env, seed) and summarise them."""
    if samples < 1:
        raise ValueError("samples must be >= 1")
    if any(k > samples for k in ks):
        raise ValueError(f"pass@k needs k <= samples ({samples}), got {list(ks)}")
    seed_list = [s for s in seeds for _ in range(samples)]
    traces = await arollout(
        list(env_ids), policy, seeds=seed_list, concurrency=concurrency, options=options
    )
    return summarise(traces, ks), traces


def evaluate(
    env_ids: Sequence[str], policy: Policy, **kwargs: Any
) -> tuple[list[EnvSummary], list[Trace]]:
    """Synchronous `aevaluate`."""
    import asyncio

    return asyncio.run(aevaluate(env_ids, policy, **kwargs))
