"""Regressions of an adversarial audit of the non-math answer verifiers: wrong answers and
non-answers that were paid, right answers scored 0 for their form, and policy text that made a
verifier raise."""

from __future__ import annotations

import time

import pytest

import gymhub
from gymhub.tasks import JsonlSource
from gymhub.verifiers import (
    ExactMatch,
    FormatReward,
    JsonSchemaVerifier,
    MathVerifier,
    MultipleChoice,
    NumericVerifier,
    Weighted,
    extract_json,
)
from gymhub.verifiers.grounding import BoxIoU, ConstrainedBoxIoU, GroundingVerifier, PointInBox
from gymhub.verifiers.string_match import normalize_text

NASTY = ["\x00", "\ud800", "\udfff" * 50, "\u202e", "<answer>" * 10_000, "[" * 100_000, "x" * 10**6]


def test_exact_match_reads_the_answer_through_markdown_and_labels():
    v = ExactMatch()
    for right in (
        "**Paris**",
        "<answer>**Paris**</answer>",
        "<answer>*Paris*</answer>",
        "Answer: Paris",
        "**Answer:** Paris",
        "Final answer: **Paris**",
        "The answer is Paris.",
        "<answer>Answer: Paris</answer>",
        "\\boxed{\\text{Paris}}",
        "Pa\u200bris",
    ):
        assert v.verify(right, "Paris").status == "correct", right
    for wrong in (
        "not Paris",
        "Paris? No, Lyon",
        "<answer>not Paris</answer>",
        "The answer is not Paris",
        "<answer>~~Paris~~ Lyon</answer>",
        "<answer>~~Paris~~</answer>",  # struck through: retracted
        "Paris or Lyon",
        "<answer>Answer:</answer>",
        "The capital of France is Paris, or maybe Lyon.",
    ):
        assert v.verify(wrong, "Paris").reward == 0.0, wrong
    assert v.verify("<answer>**</answer>", "Paris").status == "unparseable"
    assert v.verify("-5", "5").reward == 0.0  # a minus sign is no hyphen between words


def test_exact_match_sees_an_answer_taken_back_or_doubled_after_its_tag():
    """A retraction or an alternative right after the tagged or boxed answer is a hedge (it was
    paid); an explanation after it, or a retraction that keeps it, is not."""
    v = ExactMatch()
    for hedged in (
        "<answer>Paris</answer> Actually, Lyon.",
        "<answer>Paris</answer>. Or possibly Lyon.",
        "<answer>Paris</answer> Wait, I mean Lyon.",
        "<answer>Paris</answer> It could also be Lyon.",
        "<answer>Paris</answer>\n\nAlternatively, Lyon.",
        "<answer>Paris</answer> (or Lyon)",
        "<answer>Paris</answer> or Lyon.",
        "\\boxed{Paris} Oops, actually it's Lyon.",
        "<answer>Paris</answer> Actually, that's right: Lyon.",
        "<answer>Paris</answer> Sorry, Lyon.",
        "<answer>Paris</answer> No. Lyon.",  # "No." takes it back: it keeps nothing
        # a doubt about the alternative does not take it back
        "<answer>Paris</answer> Or Lyon, I am not sure.",
        "<answer>Paris</answer> Actually, Lyon, but I am not sure.",
        "<answer>Paris</answer> It could also be Lyon, but I doubt it.",
        "<answer>Paris</answer> The answer might also be Lyon.",
    ):
        assert v.verify(hedged, "Paris").status == "incorrect", hedged
        assert v.verify(hedged, "Lyon").status == "incorrect", hedged
    for kept in (
        "<answer>Paris</answer> Paris is the capital of France.",
        "<answer>Paris</answer> Paris is actually the capital.",
        "<answer>Paris</answer> No, it cannot be Lyon.",
        "<answer>Paris</answer> I hope this helps!",
        "<answer>Paris</answer>, or so I believe.",
        "<answer>Paris</answer> (or Paris, France)",
        "\\boxed{Paris} since the government sits there.",
        # "actually" confirming the answer is no retraction (these scored 0)
        "<answer>Paris</answer> Actually, that's correct.",
        "<answer>Paris</answer> Actually, that is right!",
        "<answer>Paris</answer> Actually, this is a well-known fact.",
        "<answer>Paris</answer>\n\nIt could also be described as the City of Light.",
        "<answer>Paris</answer>\n\nThe answer may be surprising to some.",
        "<answer>Paris</answer> It might also be useful to know it is on the Seine.",
        "<answer>Paris</answer> Sorry if this was obvious.",
    ):
        assert v.verify(kept, "Paris").status == "correct", kept


