"""What the adapters' server routes (OpenEnv, OpenRLHF's `/get_reward`, NeMo Gym's `/verify`)
share."""

from __future__ import annotations

from typing import Any

from gymhub.errors import GymhubError
from gymhub.server.sessions import infra_result
from gymhub.types import Action


async def step_action(
    manager: Any, session_id: str, action: Action | str, **step_options: Any
) -> dict[str, Any]:
    """`manager.step` with the policy's text or an already validated `Action`.

    A str or an `Action` is always a valid action, so a TypeError/ValueError raised out of the
    step is an env bug, the hub's failure: the session is closed and an `infra_error` result
    comes back (masked by the trainer, retried by OpenRLHF) instead of an error blaming the
    request. (The session manager reads them the same way since actions are read before the env
    sees them; this guard keeps the adapters' routes right whatever manager they are given.)"""
    try:
        return await manager.step(session_id, action, **step_options)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, GymhubError):
            raise
        session = manager.sessions.get(session_id)
        if session is not None:
            await manager.close(session_id)
        return infra_result(f"environment raised {exc!r}", session)
