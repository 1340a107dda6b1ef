"""Word ladder: turn one four-letter word into another, one letter at a time, through words.

The verifier checks the rules against the family's word list (`_wordlist_en`): the ladder starts
and ends with the given words, every step changes exactly one letter, every word is in the list,
and it has no more steps than the shortest ladder (found by breadth-first search). Any shortest
ladder scores.
"""

from __future__ import annotations

import functools
import random
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, read_words
from gymhub.envs.logic.families._wordlist_en import WORDS
from gymhub.types import Task, Verdict


@functools.cache
def ladder_words() -> frozenset[str]:
    return frozenset(w for w in WORDS if len(w) == 4)


@functools.cache
def _graph() -> dict[str, tuple[str, ...]]:
    """The ladder graph: words one letter apart, built once by bucketing on a wildcard."""
    buckets: dict[str, list[str]] = {}
    for word in sorted(ladder_words()):
        for i in range(len(word)):
            buckets.setdefault(word[:i] + "_" + word[i + 1 :], []).append(word)
    graph: dict[str, list[str]] = {w: [] for w in ladder_words()}
    for group in buckets.values():
        for a in group:
            graph[a] += [b for b in group if b != a]
    return {w: tuple(sorted(n)) for w, n in graph.items()}


def neighbours(word: str) -> tuple[str, ...]:
    return _graph().get(word, ())


def shortest(start: str, end: str) -> list[str] | None:
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        word = queue.popleft()
        if word == end:
            path = [word]
            while parent[path[-1]] is not None:
                path.append(parent[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for nxt in neighbours(word):
            if nxt not in parent:
                parent[nxt] = word
                queue.append(nxt)
    return None


def distances_from(start: str, limit: int) -> dict[str, int]:
    dist = {start: 0}
    queue = deque([start])
    while queue:
        word = queue.popleft()
        if dist[word] >= limit:
            continue
        for nxt in neighbours(word):
            if nxt not in dist:
                dist[nxt] = dist[word] + 1
                queue.append(nxt)
    return dist


@register_family
class WordLadder(LogicFamily):
    """Change one letter at a time to get from one four-letter word to another.

    Shortest ladder 2+d//2 steps (2..7, size). Answer: the words from start to end separated by
    spaces or commas; any ladder of common four-letter words with the shortest number of steps
    scores. Reward 1/0.
    """

    name = "word_ladder"
    title = "WordLadder"
    description = "Word ladder: change one letter at a time between two words."
    difficulty_doc = "shortest ladder 2+d//2 steps (2..7; size)"
    equivalents = {"reasoning_gym": "word_ladder"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        steps = 2 + difficulty // 2
        pool = sorted(ladder_words())
        while True:
            start = rng.choice(pool)
            far = sorted(w for w, d in distances_from(start, steps).items() if d == steps)
            if far:
                end = rng.choice(far)
                break
        question = ask(
            f'Turn "{start}" into "{end}" by changing one letter at a time; every word in '
            f"between must be a common English four-letter word. The shortest ladder has {steps} "
            "steps: use no more.",
            "Answer with all the words from the first to the last, separated by commas, for "
            "example <answer>cold, cord, card, ward, warm</answer>.",
        )
        return make_task(question, shortest(start, end), steps, start=start, end=end, steps=steps)

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_words(answer, max_items=200)
        if got is None:
            return Verdict.unparseable("expected words separated by commas")
        if got[0] != task.metadata["start"] or got[-1] != task.metadata["end"]:
            return Verdict.incorrect("the ladder must start and end with the given words")
        if len(got) - 1 > int(task.metadata["steps"]):
            return Verdict.incorrect(f"{len(got) - 1} steps: the shortest ladder has fewer")
        words = ladder_words()
        for a, b in zip(got, got[1:]):
            if len(a) != len(b) or sum(x != y for x, y in zip(a, b)) != 1:
                return Verdict.incorrect(f"{a} -> {b} does not change exactly one letter")
        unknown = [w for w in got if w not in words]
        if unknown:
            return Verdict.incorrect(f"{unknown[0]!r} is not in the word list")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return ", ".join(task.answer)

    def near_misses(self, task: Task) -> list[str]:
        path = list(task.answer)
        out = [", ".join(path[:-1] + [path[-2], path[-1]])]  # a step that changes nothing
        out.append(", ".join([path[0]] + path[2:]))  # a step that changes two letters
        out.append(", ".join(path[:1] + ["zzzz"] + path[2:]))
        return out
