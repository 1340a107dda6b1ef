"""Right answers written the ordinary way models write them: the answer, then a check or a
restatement of the same value after it ("Wait, 12 is right.", "Final answer: 12 apples"). The
rules that refuse a second answer after the tag must not read these as one."""

from __future__ import annotations

import time

import pytest

import gymhub
from gymhub.envs.basic.unit_convert import UnitAnswerVerifier
from gymhub.envs.toy.arith import ToyAnswerVerifier
from gymhub.verifiers.string_match import ExactMatch, final_answer_text, later_answers


@pytest.mark.parametrize(
    "reply",
    [
        "<answer>12</answer> Wait, 12 is right.",
        "<answer>12</answer>\n\nWait, 12 is correct? Let me verify: 7+5=12. Yes.",
        "<answer>12</answer>\nHmm, 12 checks out.",
        "<answer>12</answer>\nOh, 12 is definitely right.",
        "<answer>12</answer>\nFinal answer: 12 apples",
        "<answer>12</answer>\n\nSo the answer is 12 apples.",
        "\\boxed{12}\n\nFinal answer: 12.0",
        "<answer>12</answer>\nNo wait, 12 is indeed the answer.",
    ],
)
def test_the_same_number_checked_after_the_tag_is_no_second_answer(reply):
    """These scored 0 (a 'second answer') although every value they state is 12."""
    assert ExactMatch().verify(reply, "12").status == "correct", reply
    assert final_answer_text(reply) == "12", reply
    assert ToyAnswerVerifier().verify(reply, "12").reward == 1.0, reply


def test_a_decimal_checked_after_the_tag_is_read_whole():
    """`Wait, 3.5 is right.` was read as the value 3 (cut at the dot): a second answer."""
    assert ExactMatch().verify("<answer>3.5</answer>\nWait, 3.5 is right.", "3.5").reward == 1.0
    assert later_answers("<answer>3.5</answer>\nNo wait, 3.6.") == ["3.6"]


@pytest.mark.parametrize(
    "hedge",
    [
        "<answer>12</answer> Wait, 12 is wrong, it is 13.",
        "<answer>12</answer>\nWait, 13 is right.",
        "<answer>12</answer>\nFinal answer: 12 or so",
        "<answer>12</answer>\nFinal answer: 13 apples",
        "<answer>12</answer>\nFinal answer: 12 or 13",
        "<answer>12</answer>\nFinal answer: 12 to 13",
        "<answer>12</answer>\nHmm, 12 is not right.",
        "<answer>3.5</answer>\nNo wait, 3.6.",
        "<answer>12</answer>\nNo wait, 13.",
    ],
)
def test_another_value_after_the_tag_stays_a_hedge(hedge):
    assert ExactMatch().verify(hedge, "12" if "12" in hedge else "3.5").reward == 0.0, hedge
    assert final_answer_text(hedge) == "", hedge


def test_a_wrong_value_said_to_be_right_after_a_name_is_a_second_answer():
    assert (
        ExactMatch().verify("<answer>Paris</answer>\nWait, Lyon is correct.", "Paris").reward == 0.0
    )
    assert (
        ExactMatch().verify("<answer>Paris</answer>\nWait, Paris is correct.", "Paris").reward
        == 1.0
    )


def test_unit_convert_pays_its_answer_checked_after_the_tag():
    v = UnitAnswerVerifier(rel_tol=1e-4)
    for right in (
        "<answer>2.3868e+07 s</answer>\nWait, 2.3868e+07 s is right.",
        "<answer>2.3868e+07 s</answer>\nHmm, 2.3868e+07 checks out.",
    ):
        assert v.verify(right, 2.3868e7, unit="s").reward == 1.0, right
    wrong = "<answer>2.3868e+07 s</answer>\nWait, 2.4e+07 s is right."
    assert v.verify(wrong, 2.3868e7, unit="s").reward == 0.0


def test_guess_number_reads_a_guess_restated_as_the_guess():
    env = gymhub.make("gymhub/GuessNumber-v0", difficulty=1)
    env.reset(seed=0)
    secret = int(env.task.answer)
    assert env.step(f"<answer>{secret}</answer>\nWait, {secret} is my guess.")[1] == 1.0


