"""Word sorting: put a list of (made-up, so not memorised) words in alphabetical order.

The verifier checks the rules: the answer is a rearrangement of exactly the given words and is
in the requested order. Words are pronounceable pseudo-words built from syllables by the seeded
generator; at high difficulty many share long prefixes, so whole words must be compared.
"""

from __future__ import annotations

import random
import re
from collections import Counter

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou"]


def _count(difficulty: int) -> int:
    return 4 + 3 * difficulty  # 7..34 words


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))


def make_words(rng: random.Random, count: int, shared: float) -> list[str]:
    """`count` distinct words; a fraction `shared` of them extend stems used by other words."""
    words: list[str] = []
    stems: list[str] = []
    for _ in range(count * 20):
        if len(words) == count:
            break
        if stems and rng.random() < shared:
            word = rng.choice(stems) + _word(rng, rng.randint(0, 2))
            if rng.random() < 0.3:
                word += rng.choice("nrst")
        else:
            word = _word(rng, rng.randint(2, 3))
            stems.append(word[: rng.randint(2, len(word))])
        if word not in words:
            words.append(word)
    n = len(words)
    while len(words) < count:  # bounded fallback: numbered variants are always new
        words.append(f"{words[len(words) % n]}{'x' * (len(words) // n)}")
    return words


@register_family
class WordSorting(LogicFamily):
    """Sort words alphabetically (ascending or descending, as the question says).

    Difficulty d sets the number of words to 4 + 3d (7 at d=1, 34 at d=10) and the share of words
    built on a common stem (0 at d=1 up to 0.6 at d=10), which forces comparisons deep into the
    word. size = number of words. Reward 1/0.
    """

    name = "word_sorting"
    title = "WordSorting"
    description = "Sort a list of words alphabetically (ascending or descending)."
    difficulty_doc = "words 4+3d (7..34); share of words with a common stem grows to 0.6"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = _count(difficulty)
        words = make_words(rng, count, shared=0.6 * (difficulty - 1) / 9)
        descending = rng.random() < 0.3
        ordered = sorted(words, reverse=descending)
        if words == ordered:
            words[0], words[1] = words[1], words[0]
        direction = "descending (Z to A)" if descending else "ascending (A to Z)"
        question = (
            f"Sort the following words in {direction} alphabetical order. Compare letter by "
            "letter; a word that is a prefix of another comes before it in ascending order.\n\n"
            f"Words: {', '.join(words)}\n\n"
            "Answer with all the words in sorted order, separated by spaces, for example "
            "<answer>word1 word2 word3</answer>. Put your final answer inside <answer></answer>."
        )
        return make_task(question, ordered, count, words=words, descending=descending)

    def check(self, task: Task, answer: str) -> Verdict:
        got = [w.lower() for w in re.findall(r"[A-Za-z]+", answer[:20_000])]
        if not got:
            return Verdict.unparseable("no words found")
        words = list(task.metadata["words"])
        if Counter(got) != Counter(words):
            missing = len(list((Counter(words) - Counter(got)).elements()))
            extra = len(list((Counter(got) - Counter(words)).elements()))
            return Verdict.incorrect(f"not the given words ({missing} missing, {extra} extra)")
        if got != sorted(got, reverse=bool(task.metadata["descending"])):
            return Verdict.incorrect("the words are not in the requested order")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return " ".join(task.answer)
