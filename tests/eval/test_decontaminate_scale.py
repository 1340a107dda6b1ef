"""Decontamination against a large training set keeps only what the prompts can match."""

from __future__ import annotations

import tracemalloc

from gymhub.evaluation.decontaminate import overlap_report


def test_memory_stays_bounded_by_the_prompts_not_the_training_set():
    prompt = " ".join(f"p{i}" for i in range(20))
    prompts = [("e", 0, prompt), ("e", 1, "a short one")]

    def train():
        for row in range(4000):
            yield " ".join(f"w{row}x{i}" for i in range(60))
        yield f"some text quoting {prompt} in the middle"
        yield "it contains a short one too"

    tracemalloc.start()
    try:
        (row,) = overlap_report(prompts, train(), n=13)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert row.contaminated == 2 and row.max_overlap == 1.0
    # every training 13-gram kept (4000 x 48 tuples of 13 words) takes well over 40 MB
    assert peak < 15 * 1024 * 1024, peak
