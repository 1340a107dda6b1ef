"""Small envs shared by the tests of the one episode loop and its consumers: one whose context is
rewritten mid-episode (`replace_context`), one whose steps fail."""

from __future__ import annotations

from typing import Any

from gymhub.env import Env, StepResult
from gymhub.types import Action, Message, Observation, Task, Verdict

REPLIES = ["first", "second", "done"]
SUMMARY = [
    Message(role="system", content="Summary so far: the user asked for 'first' and got it."),
    Message(role="user", content="Now say 'second'."),
]


class SummarizingEnv(Env):
    """Three turns. After the first, the env replaces the conversation with a summary
    (`replace_context=True`); the episode goes on and ends with reward 1 when the last reply is
    the asked word."""

    def _reset(self, options: dict[str, Any]) -> Observation:
        self.task = Task(id=f"summary-{self.episode_seed}-{self.episode_index}", question="say")
        return Observation(messages=[Message(role="user", content="Say 'first'.")])

    def _step(self, action: Action) -> StepResult:
        if self.turn == 1:
            return StepResult(Observation(messages=list(SUMMARY), replace_context=True))
        if self.turn == 2:
            return StepResult(Observation(messages=[Message(role="user", content="Say 'done'.")]))
        verdict = Verdict.correct() if action.text.strip() == "done" else Verdict.incorrect()
        return StepResult(Observation(), verdict.reward, True, verdict)

    def reference_action(self) -> Action | None:
        if self.done or self._needs_reset:
            return None
        return Action(content=REPLIES[self.turn])


class BrokenEnv(Env):
    """Resets fine, then every step fails as a lost backend would (the hub's failure)."""

    def _reset(self, options: dict[str, Any]) -> Observation:
        return Observation(messages=[Message(role="user", content="hi")])

    def _step(self, action: Action) -> StepResult:
        raise ConnectionError("sandbox down")
