"""Word sorting mistakes: find the first wrong step in a shown selection sort of words.

The question shows a step-by-step sort: at each step the "first remaining word" is picked and
appended. At most one step picks a word that is not the first of the words still remaining
(later steps continue correctly from there). The verifier replays the shown steps against the
rule and finds the first step that breaks it itself; the answer must name that step (or `none`).
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.envs.logic.families.word_sorting import make_words
from gymhub.types import Task, Verdict

_STEP = re.compile(r"(?:step\s*)?#?\s*(\d{1,3})\.?", re.IGNORECASE)
_NONE = re.compile(r"(?:none|no mistakes?|no errors?|there is no mistake)\.?", re.IGNORECASE)


def first_wrong_step(words: list[str], picks: list[str], descending: bool) -> int:
    """1-based number of the first pick that is not the first remaining word in the requested
    order (0 when every pick follows the rule)."""
    remaining = list(words)
    for number, pick in enumerate(picks, 1):
        best = max(remaining) if descending else min(remaining)
        if pick != best or pick not in remaining:
            return number
        remaining.remove(pick)
    return 0


@register_family
class WordSortingMistake(LogicFamily):
    """Find the first mistaken step of a shown alphabetical sort (or say there is none).

    Difficulty d sets the words 4 + d (5..14) and the share of words built on a common stem
    (0 at d1 up to 0.6 at d10), so the wrong pick differs from the right one deep in the word.
    About one task in five has no mistake. size = words. Reward 1/0.
    """

    name = "word_sorting_mistake"
    title = "WordSortingMistake"
    description = "Find the first wrong step in a step-by-step alphabetical sort, or say none."
    difficulty_doc = "words 4+d (5..14); share of words with a common stem grows to 0.6"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        # 4 + d words: with 3 + d, d1 had three steps that could go wrong and `Step 3` was
        # right on 30% of its tasks
        count = 4 + difficulty
        words = make_words(rng, count, shared=0.6 * (difficulty - 1) / 9)
        descending = rng.random() < 0.3
        mistake = 0 if rng.random() < 0.12 else rng.randint(1, count - 1)  # `none` was 20-23%
        remaining = list(words)
        picks: list[str] = []
        for number in range(1, count + 1):
            ordered = sorted(remaining, reverse=descending)
            pick = ordered[0]
            if number == mistake:  # the word most like the right one, then the nearest in order
                rank = {w: i for i, w in enumerate(ordered)}
                pick = max(ordered[1:], key=lambda w: (_common_prefix(w, ordered[0]), -rank[w]))
            picks.append(pick)
            remaining.remove(pick)
        direction = "descending (Z to A)" if descending else "ascending (A to Z)"
        first = "last" if descending else "first"
        lines = []
        for number, pick in enumerate(picks, 1):
            lines.append(
                f"Step {number}: the {first} remaining word in alphabetical order is {pick}; "
                f"sorted so far: {' '.join(picks[:number])}"
            )
        steps = "\n".join(lines)
        truth = first_wrong_step(list(words), picks, descending)
        example = examples_besides(truth, "2", "3")[0]
        question = (
            f"Someone sorted these words in {direction} alphabetical order (letter by letter; a "
            "word that is a prefix of another comes before it in ascending order) by "
            f"repeatedly taking the {first} remaining word:\n\n"
            f"Words: {', '.join(words)}\n\n{steps}\n\n"
            "At most one step picks a wrong word (the steps after it continue correctly from "
            "what was picked). Which step is the first mistake? Answer with the step number, for "
            f"example `Step {example}`, or `none` if every step is right.\n"
            "Put your final answer inside <answer></answer>."
        )
        size = count
        return make_task(question, mistake, size, words=words, picks=picks, descending=descending)

    def check(self, task: Task, answer: str) -> Verdict:
        text = " ".join(answer.split())[:200]
        if _NONE.fullmatch(text):
            given = 0
        else:
            match = _STEP.fullmatch(text)
            if match is None:
                return Verdict.unparseable("expected one step number or `none`")
            given = int(match.group(1))
        truth = first_wrong_step(
            list(task.metadata["words"]), list(task.metadata["picks"]), task.metadata["descending"]
        )
        if given != truth:
            return Verdict.incorrect("that is not the first wrong step")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        truth = int(task.answer)
        n = len(task.metadata["picks"])
        if truth == 0:
            return ["Step 1", str(n - 1), "Step 2"]
        return ["none", str(truth + 1), f"Step {truth - 1}" if truth > 1 else "Step 2"]

    def secret_strings(self, task: Task) -> list[str]:
        return []  # a step number occurs in the question by design

    def format_answer(self, task: Task) -> str:
        truth = int(task.answer)
        return f"Step {truth}" if truth else "none"


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
