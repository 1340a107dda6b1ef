"""Per-env summaries of evaluation traces.

An episode that *failed* (the policy call or the env raised, or the env's verdict was
`infra_error`) says nothing about the policy's skill: it is counted apart with its reason and left
out of pass@k, mean reward and every other score. Tasks are `(seed, options)`; the samples of one
task are ordered by their sample index, so mean@k and maj@k are deterministic.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from gymhub.evaluation.stats import bootstrap_ci, maj_at_k, mean_at_k, pass_at_k
from gymhub.rollout import Trace

SUCCESS = 1.0


class EvalTrace(Trace):
    """A trace plus what makes it one sample of an evaluation run."""

    sample: int = 0
    run: dict[str, Any] = Field(default_factory=dict)
    #: why the policy's last reply could not be used as an action (the episode then ended scored
    #: as `unparseable`: the model's failure, not the hub's)
    policy_fault: str | None = None
    #: a digest of the task pinned by the reset option `task` (the trace's options leave the task
    #: out), so entries pinning different tasks on one seed stay different jobs and tasks
    task_pin: str | None = None


def task_pin(options: dict[str, Any] | None) -> str | None:
    """Digest of the reset option `task`, or None when no task is pinned."""
    if not options or options.get("task") is None:
        return None
    text = json.dumps(options["task"], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class EnvSummary(BaseModel):
    env_id: str
    family: str | None = None
    episodes: int
    scored: int = 0
    #: tasks with at least one scored sample: what pass@k and the mean reward average over
    tasks: int = 0
    #: None when no episode was scored (all failed): no figure, never a 0 the model did not earn
    mean_reward: float | None
    mean_turns: float | None
    pass_at_k: dict[str, float] = Field(default_factory=dict)
    mean_at_k: dict[str, float] = Field(default_factory=dict)
    maj_at_k: dict[str, float] = Field(default_factory=dict)
    ci: dict[str, tuple[float, float]] = Field(default_factory=dict)
    #: k -> tasks with fewer than k scored samples (the rest failed): their pass@k, mean@k and
    #: maj@k are taken over the samples they have
    tasks_short: dict[str, int] = Field(default_factory=dict)
    failed: int = 0
    failures: dict[str, int] = Field(default_factory=dict)
    infra_errors: int = 0
    policy_errors: int = 0
    statuses: dict[str, int] = Field(default_factory=dict)
    reward_components: dict[str, float] = Field(default_factory=dict)
    by_difficulty: dict[str, dict[str, float]] = Field(default_factory=dict)
    mean_seconds: float = 0.0
    mean_response_chars: float = 0.0


def failure_reason(trace: Trace) -> str | None:
    """Why an episode failed, or None when it was scored (policy mistakes are scored, not failed)."""
    if trace.error:
        return trace.error
    if trace.infra_error or trace.status == "infra_error":  # the flag or the verdict: either
        return f"env verdict infra_error ({trace.status or 'no detail'})"  # is the hub's failure
    return None


def is_infra_error(trace: Trace) -> bool:
    """The hub failed (not the policy): the env's flag or its `infra_error` verdict."""
    return bool(trace.infra_error or trace.status == "infra_error")


def _reason_key(reason: str) -> str:
    first = reason.splitlines()[0] if reason else "unknown"
    return first[:160]


def task_key(trace: Trace) -> str:
    pin = getattr(trace, "task_pin", None)
    parts = [trace.seed, trace.options] if pin is None else [trace.seed, trace.options, pin]
    return json.dumps(parts, sort_keys=True, default=str)


def final_answer(trace: Trace) -> str | None:
    """What maj@k votes on: the last non-empty reply, whitespace-normalised; when it marks its
    answer (the last `<answer>...</answer>` or `\\boxed{...}`, the forms the hub's envs ask
    for), only that answer, so samples that reason differently but answer alike agree (their
    whole texts never did: maj@k was the first sample's pass). Core stays below the verifiers:
    no further extraction. A reply's tool calls are part of it (name and arguments): in a tool
    env the final call is the answer, and text alone would leave every sample without a vote,
    or voting on an earlier turn's text."""
    for message in reversed(trace.messages):
        if message.role != "assistant":
            continue
        calls = [
            f"{c.name}({json.dumps(c.arguments, sort_keys=True, default=str)})"
            for c in message.tool_calls or []
        ]
        text = message.text
        marked = _marked_answer(text)
        answer = " ".join([*(text if marked is None else marked).split(), *calls])
        if answer:
            return answer
    return None


