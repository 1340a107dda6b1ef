"""Estimators checked against hand computations and simulation."""

from __future__ import annotations

import math
import random
from itertools import combinations

import pytest

from gymhub.evaluation import bootstrap_ci, maj_at_k, mean_at_k, paired_test, pass_at_k


def test_pass_at_k_hand_computed_cases_up_to_256_samples():
    assert pass_at_k(5, 2, 3) == pytest.approx(1 - 1 / 10)  # 1 - C(3,3)/C(5,3)
    assert pass_at_k(4, 1, 2) == pytest.approx(0.5)  # 1 - C(3,2)/C(4,2) = 1 - 3/6
    assert pass_at_k(256, 0, 256) == 0.0
    assert pass_at_k(256, 1, 1) == pytest.approx(1 / 256)
    assert pass_at_k(256, 1, 256) == 1.0
    assert pass_at_k(256, 128, 2) == pytest.approx(1 - (128 * 127) / (256 * 255))
    # k = 128 of 256 with 1 pass: exactly the chance that the pass is among the k drawn
    assert pass_at_k(256, 1, 128) == pytest.approx(0.5)
    for n, c, k in [(6, 2, 2), (7, 3, 4), (8, 0, 3), (5, 5, 5)]:
        subsets = list(combinations(range(n), k))
        expected = sum(any(i < c for i in s) for s in subsets) / len(subsets)
        assert pass_at_k(n, c, k) == pytest.approx(expected)
    with pytest.raises(ValueError):
        pass_at_k(3, 1, 4)
    with pytest.raises(ValueError):
        pass_at_k(3, 4, 1)


def test_mean_and_majority_at_k():
    assert mean_at_k([1.0, 0.0, 0.5, 1.0], 2) == 0.5
    assert mean_at_k([1.0, 0.0, 0.5, 1.0], 4) == pytest.approx(0.625)
    answers = ["7", "8", "8", None]
    correct = [True, False, False, False]
    assert maj_at_k(answers, correct, 1) == 1.0
    assert maj_at_k(answers, correct, 3) == 0.0  # "8" wins the vote and is wrong
    assert maj_at_k(["7", "8"], [True, False], 2) == 1.0  # tie: the first seen wins
    assert maj_at_k([None, None], [False, False], 2) == 0.0


def test_bootstrap_intervals_cover_the_truth_at_the_nominal_rate():
    rng = random.Random(1)
    truth, tasks, runs = 0.3, 60, 200
    covered = 0
    for run in range(runs):
        values = [float(rng.random() < truth) for _ in range(tasks)]
        lo, hi = bootstrap_ci(values, resamples=300, seed=run)
        covered += lo <= truth <= hi
    rate = covered / runs
    assert 0.88 <= rate <= 0.99, rate  # nominal 95%; percentile bootstrap runs a little low


def test_paired_test_separates_real_differences_from_noise():
    same = paired_test([1, 0, 1, 0, 1], [1, 0, 1, 0, 1])
    assert same["p"] == 1.0 and same["mean_diff"] == 0.0
    better = paired_test([0.0] * 20, [1.0] * 20)
    assert better["p"] < 0.001 and better["mean_diff"] == 1.0 and better["ci_low"] > 0.5
    noise = paired_test([1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 1, 0])
    assert noise["p"] > 0.5
    # exact enumeration: 3 tasks each +1 -> p = 2 / 8 (all +, all -)
    assert paired_test([0, 0, 0], [1, 1, 1])["p"] == pytest.approx(0.25)
    assert math.isnan(paired_test([], [])["mean_diff"])


