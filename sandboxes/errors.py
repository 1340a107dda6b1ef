"""The root of every error gymhub raises on purpose, and the errors of the sandboxes.

The root class lives here because `gymhub.sandboxes` is stand-alone (it imports nothing else of
gymhub); `gymhub.errors.GymhubError` is this same class, so `except GymhubError` also catches
every sandbox error.
"""

from __future__ import annotations


class GymhubError(Exception):
    """Base class of every error gymhub raises on purpose."""


class SandboxError(GymhubError, RuntimeError):
    """A backend cannot be used at all (missing binary, engine down, image missing)."""


class SandboxConfigError(GymhubError, ValueError):
    """A backend was asked for by a name that does not exist, or with options it cannot take."""


class UnsupportedLanguageError(GymhubError, ValueError):
    """A program's language is not in the language table."""
