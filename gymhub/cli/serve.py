"""`gymhub serve ID [ID ...]`: expose environments over HTTP (see docs/serving.md)."""

from __future__ import annotations

import os
import shutil
import subprocess

import typer

DEFAULT_IMAGE = "gymhub-server:latest"


def _docker_command(
    env_ids: list[str], image: str, host: str, port: int, server_args: list[str]
) -> list[str]:
    # Host networking works whatever the engine's bridge set-up; the server binds host:port itself.
    # The token travels as an inherited environment variable (`-e NAME` without a value), never
    # on a command line that `ps` shows.
    return [
        "docker", "run", "--rm", "--init", "--network", "host", "-e", "GYMHUB_TOKEN", image,
        *env_ids, "--host", host, "--port", str(port), *server_args,
    ]  # fmt: skip


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        env_ids: list[str] = typer.Argument(..., help="registered env ids to serve"),
        host: str = typer.Option("127.0.0.1", help="interface to listen on"),
        port: int = typer.Option(8000, min=0, max=65535, help="TCP port (0: any free port)"),
        max_sessions: int = typer.Option(1024, help="open sessions before answering 503"),
        idle_timeout: float = typer.Option(300.0, help="seconds of inactivity before reaping"),
        step_timeout: float = typer.Option(60.0, help="deadline of one reset/step, seconds"),
        workers: int = typer.Option(64, help="threads running synchronous env calls"),
        max_body_bytes: int = typer.Option(4 * 1024 * 1024, help="larger requests get 413"),
        allow_reference: bool = typer.Option(
            False, help="reveal reference actions (for `gymhub check` over HTTP; not for training)"
        ),
        docker: bool = typer.Option(False, help=f"run the server in a container ({DEFAULT_IMAGE})"),
        image: str = typer.Option(DEFAULT_IMAGE, help="image for --docker (deploy/build.sh)"),
        log_level: str = typer.Option("warning", help="uvicorn log level"),
        token: str | None = typer.Option(
            None,
            help="bearer token clients must send (every route but /health); else $GYMHUB_TOKEN",
        ),
        token_file: str | None = typer.Option(None, help="read the token from this file"),
        allow_insecure: bool = typer.Option(
            False, help="allow a non-loopback --host without a token (trusted networks only)"
        ),
        header_timeout: float = typer.Option(
            10.0, help="close connections that take longer to send their request headers"
        ),
        body_timeout: float = typer.Option(
            60.0, help="cut off a request whose whole body has not arrived this long after it began"
        ),
        write_timeout: float = typer.Option(
            30.0, help="disconnect a client that reads nothing the server sends for this long"
        ),
        max_websockets: int = typer.Option(1024, help="WebSockets open at once before 503"),
        disconnect_grace: float = typer.Option(
            30.0, help="seconds sessions opened on a WebSocket outlive it"
        ),
        openenv: bool = typer.Option(
            False, "--openenv", help="speak OpenEnv's protocol instead (one env id; /ws, /reset...)"
        ),
        nemo_gym: bool = typer.Option(
            False,
            "--nemo-gym",
            help="add NeMo Gym resources-server routes (/seed_session, /verify)",
        ),
        openrlhf: bool = typer.Option(
            False, "--openrlhf", help="add OpenRLHF's remote reward route (POST /get_reward)"
        ),
    ) -> None:
        """Serve environments over HTTP and WebSocket: sessions with leases, deadlines, metrics."""
        server_args = [
            "--max-sessions", str(max_sessions), "--idle-timeout", str(idle_timeout),
            "--step-timeout", str(step_timeout), "--workers", str(workers),
            "--max-body-bytes", str(max_body_bytes),
        ]  # fmt: skip
        if allow_reference:
            server_args.append("--allow-reference")
        from gymhub.server import LOG_LEVELS
        from gymhub.server.auth import check_bind, resolve_token

        if log_level.lower() not in LOG_LEVELS:
            raise typer.BadParameter(
                f"unknown log level {log_level!r}; one of {', '.join(LOG_LEVELS)}",
                param_hint="--log-level",
            )
        try:
            resolved = resolve_token(token, token_file)
            check_bind(host, resolved, allow_insecure)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
        server_args += [
            "--header-timeout", str(header_timeout), "--body-timeout", str(body_timeout),
            "--write-timeout", str(write_timeout), "--max-websockets", str(max_websockets),
            "--disconnect-grace", str(disconnect_grace),
        ]  # fmt: skip
        if allow_insecure:
            server_args.append("--allow-insecure")
        if openenv and (len(env_ids) != 1 or nemo_gym or openrlhf or docker):
            raise typer.BadParameter(
                "--openenv serves exactly one env id, without --nemo-gym, --openrlhf or --docker"
            )
        if docker and (nemo_gym or openrlhf):
            raise typer.BadParameter("--nemo-gym and --openrlhf are not available with --docker")
        if docker:
            if shutil.which("docker") is None:
                raise typer.BadParameter("--docker needs the docker CLI on PATH")
            found = subprocess.run(
                ["docker", "image", "inspect", image], capture_output=True, check=False
            )
            if found.returncode != 0:
                raise typer.BadParameter(
                    f"image {image!r} not found; build it with deploy/build.sh (see docs/serving.md)"
                )
            cmd = _docker_command(env_ids, image, host, port, server_args)
            typer.echo(f"gymhub serve: {' '.join(cmd)}", err=True)
            child_env = {**os.environ, **({"GYMHUB_TOKEN": resolved} if resolved else {})}
            raise typer.Exit(subprocess.call(cmd, env=child_env))

        from gymhub.errors import UnknownEnvError
        from gymhub.server import serve as run_server
        from gymhub.server.sessions import ServerConfig

        try:
            config = ServerConfig(
                max_sessions=max_sessions,
                idle_timeout_s=idle_timeout,
                step_timeout_s=step_timeout,
                workers=workers,
                allow_reference=allow_reference,
                max_body_bytes=max_body_bytes,
                token=resolved,
                header_timeout_s=header_timeout,
                body_timeout_s=body_timeout,
                write_timeout_s=write_timeout,
                max_websockets=max_websockets,
                disconnect_grace_s=disconnect_grace,
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
        typer.echo(f"gymhub serve: http://{host}:{port} ({', '.join(env_ids)})", err=True)
        try:
            if openenv:
                from gymhub.trainers.integrations.openenv import serve_openenv

                serve_openenv(
                    env_ids[0],
                    host=host,
                    port=port,
                    config=config,
                    log_level=log_level,
                    allow_insecure=allow_insecure,
                )
                return
            run_server(
                env_ids,
                host=host,
                port=port,
                config=config,
                log_level=log_level,
                allow_insecure=allow_insecure,
                protocols=[p for p, on in (("nemo_gym", nemo_gym), ("openrlhf", openrlhf)) if on],
            )
        except UnknownEnvError as exc:
            raise typer.BadParameter(str(exc)) from exc