_ANSWER_OPEN = re.compile(r"<answer>", re.IGNORECASE)
_ANSWER_CLOSE = re.compile(r"</answer>", re.IGNORECASE)


def _last(matches: Any) -> Any:
    found = None
    for found in matches:  # noqa: B007 - the last one is wanted
        pass
    return found


def _marked_answer(text: str) -> str | None:
    """The content of the last `<answer>` tag, else of the last `\\boxed{}` (braces matched);
    None when the text marks no answer. Linear: two searches of a literal and one scan."""
    close = _last(_ANSWER_CLOSE.finditer(text))
    if close is not None:
        opened = _last(_ANSWER_OPEN.finditer(text, 0, close.start()))
        if opened is not None:
            return text[opened.end() : close.start()]
    start = text.rfind("\\boxed{")
    if start == -1:
        return None
    depth, i = 0, start + len("\\boxed")
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j]
    return None  # an unclosed box: no marked answer


def _passed(trace: Trace, success: float) -> bool:
    return trace.total_reward >= success - 1e-9


def success_threshold(env_id: str | None) -> float:
    """The reward that counts as a pass on `env_id`: its spec's `max_reward` (the full reward),
    1.0 for an env this process does not know (one reached only through a server)."""
    import math

    import gymhub

    try:
        value = float(gymhub.spec(env_id).max_reward) if env_id else SUCCESS
    except Exception:
        return SUCCESS
    return value if math.isfinite(value) and value > 0 else SUCCESS


def _family(env_id: str) -> str | None:
    import gymhub

    try:
        return gymhub.spec(env_id).family
    except Exception:
        return None


def summarise(
    traces: Sequence[Trace], ks: Sequence[int] = (1,), success: float | None = None
) -> list[EnvSummary]:
    """One summary per env, in the order envs first appear. A sample passes with the full reward:
    `success`, or by default each env's `max_reward` (`success_threshold`), so a reward of 1 on
    an env scored out of 10 is not a pass."""
    if success is not None and not (isinstance(success, (int, float)) and 0 < success < 1e300):
        raise ValueError(f"success must be a finite number > 0, got {success!r}")
    by_env: dict[str, list[Trace]] = defaultdict(list)
    for t in traces:
        by_env[t.env_id or "?"].append(t)
    return [
        _summarise_env(env_id, items, ks, success_threshold(env_id) if success is None else success)
        for env_id, items in by_env.items()
    ]


