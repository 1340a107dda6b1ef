"""Mastermind: a secret code of colored pegs (repeats allowed); each guess is answered with
black pegs (right color, right place) and white pegs (right color, wrong place).

Single-turn family `mastermind`: a history of guesses and their pegs that pins the code down
(guesses are added until exactly one code fits, checked by enumerating every code); the answer
is the code. The verifier checks it against every clue, which only the secret passes.

Multi-turn game `gymhub/Logic-MastermindGame-v0`: find the code by guessing; each guess is
answered with its pegs. Win (reward 1) by naming the code within the guess budget. The
reference player guesses the first code (in color order) that fits every answer so far.
"""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._games import Game, Move, register_game
from gymhub.types import Task, Verdict

COLORS = "RGBYOPWK"
_NAMES = dict(zip(COLORS, ("red", "green", "blue", "yellow", "orange", "purple", "white", "black")))
# (pegs, colors) per difficulty; size = colors ** pegs
_SHAPES = ((3, 4), (3, 5), (3, 6), (4, 5), (4, 6), (4, 7), (4, 8), (5, 6), (5, 7), (5, 8))


def pegs(code: str, guess: str) -> tuple[int, int]:
    black = sum(a == b for a, b in zip(code, guess))
    common = sum(min(code.count(c), guess.count(c)) for c in set(guess))
    return black, common - black


def all_codes(length: int, colors: int) -> list[str]:
    return ["".join(p) for p in itertools.product(COLORS[:colors], repeat=length)]


def read_code(text: str, length: int, colors: int) -> str | None:
    """A code written as color letters (`RGBY`, `R G B Y`, `R,G,B,Y`) or color names."""
    if len(text) > 2000:
        return None
    words = [w for w in re.split(r"[\s,;|\-]+", text.strip().strip(".").upper()) if w]
    by_name = {v.upper(): k for k, v in _NAMES.items()}
    if len(words) == length and all(w in by_name for w in words):
        code = "".join(by_name[w] for w in words)
    else:
        code = "".join(words)
    if len(code) != length or any(ch not in COLORS[:colors] for ch in code):
        return None
    return code


def _palette(colors: int) -> str:
    return ", ".join(f"{c} ({_NAMES[c]})" for c in COLORS[:colors])


@register_family
class Mastermind(LogicFamily):
    """Deduce the secret code from guesses and their black/white pegs; unique by enumeration.

    Accepted: the code as color letters (`RGBY`, `R G B Y`, commas) or color names (`red green
    blue yellow`), any case. Not accepted: a code of another length, an unlisted color, two
    codes.
    """

    name = "mastermind"
    title = "Mastermind"
    description = "Deduce a Mastermind code from guesses and their black/white peg answers."
    difficulty_doc = (
        "pegs x colors 3x4, 3x5, 3x6, 4x5, 4x6, 4x7, 4x8, 5x6, 5x7, 5x8 (d1..d10); size = "
        "possible codes; guesses until one code fits"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length, colors = _SHAPES[difficulty - 1]
        codes = all_codes(length, colors)
        secret = rng.choice(codes[1:])  # codes[0] is never the example code of the format
        alive = codes
        history: list[list[Any]] = []
        while len(alive) > 1:
            pool = [c for c in alive if c != secret] if len(history) < 2 else alive
            guess = rng.choice(pool if rng.random() < 0.7 else codes)
            if guess == secret or any(guess == h[0] for h in history):
                continue
            b, w = pegs(secret, guess)
            history.append([guess, b, w])
            alive = [c for c in alive if pegs(c, guess) == (b, w)]
        lines = "\n".join(
            f"{i + 1}. {' '.join(g)}: {b} black, {w} white" for i, (g, b, w) in enumerate(history)
        )
        question = (
            f"Mastermind. A secret code of {length} pegs uses the colors {_palette(colors)}; a "
            "color may appear several times. For each guess below, black = pegs of the right "
            "color in the right place, white = further pegs of a right color in the wrong place "
            "(each secret peg is counted at most once).\n\n"
            f"{lines}\n\n"
            "Exactly one code fits every answer. Answer with the code as color letters "
            f"separated by spaces, for example <answer>{' '.join(COLORS[0] * length)}</answer> "
            "(with other colors). Put your answer inside <answer></answer>."
        )
        return make_task(
            question, secret, colors**length, length=length, colors=colors, history=history
        )

    def check(self, task: Task, answer: str) -> Verdict:
        code = read_code(answer, task.metadata["length"], task.metadata["colors"])
        if code is None:
            return Verdict.unparseable("expected the code as color letters")
        for i, (guess, b, w) in enumerate(task.metadata["history"]):
            if pegs(code, guess) != (b, w):
                return Verdict.incorrect(f"the code does not fit the answer to guess {i + 1}")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return " ".join(task.answer)


class MastermindGame(Game):
    name = "mastermind"
    title = "Mastermind"
    description = "Play Mastermind: guess the secret code, each guess answered with its pegs."

    def budget(self, task: Task) -> int:
        return 12 if task.metadata["size"] <= 1296 else 14

    def max_turns(self, task: Task) -> int:
        return self.budget(task)

    def start(self, task: Task) -> dict[str, Any]:
        codes = all_codes(task.metadata["length"], task.metadata["colors"])
        return {"history": [], "alive": codes}  # alive: the codes that fit every answer so far

    def intro(self, task: Task, state: dict[str, Any]) -> str:
        length, colors = task.metadata["length"], task.metadata["colors"]
        return (
            f"Let's play Mastermind. I chose a secret code of {length} pegs from the colors "
            f"{_palette(colors)}; a color may appear several times. Each turn, guess a code; I "
            "answer with black pegs (right color, right place) and white pegs (right color, "
            "wrong place). You have "
            f"{self.budget(task)} turns to name the code exactly. Give each guess as color "
            f"letters separated by spaces inside <answer></answer>, for example "
            f"<answer>{' '.join(COLORS[0] * length)}</answer>."
        )

    def play(self, task: Task, state: dict[str, Any], move: str) -> Move:
        code = read_code(move, task.metadata["length"], task.metadata["colors"])
        if code is None:
            return Move(
                f"I cannot read that as a code of {task.metadata['length']} color letters from "
                f"{COLORS[: task.metadata['colors']]}.",
                Verdict.unparseable("not a code"),
            )
        if code == task.answer:
            return Move("Correct, you found the code!", Verdict.correct(), done=True, reward=1.0)
        b, w = pegs(task.answer, code)
        state["history"].append([code, b, w])
        state["alive"] = [c for c in state["alive"] if pegs(c, code) == (b, w)]
        return Move(f"{' '.join(code)}: {b} black, {w} white.", Verdict.incorrect("wrong code"))

    def secrets(self, task: Task) -> list[str]:
        return [" ".join(task.answer)]

    def reference(self, task: Task, state: dict[str, Any]) -> str:
        return " ".join(state["alive"][0])  # the secret always fits, so the list is never empty


register_game(MastermindGame())
