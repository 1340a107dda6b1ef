"""Old import path of the client; it lives in `gymhub.remote` now."""

from gymhub.remote import (  # noqa: F401 - re-exported names
    RemoteEnv,
    RemoteEnvError,
    RemoteTimeoutError,
    ServerUnreachableError,
    SessionExpiredError,
    UnauthorizedError,
)
