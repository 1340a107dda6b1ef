"""The accepted answer forms of the basic and toy envs (docs/envs/basic.md, docs/envs/README.md):
hedges and candidate lists earn nothing."""

from __future__ import annotations

import time

import pytest

import gymhub
from gymhub.envs.toy.arith import ToyAnswerVerifier


def test_capitals_pays_one_answer_not_a_hedge() -> None:
    env = gymhub.make("gymhub/Capitals-v0")
    env.reset(seed=0)
    gold = str(env.task.answer)
    for hedge in (
        f"<answer>{gold} or Lyon</answer>",
        f"<answer>Lyon</answer><answer>{gold}</answer>",
    ):
        env.reset(seed=0)
        assert env.step(hedge)[1] == 0.0, hedge
    env.reset(seed=0)
    assert env.step(f"<think>maybe Lyon</think><answer>{gold}</answer>")[1] == 1.0


def test_unit_convert_two_different_answers_are_a_hedge() -> None:
    env = gymhub.make("gymhub/UnitConvert-v0", max_attempts=1)
    env.reset(seed=1)
    gold = f"{env.task.answer:.6g}"
    _, reward, terminated, _, info = env.step(f"<answer>1</answer> <answer>{gold}</answer>")
    assert (reward, terminated, info["verdict"]) == (0.0, True, "unparseable")


def test_guess_number_reads_one_guess_not_a_list() -> None:
    env = gymhub.make("gymhub/GuessNumber-v0", difficulty=1)
    env.reset(seed=0)
    secret = int(env.task.answer)
    every = " ".join(str(i) for i in range(1, 11))
    _, reward, terminated, _, info = env.step(f"one of {every}")
    assert (reward, terminated, info["verdict"]) == (0.0, False, "unparseable")
    _, reward, terminated, _, _ = env.step(f"<think>maybe {secret + 1}</think>{secret}")
    assert (reward, terminated) == (1.0, True)


def test_toy_prefix_credit_is_never_paid_for_candidates() -> None:
    v = ToyAnswerVerifier()
    assert v.verify("7", "7").reward == 1.0
    assert v.verify("78", "7").reward == 0.3  # the documented shaping: starts with the answer
    for hedge in ("7 or 8", "7,8", "7 8", "<answer>7</answer><answer>8</answer>", "7 or eight"):
        assert v.verify(hedge, "7").reward == 0.0, hedge


def test_toy_right_answer_in_other_forms_and_no_shaping_for_a_copied_question() -> None:
    """`**7**` and `The answer is 7.` scored 0 (a right answer), and a reply that copies the
    question's digit run (`7777777777` for "Which digit repeats? 7777777777") earned 0.3."""
    v = ToyAnswerVerifier()
    for right in ("**7**", "The answer is 7.", "7.", "Answer: **7**", "<answer> 7! </answer>"):
        assert v.verify(right, "7").reward == 1.0, right
    for not_right in ("7?", "7, maybe", "<answer>7</answer> (not sure)"):
        assert v.verify(not_right, "7").reward < 1.0, not_right
    question = "Which digit repeats? 7777777777"
    for copy in ("7777777777", "Answer: 7777777777", "7 7777777777"):
        assert v.verify(copy, "7", question=question).reward == 0.0, copy
    assert v.verify("77", "7", question=question).reward == 0.3  # a near miss keeps its shaping
    for missing in (None, ""):  # `None` was the text "None": the reply "None" was paid
        with pytest.raises(ValueError, match="needs a reference"):
            v.verify("None", missing)
    env = gymhub.make("gymhub/ToyArith-v0")
    obs, _ = env.reset(seed=1)
    run = str(obs.messages[-1].content).split()[-1]
    assert env.step(run)[1] == 0.0  # the env passes the question


def test_unit_convert_reads_scientific_notation_and_checks_the_unit() -> None:
    env = gymhub.make("gymhub/UnitConvert-v0", max_attempts=1)
    env.reset(seed=3)
    task, unit = env.task, env.task.metadata["to_unit"]
    mantissa, exponent = f"{task.answer:.5e}".split("e")
    power = int(exponent)
    wrong_unit = next(u for u in ("day", "mile", "gallon") if u != unit)
    for right in (
        f"<answer>{task.answer:.6g} {unit}</answer>",
        f"<answer>{mantissa} × 10^{power} {unit}</answer>",
        f"<answer>{mantissa} \\times 10^{{{power}}}</answer>",
        f"<answer>{mantissa}·10^{power}</answer>",
    ):
        env.reset(options={"task": task})
        assert env.step(right)[1] == 1.0, right
    # the right number in another unit is a wrong answer
    env.reset(options={"task": task})
    _, reward, _, _, info = env.step(f"<answer>{task.answer:.6g} {wrong_unit}s</answer>")
    assert (reward, info["verdict"]) == (0.0, "incorrect")
    env.reset(options={"task": task})
    assert env.step(f"<answer>{mantissa} × 10^{power} or 1</answer>")[1] == 0.0


