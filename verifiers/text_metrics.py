"""Translation-style rewards: chrF and BLEU (sacrebleu) scaled to [0, 1]."""

from __future__ import annotations

from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.string_match import final_answer_text


class _SacreMetric(Verifier):
    metric = "chrf"

    def __init__(self, pass_threshold: float | None = None, extract: bool = True) -> None:
        if pass_threshold is not None and not 0.0 <= pass_threshold <= 1.0:
            raise ValueError(f"pass_threshold must be in [0, 1], got {pass_threshold!r}")
        self.pass_threshold = pass_threshold
        self.extract = extract
        self._scorer: Any = None

    def _score(self, hypothesis: str, references: list[str]) -> float:
        raise NotImplementedError

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        refs = reference if isinstance(reference, list) else [reference]
        if not refs or not all(isinstance(r, str) for r in refs):
            raise ValueError("reference must be a string or a list of strings")
        hypothesis = (final_answer_text(response) if self.extract else response).strip()
        if not hypothesis:
            return Verdict.unparseable("empty answer")
        score = max(0.0, min(1.0, self._score(hypothesis[:100_000], refs) / 100.0))
        if self.pass_threshold is not None:
            status = "correct" if score >= self.pass_threshold else "incorrect"
        else:
            status = "correct" if score >= 1.0 else ("partial" if score > 0 else "incorrect")
        return Verdict(reward=score, status=status, components={self.metric: score})

    def reference_response(self, reference: Any) -> str | None:
        ref = reference[0] if isinstance(reference, list) and reference else reference
        return None if ref is None else f"<answer>{ref}</answer>"


class ChrF(_SacreMetric):
    """chrF (character n-gram F-score; `word_order=2` gives chrF++) as a reward in [0, 1]."""

    name = "chrf"
    metric = "chrf"

    def __init__(self, word_order: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.word_order = word_order

    def _score(self, hypothesis: str, references: list[str]) -> float:
        from sacrebleu.metrics import CHRF

        if self._scorer is None:
            self._scorer = CHRF(word_order=self.word_order)
        return float(self._scorer.sentence_score(hypothesis, references).score)


class BLEU(_SacreMetric):
    """Sentence BLEU (exponential smoothing) as a reward in [0, 1]."""

    name = "bleu"
    metric = "bleu"

    def _score(self, hypothesis: str, references: list[str]) -> float:
        from sacrebleu.metrics import BLEU as SacreBLEU

        if self._scorer is None:
            self._scorer = SacreBLEU(effective_order=True)
        return float(self._scorer.sentence_score(hypothesis, references).score)
