"""`gymhub sandbox serve | info`: run a sandbox server, list the backends usable here."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from gymhub.errors import GymhubError


def register(app: typer.Typer) -> None:
    sandbox_app = typer.Typer(help="Isolated code execution: backends and the sandbox server.")

    @sandbox_app.command("serve")
    def serve(
        backend: str = typer.Option("auto", help="bwrap, docker, local or auto"),
        host: str = typer.Option("127.0.0.1", help="address to listen on"),
        port: int = typer.Option(8790, min=0, max=65535, help="port to listen on"),
        token: str = typer.Option(
            None, envvar="GYMHUB_SANDBOX_TOKEN", help="require 'Authorization: Bearer TOKEN'"
        ),
        token_file: Path = typer.Option(
            None, help="read the token from this file (first line)", dir_okay=False
        ),
        allow_unauthenticated: bool = typer.Option(
            False, help="serve a non-loopback address without a token (trusted networks only)"
        ),
        max_concurrency: int = typer.Option(8, min=1, help="concurrent runs; more get HTTP 503"),
        pool_size: int = typer.Option(2, min=1, help="warm containers (docker backend)"),
        max_timeout_s: float = typer.Option(60.0, min=0.1, help="ceiling on a request's time"),
        max_memory_mb: int = typer.Option(4096, min=8, help="ceiling on a request's memory"),
        max_disk_mb: int = typer.Option(1024, min=8, help="ceiling on a request's disk"),
        max_output_bytes: int = typer.Option(
            16 * 1024 * 1024, min=1, help="ceiling on a request's stdout/stderr cap"
        ),
        max_body_mb: int = typer.Option(32, min=1, help="largest request body (413 above)"),
        max_processes: int = typer.Option(
            64, min=1, help="processes per run (bwrap: rlimit; docker: pids per container)"
        ),
    ) -> None:
        """Serve a local sandbox backend over HTTP for the `remote` backend of other machines."""
        import uvicorn

        from gymhub.sandboxes.factory import get_sandbox, resolve_backend
        from gymhub.sandboxes.server import ServerLimits, check_bind, create_app
        from gymhub.shutdown import exit_cleanly_on_sigterm

        if backend == "remote":
            raise typer.BadParameter("a sandbox server cannot serve the remote backend")
        if token_file is not None:
            try:
                token = token_file.read_text().splitlines()[0].strip()
            except (OSError, IndexError) as exc:
                raise typer.BadParameter(f"cannot read a token from {token_file}: {exc}") from exc
        if token is not None and not token.strip():
            raise typer.BadParameter("the token must not be empty")
        try:
            check_bind(host, token, allow_unauthenticated)
        except GymhubError as exc:
            raise typer.BadParameter(str(exc)) from exc
        limits = ServerLimits(
            max_timeout_s=max_timeout_s,
            max_memory_mb=max_memory_mb,
            max_disk_mb=max_disk_mb,
            max_output_bytes=max_output_bytes,
            max_body_bytes=max_body_mb * 1024 * 1024,
        )
        try:
            backend = resolve_backend(backend)
        except GymhubError as exc:
            raise typer.BadParameter(str(exc)) from exc
        options = {
            "docker": {"pool_size": pool_size, "pids_limit": max_processes},
            "bwrap": {"max_processes": max_processes},
        }.get(backend, {})
        sandbox = get_sandbox(backend, **options)
        typer.echo(f"gymhub sandbox server: backend {sandbox.name} on http://{host}:{port}")
        exit_cleanly_on_sigterm()  # the `finally` below must run when the server is stopped
        try:
            uvicorn.run(
                create_app(sandbox, token=token, max_concurrency=max_concurrency, limits=limits),
                host=host,
                port=port,
                log_level="warning",
            )
        finally:
            sandbox.close()

    @sandbox_app.command("info")
    def info(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
        """List the sandbox backends that work on this machine, strongest first."""
        from gymhub.sandboxes import available_backends

        found = available_backends()
        if as_json:
            typer.echo(json.dumps({"available": found}))
        else:
            typer.echo("available sandbox backends: " + ", ".join(found))

    app.add_typer(sandbox_app, name="sandbox")
