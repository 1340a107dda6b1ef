"""The environment registry: ids, metadata and construction.

Every registered env is also registered with gymnasium, so `gymnasium.make("gymhub/X-v0")` works.
Built-in families register from `gymhub.envs.<family>` (light modules: entry points are strings,
nothing heavy is imported until `make`). Third-party packages use the entry-point group
`gymhub.envs`; a user's own modules are named in the `GYMHUB_PLUGINS` environment variable
(comma-separated). Both load on the first registry query.
"""

from __future__ import annotations

import difflib
import importlib
import os
import re
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata as importlib_metadata
from typing import Any

import gymnasium

from gymhub.env import Env
from gymhub.errors import RegistrationError, UnknownEnvError
from gymhub.tasks import check_difficulty

ENTRY_POINT_GROUP = "gymhub.envs"
PLUGINS_VARIABLE = "GYMHUB_PLUGINS"
_ID_PATTERN = re.compile(r"^(?:[\w.-]+/)?[\w.:-]+-v(\d+)$")


@dataclass
class EnvSpec:
    """Everything the hub knows about a registered environment."""

    id: str
    entry_point: str | Callable[..., Env]
    kwargs: dict[str, Any] = field(default_factory=dict)
    family: str = "misc"
    description: str = ""
    multi_turn: bool = False
    modalities: tuple[str, ...] = ("text",)
    verifier: str | None = None
    difficulty_range: tuple[float, float] | None = None
    task_source: str | None = None
    max_reward: float = 1.0
    tags: tuple[str, ...] = ()
    #: "rule" (a checked answer) or "learned" (a reward model or judge: no gold to reach)
    reward_kind: str = "rule"

    @property
    def version(self) -> int:
        match = _ID_PATTERN.match(self.id)
        return int(match.group(1)) if match else 0

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["entry_point"] = (
            self.entry_point
            if isinstance(self.entry_point, str)
            else f"{self.entry_point.__module__}:{getattr(self.entry_point, '__qualname__', '?')}"
        )
        data["version"] = self.version
        data["modalities"] = list(self.modalities)
        data["tags"] = list(self.tags)
        data["difficulty_range"] = list(self.difficulty_range) if self.difficulty_range else None
        return data

    def make(self, **kwargs: Any) -> Env:
        """Build the env; `difficulty` is checked against the spec's range (the env checks
        the reset option against the same range)."""
        kwargs = {**self.kwargs, **kwargs}
        if self.difficulty_range is not None and "difficulty" in kwargs:
            kwargs["difficulty"] = check_difficulty(kwargs["difficulty"], self.difficulty_range)
        env = _load_entry_point(self.entry_point)(**kwargs)
        if not isinstance(env, Env):
            raise RegistrationError(
                f"entry point of {self.id} returned {type(env).__name__}, not a gymhub.Env"
            )
        env.env_id = self.id
        env.version = self.version
        env.difficulty_range = self.difficulty_range
        return env


_REGISTRY: dict[str, EnvSpec] = {}
_LOCK = threading.RLock()
_builtins_loaded = False
_plugins_loaded = False
_entry_points_loaded = False
#: ids that name a client env by prefix (`openenv:<url>`), loaded by entry point like env specs:
#: the client lives in a higher layer than the registry
PREFIX_ENTRY_POINTS = {"openenv:": "gymhub.remote.openenv:OpenEnvEnv"}
#: entry points that failed to load, name -> reason (each reported once, as a warning)
PLUGIN_ERRORS: dict[str, str] = {}


def _load_entry_point(entry_point: str | Callable[..., Env]) -> Callable[..., Env]:
    if callable(entry_point):
        return entry_point
    module_name, _, attr = entry_point.partition(":")
    if not attr:
        raise RegistrationError(
            f"entry point {entry_point!r} must look like 'package.module:Class'"
        )
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attr)
    except AttributeError as exc:
        raise RegistrationError(f"{module_name} has no attribute {attr!r}") from exc


def register(
    id: str,
    entry_point: str | Callable[..., Env],
    *,
    kwargs: dict[str, Any] | None = None,
    family: str = "misc",
    description: str = "",
    multi_turn: bool = False,
    modalities: tuple[str, ...] | list[str] = ("text",),
    verifier: str | None = None,
    difficulty_range: tuple[float, float] | None = None,
    task_source: str | None = None,
    max_reward: float = 1.0,
    tags: tuple[str, ...] | list[str] = (),
    reward_kind: str = "rule",
    override: bool = False,
    **defaults: Any,
) -> EnvSpec:
    """Register an environment.

    `kwargs` are the entry point's default keyword arguments (`make` may override them); every
    other keyword is spec metadata, so an env argument may share a metadata name (`family`,
    `tags`, ...). Extra keywords (`**defaults`) are the old spelling of `kwargs`, still accepted.
    """
    if defaults:
        warnings.warn(
            f"register({id!r}, ..., {', '.join(sorted(defaults))}=...): pass env arguments as "
            "kwargs={...}",
            DeprecationWarning,
            stacklevel=2,
        )
    if kwargs is not None and not isinstance(kwargs, dict):
        raise RegistrationError(f"kwargs must be a dict, got {type(kwargs).__name__}")
    if not isinstance(id, str) or not _ID_PATTERN.match(id):
        raise RegistrationError(
            f"env id {id!r} must look like 'namespace/Name-vN' (e.g. 'gymhub/Math-v0')"
        )
    if not (isinstance(entry_point, str) or callable(entry_point)):
        raise RegistrationError("entry_point must be a 'module:attr' string or a callable")
    if reward_kind not in ("rule", "learned"):
        raise RegistrationError(f"reward_kind must be 'rule' or 'learned', got {reward_kind!r}")
    spec = EnvSpec(
        id=id,
        entry_point=entry_point,
        kwargs={**defaults, **(kwargs or {})},
        family=family,
        description=description,
        multi_turn=multi_turn,
        modalities=tuple(modalities),
        verifier=verifier,
        difficulty_range=_difficulty_range(id, difficulty_range),
        task_source=task_source,
        max_reward=max_reward,
        tags=tuple(tags),
        reward_kind=reward_kind,
    )
    with _LOCK:
        if id in _REGISTRY and not override:
            existing = _REGISTRY[id]
            if existing.entry_point == entry_point:
                return existing
            raise RegistrationError(f"env id {id!r} is already registered (pass override=True)")
        _REGISTRY[id] = spec
    _register_with_gymnasium(spec)
    return spec


