"""`bare_answer=True`: a reply that is nothing but the answer is read as if it were inside its
`<answer>` tag, by the same family check, so hedges stay refused (as `test_hedges` proves for
tags); off by default."""

from __future__ import annotations

import pytest

import gymhub
from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import BARE_ANSWER_MAX_CHARS, as_tagged
from gymhub.errors import InvalidOptionsError
from tests.logic.test_hedges import HEDGES, JOINABLE, task_for, wrong_answers

discover_families()
NAMES = sorted(FAMILIES)
CASES = [(1, 1), (2, 4)]  # (seed, difficulty)


def is_bare(text: str) -> bool:
    return as_tagged(text) != text


@pytest.mark.parametrize("name", NAMES)
def test_a_bare_hedge_never_pays_and_a_bare_gold_does(name: str) -> None:
    family = FAMILIES[name]
    for seed, difficulty in CASES:
        task = task_for(name, seed, difficulty)
        gold = family.format_answer(task)
        if is_bare(gold):
            assert family.verify(as_tagged(gold), task).reward == 1.0, (name, gold)
        for wrong in wrong_answers(name, task):
            if family.verify(f"<answer>{wrong}</answer>", task).reward > 0:
                continue  # another valid solution
            for form, template in HEDGES.items():
                if name in JOINABLE and form in ("comma", "lines"):
                    continue
                for a, b in ((gold, wrong), (wrong, gold)):
                    response = template.format(a=a, b=b)
                    verdict = family.verify(as_tagged(response), task)
                    assert verdict.reward == 0.0, (name, form, response[:200], verdict)
                    bare = response.replace("<answer>", "").replace("</answer>", "")
                    verdict = family.verify(as_tagged(bare), task)
                    assert verdict.reward == 0.0, (name, form, bare[:200], verdict)
        question = task.question.strip()
        assert family.verify(as_tagged(question), task).reward == 0.0, name


def test_only_one_short_line_without_markup_is_a_bare_answer() -> None:
    assert as_tagged(" 7 \n") == "<answer>7</answer>"
    assert as_tagged("yes") == "<answer>yes</answer>"
    for text in ("", "   ", "7\n8", "<answer>7", "<think>7", "7</answer>", "x" * 201):
        assert as_tagged(text) == text
    assert is_bare("x" * BARE_ANSWER_MAX_CHARS)


def test_the_env_reads_bare_answers_only_when_asked() -> None:
    plain = gymhub.make("gymhub/Logic-CountPrimes-v0")
    bare = gymhub.make("gymhub/Logic-CountPrimes-v0", bare_answer=True)
    mix = gymhub.make("gymhub/Logic-Mix-v0", weights={"count_primes": 1}, bare_answer=True)
    for env in (plain, bare, mix):
        env.reset(seed=1, options={"difficulty": 1})
    gold = FAMILIES["count_primes"].format_answer(bare.task)
    wrong = str(int(gold) + 1)
    assert plain.step(gold)[4]["verdict"] == "unparseable"  # the default asks for the tag
    assert mix.step(gold)[1] == 1.0
    for reply, reward, verdict in (
        (gold, 1.0, "correct"),
        (f" {gold}.\n", 1.0, "correct"),
        (f"<answer>{gold}</answer>", 1.0, "correct"),  # the tag still works
        (f"<answer>{gold}</answer><answer>{wrong}</answer>", 0.0, "incorrect"),
        (f"{gold} or {wrong}", 0.0, None),
        (f"{gold}\n{wrong}", 0.0, "unparseable"),
        (f"<answer>{gold}", 0.0, "unparseable"),
        (wrong, 0.0, "incorrect"),
    ):
        bare.reset(seed=1, options={"difficulty": 1})
        _, got, terminated, _, info = bare.step(reply)
        assert terminated and got == reward, reply
        assert verdict is None or info["verdict"] == verdict, (reply, info["verdict"])
    for env in (plain, bare, mix):
        env.close()


def test_a_bad_bare_answer_setting_says_what_is_wrong() -> None:
    with pytest.raises(InvalidOptionsError, match="bare_answer must be true or false"):
        gymhub.make("gymhub/Logic-CountPrimes-v0", bare_answer="yes")
