"""The English word list shipped with gymhub (`envs/logic/words.txt`, curated for the word
families), loaded once."""

from __future__ import annotations

import functools
from pathlib import Path

WORDS_FILE = Path(__file__).resolve().parent.parent / "words.txt"


@functools.cache
def words() -> tuple[str, ...]:
    """Every word, lower case, sorted by length then alphabetically."""
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(w for w in (ln.strip() for ln in lines) if w and not w.startswith("#"))


@functools.cache
def word_set() -> frozenset[str]:
    return frozenset(words())


@functools.cache
def of_length(n: int) -> tuple[str, ...]:
    return tuple(w for w in words() if len(w) == n)
