"""Another answer offered, or the answer denied, after the answer tag under the `text` policy.

`<answer>Paris</answer> Lyon`, `...\\n- Lyon`, `... Otherwise Lyon.`, `... If not, Lyon.`,
`...\\nSecond choice: Lyon`, `... Backup answer: Lyon`, `...\\nP.S. Lyon`, `... jk, Lyon`,
`... Lyon is more likely`, `... Though Lyon is possible.` and `... is wrong.` were paid 1.0 by
ExactMatch (Capitals), and the same shapes gave GuessNumber a guess: a second value after the
tag, or the answer said to be wrong, is no one answer. Remarks after the tag keep the answer.
"""

from __future__ import annotations

import time

import pytest

import gymhub
from gymhub.verifiers.string_match import ExactMatch, denied_after, final_answer_text

HEDGES = [
    "<answer>Paris</answer> Lyon",
    "<answer>Paris</answer>\nLyon",
    "<answer>Paris</answer>\n- Lyon",
    "<answer>Paris</answer> (Lyon)",
    "<answer>Paris</answer>. Otherwise Lyon.",
    "<answer>Paris</answer>. If not, Lyon.",
    "<answer>Paris</answer>. Second choice: Lyon.",
    "<answer>Paris</answer>. Backup answer: Lyon.",
    "<answer>Paris</answer>\nAlternative: Lyon",
    "<answer>Paris</answer>\n\nP.S. Lyon",
    "<answer>Paris</answer> (just kidding, Lyon)",
    "<answer>Paris</answer> jk, Lyon",
    "<answer>Paris</answer> Lyon is more likely",
    "<answer>Paris</answer>. Though Lyon is possible.",
    "<answer>Paris</answer>\n\nLyon is also correct.",
    "<answer>Paris</answer> is wrong.",
    "<answer>Paris</answer> is not the answer.",
    "<answer>Paris</answer> isn't right, I think.",
    "<answer>Paris</answer> is probably it.",
    "<answer>Paris</answer> may be wrong.",
    "<answer>Paris</answer>. Lyon.",
    "<answer>Paris</answer> / Lyon",
    "<answer>Paris</answer> | Lyon",
    "<answer>Paris</answer>; Lyon",
    "<answer>Paris</answer> \u2192 Lyon",
    "<answer>Paris</answer> vs Lyon",
    "<answer>Paris</answer> Lyon?",
    "<answer>Paris</answer>\nLyon!",
    "<answer>Paris</answer>\n\n| Lyon |",
    "<answer>Paris</answer><!-- Lyon -->",
    "<answer>Paris</answer>\n[^1]: or Lyon",
    "<answer>Paris</answer>\n\nSolution 2: Lyon",
    "<answer>Paris</answer>\n\nOption B: Lyon",
    "<answer>Paris</answer>\n\nCorrected: Lyon",
    "<answer>Paris</answer>\n\n## Alternative\nLyon",
    "<answer>Paris</answer>\n\nAlso valid: Lyon",
    "<answer>Paris</answer>\n\nEDIT: actually Lyon",
    "<answer>Paris</answer>\n\nIf that's wrong, try: Lyon",
    "<answer>Paris</answer>\n\nAnother possibility is Lyon.",
    "<answer>Paris</answer>\n\nAttempt 2:\nLyon",
    "<answer>Paris</answer>\n\n**Second solution**\nLyon",
]
KEPT = [
    "<answer>Paris</answer>",
    "<answer>Paris</answer>\n\nParis has been the capital for centuries, unlike Versailles.",
    "<answer>Paris</answer>\nExplanation: Paris is the seat of government.",
    "<answer>Paris</answer>\nSources: Wikipedia",
    "<answer>Paris</answer>\nFinal Answer",
    "<answer>Paris</answer> Hope this helps!",
    "<answer>Paris</answer>\nDone.",
    "<answer>Paris</answer>\n\n## Reasoning\nFrance's capital is Paris.",
    "<answer>Paris</answer> is correct.",
    "<answer>Paris</answer> is the capital of France.",
    "<answer>Paris</answer> is not only the capital but also the largest city.",
    "<answer>Paris</answer>\n**Paris**",
    "<answer>Paris</answer>\nThis is correct.",
    "<answer>Paris</answer>\nVersailles was the seat of the court for a while.",
    "<answer>Paris</answer>\n\nThe other options, Lyon and Marseille, are wrong.",
    "<answer>Paris</answer>\n\nP.S. Hope this helps.",
    "<answer>Paris</answer>\nOtherwise the question would name another country.",
    "<answer>Paris</answer>\n\nHmm, I think that is right.",
    "<answer>Paris</answer>. It is the capital.",
    "<answer>Paris</answer>\n-->",
    "<answer>Paris</answer>\n\nUpdate: none needed.",
    "<answer>Paris</answer>\n\nOther checks: all good.",
    "<answer>Paris</answer>\n\n## Solution\nParis is the capital.",
    "<answer>Paris</answer>\n\nAnother way to see it: Paris hosts the government.",
    "<answer>Paris</answer>\n\nSolution 2: Paris",
    "Paris \U0001f1eb\U0001f1f7",  # a flag after a whole-text answer is no other answer
]


