"""`RemoteRewardVerifier`: a reward model served by `gymhub rm serve`, used like a local one.

A server failure (5xx, no answer, bad reply) is the hub's failure, so it becomes `infra_error`
and trainers mask the sample; a 4xx means this client sent something wrong and raises.
"""

from __future__ import annotations

from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.reward_model import PromptedVerifier


class RemoteRewardVerifier(PromptedVerifier):
    name = "remote_reward_model"
    version = "1"

    def __init__(self, url: str, *, token: str | None = None, timeout: float = 120.0) -> None:
        import httpx

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def score_batch(
        self, responses: list[str], references: list[Any], prompts: list[Any]
    ) -> list[Verdict]:
        import httpx

        items = [
            {"prompt": p if p is not None else "", "response": r, "reference": ref}
            for r, ref, p in zip(responses, references, prompts)
        ]
        try:
            reply = self._http.post("/verify", json={"items": items})
        except httpx.HTTPError as exc:
            return [self._infra(f"reward server unreachable: {exc!r}")] * len(items)
        if 400 <= reply.status_code < 500:
            raise ValueError(
                f"reward server refused the request ({reply.status_code}): {reply.text}"
            )
        if reply.status_code != 200:
            return [
                self._infra(f"reward server answered {reply.status_code}: {reply.text[:300]}")
            ] * len(items)
        try:
            verdicts = [Verdict.model_validate(v) for v in reply.json()["verdicts"]]
        except Exception as exc:
            return [self._infra(f"reward server reply unreadable: {exc!r}")] * len(items)
        if len(verdicts) != len(items):
            return [self._infra("reward server returned the wrong number of verdicts")] * len(items)
        return verdicts

    @staticmethod
    def _infra(detail: str) -> Verdict:
        return Verdict(reward=0.0, status="infra_error", detail=detail)

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"RemoteRewardVerifier({self.url!r})"