def test_unit_convert_refuses_denials_exclusions_and_retractions() -> None:
    """These were paid: the number excluded (`anything but`, `except`, `other than`), called
    false, marked with a cross, struck through, or put as a question after its tag."""
    from gymhub.envs.basic.unit_convert import UnitAnswerVerifier

    v = UnitAnswerVerifier(rel_tol=1e-4)
    for denied in (
        "<answer>not 5 km</answer>",
        "<answer>5 km? no</answer>",
        "<answer>anything but 5 km</answer>",
        "<answer>everything except 5 km</answer>",
        "<answer>any value other than 5 km</answer>",
        "<answer>5 km is false</answer>",
        "<answer>5 km - nope</answer>",
        "<answer>neither 5 km nor 6 km</answer>",
        "<answer>5 km \u274c</answer>",
        "<answer>~~5 km~~</answer>",
        "<answer>5 km</answer>?",
        "<answer>5 km</answer> ?",
        "<answer>5 km or 6 km</answer>",
        "<answer>5 km (6000 m)</answer>",  # a second, different quantity
        "<answer>5 km, not 5000 m</answer>",  # rules out its own value
        "<answer>5000 m</answer>",
    ):
        assert v.verify(denied, 5.0, unit="km").reward == 0.0, denied


def test_unit_convert_pays_the_answer_restated_in_another_unit() -> None:
    """`5 km (5000 m)` names one quantity twice; it was `incorrect` (the answer is in m)."""
    from gymhub.envs.basic.unit_convert import UnitAnswerVerifier

    v = UnitAnswerVerifier(rel_tol=1e-4)
    for right in (
        "<answer>5 km (5000 m)</answer>",
        "<answer>5 km = 5000 m</answer>",
        "<answer>5 kilometers (5,000 meters)</answer>",
        "<answer>5 km \u2248 3.10686 miles</answer>",
        "<answer>5 km (about 3.1 miles)</answer>",
        "<answer>5 km, not 6 km</answer>",  # another value ruled out
        "<answer>5 km (not 5 m)</answer>",
        "<answer>5 km</answer>",
    ):
        assert v.verify(right, 5.0, unit="km").status == "correct", right
    env = gymhub.make("gymhub/UnitConvert-v0", max_attempts=1)
    env.reset(seed=3)
    task, unit = env.task, env.task.metadata["to_unit"]
    source = f"{task.metadata['value']} {task.metadata['from_unit']}"
    _, reward, _, _, _ = env.step(f"<answer>{task.answer:.6g} {unit} ({source})</answer>")
    assert reward == 1.0


