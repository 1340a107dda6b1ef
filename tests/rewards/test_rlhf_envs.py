"""The RLHF-style envs: Chat-v0 with a real reward model, Rubric-v0 with a judge server and
decaying scaffolding, Translate-v0's metric and format gate, PairwiseJudge-v0; `gymhub check`
adapted to learned rewards."""

from __future__ import annotations

import math

import pytest

import gymhub
from gymhub.verifiers.judge import JudgeVerifier
from gymhub.verifiers.judge_gate import MASTER_KEYS
from gymhub.verifiers.reward_model import RewardModelVerifier
from tests.rewards.helpers import judge_app, serve_app

LEARNED = ["gymhub/Chat-v0", "gymhub/Rubric-v0"]


def test_specs_declare_learned_rewards():
    assert [gymhub.spec(i).reward_kind for i in LEARNED] == ["learned", "learned"]
    assert gymhub.spec("gymhub/Math-v0").reward_kind == "rule"
    with pytest.raises(Exception, match="reward_kind"):
        gymhub.register("x/Bad-v0", "a:b", reward_kind="magic")


@pytest.mark.parametrize(
    "env_id",
    ["gymhub/Chat-v0", "gymhub/Rubric-v0", "gymhub/Translate-v0", "gymhub/PairwiseJudge-v0"],
)
def test_conformance(env_id):
    report = gymhub.check_env(env_id)
    assert report.passed, report.summary()


def test_check_still_catches_a_learned_env_that_rewards_empty_answers():
    from gymhub.envs.rlhf.env import DATA, PromptAwareEnv
    from gymhub.tasks import JsonlSource
    from gymhub.types import Verdict
    from gymhub.verifiers.base import FunctionVerifier

    # a learned env without a rule gate, whose "model" likes everything
    source = JsonlSource(DATA / "chat.jsonl", columns={"question": "prompt", "answer": "reference"})
    env = PromptAwareEnv(
        source, FunctionVerifier(lambda r, ref, **k: Verdict(reward=0.9, status="partial"))
    )
    env.env_id = "gymhub/Chat-v0"  # checked as a learned env
    report = gymhub.check_env(env, skip=("gymnasium_check_env",))
    junk = next(r for r in report.results if r.name == "junk_actions_low_reward_no_raise")
    assert not junk.passed and "'empty'" in junk.detail
    reference = next(r for r in report.results if r.name == "reference_reaches_max_reward")
    assert reference.passed and "learned reward" in reference.detail


def test_chat_env_scores_with_the_given_reward_model(tiny_rm_path):
    env = gymhub.make("gymhub/Chat-v0", reward_model=str(tiny_rm_path))
    obs, _ = env.reset(seed=0)
    reference = env.reference_action().text
    rm = RewardModelVerifier(str(tiny_rm_path))
    prompt = [m.model_dump(mode="json", exclude_none=True) for m in obs.messages]
    answer = "Here is a careful, helpful answer."
    expected = rm.verify(answer, prompt=prompt).components["rm_score"]
    baseline = rm.verify(reference, prompt=prompt).components["rm_score"]
    _, reward, terminated, _, info = env.step(answer)
    assert terminated and info["reward_components"]["rm_score"] == pytest.approx(expected, abs=1e-6)
    assert reward == pytest.approx(1 / (1 + math.exp(-(expected - baseline))), abs=1e-6)
    for key in MASTER_KEYS[:4]:
        env.reset(seed=0)
        _, reward, _, _, info = env.step(key)
        assert reward == 0.0 and "rm_score" not in info["reward_components"]


def test_chat_think_format_gate(tiny_rm_path):
    env = gymhub.make("gymhub/Chat-v0", reward_model=str(tiny_rm_path), think=True)
    obs, _ = env.reset(seed=1)
    assert "<think>" in obs.messages[0].content
    _, reward, _, _, info = env.step("An answer without thinking.")
    assert reward == 0.0 and info["verdict"] == "unparseable"
    env.reset(seed=1)
    _, reward, _, _, info = env.step("<think>plan the reply</think>A real reply.")
    assert info["reward_components"]["format"] == 1.0 and 0.0 < reward < 1.0
    env.reset(seed=1)
    _, reward, _, _, _ = env.step("<think>plan</think>Solution:")  # master key after thinking
    assert reward == 0.0


def test_rubric_env_with_a_judge_and_decaying_scaffold():
    with serve_app(judge_app()) as url:
        judge = JudgeVerifier("sensible", base_url=url + "/v1")
        env = gymhub.make("gymhub/Rubric-v0", judge=judge, scaffold=True, scaffold_decay_steps=10)
        obs, _ = env.reset(seed=0, options={"train_step": 0})
        assert obs.messages[-1].content.count("\n- ") == 3
        obs, _ = env.reset(seed=0, options={"train_step": 5})
        assert obs.messages[-1].content.count("\n- ") == 2
        obs, _ = env.reset(seed=0, options={"train_step": 10})
        assert "A good answer covers" not in obs.messages[-1].content
        reference = env.reference_action().text
        _, reward, _, _, info = env.step(reference)
        assert reward == 1.0 and info["reward_components"]["judge_score"] == 10
        env.reset(seed=0)
        _, reward, _, _, _ = env.step("Thought process:")
        assert reward == 0.0
        sent = judge.judge_messages("x", prompt="q", rubric=["Mentions boiling water"])
        assert "- Mentions boiling water" in sent[0]["content"]
    with pytest.raises(Exception, match="train_step"):
        env.reset(options={"train_step": -1})


