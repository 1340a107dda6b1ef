"""The evaluation harness: failures apart, resume exactly once, rescore, compare, report, suites."""

from __future__ import annotations

import json

import pytest

import gymhub
from gymhub.evaluation import evaluate, read_traces, summarise
from gymhub.evaluation.compare import compare_runs
from gymhub.evaluation.report import render_html, summary_from_html
from gymhub.evaluation.rescore import arescore
from gymhub.evaluation.suites import SuiteError, available_suites, load_suite
from gymhub.policies import Policy, PolicyError, ReferencePolicy, ScriptedPolicy
from gymhub.types import Verdict


class FlakyReference(Policy):
    """The reference policy, except that calls for odd seeds fail like a dead endpoint."""

    name = "flaky"

    def __init__(self) -> None:
        self.calls = 0

    async def act(self, conversation, tools, env=None):
        self.calls += 1
        if env.episode_seed % 2:
            raise PolicyError("endpoint answered 503 after 4 tries")
        return env.reference_action()


def test_failed_episodes_are_counted_apart_with_reasons_and_left_out_of_scores():
    summaries, traces = evaluate(
        ["gymhub/Capitals-v0"], FlakyReference(), seeds=range(4), samples=2, ks=(1, 2)
    )
    (s,) = summaries
    assert s.episodes == 8 and s.failed == 4 and s.scored == 4
    assert s.pass_at_k == {"pass@1": 1.0, "pass@2": 1.0}  # the failures are not zeros
    assert s.mean_reward == 1.0
    assert s.failures == {"policy: endpoint answered 503 after 4 tries": 4}


class Counting(Policy):
    name = "counting"

    def __init__(self, inner: Policy) -> None:
        self.inner, self.calls = inner, 0
        self.name = inner.name  # transparent: resume checks the run was the same policy's

    async def act(self, conversation, tools, env=None):
        self.calls += 1
        return await self.inner.act(conversation, tools, env)


def test_a_run_killed_midway_and_resumed_gives_the_same_summary(tmp_path):
    envs = ["gymhub/Capitals-v0", "gymhub/GuessNumber-v0"]
    policy = ScriptedPolicy(["<answer>Paris</answer>", "50", "25", "75", "12"])
    kwargs = dict(seeds=range(5), samples=3, ks=(1, 3))
    full_path = tmp_path / "full.jsonl"
    full, _ = evaluate(envs, policy, output=full_path, **kwargs)
    lines = full_path.read_text().splitlines()
    assert len(lines) == 30
    # the crash: 11 whole lines survived and the 12th was cut in the middle
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(lines[:11]) + "\n" + lines[11][: len(lines[11]) // 2])
    counting = Counting(policy)
    resumed, traces = evaluate(envs, counting, output=cut, resume=True, **kwargs)
    assert len(traces) == 30 and len(read_traces(cut)) == 30
    assert len(cut.read_text().splitlines()) == 30  # the torn line is gone, nothing twice
    keys = [(t.env_id, t.seed, t.sample) for t in read_traces(cut)]
    assert len(set(keys)) == 30
    dump = lambda ss: [s.model_dump(exclude={"mean_seconds"}) for s in ss]  # noqa: E731
    assert dump(resumed) == dump(full)
    # resuming a finished run runs nothing
    again = Counting(policy)
    evaluate(envs, again, output=cut, resume=True, **kwargs)
    assert again.calls == 0


class AlwaysWrong:
    name, version = "always-wrong", "1"

    def verify(self, response, reference, **context):
        return Verdict(reward=0.0, status="incorrect")


def test_rescore_reports_changed_verdicts_without_calling_the_model(tmp_path):
    import asyncio

    path = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3), output=path)
    traces = read_traces(path)
    same, unchanged = asyncio.run(arescore(traces))
    assert unchanged == [] and [t.total_reward for t in same] == [1.0] * 3
    new, changes = asyncio.run(arescore(traces, verifier=AlwaysWrong()))
    assert len(changes) == 3
    assert {(c.old_status, c.new_status) for c in changes} == {("correct", "incorrect")}
    assert summarise(new)[0].mean_reward == 0.0


