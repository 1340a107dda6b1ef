"""Classical ciphers on upper-case letters A-Z, shared by the crypto families. Each cipher is a
(name, parameters) spec; `encrypt` and `decrypt` are exact inverses on letter strings.
`check_decryption` is the verdict both families give: the answer must encrypt back."""

from __future__ import annotations

import random
from collections.abc import Callable

from gymhub.envs.logic.families._common import letters_only
from gymhub.types import Verdict

A = ord("A")
_UNITS = (1, 3, 5, 7, 9, 11, 15, 17, 19, 21, 23, 25)


def _shift(ch: str, k: int) -> str:
    return chr((ord(ch) - A + k) % 26 + A)


def rail_pattern(length: int, rails: int) -> list[int]:
    """The rail of each position in a zig-zag over `rails` rails."""
    if rails < 2:
        return [0] * length
    cycle = 2 * rails - 2
    return [i % cycle if i % cycle < rails else cycle - i % cycle for i in range(length)]


def _columns_order(key: str) -> list[int]:
    return sorted(range(len(key)), key=lambda i: (key[i], i))


def encrypt(text: str, spec: dict) -> str:
    kind = spec["kind"]
    if kind == "caesar":
        return "".join(_shift(c, spec["shift"]) for c in text)
    if kind == "affine":
        a, b = spec["a"], spec["b"]
        return "".join(chr((a * (ord(c) - A) + b) % 26 + A) for c in text)
    if kind == "vigenere":
        key = spec["key"]
        return "".join(_shift(c, ord(key[i % len(key)]) - A) for i, c in enumerate(text))
    if kind == "autokey":
        stream = spec["key"] + text
        return "".join(_shift(c, ord(stream[i]) - A) for i, c in enumerate(text))
    if kind == "beaufort":
        key = spec["key"]
        return "".join(chr((ord(key[i % len(key)]) - ord(c)) % 26 + A) for i, c in enumerate(text))
    if kind == "rail_fence":
        pattern = rail_pattern(len(text), spec["rails"])
        return "".join(c for r in range(spec["rails"]) for c, p in zip(text, pattern) if p == r)
    if kind == "columnar":
        key = spec["key"]
        cols = len(key)
        return "".join(text[i::cols] for i in _columns_order(key))
    if kind == "substitution":
        table = spec["table"]
        return "".join(table[ord(c) - A] for c in text)
    if kind == "reverse":
        return text[::-1]
    raise ValueError(f"unknown cipher {kind!r}")


def decrypt(text: str, spec: dict) -> str:
    kind = spec["kind"]
    if kind == "caesar":
        return "".join(_shift(c, -spec["shift"]) for c in text)
    if kind == "affine":
        inv = pow(spec["a"], -1, 26)
        return "".join(chr(inv * (ord(c) - A - spec["b"]) % 26 + A) for c in text)
    if kind == "vigenere":
        key = spec["key"]
        return "".join(_shift(c, -(ord(key[i % len(key)]) - A)) for i, c in enumerate(text))
    if kind == "autokey":
        out: list[str] = []
        stream = list(spec["key"])
        for i, c in enumerate(text):
            p = _shift(c, -(ord(stream[i]) - A))
            out.append(p)
            stream.append(p)
        return "".join(out)
    if kind == "beaufort":
        return encrypt(text, spec)  # Beaufort is its own inverse
    if kind in ("rail_fence", "columnar"):
        positions = encrypt("".join(chr(i) for i in range(len(text))), spec)
        out_chars = [""] * len(text)
        for ch, pos in zip(text, positions):
            out_chars[ord(pos)] = ch
        return "".join(out_chars)
    if kind == "substitution":
        table = spec["table"]
        return "".join(chr(table.index(c) + A) for c in text)
    if kind == "reverse":
        return text[::-1]
    raise ValueError(f"unknown cipher {kind!r}")


def random_key(rng: random.Random, length: int) -> str:
    return "".join(chr(A + rng.randrange(26)) for _ in range(length))


def random_spec(rng: random.Random, kind: str, key_length: int) -> dict:
    if kind == "caesar":
        return {"kind": kind, "shift": rng.randint(1, 25)}
    if kind == "affine":
        return {"kind": kind, "a": rng.choice(_UNITS[1:]), "b": rng.randrange(26)}
    if kind in ("vigenere", "autokey", "beaufort"):
        return {"kind": kind, "key": random_key(rng, key_length)}
    if kind == "rail_fence":
        return {"kind": kind, "rails": rng.randint(2, 2 + key_length)}
    if kind == "columnar":
        return {"kind": kind, "key": random_key(rng, key_length + 2)}
    if kind == "substitution":
        table = [chr(A + i) for i in range(26)]
        rng.shuffle(table)
        return {"kind": kind, "table": "".join(table)}
    if kind == "reverse":
        return {"kind": kind}
    raise ValueError(f"unknown cipher {kind!r}")


def describe(spec: dict) -> str:
    """The method and key in words, for a known-key task."""
    kind = spec["kind"]
    if kind == "caesar":
        return f"Caesar cipher: every letter shifted forward by {spec['shift']} in the alphabet"
    if kind == "affine":
        return (
            f"affine cipher E(x) = ({spec['a']}*x + {spec['b']}) mod 26, letters numbered A=0 "
            "to Z=25"
        )
    if kind == "vigenere":
        return f"Vigenere cipher with the key {spec['key']} (key letter A shifts by 0, B by 1, ...)"
    if kind == "autokey":
        return (
            f"autokey cipher with the primer {spec['key']}: the key stream is the primer "
            "followed by the plaintext itself, and each plaintext letter is shifted forward by "
            "its key-stream letter (A=0, B=1, ...)"
        )
    if kind == "beaufort":
        return (
            f"Beaufort cipher with the key {spec['key']}: cipher letter = (key letter - "
            "plaintext letter) mod 26, A=0 to Z=25, the key repeated"
        )
    if kind == "rail_fence":
        return (
            f"rail fence cipher with {spec['rails']} rails: the plaintext is written in a "
            "zig-zag down and up the rails, starting on the top rail, and the ciphertext reads "
            "the rails top to bottom, each left to right"
        )
    if kind == "columnar":
        return (
            f"columnar transposition with the key {spec['key']}: the plaintext is written in "
            f"rows of {len(spec['key'])} letters under the key, and the columns are read top to "
            "bottom in the alphabetical order of their key letters (equal letters left to right)"
        )
    if kind == "reverse":
        return "reversal: the letters are written backwards"
    return "substitution cipher"


def check_decryption(answer: str, ciphertext: str, encrypt_all: Callable[[str], str]) -> Verdict:
    """The verdict of a decryption answer: its letters (spacing and punctuation ignored) must
    encrypt, with `encrypt_all`, to `ciphertext`; any plaintext that does is accepted."""
    letters = letters_only(answer[:20_000])
    if not letters:
        return Verdict.unparseable("no letters in the answer")
    if len(letters) != len(ciphertext):
        return Verdict.incorrect(f"{len(letters)} letters; the ciphertext has {len(ciphertext)}")
    if encrypt_all(letters) != ciphertext:
        return Verdict.incorrect("the answer does not encrypt to the ciphertext")
    return Verdict.correct()
