"""Text verifiers (ExactMatch, MultipleChoice): hedges and guesses that were paid, right answers
in other wordings that scored 0, and linear time on hostile replies."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers.choice import MultipleChoice
from gymhub.verifiers.string_match import ExactMatch, doubted_after

_PLANETS = {"answer": "B", "choices": {"A": "Mercury", "B": "Venus", "C": "Mars", "D": "Jupiter"}}


@pytest.mark.parametrize(
    "hedge",
    [
        "B. Actually C.",  # a reply that opens with its pick, then takes it back
        "B. Wait, actually D.",
        "B, then C",
        "B. C is also plausible.",
        "B or c",  # the second letter in lower case
        "B, c",
        "<answer>B or c</answer>",
        "B / c",
    ],
)
def test_multiple_choice_second_pick_after_an_opening_letter_is_a_hedge(hedge):
    """These named a second option after the pick (or in lower case) and were paid as B."""
    assert MultipleChoice().verify(hedge, _PLANETS).status == "incorrect", hedge


@pytest.mark.parametrize(
    "guess",
    [
        "maybe B",
        "perhaps B",
        "probably B",
        "B maybe",
        "B, perhaps",
        "I guess B",
        "Venus, probably",
        "Answer: maybe B",
        "The answer is probably B.",
        "Answer: B, not sure.",
        "<answer>B, not sure</answer>",
        "\\boxed{maybe B}",
        "\\boxed{B}, I guess.",
        "<answer>B</answer> (not sure)",
    ],
)
def test_multiple_choice_a_pick_put_as_a_guess_is_not_paid(guess):
    verdict = MultipleChoice().verify(guess, _PLANETS)
    assert verdict.status == "incorrect", guess
    assert verdict.reward == 0.0


@pytest.mark.parametrize(
    "right",
    [
        "'B'",
        '"B"',
        "option b",
        "the answer is option b",
        "B. Venus is the hottest planet.",
        "B. It is hotter than A.",
        "B. Unlike A, it has a thick atmosphere.",
        "B - Venus, because of CO2.",
        "<answer>B</answer>\nProbably the most common mistake is A.",
        "\\boxed{B}. Perhaps surprisingly, it is not the closest planet.",
        "Definitely B.",
    ],
)
def test_multiple_choice_pays_these_right_picks(right):
    assert MultipleChoice().verify(right, _PLANETS).status == "correct", right


@pytest.mark.parametrize(
    "guess",
    [
        "<answer>Paris</answer> (not sure)",
        "<answer>Paris</answer>, I guess.",
        "<answer>Paris</answer>?",
        "\\boxed{Paris}, maybe",
        "<answer>Paris</answer> - probably",
    ],
)
def test_exact_match_an_answer_doubted_or_asked_after_its_tag_is_not_paid(guess):
    """The doubt after the tag or box was not read: these guesses were paid."""
    assert ExactMatch().verify(guess, "Paris").status == "incorrect", guess


def test_exact_match_a_remark_after_the_tag_on_a_later_line_keeps_the_answer():
    v = ExactMatch()
    assert v.verify("<answer>Paris</answer>\nPerhaps you knew it already.", "Paris").reward == 1
    assert v.verify("<answer>Paris</answer>. Probably the best-known city.", "Paris").reward == 1
    with pytest.raises(TypeError):
        doubted_after(None)  # type: ignore[arg-type]


def test_new_text_readers_are_linear_on_hostile_replies():
    mc, em = MultipleChoice(), ExactMatch()
    pieces = ("maybe ", "B ", "b or ", "B. ", "then ", "'", "not sure ", "(", ", ", "?")
    for piece in pieces:
        body = piece * (100_000 // len(piece))
        for text in (body, "B. " + body, body + " B", "<answer>Paris</answer>" + body):
            start = time.monotonic()
            mc.verify(text, _PLANETS)
            em.verify(text, "Paris")
            assert time.monotonic() - start < 2.0, (piece, text[:20])


_PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}


@pytest.mark.parametrize(
    "right",
    [
        '{"name": "Ada", "age": 36,}',
        '```json\n{"name": "Ada", "age": 36,}\n```',
        '```json\n{\n  "name": "Ada", // the name\n  "age": 36\n}\n```',
        '{"name": "Ada", /* c */ "age": 36}',
        '```json\n{\n  "name": "Ada",\n  "age": 36, // years\n}\n```',
        '<answer>{"name": "Ada", "age": 36, /* done */ }</answer>',
    ],
)
def test_json_with_comments_or_trailing_commas_is_read(right):
    """Hand-written JSON habits that change no value were `unparseable`: a right answer 0."""
    from gymhub.verifiers.json_schema import JsonSchemaVerifier

    v = JsonSchemaVerifier(_PERSON, match_reference=True)
    assert v.verify(right, {"name": "Ada", "age": 36}).status == "correct", right


def test_json_comment_markers_inside_strings_are_text():
    from gymhub.verifiers.json_schema import (
        JsonSchemaVerifier,
        without_comments_and_trailing_commas,
    )

    text = '{"u": "http://x.y/*z*/", "a": [1, 2,], "b": "q\\"//,]", /* x */}'
    assert without_comments_and_trailing_commas(text) == (
        '{"u": "http://x.y/*z*/", "a": [1, 2], "b": "q\\"//,]" }'
    )
    v = JsonSchemaVerifier({"type": "object"}, match_reference=True)
    assert v.verify('{"u": "a//b", "n": 1,}', {"u": "a//b", "n": 1}).status == "correct"
    assert v.verify('{"u": "a", // "n": 1\n}', {"u": "a", "n": 1}).status == "incorrect"
    with pytest.raises(TypeError):
        without_comments_and_trailing_commas(None)  # type: ignore[arg-type]


def test_json_relaxed_reading_is_linear():
    from gymhub.verifiers.json_schema import JsonSchemaVerifier

    v = JsonSchemaVerifier({"type": "object"})
    for piece in ("//", "/*", ",]", '"', '\\"', ",\n", '{"a": 1,', "*/"):
        body = piece * (200_000 // len(piece))
        for text in (body, "{" + body + "}", '```json\n{"a": 1,' + body + "}\n```"):
            start = time.monotonic()
            assert v.verify(text).status != "correct"
            assert time.monotonic() - start < 2.0, piece


@pytest.mark.parametrize(
    "filler",
    [
        '{"name": "", "age": 36}',
        '{"name": "   ", "age": 36}',
        '{"name": "...", "age": 36}',
        '{"name": "string", "age": 0}',
        '{"name": "<name>", "age": 36}',
        '{"name": "{{name}}", "age": 36}',
        '{"name": "TODO", "age": 36}',
        '{"name": "your name here", "age": 36}',
        '{"name": "Name", "age": 36}',
        '{"people": [{"name": "Ada", "age": 36}, {"name": "", "age": 1}]}',
    ],
)
def test_json_required_text_that_only_holds_a_place_is_not_paid(filler):
    """Valid against the schema, but the required text is a placeholder: it was paid."""
    from gymhub.verifiers.json_schema import JsonSchemaVerifier

    schema = (
        {"type": "object", "properties": {"people": {"type": "array", "items": _PERSON}}}
        if "people" in filler
        else _PERSON
    )
    verdict = JsonSchemaVerifier(schema).verify(filler)
    assert verdict.status == "incorrect" and "placeholder" in (verdict.detail or ""), filler
    assert JsonSchemaVerifier(schema, allow_placeholders=True).verify(filler).status == "correct"


def test_json_content_that_looks_like_a_placeholder_is_content():
    from gymhub.verifiers.json_schema import JsonSchemaVerifier

    v = JsonSchemaVerifier(_PERSON)
    assert v.verify('{"name": "Ada", "age": 36}').status == "correct"
    assert v.verify('{"name": "' + "." * 300 + 'Ada", "age": 36}').status == "correct"
    optional = {"type": "object", "properties": {"note": {"type": "string"}}}
    assert JsonSchemaVerifier(optional).verify('{"note": ""}').status == "correct"
    enum = {
        "type": "object",
        "properties": {"code": {"type": "string", "enum": ["", "x"]}},
        "required": ["code"],
    }
    assert JsonSchemaVerifier(enum).verify('{"code": ""}').status == "correct"
    deep = {"type": "object", "properties": {"a": {"$ref": "#"}}}
    assert JsonSchemaVerifier(deep).verify('{"a": ' * 90 + "{}" + "}" * 90).status == "correct"


@pytest.mark.parametrize(
    ("right", "reference"),
    [
        ("Paris is the capital of France.", "Paris"),
        ("<answer>Paris is the answer.</answer>", "Paris"),
        ("**Paris** is indeed the capital of France.", "Paris"),
        ("Paris is the capital of France, not Lyon.", "Paris"),
        ("France's capital is Paris.", "Paris"),
        ("Answer: It's Paris.", "Paris"),
        ("Answer: The capital of France is Paris.", "Paris"),
        ("### Answer\nParis", "Paris"),
        ("**Final Answer**\n\nParis", "Paris"),
        ("Washington D.C.", "Washington, D.C."),
        ("<answer>Washington DC</answer>", "Washington, D.C."),
        ("St Johns", "St. John's"),
    ],
)
def test_exact_match_pays_these_right_answers(right, reference):
    """A statement that gives the answer first, a possessive before the statement, a heading
    label and inner punctuation of an abbreviation scored 0."""
    assert ExactMatch().verify(right, reference).status == "correct", right


@pytest.mark.parametrize(
    "wrong",
    [
        "Paris or Lyon is the capital.",
        "Paris is the most likely answer.",
        "Paris is the first guess.",
        "Paris is the other option.",
        "Paris is not the capital.",
        "Maybe Paris is the capital.",
        "Paris is the capital; Lyon is the answer.",
        "Paris is the capital of France, but Lyon is also possible.",
        "France's capital is Paris or Lyon.",
        "France's capital is maybe Paris.",
        "### Answer\nParis\nLyon",
        "Paris is the capital?",
    ],
)
def test_exact_match_statements_that_weigh_or_hedge_stay_unpaid(wrong):
    assert ExactMatch().verify(wrong, "Paris").reward == 0.0, wrong


def test_exact_match_inner_marks_stay_inside_numbers():
    v = ExactMatch()
    assert v.verify("35", "3.5").reward == 0.0
    assert v.verify("1000", "1,000").reward == 0.0
    assert v.verify("3.5", "3.5").status == "correct"


def test_exact_match_statement_readers_are_linear():
    v = ExactMatch()
    for piece in ("Paris is the ", "France's ", "is the ", "answer\n", "#", "D.C. "):
        body = piece * (100_000 // len(piece))
        for text in (body, "### Answer\n" + body, "<answer>" + body + "</answer>"):
            start = time.monotonic()
            v.verify(text, "Paris")
            assert time.monotonic() - start < 2.0, piece


@pytest.mark.parametrize(
    "hedge",
    [
        "<answer>Paris</answer>\n\nFinal answer: Lyon",
        "<answer>Paris</answer>\nAnswer: Lyon",
        "\\boxed{Paris}\n\nSo the answer is Lyon.",
        "<answer>Paris</answer> No wait, Lyon.",
        "<answer>Paris</answer>\n\nHmm, Lyon.",
        "<answer>Paris</answer> Oops: New York",
    ],
)
def test_exact_match_another_answer_after_the_tag_is_a_hedge(hedge):
    """A later answer line or an interjection before another name was not read: paid."""
    assert ExactMatch().verify(hedge, "Paris").status == "incorrect", hedge


@pytest.mark.parametrize(
    "right",
    [
        "<answer>Paris</answer>\nFinal answer: **Paris**.",
        "<answer>Paris</answer> The answer is Paris because it is the seat of government.",
        "<answer>Paris</answer>. So the answer is the capital city.",
        "<answer>Paris</answer> Hmm, I think that is right.",
        "<answer>Paris</answer> Hmm, Paris it is.",
        "\\boxed{Paris}. The answer is Paris, the City of Light.",
    ],
)
def test_exact_match_a_restatement_or_remark_after_the_tag_keeps_the_answer(right):
    assert ExactMatch().verify(right, "Paris").status == "correct", right


@pytest.mark.parametrize(
    "hedge",
    [
        "<answer>B</answer> No wait, C.",
        "<answer>B</answer>\n\nHmm, C.",
        "The answer is B. No wait, D.",
        "<answer>B</answer> (C)",
        "<answer>B</answer> C",
        "\\boxed{B}, D",
    ],
)
def test_multiple_choice_another_letter_right_after_the_pick_is_a_hedge(hedge):
    """An interjection before another letter, or a letter alone after the tag, was paid."""
    assert MultipleChoice().verify(hedge, _PLANETS).status == "incorrect", hedge


@pytest.mark.parametrize(
    "right",
    [
        "<answer>B</answer> (B)",
        "The answer is B. There is no C here.",
        "The answer is B. Wait, let me check: B is right.",
        "The answer is B. No wait, B.",
        "<answer>B</answer>\nI",
        "\\boxed{B}; C, D are wrong",  # letters dismissed after the box are no second pick
        "\\boxed{B}, not C",
    ],
)
def test_multiple_choice_the_same_letter_or_a_remark_after_the_pick_keeps_it(right):
    assert MultipleChoice().verify(right, _PLANETS).status == "correct", right


def test_later_answer_readers_are_linear():
    mc, em = MultipleChoice(), ExactMatch()
    for piece in ("No wait, ", "Final answer: ", "\n", "Hmm ", "C ", ". ", "answer: Lyon\n"):
        body = piece * (100_000 // len(piece))
        for text in (
            "<answer>Paris</answer>" + body,
            "<answer>B</answer>" + body,
            "Answer: B. " + body,
        ):
            start = time.monotonic()
            mc.verify(text, _PLANETS)
            em.verify(text, "Paris")
            assert time.monotonic() - start < 2.0, piece


_CITIES = {
    "answer": "B",
    "choices": {"A": "Zürich", "B": "São Paulo", "C": "New York City", "D": "York"},
}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Sao Paulo", "correct"),  # accents and case aside, as ExactMatch compares
        ("SAO PAULO", "correct"),
        ("The answer is Sao Paulo.", "correct"),
        ("São Paulo or Zurich", "incorrect"),  # the second option without its umlaut: a hedge
        ("Zurich/São Paulo", "incorrect"),
        ("Sao Paulo?", "unparseable"),
    ],
)
def test_multiple_choice_option_texts_compare_without_accents(text, status):
    """`Sao Paulo` for `São Paulo` scored 0, and `São Paulo or Zurich` was paid: `Zurich` was
    not read as the option `Zürich`."""
    assert MultipleChoice().verify(text, _CITIES).status == status, text


def test_exact_match_refuses_a_missing_reference():
    """A task without its answer (`None`) was compared as the text "None": the reply "None"
    was paid. It is the caller's error now (an env reports it as its own failure)."""
    import gymhub
    from gymhub.types import Task

    v = ExactMatch()
    for missing in (None, [], ["Paris", None]):
        with pytest.raises(ValueError, match="needs a reference"):
            v.verify("None", missing)
    assert v.verify("Lutece", ("Paris", "Lutece")).status == "correct"
    with pytest.raises(TypeError):
        ExactMatch(normalize="yes")  # type: ignore[arg-type]
    env = gymhub.make("gymhub/Capitals-v0")
    env.reset(options={"task": Task(id="t", question="?", answer=None)})
    assert env.step("None")[4]["verdict"] == "infra_error"


