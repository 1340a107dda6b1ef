"""gymhub/Code-v0 (single-turn) and gymhub/CodeFeedback-v0 (retries with public-test feedback)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gymhub.env import StepResult
from gymhub.envs.code.loaders import load_code_tasks
from gymhub.sandboxes.types import Sandbox
from gymhub.task_env import MultiTurnEnv, SingleTurnEnv
from gymhub.tasks import ListSource
from gymhub.types import Action, Message, Observation, Task, Verdict
from gymhub.verifiers.code import CodeVerifier, case_key

DATA = Path(__file__).parent / "data" / "problems.jsonl"
SYSTEM_PROMPT = (
    "You are an expert programmer. Answer with a complete program (or the requested function) "
    "in a single fenced code block, e.g. ```python ... ```. Only the last code block is run."
)


def _source(path: str | None, fmt: str, limit: int | None) -> ListSource:
    tasks = load_code_tasks(path or DATA, fmt)
    return ListSource(tasks[:limit] if limit else tasks, name=Path(path or DATA).stem)


def _verifier(sandbox: Sandbox | None, backend: str, partial_credit: bool) -> CodeVerifier:
    return CodeVerifier(sandbox, backend=backend, partial_credit=partial_credit)


class _CodeStepBudget:
    """The time a code env's step may spend running the policy's program."""

    task: Task | None
    verifier: CodeVerifier
    #: how many full verifications one step may run
    verifications_per_step: int = 1
    _tool_budget_s: float | None = None

    @property
    def step_budget_s(self) -> float:
        """A step runs the policy's program on every test: a server's step deadline must stay
        above the verifier's worst case for this task (a compile, every test's limit), or a
        slow program would end as `infra_error` instead of the policy's `timeout`."""
        reference = self.task.answer if self.task is not None else None
        runs = self.verifications_per_step  # a compile is cached: the later runs skip it
        limit = self.verifier.time_limit_s(reference)
        bound = runs * limit - (runs - 1) * self.verifier.compile_timeout_s
        return max(bound, self._tool_budget_s or 0.0)

    @step_budget_s.setter
    def step_budget_s(self, value: float | None) -> None:
        self._tool_budget_s = value  # MultiTurnEnv's budget for tool calls


class _CodeSecrets:
    """Secret strings of a code task: the hidden expected outputs and the gold solution."""

    task: Task | None

    def secret_strings(self) -> list[str]:
        if self.task is None or not isinstance(self.task.answer, dict):
            return []
        answer = self.task.answer
        public = {case_key(t) for t in self.task.metadata.get("public_tests", [])}
        found = []
        if answer.get("solution") and len(str(answer["solution"]).strip()) >= 20:
            found.append(str(answer["solution"]))
        for test in answer.get("tests", []):
            if case_key(test) in public:
                continue
            value = test.get("expected_stdout", test.get("expected"))
            text = value if isinstance(value, str) else json.dumps(value)
            if len(text.strip()) >= 12:
                found.append(text)
        return found


class CodeEnv(_CodeSecrets, _CodeStepBudget, SingleTurnEnv):
    """One problem, one program; reward 1.0 when every test passes."""


def make_code_env(
    path: str | None = None,
    format: str = "auto",
    *,
    sandbox: Sandbox | None = None,
    backend: str = "auto",
    partial_credit: bool = False,
    limit: int | None = None,
    **kwargs: Any,
) -> CodeEnv:
    """Code-v0 over the bundled problems, or over `path` (JSONL in any loaders.FORMATS)."""
    kwargs.setdefault("system_prompt", SYSTEM_PROMPT)
    return CodeEnv(
        _source(path, format, limit), _verifier(sandbox, backend, partial_credit), **kwargs
    )


class CodeFeedbackEnv(_CodeSecrets, _CodeStepBudget, MultiTurnEnv):
    """Each attempt first runs the public tests; failures come back as feedback while attempts
    remain. The hidden (all) tests alone decide the reward."""

    verifications_per_step = 2  # the public tests, then every test

    def _public_reference(self) -> dict[str, Any] | None:
        assert self.task is not None
        public = self.task.metadata.get("public_tests") or []
        if not public:
            return None
        return {**self.task.answer, "tests": public}

    def _step(self, action: Action) -> StepResult:
        self.attempts += 1
        text = action.text
        public = self._public_reference()
        pre = None
        if public is not None and len(text) <= 200_000:
            pre = self._score_public(text, public)
            if pre.status == "infra_error":
                return StepResult(Observation(), 0.0, True, pre)
        if pre is None or pre.status == "correct" or self.attempts >= self.max_attempts:
            verdict = self.score(text)  # every test, hidden ones included
            reward = verdict.reward * self.attempt_discount ** (self.attempts - 1)
            return StepResult(Observation(), reward, True, verdict)
        feedback = Message(role="user", content=self._feedback_text(pre))
        return StepResult(Observation(messages=[feedback]), 0.0, False, pre)

    def _score_public(self, text: str, public: dict[str, Any]) -> Verdict:
        try:
            return self.verifier.verify(text, public)
        except Exception as exc:
            return Verdict(reward=0.0, status="infra_error", detail=f"verifier failed: {exc!r}")

    def _feedback_text(self, verdict: Verdict) -> str:
        reason = {
            "unparseable": "No fenced code block was found in your answer.",
            "timeout": "Your program ran out of time on a public test.",
            "error": "Your program failed (crash, non-zero exit or compile error) on a public test.",
        }.get(verdict.status, "Your program gave a wrong answer on a public test.")
        detail = f"\nDetails: {verdict.detail[:1500]}" if verdict.detail else ""
        return (
            f"{reason}{detail}\nFix the program and answer again with the full code in one block."
        )


def make_code_feedback_env(
    path: str | None = None,
    format: str = "auto",
    *,
    sandbox: Sandbox | None = None,
    backend: str = "auto",
    max_attempts: int = 3,
    attempt_discount: float = 1.0,
    limit: int | None = None,
    **kwargs: Any,
) -> CodeFeedbackEnv:
    kwargs.setdefault("system_prompt", SYSTEM_PROMPT)
    kwargs.setdefault("max_turns", max_attempts)
    return CodeFeedbackEnv(
        _source(path, format, limit),
        _verifier(sandbox, backend, False),
        max_attempts=max_attempts,
        attempt_discount=attempt_discount,
        **kwargs,
    )
