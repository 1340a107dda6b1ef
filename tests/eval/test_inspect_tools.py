"""The Inspect bridge passes the env's tools, images and context rewrites to the model, and leaves
what the model's side raises (Inspect's limits) to Inspect, which scores the sample."""

from __future__ import annotations

import pytest

import gymhub

inspect_ai = pytest.importorskip("inspect_ai")


class _WordEncoding:
    def encode(self, text, **kwargs):
        return text.split()


@pytest.fixture(autouse=True)
def offline_token_counts(monkeypatch):
    """Inspect's mock model counts tokens with tiktoken, which downloads its vocabulary."""
    import tiktoken

    monkeypatch.setattr(tiktoken, "get_encoding", lambda name: _WordEncoding())


def _eval(task, outputs, tmp_path, **kwargs):
    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import get_model

    model = get_model("mockllm/model", custom_outputs=outputs)
    (log,) = inspect_eval(task, model=model, log_dir=str(tmp_path), display="none", **kwargs)
    assert log.status == "success", log.error
    return log


def test_a_tool_env_gets_its_tools_through_and_a_right_answer_scores(tmp_path):
    """The model was offered no tools and its tool calls were dropped (only the text was sent to
    the env), so a tool env (UnitConvert, MathPython, the web envs) could never be solved."""
    from inspect_ai.model import ModelOutput

    from gymhub.evaluation.inspect import gymhub_task

    env = gymhub.make("gymhub/UnitConvert-v0")
    env.reset(seed=0)
    call = env.reference_action().tool_calls[0]
    observation, *_ = env.step(env.reference_action())
    (result,) = [m.text for m in observation.messages if m.role == "tool"]
    answer = env.reference_action().text
    env.close()
    outputs = [
        ModelOutput.for_tool_call("mockllm/model", call.name, call.arguments),
        ModelOutput.from_content("mockllm/model", answer),
    ]
    log = _eval(gymhub_task("gymhub/UnitConvert-v0", seeds=[0]), outputs, tmp_path)
    (sample,) = log.samples
    (score,) = sample.scores.values()
    assert score.value == "C", (score.explanation, [m.text for m in sample.messages])
    tool_results = [m for m in sample.messages if m.role == "tool"]
    (asked,) = [c for m in sample.messages if m.role == "assistant" for c in m.tool_calls or []]
    assert asked.function == call.name and asked.arguments == call.arguments
    assert len(tool_results) == 1 and tool_results[0].tool_call_id == asked.id
    # the env ran the call (Inspect, offered no such tool, answered "tool not found" itself)
    assert tool_results[0].error is None and tool_results[0].text == result
    assert sample.metadata["gymhub"]["turns"] == 2


def test_tool_arguments_that_are_not_json_reach_the_env_as_an_error(tmp_path):
    from inspect_ai.model import ModelOutput
    from inspect_ai.tool import ToolCall

    from gymhub.evaluation.inspect import _action

    output = ModelOutput.for_tool_call("mockllm/model", "convert", {})
    output.message.tool_calls = [
        ToolCall(id="c1", function="convert", arguments={}, parse_error="Expecting value")
    ]
    (call,) = _action(output).tool_calls
    with pytest.raises(ValueError):
        call.parsed_arguments()


def test_an_image_in_the_prompt_reaches_the_model():
    """Image parts were dropped (only the text was sent): GUIGround's screenshot never reached
    the model."""
    from inspect_ai.model import ContentImage

    from gymhub.evaluation.inspect import _to_inspect

    env = gymhub.make("gymhub/GUIGround-v0")
    observation, _ = env.reset(seed=0)
    env.close()
    converted = [_to_inspect(m) for m in observation.messages]
    images = [c for m in converted if isinstance(m.content, list) for c in m.content]
    assert any(isinstance(c, ContentImage) and c.image.startswith("data:image/") for c in images)


class _Rewrites(gymhub.Env):
    """Turn 1 rewrites the context to a new prompt; then 'ok' is correct."""

    def _reset(self, options):
        self.steps = 0
        return gymhub.Observation(messages=[gymhub.Message(role="user", content="FIRST prompt")])

    def _step(self, action):
        from gymhub.env import StepResult

        self.steps += 1
        if self.steps == 1:
            fresh = [gymhub.Message(role="user", content="SECOND prompt: say ok")]
            return StepResult(
                gymhub.Observation(messages=fresh, replace_context=True), 0.0, False, False, {}
            )
        ok = action.text == "ok"
        verdict = "correct" if ok else "incorrect"
        return StepResult(gymhub.Observation(), float(ok), True, False, {"verdict": verdict})


gymhub.register(
    "test/InspectRewrites-v0", _Rewrites, family="test", description="rewrites its context",
    override=True,
)  # fmt: skip


def test_an_observation_that_replaces_the_context_replaces_it(tmp_path):
    from inspect_ai.model import ModelOutput

    from gymhub.evaluation.inspect import gymhub_task

    outputs = [ModelOutput.from_content("mockllm/model", t) for t in ("first", "ok")]
    log = _eval(gymhub_task("test/InspectRewrites-v0", seeds=[0]), outputs, tmp_path)
    (sample,) = log.samples
    texts = [m.text for m in sample.messages]
    assert not any("FIRST" in t for t in texts), texts
    assert texts[0].startswith("SECOND") and sample.scores["gymhub_verdict"].value == "C"


def test_a_sample_that_runs_out_of_its_message_limit_is_scored_not_a_hub_failure(tmp_path):
    """Inspect's limit raised inside `generate` was caught as the env failing: the sample became
    an error, left out of the metrics, as if the hub had failed the model that ran out."""
    from inspect_ai.model import ModelOutput

    from gymhub.evaluation.inspect import gymhub_task

    outputs = [ModelOutput.from_content("mockllm/model", "thinking")] * 10
    task = gymhub_task("gymhub/Logic-BattleshipGame-v0", seeds=[0])
    log = _eval(task, outputs, tmp_path, message_limit=3)
    (sample,) = log.samples
    assert sample.error is None and sample.limit is not None
    assert sample.scores["gymhub_verdict"].value == "I"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seeds": [-1]},
        {"seeds": ["a"]},
        {"seeds": []},
        {"epochs": 0},
        {"max_turns": 0},
        {"options": {"difficulty": 999}},
        {"options": "hard"},
        {"env_kwargs": {"no_such_argument": 1}},
        {"env_kwargs": "x"},
    ],
)
def test_a_task_the_env_cannot_run_is_refused_when_it_is_made(kwargs):
    """A negative seed or options the env refuses made every sample fail at solve time as the
    hub's failure (a sample error), after the model was set up."""
    from gymhub.evaluation.inspect import gymhub_task

    with pytest.raises((TypeError, ValueError)):
        gymhub_task("gymhub/MathGen-v0", **kwargs)


def test_a_seed_listed_twice_is_one_sample():
    from gymhub.evaluation.inspect import gymhub_task

    task = gymhub_task("gymhub/Capitals-v0", seeds=[0, 1, 0])
    assert [s.id for s in task.dataset] == ["gymhub/Capitals-v0#0", "gymhub/Capitals-v0#1"]
