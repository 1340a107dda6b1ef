"""Reused gymhub envs for the adapters whose trainer builds one env per episode.

SkyRL, veRL, verifiers and OpenRLHF ask for a fresh env object per trajectory; `gymhub.make`
can cost far more than an episode (an env that loads its dataset: ~30 ms against a ~0.3 ms
step). An env is reset at the start of every episode, so an idle one of the same id and kwargs
serves the next episode as well as a new one. An env whose episode ended in the hub's failure
(`infra_error`) is closed, never reused.
"""

from __future__ import annotations

import atexit
import json
import threading
from typing import Any

import gymhub

MAX_IDLE = 64  # idle envs kept per (env id, kwargs); more are closed when given back


def _key(env_id: str, env_kwargs: dict[str, Any] | None) -> tuple[str, str]:
    if not env_kwargs:
        return env_id, "{}"  # the common case, without a copy or a JSON dump per episode
    return env_id, json.dumps(dict(env_kwargs), sort_keys=True, default=repr)


class EnvPool:
    """Idle envs by (env id, kwargs); thread-safe (trainers run episodes on several threads)."""

    def __init__(self, max_idle: int = MAX_IDLE) -> None:
        self.max_idle = max_idle
        self._idle: dict[tuple[str, str], list[Any]] = {}
        self._lock = threading.Lock()

    def take(self, env_id: str, env_kwargs: dict[str, Any] | None = None) -> Any:
        """An idle env of that id and kwargs, or a new one (`gymhub.make` validates both)."""
        with self._lock:
            idle = self._idle.get(_key(env_id, env_kwargs))
            if idle:
                return idle.pop()
        return gymhub.make(env_id, **dict(env_kwargs or {}))

    def give(
        self, env: Any, env_id: str, env_kwargs: dict[str, Any] | None = None, *, healthy: bool
    ) -> None:
        """Take back an env after its episode; closed instead when it failed or the pool is full."""
        if healthy:
            with self._lock:
                idle = self._idle.setdefault(_key(env_id, env_kwargs), [])
                if len(idle) < self.max_idle:
                    idle.append(env)
                    return
        env.close()

    def clear(self) -> None:
        """Close every idle env."""
        with self._lock:
            envs = [env for idle in self._idle.values() for env in idle]
            self._idle.clear()
        for env in envs:
            try:
                env.close()
            except Exception:
                pass


#: the pool the adapters share
ENVS = EnvPool()
atexit.register(ENVS.clear)
