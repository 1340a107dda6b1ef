"""GPU checks of the learned rewards (skipped where there is no CUDA device; CI has none, so they
are run by hand on a GPU machine): bf16 scoring on CUDA agrees with float32 on the CPU, and the
benchmark's GPU mode runs end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from gymhub.verifiers.reward_model import RewardModelVerifier

pytestmark = pytest.mark.gpu

ROOT = Path(__file__).resolve().parents[2]


def test_bf16_on_cuda_agrees_with_float32_on_cpu(tiny_rm_path):
    responses = ["a", "a much longer answer " * 5, "mid length answer", "b" * 40]
    prompts = [f"question {i}" for i in range(len(responses))]
    cpu = RewardModelVerifier(str(tiny_rm_path), device="cpu")
    gpu = RewardModelVerifier(str(tiny_rm_path), device="cuda", dtype=torch.bfloat16)
    expected = [v.components["rm_score"] for v in cpu.verify_batch(responses, prompts=prompts)]
    got = [v.components["rm_score"] for v in gpu.verify_batch(responses, prompts=prompts)]
    assert got == pytest.approx(expected, abs=0.05)


def test_benchmark_gpu_mode_runs():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "reward_models.py"),
            "--gpu",
            "--n",
            "64",
            "--rounds",
            "1",
            "--clients",
            "8",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "RewardModelVerifier.verify_batch" in result.stdout
    assert "dynamic batching" in result.stdout