def test_math_verifier_pays_an_answer_followed_by_a_doubt_or_a_check():
    """A doubt about the solver's own work ("unless I misread") is no condition of the problem,
    and a check in a later paragraph ("\n\nIf we double-check, 5 + 5 = 10") is no conditional
    second answer: both scored a right 5 as 0. A real condition stays a hedge."""
    v = MathVerifier()
    for kept in (
        "\\boxed{5} unless I made an arithmetic error.",
        "<answer>5</answer> unless I misread the question.",
        "\\boxed{5} (unless I'm mistaken)",
        "\\boxed{5} unless there is an error in my reading.",
        "\\boxed{5} unless otherwise specified.",
        "\\boxed{5}\n\nIf we double-check, 5 + 5 = 10, which matches.",
        # "actually" before working whose result is the answer restates it
        "<answer>5</answer> Actually, 2 + 3 = 5 indeed.",
        "\\boxed{5}. Actually, 2 + 3 = 5 indeed.",
        "\\boxed{5}. Another valid answer would be 6, but it fails the constraint.",
    ):
        assert v.verify(kept, "5").status == "correct", kept
    # the same number written another way beside the answer is no alternative (these scored 0)
    for kept, gold in (
        ("<answer>5</answer> (or 5.0)", "5"),
        ("\\boxed{0.5} (or 1/2)", "0.5"),
        ("\\boxed{\\frac{1}{2}} (or 0.5)", "1/2"),
    ):
        assert v.verify(kept, gold).status == "correct", kept
    for hedged, gold in (("<answer>5</answer> (or 6)", "5"), ("\\boxed{0.5} (or 1/3)", "0.5")):
        assert v.verify(hedged, gold).reward == 0.0, hedged
    for hedged in (
        "\\boxed{5} unless n = 0",
        "<answer>5</answer> unless n = 0",
        "\\boxed{5} unless i = 0",
        "\\boxed{5} unless I count zero, then 6",
        # a doubt that names another value is a hedge
        "\\boxed{5} unless I misread, then it would be 6.",
        "<answer>5</answer> unless I made an error; then 6.",
        "\\boxed{5} (unless I am wrong and it is 6)",
        "\\boxed{5} unless I erred, in which case it is six.",
        "\\boxed{5}. Unless otherwise specified; if n = 0 it is 6.",
        "\\boxed{5}; if zero counts, $6$.",
        "\\boxed{5}\nIf zero counts, 6.",
        "<answer>5</answer> Actually, 2 + 4 = 6.",
        "<answer>5</answer> Actually, 12 - 6 = 6 = 5.",
        "\\boxed{5}. Actually, 6, but I am not sure.",
        "\\boxed{5}. No. 6.",
        "\\boxed{5} (possibly 6, but not likely)",
        "<answer>5</answer> Or possibly 6, but I doubt it.",
    ):
        assert v.verify(hedged, "5").reward == 0.0, hedged


def test_an_unclosed_answer_tag_beside_a_closed_one_is_a_second_answer():
    """Tag readers read closed tags only, so `<answer>Paris</answer><answer>Lyon` and
    `<answer>Lyon<answer>Paris</answer></answer>` were read as Paris alone and paid; a tag left
    open or closed around another is a second answer. A `<answer>` named in a sentence is not,
    and the same answer written twice (case, a period) is one answer."""
    for v, gold, other in ((ExactMatch(), "Paris", "Lyon"), (MathVerifier(), "5", "6")):
        for hedged in (
            f"<answer>{gold}</answer><answer>{other}",
            f"<answer>{gold}</answer>\n<answer>{other}",
            f"<answer>{other}<answer>{gold}</answer></answer>",
        ):
            assert v.verify(hedged, gold).reward == 0.0, (v.name, hedged)
            assert v.verify(hedged, other).reward == 0.0, (v.name, hedged)
        for kept in (
            f"<answer>{gold}</answer>\nI used the <answer> tag as asked.",
            f"Put it in the <answer> tag: <answer>{gold}</answer>",
            f"<answer>{gold}</answer><answer>{gold}",
        ):
            assert v.verify(kept, gold).status == "correct", (v.name, kept)
    for same in (
        "<answer>Paris</answer><answer>paris</answer>",
        "<answer>Paris</answer><answer>Paris.",
    ):
        assert ExactMatch().verify(same, "Paris").status == "correct", same
    assert ExactMatch(normalize=False).verify(same, "Paris").status == "incorrect"


