"""The accepted answer forms of the basic and toy envs (docs/envs/basic.md, docs/envs/README.md):
hedges and candidate lists earn nothing."""

from __future__ import annotations

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
    for hedge in ("7 or 8", "7,8", "7 8", "<answer>7</answer><answer>8</answer>"):
        assert v.verify(hedge, "7").reward == 0.0, hedge


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
