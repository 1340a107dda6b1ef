"""Replies that do not depend on the puzzle must not be paid: the most common answer of a family,
degenerate replies (`0`, `True`, `none`, an empty tag), the question's format example or a piece
of it, the puzzle's own text; and hostile replies (100 KB of one character, deep brackets, NUL
bytes, lone surrogates, a number of 100,000 digits) end in a policy status, quickly."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task
from tests.logic.test_reward_exploits import best_constant_rate, format_examples

discover_families()

# families whose generators draw the answer first (or spread it) since one answer was right on
# a quarter to a third of their tasks, with the levels where it was so (300 seeds each)
REBALANCED = [
    ("circuit_logic", (1, 4, 8, 10), 0.24),  # `1 1 1 1` on 32% of d8, 24-26% elsewhere
    ("dice", (1, 2), 0.24),  # `1/2` on 28% of d1
    ("dyck_language", (1, 2), 0.24),  # `]]` on 27% of d1 (two kinds, two open brackets)
    ("jugs", (1, 2, 3), 0.24),  # the generic four-move plan on 23% of d1, `fill B, pour B->A` 21%
    ("count_bits", (1, 2, 3), 0.24),  # `4` on 29% of d1
    ("aiw", (1, 2), 0.24),  # `2` on 29% of d1
    ("course_schedule", (1, 2, 5, 9), 0.24),  # `impossible` on 22-30% at every level
    ("rectangle_count", (1, 2), 0.24),  # `4` on 36% of d1
    ("stack_permutation", (1, 2, 3), 0.24),  # `impossible` for both targets on 21-27%
    ("lights_out", (1,), 0.24),  # `(1,1)` on 28% of d1 (one press of a 2x2 board)
    ("dyck_language_errors", (2, 4, 6), 0.18),  # `0` (balanced) on 21% of d2-d7
    ("binary_alternation", (1, 2), 0.26),  # `2`, `1` on 29-31% of d1-d2 (even lengths)
    ("life_extinction", (1, 2), 0.27),  # `2` on 31% of d1 here (horizon 4: four answers)
    # `Step 3` on 30% of d1 (three steps could go wrong); four now, so about 22% remains
    ("word_sorting_mistake", (1, 2, 3), 0.26),
]


@pytest.mark.parametrize(("name", "difficulties", "bound"), REBALANCED)
def test_rebalanced_families_pay_no_constant_on_a_fifth(
    name: str, difficulties: tuple[int, ...], bound: float
) -> None:
    """Measured on 300 seeds after the change: 20% at most (aiw d1 19%, dice d1 18%) but
    word_sorting_mistake d1 (23%); here 150 seeds."""
    for d in difficulties:
        rate, answer = best_constant_rate(name, d, seeds=150)
        assert rate <= bound, (name, d, answer, rate)


# the small answer spaces left at the lowest levels, widened since (300 seeds: best constant
# before -> after): self_reference 26-30% -> 22-25% (counts 0..4, was 0..3), count_primes d1
# 27% -> 21% (200 intervals, was 40), rotten_oranges d1 26% -> 18% (200 grids of 3x3, was 16),
# ransom_note 22-24% -> 15-17% (1..6 letters short at d1, was 1..4; 0 on 1 in 8, was 1 in 5),
# letter_counting d1 24% -> 20% (32 candidate texts, was 4)
WIDENED = [
    ("count_primes", (1,), 300, 0.24),
    ("rotten_oranges", (1, 2), 150, 0.23),
    ("ransom_note", (1, 2, 3), 150, 0.2),
    ("letter_counting", (1,), 300, 0.22),
]


@pytest.mark.parametrize(("name", "difficulties", "seeds", "bound"), WIDENED)
def test_widened_answer_spaces_pay_a_constant_less(
    name: str, difficulties: tuple[int, ...], seeds: int, bound: float
) -> None:
    for d in difficulties:
        rate, answer = best_constant_rate(name, d, seeds=seeds)
        assert rate <= bound, (name, d, answer, rate)


def test_self_reference_counts_spread_over_zero_to_four() -> None:
    """The count is drawn among 0..4 (lists for 4 of mostly either/or statements): each is the
    answer of 10-30% of the tasks; with 0..3 drawn, 4 was never and `2` right on 30% of d3."""
    family = FAMILIES["self_reference"]
    for d in (1, 3, 5):
        counts = Counter(generate_task(family, seed, 0, d).answer for seed in range(200))
        assert sorted(counts) == [0, 1, 2, 3, 4], (d, counts)
        assert all(0.1 <= n / 200 <= 0.3 for n in counts.values()), (d, counts)


DEGENERATE = ("", "0", "1", "-1", "True", "False", "yes", "no", "none", "impossible", "empty")


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_degenerate_replies_pay_on_few_tasks(name: str) -> None:
    """No fixed degenerate reply, and no grid of the gold's shape filled with one symbol, is
    right on many tasks of any family (the worst measured on 300 seeds: `impossible` on 16% of
    course_schedule d5, `0` on 21% of dyck_language_errors; 20 seeds here, bound 0.4)."""
    family = FAMILIES[name]
    for d in (1, 6):
        tasks = [generate_task(family, seed, 0, d) for seed in range(20)]
        for reply in DEGENERATE:
            paid = sum(family.verify(f"<answer>{reply}</answer>", t).reward > 0 for t in tasks)
            assert paid / len(tasks) <= 0.4, (name, d, reply, paid)
        same = 0
        for task in tasks:
            gold = family.format_answer(task)
            filled = {re.sub(r"[A-Za-z0-9]", ch, gold) for ch in "01"}
            same += any(
                family.verify(f"<answer>{f}</answer>", task).reward > 0 for f in filled - {gold}
            )
        assert same / len(tasks) <= 0.4, (name, d, same)


def _pieces(example: str) -> list[str]:
    """The items of a format example: `(1,3), (2,2)` -> `(1,3)`, `(2,2)`; lines; `a or b`."""
    parts = re.split(r",\s+|;\s*|\n|\s+or\s+", example)
    return [p.strip() for p in parts if p.strip() and p.strip() != example.strip()]


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_no_piece_of_the_format_example_pays(name: str) -> None:
    """An item of the question's format example is no answer either: tic_tac_toe's `(1,3),
    (2,2)` had `(2,2)` right on 8% of its tasks and nim's `(1,2), (3,1)` had `(1,2)` right on
    6%, so copying half of the example was paid."""
    family = FAMILIES[name]
    for d in (1, 4, 7, 10):
        for seed in range(8):
            task = generate_task(family, seed, 0, d)
            for example in format_examples(task.question):
                for piece in _pieces(example):
                    verdict = family.verify(f"<answer>{piece}</answer>", task)
                    assert verdict.reward == 0.0, (name, d, seed, example, piece)


def test_tic_tac_toe_and_nim_examples_avoid_every_right_move() -> None:
    for name in ("tic_tac_toe", "nim"):
        family = FAMILIES[name]
        for d in (1, 3, 5):
            for seed in range(60):
                task = generate_task(family, seed, 0, d)
                right = (
                    {(r + 1, c + 1) for r, c in task.answer}
                    if name == "tic_tac_toe"
                    else {tuple(m) for m in task.answer}
                )
                for example in format_examples(task.question):
                    shown = {tuple(map(int, p)) for p in re.findall(r"\((\d+),(\d+)\)", example)}
                    assert shown and not shown & right, (name, d, seed, example)


def test_the_knights_puzzle_paragraph_is_no_answer() -> None:
    """The puzzle's first paragraph (`Kofi says: "Xena is a knight."` ...) names one label after
    each name and was read as the answer on 4% of the tasks; quoted statements are a
    restatement. A reply that only mentions saying something keeps its answer."""
    family = FAMILIES["knights_and_knaves"]
    paid = 0
    for d in (1, 3, 6, 10):
        for seed in range(25):
            task = generate_task(family, seed, 0, d)
            for part in re.split(r"\n\s*\n", task.question):
                paid += family.verify(f"<answer>{part}</answer>", task).reward > 0
            gold = family.format_answer(task)
            first = task.metadata["names"][0]
            assert family.verify(f"<answer>{first} says a lot. So: {gold}</answer>", task).reward
    assert paid == 0
    task = generate_task(family, 12, 0, 1)
    gold = family.format_answer(task)
    quoted = " ".join(f'Someone says: "{item} is true."' for item in gold.split(", "))
    assert family.verify(f"<answer>{quoted}</answer>", task).reward == 0.0


_HOSTILE = {
    "one letter": "x" * 100_000,
    "digits": "9" * 100_000,
    "spaces": " " * 100_000,
    "parens": "(" * 50_000 + ")" * 50_000,
    "brackets": "[" * 5_000 + "]" * 5_000,
    "json object": '{"a":' * 3_000 + "1" + "}" * 3_000,
    "boxes": "\\boxed{" * 3_000 + "1" + "}" * 3_000,
    "nul": "1\x002\x00" * 500,
    "surrogate": "1 \ud800 2 \udfff",
    "huge integer": "1" + "0" * 100_000,
    "huge power": "10**100000",
    "negative zero": "-0.0",
    "nan words": "NaN, inf, -inf, Infinity",
    "unicode digits": "\u0661\u0662\u0663 \U0001d7cf\U0001d7d0 \u00b2 \u00bd",
    "pairs": "(1,1), " * 10_000,
    "arrows": "->" * 50_000,
    "tags": "<answer>" * 5_000,
}
# replies no task has as its answer (`-0.0` is right where the answer is 0)
_NEVER_RIGHT = set(_HOSTILE) - {"negative zero", "unicode digits"}
POLICY_STATUSES = {"correct", "incorrect", "partial", "unparseable", "timeout", "error"}


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_hostile_replies_end_in_a_policy_status_quickly(name: str) -> None:
    """Each hostile reply, inside the tag and after the right answer's tag, is scored without
    raising, never as the hub's failure (`infra_error`) nor as a pass, within two seconds on a
    loaded machine (each takes milliseconds)."""
    family = FAMILIES[name]
    task = generate_task(family, 0, 0, 3)
    gold = family.format_answer(task)
    for label, junk in _HOSTILE.items():
        for reply in (f"<answer>{junk}</answer>", f"<answer>{gold}</answer>{junk}"):
            start = time.perf_counter()
            verdict = family.verify(reply, task)
            took = time.perf_counter() - start
            assert verdict.status in POLICY_STATUSES, (name, label, verdict)
            assert took < 2.0, (name, label, took)
            if reply.startswith(f"<answer>{junk}") and label in _NEVER_RIGHT:
                assert verdict.reward == 0.0, (name, label, verdict)


def _items(gold: str) -> tuple[str | None, list[str]]:
    for sep in ("\n", ", ", "; ", " "):
        if sep in gold.strip():
            return sep, gold.split(sep)
    return None, [gold]


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_another_puzzles_answer_beside_the_right_one_is_not_paid(name: str) -> None:
    """The right answer with another puzzle's answer before or after it, or with one item of it
    added, names more than this puzzle asks: knights_and_knaves and web_of_lies skipped people
    who are not in the puzzle (`..., Alice: knave`), cryptarithm letters that are not
    (`..., I=1`), zebra_puzzle a `House 1:` line of values the puzzle does not have, and
    list_functions read `[7, 1]\\n[]` as one list."""
    family = FAMILIES[name]
    for d in (1, 4):
        for seed in range(3):
            task = generate_task(family, seed, 0, d)
            gold = family.format_answer(task)
            other = family.format_answer(generate_task(family, seed + 100, 0, d))
            if other.strip() == gold.strip():
                continue
            sep, items = _items(gold)
            replies = [f"{gold}\n{other}", f"{other}\n{gold}", f"{gold}, {other}"]
            extra = next((x for x in _items(other)[1] if x not in items), None)
            if sep is not None and extra is not None:
                replies.append(gold + sep + extra)
            for reply in replies:
                verdict = family.verify(f"<answer>{reply}</answer>", task)
                assert verdict.reward == 0.0, (name, d, seed, reply[:200])


def test_extra_people_letters_and_houses_are_refused() -> None:
    knights = FAMILIES["knights_and_knaves"]
    task = generate_task(knights, 0, 0, 1)
    gold = knights.format_answer(task)
    assert knights.verify(f"<answer>{gold}, Alice: knave</answer>", task).reward == 0.0
    assert knights.verify(f'<answer>{{"Alice": "knight", {gold}}}</answer>', task).reward == 0.0
    assert knights.verify(f"<answer>Answer: {gold}</answer>", task).reward == 1.0
    prose = ", ".join(f"{n} is a {k}" for n, k in task.answer.items())
    for lead in ("Result", "So", "Therefore"):  # a prefix before a label names a person
        assert knights.verify(f"<answer>{lead}: {prose}</answer>", task).reward == 1.0, lead
    crypt = FAMILIES["cryptarithm"]
    task = generate_task(crypt, 0, 0, 1)
    gold = crypt.format_answer(task)
    spare = next(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if f"{c}=" not in gold)
    assert crypt.verify(f"<answer>{gold}, {spare}=1</answer>", task).reward == 0.0
    zebra = FAMILIES["zebra_puzzle"]
    task = generate_task(zebra, 0, 0, 1)
    gold = zebra.format_answer(task)
    assert zebra.verify(f"<answer>{gold}\nHouse 1: unicorn, mead</answer>", task).reward == 0.0
    lists = FAMILIES["list_functions"]
    task = generate_task(lists, 0, 0, 3)
    gold = lists.format_answer(task)
    assert lists.verify(f"<answer>{gold}\n[]</answer>", task).reward == 0.0
    assert lists.verify(f"<answer>{gold}</answer>", task).reward == 1.0


@pytest.mark.parametrize("name", sorted(n for n, f in FAMILIES.items() if not f.and_lists))
def test_an_inserted_and_is_no_list_separator_in_text_answers(name: str) -> None:
    """`a and b` is read as the list `a, b`, which dropped a word of a text answer: cipher paid
    `DRKD AND GYVFOC YVN` for `DRKD GYVFOC YVN` (and crypto_known_key `DREAD AND MEDIA`)."""
    family = FAMILIES[name]
    for d in (1, 4, 8):
        for seed in range(3):
            task = generate_task(family, seed, 0, d)
            gold = family.format_answer(task)
            words = gold.split(" ")
            if "\n" in gold or len(words) < 2 or "and" in gold.lower().split():
                continue
            for i in range(1, len(words)):
                reply = " ".join([*words[:i], "and", *words[i:]])
                assert family.verify(f"<answer>{reply}</answer>", task).reward == 0.0, reply


def test_text_families_do_not_read_and_as_a_list() -> None:
    assert not FAMILIES["cipher"].and_lists and not FAMILIES["crypto_known_key"].and_lists
    assert FAMILIES["word_sequence_reversal"].and_lists  # `c, b and a` is a list there
    task = generate_task(FAMILIES["word_sequence_reversal"], 0, 0, 1)
    words = FAMILIES["word_sequence_reversal"].format_answer(task).split(", ")
    listed = ", ".join(words[:-1]) + " and " + words[-1]
    assert FAMILIES["word_sequence_reversal"].verify(f"<answer>{listed}</answer>", task).reward


@pytest.mark.parametrize(
    "name", ["polynomial_multiplication", "simple_integration", "complex_arithmetic"]
)
def test_a_capital_variable_is_the_same_variable(name: str) -> None:
    """`-6X^2 - 8X - 2` for `-6x^2 - 8x - 2` (and `-3 + 2I` for `-3 + 2i`) was unparseable: a
    right answer scored 0. Capitals read as the variable; a wrong polynomial stays wrong."""
    family = FAMILIES[name]
    for d in (1, 4, 8):
        for seed in range(4):
            task = generate_task(family, seed, 0, d)
            gold = family.format_answer(task)
            var = "i" if name == "complex_arithmetic" else task.metadata.get("var", "x")
            upper = gold.replace(var, var.upper())
            assert family.verify(f"<answer>{upper}</answer>", task).reward == 1.0, upper
            if name != "simple_integration":  # there, any constant is right
                wrong = f"{upper} + 1"
                assert family.verify(f"<answer>{wrong}</answer>", task).reward == 0.0, wrong


def test_aiw_copying_a_stated_number_is_rarely_the_answer() -> None:
    """A sister's sisters (and brothers, and a brother's female cousins) are a number the
    question states: answering the number of sisters the question gives was right on 32% of
    the tasks over d1, d3, d6, d10. Those kinds are rarer now and, for the others, no stated
    number is the answer: each number of the question, copied by its place, pays on few."""
    family = FAMILIES["aiw"]
    paid: dict[int, int] = {}
    total = 0
    for d in (1, 3, 6, 10):
        for seed in range(40):
            task = generate_task(family, seed, 0, d)
            total += 1
            numbers = re.findall(r"\d+", task.question.split("How many")[0])
            for place, number in enumerate(numbers):
                if family.verify(f"<answer>{number}</answer>", task).reward > 0:
                    paid[place] = paid.get(place, 0) + 1
    assert max(paid.values(), default=0) / total <= 0.15, paid