@pytest.mark.parametrize("reply", HEDGES)
def test_another_answer_or_a_denial_after_the_tag_is_not_paid(reply: str) -> None:
    verdict = ExactMatch().verify(reply, "Paris")
    assert verdict.reward == 0.0 and verdict.status == "incorrect", (reply, verdict.detail)
    assert final_answer_text(reply) == "", reply


@pytest.mark.parametrize("reply", KEPT)
def test_a_remark_after_the_tag_keeps_the_answer(reply: str) -> None:
    verdict = ExactMatch().verify(reply, "Paris")
    assert verdict.status == "correct", (reply, verdict.detail)


def test_capitals_env_refuses_a_value_offered_after_the_tag() -> None:
    env = gymhub.make("gymhub/Capitals-v0")
    env.reset(seed=0)
    gold = env.reference_action().text
    _, reward, *_ = env.step(gold + "\nOtherwise Tampere.")
    assert reward == 0.0
    env.reset(seed=0)
    _, reward, *_ = env.step(gold + "\nI double-checked it.")
    assert reward == 1.0


def test_guess_number_a_second_value_after_the_tag_is_no_guess() -> None:
    env = gymhub.make("gymhub/GuessNumber-v0")
    env.reset(seed=0)
    secret = int(env.task.answer)
    _, reward, *_, info = env.step(f"<answer>{secret}</answer>\nAlternative: {secret + 1}")
    assert reward == 0.0 and info["verdict"] == "unparseable"


@pytest.mark.parametrize(
    "piece",
    [
        "Otherwise ",
        "P.S. ",
        "Alternative: ",
        " is ",
        "Lyon is ",
        "a ",
        "\n- ",
        "(",
        " ",
        ". ",
        "/ ",
        "<!--",
        "[^1]",
        "-",
        "is n",
        "Solution 2: ",
        "another other ",
        "## Alternative\n",
        "Solution 2:\n",
    ],
)
def test_the_after_tag_readers_stay_linear(piece: str) -> None:
    body = piece * (100_000 // len(piece))
    for reply in ("<answer>Paris</answer>" + body, "<answer>Paris</answer>\n" + body + "Lyon"):
        start = time.perf_counter()
        ExactMatch().verify(reply, "Paris")
        final_answer_text(reply)
        denied_after(body[:200])
        assert time.perf_counter() - start < 1.0, piece


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        ("<answer>5000 m</answer>\n5 km", "correct"),
        ("<answer>5000 m</answer>\n(5 km)", "correct"),
        ("<answer>5000 m</answer>\nFinal answer: 5 km", "correct"),
        ("<answer>5000 m</answer>\n6 km", "incorrect"),
        ("<answer>5000 m</answer> Otherwise 6000 m.", "incorrect"),
        ("<answer>6000 m</answer>\n5 km", "incorrect"),
    ],
)
def test_unit_convert_the_same_quantity_after_the_tag_is_the_answer_again(reply, status):
    """A value on its own line after the tag is read as a later answer now; the same quantity in
    another unit there is the answer restated (as `5000 m (5 km)` is inside the tag)."""
    from gymhub.envs.basic.unit_convert import UnitAnswerVerifier

    assert UnitAnswerVerifier().verify(reply, 5000, unit="m").status == status, reply
