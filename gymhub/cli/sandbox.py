"""`gymhub sandbox serve | info`: run a sandbox server, list the backends usable here."""

from __future__ import annotations

import json

import typer


def register(app: typer.Typer) -> None:
    sandbox_app = typer.Typer(help="Isolated code execution: backends and the sandbox server.")

    @sandbox_app.command("serve")
    def serve(
        backend: str = typer.Option("auto", help="bwrap, docker, local or auto"),
        host: str = typer.Option("127.0.0.1", help="address to listen on"),
        port: int = typer.Option(8790, help="port to listen on"),
        token: str = typer.Option(
            None, envvar="GYMHUB_SANDBOX_TOKEN", help="require 'Authorization: Bearer TOKEN'"
        ),
        max_concurrency: int = typer.Option(8, help="concurrent runs; more get HTTP 503"),
        pool_size: int = typer.Option(2, help="warm containers (docker backend)"),
    ) -> None:
        """Serve a local sandbox backend over HTTP for the `remote` backend of other machines."""
        import uvicorn

        from gymhub.sandboxes import get_sandbox
        from gymhub.sandboxes.server import create_app
        from gymhub.shutdown import exit_cleanly_on_sigterm

        if backend == "remote":
            raise typer.BadParameter("a sandbox server cannot serve the remote backend")
        options = {"pool_size": pool_size} if backend == "docker" else {}
        sandbox = get_sandbox(backend, **options)
        typer.echo(f"gymhub sandbox server: backend {sandbox.name} on http://{host}:{port}")
        exit_cleanly_on_sigterm()  # the `finally` below must run when the server is stopped
        try:
            uvicorn.run(
                create_app(sandbox, token=token, max_concurrency=max_concurrency),
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
