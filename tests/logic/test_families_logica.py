"""Family-specific cases for the Enigmata-style families, wordscapes and the multi-turn logic
envs (games and rule-feedback retries) that the generated battery cannot know: rule engines on
hand-made inputs, other valid answers accepted, reference play winning, bad play losing,
bounded episodes and hostile moves."""

from __future__ import annotations

import random

import pytest

import gymhub
from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task
from gymhub.envs.logic.families import (
    _ciphers,
    countdown,
    mastermind,
    nim,
    slant,
    stack_permutation,
    sum_skyscrapers,
    tic_tac_toe,
    wordle,
)
from gymhub.envs.logic.families._games import GAMES, RETRY_FAMILIES
from gymhub.envs.logic.families._words import word_set, words
from gymhub.types import Task

discover_families()

GAME_IDS = [f"gymhub/Logic-{g.title}Game-v0" for g in GAMES.values()]
RETRY_IDS = [f"gymhub/Logic-{t}Retry-v0" for t in RETRY_FAMILIES.values()]
HOSTILE = [
    "",
    "no tags at all",
    "<answer></answer>",
    "<answer>" + "9" * 100_000 + "</answer>",
    "<answer>" + "".join(chr(i) for i in range(256)) + "</answer>",
    "<answer>ünïcødé 🧩 \u202e</answer>",
    "<answer>(1,1)</answer><answer>(2,2)</answer>",
    "<answer>-1 -1 (0,0) (99,99) NaN</answer>",
    "<answer>R G B Y O P W K R G B Y</answer>",
    "<think>unclosed <answer>(1,1)</answer>",
]


def task(name: str, seed: int = 0, difficulty: int = 5) -> Task:
    return generate_task(FAMILIES[name], seed, 0, difficulty)


def score(name: str, t: Task, answer: str) -> float:
    return FAMILIES[name].verify(f"<answer>{answer}</answer>", t).reward


def manual(name: str, question: str, answer, **metadata) -> Task:
    return Task(question=question, answer=answer, metadata={"size": 1, **metadata})


# ----- the word list ------------------------------------------------------------------------


def test_word_list_is_clean_and_large_enough() -> None:
    listed = words()
    assert len(listed) >= 3000 and len(set(listed)) == len(listed)
    assert all(w.isascii() and w.isalpha() and w.islower() and 3 <= len(w) <= 8 for w in listed)
    assert {"apple", "house", "garden"} <= word_set()


# ----- Enigmata families: rule engines and other valid answers -------------------------------


def test_countdown_needs_positive_whole_intermediates() -> None:
    t = manual("countdown", "q", "5 - 3 + 1", numbers=[1, 3, 5], target=3)
    assert score("countdown", t, "5 - 3 + 1") == 1.0
    assert score("countdown", t, "1 + 5 - 3 = 3") == 1.0
    assert score("countdown", t, "1 - 3 + 5") == 0.0  # -2 on the way
    assert score("countdown", t, "(5 + 1) / 3 + 1") == 0.0  # a number used twice
    assert score("countdown", t, "5 - 3 + 1 = 4") == 0.0
    t2 = manual("countdown", "q", "(2 + 3) * 4", numbers=[2, 3, 4], target=10)
    assert score("countdown", t2, "4 / 2 * 3 + 4") == 0.0
    assert score("countdown", t2, "3 / 2 * 4 + 4") == 0.0
    with pytest.raises(countdown.ExprError):
        countdown.positive_value(countdown.parse_expression("3 / 2"))


def test_magic_square_accepts_any_magic_square_keeping_the_givens() -> None:
    lo_shu = [[2, 7, 6], [9, 5, 1], [4, 3, 8]]
    mirrored = [row[::-1] for row in lo_shu]
    t = manual("magic_square", "q", lo_shu, n=3, givens=[[1, 1, 5]])
    for square in (lo_shu, mirrored):
        assert score("magic_square", t, "\n".join(" ".join(map(str, r)) for r in square)) == 1.0
    assert score("magic_square", t, "1 2 3\n4 5 6\n7 8 9") == 0.0
    for n in (3, 4, 5, 7):
        for seed in range(20):
            square = (
                FAMILIES["magic_square"]
                .generate(random.Random(seed), {3: 1, 4: 3, 5: 6, 7: 9}[n])
                .answer
            )
            assert len(square) == n


