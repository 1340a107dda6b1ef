"""Known-key decryption (Enigmata's Crypto KKA): the cipher and its key are given, the
plaintext is asked for.

Methods go beyond the `cipher` family's Caesar/Atbash/Vigenere: affine, rail fence, columnar
transposition, autokey and Beaufort, and from d7 two ciphers applied one after the other. The
verifier encrypts the answer's letters with the task's ciphers and compares the result with the
ciphertext (every method is a bijection on strings of one length, so exactly one plaintext
passes).
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._ciphers import (
    check_decryption,
    describe,
    encrypt,
    random_spec,
)
from gymhub.envs.logic.families._common import letters_only
from gymhub.envs.logic.families._words import words
from gymhub.types import Task, Verdict

_METHODS = ("affine", "rail_fence", "columnar", "autokey", "beaufort", "vigenere")


def plaintext(rng: random.Random, count: int) -> str:
    pool = [w for w in words() if 4 <= len(w) <= 7]
    return " ".join(rng.choice(pool) for _ in range(count)).upper()


def _plan(difficulty: int) -> tuple[int, int, int]:
    """(words, methods to choose from, ciphers stacked)."""
    return 2 + difficulty // 2, min(len(_METHODS), 2 + difficulty // 2), 1 + (difficulty >= 7)


def grouped(text: str) -> str:
    return " ".join(text[i : i + 5] for i in range(0, len(text), 5))


@register_family
class CryptoKnownKey(LogicFamily):
    """Decrypt a ciphertext whose cipher(s) and key(s) are given.

    Accepted: the plaintext; only its letters count (case, spaces and punctuation ignored). Not
    accepted: extra or missing letters.
    """

    name = "crypto_known_key"
    and_lists = False  # `and` can be a word of the answer
    title = "CryptoKnownKey"
    description = "Decrypt a message given the classical cipher(s) and key(s) used."
    difficulty_doc = (
        "message 2+d//2 words (size); methods affine, rail fence, then columnar, "
        "autokey, Beaufort, Vigenere as d grows; two stacked ciphers from d7, longer keys"
    )
    equivalents = {"enigmata": "crypto_KKA"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, methods, stacked = _plan(difficulty)
        plain = plaintext(rng, count)
        letters = letters_only(plain)
        specs = [
            random_spec(rng, rng.choice(_METHODS[:methods]), 2 + difficulty // 3)
            for _ in range(stacked)
        ]
        cipher = letters
        for spec in specs:
            cipher = encrypt(cipher, spec)
        steps = "\n".join(f"{i + 1}. {describe(s)}" for i, s in enumerate(specs))
        intro = (
            "The message (letters only, spaces removed) was encrypted with this cipher:"
            if stacked == 1
            else "The message (letters only, spaces removed) was encrypted with these ciphers, "
            "applied in this order (the output of one is the input of the next):"
        )
        question = (
            f"{intro}\n{steps}\n\n"
            f"Ciphertext (grouped in fives for reading): {grouped(cipher)}\n\n"
            "Decrypt it. The plaintext is English words. Answer with the plaintext (spaces "
            "between words are optional, only the letters count), for example "
            "<answer>HELLO WORLD</answer>. Put your answer inside <answer></answer>."
        )
        return make_task(question, plain, count, specs=specs, ciphertext=cipher)

    def check(self, task: Task, answer: str) -> Verdict:
        def encrypt_all(text: str) -> str:
            for spec in task.metadata["specs"]:
                text = encrypt(text, spec)
            return text

        return check_decryption(answer, task.metadata["ciphertext"], encrypt_all)

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
