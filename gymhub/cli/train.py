"""`gymhub train`: the reference GRPO trainer from flags or a YAML config (see docs/training.md).

Flags override the config file. `--check-learning` prints whether the reward rose (mean of the
last 10 steps >= 0.8 and >= 0.4 above the first 10) and exits 1 when it did not; `--eval N` then
evaluates the trained policy greedily on N fresh episodes per env.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def train(
        config: Path | None = typer.Option(None, "--config", "-c", help="YAML config file"),
        env: list[str] = typer.Option(
            None, "--env", help="env id (repeat; id=weight for a mixture)"
        ),
        model: str | None = typer.Option(None, help="'tiny' or a local/HF model path"),
        steps: int | None = typer.Option(None, help="optimizer steps"),
        group_size: int | None = typer.Option(None, help="episodes per prompt"),
        prompts_per_step: int | None = typer.Option(None, help="prompts (groups) per step"),
        learning_rate: float | None = typer.Option(None, "--lr", help="learning rate"),
        advantage: str | None = typer.Option(None, help="grpo | dr_grpo | rloo"),
        loss_agg: str | None = typer.Option(
            None, help="token_mean | seq_mean_token_mean | constant"
        ),
        max_new_tokens: int | None = typer.Option(None, help="tokens per policy turn"),
        max_turns: int | None = typer.Option(None, help="policy turns per episode"),
        lora: bool | None = typer.Option(None, "--lora/--no-lora", help="train LoRA adapters"),
        seed: int | None = typer.Option(None, help="seed of everything"),
        output_dir: str | None = typer.Option(None, "--output-dir", "-o", help="run folder"),
        resume: bool = typer.Option(False, help="resume from the latest checkpoint in output dir"),
        set_: list[str] = typer.Option(None, "--set", help="any config key: --set beta=0.01"),
        check_learning: bool = typer.Option(False, help="exit 1 unless the reward rose"),
        eval_episodes: int = typer.Option(0, "--eval", help="greedy evaluation episodes per env"),
        quiet: bool = typer.Option(False, help="no progress bar"),
    ) -> None:
        """Train a policy with GRPO-family RL on gymhub environments."""
        import yaml

        from gymhub.trainers.config import GRPOConfig

        data: dict[str, Any] = {}
        if config is not None:
            if not config.is_file():
                raise typer.BadParameter(f"config file {str(config)!r} does not exist")
            data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
            if not isinstance(data, dict):
                raise typer.BadParameter("the config file must hold a mapping")
        if env:
            entries = []
            for item in env:
                name, _, weight = item.partition("=")
                entries.append({"id": name, "weight": float(weight) if weight else 1.0})
            data["envs"] = entries
        flags = {
            "model": model,
            "steps": steps,
            "group_size": group_size,
            "prompts_per_step": prompts_per_step,
            "learning_rate": learning_rate,
            "advantage": advantage,
            "loss_agg": loss_agg,
            "max_new_tokens": max_new_tokens,
            "max_turns": max_turns,
            "lora": lora,
            "seed": seed,
            "output_dir": output_dir,
        }
        data.update({k: v for k, v in flags.items() if v is not None})
        for item in set_ or []:
            key, sep, value = item.partition("=")
            if not sep:
                raise typer.BadParameter(f"--set expects key=value, got {item!r}")
            data[key.strip()] = yaml.safe_load(value)
        if resume:
            data["resume"] = True
        if quiet:
            data["progress"] = False
        try:
            cfg = GRPOConfig.from_dict(data)
        except (ValueError, TypeError) as exc:
            raise typer.BadParameter(str(exc)) from exc

        from rich.console import Console

        from gymhub.trainers.metrics import learning_check
        from gymhub.trainers.trainer import GRPOTrainer

        console = Console()
        console.print(
            f"[bold]gymhub train[/]: model={cfg.model} envs={[e.id for e in cfg.env_entries]} "
            f"steps={cfg.steps} groups={cfg.prompts_per_step}x{cfg.group_size} -> {cfg.output_dir}"
        )
        trainer = GRPOTrainer(cfg)
        try:
            history = trainer.train()
            rewards = [row["reward_mean"] for row in history]
            console.print(f"metrics: {Path(cfg.output_dir) / 'metrics.jsonl'}")
            console.print(f"reward curve: {Path(cfg.output_dir) / 'reward.png'}")
            _print_curve(console, rewards)
            ok = True
            if len(rewards) >= 20:
                ok, first, last = learning_check(rewards)
                verdict = "[green]PASS[/]" if ok else "[red]FAIL[/]"
                console.print(
                    f"learning check: first 10 steps {first:.3f} -> last 10 steps {last:.3f} "
                    f"(needs >= 0.80 and +0.40): {verdict}"
                )
            elif check_learning:
                raise typer.BadParameter("--check-learning needs at least 20 steps")
            if eval_episodes:
                report = trainer.evaluate(eval_episodes)
                console.print("[bold]evaluation of the trained policy (greedy, fresh seeds)[/]")
                for env_id, res in report.items():
                    console.print(
                        f"  {env_id}: success {res['success_rate']:.0%}, reward "
                        f"{res['reward_mean']:.3f} over {res['episodes']} episodes"
                    )
                    for ex in res["examples"][:3]:
                        console.print(f"    {ex['prompt']!r} -> {ex['reply']!r}")
                (Path(cfg.output_dir) / "eval.json").write_text(json.dumps(report, indent=2))
        finally:
            trainer.close()
        if check_learning and not ok:
            raise typer.Exit(1)


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
