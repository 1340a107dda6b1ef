"""Online difficulty for the reference trainer: each env of the mixture keeps its own difficulty,
moved by the core `gymhub.curriculum.Curriculum` so the policy's success rate stays in a band.

Why not wrap each env in a `CurriculumWrapper`: GRPO compares the episodes of one group, so all
of them must play the same task (same seed, same difficulty). The trainer therefore asks this
controller once per group for the reset options and reports the group's outcomes after the
rollouts; the rule (window, band, one step up or down) is the core one, shared with the wrapper
that integrations and evaluation use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gymhub.curriculum import Curriculum
from gymhub.errors import GymhubError

#: the keys `adaptive_difficulty` accepts, with their defaults
DEFAULTS: dict[str, Any] = {
    "low": 0.3,
    "high": 0.7,
    "window": 32,
    "min_episodes": 16,
    "start": None,  # None: the lowest difficulty of each env's range
    "step": 1,
    "success_threshold": 1.0,  # an episode counts as solved when its reward reaches this
}


class AdaptiveDifficultyError(GymhubError, ValueError):
    """The `adaptive_difficulty` settings are not usable."""


def settings(raw: dict[str, Any] | None) -> dict[str, Any]:
    """`raw` checked and completed with the defaults."""
    if not isinstance(raw, dict):
        raise AdaptiveDifficultyError(
            f"adaptive_difficulty must be a mapping, got {type(raw).__name__}"
        )
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        raise AdaptiveDifficultyError(
            f"adaptive_difficulty has unknown keys {unknown}; known: {sorted(DEFAULTS)}"
        )
    out = {**DEFAULTS, **raw}
    threshold = out["success_threshold"]
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise AdaptiveDifficultyError("adaptive_difficulty.success_threshold must be a number")
    return out


class AdaptiveDifficulty:
    """One `Curriculum` per env of the mixture that has a difficulty range; the others are left
    alone. `labels[i]` names entry i in metrics (its env id, with `#i` when an id repeats)."""

    def __init__(
        self,
        labels: Sequence[str],
        bounds: Sequence[tuple[int, int] | None],
        raw: dict[str, Any],
    ) -> None:
        cfg = settings(raw)
        if len(labels) != len(bounds):
            raise ValueError("one label per difficulty range")
        self.labels = list(labels)
        self.threshold = float(cfg["success_threshold"])
        self.band = (float(cfg["low"]), float(cfg["high"]))
        self._step_counts: dict[str, tuple[int, int]] = {}  # label -> (solved, episodes)
        self.curricula: dict[int, Curriculum] = {}
        for index, found in enumerate(bounds):
            if found is None:
                continue
            lo, hi = found
            start = lo if cfg["start"] is None else min(hi, max(lo, int(cfg["start"])))
            try:
                self.curricula[index] = Curriculum(
                    low=cfg["low"],
                    high=cfg["high"],
                    window=cfg["window"],
                    min_episodes=cfg["min_episodes"],
                    start=start,
                    bounds=(lo, hi),
                    step=cfg["step"],
                )
            except (TypeError, ValueError) as exc:
                raise AdaptiveDifficultyError(f"adaptive_difficulty: {exc}") from exc
        if not self.curricula:
            raise AdaptiveDifficultyError(
                "adaptive_difficulty is set but no env of the mixture has a difficulty range "
                f"({', '.join(self.labels)})"
            )

    def options(self, index: int, base: dict[str, Any] | None) -> dict[str, Any] | None:
        """The reset options for a group of entry `index`: its current difficulty added."""
        curriculum = self.curricula.get(index)
        if curriculum is None:
            return base
        return {**(base or {}), "difficulty": curriculum.difficulty(self.labels[index])}

    def record(self, index: int, rewards: Sequence[float], played_at: Any) -> None:
        """A group's outcomes (infra errors already left out: the hub's failures say nothing of
        the policy's skill). `played_at` is the difficulty the group was given: a step's groups
        are all drawn before any is scored, so once one group has moved the difficulty, the
        rest of that step's groups (played at the old level) no longer count."""
        curriculum = self.curricula.get(index)
        if curriculum is None:
            return
        label = self.labels[index]
        solved, seen = self._step_counts.get(label, (0, 0))
        wins = sum(1 for reward in rewards if reward >= self.threshold)
        self._step_counts[label] = (solved + wins, seen + len(rewards))
        for reward in rewards:
            if played_at != curriculum.difficulty(label):
                return
            curriculum.update(label, float(reward >= self.threshold))

    def metrics(self) -> dict[str, float]:
        """Per adapted env: `difficulty/<label>` (for the next step) and `success_rate/<label>`,
        the share of this step's episodes of that env that were solved, at whatever level each
        was given (what the band is about); counters restart after each call."""
        row: dict[str, float] = {}
        for index, curriculum in self.curricula.items():
            label = self.labels[index]
            row[f"difficulty/{label}"] = float(curriculum.difficulty(label))
            solved, seen = self._step_counts.get(label, (0, 0))
            if seen:
                row[f"success_rate/{label}"] = solved / seen
        self._step_counts = {}
        return row

    def state_dict(self) -> dict[str, Any]:
        return {self.labels[i]: c.state_dict() for i, c in self.curricula.items()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore saved state; envs that left the mixture are ignored, new ones start fresh."""
        if not isinstance(state, dict):
            raise AdaptiveDifficultyError("saved adaptive-difficulty state must be a mapping")
        for index, curriculum in self.curricula.items():
            saved = state.get(self.labels[index])
            if saved is not None:
                curriculum.load_state_dict(saved)


def entry_labels(ids: Sequence[str]) -> list[str]:
    """Env ids as metric labels; a repeated id gets `#<index>` so each entry keeps its own."""
    return [f"{i}#{n}" if list(ids).count(i) > 1 else i for n, i in enumerate(ids)]
