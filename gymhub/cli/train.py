"""`gymhub train`: the reference GRPO trainer from flags or a YAML config (see docs/training.md).

Every scalar field of `GRPOConfig` is an option, generated from the config itself (name, type and
help text), so the CLI never drifts from the config. Flags override the config file; `--env`
builds the mixture and `--set key=value` reaches any key (lists and mappings included).
`--check-learning` prints whether the reward rose (mean of the last 10 steps >= 0.8 and >= 0.4
above the first 10) and exits 1 when it did not; `--eval N` then evaluates the trained policy
greedily on N fresh episodes per env.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import typing
import warnings
from pathlib import Path
from typing import Any

import typer

from gymhub.cli.common import err, fail

# Fields reached through their own options (--env, --resume) or only through --set (structured).
NOT_FLAGS = {
    "envs",
    "model_overrides",
    "lora_target_modules",
    "resume",
    "progress",
    "adaptive_difficulty",
}
ALIASES = {"learning_rate": ["--lr"], "output_dir": ["-o"]}
SCALARS = (bool, int, float, str)


def _scalar_type(annotation: Any) -> type | None:
    """bool/int/float/str for `T` or `T | None`; None for anything structured."""
    if annotation in SCALARS:
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and args[0] in SCALARS:
            return args[0]
    return None


def config_parameters() -> list[inspect.Parameter]:
    """One keyword-only parameter (a typer option defaulting to None = not given) per scalar
    field of GRPOConfig."""
    from gymhub.trainers.config import GRPOConfig

    params = []
    for name, field in GRPOConfig.model_fields.items():
        kind = _scalar_type(field.annotation)
        if name in NOT_FLAGS or kind is None:
            continue
        flag = name.replace("_", "-")
        decls = [f"--{flag}/--no-{flag}"] if kind is bool else [f"--{flag}", *ALIASES.get(name, [])]
        help_text = f"{field.description} (config default: {field.default!r})"
        option = typer.Option(None, *decls, help=help_text, show_default=False)
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=kind | None
            )
        )
    return params


def train(
    config: Path | None = typer.Option(None, "--config", "-c", help="YAML config file"),
    env: list[str] = typer.Option(None, "--env", help="env id (repeat; id=weight for a mixture)"),
    resume: bool = typer.Option(False, help="resume from the latest checkpoint in output dir"),
    set_: list[str] = typer.Option(None, "--set", help="any config key: --set beta=0.01"),
    check_learning: bool = typer.Option(False, help="exit 1 unless the reward rose"),
    eval_episodes: int = typer.Option(0, "--eval", help="greedy evaluation episodes per env"),
    quiet: bool = typer.Option(False, help="no progress bar"),
    **flags: Any,
) -> None:
    """Train a policy with GRPO-family RL on gymhub environments."""
    from gymhub.trainers.config import GRPOConfig

    data = _config_data(config, env, flags, set_ or [])
    if resume:
        data["resume"] = True
    if quiet:
        data["progress"] = False
    try:
        cfg = GRPOConfig.from_dict(data)
    except (ValueError, TypeError) as exc:
        fail(f"bad training config: {exc}")
    _check_before_loading(cfg)
    _run(cfg, check_learning, eval_episodes)


def _config_data(
    config: Path | None, env: list[str] | None, flags: dict[str, Any], sets: list[str]
) -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = {}
    if config is not None:
        if not config.is_file():
            fail(f"config file {str(config)!r} does not exist")
        try:
            data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            fail(f"config file {str(config)!r} is not valid YAML: {exc}")
        except UnicodeDecodeError as exc:
            fail(f"config file {str(config)!r} is not UTF-8 text: {exc}")
        except OSError as exc:
            fail(f"cannot read config file {str(config)!r}: {exc.strerror or exc}")
        if not isinstance(data, dict):
            fail("the config file must hold a mapping")
    if env:
        entries = []
        for item in env:
            name, _, weight = item.partition("=")
            try:
                entries.append({"id": name, "weight": float(weight) if weight else 1.0})
            except ValueError:
                fail(f"--env {item!r}: the weight after '=' must be a number")
        data["envs"] = entries
    data.update({k: v for k, v in flags.items() if v is not None})
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--set expects key=value, got {item!r}")
        try:
            data[key.strip()] = yaml.safe_load(value)
        except yaml.YAMLError as exc:
            fail(f"--set {item!r}: the value is not valid YAML: {exc}")
    return data


def _check_before_loading(cfg: Any) -> None:
    """Fail on the user's mistakes with one line, before torch and the model load."""
    import gymhub
    from gymhub.errors import GymhubError

    for entry in cfg.env_entries:
        try:
            gymhub.spec(entry.id)
        except GymhubError as exc:
            fail(str(exc))
    builtin = ("tiny", "qwen2.5-0.5b-shape")
    hub_id = re.fullmatch(r"[\w-][\w.-]*/[\w.-]+", cfg.model) and not cfg.model.startswith(".")
    if cfg.model not in builtin and not Path(cfg.model).exists() and not hub_id:
        fail(f"model {cfg.model!r}: no such path (use 'tiny', a local folder or a hub id)")
    if isinstance(cfg.resume, str) and not Path(cfg.resume).is_dir():
        fail(f"resume checkpoint {cfg.resume!r} does not exist")