def test_stack_permutation_rules() -> None:
    assert stack_permutation.operations_for([3, 1, 2]) is None
    assert stack_permutation.operations_for([2, 1, 3]) == [
        "push",
        "push",
        "pop",
        "pop",
        "push",
        "pop",
    ]
    t = manual("stack_permutation", "q", [None, ["push", "pop"] * 2], n=2, targets=[[2, 1], [1, 2]])
    t.metadata["targets"] = [[1, 2], [2, 1]]
    assert score("stack_permutation", t, "1: push pop push pop\n2: push, push, pop, pop") == 1.0
    assert score("stack_permutation", t, "1: impossible\n2: push push pop pop") == 0.0
    assert score("stack_permutation", t, "push pop push pop\npop") == 0.0  # pop of empty stack


def test_hamiltonian_reversed_and_rotated_tours_are_accepted() -> None:
    tp = task("hamiltonian_path", 3, 4)
    assert score("hamiltonian_path", tp, " -> ".join(map(str, tp.answer[::-1]))) == 1.0
    tc = task("hamiltonian_cycle", 3, 4)
    rotated = tc.answer[2:] + tc.answer[:2]
    assert score("hamiltonian_cycle", tc, " ".join(map(str, rotated))) == 1.0
    assert score("hamiltonian_cycle", tc, ", ".join(map(str, [*rotated, rotated[0]]))) == 1.0
    assert score("hamiltonian_cycle", tc, " ".join(map(str, tc.answer[:-1]))) == 0.0


def test_move_budgets_are_enforced() -> None:
    t = task("twiddle", 1, 3)
    gold = FAMILIES["twiddle"].format_answer(t)
    assert score("twiddle", t, gold + ", (1,1), (1,1), (1,1), (1,1)") == 0.0  # identity, too long
    s = task("shift_puzzle", 1, 3)
    gold = FAMILIES["shift_puzzle"].format_answer(s)
    assert score("shift_puzzle", s, gold.lower()) == 1.0
    assert score("shift_puzzle", s, gold + " R1L R1R") == 0.0
    assert score("shift_puzzle", s, gold.replace("L", "X")) == 0.0 or "L" not in gold


def test_car_painting_accepts_any_optimal_order() -> None:
    # colors R B R B with shift 1: 1 3 2 4? car 3 moves 1 place: R R B B has one change
    t = manual("car_painting", "q", [1, 3, 2, 4], colors=[0, 1, 0, 1], shift=1, optimum=1)
    assert score("car_painting", t, "1 3 2 4") == 1.0
    assert score("car_painting", t, "1 2 3 4") == 0.0  # three changes
    assert score("car_painting", t, "3 1 2 4") == 0.0  # car 3 moved two places
    from gymhub.envs.logic.families.car_painting import optimum

    assert optimum([0, 1, 0, 1], 1)[0] == 1 and optimum([0, 1, 0, 1], 0)[0] == 3


@pytest.mark.parametrize(
    "kind",
    [
        "caesar",
        "affine",
        "vigenere",
        "autokey",
        "beaufort",
        "rail_fence",
        "columnar",
        "substitution",
        "reverse",
    ],
)
def test_ciphers_round_trip(kind: str) -> None:
    rng = random.Random(kind)
    for length in (1, 5, 17, 40):
        text = "".join(chr(65 + rng.randrange(26)) for _ in range(length))
        spec = _ciphers.random_spec(rng, kind, 3)
        assert _ciphers.decrypt(_ciphers.encrypt(text, spec), spec) == text