def _difficulty_range(env_id: str, value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
    ):
        raise RegistrationError(
            f"difficulty_range of {env_id} must be two integers (lo, hi) with lo <= hi, "
            f"got {value!r}"
        )
    return (value[0], value[1])


def _register_with_gymnasium(spec: EnvSpec) -> None:
    def factory(**kwargs: Any) -> Env:
        return spec.make(**kwargs)

    if spec.id in gymnasium.registry:
        del gymnasium.registry[spec.id]
    gymnasium.register(id=spec.id, entry_point=factory, disable_env_checker=False)


def _ensure_builtins() -> None:
    global _builtins_loaded
    if not _builtins_loaded:
        with _LOCK:
            if not _builtins_loaded:
                _builtins_loaded = True
                from gymhub.envs import register_builtin_envs

                register_builtin_envs()


def _ensure_loaded() -> None:
    """Built-in envs, then plugins (scanning entry points costs tens of ms, so it happens on
    the first registry query rather than at `import gymhub`)."""
    global _plugins_loaded
    _ensure_builtins()
    if not _plugins_loaded:
        with _LOCK:
            if not _plugins_loaded:
                if not _entry_points_loaded:
                    load_plugins()
                import_user_modules(_user_modules())  # raises until every module imports
                _plugins_loaded = True


def load_plugins() -> list[str]:
    """Load third-party envs from the `gymhub.envs` entry-point group; returns the names loaded.

    An entry point may name a module (imported for its `register` calls) or a callable (called).
    A plugin that raises is skipped with one warning (its reason kept in `PLUGIN_ERRORS`), so a
    broken package never stops the other envs from working.
    """
    global _entry_points_loaded
    _entry_points_loaded = True
    loaded = []
    for ep in importlib_metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in PLUGIN_ERRORS:
            continue
        try:
            obj = ep.load()
            if callable(obj):
                obj()
        except Exception as exc:
            PLUGIN_ERRORS[ep.name] = f"{type(exc).__name__}: {exc}"
            warnings.warn(
                f"skipping the gymhub.envs plugin {ep.name!r} ({ep.value}): it raised "
                f"{type(exc).__name__}: {exc}",
                RuntimeWarning,
                stacklevel=2,
            )
            continue
        loaded.append(ep.name)
    return loaded


def _user_modules() -> list[str]:
    return [m.strip() for m in os.environ.get(PLUGINS_VARIABLE, "").split(",") if m.strip()]


def import_user_modules(modules: list[str]) -> None:
    """Import modules that register envs (`GYMHUB_PLUGINS`, the CLI's `--import`); one that
    fails to import raises RegistrationError naming it. The working directory is searched last,
    so `GYMHUB_PLUGINS=my_envs gymhub list` finds ./my_envs.py as `python -m` would."""
    if modules and os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.append(os.getcwd())
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:
            raise RegistrationError(
                f"could not import the env module {name!r} (from {PLUGINS_VARIABLE} or "
                f"--import): {type(exc).__name__}: {exc}"
            ) from exc


def spec(env_id: str) -> EnvSpec:
    """The spec of `env_id`; unknown ids raise UnknownEnvError with close-match suggestions."""
    if not isinstance(env_id, str):
        raise TypeError(f"env id must be a string, got {type(env_id).__name__}")
    _ensure_loaded()
    found = _REGISTRY.get(env_id) or _REGISTRY.get(f"gymhub/{env_id}")
    if found is None:
        # compare names without the shared namespace, case-insensitively
        short: dict[str, list[str]] = {}
        for name in _REGISTRY:
            short.setdefault(name.split("/", 1)[-1].lower(), []).append(name)
        query = env_id.split("/", 1)[-1].lower()
        close = [
            full
            for match in difflib.get_close_matches(query, list(short), n=3, cutoff=0.6)
            for full in short[match]
        ]
        raise UnknownEnvError(env_id, close)
    return found


def make(env_id: str, **kwargs: Any) -> Env:
    """Build a registered environment; keyword arguments override the registered defaults.
    `openenv:<url>` wraps a running OpenEnv server instead (keyword arguments go to `OpenEnvEnv`)."""
    if isinstance(env_id, str):
        for prefix, entry_point in PREFIX_ENTRY_POINTS.items():
            if env_id.startswith(prefix):
                return _load_entry_point(entry_point)(env_id[len(prefix) :], **kwargs)
    return spec(env_id).make(**kwargs)


def list_envs(family: str | None = None) -> list[EnvSpec]:
    """All registered specs (optionally of one family), sorted by id."""
    _ensure_loaded()
    specs = sorted(_REGISTRY.values(), key=lambda s: s.id)
    return [s for s in specs if family is None or s.family == family]


def families() -> list[str]:
    return sorted({s.family for s in list_envs()})
