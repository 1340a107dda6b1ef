"""Hostile answers return reward 0 within the deadline + 0.5 s from every calling context, and
the verifier keeps working afterwards."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from gymhub.verifiers.math_verifier import MathVerifier
from gymhub.verifiers.pool import default_pool

HOSTILE = {
    "power tower": "\\boxed{9^{9^{9^9}}}",
    "nested parentheses": "\\boxed{" + "(" * 3000 + "1" + ")" * 3000 + "}",
    "2 MB response": "Let me think. " * 150_000 + "\\boxed{2}",
    "huge factorial": "\\boxed{10^{10^{10}}!}",
    "100,000-term sum": "\\boxed{" + "+".join(["1"] * 100_000) + "}",
    "two-level power": "\\boxed{2^{10^{12}}}",
}
DEADLINE = 1.0
LIMIT = DEADLINE + 0.5


@pytest.fixture(scope="module")
def verifier():
    pool = default_pool().start()
    assert pool.wait_idle(120)  # worker start-up is not part of a verification
    v = MathVerifier()
    assert v.deadline <= 1.0
    return v


@pytest.fixture(scope="module")
def patient(verifier):
    """Checks that the pool still serves; generous deadline (fresh workers on a busy machine)."""
    return MathVerifier(deadline=20.0, pool=verifier.pool)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_main_thread(verifier, patient, name):
    t0 = time.monotonic()
    verdict = verifier.verify(HOSTILE[name], "2")
    assert time.monotonic() - t0 < LIMIT
    assert verdict.reward == 0.0 and verdict.status in ("unparseable", "timeout")
    assert patient.verify("\\boxed{4}", "4").status == "correct"


def test_eight_threads_at_once(verifier, patient):
    assert verifier.pool.wait_idle(120)
    results: list[tuple[float, float]] = []
    lock = threading.Lock()

    def run(text: str) -> None:
        t0 = time.monotonic()
        verdict = verifier.verify(text, "2")
        with lock:
            results.append((verdict.reward, time.monotonic() - t0))

    texts = list(HOSTILE.values()) + list(HOSTILE.values())[:2]
    threads = [threading.Thread(target=run, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert all(reward == 0.0 for reward, _ in results)
    assert max(wall for _, wall in results) < LIMIT
    assert patient.verify("\\boxed{\\frac{1}{2}}", "0.5").status == "correct"


def test_asyncio(verifier, patient):
    assert verifier.pool.wait_idle(120)

    async def main():
        async def one(text):
            t0 = time.monotonic()
            verdict = await verifier.averify(text, "2")
            return verdict.reward, time.monotonic() - t0

        return await asyncio.gather(*(one(t) for t in HOSTILE.values()))

    results = asyncio.run(main())
    assert all(reward == 0.0 for reward, _ in results)
    assert max(wall for _, wall in results) < LIMIT
    assert asyncio.run(patient.averify("\\boxed{3}", "3")).status == "correct"


def test_work_past_the_deadline_is_killed_and_the_next_call_works(verifier, patient):
    # a deadline far below what any parse takes forces the kill path on ordinary work
    tight = MathVerifier(deadline=0.001, pool=verifier.pool)
    t0 = time.monotonic()
    n = time.monotonic_ns() % 1000  # a fresh expression: no parser cache can answer it
    verdict = tight.verify(f"\\boxed{{\\frac{{x^{{3}}+{n}x}}{{\\sqrt{{x+{n + 1}}}}}}}", "(x+1)^2")
    assert verdict.status == "timeout" and verdict.reward == 0.0
    assert time.monotonic() - t0 < 0.5
    assert patient.verify("\\boxed{7}", "7").status == "correct"


def test_no_eval_of_model_text(verifier, tmp_path):
    marker = tmp_path / "pwned"
    payload = f"\\boxed{{__import__('os').system('touch {marker}')}}"
    verdict = verifier.verify(payload, "0")
    assert verdict.reward == 0.0
    assert not marker.exists()