def test_exact_match_folds_letters_without_combining_marks_and_takes_aliases():
    assert normalize_text("København") == normalize_text("Kobenhavn")
    assert normalize_text("Łódź") == "lodz"
    assert normalize_text("Ulan-Bator") == normalize_text("Ulan Bator")
    assert normalize_text("N\u2019Djamena") == normalize_text("N'Djamena")
    v = ExactMatch()
    assert v.verify("<answer>Kiev</answer>", "Kyiv", aliases=["Kiev"]).status == "correct"
    assert v.verify("<answer>Lviv</answer>", "Kyiv", aliases=["Kiev"]).status == "incorrect"


def test_capitals_accepts_official_and_alternative_names():
    from gymhub.envs.basic.capitals import DATA

    source = JsonlSource(DATA)
    tasks = {t.answer: t for t in source.tasks}
    env = gymhub.make("gymhub/Capitals-v0")
    for gold, other in [
        ("Kyiv", "Kiev"),
        ("Copenhagen", "København"),
        ("Beijing", "Peking"),
        ("Mexico City", "Ciudad de México"),
        ("Ulaanbaatar", "Ulan Bator"),
        ("Bogota", "Bogotá"),
        ("Reykjavik", "Reykjavík"),
        ("Prague", "Praha"),
    ]:
        for answer in (other, f"**{gold}**", gold.upper()):
            env.reset(options={"task": tasks[gold]})
            assert env.step(f"<answer>{answer}</answer>")[1] == 1.0, (gold, answer)
        env.reset(options={"task": tasks[gold]})
        assert env.step(f"<answer>{gold} or {other}?</answer>")[1] == 0.0
        assert other not in env.reset(options={"task": tasks[gold]})[0].messages[-1].content


def test_multiple_choice_letters_named_only_to_be_dismissed():
    v = MultipleChoice()
    # the letter inside an explanation of why it is wrong is not the pick
    for dismissed in (
        "(A) is wrong because it ignores drag.",
        "Not (A): it ignores drag.",
        "B. (A) is wrong.",
        "A is incorrect.",
    ):
        assert v.verify(dismissed, "A").reward == 0.0, dismissed
    # and a right pick followed by why the others are wrong is no hedge
    for right in (
        "The answer is B. (A) is incorrect since it ignores drag, (C) fails too.",
        "The answer is (B); (A) and (C) are wrong.",
        "Options A, C and D are wrong, so the answer is B.",
        "The answer is B, C and D are wrong.",
        "A is out of the question; the answer is B",
    ):
        assert v.verify(right, "B").status == "correct", right
    for hedge in ("A or B. A is wrong.", "The answer is A or B, not C", "A, B, C, D"):
        assert v.verify(hedge, "B").reward == 0.0, hedge


def test_json_that_is_not_one_json_value_is_refused():
    schema = {
        "type": "object",
        "properties": {"age": {"type": "integer", "maximum": 150}, "score": {"type": "number"}},
        "required": ["age"],
    }
    v = JsonSchemaVerifier(schema)
    for bad in (
        '{"age": 200, "age": 36}',  # duplicate keys: parsers disagree on which one counts
        '{"age": 36, "score": NaN}',
        '{"age": 36, "score": Infinity}',
        '{"age": 36, "score": -Infinity}',
        '{"age": 36, "score": 1e400}',  # overflows to infinity
        '{"age": 1' + "0" * 5000 + "}",
        '{"a":' * 150 + "1" + "}" * 150,  # deeper than MAX_JSON_DEPTH
    ):
        assert v.verify(bad).status == "unparseable", bad[:40]
    assert JsonSchemaVerifier({"type": "number", "maximum": 10}).verify("NaN").reward == 0.0
    assert v.verify('{"age": 36, "score": 1e300}').status == "correct"
    with pytest.raises(ValueError, match="duplicate"):
        extract_json('{"a": 1, "a": 2}')


def test_json_formats_are_checked_and_true_is_not_one():
    dated = JsonSchemaVerifier({"type": "string", "format": "date"})
    assert dated.verify('"2024-02-29"').status == "correct"
    assert dated.verify('"not a date"').status == "incorrect"
    exact = JsonSchemaVerifier({"type": "array"}, match_reference=True)
    assert exact.verify("[true, 0]", [1, False]).status == "incorrect"
    assert exact.verify("[1.0, false]", [1, False]).status == "correct"
    whole = JsonSchemaVerifier({"type": "object"}, match_reference=True)
    assert whole.verify('{"b": 1, "a": [2]}', {"a": [2], "b": 1}).status == "correct"
    assert whole.verify('{"b": true, "a": [2]}', {"a": [2], "b": 1}).status == "incorrect"


def test_recursive_schema_on_deep_json_is_a_verdict_not_a_crash():
    tree = {"type": "object", "additionalProperties": {"$ref": "#"}}
    v = JsonSchemaVerifier(tree)
    assert v.verify('{"a":' * 90 + "{}" + "}" * 90).status == "correct"
    assert v.verify('{"a":' * 900 + "{}" + "}" * 900).status == "unparseable"


