"""What web and GUI tasks accept as an answer (docs/web.md lists the forms): one answer, in the
asked form. Listing every candidate, embedding the answer in a longer text, or naming two
points or boxes is never paid. No browser needed: the checks run on the tasks' own state."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gymhub.envs.web.server import SiteState
from gymhub.envs.web.tasks import TASKS
from gymhub.verifiers.grounding import ConstrainedBoxIoU, GroundingVerifier, PointInBox

TARGET_BOX = [100, 100, 200, 150]


def _task(name: str, seed: int = 0, difficulty: int = 3):
    return TASKS[name](random.Random(seed), difficulty)


def _score(task, message: str | None, outcome: dict | None = None) -> float:
    state = SiteState()
    state.outcome = outcome or {}
    return task.score(state, message)[0]


def test_read_report_pays_the_one_asked_sku_only() -> None:
    task = _task("ReadReport")
    sku = task.skus[task.target]
    for answer in (sku, sku.lower(), f"The SKU is {sku}.", f"{sku} ({sku})"):
        assert _score(task, answer) == 1.0, answer
    others = [s for s in task.skus if s != sku]
    every = ", ".join(task.skus)
    for answer in (
        every,  # enumerating candidates is not answering
        f"{sku} or {others[0]}",
        f"X{sku}",  # embedded in a longer code
        f"{sku}5",
        others[0],
        "",
        "no idea",
    ):
        assert _score(task, answer) == 0.0, answer


def test_read_report_does_not_pay_a_denied_asked_or_doubted_sku() -> None:
    task = _task("ReadReport")
    sku = task.skus[task.target]
    for answer in (
        f"not {sku}",
        f"The SKU isn't {sku}.",
        f"Is it {sku}?",
        f"{sku}?",
        f"maybe {sku}",
        f"{sku} (not sure)",
        f"{sku}, I guess",
        f"Could be {sku}",
        f"SKU: {sku}. Wrong, sorry.",
        f"It is {sku}. Actually, no.",
    ):
        assert _score(task, answer) == 0.0, answer
    for answer in (  # remarks around a stated code are no doubt about it
        f"No problem! The SKU is {sku}.",
        f"I did not find the weight, but the SKU is {sku}.",
        f"The SKU is {sku}. Is there anything else?",
        f"Sorry for the wait. The SKU is {sku}.",
        f"There is no doubt: {sku}",
    ):
        assert _score(task, answer) == 1.0, answer


def test_read_report_does_not_pay_a_code_excluded_struck_or_crossed_out() -> None:
    """The denial readers knew 'not' and 'no' only: a code excluded ('anything but', 'except',
    'other than'), called false, struck through, crossed out or put in doubt after it ('... or
    is it') was paid."""
    task = _task("ReadReport")
    sku = task.skus[task.target]
    for answer in (
        f"anything but {sku}",
        f"Anything but: {sku}",
        f"except {sku}",
        f"Except for {sku}",
        f"other than {sku}",
        f"rather than {sku}",
        f"{sku} is false",
        f"{sku} is not the one",
        f"{sku} \u274c",
        f"~~{sku}~~",
        f"{sku}, nope",
        f"{sku}, nah",
        f"{sku}... or is it",
        f"{sku} or not",
    ):
        assert _score(task, answer) == 0.0, answer
    for answer in (  # affirmations that share words with the denials
        f"It's {sku}, nothing but that.",
        f"Everything checks out: {sku}.",
        f"{sku} \u2705",
        f"The code {sku} is the one.",
        f"But the SKU is {sku}.",
    ):
        assert _score(task, answer) == 1.0, answer


def test_read_report_pays_a_code_followed_by_a_remark_that_only_begins_like_a_retraction() -> None:
    """A sentence after the code that began with "No", "Sorry", "Wait" or "Actually" took the
    code back, whatever it went on to say: right answers earned 0."""
    task = _task("ReadReport")
    sku = task.skus[task.target]
    for answer in (
        f"The SKU is {sku}. No other product has it.",
        f"{sku}. No problem!",
        f"The SKU is {sku}. Sorry for the delay.",
        f"The SKU is {sku}. Wait for more instructions if needed.",
        f"{sku}. No more steps are needed.",
        f"{sku}. Nothing else to report.",
    ):
        assert _score(task, answer) == 1.0, answer
    for answer in (  # a retraction still takes it back
        f"{sku}. No.",
        f"{sku}. Nope.",
        f"{sku}, no wait.",
        f"{sku}. No, wait.",
        f"{sku}. Oops!",
        f"{sku}. Sorry, that is wrong.",
        f"{sku}. Wait...",
        f"{sku}. Scratch that.",
        f"{sku} - wait",
    ):
        assert _score(task, answer) == 0.0, answer


def test_grounding_reads_a_point_offered_after_the_click_as_a_second_answer() -> None:
    both = GroundingVerifier()
    for hedge in (
        "click(150, 120) or (10, 10)",
        "click(150, 120) or tap(10, 10)",
        "click(150, 120) or CLICK(10, 10)",
        "click(150, 120) or x=10, y=10",
        "click(150, 120) or click(1e1, 1e1)",
        "click(150, 120) or click(.5, .5)",
    ):
        verdict = both.verify(hedge, TARGET_BOX)
        assert (verdict.reward, verdict.status) == (0.0, "incorrect"), hedge
    for one in (  # pairs before the click are reasoning; the same point again is one answer
        "The screen is (800, 600). click(150, 120)",
        "click(150, 120), the centre (150, 120) of the button",
        "click(150, 120) (x=150, y=120)",
        "[100, 100, 200, 150], so click(150, 120)",
    ):
        assert both.verify(one, TARGET_BOX).reward == 1.0, one


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 10_000), extra=st.integers(1, 4), text=st.text(max_size=40))
def test_no_message_naming_another_sku_is_paid(seed: int, extra: int, text: str) -> None:
    task = _task("ReadReport", seed)
    sku = task.skus[task.target]
    others = [s for s in task.skus if s != sku][:extra]
    message = " ".join([text, sku, *others])
    assert _score(task, message) == 0.0


