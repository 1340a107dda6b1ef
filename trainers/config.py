"""`GRPOConfig`: every knob of the reference trainer, validated up front with readable errors.

A config is a pydantic model whose fields carry their own descriptions, the one source of
`gymhub train`'s options and of the field table in docs/training.md. `GRPOConfig.from_yaml(path)` /
`from_dict(data)` build one from a file (unknown keys are an error, so a typo never silently falls
back to a default). Importing this module stays light (no torch).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

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


class GRPOConfig(BaseModel):
    """Every knob of the reference trainer; each field says what it does (`gymhub train --help`
    and docs/training.md are generated from these descriptions)."""

    # validate_assignment: a field set after construction is checked (and `envs` re-read) too
    model_config = ConfigDict(
        extra="forbid",
        arbitrary_types_allowed=True,
        protected_namespaces=(),
        validate_assignment=True,
    )
    _entries: list[EnvEntry] = PrivateAttr(default_factory=list)

    # policy
    model: str = Field(
        "tiny",
        description="'tiny' (the embedded 130k-parameter model), or a local / Hugging Face model path",
    )
    model_overrides: dict[str, Any] = Field(
        default_factory=dict,
        description="config overrides when building the embedded model (e.g. initializer_range)",
    )
    # data
    envs: list[Any] = Field(
        default_factory=lambda: ["gymhub/ToyArith-v0"],
        description="env ids, or {id, weight, kwargs, options} entries: the training mixture",
    )
    group_size: int = Field(
        8, description="episodes per prompt; advantages are relative to the group (>= 2)"
    )
    prompts_per_step: int = Field(8, description="prompts (groups) per optimizer step")
    steps: int = Field(100, description="optimizer steps of the run")
    # optimisation
    learning_rate: float = Field(1e-6, description="AdamW learning rate")
    lr_schedule: str = Field(
        "constant", description="learning-rate schedule after warmup: constant, linear or cosine"
    )
    warmup_steps: int = Field(0, description="steps of linear warmup")
    weight_decay: float = Field(0.0, description="AdamW weight decay")
    max_grad_norm: float = Field(1.0, description="gradient clipping norm")
    grad_accum: int = Field(
        1, description="micro-batches per update (same gradient as one big batch)"
    )
    micro_batch_tokens: int = Field(
        16384,
        description="most padded tokens in one forward/backward pass: a larger micro-batch is "
        "split further (same gradient), which bounds the memory of the vocabulary-sized logits",
    )
    epochs_per_step: int = Field(
        1, description="passes over each step's rollouts; > 1 re-uses them off-policy"
    )
    # rollouts
    max_turns: int = Field(4, description="policy turns per episode")
    max_tokens: int = Field(
        1024, description="tokens per episode (prompt + all turns); longer episodes are cut"
    )
    max_new_tokens: int = Field(128, description="tokens per policy turn")
    temperature: float = Field(1.0, description="sampling temperature of rollouts (> 0)")
    top_p: float = Field(1.0, description="nucleus sampling of rollouts")
    backend: str = Field(
        "auto",
        description="generation backend: auto, hf or vllm (auto picks vLLM on a GPU when installed)",
    )
    # algorithm
    advantage: str = Field("grpo", description="advantage estimator: grpo, dr_grpo or rloo")
    loss_agg: str = Field(
        "token_mean", description="loss aggregation: token_mean, seq_mean_token_mean or constant"
    )
    ratio_level: str = Field(
        "token", description="importance ratio per token, or per sequence (GSPO)"
    )
    clip_low: float = Field(0.2, description="lower PPO clip range")
    clip_high: float = Field(0.2, description="upper PPO clip range (0.28 is DAPO's clip-higher)")
    beta: float = Field(
        0.0, description="k3 KL penalty to a reference model; no reference model is loaded when 0"
    )
    entropy_coef: float = Field(0.0, description="entropy bonus on policy tokens")
    adaptive_difficulty: dict[str, Any] | None = Field(
        None,
        description="online difficulty per env of the mixture, kept so the success rate stays in "
        "a band (RLVE-style): {low, high, window, min_episodes, start, step, success_threshold}; "
        "envs without a difficulty range are left as they are; state saved in checkpoints",
    )
    dynamic_sampling: bool = Field(
        False, description="drop groups whose rewards are all equal and refill the batch (DAPO)"
    )
    max_resample_rounds: int = Field(
        3, description="extra rollout rounds dynamic sampling may use to refill a batch"
    )
    overlong_cache: int = Field(
        0, description="DAPO soft overlong penalty window in tokens (0 = off)"
    )
    mask_truncated: bool = Field(
        False,
        description="leave truncated episodes, and those whose last reply the token budget cut, "
        "out of the loss (DAPO overlong filtering)",
    )
    is_correction: bool | None = Field(
        None,
        description="truncated importance sampling against the sampler; default: on when the sampler is not the trained model",
    )
    is_cap: float = Field(2.0, description="cap of the truncated importance weights")
    disable_dropout: bool = Field(
        True,
        description="turn the model's dropout off (LoRA's own lora_dropout is kept): with it, "
        "the policy-ratio and KL terms compare two noisy passes, not the policy with itself",
    )
    # parameter-efficient fine-tuning
    lora: bool = Field(False, description="train LoRA adapters instead of all weights")
    lora_r: int = Field(16, description="LoRA rank")
    lora_alpha: int = Field(32, description="LoRA alpha")
    lora_dropout: float = Field(0.0, description="LoRA dropout")
    lora_target_modules: Any = Field(
        "all-linear", description="modules that get adapters (PEFT's target_modules)"
    )
    # runtime
    bf16: bool | None = Field(None, description="bf16 weights; default: on GPU yes, on CPU no")
    device: str = Field("auto", description="torch device, or auto")
    seed: int = Field(0, description="seed of everything (sampling, env seeds, initialisation)")
    output_dir: str = Field(
        "runs/grpo", description="run folder: metrics.jsonl, reward.png, checkpoints, final model"
    )
    save_every: int = Field(
        0, description="save a checkpoint every N steps (0 = only the final model)"
    )
    resume: bool | str = Field(
        False,
        description="continue from the latest checkpoint in output_dir (true) or from this checkpoint path",
    )
    overwrite: bool = Field(
        False, description="allow a new run to write into an output_dir that holds another run"
    )
    plot_every: int = Field(5, description="redraw reward.png every N steps")
    progress: bool = Field(True, description="show a progress bar")
    torch_threads: int | None = Field(
        None, description="CPU threads for torch (default: torch's choice)"
    )

    @model_validator(mode="after")
    def _validated(self) -> GRPOConfig:
        self._entries = [self._entry(e) for e in self._env_list()]
        self.check()
        return self

    @property
    def env_entries(self) -> list[EnvEntry]:
        """`envs` normalised to `EnvEntry`s."""
        return self._entries

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

    def check(self) -> None:
        """Cross-field rules a type alone cannot say; raises ValueError naming the field."""
        from gymhub.trainers.adaptive import settings
        from gymhub.trainers.algorithms import ADVANTAGE_METHODS, AGGREGATIONS, RATIO_LEVELS

        if self.adaptive_difficulty is not None:
            settings(self.adaptive_difficulty)  # unknown keys fail when the config is read

        def positive(name: str) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")

        def at_least_zero(name: str) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0, got {value!r}")

        for name in ("group_size", "prompts_per_step", "steps", "grad_accum", "epochs_per_step"):
            positive(name)
        for name in ("max_turns", "max_tokens", "max_new_tokens", "micro_batch_tokens"):
            positive(name)
        for name in ("lora_r", "lora_alpha"):
            positive(name)
        # a negative warmup made the learning rate negative (gradient ascent); a negative
        # max_resample_rounds ran no rollouts at all
        for name in ("warmup_steps", "save_every", "plot_every", "max_resample_rounds"):
            at_least_zero(name)
        if self.torch_threads is not None:
            positive("torch_threads")
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if info.annotation is float and not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value!r}")
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
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        # clip_grad_norm_ with max_norm 0 zeroes every update, with max_norm < 0 it flips the
        # gradient's sign; is_cap <= 0 does the same to the importance weights
        if self.max_grad_norm <= 0:
            raise ValueError(f"max_grad_norm must be > 0, got {self.max_grad_norm}")
        if self.is_cap <= 0:
            raise ValueError(f"is_cap must be > 0, got {self.is_cap}")
        if self.weight_decay < 0:
            raise ValueError(f"weight_decay must be >= 0, got {self.weight_decay}")
        if not 0 <= self.lora_dropout < 1:
            raise ValueError(f"lora_dropout must be in [0, 1), got {self.lora_dropout}")
        if self.clip_low < 0 or self.clip_high < 0 or self.clip_low >= 1:
            raise ValueError("clip_low must be in [0, 1) and clip_high >= 0")
        if self.entropy_coef < 0:
            raise ValueError(f"entropy_coef must be >= 0, got {self.entropy_coef}")
        if self.beta < 0:
            raise ValueError(f"beta must be >= 0, got {self.beta}")
        if self.overlong_cache < 0 or self.overlong_cache > self.max_new_tokens * self.max_turns:
            raise ValueError("overlong_cache must be in [0, max_new_tokens * max_turns]")
        if any(not (0 < e.weight < math.inf) for e in self.env_entries):
            raise ValueError("env weights must be finite numbers > 0")
        if self.grad_accum > self.prompts_per_step * self.group_size:
            raise ValueError("grad_accum cannot exceed the number of episodes per step")

    # ---- (de)serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in type(self).model_fields}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GRPOConfig:
        if not isinstance(data, dict):
            raise ValueError(f"a config must be a mapping, got {type(data).__name__}")
        names = set(cls.model_fields)
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
        from pydantic import ValidationError

        try:
            return cls(**data)
        except ValidationError as exc:
            raise ValueError(_readable(exc)) from None

    @classmethod
    def from_yaml(cls, path: str | Path) -> GRPOConfig:
        import yaml

        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"config file {str(path)!r} does not exist")
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls.from_dict(data)


def _readable(exc: Any) -> str:
    """A pydantic ValidationError as one line per problem: `field: what is wrong`."""
    lines = []
    for problem in exc.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()))
        message = str(problem.get("msg", "")).removeprefix("Value error, ")
        lines.append(f"{where}: {message}" if where else message)
    return "; ".join(lines)


FIELDS_BEGIN = "<!-- GRPOConfig fields: generated by gymhub.trainers.config.fields_markdown -->"
FIELDS_END = "<!-- end of GRPOConfig fields -->"


def fields_markdown() -> str:
    """The table of every GRPOConfig field (name, default, description) for docs/training.md,
    generated from the config itself; a test keeps the doc equal to it."""
    rows = ["| field | default | meaning |", "|---|---|---|"]
    for name, info in GRPOConfig.model_fields.items():
        default = info.default_factory() if info.default_factory else info.default
        shown = "auto" if default is None else json.dumps(default)
        rows.append(f"| `{name}` | `{shown}` | {info.description} |")
    return "\n".join([FIELDS_BEGIN, *rows, FIELDS_END])
