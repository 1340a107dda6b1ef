"""Family-specific cases for the reasoning/text families that the generated battery cannot know:
alternative valid answers accepted, rule violations rejected, hostile expressions refused, and
the solvers behind the uniqueness guarantees."""

from __future__ import annotations

import itertools
import random

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task
from gymhub.envs.logic.families import (
    arithmetic_chain,
    cryptarithm,
    game_of_24,
    knights_and_knaves,
    time_sequence,
    tower_of_hanoi,
    zebra_puzzle,
)
from gymhub.types import Task
from tests.logic.fingerprint import digests_under_hash_seeds

discover_families()


def task(name: str, seed: int = 0, difficulty: int = 5) -> Task:
    return generate_task(FAMILIES[name], seed, 0, difficulty)


def score(name: str, t: Task, answer: str) -> tuple[float, str]:
    verdict = FAMILIES[name].verify(f"<answer>{answer}</answer>", t)
    return verdict.reward, verdict.status


# ----- safe expressions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "(1).__class__",
        "2 ** 10",
        "9 // 2",
        "abs(-3)",
        "[1, 2]",
        "lambda: 1",
        "1 if 1 else 2",
        "1e308 * 1e308",
        "(" * 200 + "1" + ")" * 200,
        "1+" * 500 + "1",
        "4 % 3",
        "",
    ],
)
def test_safe_expression_refuses_everything_but_arithmetic(text: str) -> None:
    with pytest.raises(arithmetic_chain.ExprError):
        arithmetic_chain.safe_value(text)


def test_safe_expression_is_exact() -> None:
    from fractions import Fraction

    assert arithmetic_chain.safe_value("0.1 + 0.2") == Fraction(3, 10)
    assert arithmetic_chain.safe_value("8 / (3 - 8 / 3)") == 24
    assert arithmetic_chain.safe_value("6 × 4 ÷ 1") == 24
    with pytest.raises(arithmetic_chain.ExprError):
        arithmetic_chain.safe_value("1 / (2 - 2)")


# ----- game of 24 ----------------------------------------------------------------------------------


def _classic(numbers: list[int]) -> Task:
    t = task("game_of_24", 0, 1)
    t.metadata.update(numbers=numbers, target=24)
    t.answer = game_of_24.solve(numbers, 24)
    return t


def test_game_of_24_rejects_wrong_expressions() -> None:
    t = _classic([3, 3, 8, 8])
    assert score("game_of_24", t, "8 / (3 - 8 / 3)") == (1.0, "correct")
    assert score("game_of_24", t, "8/(3-8/3) = 24") == (1.0, "correct")
    wrong = {
        "8 + 8 + 3 + 3": "incorrect",  # right numbers, value 22
        "8 * 3": "incorrect",  # numbers missing
        "8 * 3 + 8 - 8 + 3 - 3": "incorrect",  # numbers reused
        "(8 - 3 - 3) * 12": "incorrect",  # a number that is not given
        "-3 + 3 * 8 + 8 - 8 + 3": "incorrect",
        "8 / (3 - 3) + 8": "incorrect",  # division by zero, numbers also wrong
        "24": "incorrect",
        "8.0 / (3 - 8 / 3)": "incorrect",
        "3 ** 3 - 8 / 8": "unparseable",
        "open('x')": "unparseable",
    }
    for answer, status in wrong.items():
        reward, got = score("game_of_24", t, answer)
        assert reward == 0.0 and got == status, (answer, got)


def test_game_of_24_accepts_any_valid_expression() -> None:
    t = _classic([1, 2, 3, 4])
    for answer in ["1 * 2 * 3 * 4", "(1 + 2 + 3) * 4", "4 * 3 * 2 * 1", "(4 + 2) * (3 + 1)"]:
        assert score("game_of_24", t, answer) == (1.0, "correct"), answer
    assert score("game_of_24", t, "(4 + 2) * (3 - 1)")[0] == 0.0


def test_game_of_24_generated_targets_are_reachable() -> None:
    for d in (1, 4, 7, 10):
        for seed in range(5):
            t = task("game_of_24", seed, d)
            assert score("game_of_24", t, str(t.answer)) == (1.0, "correct")
            assert len(t.metadata["numbers"]) == t.metadata["size"]