def test_unit_convert_refusals_are_linear_on_long_runs() -> None:
    import time

    from gymhub.envs.basic.unit_convert import UnitAnswerVerifier

    v = UnitAnswerVerifier(rel_tol=1e-4)
    for piece in ("1", "1,", " ", ", not 5", "5 km ", "(not 5 km) ", "e", "?"):
        text = "<answer>5 km</answer>" + piece * (100_000 // len(piece))
        start = time.monotonic()
        v.verify(text, 5.0, unit="km")
        assert time.monotonic() - start < 2.0, piece


def test_guess_number_pays_no_denied_or_bounded_number() -> None:
    """`not 7`, `anything but 7` and `>= 7` were read as the guess 7 and paid."""
    env = gymhub.make("gymhub/GuessNumber-v0", difficulty=1)
    env.reset(seed=0)
    secret = int(env.task.answer)
    for no_guess in (
        f"not {secret}",
        f"anything but {secret}",
        f"everything except {secret}",
        f">= {secret}",
        f"at least {secret}",
        f"more than {secret - 1}",
        f"between {secret - 1} and {secret}",
        f"{secret}.5",
    ):
        env.reset(seed=0)
        _, reward, terminated, _, info = env.step(no_guess)
        assert (reward, terminated, info["verdict"]) == (0.0, False, "unparseable"), no_guess
    for guess in (f"{secret}.0", f"{secret} (not {secret + 1})", f"My guess is {secret}."):
        env.reset(seed=0)
        assert env.step(guess)[1] == 1.0, guess


def test_unit_convert_reads_thousands_grouped_by_thin_spaces() -> None:
    """`23 868 000 s` with narrow no-break spaces (SI style) was three numbers, a hedge."""
    from gymhub.envs.basic.unit_convert import UnitAnswerVerifier

    v = UnitAnswerVerifier(rel_tol=1e-4)
    for sep in ("\u202f", "\u2009", "\u00a0"):
        answer = f"<answer>23{sep}868{sep}000 s</answer>"
        assert v.verify(answer, 23868000.0, unit="s").status == "correct", repr(sep)
    assert v.verify("<answer>23 868 000 s</answer>", 23868000.0, unit="s").reward == 0.0


def test_an_answer_doubted_after_its_tag_is_no_answer_in_the_basic_envs() -> None:
    """`<answer>42</answer> (not sure)` was a guess in GuessNumber and a paid answer in
    UnitConvert and ChrF: the doubt after the tag was not read."""
    from gymhub.envs.basic.unit_convert import UnitAnswerVerifier
    from gymhub.verifiers.string_match import answer_doubted, final_answer_text
    from gymhub.verifiers.text_metrics import ChrF

    env = gymhub.make("gymhub/GuessNumber-v0")
    env.reset(seed=0)
    secret = int(env.task.answer)
    _, reward, _, _, info = env.step(f"<answer>{secret}</answer> (not sure)")
    assert (reward, info["verdict"]) == (0.0, "unparseable")
    units = UnitAnswerVerifier(rel_tol=1e-4)
    for doubted in (
        "<answer>5000</answer> (not sure)",
        "\\boxed{5000 m}, I guess",
        "<answer>5000</answer> maybe",
    ):
        assert units.verify(doubted, 5000.0, unit="m").status == "incorrect", doubted
    assert (
        units.verify("<answer>5000</answer>\nPerhaps also useful: 5 km.", 5000.0, unit="m").reward
        == 1.0
    )
    assert ChrF().verify("<answer>Bonjour</answer>, I guess", "Bonjour").status == "unparseable"
    assert final_answer_text("<answer>7</answer> probably") == ""
    assert final_answer_text("<answer>7</answer>. Probably right.") == "7"
    assert answer_doubted("\\boxed{7}, not sure") and not answer_doubted("\\boxed{7}")


def test_guess_number_an_approximate_guess_or_a_spelled_out_second_candidate_is_no_guess() -> None:
    """`around 7`, `7 or so`, `7ish`, `~7` cover the neighbours too, and `7 or eleven` names a
    second candidate in words: each was paid as the guess 7."""
    env = gymhub.make("gymhub/GuessNumber-v0")
    env.reset(seed=0)
    secret = int(env.task.answer)
    for hedge in (
        f"around {secret}",
        f"about {secret}",
        f"roughly {secret}",
        f"{secret} or so",
        f"{secret}ish",
        f"~{secret}",
        f"\u2248{secret}",
        f"{secret} or higher",
        f"{secret} or eleven",
        f"twelve or {secret}",
        f"{secret}, nine",
    ):
        env.reset(seed=0)
        _, reward, _, _, info = env.step(hedge)
        assert (reward, info["verdict"]) == (0.0, "unparseable"), hedge
    for guess in (f"My guess is {secret}.", f"**{secret}**", f"Is it {secret}?"):
        env.reset(seed=0)
        assert env.step(guess)[1] == 1.0, guess
    env.reset(seed=0)
    start = time.monotonic()
    env.step("or eleven " * 10_000 + "around " * 10_000)
    assert time.monotonic() - start < 2.0


def test_another_answer_after_the_tag_is_a_hedge_in_guess_number_and_unit_convert() -> None:
    """`<answer>7</answer> No wait, 8.` and a later `Final answer:` line with another value
    were read as the tagged answer alone: UnitConvert paid it, GuessNumber took the guess."""
    from gymhub.envs.basic.unit_convert import UnitAnswerVerifier
    from gymhub.verifiers.string_match import final_answer_text, later_answers

    units = UnitAnswerVerifier(rel_tol=1e-4)
    for hedge in (
        "<answer>5000 m</answer>\nFinal answer: 6000 m",
        "<answer>5000 m</answer> No wait, 6000 m.",
        "<answer>6000</answer>\nFinal answer: 5000",
    ):
        assert units.verify(hedge, 5000.0, unit="m").status == "incorrect", hedge
    for same in (
        "<answer>5000 m</answer>\nFinal answer: 5000 meters",
        "<answer>5000</answer> The answer is 5000 because 1 km is 1000 m.",
    ):
        assert units.verify(same, 5000.0, unit="m").status == "correct", same
    env = gymhub.make("gymhub/GuessNumber-v0")
    env.reset(seed=0)
    secret = int(env.task.answer)
    assert env.step(f"<answer>{secret}</answer> No wait, {secret + 1}.")[4]["verdict"] == (
        "unparseable"
    )
    env.reset(seed=0)
    assert env.step(f"<answer>{secret}</answer>\nFinal answer: {secret}")[1] == 1.0
    assert final_answer_text("<answer>7</answer>\nAnswer: 8") == ""
    assert later_answers("<answer>7</answer>\nAnswer: 8") == ["8"]
    assert later_answers("7") == []
