"""Cryptarithms: an addition in which every digit was replaced by a letter; recover the digits.

Puzzles are generated with exactly one solution: a weighted-sum solver counts solutions and, while
a second one exists, the generator reveals the digit of a letter on which the two disagree. The
verifier checks the rules (distinct digits, no leading zero, the sum holds, revealed digits kept).
"""

from __future__ import annotations

import random
import re
import string

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_PAIR = re.compile(r"([A-Za-z])\s*(?:=|:|->|→|is)\s*(\d)")

# (addends, digits per addend) at difficulty 1..10; size = addends * digits is non-decreasing
_SHAPES = [(2, 2), (2, 3), (2, 4), (3, 3), (2, 5), (3, 4), (3, 5), (4, 4), (3, 6), (4, 5)]


def solve(
    addends: list[str], result: str, fixed: dict[str, int], limit: int = 2
) -> list[dict[str, int]]:
    """Up to `limit` digit assignments that make sum(addends) == result, respecting `fixed`.

    Each letter gets a weight (its place values, + in addends, - in the result) and the weighted
    sum must be zero. The search prunes on the divisibility of completed columns and on bounds of
    what the remaining letters can add."""
    weights: dict[str, int] = {}
    for word in addends:
        for i, ch in enumerate(reversed(word)):
            weights[ch] = weights.get(ch, 0) + 10**i
    for i, ch in enumerate(reversed(result)):
        weights[ch] = weights.get(ch, 0) - 10**i
    leading = {w[0] for w in addends + [result] if len(w) > 1}
    # once every letter of the lowest k columns is set, the weighted sum must be divisible by
    # 10**k: with letters taken rightmost column first this prunes like a column-wise search
    column = {}
    for word in addends + [result]:
        for i, ch in enumerate(reversed(word)):
            column[ch] = min(column.get(ch, i), i)
    if len(addends) <= 2:
        order = sorted(weights, key=lambda x: (column[x], x))
    else:  # with many addends the magnitude bounds prune better than the columns
        order = sorted(weights, key=lambda x: (-abs(weights[x]), x))
    letters = [x for x in order if x not in fixed]
    ws = [weights[x] for x in letters]
    modulus = [
        10 ** min((column[x] for x in letters[i + 1 :]), default=len(result))
        for i in range(len(ws))
    ]
    lead = [x in leading for x in letters]
    low, high = [0] * (len(ws) + 1), [0] * (len(ws) + 1)
    for i in range(len(ws) - 1, -1, -1):
        low[i] = low[i + 1] + min(0, 9 * ws[i])
        high[i] = high[i + 1] + max(0, 9 * ws[i])
    used = [False] * 10
    for digit in fixed.values():
        used[digit] = True
    chosen = [0] * len(ws)
    found: list[dict[str, int]] = []

    def search(i: int, total: int) -> None:
        if len(found) >= limit:
            return
        if i == len(ws):
            if total == 0:
                found.append({**fixed, **dict(zip(letters, chosen))})
            return
        if total + low[i] > 0 or total + high[i] < 0:
            return
        for digit in range(1 if lead[i] else 0, 10):
            if not used[digit]:
                used[digit] = True
                chosen[i] = digit
                if (total + ws[i] * digit) % modulus[i] == 0:
                    search(i + 1, total + ws[i] * digit)
                used[digit] = False

    if any(d == 0 and x in leading for x, d in fixed.items()):
        return []
    search(0, sum(weights[x] * d for x, d in fixed.items() if x in weights))
    return found


