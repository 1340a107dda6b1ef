"""Multiple-choice answers: the option letter (`C`, `(C)`, `\\boxed{C}`) or the option's text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.extract import extract_final_answer, strip_think
from gymhub.verifiers.math_verifier import _LETTER_IN_TEXT, choice_letter


class MultipleChoice(Verifier):
    """Correct when the response picks the gold option and no other.

    The reference is a letter (`"C"`) or `{"answer": "C", "choices": {"A": "...", ...}}`; with
    choices, an answer written as the option's text counts too. Naming two options is a hedge.
    """

    name = "multiple_choice"

    def __init__(self, letters: str = "ABCDEFGHIJ") -> None:
        if not letters or not letters.isalpha():
            raise ValueError("letters must be a non-empty string of option letters")
        self.letters = letters.upper()

    def _gold(self, reference: Any) -> tuple[str, Mapping[str, str] | None]:
        choices = None
        if isinstance(reference, Mapping):
            choices = reference.get("choices")
            reference = reference.get("answer")
        letter = choice_letter(str(reference or ""), choices)
        if letter is None or letter not in self.letters:
            raise ValueError(
                f"multiple-choice reference must be one of {self.letters!r}, got {reference!r}"
            )
        return letter, choices

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        gold, choices = self._gold(reference)
        choices = context.get("choices", choices)
        found = {choice_letter(c, choices) for c in extract_final_answer(response).candidates}
        found.discard(None)
        if not found:
            tail = strip_think(response)[-2000:]
            hits = [h.upper() for h in _LETTER_IN_TEXT.findall(tail)]
            found = {hits[-1]} if hits else set()
        found = {f for f in found if f in self.letters}
        if not found:
            return Verdict.unparseable("no option letter found")
        if len(found) > 1:
            return Verdict.incorrect(f"hedged between options {sorted(found)}")
        (letter,) = found
        return Verdict.correct() if letter == gold else Verdict.incorrect(f"chose {letter}")

    def reference_response(self, reference: Any) -> str | None:
        gold, _ = self._gold(reference)
        return f"The answer is \\boxed{{{gold}}}."
