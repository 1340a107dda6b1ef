"""Group words that are anagrams of each other.

The verifier checks the rules: the groups use every given word exactly once, the words of a
group have the same letters, and no two groups do. The order of groups and of words inside a
group is free.
"""

from __future__ import annotations

import functools
import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, clean
from gymhub.envs.logic.families._wordlist_en import ANAGRAM_GROUPS, WORDS
from gymhub.types import Task, Verdict


def key(word: str) -> str:
    return "".join(sorted(word))


@functools.cache
def loners() -> list[str]:
    """Words of the list with no anagram in the list."""
    by_key: dict[str, list[str]] = {}
    for w in WORDS:
        by_key.setdefault(key(w), []).append(w)
    taken = {key(w) for g in ANAGRAM_GROUPS for w in g}
    return [w for w in WORDS if key(w) not in taken and len(by_key[key(w)]) == 1]


def groups_of(words: list[str]) -> list[list[str]]:
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(key(w), []).append(w)
    return sorted(sorted(g) for g in out.values())


def read_groups(text: str) -> list[list[str]] | None:
    text = clean(text).replace('"', " ").replace("'", " ")
    parts = [p for p in re.split(r"\n|;|\]\s*,?\s*\[", text) if p.strip()]
    if not parts or len(parts) > 200:
        return None
    out = []
    for part in parts:
        words = [w for w in re.split(r"[\s,\[\]]+", part) if w]
        if not words or not all(w.isalpha() and w.isascii() for w in words):
            return None
        out.append([w.lower() for w in words])
    return out


@register_family
class GroupAnagrams(LogicFamily):
    """Sort a list of words into anagram groups.

    Groups 2+d//2 (2..7, size) drawn from a table of anagram sets (2 or more words each, from
    d4 also single words with no anagram among the others). Answer: one group per line, words
    separated by spaces or commas (groups may also be separated by `;`). Reward 1/0.
    """

    name = "group_anagrams"
    title = "GroupAnagrams"
    description = "Group words that are anagrams of each other."
    difficulty_doc = "groups 2+d//2 (2..7; size); single-word groups from d4"
    equivalents = {"reasoning_gym": "group_anagrams"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 2 + difficulty // 2
        chosen = rng.sample(ANAGRAM_GROUPS, count)
        words: list[str] = []
        used_keys: set[str] = set()
        for group in chosen:
            if key(group[0]) in used_keys:
                continue
            used_keys.add(key(group[0]))
            words += rng.sample(group, rng.randint(2, len(group)))
        if difficulty >= 4:
            words += rng.sample(loners(), difficulty // 3)
        rng.shuffle(words)
        question = ask(
            "Group these words so that each group holds words made of exactly the same letters "
            f"(anagrams); a word with no anagram here forms a group alone:\n{', '.join(words)}",
            "Answer with one group per line, the words of a group separated by spaces, for "
            "example <answer>\nowl low\ncat act\ndog\n</answer>.",
        )
        return make_task(question, groups_of(words), count, words=words)

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_groups(answer)
        if got is None:
            return Verdict.unparseable("expected one group of words per line")
        flat = [w for g in got for w in g]
        if sorted(flat) != sorted(task.metadata["words"]):
            return Verdict.incorrect("the groups do not use every given word exactly once")
        keys = []
        for group in got:
            if len({key(w) for w in group}) != 1:
                return Verdict.incorrect(f"{' '.join(group)}: not anagrams of each other")
            keys.append(key(group[0]))
        if len(set(keys)) != len(keys):
            return Verdict.incorrect("two groups are anagrams of each other: merge them")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return "\n".join(" ".join(g) for g in groups_of(task.metadata["words"]))
