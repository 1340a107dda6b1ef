"""Re-scoring only ever scores a stored answer against the task it answered."""

from __future__ import annotations

import asyncio
import json

from gymhub.evaluation import evaluate, read_traces
from gymhub.evaluation.rescore import arescore
from gymhub.policies import ReferencePolicy
from tests.eval.test_hardening import cli


def _run(n: int = 4):
    _, traces = evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(n))
    assert all(t.status == "correct" and t.task_id for t in traces)
    return traces


def test_a_trace_without_its_seed_is_kept_not_scored_against_another_task():
    """A trace with no seed was replayed on whatever task the env drew (seed 0): its right
    answer was then scored wrong against another country."""
    traces = _run()
    for t in traces:
        t.seed = None
    new, changes = asyncio.run(arescore(traces))
    assert [t.status for t in new] == ["correct"] * 4
    assert len(changes) == 4 and all("no seed" in (c.note or "") for c in changes)
    assert all(c.new_status == "correct" and c.new_reward == 1.0 for c in changes)


def test_a_seed_that_now_gives_another_task_keeps_its_old_verdict(tmp_path):
    traces = _run()
    traces[1].task_id = "a-task-this-env-no-longer-has"
    new, changes = asyncio.run(arescore(traces))
    assert [t.status for t in new] == ["correct"] * 4
    (change,) = changes
    assert change.seed == traces[1].seed and "data changed" in (change.note or "")

    run = tmp_path / "run.jsonl"
    run.write_text("".join(t.model_dump_json() + "\n" for t in traces))
    code, out = cli("eval", "rescore", str(run), "--json")
    assert code == 0, out
    payload = json.loads(out[out.index("{") :])
    assert len(payload["changed"]) == 1 and payload["changed"][0]["note"]
    code, out = cli("eval", "rescore", str(run), "-o", str(tmp_path / "new.jsonl"))
    assert code == 0 and "0 of 4 verdicts changed, 1 not re-scored" in out, out
    assert all(t.status == "correct" for t in read_traces(tmp_path / "new.jsonl"))


def test_compare_names_the_envs_only_one_run_has(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    evaluate(
        ["gymhub/Capitals-v0", "gymhub/GuessNumber-v0"], ReferencePolicy(), seeds=[0], output=a
    )
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=[0], output=b)
    code, out = cli("eval", "compare", str(a), str(b))
    assert code == 0, out
    assert "only in a.jsonl, not compared: gymhub/GuessNumber-v0" in out
    code, out = cli("eval", "compare", str(a), str(b), "--json")
    assert code == 0 and json.loads(out[out.index("[") :])[0]["env_id"] == "gymhub/Capitals-v0"


def test_text_from_a_run_file_is_never_read_as_terminal_markup(tmp_path):
    """An env id or failure reason like `[/bold]` (a hand-edited or hostile run file, an endpoint's
    error text) was read as Rich markup by the tables: MarkupError, a traceback, exit 1."""
    from typer.testing import CliRunner

    from gymhub.cli import app

    run = tmp_path / "r[/b].jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(2), output=run)
    lines = run.read_text().splitlines()
    bad = json.loads(lines[1])
    bad["env_id"], bad["error"] = "[/bold]x[red]y", "[/] boom [link=http://e]z"
    run.write_text("\n".join([lines[0], json.dumps(bad)]) + "\n")
    for args in (["rescore", str(run)], ["compare", str(run), str(run)]):
        result = CliRunner().invoke(app, ["eval", *args])
        assert result.exit_code == 0, (args, repr(result.exception))
        assert "[/b" in result.output  # shown as it is (a table may fold it), not eaten as markup


def test_a_stored_run_of_pinned_tasks_reports_the_k_it_has(tmp_path):
    """Two entries pinning different tasks on one seed, one sample each: the stored-run commands
    merged them into one task of 2 samples and reported a pass@2 the run never measured."""
    from gymhub.evaluation.suites import SuiteEnv
    from gymhub.policies import ScriptedPolicy

    tasks = [
        {"id": "t1", "question": "What is the capital of France?", "answer": "Paris"},
        {"id": "t2", "question": "What is the capital of Peru?", "answer": "Lima"},
    ]
    entries = [SuiteEnv(id="gymhub/Capitals-v0", options={"task": t}) for t in tasks]
    run = tmp_path / "run.jsonl"
    evaluate(entries, ScriptedPolicy(["<answer>Paris</answer>"]), seeds=[0], output=run)
    code, out = cli("eval", "rescore", str(run))
    assert code == 0, out
    assert "pass@1" in out and "pass@2" not in out and "fewer than" not in out