@pytest.mark.parametrize("hedge", ["B or C!", "B or C?", "B or C?!", "Venus or C!"])
def test_multiple_choice_a_second_letter_before_an_exclamation_or_question_mark(hedge):
    """The second letter was not read before `!` or `?` (`B or C!` was paid as B)."""
    assert MultipleChoice().verify(hedge, _PLANETS).status == "incorrect", hedge


@pytest.mark.parametrize(
    "right", ["B!", "Answer: B!", "<answer>B!</answer>", "A good pick is Venus."]
)
def test_multiple_choice_an_exclaimed_pick_is_the_pick(right):
    assert MultipleChoice().verify(right, _PLANETS).status == "correct", right


def test_exact_match_names_of_the_same_answer_given_together_are_right():
    """`Vienna (Wien)` gives the reference and its alias (the same city): it scored 0. A name
    that is not one of them beside it stays a hedge; a list of references may hold different
    answers, so naming several of those is still a list of candidates."""
    v = ExactMatch()
    for right in ("Vienna (Wien)", "Wien / Vienna", "<answer>Vienna, also known as Wien</answer>"):
        assert v.verify(right, "Vienna", aliases=["Wien"]).status == "correct", right
    assert v.verify("<answer>Vienna</answer>\nAnswer: Wien", "Vienna", aliases=["Wien"]).reward == 1
    for wrong in ("Vienna (Graz)", "Vienna or Graz", "Vienna (Wien)?", "Vienna (Wien), not sure"):
        assert v.verify(wrong, "Vienna", aliases=["Wien"]).reward == 0.0, wrong
    assert v.verify("red or blue", ["red", "blue"]).reward == 0.0
    start = time.monotonic()
    v.verify("Vienna (" + "Wien / " * 20_000 + ")", "Vienna", aliases=["Wien"])
    assert time.monotonic() - start < 2.0
