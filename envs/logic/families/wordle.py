"""Wordle: a secret English word; each guess is answered letter by letter with G (right letter,
right place), Y (in the word, elsewhere) or - (not in the word, or no further copy of it).

Single-turn family `wordle`: guesses and their answers that leave exactly one word of gymhub's
word list (`envs/logic/words.txt`) fitting; the answer is that word. The verifier checks the
rules (a listed word of the right length that would give every recorded answer), which only
the secret passes.

Multi-turn game `gymhub/Logic-WordleGame-v0`: guess the word in at most 8 turns; every guess
must be a listed word of the right length (anything else is refused and uses up a turn). The
reference player guesses, among the words still possible, the one that splits them best.
"""

from __future__ import annotations

import random
import re
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._games import Game, Move, register_game
from gymhub.envs.logic.families._words import of_length, word_set
from gymhub.types import Task, Verdict

_BUDGET = 8
_WORD = re.compile(r"[A-Za-z]+")


def _length(difficulty: int) -> int:
    return 4 if difficulty <= 3 else 5 if difficulty <= 7 else 6


def feedback(secret: str, guess: str) -> str:
    marks = ["-"] * len(guess)
    left: dict[str, int] = {}
    for i, (s, g) in enumerate(zip(secret, guess)):
        if s == g:
            marks[i] = "G"
        else:
            left[s] = left.get(s, 0) + 1
    for i, g in enumerate(guess):
        if marks[i] != "G" and left.get(g, 0) > 0:
            marks[i] = "Y"
            left[g] -= 1
    return "".join(marks)


def read_word(text: str) -> str | None:
    words = _WORD.findall(text[:500])
    return words[0].lower() if len(words) == 1 else None


def _legend() -> str:
    return (
        "G = right letter in the right place, Y = the letter is in the word but elsewhere, "
        "- = the letter is not in the word (or the word has no further copy of it: a repeated "
        "letter is marked G/Y only as often as the word contains it, G first)"
    )


@register_family
class Wordle(LogicFamily):
    """Name the one listed word that fits every guess's Wordle answer.

    Accepted: one word, any case. Not accepted: two words, a word not in the list, another
    length.
    """

    name = "wordle"
    title = "Wordle"
    description = "Deduce the secret word from Wordle guesses and their G/Y/- answers."
    difficulty_doc = (
        "word length 4 (d1-3), 5 (d4-7), 6 (d8-10) (size); guesses until exactly one listed "
        "word fits; from d5 the first six guesses are random, not greedy"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = _length(difficulty)
        pool = of_length(length)
        secret = rng.choice(pool)
        alive = list(pool)
        history: list[list[str]] = []
        greedy = difficulty < 5
        while len(alive) > 1:
            options = [w for w in rng.sample(pool, 8) if w != secret]
            if greedy or len(history) >= 6:  # random guesses, then greedy to keep it short
                options.sort(
                    key=lambda g: sum(feedback(secret, g) == feedback(w, g) for w in alive)
                )
            guess = options[0]
            if any(guess == h[0] for h in history):
                continue
            mark = feedback(secret, guess)
            history.append([guess, mark])
            alive = [w for w in alive if feedback(w, guess) == mark]
        lines = "\n".join(f"{g.upper()}  {m}" for g, m in history)
        question = (
            f"Wordle. The secret is a common English word of {length} letters. Each guess is "
            f"answered letter by letter: {_legend()}.\n\n{lines}\n\n"
            "Exactly one common English word fits every answer. Answer with that word, for "
            "example <answer>"
            + "abcdef"[:length]
            + "</answer> (the form, not a word). Put your answer inside <answer></answer>."
        )
        return make_task(question, secret, length, length=length, history=history)

    def check(self, task: Task, answer: str) -> Verdict:
        word = read_word(answer)
        length = task.metadata["length"]
        if word is None or len(word) != length:
            return Verdict.unparseable(f"expected one word of {length} letters")
        if word not in word_set():
            return Verdict.incorrect(f"{word!r} is not in the word list")
        for guess, mark in task.metadata["history"]:
            if feedback(word, guess) != mark:
                return Verdict.incorrect(f"{word!r} would not answer {guess.upper()} with {mark}")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        secret = task.answer
        others = [w for w in of_length(len(secret)) if w != secret]
        return [
            others[0],
            others[-1],
            secret[::-1] if secret[::-1] != secret else "x" * len(secret),
        ]

    def format_answer(self, task: Task) -> str:
        return str(task.answer)


def best_guess(alive: list[str], pool: tuple[str, ...]) -> str:
    """The guess (from the possible words, then a fixed sample of the list) that splits the
    possible words into the most answer groups; ties go to a possible word, then the first."""
    if len(alive) <= 2:
        return alive[0]
    sample = alive[:: max(1, len(alive) // 300)]
    stride = max(1, len(pool) // 40)
    candidates = alive[:40] + [w for w in pool[::stride] if w not in alive]
    best, best_score = alive[0], -1
    for guess in candidates:
        score = len({feedback(w, guess) for w in sample}) * 2 + (guess in alive)
        if score > best_score:
            best, best_score = guess, score
    return best


class WordleGame(Game):
    name = "wordle"
    title = "Wordle"
    description = "Play Wordle with gymhub's word list: 8 guesses, G/Y/- answers."

    def max_turns(self, task: Task) -> int:
        return _BUDGET

    def start(self, task: Task) -> dict[str, Any]:
        return {"alive": list(of_length(task.metadata["length"]))}

    def intro(self, task: Task, state: dict[str, Any]) -> str:
        length = task.metadata["length"]
        return (
            f"Let's play Wordle. I chose a common English word of {length} letters. Each turn, "
            f"guess a {length}-letter English word; I answer letter by letter: {_legend()}. "
            f"You have {_BUDGET} turns; a guess that is not a common {length}-letter word is "
            "refused and still uses up a turn. Put each guess inside <answer></answer>, for "
            "example <answer>" + "abcdef"[:length] + "</answer> (the form, not a word)."
        )

    def play(self, task: Task, state: dict[str, Any], move: str) -> Move:
        length = task.metadata["length"]
        word = read_word(move)
        if word is None or len(word) != length or word not in word_set():
            return Move(
                f"That is not a common {length}-letter word from my list; guess again.",
                Verdict.unparseable("not a listed word"),
            )
        if word == task.answer:
            return Move("Correct, that is the word!", Verdict.correct(), done=True, reward=1.0)
        mark = feedback(task.answer, word)
        state["alive"] = [w for w in state["alive"] if feedback(w, word) == mark]
        return Move(f"{word.upper()}  {mark}", Verdict.incorrect("not the word"))

    def secrets(self, task: Task) -> list[str]:
        return [task.answer]

    def reference(self, task: Task, state: dict[str, Any]) -> str:
        return best_guess(state["alive"], of_length(task.metadata["length"]))


register_game(WordleGame())
