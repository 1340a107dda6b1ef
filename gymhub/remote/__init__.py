"""The client side of `gymhub serve`: `RemoteEnv` (HTTP, and WebSocket channels for async calls).

It lives beside `gymhub.server` as its counterpart; unlike the server it needs no web framework,
only httpx (and `websockets` for `transport="ws"`).
"""

from gymhub.remote.env import (
    PayloadTooLargeError,
    RemoteEnv,
    RemoteEnvError,
    RemoteTimeoutError,
    ServerUnreachableError,
    SessionExpiredError,
    UnauthorizedError,
)

__all__ = [
    "PayloadTooLargeError",
    "RemoteEnv",
    "RemoteEnvError",
    "RemoteTimeoutError",
    "ServerUnreachableError",
    "SessionExpiredError",
    "UnauthorizedError",
]
