"""Are two strings isomorphic (a one-to-one letter mapping turns one into the other)? Answered
with a certificate the verifier checks.

A bare `True`/`False` was the whole answer, and a yes/no question pays a constant answer on half
of its tasks: a policy answering `False` every time was paid without reading the strings. The
answer now proves its claim: `True` with the mapping of every letter of the first string (which
must be one-to-one and turn the first string into the second), or `False` with two positions
where the strings disagree (the same letter in one string, different letters in the other). No
certificate exists for the wrong claim, so a guess is never paid.
"""

from __future__ import annotations

import random
import re
import string

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, clean
from gymhub.types import Task, Verdict

MAX_ITEMS = 200  # more mapping entries than any task has letters is no answer
_CLAIM = re.compile(r"(true|false|yes|no)\b\s*[:,;.\-\u2013\u2014]?\s*", re.I)
_ARROW = re.compile(r"\s*(?:->|\u2192|=>|:|=)\s*")
_POSITIONS = re.compile(
    r"(?:positions?|indices|indexes)?\s*[(\[]?\s*(\d{1,6})\s*(?:,|;|and|&|\s)\s*(\d{1,6})"
    r"\s*[)\]]?",
    re.I,
)
# what separates two mapping entries: a comma, semicolon or line (`and` after it allowed), or
# spaces before the next `x->`
_ENTRY_GAP = re.compile(
    r"\s*[,;\n]\s*(?:and\s+)?|\s+(?:and\s+)?(?=['\"`]?[a-z]['\"`]?\s*(?:->|\u2192|=>|:|=))", re.I
)
_LETTER = re.compile(r"['\"`]?([a-z])['\"`]?")


