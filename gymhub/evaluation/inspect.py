"""Inspect AI adapter: any gymhub env as an Inspect `Task`.

`gymhub_task("gymhub/MathGen-v0", seeds=range(50), epochs=4, pass_at=(1, 4))` gives a Task whose
dataset is one sample per seed, whose solver plays the env's episode with the Inspect model (one
`generate` per turn, the env's feedback appended; the env's tools offered to the model and run
by the env), and whose scorer reads the
env's verdict: CORRECT for the full reward (the env's `max_reward`), INCORRECT otherwise. An episode the hub failed
(`infra_error`, the env raised) is a sample error (`HubFailure`, with the reason): Inspect leaves
it out of the metrics and `eval_retry` runs it again (NOANSWER would count as 0 in accuracy).
Epochs reduce with the mean and Inspect's `pass_at_k` reducers.

Needs `inspect-ai` (the `gymhub[inspect]` extra); imported lazily, so gymhub never requires it.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from gymhub.types import Action, Message, TextPart, ToolCall, ToolSpec

SUCCESS = 1.0


class HubFailure(RuntimeError):
    """The env (the hub), not the model, failed this sample."""


def _to_inspect(message: Message) -> Any:
    """A gymhub message as Inspect's: its images, tool calls and tool results kept (a screenshot
    or a tool result left out made the task impossible to solve)."""
    from inspect_ai.model import (
        ChatMessageAssistant,
        ChatMessageSystem,
        ChatMessageTool,
        ChatMessageUser,
    )
    from inspect_ai.tool import ToolCall as InspectToolCall

    content: Any = message.content
    if not isinstance(content, str):
        from inspect_ai.model import ContentImage, ContentText

        content = [
            ContentText(text=p.text)
            if isinstance(p, TextPart)
            else ContentImage(image=f"data:{p.mime_type};base64,{p.image}")
            for p in content
        ]
    if message.role == "assistant":
        calls = [
            InspectToolCall(
                id=c.id,
                function=c.name,
                arguments=c.arguments if isinstance(c.arguments, dict) else {},
                parse_error=None if isinstance(c.arguments, dict) else "not a JSON object",
            )
            for c in message.tool_calls or []
        ]
        return ChatMessageAssistant(content=content, tool_calls=calls or None)
    if message.role == "tool":
        return ChatMessageTool(
            content=content, tool_call_id=message.tool_call_id, function=message.name
        )
    if message.role == "system":
        return ChatMessageSystem(content=content)
    return ChatMessageUser(content=content)


def _to_inspect_tool(spec: ToolSpec) -> Any:
    """An env's tool as an Inspect tool the model can call. It is never run by Inspect: the
    solver generates with `tool_calls="none"` and the env runs the calls (its own tools, state
    and verdict)."""
    from inspect_ai.tool import ToolDef, ToolParams

    params = copy.deepcopy(spec.parameters) if isinstance(spec.parameters, dict) else {}
    params["type"] = "object"
    for name, prop in (params.get("properties") or {}).items():
        if isinstance(prop, dict) and not prop.get("description"):
            prop["description"] = name  # Inspect requires one for every parameter

    async def run_by_the_env(**arguments: Any) -> str:  # one function per tool: Inspect
        raise RuntimeError(f"{spec.name} is run by the gymhub env, not by Inspect")  # tags it

    return ToolDef(
        run_by_the_env,
        name=spec.name,
        description=spec.description or spec.name,
        parameters=ToolParams.model_validate(params),
    ).as_tool()


def _action(output: Any) -> Action:
    """The model's turn as a gymhub action: its text and its tool calls (arguments the model
    wrote that are not JSON stay a string, so the env reports the error to the model)."""
    if output is None:
        return Action(content="")
    message = output.message
    calls = [
        ToolCall(
            id=c.id or f"call_{i}",
            name=c.function,
            arguments=c.arguments
            if c.parse_error is None and isinstance(c.arguments, dict)
            else f"<arguments that are not a JSON object: {c.parse_error or c.arguments!r}>",
        )
        for i, c in enumerate(getattr(message, "tool_calls", None) or [])
    ]
    return Action(content=output.completion or "", tool_calls=calls or None)


def env_solver(env_id: str, max_turns: int = 8, env_kwargs: dict[str, Any] | None = None) -> Any:
    """An Inspect solver that plays one gymhub episode per sample.

    The env's tools are offered to the model (Inspect never runs them: the env does), its images
    and tool results are passed on, and an observation that replaces the context replaces the
    conversation. What the model raises (an API error, Inspect's message or token limit) is left
    to Inspect, which scores a sample that ran out of its limits; only the env failing is a
    `HubFailure`."""
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
            state.metadata["gymhub"] = record  # the scorer reads it even after a limit
            try:
                observation, _ = await env.areset(
                    seed=state.metadata["seed"], options=state.metadata.get("options") or None
                )
                state.messages = [_to_inspect(m) for m in observation.messages]
                state.tools = [_to_inspect_tool(t) for t in observation.tools]
                for _ in range(max_turns):
                    try:
                        state = await generate(state, tool_calls="none")
                    except Exception as exc:  # the model's side: Inspect's to handle
                        raise _ModelSide(exc) from exc
                    observation, reward, terminated, truncated, info = await env.astep(
                        _action(state.output)
                    )
                    record["reward"] += float(reward)
                    record["turns"] += 1
                    record["status"] = info.get("verdict")
                    if info.get("infra_error") or record["status"] == "infra_error":
                        record["failed"] = f"env verdict infra_error ({record['status']})"
                        break  # the hub failed: no more turns, nothing more to score
                    if terminated or truncated:
                        break
                    converted = [_to_inspect(m) for m in observation.messages]
                    if observation.replace_context:
                        state.messages = converted
                    else:
                        state.messages.extend(converted)
                    if observation.tools:
                        state.tools = [_to_inspect_tool(t) for t in observation.tools]
            except _ModelSide as side:
                raise side.__cause__ from None  # type: ignore[misc]
            except Exception as exc:  # the env failed: the hub's failure, not the model's
                record["failed"] = f"{type(exc).__name__}: {exc}"
            finally:
                env.close()
            if record["failed"]:
                # the hub failed, not the model: a sample error, which Inspect leaves out of the
                # metrics and can retry (NOANSWER would count as 0 in accuracy)
                raise HubFailure(f"{env_id} seed {state.metadata['seed']}: {record['failed']}")
            return state

        return solve

    return make()


class _ModelSide(Exception):
    """Carries what `generate` raised past the solver's env-failure handler."""


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
    from gymhub.rollout import is_count, seed_list

    gymhub.spec(env_id)  # unknown ids fail now, with suggestions
    # the caller's mistakes are raised here: at solve time each sample would fail as the hub's
    if not is_count(epochs) or epochs < 1:
        raise ValueError(f"epochs must be an integer >= 1, got {epochs!r}")
    if not is_count(max_turns) or max_turns < 1:
        raise ValueError(f"max_turns must be an integer >= 1, got {max_turns!r}")
    if any(not is_count(k) or k < 1 or k > epochs for k in pass_at):
        raise ValueError(f"pass_at needs 1 <= k <= epochs ({epochs}), got {list(pass_at)}")
    seeds = list(dict.fromkeys(seed_list(seeds)))  # a seed twice would be two samples of one id
    if not seeds:
        raise ValueError("gymhub_task needs at least one seed")
    if options is not None and not isinstance(options, dict):
        raise TypeError(f"options must be a dict or None, got {type(options).__name__}")
    if env_kwargs is not None and not isinstance(env_kwargs, dict):
        raise TypeError(f"env_kwargs must be a dict or None, got {type(env_kwargs).__name__}")
    if options or env_kwargs:
        from gymhub.env import check_reset_options

        env = gymhub.make(env_id, **(env_kwargs or {}))  # kwargs it refuses: raised here
        try:
            if options:
                check_reset_options(env, options)  # InvalidOptionsError naming the option
        finally:
            env.close()
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
