"""Family-specific cases for the SynLogic-style and search families (goods_exchange,
word_sorting_mistake, dyck_language_errors, dyck_reasoning_errors, operation, math_path,
space_reasoning, buggy_tables, object_properties, task_ordering, shortest_path, crossword_fill)
that the generated battery cannot know: the rule engines on hand-made inputs, alternative valid
answers accepted, and one-slot hedges rejected."""

from __future__ import annotations

import itertools

from gymhub.envs.logic import FAMILIES
from gymhub.envs.logic.families import (
    dyck_language_errors,
    goods_exchange,
    math_path,
    operation,
    word_sorting_mistake,
)
from tests.logic.test_families_l3_extra import score, task

# ----- goods_exchange ----------------------------------------------------------------------------


def test_goods_exchange_replays_every_exchange_form() -> None:
    people, items = ["Alice", "Bob", "Carol"], ["apple", "book", "candle"]
    steps = [
        ["people", "Alice", "Bob"],  # Alice book, Bob apple, Carol candle
        ["person_item", "Carol", "apple"],  # Carol <-> Bob: Bob candle, Carol apple
        [
            "rotate",
            "Alice",
            "Bob",
            "Carol",
        ],  # A->B, B->C, C->A: Alice apple, Bob book, Carol candle
        ["items", "apple", "candle"],  # Alice <-> Carol
    ]
    final = goods_exchange.final_holdings(people, items, steps)
    assert final == {"Alice": "candle", "Bob": "book", "Carol": "apple"}


def test_goods_exchange_accepts_other_layouts_and_rejects_one_slot_hedges() -> None:
    t = task("goods_exchange", 3, 8)
    family = FAMILIES["goods_exchange"]
    gold = family.format_answer(t)
    pairs = [p.split(": ") for p in gold.split(", ")]
    as_lines = "\n".join(f"{p} has the {i}" for p, i in reversed(pairs))
    assert score("goods_exchange", t, as_lines) == (1.0, "correct")
    assert score("goods_exchange", t, gold.upper())[0] == 1.0
    first_person, first_item = pairs[0]
    other_item = pairs[1][1]
    hedged = gold.replace(
        f"{first_person}: {first_item}", f"{first_person}: {first_item} or {other_item}"
    )
    assert score("goods_exchange", t, hedged)[0] == 0.0
    two_items = gold.replace(
        f"{first_person}: {first_item}", f"{first_person}: {first_item}, {other_item}"
    )
    assert score("goods_exchange", t, two_items)[0] == 0.0
    assert score("goods_exchange", t, ", ".join(gold.split(", ")[:-1]))[0] == 0.0


def test_goods_exchange_uses_harder_forms_at_high_difficulty() -> None:
    kinds = {s[0] for seed in range(5) for s in task("goods_exchange", seed, 10).metadata["steps"]}
    assert kinds == {"people", "person_item", "rotate", "items"}
    assert {s[0] for s in task("goods_exchange", 0, 1).metadata["steps"]} == {"people"}


# ----- word_sorting_mistake ----------------------------------------------------------------------


def test_first_wrong_step_rule() -> None:
    words = ["pear", "apple", "peach", "fig"]
    assert (
        word_sorting_mistake.first_wrong_step(words, ["apple", "fig", "peach", "pear"], False) == 0
    )
    assert (
        word_sorting_mistake.first_wrong_step(words, ["apple", "fig", "pear", "peach"], False) == 3
    )
    assert (
        word_sorting_mistake.first_wrong_step(words, ["pear", "peach", "fig", "apple"], True) == 0
    )
    assert (
        word_sorting_mistake.first_wrong_step(words, ["fig", "apple", "peach", "pear"], False) == 1
    )


