"""Answer extraction from model output: `<think>`, `<answer>`, `\\boxed{}` and "final answer" anchors.

Everything here is plain string work in linear time (no regex backtracking on model text), so it
is safe to run in the caller's process on hostile input before any heavy work is attempted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_THINK_OPEN = "<think>"
_THINK_CLOSE = "</think>"
_BOX_COMMANDS = ("\\boxed", "\\fbox")
MAX_BOXES = 64
_PROSE = re.compile(r"(?<!\\)\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")  # two words: prose, not math
_ANCHOR = re.compile(r"(?:final\s+answer|the\s+answer|answer)\s*(?:is|:)\s*[:=]?\s*", re.IGNORECASE)


def strip_think(text: str) -> str:
    """The text after the reasoning: everything after the last `</think>`; an unclosed
    `<think>` means the model never answered (empty string)."""
    if _THINK_CLOSE in text:
        return text.rsplit(_THINK_CLOSE, 1)[1]
    if _THINK_OPEN in text:
        return text.split(_THINK_OPEN, 1)[0]
    return text


def extract_tag(text: str, tag: str) -> str | None:
    """The content of the last `<tag>...</tag>` (case-insensitive), or None."""
    lower = text.lower()
    close = f"</{tag.lower()}>"
    end = lower.rfind(close)
    if end < 0:
        return None
    start = lower.rfind(f"<{tag.lower()}>", 0, end)
    if start < 0:
        return None
    return text[start + len(tag) + 2 : end]


def _braced(text: str, start: int) -> tuple[str, int] | None:
    """The content of the brace group opening at `text[start] == '{'` and the index after it."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "\\":  # an escaped brace does not count
            continue
        if c == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif c == "}" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i + 1
    return None


def find_boxed(text: str, limit: int = MAX_BOXES) -> list[str]:
    """Contents of every `\\boxed{...}` / `\\fbox{...}` (nested braces allowed) and of the
    brace-less form `\\boxed 5`, in order of appearance; at most `limit` of them."""
    found: list[str] = []
    i = 0
    while len(found) < limit:
        positions = [(text.find(cmd, i), cmd) for cmd in _BOX_COMMANDS]
        positions = [(p, c) for p, c in positions if p >= 0]
        if not positions:
            break
        pos, cmd = min(positions)
        j = pos + len(cmd)
        while j < len(text) and text[j] == " ":
            j += 1
        if j < len(text) and text[j] == "{":
            group = _braced(text, j)
            if group is None:
                break
            found.append(group[0])
            i = group[1]
        elif j > pos + len(cmd) and j < len(text):
            end = j
            while end < len(text) and not text[end].isspace() and text[end] not in "$.,;":
                end += 1
            if end > j:
                found.append(text[j:end])
            i = end
        else:
            i = j
    return found


def _after_anchor(text: str) -> str | None:
    matches = list(_ANCHOR.finditer(text[-5000:]))
    if not matches:
        return None
    rest = text[-5000:][matches[-1].end() :]
    line = rest.split("\n", 1)[0].strip()
    # a sentence ends at ". " or a final "."; math inside $...$ is kept whole
    if line.count("$") >= 2:
        line = line[line.index("$") + 1 :]
        line = line[: line.index("$")]
    else:
        line = re.split(r"\.\s", line, maxsplit=1)[0]
    return line.strip().rstrip(".").strip() or None


@dataclass
class Extraction:
    """What the extractor found: the answer candidates (several different ones mean the model
    hedged) and where they came from (`boxed`, `answer_tag`, `anchor`, `whole`, `none`)."""

    candidates: list[str] = field(default_factory=list)
    source: str = "none"

    @property
    def answer(self) -> str | None:
        return self.candidates[-1] if self.candidates else None


def _dedupe(items: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        key = re.sub(r"\s+", "", item)
        if key and key not in seen:
            seen[key] = item.strip()
    return list(seen.values())


def extract_final_answer(response: str, whole_limit: int = 120) -> Extraction:
    """Find the final answer of a response.

    Order: strip `<think>`; the `<answer>` tag if any (boxes inside it win); every distinct
    `\\boxed{}` (identical repeats collapse into one candidate, different ones are all kept so the
    caller can treat them as a hedge); the last "final answer is ..." anchor; the whole remaining
    text when it is short (at most `whole_limit` characters, one line).
    """
    text = strip_think(response)
    tagged = extract_tag(text, "answer")
    if tagged is not None:
        text = tagged
    boxes = _dedupe(find_boxed(text))
    if boxes:
        return Extraction(boxes, "boxed")
    if tagged is not None and tagged.strip():
        return Extraction([tagged.strip()], "answer_tag")
    anchored = _after_anchor(text)
    if anchored:
        return Extraction([anchored], "anchor")
    stripped = text.strip()
    if (
        stripped
        and len(stripped) <= whole_limit
        and "\n" not in stripped
        and not _PROSE.search(stripped.replace("\\text", ""))
    ):
        return Extraction([stripped], "whole")
    return Extraction([], "none")