# ----- tower of hanoi ------------------------------------------------------------------------------


def test_hanoi_solver_is_optimal_on_the_classic_start() -> None:
    for n in range(1, 9):
        assert len(tower_of_hanoi.solve([0] * n, 2)) == 2**n - 1


def test_hanoi_rejects_illegal_and_long_sequences() -> None:
    t = task("tower_of_hanoi", 0, 1)
    t.metadata.update(position=[0, 0, 0], target=2, optimal_moves=7)
    assert score("tower_of_hanoi", t, "A->C\nA->B\nC->B\nA->C\nB->A\nB->C\nA->C")[0] == 1.0
    assert score("tower_of_hanoi", t, "A C, A B, C B, A C, B A, B C, A C")[0] == 1.0
    # a larger disk on a smaller one
    assert score("tower_of_hanoi", t, "A->C\nA->C") == (0.0, "incorrect")
    # legal but longer than the optimum
    long = "A->B\nB->C\nA->B\nC->A\nB->C\nA->B\nA->C\nB->C\nB->C"
    assert score("tower_of_hanoi", t, long) == (0.0, "incorrect")
    assert score("tower_of_hanoi", t, "B->C")[1] == "incorrect"  # empty source peg
    assert score("tower_of_hanoi", t, "move it somewhere")[1] == "unparseable"


# ----- cryptarithm ----------------------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", [1, 5, 10])
def test_cryptarithm_has_exactly_one_solution(difficulty: int) -> None:
    for seed in range(3):
        t = task("cryptarithm", seed, difficulty)
        m = t.metadata
        found = cryptarithm.solve(m["addends"], m["result"], m["hints"], limit=3)
        assert found == [t.answer]


def test_cryptarithm_checks_the_rules() -> None:
    t = task("cryptarithm", 1, 3)
    gold = dict(t.answer)
    letters = sorted(gold)
    swapped = dict(gold)
    swapped[letters[0]], swapped[letters[1]] = gold[letters[1]], gold[letters[0]]
    text = ", ".join(f"{k}={v}" for k, v in swapped.items())
    assert score("cryptarithm", t, text)[0] == 0.0
    # same digit twice
    dup = dict(gold)
    dup[letters[0]] = gold[letters[1]]
    assert score("cryptarithm", t, ", ".join(f"{k}={v}" for k, v in dup.items()))[0] == 0.0
    # layout tolerance: lower case, other separators, another order
    loose = "\n".join(f"{k.lower()} : {v}" for k, v in reversed(list(gold.items())))
    assert score("cryptarithm", t, loose) == (1.0, "correct")


# ----- knights and knaves / web of lies ------------------------------------------------------------


@pytest.mark.parametrize("difficulty", [1, 5, 10])
def test_knights_puzzles_are_unique(difficulty: int) -> None:
    for seed in range(3):
        t = task("knights_and_knaves", seed, difficulty)
        names, facts = t.metadata["names"], t.metadata["facts"]
        gold = [t.answer[n] == "knight" for n in names]
        consistent = [
            k
            for k in itertools.product((True, False), repeat=len(names))
            if knights_and_knaves.consistent(t.metadata["statements"], k)
            and all(k[i] == gold[i] for i in facts)
        ]
        assert consistent == [tuple(gold)]


def test_knights_reads_prose_answers() -> None:
    t = task("knights_and_knaves", 2, 4)
    prose = ". ".join(f"{n} is a {k.upper()}" for n, k in reversed(list(t.answer.items())))
    assert score("knights_and_knaves", t, prose) == (1.0, "correct")
    first = t.metadata["names"][0]
    gold = FAMILIES["knights_and_knaves"].format_answer(t)
    assert score("knights_and_knaves", t, f"{first} says a lot. So: {gold}") == (1.0, "correct")
    partial = ", ".join(f"{n}: {k}" for n, k in t.answer.items() if n != first)
    assert score("knights_and_knaves", t, partial)[1] == "incorrect"