@register_family
class Cryptarithm(LogicFamily):
    """Letter addition: each letter stands for a different digit, no number starts with 0.

    Difficulty d sets the shape (addends x digits): 2x2, 2x3, 2x4, 3x3, 2x5, 3x4, 3x5, 4x4, 3x6,
    4x5 for d=1..10; size = addends * digits. Some letters' digits are revealed only when needed
    for a unique solution (checked by a solver). Reward 1/0.
    """

    name = "cryptarithm"
    title = "Cryptarithm"
    description = "Letter arithmetic: find the digit behind each letter of an addition."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "addends x digits: 2x2, 2x3, 2x4, 3x3, 2x5, 3x4, 3x5, 4x4, 3x6, 4x5 (d1..d10); "
        "digits revealed only as needed for uniqueness"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, width = _SHAPES[max(1, min(10, difficulty)) - 1]
        numbers = [rng.randint(10 ** (width - 1), 10**width - 1) for _ in range(count)]
        total = sum(numbers)
        letters = rng.sample(string.ascii_uppercase, 10)
        code = {str(d): letters[d] for d in range(10)}

        def word(n: int) -> str:
            return "".join(code[c] for c in str(n))

        addends, result = [word(n) for n in numbers], word(total)
        used_letters = sorted(set("".join(addends) + result))
        gold = {letter: letters.index(letter) for letter in used_letters}
        hints: dict[str, int] = {}
        for _ in range(len(used_letters)):
            solutions = solve(addends, result, hints)
            other = next((s for s in solutions if s != gold), None)
            if other is None:
                break
            differing = [x for x in used_letters if other[x] != gold[x]]
            pick = rng.choice(differing)
            hints[pick] = gold[pick]
        spare = [x for x in string.ascii_uppercase if x not in gold][:2]
        example = f"{spare[0]}=3, {spare[1]}=0"
        layout = "\n".join(w.rjust(len(result) + 2) for w in addends[:-1])
        layout += "\n+ " + addends[-1].rjust(len(result)) + "\n" + "-" * (len(result) + 2)
        layout += "\n" + result.rjust(len(result) + 2)
        hint_text = ""
        if hints:
            hint_text = "You are also told: " + "; ".join(
                f"{x} stands for {d}" for x, d in sorted(hints.items())
            )
            hint_text += ".\n"
        question = (
            "In the addition below every letter stands for a digit. Different letters stand for "
            "different digits, the same letter always for the same digit, and no number of more "
            "than one digit starts with 0.\n\n"
            f"{' + '.join(addends)} = {result}\n\n{layout}\n\n{hint_text}"
            f"Find the digit of every letter ({', '.join(used_letters)}). Answer with "
            f"letter=digit pairs separated by commas, for example <answer>{example}</answer>. "
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question,
            gold,
            count * width,
            addends=addends,
            result=result,
            hints=hints,
            letters=len(used_letters),
        )

    def check(self, task: Task, answer: str) -> Verdict:
        pairs = _PAIR.findall(answer[:2000])
        if not pairs:
            return Verdict.unparseable("no letter=digit pairs found")
        if re.search(r"\d", _PAIR.sub(" ", answer[:2000])):
            return Verdict.incorrect("a digit outside the letter=digit pairs (a hedge?)")
        mapping: dict[str, int] = {}
        for letter, digit in pairs:
            letter = letter.upper()
            if letter in mapping and mapping[letter] != int(digit):
                return Verdict.incorrect(f"letter {letter} given two digits")
            mapping[letter] = int(digit)
        addends, result = list(task.metadata["addends"]), str(task.metadata["result"])
        letters = sorted(set("".join(addends) + result))
        strange = [x for x in mapping if x not in letters]
        if strange:  # `... Q=1, I=1`: a letter of another puzzle (its answer appended) is no answer
            return Verdict.incorrect(f"{', '.join(sorted(strange))} is not a letter of the puzzle")
        missing = [x for x in letters if x not in mapping]
        if missing:
            return Verdict.incorrect(f"no digit for {', '.join(missing)}")
        digits = [mapping[x] for x in letters]
        if len(set(digits)) != len(digits):
            return Verdict.incorrect("two letters share a digit")
        for x, d in task.metadata["hints"].items():
            if mapping[x] != d:
                return Verdict.incorrect(f"{x} must stand for {d}")
        if any(len(w) > 1 and mapping[w[0]] == 0 for w in addends + [result]):
            return Verdict.incorrect("a number starts with 0")

        def value(w: str) -> int:
            return int("".join(str(mapping[c]) for c in w))

        if sum(value(w) for w in addends) != value(result):
            return Verdict.incorrect("the addition does not hold")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return ", ".join(f"{x}={d}" for x, d in sorted(task.answer.items()))
