"""Train/eval hygiene: how much of an evaluation's prompts also appear in a training set.

Texts are compared as word n-grams (case- and Unicode-folded, typographic quotes and dashes made
plain, punctuation split off; n = 13 by default, as in
the GPT-3 paper, so shared instructions alone rarely match): a prompt is *contaminated* when at
least `threshold` of its n-grams occur somewhere in the training set; a prompt shorter than n
words is contaminated when a training text contains all of it.
Prompts are what the policy would see: the first observation of each (env, options, seed).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

WORD = re.compile(r"\w+|[^\w\s]")
TEXT_FIELDS = ("question", "prompt", "problem", "text", "input", "content")


# typographic variants a copy of a prompt often went through (a word processor's smart quotes,
# an HTML export's dashes): folded to one form so they do not hide a copy
_FOLD = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
     "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
     "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
     "\u2015": "-", "\u2212": "-"}
)  # fmt: skip


def words_of(text: str) -> list[str]:
    """Lower-cased words and punctuation marks of `text`, after Unicode compatibility folding
    (NFKC: full-width letters and digits, ligatures, superscripts, no-break spaces) and folding
    of typographic quotes and dashes, so a reformatted copy of a prompt still matches it."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return WORD.findall(folded)


def _grams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    """A text's word n-grams; a text shorter than n words is its one whole tuple."""
    words = words_of(text)
    if len(words) < n:
        return {tuple(words)} if words else set()
    return _grams(words, n)


def env_prompts(
    entries: Sequence[tuple[str, dict[str, Any] | None, Sequence[int]]],
) -> list[tuple[str, int, str]]:
    """(env id, seed, prompt text) for each job; the env's reset observation, no policy."""
    import gymhub

    out = []
    for env_id, options, seeds in entries:
        env = gymhub.make(env_id)
        try:
            for seed in seeds:
                observation, _ = env.reset(seed=seed, options=options or None)
                text = "\n".join(m.text for m in observation.messages if m.role != "system")
                out.append((env_id, seed, text))
        finally:
            env.close()
    return out


def jsonl_texts(path: str | Path, fields: Sequence[str] | None = None) -> Iterable[str]:
    """Texts of a training JSONL, one per row: by default every text the row holds (each string
    field, and each chat list: OpenAI `messages` with `content`, ShareGPT `conversations` with
    `value`), so a format whose prompt sits in a field of another name (Alpaca's `instruction`,
    `query`, ShareGPT) is never read as an empty, clean row. With `fields`, the first of them
    that holds text (then `messages`)."""
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                raise ValueError(f"{path}:{number}: not JSON: {exc}") from exc
            if not isinstance(row, dict):
                text = _field_text(row)  # a bare string or a bare chat list
                if text:
                    yield text
                continue
            if fields is None:
                text = "\n".join(t for value in row.values() if (t := _field_text(value)))
                if text:
                    yield text
                continue
            for name in (*fields, "messages"):
                text = _field_text(row.get(name))
                if text:
                    yield text
                    break


def _field_text(value: Any) -> str | None:
    """A field's text: a string, or a chat message list (the conversational format trainers use,
    `[{"role": ..., "content": ...}]`, content a string or a list of text parts; ShareGPT's
    `[{"from": ..., "value": ...}]`), or a list of strings."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return None
    parts = []
    for message in value:
        content = message if not isinstance(message, dict) else message.get("content")
        if isinstance(message, dict) and content is None:
            content = message.get("value", message.get("text"))
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts += [
                p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
            ]
    return "\n".join(parts) or None


class Overlap(BaseModel):
    env_id: str
    prompts: int
    contaminated: int
    max_overlap: float
    examples: list[int]  # seeds of contaminated prompts (first few)


def overlap_report(
    prompts: Sequence[tuple[str, int, str]],
    train_texts: Iterable[str],
    *,
    n: int = 13,
    threshold: float = 0.5,
) -> list[Overlap]:
    """Per env: how many prompts share at least `threshold` of their n-grams with the training
    texts, and the largest shared fraction."""
    if n < 1 or not 0 < threshold <= 1:
        raise ValueError("need n >= 1 and 0 < threshold <= 1")
    prompt_grams = [ngrams(text, n) for _, _, text in prompts]
    # a prompt shorter than n words has no n-gram: it is one whole tuple, found when a training
    # text contains it anywhere (not only when a training text is exactly that prompt)
    short = {g for grams in prompt_grams for g in grams if len(g) < n}
    lengths = {len(g) for g in short}
    wanted = set().union(*prompt_grams) if prompt_grams else set()
    # only the n-grams some prompt has are kept: a training set of millions of texts would
    # otherwise hold every one of its n-grams in memory at once
    seen: set[tuple[str, ...]] = set()
    for text in train_texts:
        words = words_of(text)
        seen |= (ngrams(text, n) if len(words) < n else _grams(words, n)) & wanted
        for m in lengths:
            seen |= _grams(words, m) & short
    rows: dict[str, Overlap] = {}
    for (env_id, seed, _), grams in zip(prompts, prompt_grams):
        share = len(grams & seen) / len(grams) if grams else 0.0
        row = rows.setdefault(env_id, Overlap(env_id=env_id, prompts=0, contaminated=0,
                                              max_overlap=0.0, examples=[]))  # fmt: skip
        row.prompts += 1
        row.max_overlap = max(row.max_overlap, share)
        if share >= threshold:
            row.contaminated += 1
            if len(row.examples) < 5:
                row.examples.append(seed)
    return list(rows.values())
