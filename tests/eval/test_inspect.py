"""The Inspect AI adapter, run with Inspect's own mock model (no network, no real model)."""

from __future__ import annotations

import pytest

import gymhub

inspect_ai = pytest.importorskip("inspect_ai")


class _WordEncoding:
    def encode(self, text, **kwargs):
        return text.split()


@pytest.fixture(autouse=True)
def offline_token_counts(monkeypatch):
    """Inspect's mock model counts prompt tokens with tiktoken, which downloads its vocabulary;
    this machine has no internet, so words stand in for tokens (the counts are not checked)."""
    import tiktoken

    monkeypatch.setattr(tiktoken, "get_encoding", lambda name: _WordEncoding())


def _run(task, outputs=None, tmp_path=None):
    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import get_model

    model = get_model("mockllm/model", custom_outputs=outputs) if outputs else "mockllm/model"
    (log,) = inspect_eval(task, model=model, log_dir=str(tmp_path), display="none")
    assert log.status == "success", log.error
    return log


def test_mock_model_answers_are_scored_by_the_env(tmp_path):
    from gymhub.evaluation.inspect import gymhub_task

    log = _run(gymhub_task("gymhub/Capitals-v0", seeds=range(3)), tmp_path=tmp_path)
    assert len(log.samples) == 3
    for sample in log.samples:
        (score,) = sample.scores.values()
        assert score.value == "I", score.explanation  # the mock text is not a capital
        assert sample.metadata["gymhub"]["status"] in ("incorrect", "unparseable")
        assert sample.messages[0].text  # the env's own prompt, not the placeholder input


def test_gold_answers_score_correct_and_epochs_reduce_with_pass_at_k(tmp_path):
    from inspect_ai.model import ModelOutput

    from gymhub.evaluation.inspect import gymhub_task

    env = gymhub.make("gymhub/Capitals-v0")
    golds = []
    for seed in range(2):
        env.reset(seed=seed)
        golds.append(env.reference_action().text)
    env.close()
    # epoch 1 answers right, epoch 2 wrong, for each sample (Inspect runs samples epoch-major)
    texts = [*golds, "<answer>Atlantis</answer>", "<answer>Atlantis</answer>"]
    outputs = [ModelOutput.from_content(model="mockllm/model", content=t) for t in texts]
    task = gymhub_task("gymhub/Capitals-v0", seeds=range(2), epochs=2, pass_at=(1, 2))
    log = _run(task, outputs, tmp_path)
    per_sample = {}
    for sample in log.samples:
        (score,) = sample.scores.values()
        per_sample.setdefault(sample.id, []).append(score.value)
    assert all(sorted(v) == ["C", "I"] for v in per_sample.values()), per_sample
    reduced = {s.reducer: s.metrics["accuracy"].value for s in log.results.scores}
    assert reduced == {"mean": 0.5, "pass_at_2": 1.0}, reduced
    with pytest.raises(ValueError, match="pass_at"):
        gymhub_task("gymhub/Capitals-v0", epochs=1, pass_at=(2,))


class HalfBrokenEnv(gymhub.Env):
    """Single-turn: 'ok' is correct; steps of odd seeds fail as a lost backend would."""

    def _reset(self, options):
        return gymhub.Observation(messages=[gymhub.Message(role="user", content="say ok")])

    def _step(self, action):
        from gymhub.env import StepResult

        if self.episode_seed % 2:
            raise ConnectionError("sandbox down")
        return StepResult(gymhub.Observation(), 1.0, True, False, {"verdict": "correct"})


gymhub.register(
    "test/InspectHalfBroken-v0", HalfBrokenEnv, family="test", description="odd seeds fail",
    override=True,
)  # fmt: skip


def test_a_hub_failure_is_a_sample_error_not_a_wrong_answer(tmp_path):
    """NOANSWER counts as 0 in Inspect's accuracy: an env that failed made the model look wrong.
    A hub failure is now a sample error: Inspect leaves it out of the metrics and can retry it."""
    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import ModelOutput, get_model

    from gymhub.evaluation.inspect import gymhub_task

    outputs = [ModelOutput.from_content(model="mockllm/model", content="ok")] * 4
    model = get_model("mockllm/model", custom_outputs=outputs)
    task = gymhub_task("test/InspectHalfBroken-v0", seeds=range(4))
    (log,) = inspect_eval(
        task, model=model, log_dir=str(tmp_path), display="none", fail_on_error=False
    )
    errors = [s for s in log.samples if s.error]
    assert len(errors) == 2 and all("sandbox down" in s.error.message for s in errors)
    (score,) = log.results.scores
    assert score.metrics["accuracy"].value == 1.0  # the two scored samples, both right
