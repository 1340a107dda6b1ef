"""Classical ciphers: encrypt or decrypt a short text with a stated cipher and key.

The verifier applies the cipher to the answer (letters only; case, spaces and punctuation are
ignored) and compares with the given text, so it checks the rule rather than a stored string.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

WORDS = (
    "the quick river runs past old stone walls while green birds sing over calm water near a "
    "small town where people trade bread fish salt and warm wool every market day under bright "
    "summer skies bold sailors watch distant ships carry silver grain north across cold seas "
    "toward quiet harbors hidden behind tall cliffs and ancient forests full of deer wolves and "
    "owls that hunt at night"
).split()
KEYS = ["lemon", "orbit", "maple", "crown", "tiger", "piano", "ember", "violet", "harbor", "quartz"]
_A = ord("A")


def caesar(text: str, shift: int) -> str:
    return "".join(chr((ord(c) - _A + shift) % 26 + _A) if c.isalpha() else c for c in text)


def atbash(text: str) -> str:
    return "".join(chr(25 - (ord(c) - _A) + _A) if c.isalpha() else c for c in text)


def vigenere(text: str, key: str, sign: int = 1) -> str:
    """Vigenere over letters only: the key advances on letters, not on spaces."""
    out, i = [], 0
    for c in text:
        if c.isalpha():
            out.append(chr((ord(c) - _A + sign * (ord(key[i % len(key)]) - _A)) % 26 + _A))
            i += 1
        else:
            out.append(c)
    return "".join(out)


def encrypt(text: str, spec: dict) -> str:
    if spec["cipher"] == "caesar":
        return caesar(text, spec["shift"])
    if spec["cipher"] == "atbash":
        return atbash(text)
    return vigenere(text, spec["key"])


def _letters(text: str) -> str:
    return re.sub(r"[^A-Z]", "", text.upper())


def _describe(spec: dict) -> str:
    if spec["cipher"] == "caesar":
        return (
            f"a Caesar cipher with shift {spec['shift']}: each letter is replaced by the letter "
            f"{spec['shift']} places later in the alphabet, wrapping from Z back to A"
        )
    if spec["cipher"] == "atbash":
        return "the Atbash cipher: A and Z swap, B and Y swap, and so on (the alphabet reversed)"
    return (
        f"a Vigenere cipher with key {spec['key']}: the n-th letter of the text is shifted forward "
        "by the alphabet position (A=0, B=1, ...) of the key letter at position n, the key "
        "repeating; only letters count, spaces are kept and do not use up key letters"
    )


@register_family
class Cipher(LogicFamily):
    """Encrypt or decrypt a message with a stated classical cipher and key.

    Difficulty d sets the message length to 2 + d words (3 at d=1, 12 at d=10) and the cipher:
    Caesar (d=1-2), Caesar or Atbash (d=3-4), Vigenere with a 5-6 letter key (d=5-10, from d=8
    with the key given as a word to be read backwards). Half the tasks ask to encrypt, half to
    decrypt. size = words. Reward 1/0.
    """

    name = "cipher"
    and_lists = False  # `and` can be a word of the answer
    title = "Cipher"
    description = "Encrypt or decrypt a message with a Caesar, Atbash or Vigenere cipher."
    difficulty_doc = (
        "message 2+d words (3..12); Caesar (d1-2), Caesar/Atbash (d3-4), Vigenere (d5+), "
        "key given reversed from d8"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 2 + difficulty
        plain = " ".join(rng.choice(WORDS) for _ in range(count)).upper()
        if difficulty <= 2 or (difficulty <= 4 and rng.random() < 0.5):
            spec: dict = {"cipher": "caesar", "shift": rng.randint(1, 25)}
        elif difficulty <= 4:
            spec = {"cipher": "atbash"}
        else:
            spec = {"cipher": "vigenere", "key": rng.choice(KEYS).upper()}
        encrypting = rng.random() < 0.5
        cipher_text = encrypt(plain, spec)
        key_note = ""
        if spec["cipher"] == "vigenere" and difficulty >= 8:
            key_note = f" (the key is the word {spec['key'][::-1]} written backwards)"
            description = _describe(spec).replace(
                f"with key {spec['key']}", "with the key described below"
            )
        else:
            description = _describe(spec)
        if encrypting:
            task_text = f"Encrypt this message:\n{plain}"
            gold = cipher_text
        else:
            task_text = f"Decrypt this message (it was encrypted with the cipher):\n{cipher_text}"
            gold = plain
        question = (
            f"The cipher is {description}{key_note}.\n\n{task_text}\n\n"
            "Answer with the resulting text in capital letters, keeping the spaces between words, "
            "for example <answer>ABC DEFG</answer>. Put your final answer inside "
            "<answer></answer>."
        )
        return make_task(
            question,
            gold,
            count,
            spec=spec,
            encrypting=encrypting,
            given=cipher_text if not encrypting else plain,
        )

    def check(self, task: Task, answer: str) -> Verdict:
        got = _letters(answer[:20_000])
        if not got:
            return Verdict.unparseable("no letters found")
        spec, given = task.metadata["spec"], _letters(task.metadata["given"])
        if task.metadata["encrypting"]:
            expected = _letters(encrypt(given, spec))
            ok = got == expected
        else:  # decrypting: the answer must encrypt back to the given text
            ok = _letters(encrypt(got, spec)) == given
        return Verdict.correct() if ok else Verdict.incorrect("the text does not match the cipher")

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
