"""One answer-extraction module: the same responses through every answer-reading verifier.

Each row is a response template with `{a}` standing for an answer; it says what the answer is
under the `text`/`final_answer` policies (boxes count), under the `tag` policy (logic families:
only `<answer>` tags count) and under the `json` reader (tags, fences or bare JSON; boxes are not
JSON): the value, HEDGE (several different answers) or NONE.
Every verifier must then pay exactly when that value is its gold, and nothing for a hedge or
no answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gymhub.envs.logic.families.arithmetic_chain import ArithmeticChain
from gymhub.verifiers import (
    ExactMatch,
    JsonSchemaVerifier,
    MathVerifier,
    MultipleChoice,
    NumericVerifier,
)
from gymhub.verifiers.extract import extract

A, HEDGE, NONE = "a", "hedge", "none"

# template, answer under the box-reading policies, under `tag`, under `json`
ROWS = {
    "tag": ("<answer>{a}</answer>", A, A, A),
    "tag_after_think": ("<think>it might be {b}</think>\n<answer> {a} </answer>", A, A, A),
    "upper_case_tag": ("<ANSWER>{a}</ANSWER>", A, A, A),
    "repeated_tag": ("<answer>{a}</answer> so <answer>{a}</answer>", A, A, A),
    "unclosed_think": ("<think>the answer is <answer>{a}</answer>", NONE, NONE, NONE),
    "empty_tag": ("<answer> </answer> {a}", NONE, NONE, NONE),
    "two_tags": ("<answer>{b}</answer> or maybe <answer>{a}</answer>", HEDGE, HEDGE, HEDGE),
    "or_in_tag": ("<answer>{b} or {a}</answer>", HEDGE, HEDGE, HEDGE),
    "and_in_tag": ("<answer>{a} and {b}</answer>", HEDGE, HEDGE, HEDGE),
    "boxed": ("\\boxed{{{a}}}", A, NONE, NONE),
    "two_boxes": ("\\boxed{{{b}}} \\boxed{{{a}}}", HEDGE, NONE, NONE),
    "bare": ("{a}", A, NONE, A),
}
POLICY_COLUMN = {"box": 1, "tag": 2, "json": 3}

# name -> (verifier, gold value, wrong value, which column of ROWS applies)
VERIFIERS = {
    "exact_match": (ExactMatch(), "Paris", "Rome", "box"),
    "numeric": (NumericVerifier(), "42", "41", "box"),
    "math": (MathVerifier(), "42", "41", "box"),
    "multiple_choice": (MultipleChoice(), "C", "B", "box"),
    "json": (JsonSchemaVerifier({"type": "integer"}, match_reference=True), 42, 41, "json"),
    "logic_tag": (ArithmeticChain(), 42, 41, "tag"),
}

# Known disagreements, each a bug in a file owned by other work (kept visible, strict xfail).
KNOWN: dict[tuple[str, str], str] = {}


def _cases() -> list:
    out = []
    for verifier in VERIFIERS:
        for row in ROWS:
            marks = []
            if (verifier, row) in KNOWN:
                marks = [pytest.mark.xfail(strict=True, reason=KNOWN[verifier, row])]
            out.append(pytest.param(verifier, row, marks=marks, id=f"{verifier}-{row}"))
    return out


@pytest.mark.parametrize(("verifier_name", "row"), _cases())
def test_every_verifier_reads_the_same_answer(verifier_name: str, row: str) -> None:
    verifier, gold, wrong, column = VERIFIERS[verifier_name]
    template = ROWS[row][0]
    expected = ROWS[row][POLICY_COLUMN[column]]
    response = template.format(a=gold, b=wrong)
    paid_for_gold = verifier.verify(response, gold)
    paid_for_wrong = verifier.verify(response, wrong)
    if expected == A:
        assert (paid_for_gold.reward, paid_for_wrong.reward) == (1.0, 0.0), paid_for_gold
    elif expected == HEDGE:
        assert paid_for_gold.reward == 0.0 and paid_for_wrong.reward == 0.0, paid_for_gold
        assert paid_for_gold.status in ("incorrect", "unparseable")
    else:
        assert paid_for_gold.status == "unparseable", paid_for_gold


@pytest.mark.parametrize("row", sorted(ROWS))
def test_the_policies_agree_on_the_candidates(row: str) -> None:
    template, boxed_policy, tag_policy, _ = ROWS[row]
    response = template.format(a="42", b="41")
    want = {A: ["42"], NONE: []}
    for policy, expected in (("text", boxed_policy), ("final_answer", boxed_policy)):
        got = extract(response, policy).candidates
        if expected == HEDGE:
            assert len(got) > 1 or any(" " in c for c in got), (policy, got)
        else:
            assert got == want[expected], (policy, got)
    tagged = extract(response, "tag").candidates
    if tag_policy == HEDGE:
        assert len(tagged) > 1 or any(" " in c for c in tagged)
    else:
        assert tagged == want[tag_policy]


def test_unknown_policy_and_bad_input_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="unknown extraction policy"):
        extract("x", "nope")
    with pytest.raises(TypeError):
        extract(b"x", "text")  # type: ignore[arg-type]


def test_code_policy_reads_the_last_closed_fence_after_the_reasoning() -> None:
    text = "<think>```python\nprint(0)\n```</think>```py title\nprint(1)\n``` ```c\nint x;\n```"
    assert extract(text, "code").candidates == ["int x;\n"]
    assert extract("<think>```python\nprint(0)\n```", "code").candidates == []
    assert extract("```python\nunclosed", "code").candidates == []


_CONNECT = st.sampled_from([" or ", " and ", ", ", " / ", " & ", " or maybe ", "; ", " "])
_WRAP = st.sampled_from(["{}", "({})", "{}.", "\\text{{({})}}", "option {}"])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    letters=st.lists(st.sampled_from("ABCDE"), min_size=2, max_size=3, unique=True),
    connect=_CONNECT,
    wrap=_WRAP,
    where=st.sampled_from(["<answer>{}</answer>", "\\boxed{{{}}}", "The answer is {}", "{}"]),
)
def test_naming_two_options_is_never_correct(
    letters: list[str], connect: str, wrap: str, where: str
) -> None:
    body = connect.join(wrap.format(letter) for letter in letters)
    response = where.format(body)
    for gold in letters:
        assert MultipleChoice().verify(response, gold).reward == 0.0, response


def test_the_writing_a_verifier_example_in_the_docs_runs() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "verifiers.md").read_text()
    section = text.split("## Writing a verifier", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "docs/verifiers.md", "exec"), namespace)
    verifier = namespace["WordCount"]()
    assert verifier.verify(verifier.reference_response(3), 3).status == "correct"
    assert verifier.verify("<answer>a b</answer><answer>a b c</answer>", 3).reward == 0.0
    assert verifier.verify("<think>a b c", 3).status == "unparseable"


def test_two_different_json_blocks_are_a_hedge() -> None:
    v = JsonSchemaVerifier({"type": "integer"}, match_reference=True)
    assert v.verify("```json\n41\n```\nor\n```json\n42\n```", 42).reward == 0.0
    assert v.verify("```json\n42\n```\nagain:\n```json\n 42\n```", 42).reward == 1.0


def test_math_verifier_multiple_choice_never_pays_a_hedge() -> None:
    v = MathVerifier()
    for response in ("The answer is A. or B.", "<answer>A. B.</answer>", "The answer is A. & C."):
        assert MultipleChoice().verify(response, "A").reward == 0.0, response  # the shared reader
        assert v.verify(response, "A").reward == 0.0, response


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        # a remark describing the answer was read as a second answer (a right answer scored 0)
        ("<answer>Paris</answer> I mean, it is the capital after all.", False),
        ("<answer>Paris</answer> I mean, it's the obvious choice.", False),
        # one naming another value, or disowning the answer, stays a hedge
        ("<answer>Paris</answer> I mean, it is Lyon.", True),
        ("<answer>Paris</answer> I mean Lyon.", True),
        ("<answer>Paris</answer> I mean, it is the city of Lyon.", True),
        ("<answer>Paris</answer> I mean, it is the second one, 7.", True),
        ("<answer>Paris</answer> I mean, that is a mistake.", True),
        ("<answer>Paris</answer> I mean, it is the wrong one.", True),
        ("<answer>Paris</answer> I mean, it's the other city.", True),
    ],
)
def test_i_mean_describing_the_answer_keeps_it(text, hedged):
    from gymhub.verifiers.extract import extract_text_answer

    candidates = extract_text_answer(text).candidates
    assert candidates[0] == "Paris"
    assert (len(candidates) > 1) == hedged, candidates
