"""gymnasium spaces for chat observations and actions.

They let gymnasium's own tooling (`check_env`, `PassiveEnvChecker`) validate gymhub envs: membership
is a real schema check and `sample` produces seeded, varied, valid values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium.spaces import Space

from gymhub.types import Action, Message, Observation

_ALPHABET = list("abcdefghijklmnopqrstuvwxyz0123456789 .,;:!?()[]{}+-*/=<>_'\"\n")


def _random_text(rng: np.random.Generator, max_len: int) -> str:
    n = int(rng.integers(0, max_len + 1))
    return "".join(rng.choice(_ALPHABET, size=n)) if n else ""


class ChatObservationSpace(Space[Observation]):
    """The set of valid `Observation`s (with at most `max_messages` messages)."""

    def __init__(self, max_messages: int = 1_000_000, seed: int | None = None) -> None:
        self.max_messages = max_messages
        super().__init__(shape=None, dtype=None, seed=seed)

    @property
    def is_np_flattenable(self) -> bool:
        return False

    def contains(self, x: Any) -> bool:
        if not isinstance(x, Observation):
            return False
        return len(x.messages) <= self.max_messages and all(
            isinstance(m, Message) for m in x.messages
        )

    def sample(self, mask: Any = None, probability: Any = None) -> Observation:
        n = int(self.np_random.integers(1, 4))
        roles = ("system", "user", "tool")
        return Observation(
            messages=[
                Message(
                    role=roles[int(self.np_random.integers(0, 3))],
                    content=_random_text(self.np_random, 40),
                )
                for _ in range(n)
            ]
        )

    def __repr__(self) -> str:
        return "ChatObservationSpace()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ChatObservationSpace) and other.max_messages == self.max_messages


class ChatActionSpace(Space[Action]):
    """The set of valid actions: assistant messages (or plain strings) up to `max_chars`."""

    def __init__(self, max_chars: int = 10_000_000, seed: int | None = None) -> None:
        self.max_chars = max_chars
        super().__init__(shape=None, dtype=None, seed=seed)

    @property
    def is_np_flattenable(self) -> bool:
        return False

    def contains(self, x: Any) -> bool:
        if isinstance(x, str):
            return len(x) <= self.max_chars
        return isinstance(x, Message) and x.role == "assistant" and len(x.text) <= self.max_chars

    def sample(self, mask: Any = None, probability: Any = None) -> Action:
        return Action(content=_random_text(self.np_random, 64))

    def __repr__(self) -> str:
        return "ChatActionSpace()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ChatActionSpace) and other.max_chars == self.max_chars
