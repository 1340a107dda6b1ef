"""The gymhub environment contract: a gymnasium.Env whose observations are chat messages.

Subclasses implement `_reset` and `_step`; the base class does the bookkeeping every env needs and
gets wrong when written by hand: seeding, option validation, action coercion, turn counting,
truncation, the standard `info` keys, refusing to step a finished episode and async wrappers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, ClassVar

import gymnasium

from gymhub.conversation import Conversation
from gymhub.errors import EpisodeDoneError, InvalidOptionsError, ResetNeededError
from gymhub.spaces import ChatActionSpace, ChatObservationSpace
from gymhub.tasks import check_difficulty, is_finite_number, shown_number
from gymhub.tools import encodable, recordable_call
from gymhub.types import Action, ImagePart, Message, Observation, Task, TextPart, Verdict

STANDARD_INFO_KEYS = ("verdict", "reward_components", "task_id", "turn", "infra_error")


def check_reset_options(env: Any, options: dict[str, Any] | None) -> None:
    """Check reset `options` with the env's own `validate_options` before any reset: a failed
    reset is recorded as the hub's failure (`infra_error`, which trainers mask), so options the
    user wrote wrong (an unknown key, a NaN difficulty) are named here instead, as
    `InvalidOptionsError`. An env without `validate_options` (a remote one) checks at reset."""
    if options:
        validate = getattr(env, "validate_options", None)
        if validate is not None:
            validate(dict(options))


def recordable_action(action: Action | Message | str) -> Action:
    """`action` coerced (`Action.coerce`) into a form the hub can record, serialise and pass on:
    text that cannot be encoded (lone surrogates) gets U+FFFD in their place, and tool-call
    arguments nested deeper than `MAX_ARGUMENT_DEPTH` are replaced by a note (the env then answers
    a malformed call). Every env step calls it, so the common cases return first."""
    # type(), not `.__class__`: every attribute read of a pydantic model, `__class__` and
    # `__dict__` too, goes through its `__getattr__` hook (~10x a plain attribute read)
    kind = type(action)
    if kind is Action:
        fields = action.__dict__
        content = fields["content"]
        if (
            fields["tool_calls"] is None
            and content.__class__ is str
            and content.isascii()
            and fields["name"] is None
            and fields["tool_call_id"] is None
        ):
            return action  # plain ASCII text (`isascii` is O(1)): nothing to fix
    elif kind is str and action.isascii():
        return Action(content=action)
    action = Action.coerce(action)
    content = action.content
    call_id, name = action.tool_call_id, action.name
    if isinstance(content, str):
        fixed: Any = encodable(content)
        if (
            fixed is content
            and not action.tool_calls
            and (call_id is None or encodable(call_id) is call_id)
            and (name is None or encodable(name) is name)
        ):
            return action  # the common case: plain, encodable text
    else:
        # every string field of a part: an image's base64 text or MIME type can carry a lone
        # surrogate as well as a text part can, and the record must still be written as JSON
        fixed = [
            TextPart.model_construct(type="text", text=encodable(p.text))
            if isinstance(p, TextPart)
            else ImagePart.model_construct(
                type="image", image=encodable(p.image), mime_type=encodable(p.mime_type)
            )
            if isinstance(p, ImagePart)
            else p
            for p in content
        ]
    return Action.model_construct(
        role="assistant",
        content=fixed,
        tool_calls=None
        if action.tool_calls is None
        else [recordable_call(c) for c in action.tool_calls],
        tool_call_id=None if call_id is None else encodable(call_id),
        name=None if name is None else encodable(name),
    )


@dataclass
class StepResult:
    """What a subclass's `_step` returns; the base class turns it into gymnasium's 5-tuple."""

    observation: Observation
    reward: float = 0.0
    terminated: bool = False
    verdict: Verdict | None = None
    info: dict[str, Any] = field(default_factory=dict)


class Env(gymnasium.Env[Observation, Action]):
    """Base class of every gymhub environment.

    `reset(seed=s)` starts episode index 0 of seed `s`; later resets without a seed advance the
    index, so `(env id, version, seed)` reproduces the whole sequence of episodes.
    """

    metadata: ClassVar[dict[str, Any]] = {"render_modes": ["ansi"]}
    #: option keys accepted by reset(); subclasses extend this.
    allowed_options: ClassVar[frozenset[str]] = frozenset({"task", "difficulty"})
    #: None means no limit on the number of steps in an episode.
    max_turns: int | None = None
    #: the most seconds one step may spend on work the policy controls (its tool calls), or None
    #: when a step runs nothing the policy can make slow. Servers keep per-step deadlines above it.
    step_budget_s: float | None = None
    #: the spec's difficulty range (set by `gymhub.make`); the `difficulty` option must lie in it
    difficulty_range: tuple[int, int] | None = None

    def __init__(self, *, max_turns: int | None = None, render_mode: str | None = None) -> None:
        if max_turns is not None:
            if not isinstance(max_turns, int) or isinstance(max_turns, bool) or max_turns < 1:
                raise ValueError(f"max_turns must be a positive integer, got {max_turns!r}")
            self.max_turns = max_turns
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(
                f"render_mode must be one of {self.metadata['render_modes']}, got {render_mode!r}"
            )
        self.render_mode = render_mode
        self.observation_space = ChatObservationSpace()
        self.action_space = ChatActionSpace()
        self.env_id: str | None = None
        self.version: int = 0
        self.task: Task | None = None
        self.turn = 0
        self.episode_seed: int | None = None
        self.episode_index = -1
        #: the episode so far (prompt, actions, feedback); stores copies, cheap for the GC.
        self.conversation: Conversation = Conversation()
        self._needs_reset = True
        self._done = False
        self._closed = False
        self._last_verdict: Verdict | None = None

    # ----- what subclasses implement -------------------------------------------------------------
    def _reset(self, options: dict[str, Any]) -> Observation:
        raise NotImplementedError

    def _step(self, action: Action) -> StepResult:
        raise NotImplementedError

    def reference_action(self) -> Action | None:
        """A correct next action for the current state, when the env can produce one."""
        return None

    def secret_strings(self) -> list[str]:
        """Strings that must never appear in an observation (the gold answer). Used by the
        conformance checker; short answers that naturally appear in prompts are left out."""
        if self.task is None or self.task.answer is None:
            return []
        gold = self.task.answer if isinstance(self.task.answer, str) else str(self.task.answer)
        return [gold] if len(gold.strip()) >= 4 else []

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """Check reset options; subclasses may normalise values. Raises InvalidOptionsError."""
        unknown = set(options) - set(self.allowed_options)
        if unknown:
            raise InvalidOptionsError(
                f"unknown reset option(s) {sorted(unknown)} for {self.env_id or type(self).__name__}; "
                f"allowed: {sorted(self.allowed_options)}"
            )
        if "difficulty" in options:
            d = options["difficulty"]
            if isinstance(d, bool) or not isinstance(d, (int, float)):
                raise InvalidOptionsError(
                    f"option 'difficulty' must be a number, got {shown_number(d)}"
                )
            if not is_finite_number(d):
                raise InvalidOptionsError(f"option 'difficulty' must be finite, got {d!r}")
            if self.difficulty_range is not None:
                d = check_difficulty(d, self.difficulty_range, what="option 'difficulty'")
                options = {**options, "difficulty": d}
        if "task" in options:
            task = options["task"]
            if isinstance(task, dict):
                try:
                    options = {**options, "task": Task.model_validate(task)}
                except Exception as exc:
                    raise InvalidOptionsError(f"option 'task' is not a valid task: {exc}") from exc
            elif not isinstance(task, Task):
                raise InvalidOptionsError("option 'task' must be a dict or a gymhub.Task")
        return options

    # ----- the public contract --------------------------------------------------------------------
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        options = self.validate_options(self._check_reset_args(seed, options))
        self._start_episode(seed)
        return self._record_reset(self._reset(options))

    def step(
        self, action: Action | Message | str
    ) -> tuple[Observation, float, bool, bool, dict[str, Any]]:
        action = self._begin_step(action)
        return self._record_step(self._step(action))

    # ----- the bookkeeping, reusable by envs that reset/step elsewhere (e.g. over the network) ------
    def _check_reset_args(self, seed: Any, options: Any) -> dict[str, Any]:
        """Type-check reset's arguments; returns a fresh options dict (not yet validated)."""
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(f"seed must be an int or None, got {type(seed).__name__}")
        if options is not None and not isinstance(options, dict):
            raise InvalidOptionsError(
                f"options must be a dict or None, got {type(options).__name__}"
            )
        return dict(options or {})

    def _start_episode(self, seed: int | None) -> None:
        """Seed gymnasium's rng, advance the episode index and clear the per-episode state."""
        gymnasium.Env.reset(self, seed=seed)
        if seed is not None:
            self.episode_seed, self.episode_index = seed, 0
        else:
            if self.episode_seed is None:
                self.episode_seed = int(self.np_random.integers(0, 2**31 - 1))
            self.episode_index += 1
        self.turn = 0
        self._done = False
        self._needs_reset = False
        self._last_verdict = None

    def _record_reset(self, observation: Observation) -> tuple[Observation, dict[str, Any]]:
        """Start the conversation record with the reset's observation; returns (obs, info)."""
        self.conversation = Conversation(observation.messages)
        return observation, self._info({}, None)

    def _begin_step(self, action: Action | Message | str) -> Action:
        """Coerce and record the policy's action, refuse a step the episode does not allow, count
        the turn. An action that cannot be recorded as given (tool-call arguments nested past
        `MAX_ARGUMENT_DEPTH`) is recorded with those arguments replaced by a note, so the env
        answers it like any malformed tool call: the policy's error, never the hub's."""
        action = recordable_action(action)
        if self._needs_reset:
            raise ResetNeededError()
        if self._done:
            raise EpisodeDoneError(self.env_id)
        self.turn += 1
        self.conversation.append(action)
        return action

    def _record_step(
        self, result: StepResult
    ) -> tuple[Observation, float, bool, bool, dict[str, Any]]:
        """Apply the turn budget to a step's result, record its observation (`replace_context`
        replaces the record) and build gymnasium's 5-tuple."""
        terminated = bool(result.terminated)
        reward, verdict = float(result.reward), result.verdict
        if reward - reward:  # NaN or inf: the env's bug, a score no trainer may use
            verdict = Verdict(
                reward=0.0, status="infra_error", detail=f"the env gave a reward of {reward}"
            )
            reward, terminated = 0.0, True
        truncated = bool(
            not terminated and self.max_turns is not None and self.turn >= self.max_turns
        )
        self._done = terminated or truncated
        self._last_verdict = verdict
        if result.observation.replace_context:
            self.conversation = Conversation(result.observation.messages)
        else:
            self.conversation.extend(result.observation.messages)
        return (
            result.observation,
            reward,
            terminated,
            truncated,
            self._info(result.info, verdict),
        )

    async def areset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        """Async reset; the default runs `reset` in a worker thread."""
        return await asyncio.to_thread(self.reset, seed=seed, options=options)

    async def astep(
        self, action: Action | Message | str
    ) -> tuple[Observation, float, bool, bool, dict[str, Any]]:
        """Async step; the default runs `step` in a worker thread."""
        return await asyncio.to_thread(self.step, action)

    def close(self) -> None:
        """Release resources; safe to call any number of times."""
        self._closed = True

    def render(self) -> str | None:
        if self.render_mode == "ansi":
            return "\n".join(f"[{m.role}] {m.text}" for m in self.conversation)
        return None

    @property
    def done(self) -> bool:
        return self._done

    @property
    def task_difficulty(self) -> Any:
        return None if self.task is None else self.task.metadata.get("difficulty")

    def _info(self, extra: dict[str, Any], verdict: Verdict | None) -> dict[str, Any]:
        info: dict[str, Any] = {
            "verdict": verdict.status if verdict else None,
            "reward_components": dict(verdict.components) if verdict else {},
            "task_id": self.task.id if self.task else None,
            "turn": self.turn,
            "infra_error": bool(verdict and verdict.status == "infra_error"),
        }
        info.update(extra)
        return info

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.env_id or ''}>"
