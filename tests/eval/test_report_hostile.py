"""HTML reports of hostile runs: model output and run-file text are data, never markup, and a
report stays small enough to open whatever the model wrote."""

from __future__ import annotations

import json
import math

from gymhub.evaluation import evaluate
from gymhub.evaluation.report import MAX_MESSAGE_CHARS, render_html, summary_from_html
from gymhub.evaluation.summary import EnvSummary
from gymhub.policies import Policy, PolicyError, ScriptedPolicy
from gymhub.types import Action, ToolCall

HOSTILE = "<!--<script>alert(1)</script>--><img src=x onerror=alert(2)>&amp;"


def _strict(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _script_body(page: str) -> str:
    start = page.index('<script type="application/json" id="summary">')
    start = page.index(">", start) + 1
    return page[start : page.index("</script>", start)]


class _Failing(Policy):
    name = "failing"

    async def act(self, conversation, tools, env=None):  # type: ignore[no-untyped-def]
        raise PolicyError(HOSTILE)


def test_text_in_the_embedded_summary_cannot_break_out_of_its_script_element():
    # a failure reason (the endpoint's or the policy's text) lands in the summary's JSON; an HTML
    # parser reading `<!--<script>` inside a script element stops treating the real `</script>` as
    # its end, so the rest of the report is swallowed
    summaries, traces = evaluate(["gymhub/Capitals-v0"], _Failing(), seeds=range(2))
    assert summaries[0].failed == 2
    page = render_html(summaries, traces)
    body = _script_body(page)
    assert "<" not in body and ">" not in body and "&" not in body
    assert summary_from_html(page) == json.loads(json.dumps([s.model_dump() for s in summaries]))
    assert HOSTILE in json.dumps(summary_from_html(page))  # the text survives, as data
    assert "<img" not in page and "<!--" not in page


def test_model_output_and_tool_calls_are_escaped_in_the_traces():
    call = ToolCall(name="<b>x</b>", arguments={"q": HOSTILE})
    policy = ScriptedPolicy([Action(content=HOSTILE, tool_calls=[call])])
    summaries, traces = evaluate(["gymhub/Capitals-v0"], policy, seeds=range(1))
    page = render_html(summaries, traces)
    assert "<img" not in page and "<!--" not in page and "<b>x" not in page
    assert "tool call &lt;b&gt;x&lt;/b&gt;" in page  # the call is shown, escaped


def test_a_huge_reply_is_cut_in_the_report_with_a_note():
    reply = "A" * (50 * MAX_MESSAGE_CHARS)
    summaries, traces = evaluate(["gymhub/Capitals-v0"], ScriptedPolicy([reply]), seeds=range(3))
    page = render_html(summaries, traces)
    assert len(page) < 10 * MAX_MESSAGE_CHARS
    assert f"{len(reply) - MAX_MESSAGE_CHARS:,} more characters" in page


def test_a_summary_figure_that_is_not_finite_is_null_in_the_report_json():
    summary = EnvSummary(
        env_id="x", episodes=1, scored=1, mean_reward=0.5, mean_turns=1.0, mean_seconds=math.nan
    )
    page = render_html([summary], [])
    (row,) = _strict(_script_body(page))  # NaN is not JSON: the browser's JSON.parse refuses it
    assert row["mean_seconds"] is None and row["mean_reward"] == 0.5


def test_a_long_episode_of_long_turns_is_cut_in_the_report():
    from gymhub.evaluation.report import MAX_TRACE_CHARS
    from gymhub.evaluation.summary import EvalTrace
    from gymhub.types import Message

    messages = [
        Message(role="assistant" if i % 2 else "user", content="B" * MAX_MESSAGE_CHARS)
        for i in range(1000)
    ]
    trace = EvalTrace(env_id="x", seed=0, messages=messages, rewards=[0.0], turns=500)
    page = render_html([], [trace])
    assert len(page) < 2 * MAX_TRACE_CHARS
    assert "more messages]" in page