def test_compare_flags_a_real_difference_only(tmp_path):
    good, _ = evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(12))
    _, good_traces = evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(12))
    _, bad_traces = evaluate(
        ["gymhub/Capitals-v0"], ScriptedPolicy(["<answer>Atlantis</answer>"]), seeds=range(12)
    )
    (row,) = compare_runs(bad_traces, good_traces)
    assert row["tasks"] == 12 and row["diff"] == 1.0 and row["significant"]
    (same,) = compare_runs(good_traces, good_traces)
    assert same["diff"] == 0.0 and not same["significant"]


def test_html_report_embeds_the_same_numbers(tmp_path):
    summaries, traces = evaluate(
        ["gymhub/Capitals-v0", "gymhub/GuessNumber-v0"], ReferencePolicy(), seeds=range(3)
    )
    page = render_html(summaries, traces, title="t <script>")
    assert "<script>" not in page.split("<body>")[1].split('id="summary"')[0]  # escaped
    assert summary_from_html(page) == json.loads(json.dumps([s.model_dump() for s in summaries]))
    assert page.count("<details>") == len(traces) and page.count("<svg") == 4


def test_shipped_suites_load_and_name_real_envs():
    assert set(available_suites()) >= {"math", "code", "logic", "web"}
    for name in available_suites():
        suite = load_suite(name)
        assert suite.envs and suite.seeds
        for entry in suite.envs:
            gymhub.spec(entry.id)
    with pytest.raises(SuiteError, match="not a shipped suite"):
        load_suite("nope")


def test_suite_file_errors_name_the_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("envs: []\n")
    with pytest.raises(SuiteError, match="envs"):
        load_suite(bad)
    bad.write_text("envs: [gymhub/Capitals-v0]\nseeds: -3\n")
    with pytest.raises(SuiteError, match="seeds"):
        load_suite(bad)


def test_decontaminate_flags_exactly_the_shared_tasks(tmp_path):
    from gymhub.evaluation.decontaminate import env_prompts, jsonl_texts, overlap_report

    prompts = env_prompts([("gymhub/MathGen-v0", None, range(5))])
    train = env_prompts([("gymhub/MathGen-v0", None, range(3, 13))])
    (row,) = overlap_report(prompts, [t for _, _, t in train], n=8)
    assert row.prompts == 5 and row.contaminated == 2 and row.examples == [3, 4]
    # the same through a training JSONL, and through the command line
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps({"question": t}) + "\n" for _, _, t in train))
    (again,) = overlap_report(prompts, jsonl_texts(data), n=8)
    assert again.examples == [3, 4]
    import subprocess
    import sys

    args = ["eval", "decontaminate", "gymhub/MathGen-v0", "--seeds", "5", "--n", "8"]
    flagged = subprocess.run(
        [sys.executable, "-m", "gymhub", *args, "--train", str(data), "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert flagged.returncode == 1 and json.loads(flagged.stdout)[0]["contaminated"] >= 1
    clean = subprocess.run(
        [sys.executable, "-m", "gymhub", *args, "--train-env", "gymhub/MathGen-v0@500:5"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_reserved_evaluation_seeds_are_never_drawn_by_the_trainer():
    from gymhub.evaluation.suites import EVAL_SEED_START, Suite
    from gymhub.trainers.trainer import TRAIN_SEED_LIMIT

    assert TRAIN_SEED_LIMIT <= EVAL_SEED_START
    suite = Suite.model_validate({"name": "x", "seeds": {"reserved": 3}, "envs": ["a/B-v0"]})
    assert suite.seeds == [EVAL_SEED_START, EVAL_SEED_START + 1, EVAL_SEED_START + 2]
    for name in available_suites():
        assert min(load_suite(name).seeds) >= EVAL_SEED_START, name
