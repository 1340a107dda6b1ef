"""Adversarial checks of the evaluation harness: each test reproduces a bug that once gave wrong
figures, crashed a run, lost results or printed a traceback."""

from __future__ import annotations

from gymhub.evaluation import evaluate, read_traces
from gymhub.policies import Policy, PolicyError, ReferencePolicy


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
