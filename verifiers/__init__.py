"""Pure scoring functions: `Verifier.verify(response, reference, **context) -> Verdict`.

Nothing here keeps environment state, and nothing here imports torch. Heavy verifiers (sympy,
math-verify) load lazily on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module that defines it (imported on first access)
_LAZY: dict[str, str] = {
    "Verifier": "base",
    "FunctionVerifier": "base",
    "ExactMatch": "string_match",
    "NumericVerifier": "numeric",
    "normalize_text": "string_match",
    "MathVerifier": "math_verifier",
    "WorkerPool": "pool",
    "PoolResult": "pool",
    "default_pool": "pool",
    "MultipleChoice": "choice",
    "FormatReward": "format_reward",
    "JsonSchemaVerifier": "json_schema",
    "extract_json": "json_schema",
    "ChrF": "text_metrics",
    "BLEU": "text_metrics",
    "Weighted": "compose",
    "Gate": "compose",
    "Extraction": "extract",
    "extract_final_answer": "extract",
    "extract_text_answer": "extract",
    "extract_tagged": "extract",
    "extract_tag": "extract",
    "find_tags": "extract",
    "find_boxed": "extract",
    "find_code_blocks": "extract",
    "last_code_block": "extract",
    "strip_think": "extract",
}


def register_lazy(name: str, module: str) -> None:
    """Expose `name` from `gymhub.verifiers.<module>` as `gymhub.verifiers.<name>`."""
    _LAZY[name] = module


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gymhub.verifiers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


# GUI grounding (point-in-box, IoU, IoU with a box-size constraint)
for _name in ("PointInBox", "BoxIoU", "ConstrainedBoxIoU", "GroundingVerifier"):
    register_lazy(_name, "grounding")

register_lazy("CodeVerifier", "code")

# learned rewards (torch/transformers or an HTTP judge, loaded on first use)
register_lazy("RewardModelVerifier", "reward_model")
register_lazy("RewardShaping", "reward_model")
register_lazy("ProcessRewardVerifier", "process_reward")
register_lazy("JudgeVerifier", "judge")
register_lazy("RemoteRewardVerifier", "remote_reward")
