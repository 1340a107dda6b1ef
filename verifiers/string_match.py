"""Exact and normalized string matching."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.extract import extract_text_answer


def normalize_text(text: str) -> str:
    """Case-fold, strip accents and punctuation at the edges, collapse whitespace."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\s+", " ", text.casefold()).strip()
    return text.strip(" .,;:!?\"'`")


def final_answer_text(response: str) -> str:
    """The answer under the shared `text` policy (`<answer>` tags, else boxes, else the whole
    text after the reasoning); empty when there is none or several different ones (a hedge)."""
    candidates = extract_text_answer(response).candidates
    return candidates[0] if len(candidates) == 1 else ""


class ExactMatch(Verifier):
    """Correct when the answer equals the reference (or one of a list of references).

    The answer is read with the `text` extraction policy; several different tagged or boxed
    answers are a hedge (`incorrect`). `normalize=True` compares case-folded,
    whitespace-collapsed text without edge punctuation; `extract=False` compares the whole
    response.
    """

    name = "exact_match"

    def __init__(self, normalize: bool = True, extract: bool = True) -> None:
        self.normalize = normalize
        self.extract = extract

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        answers = extract_text_answer(response).candidates if self.extract else [response]
        if len(answers) > 1:
            return Verdict.incorrect(f"{len(answers)} different answers (a hedge)")
        answer = answers[0] if answers else ""
        refs = reference if isinstance(reference, list) else [reference]
        if self.normalize:
            answer = normalize_text(answer)
            refs = [normalize_text(str(r)) for r in refs]
        else:
            refs = [str(r) for r in refs]
        if not answer:
            return Verdict.unparseable("empty answer")
        return Verdict.correct() if answer in refs else Verdict.incorrect()

    def reference_response(self, reference: Any) -> str | None:
        ref = reference[0] if isinstance(reference, list) and reference else reference
        return None if ref is None else f"<answer>{ref}</answer>"