def test_crypto_answers_read_letters_only() -> None:
    for name in ("crypto_known_key", "crypto_known_plaintext"):
        t = task(name, 2, 8)
        assert score(name, t, t.answer.lower().replace(" ", "")) == 1.0
        assert score(name, t, t.answer + " X") == 0.0


def test_sum_skyscrapers_puzzles_are_unique() -> None:
    for d in (1, 4, 7):
        t = task("sum_skyscrapers", 5, d)
        n, clues = t.metadata["n"], t.metadata["clues"]
        assert sum_skyscrapers.count_solutions(n, clues, t.metadata["givens"]) == 1
    assert sum_skyscrapers.visible_sum([2, 1, 3, 4]) == 9


def test_hitori_light_up_and_slant_rule_engines() -> None:
    values = [[1, 1], [2, 1]]
    hit = manual("hitori", "q", [[1, 0], [0, 0]], n=2, values=values)
    assert score("hitori", hit, "#.\n..") == 0.0  # column 2 still repeats 1
    hit = manual("hitori", "q", [[0, 0], [1, 0]], n=2, values=[[1, 2], [1, 1]])
    assert score("hitori", hit, ".. #.") == 1.0  # any valid shading, layout free
    assert score("hitori", hit, "## ..") == 0.0  # shaded cells touch
    latin = [[1, 2, 3], [2, 3, 1], [3, 1, 2]]
    hit = manual("hitori", "q", [[0] * 3] * 3, n=3, values=latin)
    assert score("hitori", hit, "...\n...\n...") == 1.0
    assert score("hitori", hit, ".#.\n#..\n...") == 0.0  # the corner is cut off
    light = manual("light_up", "q", [[0, 0]], n=2, black=[[1, 1]], numbers=[[1, 1, 1]])
    assert score("light_up", light, "(1,1)") == 0.0  # all lit, but the 1 has no bulb beside it
    assert score("light_up", light, "(1,2), (2,1)") == 0.0  # the 1 has two bulbs beside it
    assert score("light_up", light, "(1,1), (1,2)") == 0.0  # the two bulbs see each other
    light.metadata["numbers"] = [[1, 1, 2]]
    assert score("light_up", light, "(1,2), (2,1)") == 1.0
    assert slant.loop_free(["/\\", "\\/"], 2) is False
    assert slant.loop_free(["//", "//"], 2) is True


def test_tic_tac_toe_values_and_best_moves() -> None:
    board = "XX.OO...."  # X to move wins at (1,3)
    values = tic_tac_toe.move_values(board, 3, "X")
    assert values[2] == 1 and max(v for i, v in values.items() if i != 2) <= 1
    t = manual("tic_tac_toe", "q", [[0, 2]], n=3, board=board, player="X")
    wins = sorted(i for i, v in values.items() if v == 1)
    assert score("tic_tac_toe", t, ", ".join(f"({i // 3 + 1},{i % 3 + 1})" for i in wins)) == 1.0
    assert score("tic_tac_toe", t, "(1,1)") == 0.0  # occupied


def test_nim_mastermind_wordle_rules() -> None:
    assert nim.winning_moves([1, 2, 3]) == []
    assert nim.winning_moves([3, 4, 5]) == [(1, 2)]
    assert mastermind.pegs("RGBB", "BRGY") == (0, 3)
    assert mastermind.pegs("RRGG", "RGRG") == (2, 2)
    assert wordle.feedback("apple", "paper") == "YYGY-"
    assert wordle.feedback("abbey", "babes") == "YYGG-"
    assert wordle.feedback("sheep", "eerie") == "YY---"  # only two e in sheep


def test_wordscapes_accepts_other_dictionary_fillings_and_checks_letters() -> None:
    t = manual(
        "wordscapes",
        "q",
        ["tea", "eat"],
        slots=[[0, 0, "across", 3], [0, 1, "down", 3]],
        letters="aet",
        shown=[],
    )
    # slot 2 starts at the second letter of slot 1
    assert score("wordscapes", t, "1: tea\n2: eat") == 1.0
    assert score("wordscapes", t, "2: ate\n1: tan") == 0.0  # n is not given
    assert score("wordscapes", t, "1: tea\n2: eta") == 0.0  # not a listed word
    assert score("wordscapes", t, "1: tea\n1: eat") == 0.0


