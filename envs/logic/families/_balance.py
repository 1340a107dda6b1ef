"""Drawing a task by its answer first, so that no single answer is right on most tasks (not a
family: the leading underscore keeps it out of discovery).

A family whose answer is one small number (a count, a number of steps, `-1` for "impossible")
generated its instances at random and took whatever answer came out: the answers bunched on one
or two values (`2` on half of `count_primes`' d1 tasks), so a policy that answered that value
without reading the puzzle was paid on a large share of them. `pick_balanced` draws several
candidate instances, chooses the answer uniformly among the answers they show (a degenerate one
such as `-1` or `0` only on a small share), then one candidate with that answer.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Hashable
from typing import TypeVar

T = TypeVar("T")


def pick_balanced(
    rng: random.Random,
    candidates: list[T],
    answer_of: Callable[[T], Hashable],
    degenerate: Collection[Hashable] = (),
    degenerate_share: float = 0.15,
) -> T:
    """One of `candidates`, drawn answer first: with probability `degenerate_share` (when some
    candidate has a `degenerate` answer) one of the degenerate answers, otherwise one of the
    other answers the candidates show, each equally likely; then a candidate with that answer.
    Uses only `rng`; the order of `candidates` decides ties, so the pick is deterministic."""
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    if not candidates:
        raise ValueError("pick_balanced needs at least one candidate")
    if not 0.0 <= degenerate_share <= 1.0:
        raise ValueError(f"degenerate_share must be within [0, 1], got {degenerate_share}")
    by_answer: dict[Hashable, list[T]] = {}
    for candidate in candidates:
        by_answer.setdefault(answer_of(candidate), []).append(candidate)
    rare = [a for a in by_answer if a in degenerate]
    common = [a for a in by_answer if a not in degenerate]
    pool = rare if rare and (not common or rng.random() < degenerate_share) else common
    return rng.choice(by_answer[rng.choice(pool)])
