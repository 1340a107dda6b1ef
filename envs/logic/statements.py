"""Answers of the truth-teller/liar families (knights and knaves, web of lies): every person
named with one of two labels, written as "name: label" pairs."""

from __future__ import annotations

import re
from collections.abc import Callable

_ITEM_START = re.compile(r"[\s\-*•.()0-9]*$")  # what may precede a name that starts an item
_PAIR_MARK = re.compile(r"\s*(?::|=|->|→)")  # "Ann: ..." is an item wherever it stands
# a word that starts an item and is paired with what follows: `, Alice: knave`, `{"Alice": ...`
_ITEM_NAME = re.compile(
    r"(?:^|[,;\n{])[ \t\-*•.()0-9\"']*([A-Za-z][A-Za-z-]*)[\"']?[ \t]*(?::|=|->|→)"
)
_SEGMENT_END = re.compile(r"[,;\n:=}]|->|→")


def labels_of(names: list[str], flags: list[bool], kinds: tuple[str, str]) -> dict[str, str]:
    """Each person's label: the first of `kinds` where their flag is true, else the second."""
    return {name: kinds[0] if flag else kinds[1] for name, flag in zip(names, flags, strict=True)}


def answer_form(kinds: tuple[str, str]) -> str:
    """The answer-format sentences of the question, with an example answer in that form."""
    yes, no = kinds
    return (
        f"Answer with name: {yes}/{no} pairs separated by commas, in any order, for example "
        f"<answer>Zed: {no}, Yan: {yes}</answer>. Put your final answer inside <answer></answer>."
    )


def format_labels(names: list[str], labels: dict[str, str]) -> str:
    """The "name: label" pairs in the order of `names`, separated by commas."""
    return ", ".join(f"{name}: {labels[name]}" for name in names)


def one_flipped(names: list[str], labels: dict[str, str], kinds: tuple[str, str]) -> list[str]:
    """Answers with one person's label swapped for the other of `kinds`: the first person, the
    middle one and the last one (each once). With a unique solution each of these is wrong."""
    swap = {kinds[0]: kinds[1], kinds[1]: kinds[0]}
    out = []
    for i in sorted({0, len(names) // 2, len(names) - 1}):
        out.append(
            ", ".join(
                f"{n}: {swap[labels[n]] if j == i else labels[n]}" for j, n in enumerate(names)
            )
        )
    return out


def hedged_names(text: str, names: list[str], kinds: Callable[[str], set[str]]) -> list[str]:
    """The people an answer gives more than one label: "Ann: knight or knave", "Ann: knight/knave",
    "Ann: knight, or maybe knave", or "Ann: knight, ..., Ann: knave". Only a name that starts an
    item (after a comma, semicolon, line break or the start, bullets and numbering allowed)
    counts, and so does any "name:" or "name =", each with the text up to the next name;
    "Bob: liar, because Ann lies" gives Bob one label and Ann none.
    `kinds(segment)` says which labels a piece of text names."""
    if not names:
        return []
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # a line break written as the two characters `\n` (as in a JSON string) still ends an item
    text = text[:5000].replace("\\n", "\n")
    mentions = list(re.finditer(rf"\b(?:{alternatives})\b", text, re.I))
    labels: dict[str, set[str]] = {}
    for i, mention in enumerate(mentions):
        before = text[: mention.start()]
        item_start = max(before.rfind(","), before.rfind(";"), before.rfind("\n")) + 1
        paired = _PAIR_MARK.match(text, mention.end())
        if not (paired or _ITEM_START.match(before[item_start:])):
            continue  # a name inside a sentence ("... because Ann lies"), not an item
        end = mentions[i + 1].start() if i + 1 < len(mentions) else min(len(text), 5000)
        labels.setdefault(mention.group(0).lower(), set()).update(kinds(text[mention.end() : end]))
    return [n for n in names if len(labels.get(n.lower(), ())) > 1]


def strangers(text: str, names: list[str], kinds: Callable[[str], set[str]]) -> list[str]:
    """The words an answer pairs with a label as if they were people of the puzzle but are not
    among `names` (`Ann: knight, Alice: knave` where there is no Alice): another puzzle's answer
    appended or prepended, or an extra person, is no answer to this one. Only an item's first
    word followed by `:`, `=`, `->` or `→` counts, with the text up to the next item as its
    label; `Answer: Ann: knight` labels nothing with `Answer`, nor `So: Ann is a knight` with
    `So` (the label's text names a person of the puzzle)."""
    known = {n.lower() for n in names}
    text = text[:5000].replace("\\n", "\n")
    out = []
    for m in _ITEM_NAME.finditer(text):
        word = m.group(1)
        if word.lower() in known:
            continue
        stop = _SEGMENT_END.search(text, m.end())
        segment = text[m.end() : stop.start() if stop else len(text)]
        said = set(re.findall(r"[a-z]+", segment.lower()))
        if kinds(segment) and not said & known:  # `So: Ann is a knight` labels Ann, not `So`
            out.append(word)
    return out