@pytest.mark.parametrize("piece", [" is right", "1", " ", "12 ", "Wait, ", "1,"])
def test_later_value_readers_are_linear(piece):
    reply = "<answer>12</answer>\nWait, " + piece * (100_000 // len(piece))
    start = time.perf_counter()
    ExactMatch().verify(reply, "12")
    final_answer_text(reply)
    assert time.perf_counter() - start < 1.0


_PLANETS = {"answer": "B", "choices": {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}}


def test_multiple_choice_pick_given_first_then_explained_is_that_pick():
    """`B` on its first line, then an explanation that mentions Mercury `(A)` in passing, was
    read from its last line as the pick A: the right B scored 0, and the same reply was paid
    when the gold was A."""
    from gymhub.verifiers.choice import MultipleChoice

    reply = (
        "B\n\nExplanation: Venus has a dense atmosphere. Mercury, though closer (A), cannot "
        "retain heat."
    )
    assert MultipleChoice().verify(reply, _PLANETS).reward == 1.0
    assert MultipleChoice().verify(reply, {**_PLANETS, "answer": "A"}).reward == 0.0
    for right in ("(B)\n\nBecause Venus traps heat.", "B\n\nVenus has the thickest atmosphere."):
        assert MultipleChoice().verify(right, _PLANETS).reward == 1.0, right
    for hedge in ("B\n\nActually, C is right.", "B\n\nC is also plausible.", "B.\n\nOr maybe C."):
        assert MultipleChoice().verify(hedge, _PLANETS).status == "incorrect", hedge
        assert MultipleChoice().verify(hedge, {**_PLANETS, "answer": "C"}).reward == 0.0, hedge


@pytest.mark.parametrize("body", ["(A) ", "A", ".", "B\n", "Mercury ", "1"])
def test_first_line_pick_reader_is_linear(body):
    from gymhub.verifiers.choice import MultipleChoice

    reply = "B\n" + body * (100_000 // len(body))
    start = time.perf_counter()
    MultipleChoice().verify(reply, _PLANETS)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "value",
    [
        {"emoji": "\U0001f389"},
        {"currency_symbol": "\u20ac"},
        {"operator": "+"},
        {"symbol": "%"},
        {"symbol": "#"},
        {"tag": "<div>"},
        {"tag": '<a href="https://example.com">'},
        {"type": "string"},
        {"field": "email", "data_type": "string"},
    ],
)
def test_json_symbols_html_tags_and_type_names_are_content(value):
    """Real answers scored 0 as 'placeholders': a sign or emoji (read as punctuation only), an
    HTML tag (read as a `<name>` template), `"string"` for a property that names a type."""
    import json

    from gymhub.verifiers.json_schema import JsonSchemaVerifier

    schema = {
        "type": "object",
        "properties": {k: {"type": "string"} for k in value},
        "required": list(value),
    }
    verdict = JsonSchemaVerifier(schema).verify(json.dumps(value, ensure_ascii=False))
    assert verdict.status == "correct", (value, verdict)


@pytest.mark.parametrize(
    "value",
    [
        {"name": ""},
        {"name": "..."},
        {"name": "\u2026"},
        {"name": "?"},
        {"name": "-"},
        {"name": "\u200b"},
        {"name": "string"},
        {"name": "<name>"},
        {"title": "<title>"},
        {"name": "<your name>"},
        {"name": "name"},
    ],
)
def test_json_placeholders_stay_refused(value):
    import json

    from gymhub.verifiers.json_schema import JsonSchemaVerifier

    schema = {
        "type": "object",
        "properties": {k: {"type": "string"} for k in value},
        "required": list(value),
    }
    assert JsonSchemaVerifier(schema).verify(json.dumps(value)).status == "incorrect", value


def test_guess_number_prose_around_the_guess_bounds_nothing():
    """'Let me know if it's higher or lower' and 'Let me think about it' anywhere in the reply
    made the guess no guess (the approximate words were read in the whole reply); they bound
    the guess only when said of the number itself."""
    env = gymhub.make("gymhub/GuessNumber-v0", difficulty=1)
    env.reset(seed=0)
    secret = int(env.task.answer)
    for guess in (
        f"Guess: {secret}\n\nLet me know if it's higher or lower.",
        f"Let me think about it. My guess is {secret}.",
        f"{secret}\n\nTell me whether it's more or less.",
    ):
        env.reset(seed=0)
        assert env.step(guess)[1] == 1.0, guess
    for hedge in (
        f"about **{secret}**",
        f"around: {secret}",
        f"{secret}, or higher",
        f"**{secret}** or so",
        f"{secret} or more",
        f"My guess is about {secret}.",
    ):
        env.reset(seed=0)
        _, reward, _, _, info = env.step(hedge)
        assert (reward, info["verdict"]) == (0.0, "unparseable"), hedge


@pytest.mark.parametrize("piece", ["about ", "7 ", "7, or ", "around:", "1" * 50])
def test_guess_number_bound_words_are_linear(piece):
    env = gymhub.make("gymhub/GuessNumber-v0", difficulty=1)
    env.reset(seed=0)
    start = time.perf_counter()
    env.step(piece * (100_000 // len(piece)))
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "remark",
    [
        "No, I'm confident.",
        "Nope, that's it.",
        "No, that's correct.",
        "Nope, nothing else to add.",
        "No, I'm sure.",
        "Nope \u2014 that's final.",
        "No, this checks out.",
        "No, confirmed.",
        "Nope, no errors.",
        "Scratch that, it's fine.",
    ],
)
def test_a_retraction_word_that_confirms_the_answer_keeps_it(remark):
    """A check after the answer that opens like a retraction but confirms it ('No, that's
    correct.', 'Nope, that's it.') was a second candidate: the right answer scored 0."""
    reply = f"<answer>Paris</answer>\n{remark}"
    assert ExactMatch().verify(reply, "Paris").reward == 1.0, remark
    assert final_answer_text(reply) == "Paris", remark


def test_my_mistake_as_a_subject_is_no_retraction():
    """'My mistake was in step 2, which I fixed above.' after the answer read as 'My mistake, 2.':
    a second answer (math and text policies)."""
    from gymhub.verifiers.math_verifier import MathVerifier

    remark = "My mistake was in step 2, which I fixed above."
    assert MathVerifier().verify(f"The answer is \\boxed{{12}}.\n{remark}", "12").reward == 1.0
    assert ExactMatch().verify(f"<answer>Paris</answer>\n{remark}", "Paris").reward == 1.0
    for hedge in ("My mistake, 13.", "My bad: 13.", "My mistake \u2014 13."):
        assert MathVerifier().verify(f"\\boxed{{12}} {hedge}", "12").reward == 0.0, hedge
    for hedge in (
        "No, I'm sure it's Lyon.",
        "Nope, Lyon.",
        "No, that's wrong.",
        "My mistake, Lyon.",
    ):
        assert ExactMatch().verify(f"<answer>Paris</answer>\n{hedge}", "Paris").reward == 0.0, hedge


@pytest.mark.parametrize("piece", ["No, ", "nope ", "Wait, no, ", "My mistake ", "-"])
def test_confirmation_reader_is_linear(piece):
    reply = "<answer>Paris</answer>\n" + piece * (100_000 // len(piece))
    start = time.perf_counter()
    ExactMatch().verify(reply, "Paris")
    assert time.perf_counter() - start < 1.0


def test_multiple_choice_the_options_weighed_then_the_pick():
    """'Between A and B, B is correct since Venus is hotter.' read A and B both (a hedge)."""
    from gymhub.verifiers.choice import MultipleChoice

    for right in (
        "Between A and B, B is correct since Venus is hotter.",
        "Of A and B, B is right.",
        "Between A and B, I pick B.",
    ):
        assert MultipleChoice().verify(right, _PLANETS).reward == 1.0, right
    for hedge in ("Between A and B, both work.", "Between A and B, C is correct."):
        assert MultipleChoice().verify(hedge, _PLANETS).reward == 0.0, hedge


@pytest.mark.parametrize(
    "hedge",
    ["Between A and B.", "between A and B", "It is between A and B.", "Somewhere between A and B."],
)
def test_multiple_choice_a_letter_joined_to_the_pick_is_a_second_pick(hedge):
    """'Between A and B.' read only the letter after 'and' and was paid as B."""
    from gymhub.verifiers.choice import MultipleChoice

    for gold in ("A", "B"):
        assert MultipleChoice().verify(hedge, {**_PLANETS, "answer": gold}).reward == 0.0, hedge


@pytest.mark.parametrize("piece", ["A and ", "A or B ", "Between A and B, ", "(A) / "])
def test_joined_letter_readers_are_linear(piece):
    from gymhub.verifiers.choice import MultipleChoice

    start = time.perf_counter()
    MultipleChoice().verify(piece * (100_000 // len(piece)), _PLANETS)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "right",
    [
        "The answer is B, not A or C.",
        "B (not A, C or D)",
        "Answer: B (A and C are wrong)",
        "Answer: B, but not A and C.",
    ],
)
def test_multiple_choice_the_pick_then_the_options_it_rules_out(right):
    """The pick with a list of the options it rules out scored 0: only the first letter after
    'not' was ruled out ('B, not A or C' read B or C), and a dismissal opening a parenthesis
    ('B (A and C are wrong)') lost its first letter."""
    from gymhub.verifiers.choice import MultipleChoice

    assert MultipleChoice().verify(right, _PLANETS).reward == 1.0, right
    assert MultipleChoice().verify(right, {**_PLANETS, "answer": "C"}).reward == 0.0, right


@pytest.mark.parametrize("piece", ["B, not ", "A or ", "(A and ", "B, not A, ", "B (not A "])
def test_ruled_out_list_reader_is_linear(piece):
    from gymhub.verifiers.choice import MultipleChoice

    start = time.perf_counter()
    MultipleChoice().verify("B " + piece * (100_000 // len(piece)), _PLANETS)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("reply", "ref"),
    [
        ("The answer is Paris. Hope this helps!", "Paris"),
        ("Paris. Let me know if you need anything else.", "Paris"),
        ("Answer: 12\n\nLet me double-check: 5 + 7 = 12. Yes.", "12"),
        ("Paris.\n\nIs there anything else I can help with?", "Paris"),
        ("The capital of France is Paris. I hope this helps!", "Paris"),
        ("**Paris**\n\nLet me verify: Paris is the capital of France. \u2713", "Paris"),
        ("Answer: 12\n\n5 + 7 = 12.", "12"),
        ("Paris. That's correct.", "Paris"),
        ("12\n\nChecking: 12 is right. Feel free to ask if you have more questions.", "12"),
        ("Answer: 12. So the answer is 12. Thanks for asking!", "12"),
        ("Paris \U0001f60a", "Paris"),
        ("Paris. Hope this helps! \U0001f60a", "Paris"),
        ("12\n\nVerification: 5 + 7 = 12 \u2713", "12"),
        ("12. Double-checking: 7 + 5 = 12, correct.", "12"),
        ("Paris. Let me know if there's anything else!", "Paris"),
        ("12\n\nThat's it!", "12"),
        ("Paris!\n\nGood luck with your quiz!", "Paris"),
        ("The answer is 12. This is correct because 5 + 7 = 12.", "12"),
        ("Answer: 12\n\nLet me double-check: 5 + 7 = 12. Yes, 12 is correct.", "12"),
    ],
)
def test_a_whole_text_answer_with_a_closing_after_it_is_the_answer(reply, ref):
    """A reply without a tag or box is read whole; a pleasantry or a check that gets the same
    answer after it made the whole reply the answer, and a right answer scored 0."""
    assert ExactMatch().verify(reply, ref).status == "correct", reply
    text = final_answer_text(reply)
    assert ref in text and len(text) < len(reply) and reply.startswith(text), reply
    if ref.isdigit():
        assert ToyAnswerVerifier().verify(reply, ref).reward == 1.0, reply


@pytest.mark.parametrize(
    ("reply", "ref"),
    [
        ("The answer is Paris. Or maybe Lyon.", "Paris"),
        ("Paris. Not sure though.", "Paris"),
        ("Answer: 12\n\nActually 13.", "12"),
        ("Answer: 12\n\nLet me double-check: 5 + 7 = 13.", "12"),
        ("Answer: 12\n\nLet me double-check: 5 + 7 = 12. Or 13?", "12"),
        ("Answer: 12\n\nCheck: 12 or 13.", "12"),
        ("Paris. Hope this helps, but not sure.", "Paris"),
        ("Paris. Yes, Lyon.", "Paris"),
        ("Paris. Let me know if you think it is Lyon.", "Paris"),
        ("Paris? Hope this helps!", "Paris"),
        ("Maybe Paris. Hope this helps!", "Paris"),
        ("Paris or Lyon. Hope this helps!", "Paris"),
        ("Paris. Hope this helps! Or Lyon.", "Paris"),
        ("Answer: 12\n\nLet me double-check: 5 + 7 = 12. No wait, 13.", "12"),
        ("Paris. Lyon is correct.", "Paris"),
        ("12\n\nCheck: 5 + 7 = 13 \u2713", "12"),
        ("Paris. Good luck with Lyon!", "Paris"),
        ("Paris \U0001f60a Lyon", "Paris"),
    ],
)
def test_a_second_answer_doubt_or_hedge_after_a_whole_text_answer_still_blocks_it(reply, ref):
    assert ExactMatch().verify(reply, ref).reward == 0.0, reply
    if ref.isdigit():
        assert ToyAnswerVerifier().verify(reply, ref).reward < 1.0, reply


def test_a_degree_sign_or_other_symbol_after_the_answer_stays_part_of_it():
    """Only emoji and check marks are dropped from the end: `90°` is not `90`."""
    assert ExactMatch().verify("90\u00b0", "90\u00b0").status == "correct"
    assert ExactMatch().verify("90\u00b0", "90").status == "incorrect"


def test_guess_number_and_unit_convert_read_an_answer_before_its_closing():
    assert final_answer_text("42. Let me double-check: 40 + 2 = 42. Good luck!") == "42."
    reply = "Answer: 5 km\n\nLet me double-check: 5000 m = 5 km. Hope this helps!"
    assert UnitAnswerVerifier().verify(reply, 5, unit="km").status == "correct"


@pytest.mark.parametrize(
    "piece",
    [
        *("Yes. ", ". ", " ", "5 + ", "= 12 ", "Hope this helps! ", "Let me check: ", "12. "),
        *("\U0001f60a", "\u2713 ", ", correct", "good luck with your ", "yes yes "),
    ],
)
def test_closing_reader_is_linear(piece):
    for size in (1_400, 100_000):
        reply = "Answer: 12\n\n" + piece * (size // len(piece))
        start = time.perf_counter()
        ExactMatch().verify(reply, "12")
        final_answer_text(reply)
        assert time.perf_counter() - start < 1.0, (piece, size)


@pytest.mark.parametrize(
    ("reply", "ref"),
    [
        ("<answer>Paris</answer> Hope this helps! Or Lyon.", "Paris"),
        ("<answer>12</answer>\n\nCheck: 5 + 7 = 12. Actually 13.", "12"),
        ("\\boxed{12}\n\nLet me verify: 5 + 7 = 12.\nNo wait, 13.", "12"),
        ("<answer>Paris</answer> Thanks for asking! Correction: Lyon.", "Paris"),
    ],
)
def test_another_answer_opening_a_later_sentence_after_the_tag_is_a_hedge(reply, ref):
    """A closing between the tag and another answer hid it: only the text right after the tag
    was read for `Or Lyon.` / `Actually 13.`, so the first answer was paid."""
    assert ExactMatch().verify(reply, ref).reward == 0.0, reply
    assert final_answer_text(reply) == "", reply


@pytest.mark.parametrize(
    "reply",
    [
        "<answer>Paris</answer> Paris is the capital of France. Oh, and it is also its largest city.",
        "<answer>Paris</answer> I checked a map. Or, to be precise, two maps.",
        "<answer>Paris</answer> Hope this helps! Oh, Paris is lovely in spring.",
    ],
)
def test_a_later_sentence_with_such_an_opener_but_no_other_answer_keeps_it(reply):
    assert ExactMatch().verify(reply, "Paris").status == "correct", reply


def test_unit_convert_refuses_another_quantity_after_a_closing():
    reply = "<answer>5 km</answer> Hope this helps! Or 6 km."
    assert UnitAnswerVerifier().verify(reply, 5, unit="km").reward == 0.0


@pytest.mark.parametrize("piece", [". Or ", ". Actually ", "\n", ". No wait no wait ", "! Hmm, "])
def test_later_sentence_reader_is_linear(piece):
    reply = "<answer>12</answer>" + piece * (100_000 // len(piece))
    start = time.perf_counter()
    ExactMatch().verify(reply, "12")
    later_answers(reply)
    assert time.perf_counter() - start < 1.0, piece
