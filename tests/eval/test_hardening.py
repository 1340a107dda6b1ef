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


def hostile_app(reply):
    """An OpenAI-compatible endpoint answering 200 with `reply()` (a chat-completion message
    dict, raw bytes, or an async byte generator for a streamed body)."""
    from fastapi import FastAPI
    from fastapi.responses import Response, StreamingResponse

    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat(body: dict):
        value = reply()
        if isinstance(value, bytes):
            return Response(value, media_type="application/json")
        if not isinstance(value, dict):
            return StreamingResponse(value, media_type="application/json")
        return {"choices": [{"index": 0, "message": value, "finish_reason": "stop"}]}

    return app


BAD_REPLIES = {
    "tool call without a function": {
        "role": "assistant", "content": None, "tool_calls": [{"id": "a", "type": "function"}],
    },
    "tool call with a null name": {
        "role": "assistant", "content": None,
        "tool_calls": [{"id": 7, "function": {"name": None, "arguments": {"x": 1}}}],
    },
    "content that is a number": {"role": "assistant", "content": 5},
    "message that is a string": "hello",
}  # fmt: skip


@pytest.mark.parametrize("what", sorted(BAD_REPLIES))
def test_an_unusable_model_reply_is_the_policys_failure_not_infra(what):
    """A reply the model made that cannot become an action is scored (reward 0, `unparseable`):
    it was counted as an infra error, so the sample left the score as if the hub had failed."""
    from gymhub.policies import OpenAIPolicy
    from gymhub.trainers.openai_server import serve_app_in_thread

    bad = BAD_REPLIES[what]
    reply = (lambda: {"choices": [{"message": bad}]}) if isinstance(bad, str) else (lambda: bad)
    app = (
        hostile_app(reply)
        if isinstance(bad, dict)
        else hostile_app(lambda: json.dumps({"choices": [{"message": bad}]}).encode())
    )
    with serve_app_in_thread(app) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=0)
        (s,), traces = evaluate(["gymhub/UnitConvert-v0"], policy, seeds=[0, 1])
    assert s.failed == 0 and s.infra_errors == 0 and s.scored == 2, s.failures
    assert s.statuses == {"unparseable": 2} and s.mean_reward == 0.0
    assert s.pass_at_k == {"pass@1": 0.0}
    assert all(t.policy_fault and not t.infra_error for t in traces)


class Crashing(Policy):
    name = "crashing"

    async def act(self, conversation, tools, env=None):
        raise RuntimeError("CUDA out of memory")


def test_a_policy_that_crashes_is_still_a_failure_not_a_score():
    """Out of the scores, and the policy's failure (status `error`), not the hub's infra error."""
    (s,), traces = evaluate(["gymhub/Capitals-v0"], Crashing(), seeds=[0])
    assert s.failed == 1 and s.scored == 0 and s.policy_errors == 1 and s.infra_errors == 0
    assert not traces[0].infra_error and traces[0].status == "error"
    assert "CUDA out of memory" in traces[0].error


def trickle(seconds):
    """A body that never stalls long enough for a read timeout: one space every 0.1 s."""

    async def body():
        import asyncio

        for _ in range(int(seconds * 10)):
            yield b" "
            await asyncio.sleep(0.1)
        yield b'{"choices": [{"message": {"role": "assistant", "content": "x"}}]}'

    return body()


def test_an_endpoint_trickling_its_reply_cannot_hang_the_run():
    """httpx's timeout bounds each read, not the request: a server sending a byte now and then
    kept an episode (and the run) waiting for as long as it liked."""
    import time

    from gymhub.policies import OpenAIPolicy
    from gymhub.trainers.openai_server import serve_app_in_thread

    with serve_app_in_thread(hostile_app(lambda: trickle(30))) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=0, timeout_s=0.5)
        start = time.monotonic()
        (s,), _ = evaluate(["gymhub/Capitals-v0"], policy, seeds=[0], policy_deadline_s=1.0)
        assert time.monotonic() - start < 10
        assert s.failed == 1 and "deadline" in next(iter(s.failures))
        # the command line derives the deadline from --timeout and --max-retries
        start = time.monotonic()
        code, out = cli(
            "eval", "gymhub/Capitals-v0", "--policy", "openai", "--model", "m", "--base-url",
            f"{url}/v1", "--seeds", "1", "--timeout", "0.5", "--max-retries", "0", "--json",
        )  # fmt: skip
        assert time.monotonic() - start < 20
    summary, _ = json.JSONDecoder().raw_decode(out[out.index("{") :])
    assert code == 1 and summary["failed"] == 1