def test_grounding_off_screen_second_answer_is_still_a_hedge():
    gold = [100, 100, 200, 200]
    both = "[0, 0, 99999999, 99999999] [100, 100, 200, 200]"
    for v in (ConstrainedBoxIoU(), BoxIoU(), PointInBox(), GroundingVerifier()):
        assert v.verify(both, gold).reward == 0.0, v
    points = "click(" + "9" * 400 + ", 5) click(150, 150)"  # 400 digits overflow to inf
    assert PointInBox().verify(points, gold).reward == 0.0
    assert ConstrainedBoxIoU().verify("[0, 0, " + "9" * 400 + ", 5]", gold).reward == 0.0
    # the box-size constraint: a screen-covering box earns ~nothing, a degenerate one nothing
    assert ConstrainedBoxIoU().verify("[0, 0, 1920, 1080]", gold).reward < 0.001
    assert ConstrainedBoxIoU().verify("[150, 150, 150, 150]", gold).reward == 0.0
    assert ConstrainedBoxIoU().verify("[200, 200, 100, 100]", gold).status == "correct"


def test_format_reward_is_not_paid_for_an_empty_layout():
    f = FormatReward()
    for empty in (
        "<think></think><answer>4</answer>",
        "<think>\n</think><answer>4</answer>",
        "<think>...</think><answer>4</answer>",
        "<think>work</think><answer>.</answer>",
        "<think>work</think><answer>Answer:</answer>",
    ):
        assert f.verify(empty).reward == 0.0, empty
    assert f.verify("<think>2 + 2 = 4</think><answer>4</answer>").status == "correct"
    assert f.verify("<think>limit</think><answer>\u221e</answer>").status == "correct"
    assert FormatReward(think="optional", answer="boxed").verify("\\boxed{:}").reward == 0.0
    both = Weighted({"answer": (ExactMatch(), 0.8), "format": (FormatReward(), 0.2)})
    assert both.verify("<think></think><answer>:</answer>", "4").reward == 0.0


@pytest.mark.parametrize("junk", NASTY)
def test_policy_junk_never_raises(junk):
    verifiers = [
        (ExactMatch(), "Paris"),
        (MultipleChoice(), "B"),
        (FormatReward(), None),
        (JsonSchemaVerifier({"type": "object"}), None),
        (ConstrainedBoxIoU(), [1, 1, 5, 5]),
        (PointInBox(), [1, 1, 5, 5]),
        (GroundingVerifier(), [1, 1, 5, 5]),
    ]
    for verifier, reference in verifiers:
        verdict = verifier.verify(junk, reference)
        assert verdict.status not in ("infra_error", "error") and verdict.reward == 0.0


def test_dismissed_letter_scan_stays_linear_on_long_letter_lists():
    import time

    v = MultipleChoice()
    for junk in ("A, " * 20_000, "A and " * 20_000 + "are"):
        start = time.monotonic()
        assert v.verify(junk, "B").reward == 0.0
        assert time.monotonic() - start < 15  # quadratic, this took minutes


def test_pairwise_verdict_forms_are_read():
    v = MultipleChoice("AB")
    for right in (
        "[[A]]",
        "Final verdict: [[A]]",
        "\\boxed{Response A}",
        "\\boxed{\\text{Assistant A}}",
    ):
        assert v.verify(right, "A").status == "correct", right
    for hedge in ("[[A]] [[B]]", "[[A]] or [[B]]", "\\boxed{Response A or Response B}"):
        assert v.verify(hedge, "A").reward == 0.0, hedge


def test_multiple_choice_answer_taken_back_is_a_hedge():
    v = MultipleChoice()
    for retracted in (
        "The answer is B. Actually, it's A.",
        "\\boxed{B}. Oops, no: (A).",
        "<answer>B</answer> I mean, C.",
        "Answer: B. Correction: D.",
    ):
        assert v.verify(retracted, "B").reward == 0.0, retracted
        assert v.verify(retracted, "A").reward == 0.0, retracted
    for kept in (
        "The answer is B. Actually, B is right.",
        "The answer is B. Actually, I am sure.",
        "The answer is B. Actually, A is wrong.",
        "The answer is B. No, it cannot be A.",
        "The answer is B.\n\nActually, let me also check A: it fails.",
    ):
        assert v.verify(kept, "B").status == "correct", kept