def test_intervals_of_a_few_tasks_that_all_passed_or_failed_are_not_a_single_point():
    """The bootstrap of values that are all the same is that value alone: [1.00, 1.00] from 3
    tasks would claim a certainty they cannot give. Figures in [0, 1] get at least the Wilson
    score interval for as many tasks."""
    lo, hi = bootstrap_ci([1.0, 1.0, 1.0])
    assert hi == 1.0 and 0.3 < lo < 0.6
    lo, hi = bootstrap_ci([0.0])
    assert lo == 0.0 and hi > 0.5
    lo, hi = bootstrap_ci([1.0] * 200)  # many tasks: tight, as it should be
    assert lo > 0.97
    # coverage where the bootstrap alone fails: a high true rate over few tasks
    rng = random.Random(3)
    truth, runs = 0.95, 300
    covered = 0
    for run in range(runs):
        values = [float(rng.random() < truth) for _ in range(10)]
        lo, hi = bootstrap_ci(values, resamples=200, seed=run)
        covered += lo <= truth <= hi
    assert covered / runs >= 0.9, covered / runs


def test_a_summary_of_three_passing_tasks_has_an_honest_interval():
    from gymhub.evaluation import evaluate
    from gymhub.policies import ReferencePolicy

    (summary,) = evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3))[0]
    assert summary.pass_at_k["pass@1"] == 1.0
    lo, hi = summary.ci["pass@1"]
    assert lo < 0.6 and hi == 1.0
    assert summary.ci["mean_reward"][0] < 0.6


@pytest.mark.parametrize(
    "call",
    [
        lambda: pass_at_k(4.0, 2, 2),
        lambda: pass_at_k(True, 1, 1),
        lambda: pass_at_k(4, 2, 1.5),
        lambda: bootstrap_ci([0.5, math.nan]),
        lambda: bootstrap_ci([0.5, math.inf]),
        lambda: bootstrap_ci([0.5], resamples=0),
        lambda: bootstrap_ci([0.5], level=1.5),
        lambda: mean_at_k([1.0, math.nan], 2),
        lambda: paired_test([0.0, math.nan], [1.0, 1.0]),
    ],
)
def test_statistics_refuse_inputs_they_cannot_use(call):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert not isinstance(info.value, (IndexError, ZeroDivisionError))
    assert str(info.value)


def test_paired_differences_keep_the_plain_bootstrap():
    # ties are no proportion: no Wilson bound that would make [0, 0] a one-sided [0, 0.8]
    tied = paired_test([1.0, 0.0, 1.0], [1.0, 0.0, 1.0])
    assert (tied["ci_low"], tied["ci_high"]) == (0.0, 0.0) and tied["p"] == 1.0


def test_majority_vote_counts_the_final_tool_call_as_the_answer():
    """In a tool env the answer is the last tool call; its text is empty. Voting on text alone
    gave every sample no vote (maj@k 0 for a model right every time) or an earlier turn's text."""
    from gymhub.evaluation import summarise
    from gymhub.evaluation.summary import EvalTrace
    from gymhub.types import Message, ToolCall

    def trace(sample: int, answer: int, reward: float) -> EvalTrace:
        call = ToolCall(name="submit", arguments={"answer": answer})
        messages = [
            Message(role="user", content="2+2?"),
            Message(role="assistant", content="let me think"),
            Message(role="user", content="go on"),
            Message(role="assistant", content="", tool_calls=[call]),
        ]
        return EvalTrace(
            env_id="test/Tools-v0", seed=0, sample=sample, messages=messages, rewards=[reward]
        )

    right = [trace(0, 4, 1.0), trace(1, 4, 1.0), trace(2, 5, 0.0)]
    (summary,) = summarise(right, ks=(3,))
    assert summary.maj_at_k["maj@3"] == 1.0
    wrong = [trace(0, 5, 0.0), trace(1, 5, 0.0), trace(2, 4, 1.0)]
    (summary,) = summarise(wrong, ks=(3,))
    assert summary.maj_at_k["maj@3"] == 0.0  # the majority's call is the wrong one


def test_family_rollup_weighs_tasks_not_samples():
    """An env run with 4 samples per task weighed 4 times as much as one run with 1 in the
    family's figures; each env's figures are task means, and so is the rollup."""
    from gymhub.evaluation.summary import EnvSummary, by_family

    many = EnvSummary(
        env_id="a", family="f", episodes=8, scored=8, tasks=2, mean_reward=1.0, mean_turns=1.0,
        pass_at_k={"pass@1": 1.0},
    )  # fmt: skip
    few = EnvSummary(
        env_id="b", family="f", episodes=2, scored=2, tasks=2, mean_reward=0.0, mean_turns=1.0,
        pass_at_k={"pass@1": 0.0},
    )  # fmt: skip
    row = by_family([many, few])["f"]
    assert row["pass@1"] == 0.5 and row["mean_reward"] == 0.5 and row["tasks"] == 4
    failed = EnvSummary(env_id="c", family="g", episodes=3, failed=3, mean_reward=None,
                        mean_turns=None)  # fmt: skip
    assert "mean_reward" not in by_family([failed])["g"]


