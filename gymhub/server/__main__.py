"""`python -m gymhub.server ID [ID ...] [--port ...]`: the server without the CLI's dependencies."""

from __future__ import annotations

import argparse

from gymhub.server import LOG_LEVELS, serve
from gymhub.server.auth import TOKEN_ENV, check_bind, resolve_token
from gymhub.server.sessions import ServerConfig


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gymhub.server")
    parser.add_argument("env_ids", nargs="+")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--max-sessions", type=int, default=1024)
    parser.add_argument("--idle-timeout", type=float, default=300.0)
    parser.add_argument("--step-timeout", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=64)
    parser.add_argument("--max-body-bytes", type=int, default=4 * 1024 * 1024)
    parser.add_argument("--allow-reference", action="store_true")
    parser.add_argument("--log-level", default="warning", choices=LOG_LEVELS)
    parser.add_argument("--token", default=None, help=f"bearer token (else ${TOKEN_ENV})")
    parser.add_argument("--token-file", default=None, help="file whose first line is the token")
    parser.add_argument("--allow-insecure", action="store_true")
    parser.add_argument("--header-timeout", type=float, default=10.0)
    parser.add_argument("--body-timeout", type=float, default=60.0)
    parser.add_argument("--write-timeout", type=float, default=30.0)
    parser.add_argument("--max-websockets", type=int, default=1024)
    parser.add_argument("--disconnect-grace", type=float, default=30.0)
    parser.add_argument(
        "--protocol", action="append", default=[], choices=["nemo_gym", "openrlhf"],
        help="add another hub's routes (repeatable)",
    )  # fmt: skip
    a = parser.parse_args(argv)
    try:
        config = ServerConfig(
            max_sessions=a.max_sessions,
            idle_timeout_s=a.idle_timeout,
            step_timeout_s=a.step_timeout,
            workers=a.workers,
            allow_reference=a.allow_reference,
            max_body_bytes=a.max_body_bytes,
            token=resolve_token(a.token, a.token_file),
            header_timeout_s=a.header_timeout,
            body_timeout_s=a.body_timeout,
            write_timeout_s=a.write_timeout,
            max_websockets=a.max_websockets,
            disconnect_grace_s=a.disconnect_grace,
        )
        check_bind(a.host, config.token, a.allow_insecure)
    except ValueError as exc:
        parser.error(str(exc))
    serve(
        a.env_ids,
        host=a.host,
        port=a.port,
        config=config,
        log_level=a.log_level,
        allow_insecure=a.allow_insecure,
        protocols=a.protocol,
    )


if __name__ == "__main__":
    main()
