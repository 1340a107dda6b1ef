"""`gymhub rm pairs | train | serve`: preference pairs from verifiable envs, Bradley-Terry reward
model training, and a batching reward server (native verdicts and OpenRLHF's /get_reward)."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

import typer


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _json_option(text: str | None, what: str) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"{what} must be a JSON object: {exc}") from exc
    except RecursionError:  # `[[[[...` thousands deep: the user's input, named
        raise typer.BadParameter(f"{what} is nested too deeply to read as JSON") from None
    if not isinstance(value, dict):
        raise typer.BadParameter(f"{what} must be a JSON object")
    return value


def register(app: typer.Typer) -> None:
    rm_app = typer.Typer(help="Learned rewards: preference pairs, reward-model training, serving.")

    @rm_app.command("pairs")
    def pairs(
        env_id: str = typer.Argument(..., help="a verifiable single-step env, e.g. gymhub/Math-v0"),
        output: Path = typer.Option(..., "--output", "-o", help="preference JSONL to write"),
        count: int = typer.Option(500, help="prompts (seeds) to try"),
        per_prompt: int = typer.Option(1, help="rejected answers per prompt"),
        seed: int = typer.Option(0, min=0, help="first env seed"),
        env_kwargs: str = typer.Option(None, "--env-kwargs", help="JSON kwargs for make"),
        options: str = typer.Option(None, "--options", help="JSON reset options"),
        noise: bool = typer.Option(
            False, "--noise", help="also reject policy-like noise (stray characters, random text)"
        ),
    ) -> None:
        """Make preference pairs: chosen = verified-correct reference, rejected = verified wrong."""
        import gymhub
        from gymhub.trainers.rm_pairs import iter_pairs
        from gymhub.trainers.rm_train import write_pairs

        if count < 1 or per_prompt < 1:
            raise typer.BadParameter("--count and --per-prompt must be >= 1")
        spec = gymhub.spec(env_id)
        if spec.multi_turn:
            raise typer.BadParameter(f"{env_id} is multi-turn; pairs need a single-step env")
        kwargs = _json_option(env_kwargs, "--env-kwargs")
        try:  # the env's own check of its kwargs, named here rather than a traceback later
            gymhub.make(env_id, **kwargs).close()
        except (TypeError, ValueError) as exc:
            raise typer.BadParameter(f"--env-kwargs for {env_id}: {exc}") from exc
        if output.is_dir():
            raise typer.BadParameter(f"-o {output}: is a directory, give a file name")
        try:  # a path that cannot be written fails now, not after the pairs are made
            output.parent.mkdir(parents=True, exist_ok=True)
            output.open("a", encoding="utf-8").close()
        except OSError as exc:
            raise typer.BadParameter(f"-o {output}: {exc.strerror or exc}") from exc
        made = write_pairs(
            iter_pairs(
                lambda: gymhub.make(env_id, **kwargs),
                seeds=range(seed, seed + count),
                per_prompt=per_prompt,
                options=_json_option(options, "--options"),
                max_reward=spec.max_reward,
                seed=seed,
                noise=noise,
            ),
            output,
        )
        if made == 0:
            raise typer.BadParameter(f"{env_id} gave no verified pairs (no reference actions?)")
        typer.echo(f"wrote {made} preference pairs to {output}")

    @rm_app.command("train")
    def train(
        data: Path = typer.Option(
            ..., "--data", help="preference JSONL (prompt, chosen, rejected)"
        ),
        model: str = typer.Option("tiny", "--model", help="'tiny' or a local checkpoint path"),
        output_dir: Path = typer.Option(..., "--output-dir", help="where the model is saved"),
        overwrite: bool = typer.Option(
            False, "--overwrite", help="save into a folder that already holds other files"
        ),
        epochs: int = typer.Option(4, help="passes over the training pairs"),
        batch_size: int = typer.Option(32, help="pairs per optimiser step"),
        learning_rate: float = typer.Option(
            None, "--lr", help="AdamW peak learning rate, decayed linearly (3e-3 tiny, else 1e-5)"
        ),
        eval_fraction: float = typer.Option(0.2, help="held-out share for pairwise accuracy"),
        margin: bool = typer.Option(False, "--margin", help="use each pair's 'margin' field"),
        backend: str = typer.Option(
            "native",
            help="native (our Bradley-Terry loop) or trl (TRL's RewardTrainer; gymhub[trl])",
        ),
        max_length: int = typer.Option(512, min=8, help="tokens per conversation"),
        seed: int = typer.Option(0),
        threads: int = typer.Option(None, min=1, help="torch CPU threads"),
        as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
    ) -> None:
        """Train a Bradley-Terry reward model; report held-out pairwise accuracy each epoch."""
        if model.startswith(("/", ".", "~")) and not Path(model).expanduser().exists():
            raise typer.BadParameter(
                f"no checkpoint at {model!r} (give 'tiny' or a local checkpoint path)",
                param_hint="--model",
            )
        from rich.console import Console
        from rich.progress import Progress

        from gymhub.trainers.rm_train import (
            RMTrainConfig,
            load_pairs,
            train_reward_model,
        )

        try:
            config = RMTrainConfig(
                model=model,
                epochs=epochs,
                batch_size=batch_size,
                learning_rate=learning_rate or (3e-3 if model == "tiny" else 1e-5),
                eval_fraction=eval_fraction,
                use_margin=margin,
                backend=backend,
                max_length=max_length,
                seed=seed,
                torch_threads=threads,
            )
            pairs = load_pairs(data)
        except (ValueError, FileNotFoundError) as exc:
            raise typer.BadParameter(str(exc)) from exc
        err = Console(stderr=True)
        with Progress(console=err, transient=True, disable=as_json) as progress:
            task = progress.add_task("training reward model", total=None)

            def on_epoch(row: dict) -> None:
                acc = row["eval_accuracy"]
                shown = "n/a" if acc is None else f"{acc:.3f}"
                progress.console.print(
                    f"epoch {row['epoch']}: loss {row['loss']:.4f}  "
                    f"train acc {row['train_accuracy']:.3f}  held-out acc {shown}"
                )

            try:
                summary = train_reward_model(
                    pairs,
                    output_dir,
                    config,
                    on_epoch=None if as_json else on_epoch,
                    progress=lambda done, total: progress.update(task, completed=done, total=total),
                    overwrite=overwrite,
                )
            except ValueError as exc:  # an output dir that cannot take the model, no pairs left
                raise typer.BadParameter(str(exc)) from exc
            except OSError as exc:  # a model that cannot be loaded, a folder that cannot be written
                raise typer.BadParameter(str(exc)) from exc
        if as_json:
            typer.echo(json.dumps(summary))
        else:
            typer.echo(
                f"saved to {output_dir}; held-out pairwise accuracy {summary['eval_accuracy']}"
            )

    @rm_app.command("serve")
    def serve(
        model: str = typer.Argument(..., help="reward-model checkpoint (path or hub id)"),
        host: str = typer.Option("127.0.0.1", help="address to listen on"),
        port: int = typer.Option(8795, min=0, max=65535, help="port to listen on"),
        token: str = typer.Option(
            None, envvar="GYMHUB_RM_TOKEN", help="require 'Authorization: Bearer TOKEN'"
        ),
        batch_size: int = typer.Option(64, help="most items scored in one forward batch"),
        max_wait_ms: float = typer.Option(
            0.0,
            min=0.0,
            help="how long an under-full batch waits for more requests (0: continuous batching, "
            "each batch is what queued while the previous one ran)",
        ),
        max_length: int = typer.Option(2048, help="tokens per conversation"),
        max_body_bytes: int = typer.Option(
            64 * 1024 * 1024, min=1, help="largest request body (413 above it)"
        ),
        shaping: str = typer.Option(None, help="JSON shaping, e.g. '{\"sigmoid\": true}'"),
        device: str = typer.Option(None, help="cpu, cuda, ... (default: cuda when present)"),
        threads: int = typer.Option(
            None,
            min=1,
            help="torch CPU threads (default on CPU: one less than the cores, so the HTTP loop "
            "keeps one: model threads that share a core with it spin and stall each other)",
        ),
    ) -> None:
        """Serve a reward model over HTTP (native /verify and OpenRLHF's /get_reward)."""
        import uvicorn

        from gymhub.rm_server import create_rm_app
        from gymhub.verifiers.reward_model import RewardModelVerifier

        if not _is_loopback(host) and not token:
            raise typer.BadParameter(
                f"binding to {host} exposes the model: set --token (or GYMHUB_RM_TOKEN)"
            )
        try:
            verifier = RewardModelVerifier(
                model,
                device=device,
                batch_size=batch_size,
                max_length=max_length,
                shaping=_json_option(shaping, "--shaping") or None,
            )
        except (ValueError, OSError) as exc:
            raise typer.BadParameter(str(exc)) from exc
        if verifier.device.type == "cpu":
            import torch

            torch.set_num_threads(threads or max(1, len(os.sched_getaffinity(0)) - 1))
        elif threads:
            import torch

            torch.set_num_threads(threads)
        typer.echo(f"gymhub reward server: {verifier!r} on http://{host}:{port}")
        app_ = create_rm_app(
            verifier,
            token=token,
            max_batch=batch_size,
            max_wait_ms=max_wait_ms,
            max_body_bytes=max_body_bytes,
        )
        uvicorn.run(app_, host=host, port=port, log_level="warning")

    app.add_typer(rm_app, name="rm")
