"""A difficulty curriculum for any env with a difficulty range, and a family sampler.

- `Curriculum` keeps one integer difficulty per key (a family, or an env id) and moves it one step
  up when the recent success rate is above the target band, one step down when below, so the
  policy keeps seeing tasks it solves about `low`..`high` of the time.
- `FamilySampler` picks the next family with probability growing with its learning signal
  p(1-p), where p is the family's recent success rate: families always solved or never solved
  teach little; a floor keeps every family visited.
- `CurriculumWrapper` (a `gymhub.Wrapper`) drives an env with both, exposes their state in
  `info["curriculum"]`, and can save and restore that state (JSON) so resumed training continues
  where it stopped. The difficulty bounds come from the env's spec (`difficulty_range`), so it
  works on any registered env that has one: logic, MathGen, toy, web, GUI.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable
from typing import Any

import gymnasium

import gymhub
from gymhub.env import Env
from gymhub.episode import EpisodeLoop
from gymhub.errors import GymhubError
from gymhub.tasks import derive_seed
from gymhub.types import Action, Observation
from gymhub.wrappers import StepTuple, Wrapper

STATE_VERSION = 1
#: Seeds from here up are reserved for evaluation (the same value as
#: `gymhub.evaluation.suites.EVAL_SEED_START`, tested): a training wrapper refuses them, so a
#: policy is never trained on a task that an evaluation suite scores.
EVAL_SEED_START = 2**31


class EvalSeedError(GymhubError, ValueError):
    """A training draw asked for a seed of the reserved evaluation range."""


def check_training_seed(seed: int | None) -> int | None:
    """`seed` when it may be used for training (None lets the env draw one below the reserved
    range); raises `EvalSeedError` for a reserved evaluation seed."""
    if seed is not None and seed >= EVAL_SEED_START:
        raise EvalSeedError(
            f"seed {seed} is in the reserved evaluation range (>= 2**31 = {EVAL_SEED_START}); "
            "training must use seeds below it"
        )
    return seed


class Curriculum:
    """Per-key difficulty kept inside a target success band."""

    def __init__(
        self,
        low: float = 0.3,
        high: float = 0.7,
        window: int = 16,
        min_episodes: int = 8,
        start: int = 1,
        bounds: tuple[int, int] = (1, 10),
        step: int = 1,
    ) -> None:
        if not 0.0 <= low < high <= 1.0:
            raise ValueError(f"need 0 <= low < high <= 1, got low={low}, high={high}")
        if not (isinstance(window, int) and isinstance(min_episodes, int)):
            raise TypeError("window and min_episodes must be integers")
        if not 1 <= min_episodes <= window:
            raise ValueError(f"need 1 <= min_episodes <= window, got {min_episodes}, {window}")
        lo, hi = bounds
        if not (isinstance(lo, int) and isinstance(hi, int) and lo <= start <= hi):
            raise ValueError(f"start {start} must be an integer within bounds {bounds}")
        if not isinstance(step, int) or step < 1:
            raise ValueError(f"step must be a positive integer, got {step!r}")
        self.low, self.high = low, high
        self.window, self.min_episodes = window, min_episodes
        self.start, self.bounds, self.step = start, (lo, hi), step
        self.levels: dict[str, int] = {}
        self.history: dict[str, deque[float]] = {}
        self.episodes: dict[str, int] = {}
        self.changes: dict[str, int] = {}

    def difficulty(self, key: str) -> int:
        return self.levels.get(key, self.start)

    def success_rate(self, key: str) -> float | None:
        recent = self.history.get(key)
        return sum(recent) / len(recent) if recent else None

    def update(self, key: str, success: float) -> int:
        """Record one episode's outcome (1 = solved, 0 = not, or a value in between) at the
        key's current difficulty; returns the difficulty for the next episode."""
        success = min(1.0, max(0.0, float(success)))
        recent = self.history.setdefault(key, deque(maxlen=self.window))
        recent.append(success)
        self.episodes[key] = self.episodes.get(key, 0) + 1
        level = self.difficulty(key)
        if len(recent) >= self.min_episodes:
            rate = sum(recent) / len(recent)
            lo, hi = self.bounds
            new = level
            if rate > self.high and level < hi:
                new = min(hi, level + self.step)
            elif rate < self.low and level > lo:
                new = max(lo, level - self.step)
            if new != level:
                self.levels[key] = new
                self.changes[key] = self.changes.get(key, 0) + 1
                recent.clear()  # outcomes at the old difficulty say little about the new one
                return new
        self.levels[key] = level
        return level

    def state_dict(self) -> dict[str, Any]:
        return {
            "config": {
                "low": self.low,
                "high": self.high,
                "window": self.window,
                "min_episodes": self.min_episodes,
                "start": self.start,
                "bounds": list(self.bounds),
                "step": self.step,
            },
            "levels": dict(self.levels),
            "history": {k: list(v) for k, v in self.history.items()},
            "episodes": dict(self.episodes),
            "changes": dict(self.changes),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        try:
            self.levels = {str(k): int(v) for k, v in state["levels"].items()}
            self.history = {
                str(k): deque((float(x) for x in v), maxlen=self.window)
                for k, v in state["history"].items()
            }
            self.episodes = {str(k): int(v) for k, v in state.get("episodes", {}).items()}
            self.changes = {str(k): int(v) for k, v in state.get("changes", {}).items()}
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise ValueError(f"not a curriculum state: {exc!r}") from exc

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> Curriculum:
        config = dict(state.get("config", {}))
        if "bounds" in config:
            config["bounds"] = tuple(config["bounds"])
        curriculum = cls(**config)
        curriculum.load_state_dict(state)
        return curriculum

    def summary(self, key: str) -> dict[str, Any]:
        rate = self.success_rate(key)
        return {
            "difficulty": self.difficulty(key),
            "success_rate": None if rate is None else round(rate, 4),
            "episodes": self.episodes.get(key, 0),
            "changes": self.changes.get(key, 0),
        }


class FamilySampler:
    """Samples families in proportion to their learning signal p(1-p) (plus a floor).

    p is the success rate over the last `window` episodes of a family, shrunk toward 0.5 by a
    Beta(1, 1) prior so that unseen families look maximally informative and get tried first."""

    def __init__(self, families: Iterable[str], window: int = 32, floor: float = 0.02) -> None:
        self.families = sorted(set(families))
        if not self.families:
            raise ValueError("FamilySampler needs at least one family")
        if not 0.0 <= floor <= 1.0:
            raise ValueError(f"floor must be in [0, 1], got {floor}")
        self.window, self.floor = window, floor
        self.history: dict[str, deque[float]] = {f: deque(maxlen=window) for f in self.families}

    def signal(self, family: str) -> float:
        recent = self.history[family]
        p = (sum(recent) + 1.0) / (len(recent) + 2.0)
        return p * (1.0 - p)

    def weights(self) -> dict[str, float]:
        return {f: max(self.signal(f), self.floor) for f in self.families}

    def sample(self, rng: random.Random) -> str:
        weights = self.weights()
        return rng.choices(self.families, weights=[weights[f] for f in self.families])[0]

    def update(self, family: str, success: float) -> None:
        if family in self.history:
            self.history[family].append(min(1.0, max(0.0, float(success))))

    def state_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "floor": self.floor,
            "history": {f: list(v) for f, v in self.history.items()},
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        try:
            for family, values in state["history"].items():
                if family in self.history:
                    self.history[family] = deque((float(x) for x in values), maxlen=self.window)
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise ValueError(f"not a sampler state: {exc!r}") from exc


def difficulty_bounds(env: Env) -> tuple[int, int] | None:
    """The env's integer difficulty range: the one its spec declares (`gymhub.make` sets it on the
    env; looked up by id for an env built otherwise); None when it has none."""
    found = env.difficulty_range
    if found is None and env.env_id:
        try:
            found = gymhub.spec(env.env_id).difficulty_range
        except GymhubError:
            return None
    if not found:
        return None
    lo, hi = found
    return int(lo), int(hi)


class CurriculumWrapper(Wrapper):
    """Wraps any gymhub env with a difficulty range (from its spec, or the given curriculum's).

    Without a `curriculum`, one is made with the spec's `difficulty_range` as bounds (starting at
    the easiest level). With several families (an env accepting a `family` option, such as
    Logic-Mix), the sampler picks the family and the curriculum its difficulty; otherwise the env
    id is the one key. An episode counts as solved when its total reward reaches
    `success_threshold`.
    """

    def __init__(
        self,
        env: Env,
        curriculum: Curriculum | None = None,
        sampler: FamilySampler | None = None,
        families: Iterable[str] | None = None,
        success_threshold: float = 1.0,
    ) -> None:
        super().__init__(env)
        if "difficulty" not in env.allowed_options:
            raise ValueError(f"{env!r} has no 'difficulty' reset option to adapt")
        bounds = difficulty_bounds(env)
        if curriculum is None:
            if bounds is None:
                raise ValueError(
                    f"{env!r} has no difficulty range in its spec; pass a Curriculum with bounds"
                )
            curriculum = Curriculum(bounds=bounds, start=bounds[0])
        elif (
            bounds is not None
            and not bounds[0] <= curriculum.bounds[0] <= curriculum.bounds[1] <= bounds[1]
        ):
            raise ValueError(
                f"curriculum bounds {curriculum.bounds} exceed {env.env_id}'s difficulty range "
                f"{bounds}"
            )
        # not the registered env itself: its episodes depend on the curriculum's state
        self.env_id = None
        self.curriculum = curriculum
        if families is None and sampler is None and "family" in env.allowed_options:
            families = getattr(env, "family_names", None)
        if sampler is None and families is not None:
            sampler = FamilySampler(families)
        if sampler is not None and "family" not in env.allowed_options:
            raise ValueError(f"{env!r} has no 'family' reset option for the family sampler")
        self.sampler = sampler
        self.success_threshold = success_threshold
        self.rng = random.Random(0)
        self.key: str | None = None
        self.counted = True
        #: the running episode, stepped through the one episode loop
        self.episode = EpisodeLoop(env)

    @property
    def episode_return(self) -> float:
        return self.episode.total_reward

    # -- the curriculum, through the Wrapper hooks (sync and async alike) -------------------------
    def _default_key(self) -> str:
        return self.env.env_id or type(self.env).__name__

    def reset_options(self, seed: int | None, options: dict[str, Any]) -> dict[str, Any]:
        check_training_seed(seed)  # the curriculum drives training: eval seeds are off limits
        if seed is not None:
            self.rng = random.Random(derive_seed("curriculum", seed))
            gymnasium.Env.reset(self, seed=seed)
        self.counted = "task" not in options  # a pinned task says nothing about the difficulty
        if self.counted:
            if self.sampler is not None and "family" not in options:
                options["family"] = self.sampler.sample(self.rng)
            self.key = str(options.get("family", self._default_key()))
            options.setdefault("difficulty", self.curriculum.difficulty(self.key))
        return options

    def on_reset(
        self, observation: Observation, info: dict[str, Any]
    ) -> tuple[Observation, dict[str, Any]]:
        self.episode = EpisodeLoop(self.env)
        self.episode.start(observation, info)
        info["curriculum"] = self.info()
        return observation, info

    def on_step(self, action: Action, result: StepTuple) -> StepTuple:
        self.episode.record(action, *result)
        info = result[4]
        # an infra error says nothing about the policy's skill: it is not counted
        counted = self.counted and self.key is not None and not self.episode.infra_error
        if self.episode.done and counted:
            assert self.key is not None
            success = 1.0 if self.episode.total_reward >= self.success_threshold else 0.0
            self.curriculum.update(self.key, success)
            if self.sampler is not None:
                self.sampler.update(self.key, success)
        info["curriculum"] = self.info()
        return result

    def info(self) -> dict[str, Any]:
        """What `info["curriculum"]` holds: the current key and its curriculum state."""
        data: dict[str, Any] = {"key": self.key}
        if self.key is not None:
            data.update(self.curriculum.summary(self.key))
        if self.sampler is not None:
            data["family_weights"] = {k: round(v, 4) for k, v in self.sampler.weights().items()}
        return data

    # -- save / restore --------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """JSON-serializable state: curriculum, sampler and the wrapper's rng."""
        version, internal, gauss = self.rng.getstate()
        return {
            "version": STATE_VERSION,
            "curriculum": self.curriculum.state_dict(),
            "sampler": self.sampler.state_dict() if self.sampler else None,
            "rng": [version, list(internal), gauss],
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise ValueError("not a CurriculumWrapper state (or from an incompatible version)")
        self.curriculum = Curriculum.from_state_dict(state["curriculum"])
        if state.get("sampler") is not None:
            if self.sampler is None:
                raise ValueError("the saved state has a family sampler but this wrapper has none")
            self.sampler.load_state_dict(state["sampler"])
        version, internal, gauss = state["rng"]
        self.rng.setstate((version, tuple(internal), gauss))
