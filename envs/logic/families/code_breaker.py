"""Code breaker (bulls and cows): deduce a secret code from scored guesses.

The secret is a sequence of different digits. Each listed guess is scored with the number of
digits in the right place and the number of right digits in the wrong place. Guesses are added
until a solver that enumerates every possible code finds exactly one consistent with all the
scores, so the answer is unique; the verifier checks the answer against the scores (the rules),
never against a stored code.
"""

from __future__ import annotations

import itertools
import operator
import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import swap_paid_example
from gymhub.types import Task, Verdict

_SHAPES = [(3, 5), (3, 6), (3, 7), (4, 6), (4, 7), (4, 8), (4, 9), (5, 8), (5, 9), (5, 10)]
_DIGITS_ONLY = re.compile(r"[\d\s,|-]+")
RANDOM_GUESSES = 12  # after this many, every guess is still a possible code


def score(code: tuple[int, ...], guess: tuple[int, ...]) -> tuple[int, int]:
    """(right place, right digit in the wrong place) for codes of different digits."""
    bulls = sum(a == b for a, b in zip(code, guess, strict=True))
    return bulls, len(set(code) & set(guess)) - bulls


def _agreeing(
    codes: list[tuple[int, ...]], guess: tuple[int, ...], bulls: int, cows: int
) -> list[tuple[int, ...]]:
    """The codes that give `guess` this score (the solver's filter; `score` inlined for speed)."""
    shared = set(guess)
    total = bulls + cows
    return [
        c
        for c in codes
        if len(shared.intersection(c)) == total and sum(map(operator.eq, c, guess)) == bulls
    ]


def consistent(code: tuple[int, ...], guesses: list[list]) -> bool:
    return all(score(code, tuple(g)) == (b, c) for g, b, c in guesses)


@register_family
class CodeBreaker(LogicFamily):
    """Find the secret code of different digits that agrees with every scored guess.

    Difficulty d sets (code length, digits 0..k-1): (3,5) (3,6) (3,7) (4,6) (4,7) (4,8) (4,9)
    (5,8) (5,9) (5,10); size = possible codes (60 .. 30240). Guesses are added until exactly
    one code fits (proved by enumeration). Reward 1/0.
    """

    name = "code_breaker"
    title = "CodeBreaker"
    description = "Deduce a secret code of different digits from guesses scored bulls-and-cows."
    difficulty_doc = (
        "code length x digits (3,5) (3,6) (3,7) (4,6) (4,7) (4,8) (4,9) (5,8) (5,9) (5,10); "
        "size = possible codes; guesses until one code fits"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length, k = _SHAPES[difficulty - 1]
        candidates = list(itertools.permutations(range(k), length))
        secret = rng.choice(candidates)
        guesses: list[list] = []
        alive = candidates
        while len(alive) > 1:  # ends: a guess taken from `alive` removes at least itself
            pool = alive if rng.random() < 0.5 or len(guesses) >= RANDOM_GUESSES else candidates
            guess = rng.choice(pool)
            while guess == secret:  # `pool` always holds another code here
                guess = rng.choice(pool)
            bulls, cows = score(secret, guess)
            guesses.append([list(guess), bulls, cows])
            alive = _agreeing(alive, guess, bulls, cows)
        lines = "\n".join(
            f"- {' '.join(map(str, g))}: {b} in the right place, {c} right but misplaced"
            for g, b, c in guesses
        )
        question = (
            f"A secret code is {length} different digits, each from 0 to {k - 1}. Each guess "
            "below is scored with how many of its digits are in the code at the same place, and "
            "how many are in the code at a different place:\n"
            f"{lines}\n\n"
            f"Exactly one code fits every score. Answer with its {length} digits in order, "
            "separated by spaces, for example `0 1 2` for a three-digit code.\n"
            "Put your final answer inside <answer></answer>."
        )
        task = make_task(
            question, list(secret), len(candidates), length=length, digits=k, guesses=guesses
        )
        return swap_paid_example(self, task, "0 1 2", "2 1 0")

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:500]
        if not _DIGITS_ONLY.fullmatch(text):
            return Verdict.unparseable("expected the digits of the code")
        code = tuple(int(ch) for ch in text if ch.isdigit())
        m = task.metadata
        if len(code) != m["length"]:
            return Verdict.incorrect(f"{len(code)} digits given, the code has {m['length']}")
        if len(set(code)) != len(code) or max(code) >= m["digits"]:
            return Verdict.incorrect("the code has different digits in the allowed range")
        if not consistent(code, m["guesses"]):
            return Verdict.incorrect("the code does not agree with every score")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return " ".join(map(str, task.answer))
