"""Server metrics for Prometheus (`GET /metrics`), kept with `prometheus_client`.

Each server has its own registry, so several servers (or tests) in one process never mix their
numbers. Histograms have fixed buckets: memory stays flat however many steps the server serves.
The methods name what happened; the hot path (`step_done`) reuses each env's label children.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest

LATENCY_BUCKETS = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
)  # fmt: skip
CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """Counters, gauges and histograms for sessions, steps, errors and latencies."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.sessions_active = Gauge(
            "gymhub_sessions_active", "Sessions currently open.", registry=r
        )
        self.sessions_created = Counter(
            "gymhub_sessions_created", "Sessions created, by env.", ["env"], registry=r
        )
        self.sessions_closed = Counter(
            "gymhub_sessions_closed", "Sessions closed, by reason.", ["reason"], registry=r
        )
        self.steps = Counter("gymhub_steps", "Steps served, by env.", ["env"], registry=r)
        self.resets = Counter("gymhub_resets", "Resets served, by env.", ["env"], registry=r)
        self.errors = Counter(
            "gymhub_errors", "Error answers, by status and type.", ["status", "type"], registry=r
        )
        self.step_deadline_exceeded = Counter(
            "gymhub_step_deadline_exceeded", "Steps that ran past the deadline.", registry=r
        )
        self.capacity_rejections = Counter(
            "gymhub_capacity_rejections", "Session creations answered 503.", registry=r
        )
        self.idempotent_replays = Counter(
            "gymhub_idempotent_replays", "Retried requests answered from cache.", registry=r
        )
        self.step_seconds = Histogram(
            "gymhub_step_seconds",
            "Step latency inside the server, by env.",
            ["env"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.reset_seconds = Histogram(
            "gymhub_reset_seconds",
            "Reset latency inside the server, by env.",
            ["env"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self._step_children: dict[str, tuple[Counter, Histogram]] = {}

    # ----- what happened ------------------------------------------------------------------------
    def session_opened(self, env_id: str, active: int) -> None:
        self.sessions_active.set(active)
        self.sessions_created.labels(env_id).inc()

    def session_closed(self, reason: str, active: int) -> None:
        self.sessions_active.set(active)
        self.sessions_closed.labels(reason).inc()

    def reset_done(self, env_id: str, seconds: float) -> None:
        self.reset_seconds.labels(env_id).observe(seconds)
        self.resets.labels(env_id).inc()

    def step_done(self, env_id: str, seconds: float) -> None:
        children = self._step_children.get(env_id)
        if children is None:
            children = (self.steps.labels(env_id), self.step_seconds.labels(env_id))
            self._step_children[env_id] = children
        children[1].observe(seconds)
        children[0].inc()

    def error(self, status: int, type_: str) -> None:
        self.errors.labels(str(status), type_).inc()

    # ----- reading ------------------------------------------------------------------------------
    def render(self) -> bytes:
        """The Prometheus text exposition of every metric (serve it as `CONTENT_TYPE`)."""
        return generate_latest(self.registry)

    def value(self, name: str, **labels: str) -> float:
        """The current value of one sample, e.g. `value("gymhub_steps_total", env=...)`."""
        found = self.registry.get_sample_value(name, labels)
        return 0.0 if found is None else found