def test_rubric_keyword_stand_in():
    env = gymhub.make("gymhub/Rubric-v0")
    env.reset(seed=0)
    task = env.task
    items = task.metadata["rubric"]
    first = items[0]["keywords"][0]
    _, reward, _, _, info = env.step(f"You should {first} it.")
    assert reward == pytest.approx(1 / len(items)) and info["reward_components"]["rubric/0"] == 1.0


def test_translate_env_metric_and_format_gate():
    env = gymhub.make("gymhub/Translate-v0")
    env.reset(seed=0)
    reference = env.reference_action().text
    _, reward, _, _, info = env.step("<think>easy</think>" + reference)
    assert reward == 1.0 and info["reward_components"]["format"] == 1.0
    env.reset(seed=0)
    _, reward, _, _, _ = env.step("<translation>completely unrelated words here</translation>")
    assert 0.0 <= reward < 0.5
    for bad in [
        "no tags at all",
        "<translation></translation>",
        "<translation>a</translation><translation>b</translation>",
        "<translation>:</translation>",
    ]:
        env.reset(seed=0)
        _, reward, _, _, info = env.step(bad)
        assert reward == 0.0 and info["verdict"] == "unparseable", bad
    bleu = gymhub.make("gymhub/Translate-v0", metric="bleu")
    bleu.reset(seed=0)
    assert bleu.step(bleu.reference_action())[1] == 1.0


def test_translate_with_a_learned_metric(tiny_rm_path):
    env = gymhub.make("gymhub/Translate-v0", learned_metric=str(tiny_rm_path), learned_weight=0.5)
    env.reset(seed=0)
    _, reward, _, _, info = env.step(env.reference_action())
    learned = info["reward_components"]["learned"]
    assert 0.0 < learned < 1.0 and reward == pytest.approx(0.5 + 0.5 * learned)


def test_pairwise_judge_env():
    env = gymhub.make("gymhub/PairwiseJudge-v0")
    letters = set()
    for seed in range(6):
        obs, _ = env.reset(seed=seed)
        gold = env.task.answer
        letters.add(gold)
        assert "[Response A]" in obs.messages[-1].content
        other = "B" if gold == "A" else "A"
        assert env.step(f"\\boxed{{{gold}}}")[1] == 1.0
        env.reset(seed=seed)
        assert env.step(f"\\boxed{{{other}}}")[1] == 0.0
        env.reset(seed=seed)
        assert env.step("\\boxed{A} or \\boxed{B}")[1] == 0.0
    assert letters == {"A", "B"}  # the preferred response is not always on one side


def test_pairwise_judge_constant_letter_is_paid_on_half_the_records():
    # the side was a coin flip per record (its hash alone): a constant letter's pay depended on
    # how the flips fell for the record set
    from gymhub.envs.rlhf.env import DATA, PairwiseSource

    golds = [task.answer for task in PairwiseSource(DATA / "chat.jsonl").tasks]
    assert abs(golds.count("A") - golds.count("B")) <= 1


def test_pairwise_judge_sides_are_balanced_for_any_record_set(tmp_path):
    import json

    from gymhub.envs.rlhf.env import PairwiseSource

    for count in (1, 2, 7, 50):
        path = tmp_path / f"pairs{count}.jsonl"
        rows = [
            {"id": f"r{i}", "prompt": f"q{i}", "chosen": f"good {i}", "rejected": f"bad {i}"}
            for i in range(count)
        ]
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
        tasks = PairwiseSource(path).tasks
        golds = [t.answer for t in tasks]
        assert abs(golds.count("A") - golds.count("B")) <= 1
        for task, row in zip(tasks, rows):  # the gold letter names the chosen response
            a_part = task.question.split("[Response A]")[1].split("[Response B]")[0]
            assert (row["chosen"] in a_part) == (task.answer == "A")


RUBRIC = [
    {"criterion": "Mentions boiling water", "keywords": ["boil"]},
    {"criterion": "Gives a steeping time", "keywords": ["minute"]},
    {"criterion": "Mentions punctuality", "keywords": ["on time", "punctual"]},
]


@pytest.mark.parametrize(
    "response",
    [
        "boil minute on time",  # the keywords alone
        "boil, minute, on time",
        "- boil\n- minute\n- on time",
        "Mentions boiling water\nGives a steeping time\nMentions punctuality",  # the rubric back
        "**boil** **minute** **on time**",
    ],
)
def test_the_keyword_stand_in_pays_no_keyword_list_or_copied_rubric(response):
    from gymhub.envs.rlhf.env import KeywordRubric

    verdict = KeywordRubric().verify(response, rubric_items=RUBRIC)
    assert verdict.reward == 0.0 and verdict.status == "incorrect", verdict


def test_the_keyword_stand_in_still_pays_prose_that_covers_the_rubric():
    from gymhub.envs.rlhf.env import KeywordRubric

    answer = (
        "Boil the water first. Steep for 3-5 minutes, then drink it while it is hot; "
        "serve it on time for your guests."
    )
    assert KeywordRubric().verify(answer, rubric_items=RUBRIC).reward == 1.0
    partial = KeywordRubric().verify("Boil fresh water in a kettle.", rubric_items=RUBRIC)
    assert partial.status == "partial" and partial.reward == pytest.approx(1 / 3)


def test_the_shipped_rubric_references_are_paid_in_full():
    import gymhub

    env = gymhub.make("gymhub/Rubric-v0")
    for seed in range(12):
        env.reset(seed=seed)
        _, reward, *_ = env.step(env.reference_action())
        assert reward == 1.0, seed