# ----- multi-turn envs ------------------------------------------------------------------------


def test_multi_turn_envs_are_listed_with_the_logic_family() -> None:
    specs = {s.id: s for s in gymhub.list_envs(family="logic")}
    for env_id in GAME_IDS + RETRY_IDS:
        assert env_id in specs and specs[env_id].multi_turn
    assert len(GAME_IDS) >= 4 and len(RETRY_IDS) >= 5


def play(env, policy, seed: int, difficulty: int) -> tuple[float, int, list[str]]:
    obs, _ = env.reset(seed=seed, options={"difficulty": difficulty})
    texts = [m.text for m in obs.messages]
    total, steps = 0.0, 0
    while not env.done:
        obs, reward, _, _, info = env.step(policy(env))
        assert not info["infra_error"] and info["verdict"] != "infra_error", info
        texts += [m.text for m in obs.messages]
        total += reward
        steps += 1
        assert steps <= env.max_turns
    return total, steps, texts


@pytest.mark.parametrize("env_id", GAME_IDS)
def test_reference_play_wins_and_is_deterministic(env_id: str) -> None:
    env, other = gymhub.make(env_id), gymhub.make(env_id)
    for d in (1, 5, 10):
        for seed in (0, 1):
            total, _, texts = play(env, lambda e: e.reference_action(), seed, d)
            assert total == 1.0, (d, seed)
            assert play(other, lambda e: e.reference_action(), seed, d)[2] == texts


def _bad_move(env) -> str:
    """A legal move that is never good: a fixed wrong code or word, a losing Nim move, a
    tic-tac-toe move that gives away the position's value."""
    game, t, state = env.game, env.task, env.state
    if game.name == "mastermind":
        code = "R" * t.metadata["length"]
        return f"<answer>{code if code != t.answer else 'G' * len(code)}</answer>"
    if game.name == "wordle":
        pool = [w for w in words() if len(w) == t.metadata["length"] and w != t.answer]
        return f"<answer>{pool[0]}</answer>"
    if game.name == "nim":
        heaps = state["heaps"]
        good = set(nim.winning_moves(heaps))
        for i, h in enumerate(heaps):
            for k in range(1, h + 1):
                if (i + 1, k) not in good:
                    return f"<answer>({i + 1},{k})</answer>"
        return env.reference_action().text
    if game.name == "battleship":
        n = t.metadata["n"]
        water = next((r, c) for r in range(n) for c in range(n) if not t.answer[r][c])
        return f"<answer>({water[0] + 1},{water[1] + 1})</answer>"
    if game.name == "minesweeper":
        r, c = t.answer[-1]
        return f"<answer>({r},{c})</answer>"
    n, player = t.metadata["n"], t.metadata["player"]
    values = tic_tac_toe.move_values(state["board"], n, player)
    worst = min(values, key=lambda i: (values[i], i))
    return f"<answer>({worst // n + 1},{worst % n + 1})</answer>"


@pytest.mark.parametrize("env_id", GAME_IDS)
def test_bad_play_loses(env_id: str) -> None:
    env = gymhub.make(env_id)
    for d in (2, 6):
        for seed in (0, 1, 2):
            total, steps, _ = play(env, _bad_move, seed, d)
            assert total == 0.0, (d, seed)


@pytest.mark.parametrize("env_id", GAME_IDS + RETRY_IDS[:3])
def test_hostile_moves_never_crash_and_episodes_stay_bounded(env_id: str) -> None:
    env = gymhub.make(env_id)
    env.reset(seed=3, options={"difficulty": 4})
    steps = 0
    while not env.done:
        obs, reward, terminated, truncated, info = env.step(HOSTILE[steps % len(HOSTILE)])
        assert reward == 0.0 and info["verdict"] != "infra_error" and not info["infra_error"]
        obs.model_dump_json()
        steps += 1
    assert steps <= env.max_turns


