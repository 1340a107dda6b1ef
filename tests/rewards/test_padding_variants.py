"""Padding that `repetition_reason` missed: the same sentence under new numbers or labels
(`Step 2: X` after `Step 1: X`, `2. X`, `(b) X`, `Second, X`), repeated clauses (`X, X, X, X.`)
and sentences run together with no space after the stop (`X.X.X.`). A length-loving scorer paid
them, and a `mean` PRM paid a good step repeated under new step numbers."""

from __future__ import annotations

import time

import pytest

from gymhub.envs.rlhf.env import GatedLearnedReward
from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.judge_gate import repetition_reason

PADDED = [
    "Step 1: 2 + 3 = 5.\n\nStep 2: 2 + 3 = 5.\n\nStep 3: 2 + 3 = 5.\n\nStep 4: 2 + 3 = 5.\n\nSo 5.",
    "1. Solar is renewable.\n2. Solar is renewable.\n3. Solar is renewable.\n4. Wind is renewable.",
    "(a) Solar power is renewable.\n(b) Solar power is renewable.\n(c) Solar power is renewable.",
    "First, solar power is renewable. Second, solar power is renewable. Third, solar power is "
    "renewable.",
    "Solar power is renewable, solar power is renewable, solar power is renewable, solar power "
    "is renewable.",
    "Solar power is renewable; solar power is renewable; solar power is renewable; wind too.",
    "Solar power is renewable.Solar power is renewable.Solar power is renewable.",
    "Solar power is renewable.\u200b Solar power is renewable.\u200b Solar power is renewable.",
]

HONEST = [
    "Step 1: 2 + 3 = 5.\n\nSo the answer is 5.",
    "Step 1: 12 + 30 = 42.\n\nStep 2: 42 - 2 = 40.\n\nStep 3: 40 / 2 = 20.\n\nSo it is 20.",
    "2 is an even number. 4 is an even number. 6 is an even number.",
    "Pi is 3.14159. It is irrational, transcendental, and the ratio of a circumference to its "
    "diameter.",
    "The price is 1,000,000 dollars, or 1,000 thousand dollars.",
    "- Yes.\n- Yes.\n- No.\nSolar and wind are renewable; coal is not.",
    "Red, green, blue, red, green, blue.",
]


@pytest.mark.parametrize("padded", PADDED)
def test_repeats_under_new_labels_clauses_or_without_spaces_are_padding(padded):
    assert repetition_reason(padded) is not None, padded


@pytest.mark.parametrize("answer", HONEST)
def test_answers_without_repeats_are_not_padding(answer):
    assert repetition_reason(answer) is None, answer


class _LovesLength(Verifier):
    floor = 0.0

    def verify(self, response: str, reference=None, **context) -> Verdict:
        return Verdict(reward=min(1.0, len(response) / 500), status="partial")


def test_a_length_loving_scorer_pays_no_renumbered_repeats():
    gated = GatedLearnedReward(_LovesLength())
    for padded in PADDED[1:]:
        verdict = gated.verify(padded)
        assert (verdict.status, verdict.reward) == ("incorrect", 0.0), padded


def test_a_mean_prm_pays_no_step_repeated_under_new_numbers(tmp_path):
    from gymhub.trainers.tiny import build_tiny_model, build_tiny_tokenizer
    from gymhub.verifiers.process_reward import ProcessRewardVerifier

    tokenizer = build_tiny_tokenizer()
    build_tiny_model(tokenizer, seed=1, initializer_range=0.3).save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    prm = ProcessRewardVerifier(str(tmp_path), mode="step_tag", aggregation="mean")
    verdict = prm.verify(PADDED[0], prompt="2 + 3?")
    assert (verdict.status, verdict.reward) == ("unparseable", prm.floor)
    assert prm.verify(HONEST[1], prompt="30 + 12, minus 2, halved?").status == "partial"


