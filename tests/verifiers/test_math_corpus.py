"""The labelled math corpus: every case must get exactly its expected status."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from gymhub.verifiers.math_verifier import MathVerifier

CORPUS = Path(__file__).resolve().parents[1] / "data" / "math_corpus.jsonl"
CATEGORIES = {
    "exact",
    "complex",
    "interval",
    "infinity",
    "equation",
    "hedge",
    "think",
    "anchor",
    "choice",
    "format",
    "degrees",
    "units",
    "percent",
    "structure",
    "roots",
    "symbolic",
    "base",
    "undelimited",
    "hostile",
    # real-world answer styles (no wrong zero for a right answer)
    "unboxed",
    "relation",
    "matrix",
    "percent_words",
    "unit_words",
    "gold_format",
    "solutions",
    "prose_number",
    "mc_hedge",
    "exactness",
    "chain",
    "policy",
}


def load() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def test_corpus_is_large_and_covers_the_checklist():
    cases = load()
    assert len(cases) >= 900
    counts = Counter(c["category"] for c in cases)
    assert CATEGORIES <= set(counts), CATEGORIES - set(counts)
    # every class has answers that must pay and answers that must not (loosening is caught)
    for category in CATEGORIES - {"hostile", "think", "undelimited", "policy"}:
        labels = {c["expected"] for c in cases if c["category"] == category}
        assert {"correct", "incorrect"} <= labels, category
    assert {c["expected"] for c in cases} == {"correct", "incorrect", "unparseable"}
    assert len({c["id"] for c in cases}) == len(cases)


@pytest.mark.slow
def test_every_corpus_case_gets_its_expected_status():
    cases = load()
    # a generous deadline: this test is about answers, not speed (the machine may be loaded)
    verifier = MathVerifier(deadline=20.0)  # the shared default pool
    verdicts = verifier.verify_batch([c["response"] for c in cases], [c["gold"] for c in cases])
    wrong = [
        f"{c['id']} {c['category']}: {c['gold']!r} vs {c['response'][:60]!r} -> "
        f"{v.status} ({v.detail}), expected {c['expected']}"
        for c, v in zip(cases, verdicts)
        if v.status != c["expected"]
    ]
    assert not wrong, "\n".join(wrong)
    assert all((v.reward == 1.0) == (v.status == "correct") for v in verdicts)