def test_web_of_lies_reads_prose_answers() -> None:
    t = task("web_of_lies", 1, 8)
    prose = "; ".join(
        f"{n} {'tells the truth' if v == 'truthful' else 'lies'}" for n, v in t.answer.items()
    )
    assert score("web_of_lies", t, prose) == (1.0, "correct")
    first = t.metadata["names"][0]
    assert score("web_of_lies", t, f"{first} says things. {prose}") == (1.0, "correct")


@pytest.mark.parametrize("family", ["web_of_lies", "knights_and_knaves"])
def test_role_answers_in_markup_json_and_is_a_form_are_read(family: str) -> None:
    """`**Ana**: liar`, JSON's `"Ana": "liar"` and "Ana is a liar" were right answers scored 0
    (unparseable) in web_of_lies; knights_and_knaves missed the JSON form."""
    t = task(family, 2, 6)
    pairs = list(t.answer.items())
    forms = [
        ", ".join(f"**{n}**: {v}" for n, v in pairs),
        "{" + ", ".join(f'"{n}": "{v}"' for n, v in pairs) + "}",
        ", ".join(f"{n} is a {v}" for n, v in pairs),
        "\n".join(f"- {n} -> {v}" for n, v in pairs),
    ]
    for form in forms:
        assert score(family, t, form) == (1.0, "correct"), form
    swap = {"liar": "truthful", "truthful": "liar", "knight": "knave", "knave": "knight"}
    name, value = pairs[0]
    flipped = {**dict(pairs), name: swap[value]}
    wrong = "{" + ", ".join(f'"{n}": "{v}"' for n, v in flipped.items()) + "}"
    assert score(family, t, wrong)[0] == 0.0
    hedge = ", ".join(f"**{n}**: {v}" for n, v in pairs) + f", **{name}**: {flipped[name]}"
    assert score(family, t, hedge)[0] == 0.0


# ----- zebra ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", [1, 5, 10])
def test_zebra_puzzles_are_unique(difficulty: int) -> None:
    for seed in range(2):
        t = task("zebra_puzzle", seed, difficulty)
        m = t.metadata
        n, k = m["houses"], len(m["attributes"])
        clues = [tuple(c) for c in m["clues"]]
        found = zebra_puzzle.Solver(n, k, clues).solve(limit=2, budget=50_000)
        assert found is not None and len(found) == 1


def test_zebra_accepts_other_layouts_and_rejects_clue_violations() -> None:
    t = task("zebra_puzzle", 3, 4)
    rows = t.answer
    shuffled = "\n".join(f"{i + 1}) {' | '.join(reversed(r))}" for i, r in enumerate(rows))
    assert score("zebra_puzzle", t, shuffled) == (1.0, "correct")
    reversed_rows = zebra_puzzle._table(list(reversed(rows)))
    assert score("zebra_puzzle", t, reversed_rows)[0] == 0.0
    missing = zebra_puzzle._table(rows[:-1])
    assert score("zebra_puzzle", t, missing)[1] == "incorrect"


# ----- the text families ---------------------------------------------------------------------------


def test_dyck_tolerates_spaces_and_rejects_openers() -> None:
    t = task("dyck_language", 0, 6)
    gold = str(t.answer)
    assert score("dyck_language", t, " ".join(gold)) == (1.0, "correct")
    assert score("dyck_language", t, "()" + gold)[1] == "incorrect"
    assert score("dyck_language", t, "close them all")[1] == "unparseable"


def test_word_sorting_checks_order_and_words() -> None:
    t = task("word_sorting", 0, 3)
    words = list(t.answer)
    assert score("word_sorting", t, "\n".join(w.upper() for w in words)) == (1.0, "correct")
    assert score("word_sorting", t, " ".join(words[:-1]))[0] == 0.0
    assert score("word_sorting", t, " ".join(words + [words[0]]))[0] == 0.0
    wrong_way = sorted(words, reverse=not t.metadata["descending"])
    assert score("word_sorting", t, " ".join(wrong_way))[0] == 0.0