def test_word_sorting_mistake_has_both_kinds_and_rejects_hedges() -> None:
    answers = {int(task("word_sorting_mistake", s, 6).answer) for s in range(30)}
    assert 0 in answers and len(answers) >= 4
    t = next(
        task("word_sorting_mistake", s, 6)
        for s in range(30)
        if task("word_sorting_mistake", s, 6).answer
    )
    n = int(t.answer)
    assert score("word_sorting_mistake", t, str(n)) == (1.0, "correct")
    assert score("word_sorting_mistake", t, f"step #{n}.")[0] == 1.0
    for hedge in (f"Step {n} or {n + 1}", f"{n}, {n + 1}", "no", f"Step {n} (or none)"):
        assert score("word_sorting_mistake", t, hedge)[0] == 0.0, hedge


# ----- dyck_language_errors ----------------------------------------------------------------------


def test_first_error_positions() -> None:
    assert dyck_language_errors.first_error("([]{})") == 0
    assert dyck_language_errors.first_error("([)]") == 3
    assert dyck_language_errors.first_error("())") == 3
    assert dyck_language_errors.first_error(")(") == 1
    assert dyck_language_errors.first_error("(()") == 4  # only open brackets left: length + 1


def test_dyck_language_errors_mixes_balanced_and_broken() -> None:
    answers = [int(task("dyck_language_errors", s, 4).answer) for s in range(30)]
    assert answers.count(0) >= 2 and sum(a > 0 for a in answers) >= 15
    t = task("dyck_language_errors", 0, 4)
    gold = t.answer
    assert score("dyck_language_errors", t, f"{gold} or {gold + 1}")[0] == 0.0
    assert score("dyck_language_errors", t, f"{gold}+0")[0] == 0.0


# ----- operation ---------------------------------------------------------------------------------


def test_operation_evaluates_definitions_and_case_splits() -> None:
    defs = {
        "⊕": {"terms": [2, 1, 0, -3]},  # 2a + b - 3
        "⊗": {"if": ">=", "then": [1, -1, 0, 0], "else": [1, 2, 0, 0]},  # a-b if a>=b else a+2b
    }
    assert operation.evaluate(["⊕", 4, 5], defs) == 10
    assert operation.evaluate(["⊗", 5, 3], defs) == 2
    assert operation.evaluate(["⊗", 3, 5], defs) == 13
    assert operation.evaluate(["⊗", ["⊕", 1, 1], 4], defs) == 0 + 8
    assert operation._definition_text("⊕", defs["⊕"]) == "a ⊕ b = 2*a + b - 3"


def test_operation_wants_the_value_not_an_expression() -> None:
    t = task("operation", 2, 6)
    value = int(t.answer)
    assert score("operation", t, f"{value:,}") == (1.0, "correct")
    assert score("operation", t, f"{value - 5} + 5")[0] == 0.0
    assert score("operation", t, f"{value} or {value + 1}")[0] == 0.0


# ----- math_path ---------------------------------------------------------------------------------


def test_math_path_accepts_any_valid_placement_and_the_equation_form() -> None:
    accepted_other = 0
    for seed in range(20):
        t = task("math_path", seed, 3)
        slots, ops, rhs = t.metadata["slots"], t.metadata["ops"], t.metadata["rhs"]
        gold = list(t.answer)
        for perm in sorted(set(itertools.permutations(gold))):
            filled = iter(perm)
            numbers = [next(filled) if s is None else s for s in slots]
            valid = math_path.value(numbers, ops) == rhs
            reward, _ = score("math_path", t, " ".join(map(str, perm)))
            assert reward == (1.0 if valid else 0.0), (seed, perm)
            accepted_other += valid and list(perm) != gold
        filled = iter(gold)
        equation = math_path.equation_text(
            [next(filled) if s is None else s for s in slots], ops, rhs
        )
        assert score("math_path", t, equation) == (1.0, "correct")
        changed_given = equation.replace(f"= {rhs}", f"= {rhs + 1}")
        assert score("math_path", t, changed_given)[0] == 0.0
    assert accepted_other > 0, "no task had a second valid placement to accept"


