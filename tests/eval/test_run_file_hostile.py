"""Run files edited or corrupted by hand: a line the harness could never have written (a reward
that is not a finite number) is skipped like a torn line, never counted into a summary (a NaN
mean, and `--json` output that is not JSON) nor kept by `--resume` as a finished episode."""

from __future__ import annotations

import json

import pytest

from gymhub.evaluation import evaluate, read_traces, summarise
from gymhub.policies import ReferencePolicy
from tests.eval.test_hardening import cli


def _strict(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    "field, value",
    [
        ("rewards", [float("nan")]),
        ("rewards", [float("inf")]),
        ("rewards", [1e308, 1e308]),  # each finite, their total is not
        ("reward_components", {"exact": float("-inf")}),
        # values no run writes either: a NaN mean time (and `--json` that is not JSON), a mean
        # of negative turns, a sample index that names no sample
        ("timings", {"total_s": float("nan")}),
        ("timings", {"policy_s": -1.0}),
        ("turns", -5),
        ("sample", -1),
        # finite, but a few summed over a task overflow to inf (the summary crashed), and a turn
        # count too large for a float (its mean raised OverflowError)
        ("rewards", [1.7e308]),
        ("rewards", [1e16]),
        pytest.param("turns", 10**400, id="turns-400-digits"),
        ("sample", 10**12),
    ],
)
def test_a_line_with_a_reward_that_is_not_finite_is_skipped_and_rerun(tmp_path, field, value):
    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3), output=run)
    lines = run.read_text().splitlines()
    bad = json.loads(lines[1])
    bad[field] = (
        {**bad[field], **value} if isinstance(value, dict) and field == "timings" else value
    )
    lines[1] = json.dumps(bad)  # writes NaN / Infinity, as a hand edit or another tool might
    run.write_text("\n".join(lines) + "\n")

    skipped: list[int] = []
    assert len(read_traces(run, lambda number, why: skipped.append(number))) == 2
    assert skipped == [2]

    code, out = cli(
        "eval", "gymhub/Capitals-v0", "--seeds", "3", "-o", str(run), "--resume", "--json"
    )
    assert code == 0, out
    summary = _strict(out[out.index("{") :])
    env = summary["envs"][0]
    assert env["episodes"] == 3 and env["mean_reward"] == 1.0  # the bad line's job ran again
    assert len(read_traces(run)) == 3

    code, out = cli("eval", "compare", str(run), str(run), "--json")
    assert code == 0, out
    _strict(out[out.index("[") :])


def test_an_infra_error_verdict_is_a_failure_even_without_the_flag():
    """An env (a custom or remote one) that reports the verdict `infra_error` without setting the
    flag failed: the episode is left out of the scores, never counted as a 0."""
    _, traces = evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3))
    traces[0].status, traces[0].rewards, traces[0].infra_error = "infra_error", [0.0], False
    (summary,) = summarise(traces)
    assert summary.scored == 2 and summary.failed == 1 and summary.infra_errors == 1
    assert summary.mean_reward == 1.0 and summary.pass_at_k["pass@1"] == 1.0
    assert summary.policy_errors == 0


def test_a_repeated_job_keeps_its_scored_trace_over_a_failed_one(tmp_path):
    """Two resumes of one file at once can leave a job twice: a failure first, then the trace
    that scored. The scored one counts (the failure would hide an answer the model gave)."""
    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(2), output=run)
    lines = run.read_text().splitlines()
    failed = json.loads(lines[0])
    failed.update(error="endpoint down", rewards=[0.0])
    run.write_text("\n".join([json.dumps(failed), *lines]) + "\n")
    traces = read_traces(run)
    assert len(traces) == 2 and not any(t.error for t in traces)
    (summary,) = summarise(traces)
    assert summary.failed == 0 and summary.mean_reward == 1.0


def test_a_huge_line_is_skipped_without_being_read_whole(tmp_path, monkeypatch):
    from gymhub.evaluation import run as run_module

    monkeypatch.setattr(run_module, "MAX_LINE_BYTES", 4096)
    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3), output=run)
    lines = run.read_text().splitlines()
    huge = '{"env_id": "' + "x" * 50_000 + '"}'
    run.write_text("\n".join([lines[0], huge, lines[1], lines[2]]) + "\n")
    skipped: list[tuple[int, str]] = []
    traces = read_traces(run, lambda number, why: skipped.append((number, why)))
    assert len(traces) == 3  # the lines after the huge one are read, from their own start
    assert [n for n, _ in skipped] == [2] and "longer than" in skipped[0][1]


