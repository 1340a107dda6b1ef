"""Regressions found by the hostile-action sweep (tests/core/test_hostile_actions_all_envs.py):
answers that are no answer (a question, a second candidate beside the pick) earn nothing, while
the same answer stated plainly is still paid."""

from __future__ import annotations

import pytest

import gymhub
from gymhub.verifiers.string_match import ExactMatch


@pytest.mark.parametrize(
    "reply",
    ["Helsinki?", "<answer>Helsinki?</answer>", "**Helsinki?**", '"Helsinki?"', "Helsinki?!"],
)
def test_exact_match_does_not_pay_a_question(reply: str) -> None:
    verdict = ExactMatch().verify(reply, "Helsinki")
    assert (verdict.reward, verdict.status) == (0.0, "incorrect"), reply


@pytest.mark.parametrize(
    "reply", ["Helsinki", "Helsinki.", "Helsinki!", "<answer>helsinki</answer>"]
)
def test_exact_match_still_pays_the_plain_answer(reply: str) -> None:
    assert ExactMatch().verify(reply, "Helsinki").reward == 1.0, reply


def test_a_reference_that_is_a_question_is_still_matched() -> None:
    assert ExactMatch().verify("<answer>Who?</answer>", "Who?").reward == 1.0
    assert ExactMatch(normalize=False).verify("Who?", "Who?", aliases=["x"]).reward == 1.0
    # an answer after a question in the reasoning is the answer
    assert ExactMatch().verify("Is it Oslo? No. <answer>Helsinki</answer>", "Helsinki").reward == 1


def test_capitals_env_does_not_pay_a_question() -> None:
    env = gymhub.make("gymhub/Capitals-v0")
    try:
        env.reset(seed=0)
        gold = str(env.task.answer)
        _, reward, terminated, _, info = env.step(f"{gold}?")
        assert (reward, terminated, info["verdict"]) == (0.0, True, "incorrect")
        env.reset(seed=0)
        assert env.step(gold)[1] == 1.0
    finally:
        env.close()


@pytest.mark.parametrize(
    "reply",
    [
        "\\boxed{A}. It could also be B.",
        "\\boxed{A} or possibly B",
        "\\boxed{A}. B might also be right.",
        "\\boxed{A} (though B is arguably better)",
        "\\boxed{A} but I am not sure, could be B",
        "<answer>A</answer> Maybe B.",
        "The answer is A, or perhaps (B).",
        "\\boxed{A}. Or B.",
        "\\boxed{A}. Then again, B.",
        "The answer is A?",
        "\\boxed{A}?",
        "<answer>(A) ?</answer>",
    ],
)
def test_multiple_choice_does_not_pay_another_letter_offered_beside_the_pick(reply: str) -> None:
    from gymhub.verifiers.choice import MultipleChoice

    verdict = MultipleChoice().verify(reply, "A")
    assert (verdict.reward, verdict.status) == (0.0, "incorrect"), reply


@pytest.mark.parametrize(
    "reply",
    [
        "\\boxed{A}",
        "\\boxed{A}. B could be better if it were longer.",
        "\\boxed{A}. B could be right, but it is not.",
        "\\boxed{A}. It could be argued that B is shorter.",
        "\\boxed{A}. Response B's list could be improved.",
        "\\boxed{A}. Maybe B is shorter.",
        "\\boxed{A}\n\nB might also be right in another setting, but not here.",
        "B could be right. On reflection, the answer is \\boxed{A}.",
        "Is the answer B? No. \\boxed{A}",
        "\\boxed{A}. Or, put differently, A names renewables.",
        "\\boxed{A}. Any questions?",
    ],
)
def test_multiple_choice_still_pays_a_pick_with_remarks_on_the_other(reply: str) -> None:
    from gymhub.verifiers.choice import MultipleChoice

    assert MultipleChoice().verify(reply, "A").reward == 1.0, reply


def test_pairwise_judge_env_does_not_pay_a_hedge() -> None:
    env = gymhub.make("gymhub/PairwiseJudge-v0")
    try:
        env.reset(seed=0)
        gold = env.task.answer if isinstance(env.task.answer, str) else env.task.answer["answer"]
        other = "B" if gold == "A" else "A"
        _, reward, _, _, info = env.step(f"\\boxed{{{gold}}}. It could also be {other}.")
        assert (reward, info["verdict"]) == (0.0, "incorrect")
        env.reset(seed=0)
        assert env.step(f"\\boxed{{{gold}}}")[1] == 1.0
    finally:
        env.close()


def test_unit_convert_does_not_pay_a_denied_doubted_or_bounded_number() -> None:
    env = gymhub.make("gymhub/UnitConvert-v0", max_attempts=1)
    try:
        env.reset(seed=1)
        task, unit = env.task, env.task.metadata["to_unit"]
        gold = f"{task.answer:.6g}"
        for answer in (
            f"not {gold}",
            f"{gold}?",
            f"maybe {gold}",
            f"{gold} (not sure)",
            f"at least {gold}",
            f"> {gold}",
            f"{gold}%",
            f"{gold} {unit} is wrong",
        ):
            env.reset(options={"task": task})
            _, reward, _, _, info = env.step(f"<answer>{answer}</answer>")
            assert (reward, info["verdict"]) == (0.0, "incorrect"), answer
        for answer in (gold, f"{gold} {unit}", f"approximately {gold}", f"x = {gold}"):
            env.reset(options={"task": task})
            assert env.step(f"<answer>{answer}</answer>")[1] == 1.0, answer
    finally:
        env.close()
