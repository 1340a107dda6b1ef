"""Preference pairs from any verifiable gymhub env (`gymhub rm pairs`).

For each seed: the prompt is the env's reset observation; `chosen` is the env's reference action,
kept only when the env itself scores it at its top reward; `rejected` is a wrong answer the env
itself scores lower: a numeric perturbation of the reference (each number shifted by a small
amount) or the reference answer of another episode; with `noise=True` also the reference with
stray characters or a short random string. Nothing is labelled by hand, so a reward
model trained on these pairs learns what the verifier checks, and the verifier stays available
as the gold reward to watch for over-optimisation.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from typing import Any

from gymhub.trainers.rm_train import PreferencePair

_NUMBER = re.compile(r"-?\d+")


_NOISE = "abcdefghijklmnopqrstuvwxyz0123456789 .,:;!?-+=()"


def noise_answers(text: str, rng: random.Random) -> list[str]:
    """What an untrained policy emits: the answer with stray characters around it, and short
    random strings (a reward model never shown these rewards them at random)."""
    extra = rng.choice(_NOISE)
    return [
        text + extra if rng.random() < 0.5 else extra + text,
        "".join(rng.choice(_NOISE) for _ in range(rng.randint(1, max(2, len(text) + 1)))),
    ]


def perturbations(text: str, rng: random.Random, count: int = 4) -> list[str]:
    """Wrong-looking variants of a correct answer: its numbers shifted by small amounts."""
    spans = list(_NUMBER.finditer(text))
    if not spans:
        return []
    out: list[str] = []
    for _ in range(count * 3):
        match = rng.choice(spans)
        value = int(match.group())
        delta = rng.choice([-3, -2, -1, 1, 2, 3])
        new = str(abs(value + delta)) if value >= 0 else str(value + delta)
        candidate = text[: match.start()] + new + text[match.end() :]
        if candidate != text and candidate not in out:
            out.append(candidate)
        if len(out) >= count:
            break
    return out


def _prompt(observation: Any) -> list[dict[str, Any]]:
    return [m.model_dump(mode="json", exclude_none=True) for m in observation.messages]


def _score(env: Any, seed: int, options: dict[str, Any], answer: str) -> tuple[float, str]:
    env.reset(seed=seed, options=options)
    _, reward, _, _, info = env.step(answer)
    return float(reward), str(info.get("verdict"))


def iter_pairs(
    make_env: Callable[[], Any],
    *,
    seeds: range | list[int],
    per_prompt: int = 1,
    options: dict[str, Any] | None = None,
    max_reward: float = 1.0,
    seed: int = 0,
    noise: bool = False,
) -> Iterator[PreferencePair]:
    """Yield verified preference pairs for each seed (single-step episodes only). `noise` adds
    rejected answers shaped like an untrained policy's output (see `noise_answers`)."""
    rng = random.Random(seed)
    options = dict(options or {})
    env = make_env()
    try:
        references: list[str] = []
        for s in seeds:
            observation, _ = env.reset(seed=s, options=options)
            action = env.reference_action()
            if action is None or not action.text.strip():
                continue
            chosen = action.text
            prompt = _prompt(observation)
            chosen_reward, status = _score(env, s, options, chosen)
            if chosen_reward < max_reward - 1e-6 or status == "infra_error":
                continue
            candidates = perturbations(chosen, rng) + rng.sample(
                references, min(3, len(references))
            )
            references.append(chosen)
            made = 0
            for candidate in candidates:
                if made >= per_prompt or candidate == chosen:
                    continue
                reward, status = _score(env, s, options, candidate)
                if status == "infra_error" or reward >= chosen_reward:
                    continue
                made += 1
                yield PreferencePair(prompt, chosen, candidate, margin=chosen_reward - reward)
    finally:
        env.close()
