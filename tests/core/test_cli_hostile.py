"""CLI input that cannot be used is a one-line error (exit 2), never a traceback."""

from __future__ import annotations

import pytest

from tests.core.test_cli import gymhub_cli


def test_a_train_config_that_is_not_text_is_a_clear_error(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_bytes(b"\xff\xfe steps: 1\n")
    out = gymhub_cli("train", "--config", str(config))
    assert out.returncode == 2, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and "UTF-8" in out.stderr


@pytest.mark.parametrize(
    "args, complaint",
    [
        (["--seed", "-5"], "--seed"),
        (["--env-kwargs", '{"zz": 1}'], "--env-kwargs"),
        (["-o", "/"], "directory"),
        (["-o", "/proc/no/such/pairs.jsonl"], "-o"),
    ],
)
def test_rm_pairs_refuses_what_it_cannot_use(tmp_path, args, complaint):
    base = ["rm", "pairs", "gymhub/Capitals-v0", "--count", "2", "-o", str(tmp_path / "p.jsonl")]
    out = gymhub_cli(*base, *args)
    assert out.returncode == 2, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and complaint in out.stderr


@pytest.mark.parametrize(
    "args, complaint",
    [
        (["--max-length", "0"], "--max-length"),
        (["--model", "/no/such/checkpoint"], "--model"),
        (["--threads", "0"], "--threads"),
    ],
)
def test_rm_train_refuses_what_it_cannot_use(tmp_path, args, complaint):
    data = tmp_path / "pairs.jsonl"
    data.write_text('{"prompt": "a", "chosen": "b", "rejected": "c"}\n' * 10)
    out = gymhub_cli(
        "rm", "train", "--data", str(data), "--output-dir", str(tmp_path / "rm"), "--epochs", "1",
        *args,
    )  # fmt: skip
    assert out.returncode == 2, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and complaint in out.stderr


@pytest.mark.parametrize("episodes", ["0", "100001", "10000000000"])
def test_bench_refuses_an_episode_count_it_cannot_finish(episodes):
    out = gymhub_cli("bench", "gymhub/Capitals-v0", "--episodes", episodes)
    assert out.returncode == 2, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and "--episodes" in out.stderr


def test_bench_env_validates_its_episode_count():
    from gymhub.cli.bench import bench_env

    with pytest.raises(ValueError, match="episodes must be 1 to"):
        bench_env("gymhub/Capitals-v0", 0)
    with pytest.raises(TypeError, match="episodes must be an int"):
        bench_env("gymhub/Capitals-v0", 2.5)  # type: ignore[arg-type]
    assert bench_env("gymhub/Capitals-v0", 2)["episodes"] == 2