def test_multiple_choice_option_named_in_the_reason_is_not_a_second_pick():
    """'B because C is too large' picks B (it scored 0 as a hedge between B and C); a reason
    that names another option as good too still is a hedge."""
    for v in (MultipleChoice(), MathVerifier()):
        for reasoned in (
            "The answer is B because C is too large.",
            "The answer is B, since C is too large.",
            "Answer: B because option C is too large",
            "The answer is (B) because (C) is too large.",
            "\\boxed{B} because (C) is too large",
            "The answer is B, as opposed to C.",
        ):
            assert v.verify(reasoned, "B").status == "correct", (v.name, reasoned)
            assert v.verify(reasoned, "C").reward == 0.0, (v.name, reasoned)
        for hedged in (
            "The answer is B because it could also be C.",
            "The answer is B because C works too.",
            "The answer is B, since C is correct as well.",
            "The answer is B or C because both fit.",
            "The answer is B, C because both fit.",
        ):
            assert v.verify(hedged, "B").reward == 0.0, (v.name, hedged)


# a pattern with nested alternatives backtracks exponentially on a string that almost matches:
# Python's `re` takes minutes on 60 characters and cannot be interrupted
EVIL_PATTERN = "^(a|aa)+$"


@pytest.mark.parametrize(
    "answer",
    [
        '{"name": "' + "a" * 60 + 'b"}',  # pattern
        '{"name": "aa", "' + "a" * 60 + 'b": 1}',  # patternProperties, additionalProperties
    ],
)
def test_a_backtracking_schema_pattern_cannot_stall_the_verifier(answer):
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "pattern": EVIL_PATTERN}},
        "patternProperties": {EVIL_PATTERN: {"type": "integer"}},
        "additionalProperties": False,
    }
    verifier = JsonSchemaVerifier(schema)
    start = time.monotonic()
    verdict = verifier.verify(answer)
    assert time.monotonic() - start < 15  # the budget is 0.5 s; the regex engine overshoots
    assert verdict.status == "incorrect" and verdict.reward == 0.0
    # the same keywords still accept and refuse as the schema says
    assert verifier.verify('{"name": "aaa", "aa": 3}').status == "correct"
    assert verifier.verify('{"name": "aaa", "aa": "x"}').status == "incorrect"
    assert verifier.verify('{"name": "aaa", "b": 3}').status == "incorrect"


@pytest.mark.parametrize(
    "answer",
    [
        "2.5 × 10^3",
        "2.5 x 10^{3}",
        "$2.5 \\times 10^{3}$",
        "2.5·10³",
        "<answer>2.5 * 10^3</answer>",
    ],
)
def test_numeric_answers_in_scientific_notation_are_read(answer):
    """A right number in the notation people write (it scored 0: read as 2.5, 10 and 3)."""
    assert NumericVerifier().verify(answer, "2500").status == "correct"
    assert NumericVerifier().verify(answer, "2.5").status == "incorrect"
    assert NumericVerifier().verify(answer.replace("10", "100"), "2500").status != "correct"


@pytest.mark.parametrize(
    "verifier", [GroundingVerifier(), PointInBox(), BoxIoU(), ConstrainedBoxIoU()]
)
def test_grounding_point_and_box_naming_two_targets_is_a_hedge(verifier):
    """A click and a box elsewhere were read as the click alone (paid 1.0) or the box alone."""
    gold = [100, 100, 200, 140]
    for hedge in ("click(150, 120) or [0, 0, 50, 50]", "[100, 100, 200, 140] or (10, 10)"):
        assert verifier.verify(hedge, gold).reward == 0.0, hedge
    # a box that describes the element and a click inside it name one target
    consistent = "The button is [100, 100, 200, 140], so click(150, 120)"
    assert verifier.verify(consistent, gold).status == "correct"


def test_question_mark_check_stays_linear_on_long_runs_of_end_marks():
    # the check for an answer put as a question ('Paris?') searched `[?][...]*$` from every
    # position: 40k question marks before a letter took 3.5 s, a 1 MB reply hours
    v = ExactMatch(normalize=True)
    for junk in ("?" * 300_000 + "x", "?." * 150_000 + "x", "?" * 300_000):
        start = time.monotonic()
        assert v.verify(junk, "Paris").reward == 0.0
        assert time.monotonic() - start < 15
    assert v.verify("**Paris?**", "Paris").reward == 0.0
    assert v.verify("Paris", "Paris").reward == 1.0


_CAPITALS = {"answer": "A", "choices": {"A": "Paris", "B": "Lyon", "C": "Marseille", "D": "Nice"}}


