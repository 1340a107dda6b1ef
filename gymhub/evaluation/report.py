"""A run as one self-contained HTML file: summary table, plots (inline SVG), browsable traces.

No scripts from the network and no external files; the summary is also embedded as JSON
(`<script type="application/json" id="summary">`) so a reader or a test can check the numbers.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from gymhub.evaluation.summary import EnvSummary, EvalTrace, failure_reason

#: characters of one message shown in a report: a model that wrote megabytes would otherwise make
#: a report too large to open (the run file keeps the whole text)
MAX_MESSAGE_CHARS = 20_000
#: about how much of one trace a report shows: after that, a note says how many messages are left
MAX_TRACE_CHARS = 200_000

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}
th{background:#f3f3f3}.plots{display:flex;flex-wrap:wrap;gap:2em}
details{margin:.3em 0}pre{white-space:pre-wrap;background:#f8f8f8;padding:.5em;margin:.2em 0}
.failed{color:#b00}.ok{color:#070}
"""


def _svg_bars(title: str, bars: Sequence[tuple[str, float]], vmax: float | None = None) -> str:
    width, height, pad = 360, 200, 30
    top = vmax if vmax is not None else max([v for _, v in bars] + [1e-9])
    n = max(len(bars), 1)
    bw = (width - 2 * pad) / n
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}" '
        f'role="img"><title>{html.escape(title)}</title>',
        f'<text x="{pad}" y="14" font-size="13">{html.escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        h = 0 if top <= 0 else (height - 2 * pad) * value / top
        x = pad + i * bw
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{height - pad - h:.1f}" width="{max(bw - 4, 1):.1f}" '
            f'height="{h:.1f}" fill="#4a7"><title>{html.escape(label)}: {value:.3g}</title></rect>'
            f'<text x="{x + bw / 2:.1f}" y="{height - pad + 14}" font-size="10" '
            f'text-anchor="middle">{html.escape(label[:12])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _svg_curve(title: str, series: dict[str, list[tuple[int, float]]]) -> str:
    width, height, pad = 360, 200, 30
    ks = sorted({k for pts in series.values() for k, _ in pts}) or [1]
    kmax = max(ks[-1], 2)
    colors = ["#36c", "#c63", "#3a3", "#939", "#999", "#c33"]

    def xy(k: int, v: float) -> str:
        x = pad + (width - 2 * pad) * (k - 1) / (kmax - 1)
        y = height - pad - (height - 2 * pad) * v
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
        f"<title>{html.escape(title)}</title>",
        f'<text x="{pad}" y="14" font-size="13">{html.escape(title)}</text>',
    ]
    for i, (name, pts) in enumerate(sorted(series.items())):
        color = colors[i % len(colors)]
        points = " ".join(xy(k, v) for k, v in sorted(pts))
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}">'
            f"<title>{html.escape(name)}</title></polyline>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _trace_html(trace: EvalTrace) -> str:
    reason = failure_reason(trace)
    head = f"{html.escape(trace.env_id or '?')} seed {trace.seed} sample {trace.sample}: " + (
        f'<span class="failed">failed: {html.escape(reason)}</span>'
        if reason
        else f'<span class="ok">{html.escape(str(trace.status))}</span> '
        f"reward {trace.total_reward:.3g}, {trace.turns} turns"
    )
    parts: list[str] = []
    shown = 0
    for index, m in enumerate(trace.messages):
        if shown >= MAX_TRACE_CHARS:  # a long episode of long turns: the rest is in the run file
            more = len(trace.messages) - index
            parts.append(f'<i class="failed">[... {more:,} more messages]</i>')
            break
        part = f"<div><b>{html.escape(m.role)}</b><pre>{_clip(m.text)}</pre>{_tool_calls(m)}</div>"
        shown += len(part)
        parts.append(part)
    return f"<details><summary>{head}</summary>{''.join(parts)}</details>"


