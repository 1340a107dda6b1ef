"""The environment server: `create_app(env_ids, config)` builds a FastAPI app; `serve(...)` runs it.

Nothing here is imported by `import gymhub`; the CLI imports it inside `gymhub serve`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gymhub.server.app import create_app
    from gymhub.server.sessions import ServerConfig, SessionManager

__all__ = ["create_app", "serve", "ServerConfig", "SessionManager"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from gymhub.server.app import create_app

        return create_app
    if name in ("ServerConfig", "SessionManager"):
        from gymhub.server import sessions

        return getattr(sessions, name)
    raise AttributeError(name)


def serve(
    env_ids: list[str],
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    config: ServerConfig | None = None,
    log_level: str = "warning",
    allow_insecure: bool = False,
    protocols: list[str] | None = None,
) -> None:
    """Run the server in the foreground until interrupted (one process: sessions live in memory).

    Without `config.token`, only a loopback `host` is accepted unless `allow_insecure`;
    `protocols` adds other hubs' routes (`create_app`)."""
    import uvicorn

    from gymhub.server.app import create_app
    from gymhub.server.auth import check_bind
    from gymhub.server.sessions import ServerConfig
    from gymhub.shutdown import exit_cleanly_on_sigterm

    config = config or ServerConfig()
    check_bind(host, config.token, allow_insecure)
    exit_cleanly_on_sigterm()  # so that sandbox containers and browsers are removed on SIGTERM
    app = create_app(env_ids, config, protocols=protocols or ())
    uvicorn.run(app, host=host, port=port, **uvicorn_options(config, log_level))


#: the log levels uvicorn knows (another name was a KeyError traceback out of uvicorn)
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


def uvicorn_options(config: ServerConfig, log_level: str = "warning") -> dict[str, Any]:
    """The uvicorn settings of every gymhub server (foreground, background, tests)."""
    from gymhub.server.connections import protocol_with, websocket_protocol_with

    if not isinstance(log_level, str) or log_level.lower() not in LOG_LEVELS:
        raise ValueError(f"unknown log level {log_level!r}; one of {', '.join(LOG_LEVELS)}")

    return {
        "log_level": log_level,
        # both close stalled connections: slow headers or bodies, peers that stop reading
        "http": protocol_with(
            config.header_timeout_s, config.body_timeout_s, config.write_timeout_s
        ),
        # uvicorn's websockets-sansio: the legacy implementation costs more per message
        "ws": websocket_protocol_with(config.write_timeout_s),
        "ws_max_size": config.max_body_bytes,
        "timeout_keep_alive": 30,
        "backlog": 4096,
    }