def test_math_path_rejects_digits_not_listed() -> None:
    t = task("math_path", 1, 6)
    gold = list(t.answer)
    assert score("math_path", t, " ".join(map(str, gold + [gold[0]])))[0] == 0.0
    assert score("math_path", t, " ".join(str(d % 9 + 1) for d in gold))[0] == 0.0
    assert score("math_path", t, " ".join(map(str, gold)) + " or 1 2")[0] == 0.0
    assert math_path.value([2, 3, 4], ["+", "*"]) == 14
    assert math_path.value([2, 3, 4, 5], ["-", "*", "-"]) == -15


# ----- space_reasoning ---------------------------------------------------------------------------


def test_space_reasoning_composes_offsets_both_ways() -> None:
    from gymhub.envs.logic.families import space_reasoning

    edges = [["cup", "lamp", 2, -1], ["vase", "lamp", 0, 3], ["rug", "vase", -4, 0]]
    where = space_reasoning.offsets_from("cup", edges)
    assert where["lamp"] == (-2, 1)
    assert where["rug"] == (-6, 4)
    assert space_reasoning.describe_offset(-1, 0) == "1 unit west"


def test_space_reasoning_answer_forms() -> None:
    t = next(
        task("space_reasoning", s, 6)
        for s in range(40)
        if all(task("space_reasoning", s, 6).answer)  # both axes non-zero
    )
    dx, dy = t.answer
    ew = f"{abs(dx)} {'east' if dx > 0 else 'west'}"
    ns = f"{abs(dy)} {'north' if dy > 0 else 'south'}"
    for good in (f"{ew}, {ns}", f"{ns} and {ew}", f"{ew.replace(' ', ' units ')}; {ns}."):
        assert score("space_reasoning", t, good) == (1.0, "correct"), good
    for bad in (f"{ew} or {ns}", f"{ew}, {ns}, {ew}", ew, f"-{ew}, {ns}", f"{ew}, {ns} maybe"):
        assert score("space_reasoning", t, bad)[0] == 0.0, bad


# ----- buggy_tables ------------------------------------------------------------------------------


def test_buggy_tables_rules_fix_each_bug() -> None:
    from gymhub.envs.logic.families import buggy_tables

    raw = [
        ["101", "pens", "North", "3", "500c"],  # cents: 5 dollars
        ["101", "pens", "North", "3", "500c"],  # repeated row
        ["102!", "mugs", "North", "7", "2"],  # swapped: qty 2, price 7
        ["103", "caps", "North", "?", "9"],  # lost quantity: left out
        ["104", "bags", "South", "4", "4"],  # other region
    ]
    bugs = ["cents", "dup", "missing", "swap"]
    revenue = {"measure": "revenue", "regions": ["North"]}
    assert buggy_tables.answer_of(raw, bugs, revenue) == 3 * 5 + 2 * 7
    quantity = {"measure": "quantity", "regions": ["North", "South"], "min_qty": 3}
    assert buggy_tables.answer_of(raw, bugs, quantity) == 3 + 4


def test_buggy_tables_uses_every_bug_at_high_difficulty() -> None:
    t = task("buggy_tables", 0, 10)
    assert t.metadata["bugs"] == ["cents", "dup", "missing", "swap"]
    assert score("buggy_tables", t, f"${t.answer:,}") == (1.0, "correct")
    assert score("buggy_tables", t, f"{t.answer} or {t.answer + 1}")[0] == 0.0


# ----- object_properties -------------------------------------------------------------------------


def test_object_properties_replays_changes() -> None:
    from gymhub.envs.logic.families import object_properties as op

    start = [[3, "small", "red", "cube"], [2, "large", "red", "ball"], [1, "large", "blue", "cup"]]
    changes = [
        ["paint", {"kind": "cube"}, "blue"],
        ["resize", {"color": "blue", "size": "large"}, "small"],
        ["buy", 4, "large", "red", "ring"],
        ["lose", {"kind": "ball"}],
    ]
    groups = op.replay(start, changes)
    assert op.count(groups, {"color": "blue"}) == 4
    assert op.count(groups, {"size": "small"}) == 4
    assert op.count(groups, {"color": "red"}) == 4
    assert op.count(groups, {"kind": "ball"}) == 0
    t = task("object_properties", 5, 8)
    assert score("object_properties", t, f"{t.answer} or {t.answer + 1}")[0] == 0.0
    assert score("object_properties", t, f"{t.answer - 1} + 1")[0] == 0.0


