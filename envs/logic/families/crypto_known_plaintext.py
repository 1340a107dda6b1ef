"""Known-plaintext decryption (Enigmata's Crypto KPA): one plaintext/ciphertext pair made with
an unnamed cipher and key is given; the same cipher and key made a second ciphertext, whose
plaintext is asked for.

Methods: Caesar and reversal (d1-2), affine (d3+), Vigenere with a growing key (d4+), rail fence
(d5+), a full substitution (d7+, the example covering every letter the target uses). The
example is long enough to pin the key down. The verifier encrypts the answer's letters with the
hidden cipher and compares with the target ciphertext.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._ciphers import check_decryption, encrypt, random_spec
from gymhub.envs.logic.families._common import letters_only
from gymhub.envs.logic.families._words import words
from gymhub.envs.logic.families.crypto_known_key import plaintext
from gymhub.types import Task, Verdict


def _methods(difficulty: int) -> list[str]:
    methods = ["caesar", "reverse"]
    if difficulty >= 3:
        methods = ["caesar", "affine"]
    if difficulty >= 4:
        methods.append("vigenere")
    if difficulty >= 5:
        methods.append("rail_fence")
    if difficulty >= 7:
        methods = ["vigenere", "rail_fence", "substitution", "affine"]
    return methods


@register_family
class CryptoKnownPlaintext(LogicFamily):
    """Infer an unnamed cipher from one plaintext/ciphertext pair and decrypt a new ciphertext.

    Accepted: the plaintext; only its letters count (case, spaces, punctuation ignored). Not
    accepted: extra or missing letters.
    """

    name = "crypto_known_plaintext"
    and_lists = False  # `and` can be a word of the answer
    title = "CryptoKnownPlaintext"
    description = "Infer a cipher from one example pair, then decrypt a new message."
    difficulty_doc = (
        "target 2+d//2 words (size); Caesar/reversal, then affine (d3), Vigenere "
        "(d4, key 2+d//4), rail fence (d5), substitution (d7)"
    )
    equivalents = {"enigmata": "crypto_KPA"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        kind = rng.choice(_methods(difficulty))
        spec = random_spec(rng, kind, 1 + difficulty // 4)
        count = 2 + difficulty // 2
        target = letters_only(plaintext(rng, count))
        example = letters_only(plaintext(rng, 4 + difficulty // 2))
        if kind == "substitution":  # the example must show every letter the target uses
            pool = [w.upper() for w in words() if 4 <= len(w) <= 7]
            for word in rng.sample(pool, len(pool)):
                missing = set(target) - set(example)
                if not missing:
                    break
                if missing & set(word):
                    example += word
        if kind == "rail_fence":  # same length keeps the zig-zag identical to the example's
            while len(example) < len(target):
                example += letters_only(plaintext(rng, 2))
            example = example[: len(target)]
        question = (
            "A secret classical cipher with a fixed key turned this example plaintext (letters "
            "only, spaces removed) into this ciphertext:\n"
            f"Plaintext:  {example}\nCiphertext: {encrypt(example, spec)}\n\n"
            "The same cipher with the same key produced this ciphertext:\n"
            f"{encrypt(target, spec)}\n\n"
            "Work out the cipher from the example and decrypt the new ciphertext; its plaintext "
            "is English words. Answer with the plaintext (spaces between words optional, only "
            "the letters count), for example <answer>GOOD LUCK</answer>. Put your answer inside "
            "<answer></answer>."
        )
        return make_task(question, target, count, spec=spec, ciphertext=encrypt(target, spec))

    def check(self, task: Task, answer: str) -> Verdict:
        spec = task.metadata["spec"]
        return check_decryption(
            answer, task.metadata["ciphertext"], lambda text: encrypt(text, spec)
        )

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
