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
from collections import OrderedDict
from typing import Any

import gymhub

MAX_IDLE = 64  # idle envs kept per (env id, kwargs); more are closed when given back
#: idle envs kept in all: rows whose `env_kwargs` differ (a per-row data path, a per-row option)
#: each make a key of their own, and one idle env kept per key grew without end over a dataset
MAX_IDLE_TOTAL = 256


def _key(env_id: str, env_kwargs: dict[str, Any] | None) -> tuple[str, str]:
    if not env_kwargs:
        return env_id, "{}"  # the common case, without a copy or a JSON dump per episode
    return env_id, json.dumps(dict(env_kwargs), sort_keys=True, default=repr)


class EnvPool:
    """Idle envs by (env id, kwargs); thread-safe (trainers run episodes on several threads).

    At most `max_idle` per key and `max_total` in all: past that, the envs of the key given
    back least recently are closed first."""

    def __init__(self, max_idle: int = MAX_IDLE, max_total: int = MAX_IDLE_TOTAL) -> None:
        for name, value in (("max_idle", max_idle), ("max_total", max_total)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
        self.max_idle, self.max_total = max_idle, max_total
        #: keys in the order they were last given an env (least recent first)
        self._idle: OrderedDict[tuple[str, str], list[Any]] = OrderedDict()
        self._count = 0
        self._lock = threading.Lock()

    def take(self, env_id: str, env_kwargs: dict[str, Any] | None = None) -> Any:
        """An idle env of that id and kwargs, or a new one (`gymhub.make` validates both)."""
        key = (env_id, "{}") if not env_kwargs else _key(env_id, env_kwargs)  # no call per episode
        with self._lock:
            idle = self._idle.get(key)
            if idle:
                self._count -= 1
                return idle.pop()
        return gymhub.make(env_id, **dict(env_kwargs or {}))

    def give(
        self, env: Any, env_id: str, env_kwargs: dict[str, Any] | None = None, *, healthy: bool
    ) -> None:
        """Take back an env after its episode; closed instead when it failed or the pool is full."""
        evicted: list[Any] = []
        if healthy:
            key = (env_id, "{}") if not env_kwargs else _key(env_id, env_kwargs)
            with self._lock:
                idle = self._idle.get(key)
                if idle is not None and len(idle) < self.max_idle and self._count < self.max_total:
                    self._idle.move_to_end(key)  # the common case: room, nothing to evict
                    idle.append(env)
                    self._count += 1
                    return
                if idle is None:
                    if len(self._idle) >= 2 * self.max_total:  # keys whose envs were all taken
                        self._idle = OrderedDict((k, v) for k, v in self._idle.items() if v)
                    idle = self._idle[key] = []
                else:
                    self._idle.move_to_end(key)
                if len(idle) < self.max_idle and self.max_total > 0:
                    idle.append(env)
                    self._count += 1
                    env = None
                    while self._count > self.max_total:
                        oldest_key, oldest = next(iter(self._idle.items()))
                        if oldest:
                            evicted.append(oldest.pop(0))
                            self._count -= 1
                        if not oldest:
                            del self._idle[oldest_key]
        for old in evicted:
            _close_quietly(old)
        if env is not None:
            env.close()

    def clear(self) -> None:
        """Close every idle env."""
        with self._lock:
            envs = [env for idle in self._idle.values() for env in idle]
            self._idle.clear()
            self._count = 0
        for env in envs:
            _close_quietly(env)


def _close_quietly(env: Any) -> None:
    try:
        env.close()
    except Exception:
        pass


#: the pool the adapters share
ENVS = EnvPool()
atexit.register(ENVS.clear)
