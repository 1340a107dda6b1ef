"""Inspect AI adapter: any gymhub env as an Inspect `Task`.

`gymhub_task("gymhub/MathGen-v0", seeds=range(50), epochs=4, pass_at=(1, 4))` gives a Task whose
dataset is one sample per seed, whose solver plays the env's episode with the Inspect model (one
`generate` per turn, the env's feedback appended as user messages), and whose scorer reads the
env's verdict: CORRECT for the full reward (the env's `max_reward`), INCORRECT otherwise. An episode the hub failed
(`infra_error`, the env raised) is a sample error (`HubFailure`, with the reason): Inspect leaves
it out of the metrics and `eval_retry` runs it again (NOANSWER would count as 0 in accuracy).
Epochs reduce with the mean and Inspect's `pass_at_k` reducers.

Needs `inspect-ai` (the `gymhub[inspect]` extra); imported lazily, so gymhub never requires it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gymhub.types import Message

SUCCESS = 1.0


class HubFailure(RuntimeError):
    """The env (the hub), not the model, failed this sample."""


def _to_inspect(message: Message) -> Any:
    from inspect_ai.model import ChatMessageAssistant, ChatMessageSystem, ChatMessageUser

    kinds = {"system": ChatMessageSystem, "assistant": ChatMessageAssistant}
    return kinds.get(message.role, ChatMessageUser)(content=message.text)


def env_solver(env_id: str, max_turns: int = 8, env_kwargs: dict[str, Any] | None = None) -> Any:
    """An Inspect solver that plays one gymhub episode per sample."""
    from inspect_ai.solver import Generate, TaskState, solver

    import gymhub

    @solver(name=f"gymhub_env_{env_id.replace('/', '_')}")
    def make() -> Any:
        async def solve(state: TaskState, generate: Generate) -> TaskState:
            env = gymhub.make(env_id, **(env_kwargs or {}))
            from gymhub.evaluation.summary import success_threshold

            record: dict[str, Any] = {
                "reward": 0.0,
                "status": None,
                "failed": None,
                "turns": 0,
                "success": success_threshold(env_id),  # the full reward: what counts as C
            }
            try:
                observation, _ = await env.areset(
                    seed=state.metadata["seed"], options=state.metadata.get("options") or None
                )
                state.messages = [_to_inspect(m) for m in observation.messages]
                for _ in range(max_turns):
                    state = await generate(state)
                    reply = state.output.completion if state.output else ""
                    observation, reward, terminated, truncated, info = await env.astep(reply)
                    record["reward"] += float(reward)
                    record["turns"] += 1
                    record["status"] = info.get("verdict")
                    if info.get("infra_error") or record["status"] == "infra_error":
                        record["failed"] = f"env verdict infra_error ({record['status']})"
                        break  # the hub failed: no more turns, nothing more to score
                    if terminated or truncated:
                        break
                    state.messages.extend(_to_inspect(m) for m in observation.messages)
            except Exception as exc:  # the env failed: the hub's failure, not the model's
                record["failed"] = f"{type(exc).__name__}: {exc}"
            finally:
                env.close()
            state.metadata["gymhub"] = record
            if record["failed"]:
                # the hub failed, not the model: a sample error, which Inspect leaves out of the
                # metrics and can retry (NOANSWER would count as 0 in accuracy)
                raise HubFailure(f"{env_id} seed {state.metadata['seed']}: {record['failed']}")
            return state

        return solve

    return make()


def env_scorer() -> Any:
    """Scores a sample from the env's verdict recorded by `env_solver`."""
    from inspect_ai.scorer import CORRECT, INCORRECT, NOANSWER, Score, Target, accuracy, scorer
    from inspect_ai.scorer import stderr as stderr_metric
    from inspect_ai.solver import TaskState

    @scorer(metrics=[accuracy(), stderr_metric()])
    def gymhub_verdict() -> Any:
        async def score(state: TaskState, target: Target) -> Score:
            record = state.metadata.get("gymhub") or {}
            if record.get("failed"):
                return Score(value=NOANSWER, explanation=record["failed"], metadata=record)
            full = record.get("success", SUCCESS)
            value = CORRECT if record.get("reward", 0.0) >= full - 1e-9 else INCORRECT
            reply = state.output.completion if state.output else ""
            return Score(
                value=value, answer=reply, explanation=record.get("status"), metadata=record
            )

        return score

    return gymhub_verdict()


def gymhub_task(
    env_id: str,
    *,
    seeds: Sequence[int] = range(10),
    options: dict[str, Any] | None = None,
    epochs: int = 1,
    pass_at: Sequence[int] = (1,),
    max_turns: int = 8,
    env_kwargs: dict[str, Any] | None = None,
) -> Any:
    """An Inspect `Task` over `seeds` of `env_id`; `epochs` samples per seed reduced with the
    mean and pass_at_k for each k in `pass_at` (k <= epochs)."""
    from inspect_ai import Epochs, Task
    from inspect_ai.dataset import MemoryDataset, Sample

    import gymhub

    gymhub.spec(env_id)  # unknown ids fail now, with suggestions
    if any(k < 1 or k > epochs for k in pass_at):
        raise ValueError(f"pass_at needs 1 <= k <= epochs ({epochs}), got {list(pass_at)}")
    samples = [
        Sample(
            input=f"{env_id} seed {seed}",  # replaced by the env's own prompt at solve time
            id=f"{env_id}#{seed}",
            metadata={"seed": seed, "options": dict(options or {})},
        )
        for seed in seeds
    ]
    reducers = ["mean", *(f"pass_at_{k}" for k in pass_at if k > 1)]
    return Task(
        dataset=MemoryDataset(samples, name=env_id),
        solver=env_solver(env_id, max_turns, env_kwargs),
        scorer=env_scorer(),
        epochs=Epochs(epochs, reducers) if epochs > 1 else 1,
        name=env_id.replace("/", "_"),
    )
