"""The logic-puzzle environments: one single-turn env per family, and a weighted mixture.

A logic env is a `SingleTurnEnv` made of the family's task source (`FamilySource`, a
`GeneratorSource`) and the family itself as the verifier. Each episode's task comes from
`family.generate(rng, difficulty)` with an rng seeded from `(family, seed, episode index,
difficulty)`, so the same `(env id, seed)` replays the same episodes on any machine. The reward
is `family.verify(answer, task)`: rules, not string match.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, ClassVar

from gymhub.env import StepResult
from gymhub.envs.logic.base import FAMILIES, LogicFamily
from gymhub.errors import InvalidOptionsError
from gymhub.task_env import MAX_ACTION_CHARS, SingleTurnEnv
from gymhub.tasks import GeneratorSource, check_difficulty, derive_seed
from gymhub.types import Action, Task, Verdict

DEFAULT_DIFFICULTY = 3
#: the longest reply `bare_answer=True` reads as an answer without its tag
BARE_ANSWER_MAX_CHARS = 200


def as_tagged(text: str) -> str:
    """A bare answer wrapped in its `<answer>` tag, anything else unchanged.

    A reply is a bare answer when the whole of it (stripped) is one line of at most
    `BARE_ANSWER_MAX_CHARS` characters with no `<` at all: no tag, no reasoning block, no
    half-written tag. It is then read exactly as the content of one tag, by the same family check,
    so a hedge ("3 or 4", "3/4", "3, 4") is refused as it is inside a tag; two lines, a tag, or
    prose longer than the limit are left as they are (no tag: `unparseable`)."""
    stripped = text.strip()
    if not stripped or "<" in stripped or "\n" in stripped or "\r" in stripped:
        return text
    if len(stripped) > BARE_ANSWER_MAX_CHARS:
        return text
    return f"<answer>{stripped}</answer>"


def get_family(name: str) -> LogicFamily:
    """The registered family called `name` (importing every family module first, unless it is
    registered already: the scan lists the families folder, ~4 ms, and every LogicEnv made
    asked for it)."""
    family = FAMILIES.get(name) if isinstance(name, str) else None
    if family is not None:
        return family
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


class FamilySource(GeneratorSource):
    """A family's tasks as a task source. Its rng seeds and task ids follow `generate_task`
    (the scheme every published logic task was generated with), not GeneratorSource's default,
    so that the tasks stay byte-identical."""

    def __init__(self, family: LogicFamily, default_difficulty: int = DEFAULT_DIFFICULTY) -> None:
        super().__init__(
            family.generate,
            f"logic/{family.name}",
            default_difficulty=default_difficulty,
            difficulty_range=family.difficulty_range,
        )
        self.family = family

    def get(self, seed: int, index: int, difficulty: float | None = None) -> Task:
        d = self.default_difficulty if difficulty is None else difficulty
        d = check_difficulty(d, self.family.difficulty_range, what=f"{self.name}'s difficulty")
        return generate_task(self.family, seed, index, d)


class LogicEnv(SingleTurnEnv):
    """One family's puzzles as single-turn episodes: the question, then one scored answer."""

    allowed_options: ClassVar[frozenset[str]] = frozenset({"task", "difficulty"})

    def __init__(
        self,
        family: str,
        difficulty: int = DEFAULT_DIFFICULTY,
        system_prompt: str | None = None,
        bare_answer: bool = False,
        **kwargs: Any,
    ) -> None:
        if not isinstance(bare_answer, bool):
            raise InvalidOptionsError(f"bare_answer must be true or false, got {bare_answer!r}")
        #: also read a reply that is nothing but the answer (see `as_tagged`); off by default
        self.bare_answer = bare_answer
        self.family = get_family(family)
        self.current = self.family  # the family of the current episode's task
        super().__init__(
            FamilySource(self.family, difficulty),
            self.family,
            system_prompt=system_prompt,
            difficulty=difficulty,
            **kwargs,
        )

    def pick_task(self, options: dict[str, Any]) -> Task:
        task = super().pick_task(options)
        name = task.metadata.get("family", self.family.name)
        self.current = self.verifier = FAMILIES.get(name) or get_family(name)  # no rescans
        return task

    def score(self, text: str) -> Verdict:
        """The family checks the puzzle itself, so its reference is the whole task. The answer
        tag is at the end: only the last MAX_ACTION_CHARS characters are read. With
        `bare_answer`, a reply that is just the answer counts as if it were in its tag."""
        assert self.task is not None
        text = text[-MAX_ACTION_CHARS:]
        if self.bare_answer:
            text = as_tagged(text)
        return self.current.verify(text, self.task)

    def _step(self, action: Action) -> StepResult:
        result = super()._step(action)
        assert self.task is not None
        result.info.update(
            logic_family=self.current.name, difficulty=self.task.metadata.get("difficulty")
        )
        return result

    def reference_text(self) -> str | None:
        return None if self.task is None else self.current.reference_response(self.task)

    def secret_strings(self) -> list[str]:
        if self.task is None:
            return []
        return self.current.secret_strings(self.task)


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Family weights sorted by name (default: every registered family, weight 1); a clear
    ValueError for an unknown family, a negative or non-numeric weight, or no positive weight."""
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
    return {name: float(w) for name, w in sorted(weights.items())}


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
        self.weights = check_weights(weights)
        super().__init__(next(iter(self.weights)), difficulty=difficulty, **kwargs)
        self.sources = {name: FamilySource(FAMILIES[name], difficulty) for name in self.weights}

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

    def draw_family(self, seed: int, index: int) -> str:
        """The family of episode `index` after `reset(seed=seed)`, drawn by weight."""
        rng = random.Random(derive_seed("logic-mix", seed, index))
        names = list(self.weights)
        return rng.choices(names, weights=[self.weights[n] for n in names])[0]

    def pick_task(self, options: dict[str, Any]) -> Task:
        if "task" not in options:  # this episode's tasks come from the drawn (or pinned) family
            name = options.get("family") or self.draw_family(
                self.episode_seed or 0, self.episode_index
            )
            self.source = self.sources[name]
        return super().pick_task(options)