@pytest.mark.parametrize(
    "hedge",
    [
        "A) Lyon",  # the letter of one option, the text of another
        "(A) Lyon",
        "The answer is A: Lyon",
        "A. Lyon, the second city of France",
        "Answer: Paris or maybe Lyon",  # hedge words before the second option's text
        "Answer: Paris, or perhaps Lyon",
        "Answer: Paris. Actually, Lyon.",  # taken back to another option's text
        "Answer: A. Actually, it's Lyon.",
        "Answer: Paris. Then again, Lyon.",
        "\\boxed{A}. Lyon is also correct.",
        "Answer: A, but B also works.",  # a 'but' before the alternative offers it all the same
        "Answer: A. B works too.",
        "Answer: A, otherwise B.",
        "Answer: A. Alternatively (B).",
        "Answer: A or \u0412",  # a Cyrillic capital that looks like B, standing alone
        "Answer: A or \u0392",  # Greek
        "Answer: A\u200b or B",
    ],
)
def test_multiple_choice_hedges_with_option_texts_or_look_alike_letters(hedge):
    """These named a second option beside the pick and were paid as A."""
    assert MultipleChoice().verify(hedge, _CAPITALS).status == "incorrect", hedge


@pytest.mark.parametrize(
    "response",
    [
        "The answer is a city.",  # `a` is the article, not option a
        "The answer is a trick question.",
        "I think the answer is a tough call.",
    ],
)
def test_multiple_choice_never_reads_the_article_as_option_a(response):
    assert MultipleChoice().verify(response, _CAPITALS).reward == 0.0, response


@pytest.mark.parametrize(
    "right",
    [
        "<answer>a</answer>",  # a lone lower-case letter is the letter
        "\\boxed{a}",
        "Answer: (a)",
        "Answer: \uff21",  # full-width A
        "Answer: \u0410",  # a Cyrillic capital A alone
        "The answer is (a).",
        "(A) Paris",
        "A. Paris, the capital",
        "Answer: Paris. Actually, Paris is also the largest city.",
        "Answer: Paris. Lyon is not correct.",
        "Answer: A. B could be right, but it is not.",
        "Answer: Paris",
    ],
)
def test_multiple_choice_pays_a_right_pick_in_these_forms(right):
    assert MultipleChoice().verify(right, _CAPITALS).status == "correct", right


def test_multiple_choice_option_texts_inside_longer_ones_are_not_a_second_option():
    ref = {"answer": "A", "choices": {"A": "New York", "B": "York", "C": "Boston"}}
    v = MultipleChoice()
    assert v.verify("(A) New York", ref).status == "correct"
    assert v.verify("Answer: New York. Actually, New York City.", ref).status == "correct"
    assert v.verify("(A) York", ref).status == "incorrect"


