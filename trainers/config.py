"""`GRPOConfig`: every knob of the reference trainer, validated up front with readable errors.

A config is a plain dataclass; `GRPOConfig.from_yaml(path)` / `from_dict(data)` build one from a
file (unknown keys are an error, so a typo never silently falls back to a default).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gymhub.trainers.algorithms import ADVANTAGE_METHODS, AGGREGATIONS, RATIO_LEVELS

SCHEDULES = ("constant", "linear", "cosine")
BACKENDS = ("auto", "hf", "vllm")


@dataclass
class EnvEntry:
    """One env of the training mixture: registered id, sampling weight, `make` kwargs and reset
    options (e.g. `{"difficulty": 2}`)."""

    id: str
    weight: float = 1.0
    kwargs: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class GRPOConfig:
    # policy
    model: str = "tiny"
    model_overrides: dict[str, Any] = field(default_factory=dict)
    # data: envs with mixture weights
    envs: list[Any] = field(default_factory=lambda: ["gymhub/ToyArith-v0"])
    group_size: int = 8
    prompts_per_step: int = 8
    steps: int = 100
    # optimisation
    learning_rate: float = 1e-6
    lr_schedule: str = "constant"
    warmup_steps: int = 0
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    grad_accum: int = 1
    epochs_per_step: int = 1
    # rollouts
    max_turns: int = 4
    max_tokens: int = 1024
    max_new_tokens: int = 128
    temperature: float = 1.0
    top_p: float = 1.0
    backend: str = "auto"
    # algorithm
    advantage: str = "grpo"
    loss_agg: str = "token_mean"
    ratio_level: str = "token"
    clip_low: float = 0.2
    clip_high: float = 0.2
    beta: float = 0.0
    entropy_coef: float = 0.0
    dynamic_sampling: bool = False
    max_resample_rounds: int = 3
    overlong_cache: int = 0
    mask_truncated: bool = False
    is_correction: bool | None = None
    is_cap: float = 2.0
    # parameter-efficient fine-tuning
    lora: bool = False
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.0
    lora_target_modules: Any = "all-linear"
    # runtime
    bf16: bool | None = None
    device: str = "auto"
    seed: int = 0
    output_dir: str = "runs/grpo"
    save_every: int = 0
    resume: bool | str = False
    plot_every: int = 5
    progress: bool = True
    torch_threads: int | None = None

    def __post_init__(self) -> None:
        self.env_entries = [self._entry(e) for e in self._env_list()]
        self.validate()

    def _env_list(self) -> list[Any]:
        if isinstance(self.envs, str):
            return [self.envs]
        if isinstance(self.envs, dict):
            return [{"id": k, "weight": v} for k, v in self.envs.items()]
        if not isinstance(self.envs, list) or not self.envs:
            raise ValueError("envs must be a non-empty list of env ids or {id, weight, ...} dicts")
        return self.envs

    @staticmethod
    def _entry(item: Any) -> EnvEntry:
        if isinstance(item, EnvEntry):
            return item
        if isinstance(item, str):
            return EnvEntry(id=item)
        if isinstance(item, dict):
            unknown = set(item) - {"id", "weight", "kwargs", "options"}
            if unknown or "id" not in item:
                raise ValueError(
                    f"env entry {item!r} needs 'id' and may have weight/kwargs/options "
                    f"(unknown: {sorted(unknown)})"
                )
            return EnvEntry(
                id=str(item["id"]),
                weight=float(item.get("weight", 1.0)),
                kwargs=dict(item.get("kwargs") or {}),
                options=dict(item.get("options") or {}),
            )
        raise ValueError(f"env entry must be an id or a dict, got {item!r}")

    def validate(self) -> None:
        def positive(name: str) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")

        for name in ("group_size", "prompts_per_step", "steps", "grad_accum", "epochs_per_step"):
            positive(name)
        for name in ("max_turns", "max_tokens", "max_new_tokens", "lora_r"):
            positive(name)
        if self.group_size < 2:
            raise ValueError("group_size must be at least 2 (advantages are relative to a group)")
        choices = {
            "advantage": ADVANTAGE_METHODS,
            "loss_agg": AGGREGATIONS,
            "ratio_level": RATIO_LEVELS,
            "lr_schedule": SCHEDULES,
            "backend": BACKENDS,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {self.learning_rate}")
        if self.temperature <= 0:
            raise ValueError("temperature must be > 0 for RL sampling")
        if self.clip_low < 0 or self.clip_high < 0 or self.clip_low >= 1:
            raise ValueError("clip_low must be in [0, 1) and clip_high >= 0")
        if self.entropy_coef < 0:
            raise ValueError(f"entropy_coef must be >= 0, got {self.entropy_coef}")
        if self.beta < 0:
            raise ValueError(f"beta must be >= 0, got {self.beta}")
        if self.overlong_cache < 0 or self.overlong_cache > self.max_new_tokens * self.max_turns:
            raise ValueError("overlong_cache must be in [0, max_new_tokens * max_turns]")
        if any(e.weight <= 0 for e in self.env_entries):
            raise ValueError("env weights must be > 0")
        if self.grad_accum > self.prompts_per_step * self.group_size:
            raise ValueError("grad_accum cannot exceed the number of episodes per step")

    # ---- (de)serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GRPOConfig:
        if not isinstance(data, dict):
            raise ValueError(f"a config must be a mapping, got {type(data).__name__}")
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            import difflib

            hints = {u: difflib.get_close_matches(u, names, n=1) for u in unknown}
            raise ValueError(
                "unknown config key(s): "
                + ", ".join(
                    f"{u}" + (f" (did you mean {h[0]}?)" if h else "") for u, h in hints.items()
                )
            )
        return cls(**data)

    @classmethod
    def from_yaml(cls, path: str | Path) -> GRPOConfig:
        import yaml

        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"config file {str(path)!r} does not exist")
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls.from_dict(data)
