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
    found = find_tags(text, tag, limit=1)
    return found[-1] if found else None


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


# ----- the named extraction policies -------------------------------------------------------------
# Every verifier and env reads the answer through one of these; docs/verifiers.md lists which.
MAX_TAGS = 64
MAX_SCAN_CHARS = 400_000  # tags and fences are looked for in the last this-many characters
_FENCE_OPEN = re.compile(r"```[ \t]*([\w+#.-]*)[^\n]*\n")


def _tag_pattern(tag: str, closing: bool) -> re.Pattern[str]:
    return re.compile(f"</{re.escape(tag)}>" if closing else f"<{re.escape(tag)}>", re.IGNORECASE)


def find_tags(text: str, tag: str = "answer", limit: int = MAX_TAGS) -> list[str]:
    """The contents of every closed `<tag>...</tag>` (case-insensitive), in order; each closing
    tag pairs with the nearest opening tag before it. Linear time (two literal scans), at most
    `limit` (the last ones), looking only at the last `MAX_SCAN_CHARS` characters."""
    text = text[-MAX_SCAN_CHARS:]
    opens = [m.end() for m in _tag_pattern(tag, False).finditer(text)]
    found: list[str] = []
    k = 0  # opens[:k] lie before the previous closing tag
    floor = 0
    for close in _tag_pattern(tag, True).finditer(text):
        while k < len(opens) and opens[k] <= close.start():
            k += 1
        if k and opens[k - 1] > floor:
            found.append(text[opens[k - 1] : close.start()])
        floor = close.end()
    return found[-limit:]


def find_code_blocks(text: str, limit: int = MAX_TAGS) -> list[tuple[str | None, str]]:
    """`(language tag or None, code)` of every closed ``` fenced block, in order (the last
    `limit`). A fence opens with ``` and an optional language tag (the rest of that line is
    ignored) and closes at the next ```."""
    text = text[-MAX_SCAN_CHARS:]
    blocks: list[tuple[str | None, str]] = []
    pos = 0
    while True:
        opening = _FENCE_OPEN.search(text, pos)
        if opening is None:
            break
        end = text.find("```", opening.end())
        if end < 0:
            break
        blocks.append((opening.group(1).lower() or None, text[opening.end() : end]))
        pos = end + 3
    return blocks[-limit:]


def _distinct(items: list[str]) -> list[str]:
    """Stripped items without blanks, repeats (up to whitespace) collapsed, in order."""
    return _dedupe(items)


def extract_tagged(response: str, tag: str = "answer") -> Extraction:
    """Policy `tag`: the answer must be inside `<tag>...</tag>` after the reasoning. Every
    distinct tag content is a candidate (several different ones are a hedge); no tag: none."""
    found = find_tags(strip_think(response), tag)
    return Extraction(_distinct(found), "answer_tag" if found else "none")


def extract_text_answer(response: str) -> Extraction:
    """Policy `text`: for answers that are words or numbers in free text. The `<answer>` tags
    after the reasoning; else the `\\boxed{}` answers; else the whole remaining text, stripped.
    Several different tags or boxes are all candidates (a hedge)."""
    text = strip_think(response)
    tagged = find_tags(text, "answer")
    if tagged:  # an empty tag is an empty answer, not a reason to read the rest
        return Extraction(_distinct(tagged), "answer_tag")
    boxes = _distinct(find_boxed(text[-MAX_SCAN_CHARS:]))
    if boxes:
        return Extraction(boxes, "boxed")
    stripped = text.strip()
    return Extraction([stripped], "whole") if stripped else Extraction([], "none")


def last_code_block(response: str) -> tuple[str | None, str | None]:
    """Policy `code`: `(language tag or None, code)` of the last closed fenced block after the
    reasoning; `(None, None)` when there is none."""
    blocks = find_code_blocks(strip_think(response))
    return blocks[-1] if blocks else (None, None)


def extract_code_block(response: str) -> Extraction:
    """Policy `code` as an `Extraction` (source `code`)."""
    _, code = last_code_block(response)
    return Extraction([code], "code") if code is not None else Extraction([], "none")


POLICIES = {
    "final_answer": extract_final_answer,
    "text": extract_text_answer,
    "tag": extract_tagged,
    "code": extract_code_block,
}


def extract(response: str, policy: str = "final_answer") -> Extraction:
    """The answer of `response` under the named policy (`final_answer`, `text`, `tag`, `code`;
    see docs/verifiers.md). Raises ValueError for an unknown policy name."""
    if not isinstance(response, str):
        raise TypeError(f"response must be a str, got {type(response).__name__}")
    try:
        reader = POLICIES[policy]
    except KeyError:
        raise ValueError(
            f"unknown extraction policy {policy!r}; known: {sorted(POLICIES)}"
        ) from None
    return reader(response)