# ----- dyck_reasoning_errors ---------------------------------------------------------------------


def test_dyck_reasoning_errors_judges_each_step_by_the_true_stack() -> None:
    from gymhub.envs.logic.families import dyck_reasoning_errors as dre

    assert dre.true_stacks("([])(") == ["(", "([", "(", "", "("]
    shown = ["(", "(", "(", "", "(["]  # step 2 and step 5 are wrong; step 3 is right again
    assert dre.wrong_steps("([])(", shown) == [2, 5]
    t = next(
        task("dyck_reasoning_errors", s, 9)
        for s in range(30)
        if len(task("dyck_reasoning_errors", s, 9).answer) >= 2
    )
    wrong = t.answer
    both = ", ".join(map(str, reversed(wrong)))
    assert score("dyck_reasoning_errors", t, both) == (1.0, "correct")
    assert score("dyck_reasoning_errors", t, "steps " + " and ".join(map(str, wrong)))[0] == 1.0
    assert score("dyck_reasoning_errors", t, f"{both}, {wrong[0]}")[0] == 0.0
    assert score("dyck_reasoning_errors", t, f"{wrong[0]} or {wrong[1]}")[0] == 0.0
    assert score("dyck_reasoning_errors", t, str(wrong[0]))[0] == 0.0


# ----- task_ordering and shortest_path -----------------------------------------------------------


def test_task_ordering_accepts_any_valid_order() -> None:
    from gymhub.envs.logic.families import task_ordering

    t = task("task_ordering", 0, 2)
    before = t.metadata["before"]
    valid = [
        p
        for p in itertools.permutations(t.metadata["tasks"])
        if not task_ordering.broken(list(p), before)
    ]
    assert len(valid) >= 2, "the test needs a task with several valid orders"
    for order in (valid[0], valid[-1]):
        assert score("task_ordering", t, " > ".join(order).lower()) == (1.0, "correct")
    invalid = next(p for p in itertools.permutations(t.metadata["tasks"]) if p not in set(valid))
    assert score("task_ordering", t, " ".join(invalid))[0] == 0.0
    assert score("task_ordering", t, " ".join(valid[0]) + " or B")[0] == 0.0


def test_shortest_path_accepts_every_shortest_route() -> None:
    from gymhub.envs.logic.families import shortest_path

    edges = [["A", "B", 1], ["B", "D", 2], ["A", "C", 2], ["C", "D", 1], ["A", "D", 4]]
    assert shortest_path.shortest(edges, "A", "D") == (3, ["A", "B", "D"])
    t = task("shortest_path", 0, 1)
    t.metadata.update(edges=edges, start="A", goal="D")
    assert score("shortest_path", t, "A B D") == (1.0, "correct")
    assert score("shortest_path", t, "a -> c -> d") == (1.0, "correct")
    assert score("shortest_path", t, "A D")[0] == 0.0  # a road, but 4 km
    assert score("shortest_path", t, "A C B D")[0] == 0.0  # no road C-B
    assert score("shortest_path", t, "A B D or A C D")[0] == 0.0


# ----- crossword_fill ----------------------------------------------------------------------------