def isomorphic(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    forward: dict[str, str] = {}
    backward: dict[str, str] = {}
    for x, y in zip(a, b):
        if forward.setdefault(x, y) != y or backward.setdefault(y, x) != x:
            return False
    return True


def conflicts(a: str, b: str, i: int, j: int) -> bool:
    """Whether positions i and j (from 0) prove the strings not isomorphic: the same letter at
    both in one string, two different letters in the other."""
    _check_pair(a, b)
    if not (0 <= i < len(a) and 0 <= j < len(a)):
        raise IndexError(f"positions {i}, {j} outside 0..{len(a) - 1}")
    return (a[i] == a[j]) != (b[i] == b[j])


def _check_pair(a: str, b: str) -> None:
    if not isinstance(a, str) or not isinstance(b, str):
        raise TypeError("the two strings must be str")
    if len(a) != len(b):
        raise ValueError(f"strings of different lengths: {len(a)} and {len(b)}")


def first_conflict(a: str, b: str) -> tuple[int, int] | None:
    """The first pair of positions (from 0) that `conflicts`, None when the strings are
    isomorphic."""
    _check_pair(a, b)
    for j in range(len(a)):
        for i in range(j):
            if conflicts(a, b, i, j):
                return i, j
    return None


def read_certificate(text: str) -> tuple[bool | None, dict[str, str] | tuple[int, int]] | str:
    """(the claim, or None when not said; a mapping, or two positions counted from 1), or a
    message saying why `text` cannot be read. A mapping naming a letter twice is kept as the
    message, a hedge between two images."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    text = clean(text).strip().rstrip(".").strip()
    claim = None
    m = _CLAIM.match(text)
    if m:
        claim = m.group(1).lower() in ("true", "yes")
        text = text[m.end() :].strip()
    if not text:
        return "the answer needs its proof: the letter mapping or two positions"
    pos = _POSITIONS.fullmatch(text)
    if pos:
        return claim, (int(pos.group(1)), int(pos.group(2)))
    items = [x for x in _ENTRY_GAP.split(text) if x]
    if len(items) > MAX_ITEMS:
        return "too many mapping entries"
    mapping: dict[str, str] = {}
    for item in items:
        parts = _ARROW.split(item.strip().lower())
        letters = [_LETTER.fullmatch(p) for p in parts]
        if len(parts) != 2 or not all(letters):
            return "expected a mapping like `a->x, b->y` or two positions like `2, 5`"
        key, value = (x.group(1) for x in letters)  # type: ignore[union-attr]
        if mapping.setdefault(key, value) != value:
            return f"{key!r} is mapped twice"
    return claim, mapping


def mapping_text(a: str, b: str) -> str:
    """The gold mapping of two isomorphic strings: `a->x, b->y`, letters in order."""
    _check_pair(a, b)
    image = dict(zip(a, b))
    return ", ".join(f"{c}->{image[c]}" for c in sorted(set(a)))


@register_family
class IsomorphicStrings(LogicFamily):
    """Decide whether two strings of length 3+2d (5..23, size) are isomorphic, and prove it.

    Half the pairs are isomorphic; the others differ from an isomorphic pair in one place (a
    letter mapped two ways, or two letters mapped to one). Alphabet 3+d//2 letters. Answer:
    `True: a->x, b->y, ...` (the mapping of every letter of the first string) or `False: i, j`
    (two positions, from 1, where one string repeats a letter and the other does not). Reward
    1/0; a bare True or False is unparseable.
    """

    name = "isomorphic_strings"
    title = "IsomorphicStrings"
    description = "Decide whether two strings are isomorphic, with the mapping or a conflict."
    difficulty_doc = "string length 3+2d (5..23; size), alphabet 3+d//2 letters"
    equivalents = {"reasoning_gym": "isomorphic_strings"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 3 + 2 * difficulty
        letters = rng.sample(string.ascii_lowercase, 3 + difficulty // 2)
        a = "".join(rng.choice(letters) for _ in range(length))
        image = rng.sample(string.ascii_lowercase, 26)
        mapping = dict(zip(sorted(set(a)), image))
        b = "".join(mapping[c] for c in a)
        if rng.random() < 0.5:  # changed in one place so that the pair is not isomorphic
            # (a change to an unused letter where the letter occurs once kept it isomorphic,
            # and `True` was right on up to 65% of tasks)
            for _attempt in range(100):
                i = rng.randrange(length)
                other = rng.choice([c for c in string.ascii_lowercase if c != b[i]])
                changed = b[:i] + other + b[i + 1 :]
                if not isomorphic(a, changed):
                    b = changed
                    break
        # format examples that are never right: letters the first string lacks, and two
        # positions that agree in both strings
        unused = [c for c in "pqrstuvwxyzabcdefghijklmno" if c not in a]
        agree = next((i, j) for j in range(length) for i in range(j) if not conflicts(a, b, i, j))
        question = ask(
            f'Are the strings "{a}" and "{b}" isomorphic? Two strings are isomorphic when '
            "every character of the first can be replaced by a character to give the second, "
            "the same character always by the same one and no two different characters by the "
            "same one. Prove your answer: if they are isomorphic, answer True followed by the "
            "replacement of every distinct character of the first string; if not, answer False "
            "followed by two positions (counted from 1) where one string has the same character "
            "twice and the other has two different characters.",
            f"Answer for example <answer>True: {unused[0]}->{unused[1]}, {unused[2]}->{unused[3]}"
            f"</answer> or <answer>False: {agree[0] + 1}, {agree[1] + 1}</answer>.",
        )
        return make_task(question, self._gold(a, b), length, a=a, b=b, isomorphic=isomorphic(a, b))

    @staticmethod
    def _gold(a: str, b: str) -> str:
        pair = first_conflict(a, b)
        if pair is None:
            return f"True: {mapping_text(a, b)}"
        return f"False: {pair[0] + 1}, {pair[1] + 1}"

    def check(self, task: Task, answer: str) -> Verdict:
        a, b = str(task.metadata["a"]), str(task.metadata["b"])
        read = read_certificate(answer)
        if isinstance(read, str):
            if "twice" in read:
                return Verdict.incorrect(read)
            return Verdict.unparseable(read)
        claim, proof = read
        if isinstance(proof, tuple):
            if claim is True:
                return Verdict.incorrect("True with two positions: positions prove False")
            i, j = proof
            if not (1 <= i <= len(a) and 1 <= j <= len(a)) or i == j:
                return Verdict.incorrect(f"positions must be two different ones in 1..{len(a)}")
            if not conflicts(a, b, i - 1, j - 1):
                return Verdict.incorrect(f"positions {i} and {j} agree in both strings")
            return Verdict.correct()
        if claim is False:
            return Verdict.incorrect("False with a mapping: a mapping proves True")
        if set(proof) != set(a):
            return Verdict.incorrect("the mapping must give every letter of the first string")
        if len(set(proof.values())) != len(proof):
            return Verdict.incorrect("two letters are mapped to one")
        if "".join(proof[c] for c in a) != b:
            return Verdict.incorrect("the mapping does not turn the first string into the second")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return self._gold(str(task.metadata["a"]), str(task.metadata["b"]))

    def near_misses(self, task: Task) -> list[str]:
        a, b = str(task.metadata["a"]), str(task.metadata["b"])
        letters = sorted(set(a))
        image = dict(zip(a, b))
        claim_only = "True" if isomorphic(a, b) else "False"
        out = [claim_only]  # the claim without its proof
        if len(letters) >= 2:  # two images swapped: one-to-one, but not the second string
            swapped = {**image, letters[0]: image[letters[1]], letters[1]: image[letters[0]]}
            out.append("True: " + ", ".join(f"{c}->{swapped[c]}" for c in letters))
        agree = [(i, j) for j in range(len(a)) for i in range(j) if not conflicts(a, b, i, j)]
        out += [f"False: {i + 1}, {j + 1}" for i, j in agree[:2]]
        return out