def test_components_and_success_by_difficulty_are_task_means_like_the_mean_reward():
    """A task with 4 scored samples weighed 4 times one whose other samples failed in the reward
    components and the success per difficulty, while the mean reward and pass@1 weigh tasks
    alike: the same run showed success 0.8 at its only difficulty and pass@1 0.5."""
    from gymhub.evaluation import summarise
    from gymhub.evaluation.summary import EvalTrace

    def trace(seed, sample, reward, error=None):
        return EvalTrace(
            env_id="e", seed=seed, sample=sample, rewards=[reward], turns=1, error=error,
            options={"difficulty": 3}, reward_components={"exact": reward},
            status="correct" if reward else "incorrect",
        )  # fmt: skip

    traces = [trace(0, i, 1.0) for i in range(4)]  # solved, every sample scored
    traces += [trace(1, 0, 0.0)] + [trace(1, i, 0.0, "policy: 503") for i in (1, 2, 3)]
    (s,) = summarise(traces, ks=(1,))
    assert s.mean_reward == s.pass_at_k["pass@1"] == 0.5
    assert s.reward_components == {"exact": 0.5}
    assert s.by_difficulty == {"3": {"episodes": 5, "tasks": 2, "success": 0.5}}


def test_the_reward_interval_of_penalties_is_not_a_single_point():
    """One task rewarded -1 (a penalty below the 0-to-full range) had the interval [-1, -1]: the
    small-sample floor only held for rewards inside [0, full reward]."""
    from gymhub.evaluation import summarise
    from gymhub.evaluation.summary import EvalTrace

    def trace(seed, reward):
        return EvalTrace(env_id="e", seed=seed, rewards=[reward], turns=1, status="incorrect")

    for rewards in ([-1.0], [-1.0, -1.0, -1.0], [2.0]):
        (s,) = summarise([trace(seed, r) for seed, r in enumerate(rewards)])
        low, high = s.ci["mean_reward"]
        assert low <= s.mean_reward <= high and high - low > 0.3, (rewards, low, high)
    # inside [0, 1] the floor is the Wilson interval, as before
    (s,) = summarise([trace(0, 1.0)])
    assert s.ci["mean_reward"] == s.ci["pass@1"]


def test_majority_vote_is_on_the_marked_answer_not_the_whole_reply():
    """Samples that reasoned differently but gave one answer never agreed (each whole text was
    its own vote), so maj@k was only the first sample's verdict: two right samples out of three
    lost to a wrong first one."""
    from gymhub.evaluation import summarise
    from gymhub.evaluation.summary import EvalTrace, final_answer
    from gymhub.types import Message

    def trace(sample, text, reward):
        return EvalTrace(
            env_id="e", seed=0, sample=sample, rewards=[reward], turns=1,
            messages=[Message(role="user", content="q"), Message(role="assistant", content=text)],
            status="correct" if reward else "incorrect",
        )  # fmt: skip

    traces = [
        trace(0, "Guessing: <answer>Lyon</answer>", 0.0),
        trace(1, "The capital is Paris. <answer>Paris</answer>", 1.0),
        trace(2, "France's seat of government... <ANSWER>Paris</ANSWER>", 1.0),
    ]
    (s,) = summarise(traces, ks=(3,))
    assert s.maj_at_k == {"maj@3": 1.0}
    boxed = trace(0, r"so x = \boxed{\frac{1}{2}} done", 1.0)
    assert final_answer(boxed) == r"\frac{1}{2}"
    assert final_answer(trace(0, "no mark here", 0.0)) == "no mark here"
