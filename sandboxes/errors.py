"""The errors of the sandboxes.

They derive from `gymhub.errors.GymhubError`, so `except GymhubError` also catches every sandbox
error; `gymhub.errors` is a foundation module (standard library only), which the stand-alone
sandboxes may import.
"""

from __future__ import annotations

from gymhub.errors import GymhubError

__all__ = ["GymhubError", "SandboxConfigError", "SandboxError", "UnsupportedLanguageError"]


class SandboxError(GymhubError, RuntimeError):
    """A backend cannot be used at all (missing binary, engine down, image missing)."""


class SandboxConfigError(GymhubError, ValueError):
    """A backend was asked for by a name that does not exist, or with options it cannot take."""


class UnsupportedLanguageError(GymhubError, ValueError):
    """A program's language is not in the language table."""