def test_retry_env_feeds_back_the_broken_rule_and_discounts_late_success() -> None:
    env = gymhub.make("gymhub/Logic-MagicSquareRetry-v0", difficulty=2)
    obs, _ = env.reset(seed=4)
    gold = env.reference_action().text
    obs, reward, terminated, _, info = env.step("<answer>1 2 3\n4 5 6\n7 8 9</answer>")
    assert reward == 0.0 and not terminated and info["verdict"] == "incorrect"
    assert "row" in obs.messages[0].text or "given" in obs.messages[0].text
    obs, reward, terminated, _, _ = env.step(gold)
    assert terminated and reward == pytest.approx(0.7)
    env.reset(seed=4)
    assert env.step(gold)[1] == 1.0
    env.reset(seed=4)
    for _ in range(3):
        _, reward, terminated, truncated, _ = env.step("<answer>no idea</answer>")
        assert reward == 0.0
    assert terminated or truncated
    with pytest.raises(ValueError):
        gymhub.make("gymhub/Logic-SudokuRetry-v0", max_attempts=0)


def test_kakuro_puzzles_are_unique_and_runs_checked() -> None:
    from gymhub.envs.logic.families import kakuro

    for d in (1, 5, 9):
        t = task("kakuro", 6, d)
        white = [[bool(x) for x in row] for row in t.metadata["white"]]
        givens = {(r, c): v for r, c, v in t.metadata["givens"]}
        sols, finished = kakuro.solve(white, t.metadata["sums"], givens)
        assert finished and len(sols) == 1
    assert kakuro.COMBOS[(2, 3)] == 0b110 and kakuro.COMBOS[(2, 17)] == 0b1100000000


def test_obstacle_maze_accepts_any_walk_that_avoids_walls() -> None:
    t = task("obstacle_maze", 2, 3)
    gold = t.answer.split()
    # a detour: step back and forth on the first move, then the gold walk
    back = {"U": "D", "D": "U", "L": "R", "R": "L"}[gold[0]]
    assert score("obstacle_maze", t, " ".join([gold[0], back, *gold])) == 1.0
    assert score("obstacle_maze", t, "".join(gold).lower()) == 1.0
    assert score("obstacle_maze", t, " ".join(gold[:-1])) == 0.0


def test_killer_sudoku_puzzles_are_unique_and_cages_checked() -> None:
    from gymhub.envs.logic.families import killer_sudoku

    for d in (2, 6, 9):
        t = task("killer_sudoku", 4, d)
        br, bc = t.metadata["box"]
        givens = {(r, c): v for r, c, v in t.metadata["givens"]}
        sols, finished = killer_sudoku.solve(br, bc, t.metadata["cage"], t.metadata["sums"], givens)
        assert finished and len(sols) == 1 and sols[0] == t.answer
    t = task("killer_sudoku", 4, 2)
    bad = dict(t.metadata)
    bad["sums"] = [s + 1 if k == 0 else s for k, s in enumerate(t.metadata["sums"])]
    gold = FAMILIES["killer_sudoku"].format_answer(t)
    assert score("killer_sudoku", Task(question="q", answer=t.answer, metadata=bad), gold) == 0.0


def test_knights_knaves_entailment_labels() -> None:
    from gymhub.envs.logic.families import knights_knaves_entailment as kke

    # A says "B is a knave"; B says nothing: A and B differ, each side open
    statements = [{"speaker": 0, "kind": "knave", "about": [1]}]
    worlds = kke.worlds_of(statements, 2)
    assert sorted(worlds) == [(False, True), (True, False)]
    assert kke.label_of({"speaker": 0, "kind": "different", "about": [0, 1]}, worlds) == "entailed"
    assert kke.label_of({"speaker": 0, "kind": "same", "about": [0, 1]}, worlds) == "contradicted"
    assert kke.label_of({"speaker": 0, "kind": "knight", "about": [0]}, worlds) == "undetermined"
    t = task("knights_knaves_entailment", 1, 4)
    gold = FAMILIES["knights_knaves_entailment"].format_answer(t)
    reordered = "\n".join(reversed(gold.replace("entailed", "follows").splitlines()))
    assert score("knights_knaves_entailment", t, reordered) == 1.0
    assert score("knights_knaves_entailment", t, gold.replace(":", ": entailed or")) == 0.0


