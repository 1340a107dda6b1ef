"""Exceptions with messages that say what was wrong and how to fix it."""

from __future__ import annotations

__all__ = [
    "EpisodeDoneError",
    "GymhubError",
    "InvalidOptionsError",
    "RegistrationError",
    "ResetNeededError",
    "UnknownEnvError",
]


class GymhubError(Exception):
    """Base class of every error gymhub raises on purpose (the sandboxes' errors included)."""


class UnknownEnvError(GymhubError, LookupError):
    def __init__(self, env_id: str, suggestions: list[str] | None = None) -> None:
        self.env_id = env_id
        self.suggestions = suggestions or []
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown environment {env_id!r}.{hint} (see `gymhub list`)")


class InvalidOptionsError(GymhubError, ValueError):
    """reset() got options it does not understand or values out of range."""


class EpisodeDoneError(GymhubError, RuntimeError):
    def __init__(self, env_id: str | None = None) -> None:
        name = env_id or "this environment"
        super().__init__(
            f"step() called on {name} after the episode ended (terminated or truncated); "
            "call reset() to start a new episode"
        )


class ResetNeededError(GymhubError, RuntimeError):
    def __init__(self) -> None:
        super().__init__("step() called before reset(); call reset() first")


class RegistrationError(GymhubError, ValueError):
    """An environment could not be registered (bad id, duplicate, bad entry point)."""