def test_email_reply_must_be_the_asked_text() -> None:
    task = _task("EmailReply")
    email = str(task.target)
    assert _score(task, None, {"email": email, "body": task.reply}) == 1.0
    assert _score(task, None, {"email": email, "body": f"  {task.reply.upper()} "}) == 1.0
    padded = f"{task.reply} or maybe something else entirely"
    assert _score(task, None, {"email": email, "body": padded}) == 0.0
    assert _score(task, None, {"email": email, "body": [task.reply, "x"]}) == 0.0


def test_repeated_form_fields_are_not_read_by_their_first_value() -> None:
    task = _task("ChooseList")
    assert _score(task, None, {"choice": task.target}) == 1.0
    assert _score(task, None, {"choice": [task.target, "other"]}) == 0.0
    boxes = _task("ClickCheckboxes")
    every = list(boxes.items)
    assert _score(boxes, None, {"item": every}) == (
        1.0 if sorted(every) == sorted(boxes.items[i] for i in boxes.targets) else 0.0
    )


def test_grounding_pays_one_point_or_box_not_a_hedge() -> None:
    point, box, both = PointInBox(), ConstrainedBoxIoU(), GroundingVerifier()
    assert point.verify("click(150, 120)", TARGET_BOX).reward == 1.0
    assert point.verify("<think>click(5, 5)?</think>click(150, 120)", TARGET_BOX).reward == 1.0
    assert point.verify("click(150, 120) click(150, 120)", TARGET_BOX).reward == 1.0  # same one
    for hedge in ("click(150, 120) or click(5, 5)", "click(5, 5) no wait click(150, 120)"):
        verdict = point.verify(hedge, TARGET_BOX)
        assert verdict.reward == 0.0 and verdict.status == "incorrect", hedge
        assert both.verify(hedge, TARGET_BOX).reward == 0.0
    assert box.verify("[100, 100, 200, 150]", TARGET_BOX).reward == 1.0
    two = "[100, 100, 200, 150] or [0, 0, 50, 50]"
    assert box.verify(two, TARGET_BOX).reward == 0.0 and both.verify(two, TARGET_BOX).reward == 0.0


def test_read_report_pays_the_asked_sku_spelled_another_way() -> None:
    """A second code written `CD 5678` or `CD5678` counts as a code (a hedge), but the asked one
    so written scored 0: only `AB-1234` with a dash was read as the answer."""
    for seed in range(10):
        task = _task("ReadReport", seed)
        sku = task.skus[task.target]
        letters, digits = sku.split("-")
        other = next(s for s in task.skus if s != sku)
        for answer in (
            f"{letters}{digits}",
            f"{letters.lower()} {digits}",
            f"The SKU is {letters}_{digits}.",
            f"SKU: {letters} - {digits}",
            f"{sku} ({letters}{digits})",
        ):
            assert _score(task, answer) == 1.0, answer
        for answer in (
            f"{letters}{digits} or {other}",
            f"{letters} {digits}, {other.replace('-', '')}",
            f"X{letters}{digits}",
            f"{letters}{digits}7",
            f"{letters}{digits}?",
            f"not {letters} {digits}",
            f"{letters[0]} {digits}",
            digits,
        ):
            assert _score(task, answer) == 0.0, answer
