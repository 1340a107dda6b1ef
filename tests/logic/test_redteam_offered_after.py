"""Another answer offered after the answer tag by a word or label that offers an alternative was
paid in every logic family: `<answer>G</answer> Otherwise B.`, `If not, B.`, `\nAlternative: B`,
`\nP.S. B`, `\n*Note: it may instead be B.` (B another answer the family reads as wrong) scored
1.0, since only openers such as `No,`, `Maybe` or `Or` and labels such as `Answer:` were read.
Prose after the tag that uses the same words offers no answer and keeps a right one."""

from __future__ import annotations

import time

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.base import _JOINER
from gymhub.envs.logic.env import generate_task
from tests.logic.test_second_answer import CASES, _other

discover_families()
NAMES = sorted(FAMILIES)

OFFERED = (
    " Otherwise {b}.",
    " If not, {b}.",
    "\nAlternative: {b}",
    "\n**Alternative:** {b}",
    "\nP.S. {b}",
    "\n\n*Note: it may instead be {b}.",
    "\n\nSecond choice: {b}",
    "\nJust kidding, {b}",
    "\n\nBackup: {b}",
    "\n\nSolution 2:\n\n{b}",
    "\n\nOption B: {b}",
    "\n\nAttempt 2:\n{b}",
    "\n\nAnother possibility is\n{b}",
    "\n\nAlso valid: {b}",
    "\n\nCorrected:\n\n{b}",
    "\n\nEDIT: actually\n\n{b}",
    "\n\n## Alternative\n{b}",
    "\n\n**Second solution**\n{b}",
    "\n\nIf that's wrong, try: {b}",
)
# another answer joined to the tag by a mark, asked, hidden in a comment or a footnote (not read
# where the answer itself opens with such a mark: a grid `. # .`, a slant `/\\`)
JOINED = (
    " / {b}",
    " | {b}",
    " vs {b}",
    " \u2192 {b}",
    "<!-- {b} -->",
    "\n\n---\n\u00b9 or {b}",
    "\n{b}?",
)
KEPT = (
    "\nOtherwise the clue in the first row would fail.",
    "\nP.S. This was a fun puzzle!",
    "\nAlso, every clue holds.",
    "\nIf not, please tell me which clue fails.",
    "\nAlternative approaches exist, but this one is the simplest.",
    "\nEither way, every constraint is met.",
    "\n\nVerification:\nEach row and column holds every value once.",
    "\n\nSolution steps:\n1. Read the clues.\n2. Fill the cells.",
    "\n\nOther checks: all 12 cells are consistent.",
    "\n\nUpdate: none needed.",
    "\n\n**Solution explanation**\nI used elimination.",
    "\n\nAnother way to see it: count the 3 clues.",
    "\n\nAlternative approaches: brute force over 24 orders.",
    "\n\n## Solution\nThe grid above.",
)


@pytest.mark.parametrize("name", NAMES)
def test_an_alternative_offered_after_the_tag_is_not_paid(name: str) -> None:
    family = FAMILIES[name]
    for seed, d in CASES:
        task = generate_task(family, seed, 0, d)
        gold = family.format_answer(task)
        other = _other(name, task, gold)
        if other is None:
            continue
        for tail in OFFERED:
            reply = f"<answer>{gold}</answer>" + tail.format(b=other)
            verdict = family.verify(reply, task)
            assert verdict.reward == 0.0 and verdict.status == "incorrect", (name, d, tail)


@pytest.mark.parametrize("name", NAMES)
def test_an_answer_joined_to_the_tag_by_a_mark_is_not_paid(name: str) -> None:
    family = FAMILIES[name]
    for seed, d in CASES:
        task = generate_task(family, seed, 0, d)
        gold = family.format_answer(task)
        other = _other(name, task, gold)
        if other is None or _JOINER.match(gold) or _JOINER.match(other):
            continue
        for tail in JOINED:
            if "?" in tail and "?" in gold or "\n" in gold and tail == "\n{b}?":
                continue
            reply = f"<answer>{gold}</answer>" + tail.format(b=other)
            verdict = family.verify(reply, task)
            assert verdict.reward == 0.0 and verdict.status == "incorrect", (name, d, tail)


@pytest.mark.parametrize("name", NAMES)
def test_the_answer_restated_after_a_mark_keeps_it(name: str) -> None:
    family = FAMILIES[name]
    for seed, d in CASES:
        task = generate_task(family, seed, 0, d)
        gold = family.format_answer(task)
        for tail in (
            "<!-- {g} -->",
            "\n\n---\n\n{g}",
            " \u2014 verified.",
            ": all checks pass.",
        ):
            reply = f"<answer>{gold}</answer>" + tail.format(g=gold)
            verdict = family.verify(reply, task)
            assert verdict.status == "correct", (name, d, tail, verdict.detail)


@pytest.mark.parametrize("name", NAMES)
def test_prose_with_the_same_words_after_the_tag_keeps_the_answer(name: str) -> None:
    family = FAMILIES[name]
    for seed, d in CASES:
        task = generate_task(family, seed, 0, d)
        gold = family.format_answer(task)
        for tail in KEPT:
            verdict = family.verify(f"<answer>{gold}</answer>{tail}", task)
            assert verdict.status == "correct", (name, d, tail, verdict.detail)


@pytest.mark.parametrize(
    "piece",
    [
        "Otherwise ",
        "P.S. ",
        "Alternative: ",
        "may instead be ",
        "If not, ",
        "-",
        "=",
        "/ ",
        ". ",
        "[^1]",
        "Solution 2:\n",
        "another other ",
        "## Alternative\n",
        "if that's wrong, ",
    ],
)
def test_the_offer_readers_stay_linear_on_long_runs(piece: str) -> None:
    family = FAMILIES["sudoku"]
    task = generate_task(family, 0, 0, 5)
    gold = family.format_answer(task)
    start = time.perf_counter()
    family.verify(f"<answer>{gold}</answer>" + piece * (100_000 // len(piece)), task)
    assert time.perf_counter() - start < 1.0, piece


@pytest.mark.parametrize("name", ["simple_equations", "rotten_oranges"])
def test_a_number_of_the_other_sign_after_the_tag_is_another_answer(name: str) -> None:
    """`<answer>-1</answer>\n\n0.` was paid: `0` was not read as written like `-1` (a sign
    token against none), so no second answer was looked for; a footnote mark `^0` the same."""
    family = FAMILIES[name]
    for seed in range(12):
        task = generate_task(family, seed, 0, 3)
        gold = family.format_answer(task).strip()
        if gold.lstrip("-").isdigit():
            break
    other = str(-int(gold) + (1 if int(gold) >= 0 else 0))
    for tail in (f"\n\n{other}.", f"\u2003{other}", f"\n\n^{other}"):
        assert family.verify(f"<answer>{gold}</answer>{tail}", task).reward == 0.0, tail
    assert family.verify(f"<answer>{gold}</answer>\n\n{gold}.", task).status == "correct"
