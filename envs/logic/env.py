"""The logic-puzzle environments: one single-turn env per family, and a weighted mixture.

Each episode's task comes from `family.generate(rng, difficulty)` with an rng seeded from
`(family, seed, episode index, difficulty)`, so the same `(env id, seed)` replays the same
episodes on any machine. The reward is `family.verify(answer, task)`: rules, not string match.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, ClassVar

from gymhub.env import Env, StepResult
from gymhub.envs.logic.base import FAMILIES, LogicFamily
from gymhub.errors import InvalidOptionsError
from gymhub.tasks import derive_seed
from gymhub.types import Action, Message, Observation, Task

DEFAULT_DIFFICULTY = 3
MAX_ACTION_CHARS = 200_000


def get_family(name: str) -> LogicFamily:
    """The registered family called `name` (importing every family module first)."""
    from gymhub.envs.logic import discover_families

    discover_families()
    if name not in FAMILIES:
        known = ", ".join(sorted(FAMILIES))
        raise ValueError(f"unknown logic family {name!r}; known families: {known}")
    return FAMILIES[name]


def generate_task(family: LogicFamily, seed: int, index: int, difficulty: int) -> Task:
    """The task of `family` for `(seed, index, difficulty)`, identical on every machine."""
    rng = random.Random(derive_seed("logic", family.name, seed, index, difficulty))
    task = family.generate(rng, difficulty)
    task.id = f"logic-{family.name}-s{seed}-i{index}-d{difficulty}"
    task.metadata["family"] = family.name
    task.metadata["difficulty"] = difficulty
    return task


def reference_text(family: LogicFamily, task: Task) -> str:
    return f"<answer>{family.format_answer(task)}</answer>"


class LogicEnv(Env):
    """One family's puzzles as single-turn episodes: the question, then one scored answer."""

    allowed_options: ClassVar[frozenset[str]] = frozenset({"task", "difficulty"})

    def __init__(
        self,
        family: str,
        difficulty: int = DEFAULT_DIFFICULTY,
        system_prompt: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.family = get_family(family)
        self.difficulty = difficulty
        self.system_prompt = system_prompt

    # -- hooks --------------------------------------------------------------------------------
    def _pick_family(self, options: dict[str, Any]) -> LogicFamily:
        return self.family

    def _reset(self, options: dict[str, Any]) -> Observation:
        family = self._pick_family(options)
        if "task" in options:
            self.task = options["task"]
            name = self.task.metadata.get("family", family.name)
            family = get_family(name) if name != family.name else family
        else:
            difficulty = options.get("difficulty", self.difficulty)
            self.task = generate_task(
                family, self.episode_seed or 0, self.episode_index, difficulty
            )
        self.current = family
        messages = []
        if self.system_prompt:
            messages.append(Message(role="system", content=self.system_prompt))
        messages.append(Message(role="user", content=self.task.question))
        return Observation(messages=messages)

    def _step(self, action: Action) -> StepResult:
        assert self.task is not None
        text = action.text
        if len(text) > MAX_ACTION_CHARS:
            text = text[-MAX_ACTION_CHARS:]  # the answer tag is at the end; bound the work
        verdict = self.current.verify(text, self.task)
        info = {
            "logic_family": self.current.name,
            "difficulty": self.task.metadata.get("difficulty"),
        }
        return StepResult(Observation(), verdict.reward, True, verdict, info)

    def reference_action(self) -> Action | None:
        if self.done or self.task is None:
            return None
        return Action(content=reference_text(self.current, self.task))

    def secret_strings(self) -> list[str]:
        if self.task is None:
            return []
        return self.current.secret_strings(self.task)


class LogicMixEnv(LogicEnv):
    """A weighted mixture over families: each episode draws its family from `weights`
    (default: every registered family, equal weight). `reset(options={"family": name})` pins one."""

    allowed_options: ClassVar[frozenset[str]] = frozenset({"task", "difficulty", "family"})

    def __init__(
        self,
        weights: Mapping[str, float] | None = None,
        difficulty: int = DEFAULT_DIFFICULTY,
        **kwargs: Any,
    ) -> None:
        Env.__init__(self, **{k: v for k, v in kwargs.items() if k != "system_prompt"})
        self.system_prompt = kwargs.get("system_prompt")
        self.difficulty = difficulty
        from gymhub.envs.logic import discover_families

        discover_families()
        if weights is None:
            weights = {name: 1.0 for name in sorted(FAMILIES)}
        if not isinstance(weights, Mapping) or not weights:
            raise ValueError("weights must be a non-empty mapping of family name -> weight")
        for name, weight in weights.items():
            get_family(name)
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
                raise ValueError(f"weight of {name!r} must be a number >= 0, got {weight!r}")
        if sum(weights.values()) <= 0:
            raise ValueError("at least one family weight must be positive")
        self.weights = {name: float(w) for name, w in sorted(weights.items())}
        self.family = FAMILIES[next(iter(self.weights))]
        self.current = self.family

    @property
    def family_names(self) -> list[str]:
        return [name for name, w in self.weights.items() if w > 0]

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        options = super().validate_options(options)
        if "family" in options:
            name = options["family"]
            if not isinstance(name, str) or name not in self.weights:
                raise InvalidOptionsError(
                    f"option 'family' must be one of {self.family_names}, got {name!r}"
                )
        return options

    def _pick_family(self, options: dict[str, Any]) -> LogicFamily:
        if "family" in options:
            return FAMILIES[options["family"]]
        rng = random.Random(derive_seed("logic-mix", self.episode_seed or 0, self.episode_index))
        names = list(self.weights)
        return FAMILIES[rng.choices(names, weights=[self.weights[n] for n in names])[0]]