def test_crossword_fill_checks_slots_not_a_stored_grid() -> None:
    t = task("crossword_fill", 0, 1)
    # two separate across slots of equal length: both placements of the two words are valid
    t.metadata.update(
        slots=[[0, 0, "across", 3], [2, 0, "across", 3]], words=["abc", "dfg"], shape=[3, 3]
    )
    assert score("crossword_fill", t, "abc\n...\ndfg") == (1.0, "correct")
    assert score("crossword_fill", t, "DFG\n. . .\nA B C") == (1.0, "correct")
    # with a down slot through both, the crossing letters must agree
    t.metadata.update(
        slots=[[0, 0, "across", 3], [2, 0, "across", 3], [0, 0, "down", 3]],
        words=sorted(["abc", "aed", "dfg"]),
    )
    assert score("crossword_fill", t, "abc\ne..\ndfg") == (1.0, "correct")
    assert score("crossword_fill", t, "dfg\ne..\nabc")[0] == 0.0  # down reads 'dea'
    assert score("crossword_fill", t, "abc\nex.\ndfg")[0] == 0.0  # a letter in an unused cell
    assert score("crossword_fill", t, "abc\ne..\ndfg\nabc")[0] == 0.0
    assert score("crossword_fill", t, "abc\ne..\ndfg or abc")[0] == 0.0


def test_crossword_fill_words_cross_and_do_not_touch() -> None:
    from gymhub.envs.logic.families import crossword_fill

    for seed in range(5):
        t = task("crossword_fill", seed, 10)
        cells = [c for s in t.metadata["slots"] for c in crossword_fill.slot_cells(s)]
        assert len(t.metadata["slots"]) == 12
        assert len(cells) > len(set(cells))  # words share crossing cells


# ----- space_reasoning_tree ----------------------------------------------------------------------


def test_space_reasoning_tree_replays_moves_and_emptying() -> None:
    from gymhub.envs.logic.families import space_reasoning_tree as srt

    parent = {"box": None, "bag": "box", "jar": "bag", "tin": None, "vial": "jar"}
    moves = [["move", "jar", "tin"], ["empty", "tin", "box"]]
    where = srt.replay(parent, moves)
    assert srt.chain(where, "vial") == ["box", "jar"]
    assert srt.chain(where, "tin") == []
    t = task("space_reasoning_tree", 0, 1)
    t.metadata.update(parent=parent, moves=moves, ask="vial")
    assert score("space_reasoning_tree", t, "box jar") == (1.0, "correct")
    assert score("space_reasoning_tree", t, "the box > the jar") == (1.0, "correct")
    assert score("space_reasoning_tree", t, "jar box")[0] == 0.0  # innermost first
    assert score("space_reasoning_tree", t, "box bag jar")[0] == 0.0  # the bag stayed behind
    assert score("space_reasoning_tree", t, "box jar or box bag jar")[0] == 0.0
    t.metadata.update(ask="tin")
    assert score("space_reasoning_tree", t, "none") == (1.0, "correct")


# ----- calendar_arithmetic -----------------------------------------------------------------------


def test_calendar_arithmetic_counts_leap_days() -> None:
    from gymhub.envs.logic.families import calendar_arithmetic as cal

    assert cal.result_date("2024-02-28", [[1, "days"]]).isoformat() == "2024-02-29"
    assert cal.result_date("2023-02-28", [[1, "days"]]).isoformat() == "2023-03-01"
    assert cal.result_date("2000-03-01", [[-1, "weeks"], [6, "days"]]).isoformat() == "2000-02-29"
    t = task("calendar_arithmetic", 0, 6)
    gold = str(t.answer)
    assert score("calendar_arithmetic", t, gold + ".") == (1.0, "correct")
    for bad in (f"{gold} or {gold}", "2023-02-30", gold.replace("-", "/"), f"{gold} {gold}"):
        assert score("calendar_arithmetic", t, bad)[0] == 0.0, bad


# ----- code_breaker ------------------------------------------------------------------------------


def test_code_breaker_scores_and_uniqueness() -> None:
    from gymhub.envs.logic.families import code_breaker as cb

    assert cb.score((1, 2, 3, 4), (1, 3, 2, 9)) == (1, 2)
    assert cb.score((1, 2, 3), (4, 5, 6)) == (0, 0)
    for seed in range(3):
        t = task("code_breaker", seed, 4)
        m = t.metadata
        fits = [
            c
            for c in itertools.permutations(range(m["digits"]), m["length"])
            if cb.consistent(c, m["guesses"])
        ]
        assert fits == [tuple(t.answer)]  # exactly one code fits: the proof behind the answer
    gold = " ".join(map(str, t.answer))
    assert score("code_breaker", t, gold.replace(" ", "")) == (1.0, "correct")
    assert score("code_breaker", t, f"{gold} or {gold}")[0] == 0.0
    repeated = " ".join([str(t.answer[0])] * len(t.answer))
    assert score("code_breaker", t, repeated)[0] == 0.0


