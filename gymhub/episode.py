"""The one episode-stepping helper: every consumer that plays episodes steps them through here.

`gymhub.trace.run_episode` (behind `gymhub.run_rollouts`), the trainer's token-level `EpisodeRunner`, the conformance checker's
reference runs (sync and async), the Ray env host and the curriculum wrapper all drive an env the
same way, so the rules below hold everywhere:

- **Turn budget.** `max_turns` policy turns; an episode that reaches it without the env ending it
  is truncated with reason `"max_turns"` (an env's own truncation has reason `"env"`).
- **`replace_context`.** An observation with `replace_context=True` means the env rewrote the
  context: its messages *replace* the conversation the policy sees (they are not appended). The
  episode goes on; token-level consumers start a new token segment (`StepUpdate.context_replaced`).
- **`infra_error`.** An env that raises on reset/step, a step whose verdict is `infra_error` or
  whose reward is NaN or infinite ends the episode with `infra_error=True` (the hub failed:
  trainers mask it, never score it 0).
- **Timings.** Seconds spent in reset, in the policy and in env steps, and in total.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter
from typing import Any, NamedTuple

from gymhub.env import recordable_action
from gymhub.types import Action, Message, Observation, ToolSpec

MAX_ERROR_CHARS = 2000
_OVER = "the episode is over; start a new EpisodeLoop"


@dataclass(slots=True)
class Timings:
    """Where an episode's wall time went (seconds). A plain dataclass, not a pydantic model: the
    loop adds to it on every step (pydantic's attribute assignment cost ~1 µs a time)."""

    reset_s: float = 0.0
    policy_s: float = 0.0
    env_s: float = 0.0
    total_s: float = 0.0


class StepUpdate(NamedTuple):
    """One env step as the loop saw it (gymnasium's 5-tuple plus what it meant). A named tuple:
    the loop builds one per step, and a tuple costs a fraction of a dataclass's `__init__`."""

    action: Action
    observation: Observation
    reward: float
    terminated: bool
    truncated: bool
    info: dict[str, Any]
    #: the observation replaced the context: token-level consumers start a new segment
    context_replaced: bool
    #: the episode is over (env ended it, turn budget reached, or an infra error)
    done: bool


_new_update = tuple.__new__  # StepUpdate without its Python-level `__new__`


class EpisodeLoop:
    """The state of one episode as its consumer steps it.

    With `catch_errors` (the default) an env raising on reset/step ends the episode as an infra
    error instead of propagating; the checker turns it off to report the traceback itself.

    A slotted class with its own `__init__` rather than a dataclass: adapters make one per
    episode, and the generated `__init__` (every field a keyword) cost half again as much.
    """

    __slots__ = (
        "env",
        "max_turns",
        "catch_errors",
        "messages",
        "tools",
        "task_id",
        "turns",
        "rewards",
        "status",
        "reward_components",
        "terminated",
        "truncated",
        "truncation",
        "context_replacements",
        "infra_error",
        "error",
        "done",
        "timings",
        "_started",
    )

    def __init__(self, env: Any, max_turns: int | None = None, catch_errors: bool = True) -> None:
        if max_turns is not None:
            if isinstance(max_turns, bool) or not isinstance(max_turns, int):
                raise TypeError(f"max_turns must be an int or None, got {max_turns!r}")
            if max_turns < 1:
                raise ValueError(f"max_turns must be >= 1, got {max_turns}")
        self.env = env
        self.max_turns = max_turns
        self.catch_errors = catch_errors
        self.messages: list[Message] = []
        self.tools: list[ToolSpec] = []
        self.task_id: str | None = None
        self.turns = 0
        self.rewards: list[float] = []
        self.status: str | None = None
        self.reward_components: dict[str, float] = {}
        self.terminated = self.truncated = False
        self.truncation: str | None = None  # "env", "max_turns" or a consumer's own reason
        self.context_replacements = 0
        self.infra_error = False
        self.error: str | None = None
        self.done = False
        self.timings = Timings()
        self._started = perf_counter()

    def __repr__(self) -> str:
        return (
            f"EpisodeLoop(env={self.env!r}, turns={self.turns}, done={self.done}, "
            f"status={self.status!r}, infra_error={self.infra_error})"
        )

    # ----- reset ----------------------------------------------------------------------------------
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]] | None:
        """Reset the env; None when it failed (the episode is then an infra error)."""
        t0 = perf_counter()
        try:
            observation, info = self.env.reset(seed=seed, options=options)
        except Exception as exc:
            return self._raised("reset", exc)
        finally:
            self.timings.reset_s += perf_counter() - t0
        return self.start(observation, info)

    async def areset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]] | None:
        """`reset` through the env's `areset`."""
        t0 = perf_counter()
        try:
            observation, info = await self.env.areset(seed=seed, options=options)
        except Exception as exc:
            return self._raised("reset", exc)
        finally:
            self.timings.reset_s += perf_counter() - t0
        return self.start(observation, info)

    # ----- step -----------------------------------------------------------------------------------
    def step(self, action: Action | Message | str) -> StepUpdate | None:
        """Step the env with the policy's action; None when the env failed (infra error)."""
        if self.done:
            raise RuntimeError(_OVER)
        action = recordable_action(action)  # what the env will record, too
        t0 = perf_counter()
        try:
            observation, reward, terminated, truncated, info = self.env.step(action)
        except Exception as exc:
            self.timings.env_s += perf_counter() - t0
            return self._raised("step", exc)
        self.timings.env_s += perf_counter() - t0
        return self.record(action, observation, reward, terminated, truncated, info)

    async def astep(self, action: Action | Message | str) -> StepUpdate | None:
        """`step` through the env's `astep`."""
        if self.done:
            raise RuntimeError(_OVER)
        action = recordable_action(action)
        t0 = perf_counter()
        try:
            observation, reward, terminated, truncated, info = await self.env.astep(action)
        except Exception as exc:
            return self._raised("step", exc)
        finally:
            self.timings.env_s += perf_counter() - t0
        return self.record(action, observation, reward, terminated, truncated, info)

    def send(self, action: Action | Message | str) -> Observation | None:
        """Step the env under the same rules as `step` (turn budget, `infra_error`, the end of
        the episode) without the transcript: no `messages`/`tools` record, no `StepUpdate`, no
        step timing. For adapters whose trainer keeps the conversation itself (TRL, SkyRL), so
        they do not pay for a second record on every step. The action goes to the env as given
        (a gymhub env coerces and records it); the step's reward is `rewards[-1]`, and an
        observation with `replace_context` is the consumer's to apply. None when the env
        failed (infra error)."""
        if self.done:
            raise RuntimeError(_OVER)
        if action.__class__ is not str:  # a non-action is the caller's error, raised here as
            action = recordable_action(action)  # `step` raises it, not an env failure (infra)
        try:
            observation, reward, terminated, truncated, info = self.env.step(action)
        except Exception as exc:
            return self._raised("step", exc)
        self._account(reward, terminated, truncated, info)
        return observation

    # ----- outcomes -------------------------------------------------------------------------------
    @property
    def total_reward(self) -> float:
        return float(sum(self.rewards))

    def fail(self, message: str, *, infra: bool = True) -> None:
        """End the episode with an error; `infra=False` for a policy failure (no infra flag)."""
        self.error = message[:MAX_ERROR_CHARS]
        self.infra_error = self.infra_error or infra
        self.done = True

    def truncate(self, reason: str) -> None:
        """End the episode as truncated for a consumer's own budget (e.g. `"max_tokens"`)."""
        self.truncated, self.truncation, self.done = True, reason, True

    def finish(self) -> Timings:
        """Stamp the total time; returns the timings."""
        self.timings.total_s = perf_counter() - self._started
        return self.timings

    # ----- taking in results the consumer got itself, and internals ------------------------------------------------------------------------------
    def start(
        self, observation: Observation, info: dict[str, Any]
    ) -> tuple[Observation, dict[str, Any]]:
        """Begin the episode with a reset's result (for consumers that reset the env themselves)."""
        self.task_id = info.get("task_id")
        self.messages = list(observation.messages)
        self.tools = list(observation.tools)
        return observation, info

    def _raised(self, where: str, exc: Exception) -> None:
        if not self.catch_errors:
            raise exc
        self.fail(f"{where} failed: {type(exc).__name__}: {exc}")
        return None

    def record(
        self,
        action: Action,
        observation: Observation,
        reward: float,
        terminated: bool,
        truncated: bool,
        info: dict[str, Any],
    ) -> StepUpdate:
        """Take in one step's result (for consumers that step the env themselves): the turn
        budget, `replace_context`, `infra_error` and the end of the episode are decided here."""
        reward = self._account(reward, terminated, truncated, info)
        # one read of the observation's fields, not three pydantic attribute reads
        fields = observation.__dict__
        replaced = True if fields["replace_context"] else False  # bool() is a call
        if replaced:
            self.messages = list(fields["messages"])
            self.context_replacements += 1
        else:
            messages = self.messages
            messages.append(action)
            messages.extend(fields["messages"])
        tools = fields["tools"]
        if tools:
            self.tools = list(tools)
        return _new_update(
            StepUpdate,
            (
                action,
                observation,
                reward,
                True if terminated else False,  # bool() is a call, on every step
                True if truncated else False,
                info,
                replaced,
                self.done,
            ),
        )

    def _account(
        self, reward: float, terminated: bool, truncated: bool, info: dict[str, Any]
    ) -> float:
        """The episode's rules for one step's result, shared by `record` and `send`: count the
        turn, take the reward (NaN or inf is the hub's failure), the verdict and its components,
        and decide whether the episode is over (env, `infra_error`, turn budget). Returns the
        reward as counted."""
        self.turns = turns = self.turns + 1
        if reward.__class__ is not float:  # float() is a call, on every step
            reward = float(reward)
        if reward - reward:  # NaN or inf (an env outside gymhub's base class): the hub's failure
            self.fail(f"the env gave a reward of {reward}")
            reward = 0.0
        self.rewards.append(reward)
        status = info.get("verdict")
        if status:
            self.status = status
        components = info.get("reward_components")
        self.reward_components = dict(components) if components else {}
        if terminated or truncated:
            self.terminated = True if terminated else False
            self.truncated = True if truncated else False
            self.truncation = "env" if truncated else None
            self.done = True
        if info.get("infra_error"):
            self.fail(f"infra_error verdict from {getattr(self.env, 'env_id', None) or 'the env'}")
        elif not self.done and self.max_turns is not None and turns >= self.max_turns:
            self.truncate("max_turns")
        return reward