def _clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Escaped text, cut at `limit` characters with a note of how much was left out."""
    if len(text) <= limit:
        return html.escape(text)
    more = len(text) - limit
    return html.escape(text[:limit]) + f'<i class="failed">[... {more:,} more characters]</i>'


def _tool_calls(message: Any) -> str:
    """A message's tool calls (name and arguments, escaped): in tool envs they are the answer."""
    calls = getattr(message, "tool_calls", None) or []
    return "".join(
        f"<pre>tool call {_clip(str(c.name), 200)}({_clip(_arguments(c.arguments))})</pre>"
        for c in calls
    )


def _arguments(arguments: Any) -> str:
    if isinstance(arguments, str):
        return arguments
    return json.dumps(arguments, default=str)


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` (so no `</script>`, `<!--` or
    `<script` from a model or a run file can end or re-open the element), and no NaN or
    infinity (not JSON: `JSON.parse` would fail on it), which becomes null."""
    text = json.dumps(_finite(value), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def render_html(
    summaries: Sequence[EnvSummary], traces: Sequence[EvalTrace], title: str = "gymhub eval"
) -> str:
    ks = sorted({int(name.split("@")[1]) for s in summaries for name in s.pass_at_k})
    rows = []
    for s in summaries:
        cells = [
            html.escape(s.env_id),
            str(s.scored),
            str(s.failed),
            "-" if s.mean_reward is None else f"{s.mean_reward:.3f}",
            *(f"{s.pass_at_k[f'pass@{k}']:.3f}" if f"pass@{k}" in s.pass_at_k else "-" for k in ks),
        ]
        rows.append(
            "<tr>" + "".join(f'<td data-col="{i}">{c}</td>' for i, c in enumerate(cells)) + "</tr>"
        )
    header = "".join(
        f"<th>{h}</th>"
        for h in ["env", "scored", "failed", "mean reward", *(f"pass@{k}" for k in ks)]
    )
    curves = {
        s.env_id: [(int(n.split("@")[1]), v) for n, v in s.pass_at_k.items()] for s in summaries
    }
    difficulty: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for s in summaries:
        for d, row in s.by_difficulty.items():
            weight = row.get("tasks", row["episodes"])  # tasks: as the success is a task mean
            difficulty[d] += row["success"] * weight
            counts[d] += int(weight)
    by_diff = [(d, difficulty[d] / counts[d]) for d in sorted(counts)]
    turns = Counter(t.turns for t in traces if failure_reason(t) is None)
    lengths = Counter(
        min(sum(len(m.text) for m in t.messages if m.role == "assistant") // 200 * 200, 2000)
        for t in traces
        if failure_reason(t) is None
    )
    plots = [
        _svg_curve("pass@k by env", curves),
        _svg_bars("success by difficulty", by_diff, vmax=1.0),
        _svg_bars("turns per episode", [(str(k), float(v)) for k, v in sorted(turns.items())]),
        _svg_bars(
            "reply characters (bins of 200)",
            [(str(k), float(v)) for k, v in sorted(lengths.items())],
        ),
    ]
    summary_json = _script_json([s.model_dump() for s in summaries])
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{len(traces)} episodes, {sum(s.failed for s in summaries)} failed "
        "(failed episodes are left out of every score).</p>"
        f'<table id="summary-table"><tr>{header}</tr>{"".join(rows)}</table>'
        f'<div class="plots">{"".join(plots)}</div>'
        f"<h2>Traces</h2>{''.join(_trace_html(t) for t in traces)}"
        f'<script type="application/json" id="summary">{summary_json}</script>'
        "</body></html>"
    )


def summary_from_html(text: str) -> list[dict[str, Any]]:
    """The embedded summary of a report (what a test compares with the JSON summary)."""
    start = text.index('<script type="application/json" id="summary">')
    start = text.index(">", start) + 1
    end = text.index("</script>", start)
    return json.loads(text[start:end])
