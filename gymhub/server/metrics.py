"""Server metrics in the Prometheus text format, with no dependency.

Every update happens on the event loop thread, so plain counters need no locks. Histograms have
fixed buckets, so memory stays flat however many sessions and steps the server serves.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

LATENCY_BUCKETS = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
)  # fmt: skip


class Histogram:
    """A cumulative-bucket latency histogram (seconds)."""

    __slots__ = ("counts", "total", "count")

    def __init__(self) -> None:
        self.counts = [0] * (len(LATENCY_BUCKETS) + 1)
        self.total = 0.0
        self.count = 0

    def observe(self, seconds: float) -> None:
        self.counts[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
        self.total += seconds
        self.count += 1

    def lines(self, name: str, labels: str) -> list[str]:
        out, running = [], 0
        sep = "," if labels else ""
        for bound, n in zip((*LATENCY_BUCKETS, float("inf")), self.counts):
            running += n
            le = "+Inf" if bound == float("inf") else repr(bound)
            out.append(f'{name}_bucket{{{labels}{sep}le="{le}"}} {running}')
        suffix = f"{{{labels}}}" if labels else ""
        out.append(f"{name}_sum{suffix} {self.total}")
        out.append(f"{name}_count{suffix} {self.count}")
        return out


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Metrics:
    """Counters, gauges and histograms for sessions, steps, errors and latencies."""

    def __init__(self) -> None:
        self.sessions_active = 0
        self.sessions_created: dict[str, int] = defaultdict(int)
        self.sessions_closed: dict[str, int] = defaultdict(int)
        self.steps: dict[str, int] = defaultdict(int)
        self.resets: dict[str, int] = defaultdict(int)
        self.errors: dict[tuple[int, str], int] = defaultdict(int)
        self.step_deadline_exceeded = 0
        self.capacity_rejections = 0
        self.idempotent_replays = 0
        self.step_latency: dict[str, Histogram] = defaultdict(Histogram)
        self.reset_latency: dict[str, Histogram] = defaultdict(Histogram)

    def render(self) -> str:
        lines: list[str] = []

        def family(name: str, kind: str, help_: str) -> None:
            lines.append(f"# HELP {name} {help_}")
            lines.append(f"# TYPE {name} {kind}")

        family("gymhub_sessions_active", "gauge", "Sessions currently open.")
        lines.append(f"gymhub_sessions_active {self.sessions_active}")
        family("gymhub_sessions_created_total", "counter", "Sessions created, by env.")
        for env, n in sorted(self.sessions_created.items()):
            lines.append(f'gymhub_sessions_created_total{{env="{_escape(env)}"}} {n}')
        family("gymhub_sessions_closed_total", "counter", "Sessions closed, by reason.")
        for reason, n in sorted(self.sessions_closed.items()):
            lines.append(f'gymhub_sessions_closed_total{{reason="{_escape(reason)}"}} {n}')
        family("gymhub_steps_total", "counter", "Steps served, by env.")
        for env, n in sorted(self.steps.items()):
            lines.append(f'gymhub_steps_total{{env="{_escape(env)}"}} {n}')
        family("gymhub_resets_total", "counter", "Resets served, by env.")
        for env, n in sorted(self.resets.items()):
            lines.append(f'gymhub_resets_total{{env="{_escape(env)}"}} {n}')
        family("gymhub_errors_total", "counter", "Error answers, by status and type.")
        for (status, type_), n in sorted(self.errors.items()):
            lines.append(f'gymhub_errors_total{{status="{status}",type="{_escape(type_)}"}} {n}')
        family(
            "gymhub_step_deadline_exceeded_total", "counter", "Steps that ran past the deadline."
        )
        lines.append(f"gymhub_step_deadline_exceeded_total {self.step_deadline_exceeded}")
        family("gymhub_capacity_rejections_total", "counter", "Session creations answered 503.")
        lines.append(f"gymhub_capacity_rejections_total {self.capacity_rejections}")
        family(
            "gymhub_idempotent_replays_total", "counter", "Retried requests answered from cache."
        )
        lines.append(f"gymhub_idempotent_replays_total {self.idempotent_replays}")
        family("gymhub_step_seconds", "histogram", "Step latency inside the server, by env.")
        for env, h in sorted(self.step_latency.items()):
            lines.extend(h.lines("gymhub_step_seconds", f'env="{_escape(env)}"'))
        family("gymhub_reset_seconds", "histogram", "Reset latency inside the server, by env.")
        for env, h in sorted(self.reset_latency.items()):
            lines.extend(h.lines("gymhub_reset_seconds", f'env="{_escape(env)}"'))
        return "\n".join(lines) + "\n"