def test_multiple_choice_new_readers_are_linear_on_hostile_runs():
    v = MultipleChoice()
    for piece in ("a ", "A) Lyon ", "or maybe ", "also works ", "\u0412 ", "\u200b", "Paris, "):
        text = "Answer: A. " + piece * (100_000 // len(piece))
        start = time.monotonic()
        v.verify(text, _CAPITALS)
        assert time.monotonic() - start < 2.0, piece


def test_exact_match_pays_the_answer_quoted_bracketed_or_stated_as_a_sentence():
    """These right answers scored 0: the answer wrapped in quotes, brackets or `$`, or stated
    as a short sentence about it."""
    v = ExactMatch()
    for right in (
        "<answer>\u00abParis\u00bb</answer>",
        "<answer>(Paris)</answer>",
        "<answer>$\\text{Paris}$</answer>",
        "<answer>\u201cParis\u201d</answer>",
        "<answer>It's Paris.</answer>",
        "<answer>It is Paris</answer>",
        "<answer>The capital of France is Paris.</answer>",
        "<answer>The capital is called Paris.</answer>",
    ):
        assert v.verify(right, "Paris").status == "correct", right
    for wrong in (
        "<answer>Lyon. It is Paris.</answer>",  # two answers
        "<answer>Lyon, it is Paris</answer>",
        "<answer>I think it is Paris</answer>",
        "<answer>It is not Paris</answer>",
        "<answer>It isn't Paris</answer>",
        "<answer>If it is Paris, then fine</answer>",
        "<answer>It is Paris or Lyon</answer>",
        "<answer>Lyon and it is Paris</answer>",
        "<answer>The capital is Paris?</answer>",
        "<answer>(Paris) or (Lyon)</answer>",
        "<answer>\u00abParis\u00bb \u00abLyon\u00bb</answer>",
        "<answer>It could be Paris</answer>",
        "<answer>Maybe it is Paris</answer>",
    ):
        assert v.verify(wrong, "Paris").reward == 0.0, wrong


def test_exact_match_sentence_forms_are_linear():
    v = ExactMatch()
    for piece in (" ", "a", "is ", "it's ", "(", "\u00ab", "$", "Paris is "):
        text = "<answer>" + piece * (100_000 // len(piece)) + "Paris</answer>"
        start = time.monotonic()
        v.verify(text, "Paris")
        assert time.monotonic() - start < 2.0, piece


def test_json_taken_back_after_its_tag_or_fence_is_a_hedge():
    """A retraction after the answer that gives another JSON value was ignored: the first
    value was paid (against an expected value, a right and a wrong one at once)."""
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    v = JsonSchemaVerifier(schema, match_reference=True)
    for hedge in (
        '```json\n{"a": 1}\n```\nActually, {"a": 2}.',
        '<answer>{"a": 1}</answer> Actually {"a": 2}',
        '<answer>{"a": 1}</answer>\n\nOr possibly {"a": 2}',
        '```json\n{"a": 1}\n```\nWait, I mean {"a": 2}.',
    ):
        assert v.verify(hedge, {"a": 1}).reward == 0.0, hedge
    for right in (
        '```json\n{"a": 1}\n```\nThis is {"a": 1} as asked.',
        '```json\n{"a": 1}\n```\nThe list [1, 2] in the question is not used.',
        '<answer>{"a": 1}</answer> Actually, that is correct.',
        '<answer>{"a": 1}</answer> Actually, {"a": 1} it is.',
    ):
        assert v.verify(right, {"a": 1}).status == "correct", right
    start = time.monotonic()
    v.verify('<answer>{"a": 1}</answer> Actually ' + "{" * 100_000, {"a": 1})
    v.verify('```json\n{"a": 1}\n```' + "```" * 30_000, {"a": 1})
    assert time.monotonic() - start < 2.0


def test_grounding_a_bare_pair_offered_after_the_click_is_a_second_answer():
    """`click(150, 150) or 10, 10` offered a second point without brackets and was paid."""
    g, ref = GroundingVerifier(), [100, 100, 200, 200]
    for hedge in (
        "click(150, 150) or 10, 10",
        "click(150, 150), or maybe at 10, 10.",
        "click(150, 150). Otherwise 12, 40.",
        "click(150, 150) alternatively: 300, 300",
    ):
        assert g.verify(hedge, ref).reward == 0.0, hedge
    for right in (
        "click(150, 150) or 150, 150",  # the same point again
        "click(150, 150) instead of 10, 10",
        "click(150, 150) because items 2, 3 sit there",
    ):
        assert g.verify(right, ref).status == "correct", right
    start = time.monotonic()
    for piece in ("or ", "or 1, ", "maybe at ", "1, "):
        g.verify("click(150, 150) " + piece * (100_000 // len(piece)), ref)
    assert time.monotonic() - start < 2.0


_PLANETS = {"answer": "C", "choices": {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}}


def test_multiple_choice_pays_the_option_text_stated_in_the_last_sentence():
    """The option's text written as a sentence (`It's Mars.`, `Mars is the answer.`) named no
    letter and was unparseable, though the option is unambiguous."""
    v = MultipleChoice()
    for right in (
        "It's Mars.",
        "The red planet is Mars.",
        "Mars is the answer.",
        "I pick Mars",
        "C - Mars",
        "The correct option is Mars",
        "Mercury is too hot. So it is Mars.",
        "Mars because of its iron oxide.",
    ):
        assert v.verify(right, _PLANETS).status == "correct", right
    for not_paid in (
        "Mars or Venus",
        "Mars and Venus are both red.",
        "Is it Mars?",
        "Maybe Mars.",
        "Mercury is too hot.",
        "It is not Venus.",
    ):
        assert v.verify(not_paid, _PLANETS).reward == 0.0, not_paid
    assert v.verify("It's Venus.", _PLANETS).status == "incorrect"


def test_multiple_choice_reads_a_pick_stated_in_plain_words():
    """A pick stated without an answer label or a box was unparseable: `C is correct.`,
    `I'd go with C.`, `Final: C`, the letter given first and then explained."""
    v = MultipleChoice()
    for right in (
        "C is correct.",
        "I'd go with C.",
        "Final: C",
        "Answer \u2014 C",
        "A? No. C.",
        "C\n\nBecause Mars is the red planet.",
        "C\n\nA is tempting but wrong.",
    ):
        assert v.verify(right, _PLANETS).status == "correct", right
    for not_paid in (
        "C\n\nHmm, D might be better.",  # a second pick after the first line
        "Is it C?",
        "A good question.",  # the article, no pick
        "<answer> </answer> C",  # an empty tag is an empty answer
        "C or D.",
    ):
        assert v.verify(not_paid, _PLANETS).reward == 0.0, not_paid


def test_multiple_choice_letter_set_off_with_another_options_text_is_a_hedge():
    v = MultipleChoice()
    for hedge in ("Answer: C (Venus)", "Answer: C - Venus", "The answer is C (Venus)."):
        assert v.verify(hedge, _PLANETS).status == "incorrect", hedge
    for right in ("Answer: C (Mars)", "Answer: C \u2014 Mars", "Answer: C: Mars"):
        assert v.verify(right, _PLANETS).status == "correct", right


@pytest.mark.parametrize(
    "listing",
    [
        "A. Mercury\nB. Venus\nC. Mars\nD. Jupiter",
        "Which planet is largest?\nA) Mercury\nB) Venus\nC) Mars\nD) Jupiter",
        "A\nB\nC\nD",
        "Mercury\nVenus\nMars\nJupiter",
        "Let me consider A, B, C and D. D.",
        "Options: Mercury, Venus, Mars, Jupiter",
    ],
)
def test_multiple_choice_pays_no_list_of_the_options(listing):
    """A reply that copies the options is no pick: read plainly, its last line was paid."""
    gold_last = {"answer": "D", "choices": _PLANETS["choices"]}
    assert MultipleChoice().verify(listing, gold_last).reward == 0.0


def test_multiple_choice_a_one_line_list_of_the_options_is_no_pick():
    """`A. Mercury B. Venus C. Mars D. Jupiter` (the options copied on one line) was read as
    `A. text` and paid whenever the gold was A."""
    v = MultipleChoice()
    for listing in (
        "A. Mercury B. Venus C. Mars D. Jupiter",
        "A) Mercury B) Venus C) Mars D) Jupiter",
        "Answer: A) Mercury B) Venus",
    ):
        gold_a = {"answer": "A", "choices": _PLANETS["choices"]}
        assert v.verify(listing, gold_a).reward == 0.0, listing
        assert v.verify(listing, "A").reward == 0.0, listing
    for right in ("A) Mercury", "A. Mercury, the closest planet.", "A) Mercury. It is not B."):
        assert v.verify(right, "A").status == "correct", right


_PLANET_OPTIONS = {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}


@pytest.mark.parametrize(
    ("response", "paid"),
    [
        # a last sentence that negates only some clauses picks with the others (these were
        # unparseable: a right pick scored 0)
        ("Neither A nor B; it's C.", True),
        ("It's Mars, not Venus.", True),
        ("Not Venus but Mars.", True),
        ("Mars is correct, Venus is wrong.", True),
        ("It's Mars - not Venus.", True),
        # the picking clauses still name one option, and doubt still picks nothing
        ("It's not Mars, it's Venus.", False),
        ("Not A; B or C.", False),
        ("C; no wait, D.", False),
        ("C, not sure.", False),
        ("Mars, or if not, Jupiter.", False),
        ("It's Mars, maybe Venus.", False),
        ("The answer is not A, not B; it's C or D.", False),
    ],
)
def test_multiple_choice_reads_the_pick_beside_negated_clauses(response, paid):
    from gymhub.verifiers.choice import MultipleChoice

    verdict = MultipleChoice().verify(response, "C", choices=_PLANET_OPTIONS)
    assert (verdict.reward > 0) == paid, verdict


def test_multiple_choice_takes_choices_as_a_list_and_names_a_bad_type():
    from gymhub.verifiers.choice import MultipleChoice

    texts = list(_PLANET_OPTIONS.values())
    assert MultipleChoice().verify("Mars", "C", choices=texts).status == "correct"
    assert MultipleChoice().verify("Mars", {"answer": "C", "choices": texts}).status == "correct"
    with pytest.raises(TypeError, match="choices must be a mapping"):
        MultipleChoice().verify("C", "C", choices="ABCD")


@pytest.mark.parametrize(
    ("response", "paid"),
    [
        # another value ruled out after the answer (these scored 0)
        ("Paris, not Lyon", True),
        ("It is Paris, not Lyon.", True),
        ("Paris, and not Lyon.", True),
        ("<answer>Paris, not Lyon</answer>", True),
        # the answer ruled out, a doubt, or two answers before the clause stay unpaid
        ("Lyon, not Paris.", False),
        ("Paris, not sure", False),
        ("Paris, not 100% sure", False),
        ("Paris or Lyon, not Nice", False),
        ("Paris, Lyon, not Nice", False),
        ("Maybe Paris, not Lyon", False),
    ],
)
def test_exact_match_reads_an_answer_with_another_value_ruled_out(response, paid):
    from gymhub.verifiers.string_match import ExactMatch

    verdict = ExactMatch().verify(response, "Paris")
    assert (verdict.reward > 0) == paid, verdict
