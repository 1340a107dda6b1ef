"""Composition of verifiers: weighted sums and gates, keeping every component's score.

`Verdict.components` of a composite holds each part's reward under its name (nested parts as
`outer.inner`), so trainers and reports can see what the total is made of. A part whose reward
is not a finite number failed (`infra_error`, masked); its components that are not finite are
left out.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping, Sequence
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier

_PASS = ("correct",)


def _components(name: str, verdict: Verdict) -> dict[str, float]:
    """The part's reward under `name` and its finite components under `name.key` (a NaN or an
    infinity would make the composite's JSON invalid, or null for a trainer)."""
    out = {name: float(verdict.reward)}
    for key, value in verdict.components.items():
        if key != name and isinstance(value, (int, float)) and math.isfinite(value):
            out[f"{name}.{key}"] = float(value)
    return out


def _checked(name: str, verdict: Verdict) -> Verdict:
    """A part's verdict, or `infra_error` when its reward is not a finite number (a verdict
    built without validation): the part failed, and a NaN must not reach the sum or a trainer
    (the sum raised a validation error; a gate passed the NaN on as the reward)."""
    reward = verdict.reward
    if isinstance(reward, (int, float)) and not isinstance(reward, bool) and math.isfinite(reward):
        return verdict
    return Verdict(
        reward=0.0,
        status="infra_error",
        components={},
        detail=f"part {name!r} gave a reward that is not a finite number ({reward!r})",
    )


def _reference_for(name: str, reference: Any, split: bool) -> Any:
    if not split:
        return reference
    if not isinstance(reference, Mapping):
        raise ValueError("split_reference=True needs a dict reference keyed by component name")
    return reference.get(name)


def _worst_status(verdicts: Sequence[Verdict]) -> str | None:
    for status in ("infra_error", "error", "timeout"):
        if any(v.status == status for v in verdicts):
            return status
    return None


class Weighted(Verifier):
    """`sum(weight * reward) / sum(weight)` over named parts.

    `parts`: {name: (verifier, weight)} or {name: verifier} (weight 1). With
    `split_reference=True` the reference is a dict and each part gets `reference[name]`.
    Status: `correct` when every part with positive weight is correct, `incorrect` when the
    total is 0, else `partial`; an `infra_error` in any part wins, so trainers can mask it.
    """

    name = "weighted"

    def __init__(
        self,
        parts: Mapping[str, Verifier | tuple[Verifier, float]],
        split_reference: bool = False,
    ) -> None:
        if not parts:
            raise ValueError("Weighted needs at least one part")
        self.parts: dict[str, tuple[Verifier, float]] = {}
        for name, part in parts.items():
            verifier, weight = part if isinstance(part, tuple) else (part, 1.0)
            if not callable(getattr(verifier, "verify", None)):
                raise TypeError(f"part {name!r} is not a verifier")
            if (
                isinstance(weight, bool)
                or not isinstance(weight, (int, float))
                or not math.isfinite(weight)
                or weight < 0
            ):
                # a NaN or infinite weight made every verdict fail validation, at verify time
                raise ValueError(
                    f"weight of {name!r} must be a finite non-negative number, got {weight!r}"
                )
            self.parts[name] = (verifier, float(weight))
        self.total_weight = sum(w for _, w in self.parts.values())
        if self.total_weight <= 0:
            raise ValueError("the weights must not all be zero")
        self.split_reference = split_reference

    def _combine(self, verdicts: dict[str, Verdict]) -> Verdict:
        verdicts = {n: _checked(n, v) for n, v in verdicts.items()}
        reward = sum(verdicts[n].reward * w for n, (_, w) in self.parts.items()) / self.total_weight
        components: dict[str, float] = {}
        for n, v in verdicts.items():
            components.update(_components(n, v))
        worst = _worst_status(list(verdicts.values()))
        if worst == "infra_error":
            status = "infra_error"
        elif all(verdicts[n].status == "correct" for n, (_, w) in self.parts.items() if w > 0):
            status = "correct"
        else:
            status = "incorrect" if reward <= 0 else "partial"
        details = "; ".join(f"{n}: {v.detail}" for n, v in verdicts.items() if v.detail)
        return Verdict(reward=reward, status=status, components=components, detail=details or None)

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        verdicts = {
            n: v.verify(response, _reference_for(n, reference, self.split_reference), **context)
            for n, (v, _) in self.parts.items()
        }
        return self._combine(verdicts)

    async def averify(self, response: str, reference: Any, **context: Any) -> Verdict:
        names = list(self.parts)
        results = await asyncio.gather(
            *(
                self.parts[n][0].averify(
                    response, _reference_for(n, reference, self.split_reference), **context
                )
                for n in names
            )
        )
        return self._combine(dict(zip(names, results)))


class Gate(Verifier):
    """`gate` must pass (status `correct`) before `then` counts; otherwise the reward is
    `fail_reward` (0) and `then` is not even run. Both scores land in `components`.

    Typical use: a cheap rule check (format, length, a JSON schema) before an expensive or
    gameable scorer (a judge, a reward model).
    """

    name = "gate"

    def __init__(
        self,
        gate: Verifier,
        then: Verifier,
        *,
        gate_name: str = "gate",
        then_name: str = "score",
        fail_reward: float = 0.0,
        split_reference: bool = False,
    ) -> None:
        if gate_name == then_name:
            raise ValueError("gate_name and then_name must differ")
        self.gate, self.then = gate, then
        self.gate_name, self.then_name = gate_name, then_name
        self.fail_reward = float(fail_reward)
        if not math.isfinite(self.fail_reward):
            raise ValueError(f"fail_reward must be finite, got {fail_reward!r}")
        self.split_reference = split_reference

    def _closed(self, verdict: Verdict) -> Verdict:
        verdict = _checked(self.gate_name, verdict)
        status = (
            verdict.status if verdict.status in ("infra_error", "timeout", "error") else "incorrect"
        )
        return Verdict(
            reward=self.fail_reward,
            status=status,
            components=_components(self.gate_name, verdict),
            detail=f"gate {self.gate_name!r} failed: {verdict.detail or verdict.status}",
        )

    def _open(self, gate: Verdict, then: Verdict) -> Verdict:
        then = _checked(self.then_name, then)
        components = _components(self.gate_name, gate)
        components.update(_components(self.then_name, then))
        return then.model_copy(update={"components": components})

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        g = self.gate.verify(
            response, _reference_for(self.gate_name, reference, self.split_reference), **context
        )
        g = _checked(self.gate_name, g)
        if g.status not in _PASS:
            return self._closed(g)
        t = self.then.verify(
            response, _reference_for(self.then_name, reference, self.split_reference), **context
        )
        return self._open(g, t)

    async def averify(self, response: str, reference: Any, **context: Any) -> Verdict:
        g = await self.gate.averify(
            response, _reference_for(self.gate_name, reference, self.split_reference), **context
        )
        g = _checked(self.gate_name, g)
        if g.status not in _PASS:
            return self._closed(g)
        t = await self.then.averify(
            response, _reference_for(self.then_name, reference, self.split_reference), **context
        )
        return self._open(g, t)

    def reference_response(self, reference: Any) -> str | None:
        make = getattr(self.then, "reference_response", None)
        ref = _reference_for(self.then_name, reference, self.split_reference)
        return make(ref) if callable(make) else None