def test_cipher_is_checked_by_re_encrypting() -> None:
    for seed, d in [(0, 1), (1, 3), (2, 6), (3, 9), (4, 10)]:
        t = task("cipher", seed, d)
        loose = str(t.answer).lower().replace(" ", "  ") + "."
        assert score("cipher", t, loose) == (1.0, "correct")
        off = str(t.answer)[:-1] + ("A" if str(t.answer)[-1] != "A" else "B")
        assert score("cipher", t, off)[0] == 0.0


def test_time_sequence_wants_the_earliest_free_slot() -> None:
    t = task("time_sequence", 0, 5)
    start, end = t.answer
    hh = time_sequence.hhmm
    assert score("time_sequence", t, f"{hh(start)} - {hh(end)}") == (1.0, "correct")
    if start >= 13 * 60:
        twelve = f"{(start // 60) - 12}:{start % 60:02d} pm to {(end // 60) - 12}:{end % 60:02d} pm"
        assert score("time_sequence", t, twelve) == (1.0, "correct")
    # a later slot that is free for everyone is still wrong: it is not the earliest
    busy, day, length = t.metadata["busy"], t.metadata["day"], t.metadata["length"]
    later = next(
        s
        for s in range(start + 1, day[1] - length + 1)
        if not any(a < s + length and s < b for a, b in busy)
    )
    assert score("time_sequence", t, f"{hh(later)}-{hh(later + length)}")[0] == 0.0
    assert score("time_sequence", t, f"{hh(start)}-{hh(end + 5)}")[0] == 0.0


def test_object_counting_reads_digits_and_words() -> None:
    t = task("object_counting", 0, 6)
    n = int(t.answer)
    assert score("object_counting", t, str(n)) == (1.0, "correct")
    if n <= 20:
        from gymhub.envs.logic.families.object_counting import NUMBER_WORDS

        assert score("object_counting", t, NUMBER_WORDS[n]) == (1.0, "correct")
    assert score("object_counting", t, str(n + 1))[0] == 0.0
    assert score("object_counting", t, "about seven")[1] == "unparseable"


def test_boolean_expressions_need_every_value() -> None:
    t = task("boolean_expressions", 0, 7)
    values = list(t.answer)
    numbered = "\n".join(f"{i + 1}. {v}" for i, v in enumerate(values))
    assert score("boolean_expressions", t, numbered) == (1.0, "correct")
    assert score("boolean_expressions", t, ", ".join(map(str, values[:-1])))[0] == 0.0


def test_arithmetic_chain_wants_the_value_not_an_expression() -> None:
    t = task("arithmetic_chain", 0, 7)
    n = int(t.answer)
    assert score("arithmetic_chain", t, f"{n}.0") == (1.0, "correct")
    assert score("arithmetic_chain", t, f"{n:,}.") == (1.0, "correct")
    assert score("arithmetic_chain", t, f"{n * 2}/2") == (0.0, "incorrect")
    assert score("arithmetic_chain", t, f"{n - 1} + 1") == (0.0, "incorrect")
    assert score("arithmetic_chain", t, str(n + 1))[0] == 0.0
    assert score("arithmetic_chain", t, "x = 5")[1] == "unparseable"


def test_generation_ignores_global_randomness() -> None:
    fam = FAMILIES["zebra_puzzle"]
    random.seed(0)
    a = fam.generate(random.Random(11), 6)
    random.seed(99)
    b = fam.generate(random.Random(11), 6)
    assert a == b


L3_FAMILIES = [
    "arithmetic_chain", "boolean_expressions", "cipher", "cryptarithm", "dyck_language",
    "game_of_24", "knights_and_knaves", "object_counting", "time_sequence", "tower_of_hanoi",
    "web_of_lies", "word_sorting", "zebra_puzzle",
]  # fmt: skip


def test_same_tasks_under_different_hash_seeds() -> None:
    """String hashing is randomised per process; generation must not depend on it (no iteration
    over sets of strings), so two processes with different hash seeds agree."""
    assert len(digests_under_hash_seeds(L3_FAMILIES, (1, 5, 10), seed=3, index=1)) == 1
