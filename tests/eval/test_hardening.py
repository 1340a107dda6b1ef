"""Adversarial checks of the evaluation harness: each test reproduces a bug that once gave wrong
figures, crashed a run, lost results or printed a traceback."""

from __future__ import annotations

import json

import pytest

from gymhub.evaluation import evaluate, read_traces
from gymhub.policies import Policy, PolicyError, ReferencePolicy, ScriptedPolicy


def test_a_job_named_twice_is_run_and_counted_once(tmp_path):
    """The same env given twice (an id and its family, a suite listing it twice) or a seed listed
    twice must not count the same task's episode twice."""
    path = tmp_path / "run.jsonl"
    (s,), traces = evaluate(
        ["gymhub/Capitals-v0", "gymhub/Capitals-v0"],
        ReferencePolicy(),
        seeds=[0, 0, 1],
        samples=2,
        ks=(1, 2),
        output=path,
    )
    assert s.episodes == 4 and len(traces) == 4
    assert len(path.read_text().splitlines()) == 4


class DownThenUp(Policy):
    """The reference policy behind an endpoint that is down while `down` is set."""

    name = "reference"

    def __init__(self, down: bool) -> None:
        self.down, self.calls = down, 0

    async def act(self, conversation, tools, env=None):
        self.calls += 1
        if self.down and env.episode_seed >= 2:
            raise PolicyError("cannot reach http://model/v1 after 4 tries: ConnectError")
        return env.reference_action()


def test_resume_reruns_the_episodes_that_failed_and_counts_each_job_once(tmp_path):
    """An endpoint that died halfway through a run: resuming must run the failed episodes again
    (they were never scored) and the new traces must replace the failures, not sit beside them."""
    path = tmp_path / "run.jsonl"
    (first,), _ = evaluate(["gymhub/Capitals-v0"], DownThenUp(True), seeds=range(4), output=path)
    assert first.failed == 2 and first.scored == 2
    up = DownThenUp(False)
    (s,), traces = evaluate(["gymhub/Capitals-v0"], up, seeds=range(4), output=path, resume=True)
    assert up.calls == 2  # only the two failed episodes
    assert s.failed == 0 and s.scored == 4 and s.pass_at_k == {"pass@1": 1.0}
    stored = read_traces(path)
    assert len(stored) == 4 and all(t.error is None for t in stored)
    assert len(path.read_text().splitlines()) == 4


def test_a_resumed_summary_covers_the_requested_jobs_only(tmp_path):
    """Resuming with fewer seeds or samples than the file holds reports what was asked for."""
    path = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(4), samples=2, output=path)
    (s,), traces = evaluate(
        ["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(2), output=path, resume=True
    )
    assert s.episodes == 2 and len(traces) == 2
    assert {(t.seed, t.sample) for t in traces} == {(0, 0), (1, 0)}
    assert len(read_traces(path)) == 8  # the file keeps everything it had


def cli(*args: str):
    """`gymhub ARGS` in this process: (exit code, stdout + stderr)."""
    from typer.testing import CliRunner

    from gymhub.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_an_existing_run_file_is_never_silently_truncated(tmp_path):
    run = tmp_path / "run.jsonl"
    code, out = cli("eval", "gymhub/Capitals-v0", "--seeds", "2", "-o", str(run), "--json")
    assert code == 0, out
    before = run.read_text()
    code, out = cli("eval", "gymhub/Capitals-v0", "--seeds", "2", "-o", str(run))
    assert code == 2 and "--resume" in out and "--overwrite" in out
    assert run.read_text() == before
    code, out = cli("eval", "gymhub/Capitals-v0", "--seeds", "1", "-o", str(run), "--overwrite")
    assert code == 0, out
    assert len(run.read_text().splitlines()) == 1


def test_resume_refuses_a_run_file_made_by_another_policy(tmp_path):
    """Resuming model B's run into model A's file would mix two models in one summary."""
    run = tmp_path / "run.jsonl"
    evaluate(
        ["gymhub/Capitals-v0"], ScriptedPolicy(["Paris"]), seeds=range(2), output=run,
        run_info={"sampling": {"model": "a", "temperature": 0.0}},
    )  # fmt: skip
    with pytest.raises(ValueError, match="scripted.*reference|policy"):
        evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3), output=run, resume=True)
    with pytest.raises(ValueError, match="sampling"):
        evaluate(
            ["gymhub/Capitals-v0"], ScriptedPolicy(["Paris"]), seeds=range(3), output=run,
            resume=True, run_info={"sampling": {"model": "b", "temperature": 0.0}},
        )  # fmt: skip
    assert len(read_traces(run)) == 2  # nothing was added or dropped


@pytest.mark.parametrize("where", ["dir", "unmakeable"])
def test_unwritable_output_paths_are_a_clear_error_not_a_traceback(tmp_path, where):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = tmp_path if where == "dir" else blocker / "sub" / "out"
    run = tmp_path / "run.jsonl"
    assert cli("eval", "gymhub/Capitals-v0", "--seeds", "1", "-o", str(run))[0] == 0
    for args in (
        ("eval", "gymhub/Capitals-v0", "--seeds", "1", "-o", str(target), "--overwrite"),
        ("eval", "report", str(run), "--html", str(target)),
        ("eval", "rescore", str(run), "-o", str(target)),
    ):
        code, out = cli(*args)
        assert code == 2 and "Traceback" not in out and str(target) in out, (args, out)


def test_a_report_crashing_mid_write_leaves_the_old_report_whole(tmp_path, monkeypatch):
    import gymhub.evaluation.report as report

    run, page = tmp_path / "run.jsonl", tmp_path / "report.html"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(2), output=run)
    assert cli("eval", "report", str(run), "--html", str(page))[0] == 0
    before = page.read_text()
    # a page that cannot be encoded fails halfway through the write
    monkeypatch.setattr(report, "render_html", lambda *a, **k: "<html>" + "\ud800" * 3)
    code, _ = cli("eval", "report", str(run), "--html", str(page))
    assert code != 0
    assert page.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "run.jsonl"]


def test_compare_json_is_valid_json_when_an_env_has_no_shared_task(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=[0, 1], output=a)
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=[2, 3], output=b)
    code, out = cli("eval", "compare", str(a), str(b), "--json")
    assert code == 0, out
    (row,) = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert row["tasks"] == 0 and row["a"] is None and row["diff"] is None
    assert not row["significant"]
    code, out = cli("eval", "compare", str(a), str(b))
    assert code == 0 and "nan" not in out.lower(), out


def test_mean_reward_is_the_statistic_its_interval_is_for():
    """With failures spread unevenly, an episode-weighted mean and a task-level bootstrap interval
    describe different things: the reported point fell outside its own 95% interval."""
    from gymhub.evaluation import summarise
    from gymhub.evaluation.summary import EvalTrace

    def trace(seed, sample, reward, error=None):
        return EvalTrace(
            env_id="e", seed=seed, sample=sample, rewards=[reward], turns=1, error=error,
            status="correct" if reward else "incorrect",
        )  # fmt: skip

    traces = []
    for seed in range(10):  # solved, all four samples scored
        traces += [trace(seed, i, 1.0) for i in range(4)]
    for seed in range(10, 20):  # unsolved, three of four samples failed (endpoint down)
        traces += [trace(seed, 0, 0.0)] + [trace(seed, i, 0.0, "policy: 503") for i in (1, 2, 3)]
    (s,) = summarise(traces, ks=(1,))
    low, high = s.ci["mean_reward"]
    assert low <= s.mean_reward <= high
    assert s.mean_reward == s.pass_at_k["pass@1"] == 0.5