def test_battleship_puzzles_are_unique_and_fleet_shapes_checked() -> None:
    from gymhub.envs.logic.families import battleship

    for d in (1, 4, 7):
        t = task("battleship", 2, d)
        shown = {(r, c): v for r, c, v in t.metadata["shown"]}
        fleet = tuple(t.metadata["fleet"])
        sols, finished = battleship.solve(
            t.metadata["n"], fleet, t.metadata["rows"], t.metadata["cols"], shown
        )
        assert finished and sols == [t.answer]
    assert battleship.ship_problem([[1, 1], [0, 1]], (3,)) is not None  # bent
    assert battleship.ship_problem([[1, 0], [0, 1]], (1, 1)) is not None  # touching diagonally
    assert battleship.ship_problem([[1, 1, 0], [0, 0, 0], [1, 0, 0]], (2, 1)) is None


def test_dominosa_puzzles_are_unique_and_pairs_checked() -> None:
    from gymhub.envs.logic.families import dominosa

    for d in (1, 5, 9):
        t = task("dominosa", 3, d)
        givens = {(r, c): v for r, c, v in t.metadata["givens"]}
        sols, finished = dominosa.solve(t.metadata["values"], givens)
        assert finished and sols == [t.answer]
    t = manual("dominosa", "q", [["R", "L"], ["R", "L"]], values=[[0, 1], [0, 1]], givens=[])
    assert score("dominosa", t, "R L\nR L") == 0.0  # the 0-1 domino twice
    assert score("dominosa", t, "D D\nU U") == 1.0  # 0-0 and 1-1
    assert score("dominosa", t, "d d, u u") == 0.0  # one line for two rows


def test_bridges_rules_and_answer_forms() -> None:
    islands = [[0, 0, 2], [0, 3, 3], [2, 3, 1]]
    t = manual("bridges", "q", [[0, 0, 0, 3, 2], [0, 3, 2, 3, 1]], n=4, islands=islands)
    assert score("bridges", t, "(1,1)-(1,4) x2, (1,4)-(3,4)") == 1.0
    assert score("bridges", t, "(1,4)-(1,1)\n(1,1)-(1,4)\n(3,4)-(1,4)") == 1.0  # listed twice
    assert score("bridges", t, "(1,1)-(1,4), (1,4)-(3,4)") == 0.0  # counts off
    assert score("bridges", t, "(1,1)-(1,4) x2 or (1,4)-(3,4)") == 0.0  # a word
    assert score("bridges", t, "(1,1)-(3,4), (1,1)-(1,4), (1,4)-(3,4)") == 0.0  # diagonal
    for d in (1, 6, 10):
        tt = task("bridges", 4, d)
        assert len(tt.metadata["islands"]) == 4 + d


def test_fillomino_group_rule() -> None:
    t = manual("fillomino", "q", [[1, 2], [3, 2]], n=2, shown=[[1, 0], [0, 0]])
    assert score("fillomino", t, "1 2\n3 2") == 0.0  # the 3 is alone
    t.metadata["n"] = 3
    t.metadata["shown"] = [[1, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert score("fillomino", t, "1 2 2\n3 3 3\n1 2 2") == 1.0  # another valid filling
    assert score("fillomino", t, "1 2 2\n3 3 3\n2 2 2") == 0.0  # three joined 2s
    assert score("fillomino", t, "2 2 1\n3 3 3\n1 2 2") == 0.0  # shown 1 changed