def _run(cfg: Any, check_learning: bool, eval_episodes: int) -> None:
    from rich.console import Console

    from gymhub.trainers.metrics import learning_check
    from gymhub.trainers.trainer import GRPOTrainer, TrainingError, TrainingWarning

    console = Console()
    console.print(
        f"[bold]gymhub train[/]: model={cfg.model} envs={[e.id for e in cfg.env_entries]} "
        f"steps={cfg.steps} groups={cfg.prompts_per_step}x{cfg.group_size} -> {cfg.output_dir}",
        highlight=False,
    )
    try:
        trainer = GRPOTrainer(cfg)
    except (TrainingError, FileExistsError, FileNotFoundError) as exc:
        fail(str(exc))
    except (OSError, ValueError) as exc:  # transformers: a missing or unreadable model
        fail(f"cannot load model {cfg.model!r}: {exc}")
    ok = True
    try:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", TrainingWarning)
                warnings.showwarning = _show_warning
                history = trainer.train()
        except TrainingError as exc:
            fail(str(exc), code=1)
        rewards = [row["reward_mean"] for row in history]
        console.print(f"metrics: {Path(cfg.output_dir) / 'metrics.jsonl'}", highlight=False)
        console.print(f"reward curve: {Path(cfg.output_dir) / 'reward.png'}", highlight=False)
        _print_curve(console, rewards)
        if len(rewards) >= 20:
            ok, first, last = learning_check(rewards)
            verdict = "[green]PASS[/]" if ok else "[red]FAIL[/]"
            console.print(
                f"learning check: first 10 steps {first:.3f} -> last 10 steps {last:.3f} "
                f"(needs >= 0.80 and +0.40): {verdict}"
            )
        elif check_learning:
            fail("--check-learning needs at least 20 steps")
        if eval_episodes:
            report = trainer.evaluate(eval_episodes)
            console.print("[bold]evaluation of the trained policy (greedy, fresh seeds)[/]")
            for env_id, res in report.items():
                console.print(
                    f"  {env_id}: success {res['success_rate']:.0%}, reward "
                    f"{res['reward_mean']:.3f} over {res['episodes']} episodes",
                    highlight=False,
                )
                for ex in res["examples"][:3]:
                    console.print(f"    {ex['prompt']!r} -> {ex['reply']!r}", markup=False)
            (Path(cfg.output_dir) / "eval.json").write_text(json.dumps(report, indent=2))
    finally:
        trainer.close()
    if check_learning and not ok:
        raise typer.Exit(1)


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    err.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True)


def _print_curve(console: Any, rewards: list[float], buckets: int = 10) -> None:
    """The reward curve as text: mean reward of consecutive slices of the run."""
    if not rewards:
        return
    size = max(1, len(rewards) // buckets)
    parts = []
    for start in range(0, len(rewards), size):
        chunk = rewards[start : start + size]
        parts.append(f"{start + 1}-{start + len(chunk)}: {sum(chunk) / len(chunk):.2f}")
    console.print("reward by steps  " + "  ".join(parts))


def _with_config_options(fn: Any) -> Any:
    """`fn` with its `**flags` replaced by one option per config field (typer reads the
    signature)."""
    signature = inspect.signature(fn)
    fixed = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
    generated = config_parameters()

    def command(**kwargs: Any) -> None:
        fn(**kwargs)

    command.__signature__ = signature.replace(parameters=[*fixed, *generated])  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in [*fixed, *generated]}
    command.__doc__ = fn.__doc__
    command.__name__ = "train"
    return command


def register(app: typer.Typer) -> None:
    app.command("train")(_with_config_options(train))
