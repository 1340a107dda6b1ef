"""gymhub/GuessNumber-v0: guess a secret integer; each wrong guess gets "higher"/"lower".

Difficulty d sets the range 1..10*2**(d-1) and the guess budget ceil(log2(range)) + 2, so a
binary search always succeeds. Reward 1 for finding the number, 0 otherwise. A guess is the one
integer of the reply (read with the `text` extraction policy); a reply with several different
integers is a list of candidates, not a guess: it is `unparseable` and uses up a turn. So is a
reply that denies, excludes, bounds or approximates the number (`not 7`, `anything but 7`, `>= 7`,
`at least 7`, `around 7`, `7 or so`) or names no integer (`7.5`), and one that spells out a second
candidate (`7 or eleven`); `7.0` is 7, and a value ruled out after the guess (`7 (not 6)`) is no
second guess.
"""

from __future__ import annotations

import math
import random
import re
from fractions import Fraction
from typing import Any

from gymhub.env import Env, StepResult
from gymhub.tasks import GeneratorSource
from gymhub.types import Action, Message, Observation, Task, Verdict
from gymhub.verifiers.math_spelling import MINUS_SIGNS
from gymhub.verifiers.string_match import final_answer_text

# a number of the reply; `7.0` is the integer 7, `7.5` no integer at all
_NUMBER = re.compile(r"-?\d{1,30}(?:\.\d{1,30})?(?!\.?\d)")
# another value ruled out after the guess: `7 (not 6)`, `7, not 8`
_RULED_OUT = re.compile(r"[,;(]\s*(?:but\s+)?not\s+-?\d{1,30}\s*\)?")
# a reply that denies, excludes or bounds the number names no guess: `not 7`, `anything but
# 7`, `except 7`, `>= 7`, `at least 7`, `more than 7`
_NO_GUESS = re.compile(
    r"[<>\u2264\u2265\u2260]|!=|\b(?:not|never|but|except|excluding|besides|neither|nor"
    r"|other\s+than|rather\s+than|instead\s+of|apart\s+from|aside\s+from|at\s+(?:least|most)"
    r"|(?:more|less|greater|fewer|higher|lower|bigger|smaller)\s+than|above|below|over|under"
    r"|up\s+to|between|isn['\u2019]?t"
    # an approximate number covers its neighbours too: `~7`, `7ish`, `give or take`
    r"|ish|give\s+or\s+take|plus\s+or\s+minus)\b"
    r"|(?<=\d)ish\b|[~\u2248\u00b1]|\+/-|\\pm\b|\\approx\b"
    # ... and so do `around 7` and `7 or so`, `7 or higher`, said of the number itself (prose
    # elsewhere, "Let me think about it." or "Tell me if it's higher or lower.", bounds nothing)
    r"|\b(?:around|about|roughly|approximately|approx|circa|nearly|close\s+to)\b[\s:.*_]{0,6}"
    r"[-+\u2212]?\d|\d[*_]{0,4}[\s,]{0,3}or\s+(?:so|more|less|higher|lower|above|below)\b",
    re.IGNORECASE,
)
# another candidate spelled out beside the number: `7 or eleven`, `seven or 8`, `7 to ten`
_WORDS = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred"
)
_WORD_CANDIDATE = re.compile(
    rf"\b(?:or|and|to|nor|vs\.?|versus)\s+(?:{_WORDS})\b|\b(?:{_WORDS})\s+(?:or|and|to|nor)\b"
    r"|[/,;]\s*(?:" + _WORDS + r")\b",
    re.IGNORECASE,
)


def generate(rng: random.Random, difficulty: float) -> Task:
    high = 10 * 2 ** (int(difficulty) - 1)
    return Task(
        question=f"I am thinking of an integer between 1 and {high}. Guess it: reply with a single "
        "number. After each wrong guess I say whether the number is higher or lower.",
        answer=rng.randint(1, high),
        metadata={"low": 1, "high": high, "difficulty": difficulty},
    )


class GuessNumberEnv(Env):
    def __init__(self, difficulty: int = 3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.difficulty = difficulty
        self.source = GeneratorSource(generate, "guess_number", default_difficulty=difficulty)
        self.low = self.high = 0

    def _reset(self, options: dict[str, Any]) -> Observation:
        if "task" in options:
            self.task = options["task"]
        else:
            d = int(options.get("difficulty", self.difficulty))
            self.task = self.source.get(self.episode_seed or 0, self.episode_index, d)
        self.low, self.high = self.task.metadata["low"], self.task.metadata["high"]
        self.max_turns = math.ceil(math.log2(self.high)) + 2
        return Observation(messages=[Message(role="user", content=self.task.question)])

    def _step(self, action: Action) -> StepResult:
        assert self.task is not None
        answer = final_answer_text(action.text)[-1000:].translate(MINUS_SIGNS)  # `−5` is -5
        answer = _RULED_OUT.sub(" ", answer)
        numbers = [Fraction(x) for x in _NUMBER.findall(answer)]
        guesses = {int(x) for x in numbers if x.denominator == 1}
        secret = int(self.task.answer)
        if (
            _NO_GUESS.search(answer)
            or _WORD_CANDIDATE.search(answer)
            or len(guesses) != len(set(numbers))
        ):
            guesses = set()  # denied, bounded, or not an integer: no guess
        if len(guesses) != 1:  # none, or a list of candidates: not one guess
            reply = "Please reply with a single integer."
            verdict = Verdict.unparseable(f"{len(guesses) or 'no'} integers, not one guess")
            return StepResult(
                Observation(messages=[Message(role="user", content=reply)]), 0.0, False, verdict
            )
        (guess,) = guesses
        if guess == secret:
            return StepResult(Observation(), 1.0, True, Verdict.correct())
        if guess < secret:
            self.low = max(self.low, guess + 1)
            reply = f"{guess} is too low: the number is higher."
        else:
            self.high = min(self.high, guess - 1)
            reply = f"{guess} is too high: the number is lower."
        return StepResult(
            Observation(messages=[Message(role="user", content=reply)]),
            0.0,
            False,
            Verdict.incorrect(),
        )

    def reference_action(self) -> Action | None:
        """Binary search over what the feedback has ruled out (reaches the number in budget)."""
        if self.done or self.task is None:
            return None
        return Action(content=str((self.low + self.high) // 2))

    def secret_strings(self) -> list[str]:
        return []  # the secret is a small number that feedback legitimately brackets