@pytest.mark.parametrize(
    "content",
    [
        '{"question": "what is 2+2?", "answer": "4"}\n{"question": "and 3+3?", "answer": "6"}\n',
        "just some notes\nthat matter\n",
        '{"question": "one line of a dataset"}\n',
    ],
)
def test_resume_refuses_a_file_that_is_not_a_run_instead_of_replacing_it(tmp_path, content):
    """`--resume` on the wrong file (a dataset, notes) read no trace from it and rewrote it with
    this run's traces: the file was lost."""
    other = tmp_path / "data.jsonl"
    other.write_text(content)
    with pytest.raises(ValueError, match="is it a run file"):
        evaluate(
            ["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(2), output=other, resume=True
        )
    assert other.read_text() == content
    code, out = cli("eval", "gymhub/Capitals-v0", "--seeds", "2", "-o", str(other), "--resume")
    assert code != 0 and "is it a run file" in out and "Traceback" not in out
    assert other.read_text() == content


def test_resume_after_a_crash_in_the_first_write_still_runs(tmp_path):
    run = tmp_path / "run.jsonl"
    run.write_text('{"env_id": "gymhub/Capitals-v0", "se')  # torn: cut before its newline
    summaries, traces = evaluate(
        ["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(2), output=run, resume=True
    )
    assert summaries[0].scored == 2 and len(read_traces(run)) == 2


def test_resume_says_which_lines_it_dropped(tmp_path):
    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3), output=run)
    lines = run.read_text().splitlines()
    run.write_text("\n".join([lines[0], "not json", lines[2]]) + "\n")
    code, out = cli("eval", "gymhub/Capitals-v0", "--seeds", "3", "-o", str(run), "--resume")
    assert code == 0, out
    assert "dropped 1 unreadable line(s)" in out and ": 2;" in out
    assert len(read_traces(run)) == 3


def test_an_endpoint_trickling_its_reply_cannot_hang_a_run_started_from_python():
    """The call deadline was only set by the command line: `evaluate(..., OpenAIPolicy(...))`
    waited as long as a server kept sending a byte now and then."""
    import time

    from gymhub.policies import OpenAIPolicy
    from gymhub.trainers.openai_server import serve_app_in_thread
    from tests.eval.test_hardening import hostile_app, trickle

    with serve_app_in_thread(hostile_app(lambda: trickle(60))) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=0, timeout_s=0.5)
        start = time.monotonic()
        (s,), _ = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0])
        assert time.monotonic() - start < 30
    assert s.failed == 1 and s.scored == 0 and "deadline" in next(iter(s.failures))


