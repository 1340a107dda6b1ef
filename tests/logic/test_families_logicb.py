"""Family-specific cases for the arithmetic, algebra and algorithmic families that the generated
battery cannot know: other valid answers accepted, rule violations rejected, hostile input
refused, and the solvers behind the verifiers checked against brute force."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task
from gymhub.envs.logic.families import (
    _poly,
    ab_rewriting,
    binary_alternation,
    bitwise_arithmetic,
    jugs,
    palindrome_partitioning,
    spiral_matrix,
    word_ladder,
)
from gymhub.types import Task

discover_families()


def task(name: str, seed: int = 0, difficulty: int = 5) -> Task:
    return generate_task(FAMILIES[name], seed, 0, difficulty)


def score(name: str, t: Task, answer: str) -> float:
    return FAMILIES[name].verify(f"<answer>{answer}</answer>", t).reward


# ----- other valid answers are accepted ------------------------------------------------------


def test_letter_jumble_accepts_any_word_with_the_same_letters() -> None:
    t = Task(question="", answer=["stop"], metadata={"jumbled": ["ptso"], "size": 1})
    for word in ("stop", "post", "pots", "tops", "spot"):
        assert score("letter_jumble", t, word) == 1.0
    assert score("letter_jumble", t, "opts x") == 0.0  # a second word
    assert score("letter_jumble", t, "tspo") == 0.0  # same letters, not a word


def test_word_ladder_accepts_any_shortest_ladder_and_nothing_longer() -> None:
    for seed in range(5):
        t = task("word_ladder", seed, 6)
        steps = t.metadata["steps"]
        start, end = t.metadata["start"], t.metadata["end"]
        ladders = _all_shortest(start, end, steps)
        assert ladders and all(score("word_ladder", t, ", ".join(p)) == 1.0 for p in ladders)
        detour = [start, *word_ladder.neighbours(start)[:1], start, *ladders[0][1:]]
        assert score("word_ladder", t, " ".join(detour)) == 0.0  # longer than the optimum


def _all_shortest(start: str, end: str, steps: int) -> list[list[str]]:
    paths = [[start]]
    for _ in range(steps):
        paths = [p + [n] for p in paths for n in word_ladder.neighbours(p[-1]) if n not in p]
    return [p for p in paths if p[-1] == end][:10]


def test_palindrome_generation_accepts_every_valid_arrangement() -> None:
    t = Task(question="", answer="abcba", metadata={"letters": list("aabbc"), "size": 5})
    assert score("palindrome_generation", t, "abcba") == 1.0
    assert score("palindrome_generation", t, "BACAB") == 1.0
    assert score("palindrome_generation", t, "aabbc") == 0.0  # right letters, not a palindrome
    assert score("palindrome_generation", t, "abba") == 0.0  # a letter left out


def test_group_anagrams_any_order_but_exact_partition() -> None:
    t = Task(question="", answer=[], metadata={"words": ["eat", "tea", "tan", "nat"], "size": 2})
    assert score("group_anagrams", t, "nat tan\ntea eat") == 1.0
    assert score("group_anagrams", t, "[eat, tea]; [tan, nat]") == 1.0
    assert score("group_anagrams", t, "eat tea tan nat") == 0.0  # two anagram classes merged
    assert score("group_anagrams", t, "eat\ntea\ntan nat") == 0.0  # one class split
    assert score("group_anagrams", t, "eat tea\ntan nat nat") == 0.0  # a word used twice


def test_jugs_accepts_any_optimal_plan_and_checks_by_simulation() -> None:
    t = Task(
        question="", answer=[], metadata={"caps": [3, 5], "target": 4, "optimum": 6, "size": 10}
    )
    assert score("jugs", t, "fill B, pour B->A, empty A, pour B->A, fill B, pour B->A") == 1.0
    assert score("jugs", t, "fill A; pour A to B; fill A; pour A into B; empty B; pour A->B") == 0.0
    assert score("jugs", t, "fill B, pour B->A, empty A, pour B->A, fill B") == 0.0
    assert score("jugs", t, "fill C") == 0.0  # no such jug


def test_jugs_optimum_matches_brute_force() -> None:
    caps = [3, 5]
    plans = jugs.solve(caps)
    moves = jugs.all_moves(2)
    for length in range(1, 5):
        for seq in itertools.product(moves, repeat=length):
            state = (0, 0)
            for m in seq:
                state = jugs.apply(state, m, caps)
            for amount in state:
                assert len(plans[amount]) <= length


def test_algebra_answers_in_any_equivalent_form() -> None:
    t = task("simple_integration", 1, 4)
    gold = FAMILIES["simple_integration"].format_answer(t).removesuffix(" + C")
    assert score("simple_integration", t, gold) == 1.0  # + C is optional
    assert score("simple_integration", t, gold + " + 17") == 1.0  # any constant
    assert score("simple_integration", t, gold + " + x") == 0.0
    assert score("simple_integration", t, gold + " + c") == 1.0  # the constant in lower case
    assert score("simple_integration", t, gold + " + c + C") == 0.0
    t = task("polynomial_equations", 2, 9)
    roots = FAMILIES["polynomial_equations"].format_answer(t).split(", ")
    named = ", ".join(f"x = {r}" for r in reversed(roots))
    assert score("polynomial_equations", t, named) == 1.0
    assert score("polynomial_equations", t, ", ".join(roots + roots[:1])) == 0.0  # repeated
    if len(roots) > 1:
        assert score("polynomial_equations", t, ", ".join(roots[1:])) == 0.0  # one missing
    t = task("simple_equations", 3, 6)
    assert score("simple_equations", t, f"{t.metadata['var']} = {t.answer}") == 1.0
    assert score("simple_equations", t, str(t.answer + 1)) == 0.0


def test_polynomial_and_complex_forms() -> None:
    t = Task(
        question="",
        answer="",
        metadata={"factors": [{"0": 1, "1": 1}, {"0": -1, "1": 1}], "var": "x", "size": 2},
    )
    for text in ("x^2 - 1", "-1 + x**2", "x*x^1 - 1"[0:0] + "1x^2 - 1", "x^2 + x - x - 1"):
        assert score("polynomial_multiplication", t, text) == 1.0, text
    for text in ("(x+1)(x-1)", "x^2 - 1, x^2 + 1", "x^2 - 1 / x^2", "x^2\n- 1", "y^2 - 1"):
        assert score("polynomial_multiplication", t, text) == 0.0, text
    t = Task(
        question="", answer="", metadata={"numbers": [[1, 2], [3, -1]], "ops": ["*"], "size": 1}
    )
    for text in ("5 + 5i", "5i + 5", "5+5*i", "(5) + (5)*i"):
        assert score("complex_arithmetic", t, text) == 1.0, text
    assert score("complex_arithmetic", t, "5 + 5j") == 0.0


def test_number_answers_in_equivalent_forms() -> None:
    t = Task(question="", answer="", metadata={"base": "1.5", "exponent": -2, "size": 2})
    assert score("power_function", t, "4/9") == 1.0
    assert score("power_function", t, "0.444") == 0.0  # not exact
    t = Task(
        question="",
        answer="",
        metadata={"numbers": ["1,234.5", "1.2e3", "999.99"], "largest": True, "size": 3},
    )
    for text in ("1234.5", "1,234.50", "1.2345e3", "1.2345 x 10^3"):
        assert score("number_format", t, text) == 1.0, text
    t = Task(question="", answer="", metadata={"numerator": 12, "denominator": 18, "size": 2})
    assert score("fraction_simplification", t, "2/3") == 1.0
    assert score("fraction_simplification", t, "4/6") == 0.0  # equal, but not in lowest terms
    t = Task(question="", answer=[2, 2, 3], metadata={"n": 12, "size": 3})
    for text in ("2 * 2 * 3", "3 x 2 x 2", "2^2 * 3", "2**2 × 3"):
        assert score("prime_factorization", t, text) == 1.0, text
    for text in ("4 * 3", "2 * 6", "12", "2 * 2 * 3 or 2 * 3"):
        assert score("prime_factorization", t, text) == 0.0, text


def test_parts_machine_reads_counts_in_any_order_but_needs_every_part() -> None:
    t = task("parts_machine", 0, 4)
    gold = FAMILIES["parts_machine"].format_answer(t)
    assert score("parts_machine", t, ", ".join(reversed(gold.split(", ")))) == 1.0
    assert score("parts_machine", t, gold.replace("=", ": ")) == 1.0
    assert score("parts_machine", t, ", ".join(gold.split(", ")[:-1])) == 0.0
    assert score("parts_machine", t, gold + ", A=0") == 0.0


def test_verifiers_follow_the_rules_not_the_stored_answer() -> None:
    t = task("number_sorting", 0, 5)
    tampered = t.model_copy(update={"answer": ["0"]})
    assert (
        FAMILIES["number_sorting"]
        .verify(FAMILIES["number_sorting"].reference_response(t), tampered)
        .reward
        == 1.0
    )
    t = task("gcd", 0, 5)
    tampered = t.model_copy(update={"answer": 1})
    assert score("gcd", tampered, str(t.answer)) == 1.0


# ----- hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "x^999",
        "(" * 50 + "x" + ")" * 50,
        "__import__('os')",
        "x" * 5000,
        "2 x",
        "1e308x",
        "x^-1",
        "",
    ],
)
def test_polynomial_reader_refuses_non_polynomials(text: str) -> None:
    assert _poly.parse_poly(text) is None


@pytest.mark.parametrize("text", ["__import__('os')", "1 << 100000", "(1).__class__", "2 ** 8"])
def test_bitwise_evaluator_refuses_everything_but_its_operators(text: str) -> None:
    with pytest.raises((ValueError, SyntaxError)):
        bitwise_arithmetic.bit_value(text)


# ----- solvers against brute force ----------------------------------------------------------


def _swaps_brute(bits: str) -> int:
    """Fewest swaps by breadth-first search over strings."""
    targets = {"".join("01"[(i + f) % 2] for i in range(len(bits))) for f in (0, 1)}
    seen, frontier, depth = {bits}, [bits], 0
    while frontier:
        if any(s in targets for s in frontier):
            return depth
        nxt = []
        for s in frontier:
            for i, j in itertools.combinations(range(len(s)), 2):
                if s[i] != s[j]:
                    t = list(s)
                    t[i], t[j] = t[j], t[i]
                    u = "".join(t)
                    if u not in seen:
                        seen.add(u)
                        nxt.append(u)
        frontier, depth = nxt, depth + 1
    return -1


def test_binary_alternation_matches_brute_force() -> None:
    for n in range(1, 8):
        for bits in itertools.product("01", repeat=n):
            s = "".join(bits)
            assert binary_alternation.min_swaps(s) == _swaps_brute(s), s


def test_ab_rewriting_is_confluent() -> None:
    rng = random.Random(0)
    for _ in range(200):
        tokens = [rng.choice(ab_rewriting.TOKENS) for _ in range(rng.randint(2, 12))]
        # rewrite at random positions instead of leftmost first: same final sequence
        seq = list(tokens)
        while True:
            spots = [i for i in range(len(seq) - 1) if (seq[i], seq[i + 1]) in ab_rewriting._RULES]
            if not spots:
                break
            i = rng.choice(spots)
            seq[i : i + 2] = list(ab_rewriting._RULES[(seq[i], seq[i + 1])])
        assert seq == ab_rewriting.normal_form(tokens)


def test_palindrome_partitions_and_spiral_order() -> None:
    assert set(palindrome_partitioning.partitions("aab")) == {("a", "a", "b"), ("aa", "b")}
    assert len(palindrome_partitioning.partitions("aaaa")) == 8
    assert spiral_matrix.spiral([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == [1, 2, 3, 6, 9, 8, 7, 4, 5]
    assert spiral_matrix.spiral([[1, 2], [3, 4], [5, 6]]) == [1, 2, 4, 6, 5, 3]


def test_word_list_ladder_graph_is_symmetric() -> None:
    graph = word_ladder._graph()
    assert all(a in graph[b] for a, ns in graph.items() for b in ns)
    assert Fraction(sum(map(len, graph.values())), len(graph)) > 3  # enough ladders to draw from
