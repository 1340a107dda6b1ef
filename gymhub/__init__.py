"""gymhub: one reset/step API for every RL environment and verifier of language models and agents.

Importing gymhub is light (no torch, playwright, sympy or docker); names load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    # core types
    "Message": "gymhub.types",
    "ToolSpec": "gymhub.types",
    "ToolCall": "gymhub.types",
    "Action": "gymhub.types",
    "Observation": "gymhub.types",
    "Verdict": "gymhub.types",
    "Task": "gymhub.types",
    # environments
    "Env": "gymhub.env",
    "StepResult": "gymhub.env",
    "SingleTurnEnv": "gymhub.task_env",
    "MultiTurnEnv": "gymhub.task_env",
    "ChatObservationSpace": "gymhub.spaces",
    "ChatActionSpace": "gymhub.spaces",
    # task sources
    "JsonlSource": "gymhub.tasks",
    "HFSource": "gymhub.tasks",
    "ListSource": "gymhub.tasks",
    "GeneratorSource": "gymhub.tasks",
    "tool_spec": "gymhub.tools",
    "Conversation": "gymhub.conversation",
    # conformance, rollouts, policies
    "check_env": "gymhub.checker",
    "CheckReport": "gymhub.checker",
    "run_rollouts": "gymhub.rollout:rollout",
    "arun_rollouts": "gymhub.rollout:arollout",
    "arollout": "gymhub.rollout",
    "Trace": "gymhub.trace",
    "run_episode": "gymhub.trace",
    "EpisodeLoop": "gymhub.episode",
    "Wrapper": "gymhub.wrappers",
    "CurriculumWrapper": "gymhub.curriculum",
    "Policy": "gymhub.policies",
    "ReferencePolicy": "gymhub.policies",
    "ScriptedPolicy": "gymhub.policies",
    "OpenAIPolicy": "gymhub.policies",
    "HFPolicy": "gymhub.trainers.hf_policy",
    "evaluate": "gymhub.evaluation",
    "aevaluate": "gymhub.evaluation",
    "pass_at_k": "gymhub.evaluation",
    # serving
    "RemoteEnv": "gymhub.client",
    # process-wide resources (verifier workers, sandboxes, the browser, connection pools)
    "close_all": "gymhub.lifecycle",
    # errors
    "GymhubError": "gymhub.errors",
    "UnknownEnvError": "gymhub.errors",
    "InvalidOptionsError": "gymhub.errors",
    "EpisodeDoneError": "gymhub.errors",
}

from gymhub.registry import EnvSpec, list_envs, make, register, spec  # noqa: E402

__all__ = ["EnvSpec", "list_envs", "make", "register", "spec", "__version__", *_LAZY]


#: submodules reachable as attributes before anyone imported them (`gymhub.rollout.rollout`)
_SUBMODULES = frozenset({"rollout", "episode", "trace", "wrappers", "curriculum"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"gymhub.{name}")
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'gymhub' has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


# Register the built-in envs (cheap: string entry points) so gymnasium.make sees them; plugins
# load on the first registry query (list_envs, spec, make).
from gymhub.registry import _ensure_builtins  # noqa: E402

_ensure_builtins()