def test_two_runs_on_one_file_at_once_are_refused_not_lost(tmp_path):
    """Two `--resume` of one file at once: the second rewrote the file while the first was
    appending to it, and the first run's traces went to the replaced file (lost)."""
    import threading

    from gymhub.policies import Policy

    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(2), output=run)
    started = threading.Event()

    class Slow(Policy):
        name = "reference"

        async def act(self, conversation, tools, env=None):  # type: ignore[no-untyped-def]
            import asyncio

            started.set()
            await asyncio.sleep(1.0)
            return await ReferencePolicy().act(conversation, tools, env)

    first: dict[str, object] = {}

    def go() -> None:
        first["result"] = evaluate(
            ["gymhub/Capitals-v0"], Slow(), seeds=range(4), output=run, resume=True
        )

    thread = threading.Thread(target=go)
    thread.start()
    assert started.wait(30)
    with pytest.raises(ValueError, match="another run is writing"):
        evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(4), output=run, resume=True)
    thread.join(60)
    assert "result" in first
    assert len(read_traces(run)) == 4  # the first run's traces all reached the file
    # once it is done, the file is free again
    summaries, _ = evaluate(
        ["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(4), output=run, resume=True
    )
    assert summaries[0].scored == 4
    assert not list(tmp_path.glob(".*.lock"))


def test_resume_refuses_another_turn_cap(tmp_path):
    """A turn cap changes scores (episodes cut short): resuming with another one mixed episodes
    played under two caps in one summary."""
    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/GuessNumber-v0"], ReferencePolicy(), seeds=range(2), output=run, max_turns=1)
    with pytest.raises(ValueError, match="max_turns"):
        evaluate(
            ["gymhub/GuessNumber-v0"], ReferencePolicy(), seeds=range(4), output=run, resume=True
        )
    summaries, _ = evaluate(
        ["gymhub/GuessNumber-v0"],
        ReferencePolicy(),
        seeds=range(4),
        output=run,
        resume=True,
        max_turns=1,
    )
    assert summaries[0].episodes == 4
    code, out = cli("eval", "gymhub/GuessNumber-v0", "--seeds", "4", "-o", str(run), "--resume")
    assert code != 0 and "max_turns" in out and "Traceback" not in out


def test_two_huge_but_finite_rewards_of_one_task_do_not_crash_the_summary(tmp_path):
    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=[0], samples=2, ks=(1, 2), output=run)
    lines = [json.loads(line) for line in run.read_text().splitlines()]
    for line in lines:
        line["rewards"] = [1.7e308]
    run.write_text("".join(json.dumps(line) + "\n" for line in lines))
    traces = read_traces(run)
    assert traces == []  # both refused: a summary of them crashed on an infinite task mean
    assert summarise(traces, (1, 2)) == []


@pytest.mark.parametrize("field, value", [("env_version", 7), ("verifier", "exact_match@0")])
def test_resume_refuses_a_file_scored_by_another_env_version_or_verifier(tmp_path, field, value):
    """gymhub upgraded between a crash and its resume: the old episodes (scored by the old env
    or verifier) and the new ones were summarised as one run."""
    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(2), output=run)
    lines = [json.loads(line) for line in run.read_text().splitlines()]
    for line in lines:
        line[field] = value
    run.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with pytest.raises(ValueError, match="cannot resume"):
        evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3), output=run, resume=True)
    assert len(read_traces(run)) == 2  # untouched
    # the same run, unchanged, resumes
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(2), output=tmp_path / "b.jsonl")
    evaluate(
        ["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3), output=tmp_path / "b.jsonl",
        resume=True,
    )  # fmt: skip
    assert len(read_traces(tmp_path / "b.jsonl")) == 3


def test_a_line_without_its_seed_does_not_stand_for_seed_zero_on_resume(tmp_path):
    """The job key read a missing seed as 0: resuming took a seedless line (another task,
    perhaps a failure of it) as seed 0's episode and never ran seed 0."""
    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=[1], output=run)
    (line,) = [json.loads(x) for x in run.read_text().splitlines()]
    line["seed"], line["rewards"], line["status"] = None, [0.0], "incorrect"
    run.write_text(json.dumps(line) + "\n")
    (s,), traces = evaluate(
        ["gymhub/Capitals-v0"], ReferencePolicy(), seeds=[0], output=run, resume=True
    )
    assert [t.seed for t in traces] == [0] and s.mean_reward == 1.0


def test_a_run_that_locked_a_just_released_lock_file_still_excludes_the_next(tmp_path, monkeypatch):
    """A run opening the lock file just before the previous run's release unlinked it locked a
    file no longer at the lock's path: a third run made a new one, locked it too, and two runs
    wrote the same file."""
    import fcntl

    from gymhub.evaluation.run import _lock_run_file

    path = tmp_path / "run.jsonl"
    release_first = _lock_run_file(path)
    real_flock = fcntl.flock
    calls = []

    def flock_after_release(fd, op):  # the first run releases between the open and the lock
        if not calls:
            release_first()
        calls.append(op)
        return real_flock(fd, op)

    monkeypatch.setattr(fcntl, "flock", flock_after_release)
    release_second = _lock_run_file(path)
    monkeypatch.setattr(fcntl, "flock", real_flock)
    try:
        with pytest.raises(ValueError, match="another run is writing"):
            _lock_run_file(path)
    finally:
        release_second()
    _lock_run_file(path)()  # free again once the second run released it
