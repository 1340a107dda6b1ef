"""`RemoteRewardVerifier`: a reward model served by `gymhub rm serve`, used like a local one.

A server failure (5xx, no answer, bad reply) is the hub's failure, so it becomes `infra_error`
and trainers mask the sample; a 4xx means this client sent something wrong and raises. What the
policy writes cannot cause either: a response longer than the server takes is `unparseable`
here without a request, lone surrogates go as U+FFFD, and a large batch goes in several
requests that each stay under the server's item and body limits.
"""

from __future__ import annotations

import json
from typing import Any

from gymhub.tools import encodable
from gymhub.types import Verdict
from gymhub.verifiers.reward_model import PromptedVerifier

# the server's limits (`gymhub.rm_server`): items per request, characters per item, and a
# request size well under its body limit (JSON escapes can take 6 bytes a character)
MAX_ITEMS = 1024
MAX_TEXT_CHARS = 1_000_000
MAX_REQUEST_CHARS = 8_000_000


def _clean_prompt(prompt: Any) -> Any:
    if prompt is None:
        return ""
    if isinstance(prompt, str):
        return encodable(prompt)
    if isinstance(prompt, (list, tuple)):
        messages = []
        for m in prompt:
            if hasattr(m, "model_dump"):  # gymhub's Message: what the envs' observations hold
                m = m.model_dump(mode="json", exclude_none=True)
            if isinstance(m, dict) and isinstance(m.get("content"), str):
                m = {**m, "content": encodable(m["content"])}
            messages.append(m)
        return messages
    return prompt


class RemoteRewardVerifier(PromptedVerifier):
    name = "remote_reward_model"
    version = "1"

    def __init__(self, url: str, *, token: str | None = None, timeout: float = 120.0) -> None:
        import httpx

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)
        self._floor: float | None = None

    @property
    def floor(self) -> float:
        """The reward the server gives a non-answer (its shaping's floor), asked once by scoring
        an empty response; 0.0 while the server cannot say. `GatedLearnedReward` gives a refused
        answer this, never more than the server would pay an answer."""
        if self._floor is None:
            verdict = self._post([{"prompt": "", "response": "", "reference": None}])[0]
            if verdict.status == "infra_error":
                return 0.0
            self._floor = float(verdict.reward)
        return self._floor

    def score_batch(
        self, responses: list[str], references: list[Any], prompts: list[Any]
    ) -> list[Verdict]:
        if not responses:
            return self._post([])  # the server's answer to an empty batch (422: raises)
        out: list[Verdict | None] = [None] * len(responses)
        chunks: list[list[int]] = []
        size = 0
        for i, (response, prompt) in enumerate(zip(responses, prompts)):
            length = len(response) + len(str(prompt))
            # the server refuses an item over its size (422): the policy's failure when the
            # prompt alone is within it (a response shorter than a long prompt made this raise)
            if length > MAX_TEXT_CHARS and len(str(prompt)) < MAX_TEXT_CHARS:
                out[i] = Verdict.unparseable(
                    f"response of {len(response)} characters is longer than the reward server "
                    f"takes ({MAX_TEXT_CHARS})"
                )
                continue
            # the reference travels too (a long one on every item took a request over the limit)
            weight = length + len(json.dumps(references[i], ensure_ascii=False, default=str))
            if not chunks or len(chunks[-1]) >= MAX_ITEMS or size + weight > MAX_REQUEST_CHARS:
                chunks.append([])
                size = 0
            chunks[-1].append(i)
            size += weight
        for chunk in chunks:
            items = [
                {
                    "prompt": _clean_prompt(prompts[i]),
                    "response": encodable(responses[i]),
                    "reference": references[i],
                }
                for i in chunk
            ]
            for i, verdict in zip(chunk, self._post(items)):
                out[i] = verdict
        return [v for v in out if v is not None]

    def _post(self, items: list[dict[str, Any]]) -> list[Verdict]:
        import httpx

        # UTF-8 as is, not \u escapes: an astral character escaped takes 12 bytes, which would
        # take a request of MAX_REQUEST_CHARS over the server's body limit (a 413 raises)
        body = json.dumps({"items": items}, ensure_ascii=False, separators=(",", ":"))
        try:
            reply = self._http.post(
                "/verify",
                content=body.encode("utf-8"),
                headers={"Content-Type": "application/json"},
            )
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
