"""Who may use a server: one bearer token shared by its clients, checked before anything else.

The token comes from `--token`, `--token-file` or `$GYMHUB_TOKEN` (in that order). Every route but
`/health` needs `Authorization: Bearer <token>`, HTTP and WebSocket alike; the check runs before
the body is read and compares in constant time. A server without a token may only listen on a
loopback address, unless its operator says otherwise (`--allow-insecure`).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from gymhub.sandboxes.server import is_loopback
from gymhub.server.errors import error_body

__all__ = ["TOKEN_ENV", "TokenAuth", "check_bind", "is_loopback", "resolve_token"]

TOKEN_ENV = "GYMHUB_TOKEN"
PUBLIC_PATHS = frozenset({"/health"})
_MIN_TOKEN_CHARS = 16

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


def resolve_token(
    token: str | None = None, token_file: str | os.PathLike[str] | None = None
) -> str | None:
    """The server's token from an explicit value, a file (first line) or `$GYMHUB_TOKEN`."""
    if token is not None and token_file is not None:
        raise ValueError("give the token either directly or as a file, not both")
    if token_file is not None:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ValueError(f"cannot read the token file {str(token_file)!r}: {exc}") from exc
    elif token is None:
        token = os.environ.get(TOKEN_ENV) or None
    if token is None:
        return None
    token = token.strip()
    if len(token) < _MIN_TOKEN_CHARS or not token.isprintable() or " " in token:
        raise ValueError(
            f"the token must be at least {_MIN_TOKEN_CHARS} printable characters without spaces "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    return token


def check_bind(host: str, token: str | None, allow_insecure: bool) -> None:
    """Refuse to expose a server without a token beyond this machine (ValueError says why)."""
    if token is None and not allow_insecure and not is_loopback(host):
        raise ValueError(
            f"refusing to listen on {host!r} without a token: anyone who can reach it could run "
            f"environments. Give --token, --token-file or ${TOKEN_ENV}, or --allow-insecure "
            "if the network itself is trusted"
        )


def _presented(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, credential = value.partition(b" ")
            return credential.strip() if scheme.lower() == b"bearer" else None
    return None


class TokenAuth:
    """Pure-ASGI middleware: 401 (HTTP) or a refused handshake (WebSocket) without the token."""

    def __init__(self, app: ASGIApp, token: str, on_reject: Callable[[], None]) -> None:
        self.app, self.token, self.on_reject = app, token.encode(), on_reject

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket") or scope.get("path") in PUBLIC_PATHS:
            return await self.app(scope, receive, send)
        presented = _presented(scope)
        if presented is not None and hmac.compare_digest(presented, self.token):
            return await self.app(scope, receive, send)
        self.on_reject()
        if kind == "websocket":  # closing before accepting answers the handshake with 403
            await send({"type": "websocket.close", "code": 1008, "reason": "unauthorized"})
            return
        message = (
            "missing bearer token: send 'Authorization: Bearer <token>'"
            if presented is None
            else "wrong bearer token"
        )
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"www-authenticate", b"Bearer"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": error_body(401, "unauthorized", message)})