def test_decontamination_finds_a_short_prompt_inside_a_longer_training_text():
    """A prompt shorter than n words has no n-gram; it was compared as one whole tuple against
    the training n-grams and so never matched a training text that quoted it (false negative)."""
    from gymhub.evaluation.decontaminate import overlap_report

    prompts = [("e", 0, "What is 17 times 23?"), ("e", 1, "Name the largest moon of Saturn.")]
    train = ["Solve this. What is 17 times 23? Show your work before the final answer."]
    (row,) = overlap_report(prompts, train, n=13)
    assert row.contaminated == 1 and row.examples == [0]
    (exact,) = overlap_report(prompts, ["what is 17 times 23 ?"], n=13)
    assert exact.examples == [0]


def test_decontamination_reads_chat_formatted_training_rows(tmp_path):
    """`{"prompt": [{"role": "user", "content": ...}]}` (the conversational format trainers use)
    and content given as a list of parts were skipped: every such row was a false negative."""
    from gymhub.evaluation.decontaminate import jsonl_texts, overlap_report

    question = "Compute the number of ways to tile a two by ten board with dominoes exactly"
    data = tmp_path / "train.jsonl"
    rows = [
        {"prompt": [{"role": "user", "content": question}]},
        {"messages": [{"role": "user", "content": [{"type": "text", "text": question}]}]},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    texts = list(jsonl_texts(data))
    assert len(texts) == 2 and all(question in t for t in texts)
    for text in texts:
        (row,) = overlap_report([("e", 0, question)], [text], n=8)
        assert row.contaminated == 1


@pytest.mark.parametrize(
    "seeds, complaint",
    [
        ("[1, -2]", ">= 0"),
        ("[1, true]", "int"),
        ("{start: 1.5, count: 2}", "int"),
        ("{start: 0, count: '3'}", "int"),
    ],
)
def test_suite_seeds_of_the_wrong_kind_are_refused_when_the_suite_loads(tmp_path, seeds, complaint):
    """A negative seed failed every episode of the run (or crashed decontaminate with a
    traceback); a float or a bool was silently truncated to some other seed."""
    from gymhub.evaluation.suites import SuiteError, load_suite

    suite = tmp_path / "s.yaml"
    suite.write_text(f"envs: [gymhub/Capitals-v0]\nseeds: {seeds}\n")
    with pytest.raises(SuiteError, match=complaint):
        load_suite(suite)
    suite.write_text(f"envs: [{{id: gymhub/Capitals-v0, seeds: {seeds}}}]\n")
    with pytest.raises(SuiteError, match=complaint):
        load_suite(suite)


def test_a_suite_file_that_is_not_text_is_a_clear_error(tmp_path):
    from gymhub.evaluation.suites import SuiteError, load_suite

    suite = tmp_path / "s.yaml"
    suite.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(SuiteError, match="UTF-8"):
        load_suite(suite)
    code, out = cli("eval", "--suite", str(suite))
    assert code == 2 and "Traceback" not in out


def test_compare_pairs_only_the_same_task(tmp_path):
    """Runs of the same env id whose seed gave different tasks (the dataset changed between the
    runs) were paired by seed alone: the 'difference' compared unrelated questions."""
    from gymhub.evaluation.compare import compare_runs
    from gymhub.evaluation.summary import EvalTrace

    def trace(seed, task, reward):
        return EvalTrace(env_id="e", seed=seed, task_id=task, rewards=[reward], turns=1)

    a = [trace(s, f"q{s}", 1.0) for s in range(6)]
    b = [trace(s, f"q{s}" if s < 2 else f"new{s}", 0.0) for s in range(6)]
    (row,) = compare_runs(a, b)
    assert row["tasks"] == 2 and row["mismatched"] == 4
    assert row["a"] == 1.0 and row["b"] == 0.0


def test_an_env_with_no_scored_episode_reports_no_reward_not_zero():
    """Every episode failed (endpoint down): the JSON summary and the HTML report said mean
    reward 0.000 and 0 turns, the figures of a model that answered everything wrong."""
    from gymhub.evaluation import by_family
    from gymhub.evaluation.report import render_html, summary_from_html

    class Down(Policy):
        name = "down"

        async def act(self, conversation, tools, env=None):
            raise PolicyError("cannot reach http://model/v1 after 4 tries: ConnectError")

    summaries, traces = evaluate(["gymhub/Capitals-v0"], Down(), seeds=range(3))
    (s,) = summaries
    assert s.scored == 0 and s.mean_reward is None and s.mean_turns is None
    page = render_html(summaries, traces)
    table = page.split('id="summary-table"')[1].split("</table>")[0]
    assert "0.000" not in table
    assert summary_from_html(page)[0]["mean_reward"] is None
    assert "mean_reward" not in by_family(summaries)["basic"]


def test_compare_keeps_an_env_whose_episodes_all_failed_in_one_run():
    """An env present in both runs whose episodes all failed in one of them vanished from the
    comparison without a word (and 'the two runs share no environment' when it was the only one)."""
    from gymhub.evaluation.compare import compare_runs
    from gymhub.evaluation.summary import EvalTrace

    a = [EvalTrace(env_id="e", seed=s, rewards=[1.0], turns=1) for s in range(3)]
    b = [EvalTrace(env_id="e", seed=s, error="policy: 503", turns=0) for s in range(3)]
    (row,) = compare_runs(a, b)
    assert row["env_id"] == "e" and row["tasks"] == 0 and row["diff"] is None


def test_pass_at_k_covers_the_same_tasks_for_every_k():
    """A task with fewer than k scored samples (one failed) was dropped from pass@k but kept in
    pass@1, so the figures described different tasks: here pass@4 came out below pass@1."""
    from gymhub.evaluation import summarise
    from gymhub.evaluation.summary import EvalTrace

    def trace(seed, sample, reward, error=None):
        return EvalTrace(
            env_id="e", seed=seed, sample=sample, rewards=[reward], turns=1, error=error
        )

    traces = [trace(0, i, 0.0) for i in range(4)]  # always wrong
    traces += [trace(1, i, 1.0) for i in range(3)] + [trace(1, 3, 0.0, "policy: 503")]
    (s,) = summarise(traces, ks=(1, 4))
    assert s.pass_at_k["pass@1"] == 0.5
    assert s.pass_at_k["pass@4"] >= s.pass_at_k["pass@1"]
    assert s.pass_at_k["pass@4"] == 0.5  # task 1: pass@3 of its 3 scored samples, a lower bound
    assert s.tasks_short == {"4": 1}


class AlwaysRight:
    name, version = "always-right", "1"

    def verify(self, response, reference, **context):
        from gymhub.types import Verdict

        return Verdict(reward=1.0, status="correct")


def test_rescore_with_a_verifier_an_env_cannot_take_is_refused_not_mixed(tmp_path):
    """--verifier on a run holding an env without a `verifier` (GuessNumber) turned that env's
    scored episodes into 'failed' while the others were re-scored: old and new mixed in one
    summary. It is now an error naming the env, before anything is re-scored."""
    import asyncio

    from gymhub.evaluation.rescore import arescore

    run = tmp_path / "run.jsonl"
    evaluate(
        ["gymhub/Capitals-v0", "gymhub/GuessNumber-v0"], ReferencePolicy(), seeds=range(2),
        output=run,
    )  # fmt: skip
    with pytest.raises(ValueError, match="GuessNumber"):
        asyncio.run(arescore(read_traces(run), verifier=AlwaysRight()))
    code, out = cli(
        "eval", "rescore", str(run), "--verifier", f"{__name__}:AlwaysRight", "-o",
        str(tmp_path / "new.jsonl"),
    )  # fmt: skip
    assert code == 2 and "GuessNumber" in out and "Traceback" not in out, out
    assert not (tmp_path / "new.jsonl").exists()


def test_entries_pinning_different_tasks_are_different_jobs(tmp_path):
    """Reset options may pin a task ({"task": ...}); the task is not stored in the trace, so two
    suite entries pinning different tasks on the same seed must still be two jobs (run, resumed
    and summarised apart), not one."""
    from gymhub.evaluation.suites import SuiteEnv

    tasks = [
        {"id": "t1", "question": "What is the capital of France?", "answer": "Paris"},
        {"id": "t2", "question": "What is the capital of Peru?", "answer": "Lima"},
    ]
    entries = [SuiteEnv(id="gymhub/Capitals-v0", options={"task": t}) for t in tasks]
    run = tmp_path / "run.jsonl"
    policy = ScriptedPolicy(["<answer>Paris</answer>"])
    (s,), traces = evaluate(entries, policy, seeds=[0], output=run)
    assert len(traces) == 2 and s.episodes == 2
    assert sorted(t.status for t in traces) == ["correct", "incorrect"]
    assert s.pass_at_k == {"pass@1": 0.5}
    again = Counting(policy)
    (s2,), traces2 = evaluate(entries, again, seeds=[0], output=run, resume=True)
    assert again.calls == 0 and len(traces2) == 2 and s2.pass_at_k == {"pass@1": 0.5}


class Counting(Policy):
    def __init__(self, inner):
        self.inner, self.calls, self.name = inner, 0, inner.name

    async def act(self, conversation, tools, env=None):
        self.calls += 1
        return await self.inner.act(conversation, tools, env)


def test_seed_start_with_a_suite_and_no_seed_count_is_refused_not_ignored(tmp_path):
    """`--suite S --seed-start 100` ran the suite's own seeds as if the flag were not there."""
    suite = tmp_path / "s.yaml"
    suite.write_text("envs: [gymhub/Capitals-v0]\nseeds: 2\n")
    code, out = cli("eval", "--suite", str(suite), "--seed-start", "100", "--json")
    assert code == 2 and "--seed-start" in out and "--seeds" in out
    code, out = cli("eval", "--suite", str(suite), "--seed-start", "100", "--seeds", "1", "--json")
    assert code == 0, out
    data = tmp_path / "t.jsonl"
    data.write_text('{"question": "x"}\n')
    code, out = cli(
        "eval", "decontaminate", "--suite", str(suite), "--seed-start", "100", "--train", str(data)
    )
    assert code == 2 and "--seed-start" in out


def test_a_run_file_with_bytes_that_are_not_utf8_is_read_not_a_traceback(tmp_path):
    """One corrupt line (not UTF-8) made every command on the run fail with a traceback; it is
    skipped like a torn line, and the commands say how many lines they skipped."""
    (tmp_path / ("deep" * 20)).mkdir()
    run = tmp_path / ("deep" * 20) / "run.jsonl"  # longer than a terminal line
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3), output=run)
    lines = run.read_bytes().splitlines(keepends=True)
    run.write_bytes(lines[0] + b"\xff\xfe garbage\n" + b"".join(lines[1:]) + b'{"torn": ')
    assert len(read_traces(run)) == 3
    code, out = cli("eval", "report", str(run), "--html", str(tmp_path / "r.html"))
    assert code == 0, out
    assert "skipped 2 unreadable line" in out  # on one line, however long the path before it