def _summarise_env(
    env_id: str, items: list[Trace], ks: Sequence[int], success: float
) -> EnvSummary:
    scored = [t for t in items if failure_reason(t) is None]
    failures = Counter(_reason_key(r) for t in items if (r := failure_reason(t)) is not None)
    groups: dict[str, list[Trace]] = defaultdict(list)
    for t in sorted(scored, key=lambda t: getattr(t, "sample", 0)):
        groups[task_key(t)].append(t)
    ordered = [groups[key] for key in sorted(groups)]
    passes: dict[str, float] = {}
    means: dict[str, float] = {}
    majs: dict[str, float] = {}
    ci: dict[str, tuple[float, float]] = {}
    short: dict[str, int] = {}
    for k in ks:
        if not ordered:
            continue
        # every k covers the same tasks: one with fewer than k scored samples (the others
        # failed) gives its figure over the n it has (for pass@k a lower bound), never drops out
        if lacking := sum(len(g) < k for g in ordered):
            short[str(k)] = lacking
        per_task = [
            pass_at_k(len(g), sum(_passed(t, success) for t in g), min(k, len(g))) for g in ordered
        ]
        passes[f"pass@{k}"] = sum(per_task) / len(per_task)
        ci[f"pass@{k}"] = bootstrap_ci(per_task)
        per_task_mean = [mean_at_k([t.total_reward for t in g], min(k, len(g))) for g in ordered]
        means[f"mean@{k}"] = sum(per_task_mean) / len(per_task_mean)
        per_task_maj = [
            maj_at_k([final_answer(t) for t in g], [_passed(t, success) for t in g], min(k, len(g)))
            for g in ordered
        ]
        majs[f"maj@{k}"] = sum(per_task_maj) / len(per_task_maj)
    task_rewards = [sum(t.total_reward for t in g) / len(g) for g in ordered]
    if task_rewards:
        # on the scale of the rewards' range (0 to the env's full reward, wider when a reward lies
        # outside it: a penalty below 0), so every env gets the same small-sample floor (the
        # Wilson bound): one task rewarded -1 was the certain interval [-1, -1]
        low_r, high_r = min(0.0, *task_rewards), max(success, *task_rewards)
        span = high_r - low_r
        lo, hi = bootstrap_ci([(r - low_r) / span for r in task_rewards])
        ci["mean_reward"] = (low_r + lo * span, low_r + hi * span)
    statuses = Counter(t.status or ("error" if t.error else "none") for t in items)
    # per task first, then over tasks (as the mean reward and pass@k): a task with 8 scored
    # samples weighed 8 times one whose other samples failed
    components: dict[str, list[float]] = defaultdict(list)
    difficulty: dict[str, list[float]] = defaultdict(list)
    episodes_at: Counter[str] = Counter()
    for group in ordered:
        named: dict[str, list[float]] = defaultdict(list)
        for t in group:
            for name, value in t.reward_components.items():
                named[name].append(value)
        for name, values in named.items():
            components[name].append(sum(values) / len(values))
        level = str(group[0].options.get("difficulty", "default"))
        difficulty[level].append(sum(_passed(t, success) for t in group) / len(group))
        episodes_at[level] += len(group)
    replies = [m.text for t in scored for m in t.messages if m.role == "assistant"]
    return EnvSummary(
        env_id=env_id,
        family=_family(env_id),
        episodes=len(items),
        scored=len(scored),
        tasks=len(ordered),
        # per task, then over tasks: the statistic its interval and pass@k describe (a task
        # whose samples partly failed weighs as much as one whose samples all scored)
        mean_reward=sum(task_rewards) / len(task_rewards) if task_rewards else None,
        mean_turns=sum(t.turns for t in scored) / len(scored) if scored else None,
        pass_at_k=passes,
        mean_at_k=means,
        maj_at_k=majs,
        ci=ci,
        tasks_short=short,
        failed=len(items) - len(scored),
        failures=dict(failures),
        infra_errors=sum(is_infra_error(t) for t in items),
        policy_errors=sum(bool(t.error) and not is_infra_error(t) for t in items),
        statuses=dict(statuses),
        reward_components={k: sum(v) / len(v) for k, v in components.items()},
        by_difficulty={
            d: {"episodes": episodes_at[d], "tasks": len(v), "success": sum(v) / len(v)}
            for d, v in sorted(difficulty.items())
        },
        mean_seconds=sum(t.timings.total_s for t in items) / max(len(items), 1),
        mean_response_chars=sum(map(len, replies)) / max(len(replies), 1),
    )


def by_family(summaries: Sequence[EnvSummary]) -> dict[str, dict[str, float]]:
    """Family-level rollup: mean reward and pass@1 over the family's tasks (each env weighted by
    its scored tasks, as each env's own figures are task means). Weighting by episodes made an
    env run with 8 samples per task count 8 times as much as one run with 1."""
    out: dict[str, dict[str, float]] = {}
    for family in sorted({s.family or "?" for s in summaries}):
        members = [s for s in summaries if (s.family or "?") == family]
        scored = sum(s.scored for s in members)
        row = {
            "envs": float(len(members)),
            "scored": float(scored),
            "failed": float(sum(s.failed for s in members)),
        }
        weights = [_tasks(s) for s in members]
        if sum(weights):  # no scored episode, no reward figure
            row["tasks"] = float(sum(weights))
            row["mean_reward"] = sum(
                (s.mean_reward or 0.0) * w for s, w in zip(members, weights)
            ) / sum(weights)
        with_pass = [(s, w) for s, w in zip(members, weights) if "pass@1" in s.pass_at_k and w]
        if with_pass:
            total = sum(w for _, w in with_pass)
            row["pass@1"] = sum(s.pass_at_k["pass@1"] * w for s, w in with_pass) / total
        out[family] = row
    return out


def _tasks(summary: EnvSummary) -> int:
    """Scored tasks of a summary (one made before `tasks` existed: its scored episodes)."""
    return summary.tasks or (summary.scored if summary.mean_reward is not None else 0)
