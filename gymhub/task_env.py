"""Building blocks that make a new environment a few lines: a task source plus a verifier.

`SingleTurnEnv`: one question, one answer, one verdict. `MultiTurnEnv` adds a turn budget,
"try again" feedback after a wrong answer and a tool-calling loop over plain Python callables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from gymhub.env import Env, StepResult
from gymhub.errors import InvalidOptionsError
from gymhub.tasks import TaskSource
from gymhub.tools import Toolbox, parse_text_tool_calls
from gymhub.types import Action, Message, Observation, Task, ToolCall, Verdict

MAX_ACTION_CHARS = 200_000
MAX_TOOL_CALLS_PER_STEP = 16
#: the default total time the tool calls of one step may take (see MultiTurnEnv)
DEFAULT_STEP_BUDGET_S = 30.0


@runtime_checkable
class VerifierLike(Protocol):
    """What the task envs need from a verifier (see gymhub.verifiers.Verifier)."""

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict: ...


class SingleTurnEnv(Env):
    """One prompt, one answer scored by `verifier`; the episode ends after the first step."""

    def __init__(
        self,
        source: TaskSource,
        verifier: VerifierLike,
        *,
        system_prompt: str | None = None,
        prompt_template: str = "{question}",
        reference_fn: Callable[[Task], str] | None = None,
        difficulty: float | None = None,
        max_turns: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(max_turns=max_turns, **kwargs)
        if not isinstance(source, TaskSource):
            raise TypeError("source must be a task source with get(seed, index, difficulty)")
        if not isinstance(verifier, VerifierLike):
            raise TypeError("verifier must have verify(response, reference, **context)")
        self.source = source
        self.verifier = verifier
        self.system_prompt = system_prompt
        self.prompt_template = prompt_template
        self.reference_fn = reference_fn
        self.difficulty = difficulty

    # the prompt and scoring of a task --------------------------------------------------------------
    def prompt_messages(self, task: Task) -> list[Message]:
        messages = []
        if self.system_prompt:
            messages.append(Message(role="system", content=self.system_prompt))
        messages.append(
            Message(role="user", content=self.prompt_template.format(question=task.question))
        )
        return messages

    def score(self, text: str) -> Verdict:
        assert self.task is not None
        if len(text) > MAX_ACTION_CHARS:
            return Verdict.unparseable(f"response longer than {MAX_ACTION_CHARS} characters")
        context = self.task.metadata.get("verifier_context", {})
        if getattr(self.verifier, "uses_question", False) and "question" not in context:
            context = {**context, "question": self.task.question}
        if getattr(self.verifier, "uses_public_tests", False) and "public_tests" not in context:
            public = self.task.metadata.get("public_tests")
            if public:
                context = {**context, "public_tests": public}
        try:
            return self.verifier.verify(text, self.task.answer, **context)
        except Exception as exc:  # a verifier bug is the hub's failure, not the policy's
            return Verdict(reward=0.0, status="infra_error", detail=f"verifier failed: {exc!r}")

    def reference_text(self) -> str | None:
        if self.task is None:
            return None
        if self.reference_fn is not None:
            return self.reference_fn(self.task)
        if "reference_response" in self.task.metadata:
            return str(self.task.metadata["reference_response"])
        make = getattr(self.verifier, "reference_response", None)
        if callable(make):
            return make(self.task.answer)
        return None if self.task.answer is None else str(self.task.answer)

    # the Env hooks --------------------------------------------------------------------------------
    def pick_task(self, options: dict[str, Any]) -> Task:
        if "task" in options:
            return options["task"]
        difficulty = options.get("difficulty", self.difficulty)
        try:
            return self.source.get(self.episode_seed or 0, self.episode_index, difficulty)
        except ValueError as exc:
            raise InvalidOptionsError(str(exc)) from exc

    def _reset(self, options: dict[str, Any]) -> Observation:
        self.task = self.pick_task(options)
        return Observation(messages=self.prompt_messages(self.task))

    def _step(self, action: Action) -> StepResult:
        verdict = self.score(action.text)
        return StepResult(Observation(), verdict.reward, True, verdict)

    def reference_action(self) -> Action | None:
        if self.done or self.task is None:
            return None
        text = self.reference_text()
        return None if text is None else Action(content=text)


class MultiTurnEnv(SingleTurnEnv):
    """A task env with a turn budget, retries and tools.

    - A message with tool calls (native `tool_calls` or `<tool_call>` JSON in the text) runs the
      tools and returns their results as `tool` messages; it is not an answer.
    - Any other message is an answer. Correct: the episode ends with reward
      `attempt_discount ** (attempt - 1)`. Wrong: `feedback` is sent back while attempts remain.
    - The episode is truncated after `max_turns` steps; when the last one was a tool call, its
      status is `unparseable` (no answer was given), never none.
    - The tool calls of one step (at most `MAX_TOOL_CALLS_PER_STEP`) share `step_budget_s`
      seconds; calls that would start later are answered with an error, not run. A server keeps
      its per-step deadline above `step_budget_s` (plus one tool's own limit).
    """

    def __init__(
        self,
        source: TaskSource,
        verifier: VerifierLike,
        *,
        max_turns: int = 8,
        max_attempts: int = 1,
        attempt_discount: float = 1.0,
        feedback: str | Callable[[Verdict], str] = "That is not correct. Try again.",
        tools: list[Callable[..., Any]] | dict[str, Callable[..., Any]] | None = None,
        step_budget_s: float = DEFAULT_STEP_BUDGET_S,
        **kwargs: Any,
    ) -> None:
        super().__init__(source, verifier, max_turns=max_turns, **kwargs)
        if (
            isinstance(step_budget_s, bool)
            or not isinstance(step_budget_s, (int, float))
            or not 0 < step_budget_s < float("inf")
        ):
            raise ValueError(f"step_budget_s must be a positive number, got {step_budget_s!r}")
        self.step_budget_s = float(step_budget_s)
        if not isinstance(max_attempts, int) or max_attempts < 1:
            raise ValueError(f"max_attempts must be a positive integer, got {max_attempts!r}")
        if not 0.0 <= attempt_discount <= 1.0:
            raise ValueError(f"attempt_discount must be in [0, 1], got {attempt_discount!r}")
        self.max_attempts = max_attempts
        self.attempt_discount = attempt_discount
        self.feedback = feedback
        self.toolbox = Toolbox(tools) if tools else None
        self.attempts = 0

    def _reset(self, options: dict[str, Any]) -> Observation:
        self.attempts = 0
        observation = super()._reset(options)
        if self.toolbox:
            observation.tools = [s.model_copy(deep=True) for s in self.toolbox.specs]
        return observation

    def tool_calls_of(self, action: Action) -> list[ToolCall]:
        if not self.toolbox:
            return []
        return list(action.tool_calls or []) or parse_text_tool_calls(action.text)

    def _step(self, action: Action) -> StepResult:
        calls = self.tool_calls_of(action)
        if calls:
            assert self.toolbox is not None
            answers = self.toolbox.call_all(
                calls[:MAX_TOOL_CALLS_PER_STEP], budget_s=self.step_budget_s
            )
            verdict = None
            if self.max_turns is not None and self.turn >= self.max_turns:
                # the turn budget ends on a tool call: the episode is truncated without an
                # answer, which is the policy's (unparseable), not an episode with no status
                verdict = Verdict.unparseable(
                    f"no answer within the {self.max_turns}-turn budget (the last turn was a "
                    "tool call)"
                )
            return StepResult(Observation(messages=answers), verdict=verdict)
        self.attempts += 1
        verdict = self.score(action.text)
        if verdict.status == "correct" or verdict.status == "infra_error":
            reward = verdict.reward * self.attempt_discount ** (self.attempts - 1)
            return StepResult(Observation(), reward, True, verdict)
        if self.attempts >= self.max_attempts:
            reward = verdict.reward * self.attempt_discount ** (self.attempts - 1)
            return StepResult(Observation(), reward, True, verdict)
        text = self.feedback(verdict) if callable(self.feedback) else self.feedback
        return StepResult(
            Observation(messages=[Message(role="user", content=text)]), 0.0, False, verdict
        )
