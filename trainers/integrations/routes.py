"""What the adapters' server routes (OpenRLHF's `/get_reward`, NeMo Gym's `/verify`) share."""

from __future__ import annotations

from typing import Any

from gymhub.errors import GymhubError


async def step_text(manager: Any, session_id: str, text: str) -> dict[str, Any]:
    """`manager.step` with the policy's text. The server reads a TypeError/ValueError out of a
    step as a malformed action (422), but a string is always a valid action: raised here it is
    an env bug, the hub's failure, so it comes back as an `infra_error` result (masked, retried)
    instead of an error blaming the request."""
    try:
        return await manager.step(session_id, text)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, GymhubError):
            raise
        return {
            "observation": {"messages": []},
            "reward": 0.0,
            "terminated": False,
            "truncated": True,
            "info": {"verdict": "infra_error", "infra_error": True, "error": f"env raised {exc!r}"},
        }