def test_ctrl_c_says_how_to_resume_instead_of_a_traceback(tmp_path, monkeypatch):
    import gymhub.cli.eval as eval_cli

    class Interrupted(Policy):
        name = "reference"

        async def act(self, conversation, tools, env=None):
            if env.episode_seed >= 2:
                raise KeyboardInterrupt
            return env.reference_action()

    monkeypatch.setattr(eval_cli, "make_policy", lambda *a, **k: Interrupted())
    run = tmp_path / "run.jsonl"
    code, out = cli(
        "eval", "gymhub/Capitals-v0", "--seeds", "4", "--concurrency", "1", "-o", str(run)
    )
    assert code == 130 and "--resume" in out and "Traceback" not in out, out
    assert len(read_traces(run)) == 2  # what finished before the interrupt is kept


def test_reset_options_an_env_refuses_stop_the_run_before_it_starts(tmp_path):
    """A suite line with a typo in its options (or a value out of range) failed every episode of
    that env at reset, after the envs before it had run; the run now stops at once, naming it."""
    suite = tmp_path / "suite.yaml"
    suite.write_text(
        "name: typo\nseeds: 2\nenvs:\n  - gymhub/Capitals-v0\n"
        "  - {id: gymhub/MathGen-v0, options: {dificulty: 2}}\n"
    )
    run = tmp_path / "run.jsonl"
    code, out = cli("eval", "--suite", str(suite), "-o", str(run))
    assert code == 2 and "Traceback" not in out, out
    assert "gymhub/MathGen-v0" in out and "dificulty" in out, out
    assert not run.exists() or not run.read_text(), "nothing ran"
    code, out = cli("eval", "gymhub/MathGen-v0", "--options", '{"difficulty": 99}')
    assert code == 2 and "outside the range" in out, out
    with pytest.raises(ValueError, match="gymhub/MathGen-v0"):
        evaluate(["gymhub/MathGen-v0"], ReferencePolicy(), seeds=[0], options={"difficulty": -1})


def test_every_shipped_suite_passes_the_options_check():
    from gymhub.evaluation.run import _check_options
    from gymhub.evaluation.suites import available_suites, load_suite

    for name in available_suites():
        _check_options((e.id, 0, 0, e.options) for e in load_suite(name).envs)


@pytest.mark.parametrize(
    "body", [b'{"choices": []}', b'{"error": {"message": "overloaded"}}', b"[1, 2]"]
)
def test_a_server_answering_no_completion_is_left_out_of_the_scores(body):
    """A 200 without a completion (no choices, an error object) was scored as the model's
    unparseable reply (0); the server failed, so the sample is a failure, out of the scores."""
    from gymhub.policies import OpenAIPolicy
    from gymhub.trainers.openai_server import serve_app_in_thread

    with serve_app_in_thread(hostile_app(lambda: body)) as url:
        policy = OpenAIPolicy("m", base_url=f"{url}/v1", max_retries=1, backoff_s=0.01)
        (s,), traces = evaluate(["gymhub/UnitConvert-v0"], policy, seeds=[0, 1])
    assert s.scored == 0 and s.failed == 2, s
    assert all(not t.policy_fault for t in traces)
    assert all("without a chat completion" in (t.error or "") for t in traces)