# ----- base_conversion ---------------------------------------------------------------------------


def test_base_conversion_reads_the_target_base() -> None:
    from gymhub.envs.logic.families import base_conversion as bc

    assert bc.to_base(423, 16) == "1a7" and bc.to_base(0, 2) == "0" and bc.to_base(35, 36) == "z"
    t = task("base_conversion", 0, 6)
    gold = str(t.answer)
    assert score("base_conversion", t, gold.upper()) == (1.0, "correct")
    for bad in (
        "0" + gold,
        f"0x{gold}",
        f"{gold} or {gold}",
        f"{gold}z",
        str(t.metadata["numeral"]),
    ):
        assert score("base_conversion", t, bad)[0] == 0.0, bad


# ----- sliding_puzzle ----------------------------------------------------------------------------


def test_sliding_puzzle_solver_is_optimal_and_any_shortest_solution_scores() -> None:
    import collections

    from gymhub.envs.logic.families import sliding_puzzle as sp

    dist = {sp.GOAL: 0}
    queue = collections.deque([sp.GOAL])
    while queue:  # plain breadth-first search from the goal, 12 moves deep
        board = queue.popleft()
        if dist[board] == 12:
            continue
        for nxt in sp._neighbours(board):
            if nxt not in dist:
                dist[nxt] = dist[board] + 1
                queue.append(nxt)
    for board in sorted(dist)[::97]:
        path = sp.shortest_solution(board)
        assert path[0] == board and path[-1] == sp.GOAL and len(path) - 1 == dist[board]
    t = task("sliding_puzzle", 0, 1)
    t.metadata.update(board="1234.5786", optimum=2)  # blank at the centre: R then D
    assert score("sliding_puzzle", t, "R D") == (1.0, "correct")
    assert score("sliding_puzzle", t, "r,d") == (1.0, "correct")
    assert score("sliding_puzzle", t, "R D L R")[0] == 0.0  # solved, but not in the fewest
    assert score("sliding_puzzle", t, "U U")[0] == 0.0  # the second U leaves the board
    assert score("sliding_puzzle", t, "R U")[0] == 0.0  # unsolved
    assert score("sliding_puzzle", t, "R D or D R")[0] == 0.0


# ----- knapsack ----------------------------------------------------------------------------------


def test_knapsack_optimum_and_any_optimal_choice() -> None:
    import itertools as it

    from gymhub.envs.logic.families import knapsack

    for seed in range(3):  # the dynamic program agrees with brute force
        m = task("knapsack", seed, 5).metadata
        brute = max(
            sum(m["values"][i] for i in pick)
            for r in range(len(m["names"]) + 1)
            for pick in it.combinations(range(len(m["names"])), r)
            if sum(m["weights"][i] for i in pick) <= m["capacity"]
        )
        assert knapsack.best_value(m["weights"], m["values"], m["capacity"]) == brute
    t = task("knapsack", 0, 1)
    t.metadata.update(names=["a", "b", "c"], weights=[2, 2, 3], values=[3, 3, 6], capacity=4)
    assert score("knapsack", t, "a, b") == (1.0, "correct")  # value 6, weight 4
    t.metadata.update(capacity=3)
    assert score("knapsack", t, "c") == (1.0, "correct")
    assert score("knapsack", t, "A") == (0.0, "incorrect")  # fits, value 3 < 6
    assert score("knapsack", t, "a, b")[0] == 0.0  # too heavy
    assert score("knapsack", t, "c, c")[0] == 0.0
    assert score("knapsack", t, "c or a")[0] == 0.0
