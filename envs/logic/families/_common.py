"""Small readers shared by several logic families (not a family: the leading underscore keeps
it out of discovery). Every reader bounds its work and returns None on anything it cannot read."""

from __future__ import annotations

import re

MAX_TEXT = 20_000

_SEP = re.compile(r"\s*(?:->|→|,|;|\s)\s*")


def read_int_list(text: str, limit: int = 1000) -> list[int] | None:
    """Whole numbers separated by spaces, commas, semicolons or arrows (`1 -> 4 -> 2`); None on
    any other symbol or word, or more than `limit` numbers."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    text = text.strip().strip(".").strip()
    if not text or re.search(r"[^\d\s,;>\-→\[\]()]", text):
        return None
    text = text.replace("[", " ").replace("]", " ").replace("(", " ").replace(")", " ")
    parts = [p for p in re.split(r"\s*(?:->|→|-|,|;|\s)\s*", text.strip()) if p]
    if len(parts) > limit or not all(p.isdigit() and len(p) <= 9 for p in parts):
        return None
    return [int(p) for p in parts]


def letters_only(text: str) -> str:
    """The letters of `text`, upper-cased (for cipher answers: spacing and punctuation ignored)."""
    return "".join(ch for ch in text.upper() if "A" <= ch <= "Z")