def test_the_repeat_check_stays_fast():
    for piece in (".", ",", " ", "1.", "abcdefgh,", "Step 1: ", "(a) ", "first, "):
        text = piece * (200_000 // len(piece))
        start = time.monotonic()
        repetition_reason(text)
        assert time.monotonic() - start < 1.5, piece


def test_prm_options_that_break_every_verdict_are_refused(tmp_path):
    """`clip_threshold=nan` made every `sum_clip` reward NaN (each verify raised a validation
    error), a negative one paid every response 0, `max_length=0` refused every response and an
    empty separator raised at verify time; no prompt raised the chat template's own error."""
    import math

    from gymhub.trainers.tiny import build_tiny_model, build_tiny_tokenizer
    from gymhub.verifiers.process_reward import ProcessRewardVerifier

    tokenizer = build_tiny_tokenizer()
    model = build_tiny_model(tokenizer, seed=1)
    for bad in (
        {"clip_threshold": math.nan},
        {"clip_threshold": -1.0},
        {"clip_threshold": 2.0},
        {"clip_threshold": "0.5"},
    ):
        with pytest.raises(ValueError, match="clip_threshold"):
            ProcessRewardVerifier(model, tokenizer=tokenizer, mode="step_tag", **bad)
    with pytest.raises(ValueError, match="max_length"):
        ProcessRewardVerifier(model, tokenizer=tokenizer, mode="step_tag", max_length=0)
    for separator in ("", 5):
        with pytest.raises(ValueError, match="step_separator"):
            ProcessRewardVerifier(
                model, tokenizer=tokenizer, mode="step_tag", step_separator=separator
            )
    prm = ProcessRewardVerifier(model, tokenizer=tokenizer, mode="step_tag")
    with pytest.raises(ValueError, match="prompt="):
        prm.verify("Step 1: 5.")
    assert prm.verify("Step 1: 5.", prompt="2 + 3?").status == "partial"


QUESTION = "Explain why the sky is blue in two sentences."


@pytest.mark.parametrize(
    "echo",
    [
        "Question: {q}\nAnswer:",
        "Q: {q}\nA:",
        "You asked: {q}",
        "The question is: {q}",
        "Problem: {q}",
        "User: {q}\nAssistant:",
        "Task: {q}\nSolution:",
        "I will {lower}",
        "Sure, I can {lower}",
    ],
)
def test_a_copy_of_the_question_in_a_frame_is_a_restatement(echo):
    """`Question: <q> Answer:` and `You asked: <q>` left words other than openers beside the copy,
    so the copy went to the judge or the reward model as an answer."""
    from gymhub.verifiers.judge_gate import restates_question

    response = echo.format(q=QUESTION, lower=QUESTION[0].lower() + QUESTION[1:])
    assert restates_question(response, QUESTION), response


def test_a_copy_of_the_question_then_an_answer_is_no_restatement():
    from gymhub.verifiers.judge_gate import restates_question

    for answer in (
        f"Q: {QUESTION} A: Rayleigh scattering.",
        f"{QUESTION} Because of Rayleigh scattering.",
        "Is it true that the sky is blue? It is.",
    ):
        question = "Is it true that the sky is blue?" if answer.startswith("Is") else QUESTION
        assert not restates_question(answer, question), answer


def test_one_word_over_and_over_is_padding():
    for padded in ("the " * 30, "no " * 12, "Paris " * 20, "Solar wind " * 8):
        assert repetition_reason(padded) is not None, padded
    gated = GatedLearnedReward(_LovesLength())
    assert gated.verify("Paris " * 20).status == "incorrect"
    for honest in (
        "[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]",  # numbers do not count
        "A rose is a rose is a rose is a rose.",
        " ".join(f"Point {i}: source number {i} is renewable." for i in range(40)),
    ):
        assert repetition_reason(honest) is None, honest


@pytest.mark.parametrize(
    "question,answer",
    [
        (
            "Convert to uppercase: the quick brown fox jumps over the lazy dog",
            "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG",
        ),
        (
            "Convert this sentence to lowercase: 'The Quick Brown Fox Jumps Over The Lazy Dog.'",
            "the quick brown fox jumps over the lazy dog.",
        ),
        (
            "Fix the capitalization: the eiffel tower is in paris, france.",
            "The Eiffel Tower is in Paris, France.",
        ),
        (
            "Add the missing punctuation: Hello how are you I am fine thanks",
            "Hello, how are you? I am fine, thanks.",
        ),
    ],
)
def test_the_passage_rewritten_as_asked_is_an_answer_not_a_copy(question, answer):
    """Case and punctuation are folded away before comparing, so the right answer to a task that
    asks to rewrite the question's passage was refused as a copy of the question (0)."""
    from gymhub.verifiers.judge_gate import restates_question

    assert not restates_question(answer, question)
    # copied as given, it is still a copy
    passage = question.split(":", 1)[1].strip().strip("'")
    assert restates_question(passage, question)


def test_a_verbatim_copy_of_a_handed_over_passage_is_still_a_copy():
    from gymhub.verifiers.judge_gate import restates_question

    question = "Summarize the following text: The sky is blue because air scatters blue light."
    for copy in (
        "The sky is blue because air scatters blue light.",
        '"The sky is blue because air scatters blue light."',
    ):
        assert restates_question(copy, question), copy
    assert restates_question("EXPLAIN WHY THE SKY IS BLUE.", "Explain why the sky is blue.")
    assert restates_question(
        "Explain why the sky is blue.", "Question: Explain why the sky is blue."
    )


def test_one_short_piece_repeated_under_400_bytes_is_padding():
    """The compression rule started at 400 bytes: `hahaha...` or one letter 150 times was paid
    by a length-loving scorer. A long number stays an answer."""
    for padded in ("a" * 150, "ha" * 75, "lol" * 50):
        assert repetition_reason(padded) is not None, padded
    assert GatedLearnedReward(_LovesLength()).verify("ha" * 75).status == "incorrect"
    for answer in ("1" + "0" * 200, "x" * 100, "Solar, wind and hydroelectric power."):
        assert repetition_reason(answer) is None, answer


def test_a_copy_of_the_system_prompt_is_no_answer_in_the_learned_envs():
    """Only the last user message was checked for copies: a learned env paid its own system
    instructions (or an earlier question of the conversation), copied, as an answer."""
    gated = GatedLearnedReward(_LovesLength())
    system = "You are a helpful assistant. Answer every question in one friendly sentence."
    prompt = [
        {"role": "system", "content": system},
        {"role": "user", "content": "Name three renewable energy sources."},
        {"role": "assistant", "content": "Solar, wind and hydro power."},
        {"role": "user", "content": "And which of them works at night?"},
    ]
    for copy in (system, "Name three renewable energy sources."):
        verdict = gated.verify(copy, prompt=prompt)
        assert (verdict.status, verdict.reward) == ("incorrect", 0.0), copy
    assert gated.verify("Hydro power works at night.", prompt=prompt).status == "partial"
