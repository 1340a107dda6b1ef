"""`gymhub/RMProxy-v0`: a verifiable env whose reward is replaced by a reward model's score.

The env's own verifier still runs and its reward is kept as `reward_components["gold"]`, so a
trainer optimising the proxy (the reward model) can log the gold reward beside it and show where
the two part: reward-model over-optimisation, seen as it happens.
"""

from __future__ import annotations

from typing import Any

from gymhub.env import Env, StepResult
from gymhub.envs.rlhf.env import GatedLearnedReward, resolve_reward_model
from gymhub.types import Action, Observation


class ProxyRewardEnv(Env):
    """Single-step episodes of `base_env`, rewarded by `reward_model` (gold kept in components)."""

    def __init__(
        self,
        base_env: str = "gymhub/ToyArith-v0",
        *,
        env_kwargs: dict[str, Any] | None = None,
        reward_model: Any = "tiny",
        shaping: Any = None,
        **kwargs: Any,
    ) -> None:
        from gymhub.registry import make, spec

        super().__init__(max_turns=1, **kwargs)
        if spec(base_env).multi_turn:
            raise ValueError(f"{base_env} is multi-turn; the proxy env wraps single-step envs")
        self.inner = make(base_env, **dict(env_kwargs or {}))
        self.scorer = GatedLearnedReward(
            resolve_reward_model(reward_model, {"sigmoid": True} if shaping is None else shaping)
        )

    def _reset(self, options: dict[str, Any]) -> Observation:
        if self.episode_index == 0:
            observation, _ = self.inner.reset(seed=self.episode_seed, options=options)
        else:
            observation, _ = self.inner.reset(options=options)
        self.task = self.inner.task
        self._prompt = [m.model_dump(mode="json", exclude_none=True) for m in observation.messages]
        return observation

    def _step(self, action: Action) -> StepResult:
        _, gold, _, _, gold_info = self.inner.step(action)
        verdict = self.scorer.verify(action.text, None, prompt=self._prompt)
        components = {**verdict.components, "gold": float(gold)}
        verdict = verdict.model_copy(update={"components": components})
        return StepResult(
            Observation(), verdict.reward, True, verdict, {"gold_verdict": gold_info["verdict"]}
        )

    def reference_action(self) -> Action | None:
        return None if self.done else self.inner.reference_action()

    def secret_strings(self) -> list[str]:
        return self.inner.secret_strings()

    def close(self) -> None:
        self.inner.close()
        super().close()
