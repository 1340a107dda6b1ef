"""Long whitespace runs in a reply are cut before the answer readers' regexes see them: on a run
of n blanks those regexes (`\\s*...` tried at many positions) cost n^2, and 20,000 newlines took
11 s in `MultipleChoice` (a 200,000-character reply, the envs' cap, would take about 20 minutes)."""

from __future__ import annotations

import time

import pytest

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task
from gymhub.verifiers import ExactMatch, MultipleChoice
from gymhub.verifiers.bounded_text import MAX_BLANK_RUN, squeeze_blank_runs

discover_families()


def test_squeeze_keeps_what_a_run_separates():
    assert squeeze_blank_runs("a" + " " * 40 + "b") == "a b"
    assert squeeze_blank_runs("a" + " \n" * 20 + "b") == "a\n\nb"
    assert squeeze_blank_runs("a  \n" + " " * 30 + "b") == "a\nb"
    short = "a" + " " * MAX_BLANK_RUN + "b\n\n\nc"
    assert squeeze_blank_runs(short) == short  # short runs are left as written
    with pytest.raises(TypeError):
        squeeze_blank_runs(None)  # type: ignore[arg-type]


RUNS = ["\n" * 200_000, " " * 200_000, " \n" * 100_000, "\t" * 200_000]


@pytest.mark.parametrize(
    "verify",
    [
        lambda text: MultipleChoice().verify(text, "B"),
        lambda text: ExactMatch(normalize=True).verify(text, "Paris"),
        lambda text: FAMILIES["gcd"].verify(text, generate_task(FAMILIES["gcd"], 1, 0, 3)),
    ],
    ids=["multiple_choice", "exact_match", "logic"],
)
def test_readers_stay_fast_on_long_blank_runs(verify):
    for run in RUNS:
        for text in (run, "The answer is " + run + "x", "<answer>5</answer>" + run + "B"):
            start = time.monotonic()
            assert verify(text).reward == 0.0
            assert time.monotonic() - start < 15  # minutes before the cut


def test_answers_around_a_long_run_are_still_read():
    assert MultipleChoice().verify("Thinking." + "\n" * 5000 + "The answer is B.", "B").reward == 1
    assert (
        ExactMatch(normalize=True).verify("\n" * 5000 + "<answer>Paris</answer>", "Paris").reward
        == 1
    )
    family = FAMILIES["gcd"]
    task = generate_task(family, 1, 0, 3)
    gold = family.format_answer(task)
    assert family.verify(" " * 5000 + f"<answer>{gold}</answer>", task).status == "correct"


def test_exact_match_strips_long_runs_of_emphasis_marks_in_linear_time():
    # `^[\s*_`]+|[\s*_`]+$` was retried from every position: 40,000 characters of `* ` took 4 s
    v = ExactMatch(normalize=True)
    for text in ("The answer is " + "* " * 100_000 + "x", "* " * 100_000, "_`" * 100_000 + "!"):
        start = time.monotonic()
        assert v.verify(text, "Paris").reward == 0.0
        assert time.monotonic() - start < 15
    assert v.verify("**Paris**", "Paris").reward == 1.0
    assert v.verify("\u3000_Paris_ ", "Paris").reward == 1.0


def test_code_blocks_are_found_in_linear_time_on_fences_without_a_line_end():
    # `_FENCE_OPEN.search` was retried at every ``` and read to the end for a line break each
    # time: 200,000 backticks took 10 s, 400,000 (the scan cap) over a minute
    from gymhub.verifiers.extract import find_code_blocks

    for text in ("`" * 400_000, "```x" * 100_000, "```\n" * 100_000):
        start = time.monotonic()
        find_code_blocks(text)
        assert time.monotonic() - start < 15
    assert find_code_blocks("x\n```python\nprint(1)\n```\n``` \nb\n```") == [
        ("python", "print(1)\n"),
        (None, "b\n"),
    ]


def test_math_verifier_reads_past_long_blank_runs_quickly():
    from gymhub.verifiers.math_verifier import MathVerifier

    v = MathVerifier()
    assert v.verify("\n" * 200_000 + "\\boxed{5}", "5").status == "correct"
    assert v.verify("The answer is " + " " * 200_000 + "5", "5").status == "correct"
    start = time.monotonic()
    assert v.verify(" \t" * 100_000 + "x", "5").reward == 0.0
    assert time.monotonic() - start < 15


def test_a_retraction_after_a_blank_line_is_still_right_after_the_tag():
    v = ExactMatch(normalize=True)
    assert v.verify("<answer>Paris</answer>\n\nActually, Lyon.", "Paris").reward == 0.0
    assert v.verify("<answer>Paris</answer>\n\nNo, Lyon.", "Paris").reward == 0.0
    assert v.verify("<answer>Paris</answer>\n\nActually, that is correct.", "Paris").reward == 1
    assert v.verify("<answer>Paris</answer>\n\nI hope this helps.", "Paris").reward == 1
