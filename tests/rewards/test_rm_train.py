"""`gymhub rm pairs` + `gymhub rm train`: a tiny reward model learns what a verifier checks."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from gymhub.cli import app
from gymhub.trainers.rm_train import load_pairs, pairwise_accuracy
from gymhub.verifiers.reward_model import RewardModelVerifier

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("rm")
    pairs = root / "pairs.jsonl"
    result = runner.invoke(
        app, ["rm", "pairs", "gymhub/ToyArith-v0", "--count", "600", "-o", str(pairs)]
    )
    assert result.exit_code == 0, result.output
    out = root / "rm"
    result = runner.invoke(
        app,
        [
            "rm",
            "train",
            "--data",
            str(pairs),
            "--model",
            "tiny",
            "--output-dir",
            str(out),
            "--epochs",
            "4",
            "--threads",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    return pairs, out, json.loads(result.output.strip().splitlines()[-1])


def test_pairs_are_verified_by_the_env(trained):
    pairs_path, _, _ = trained
    pairs = load_pairs(pairs_path)
    assert len(pairs) >= 500
    for pair in pairs:
        question = pair.prompt[-1]["content"]
        assert question.endswith(" " + pair.chosen * 10)  # the repeated digit: correct
        assert not question.endswith(" " + pair.rejected * 10)  # anything else: wrong


def test_trained_rm_ranks_held_out_pairs(trained):
    pairs_path, out, summary = trained
    assert summary["eval_pairs"] >= 100
    assert summary["eval_accuracy"] >= 0.85, summary["history"]
    # the saved directory loads by path and reproduces the held-out figure on fresh pairs
    rm = RewardModelVerifier(str(out))
    import gymhub
    from gymhub.trainers.rm_pairs import iter_pairs

    fresh = list(iter_pairs(lambda: gymhub.make("gymhub/ToyArith-v0"), seeds=range(5000, 5200)))
    assert pairwise_accuracy(rm, fresh) >= 0.85


def test_train_reports_each_epoch_and_rejects_bad_data(tmp_path, trained):
    pairs_path, _, _ = trained
    result = runner.invoke(
        app,
        [
            "rm",
            "train",
            "--data",
            str(pairs_path),
            "--output-dir",
            str(tmp_path / "o"),
            "--epochs",
            "1",
            "--threads",
            "1",
            "--eval-fraction",
            "0.5",
        ],
    )
    assert result.exit_code == 0 and "held-out acc" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"prompt": "q", "chosen": "a"}\n{"prompt": "q", "chosen": "a", "rejected": 1}\n'
    )
    result = runner.invoke(app, ["rm", "train", "--data", str(bad), "--output-dir", str(tmp_path)])
    assert result.exit_code != 0 and "rejected" in result.output
    result = runner.invoke(app, ["rm", "pairs", "gymhub/MathRetry-v0", "-o", str(tmp_path / "x")])
    assert result.exit_code != 0 and "multi-turn" in result.output


def test_trl_backend_trains_the_same_pairs_into_a_loadable_reward_model(tmp_path, trained):
    """`--backend trl` runs TRL's real RewardTrainer; the split, per-epoch held-out accuracy and
    output directory are the same as the native loop's."""
    import importlib.util

    from tests.conftest import require

    require(importlib.util.find_spec("trl") is not None, "the 'trl' package (gymhub[trl])")
    pairs_path, _, _ = trained
    out = tmp_path / "trl-rm"
    result = runner.invoke(
        app,
        [
            "rm",
            "train",
            "--data",
            str(pairs_path),
            "--output-dir",
            str(out),
            "--backend",
            "trl",
            "--epochs",
            "2",
            "--threads",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert [row["epoch"] for row in summary["history"]] == [1, 2]
    assert summary["eval_pairs"] >= 100
    assert summary["eval_accuracy"] >= 0.6, summary["history"]  # learned something in 2 epochs
    rm = RewardModelVerifier(str(out))
    assert pairwise_accuracy(rm, load_pairs(pairs_path)[:50]) >= 0.6
    result = runner.invoke(
        app,
        ["rm", "train", "--data", str(pairs_path), "--output-dir", str(tmp_path), "--backend", "x"],
    )
    assert result.exit_code != 0 and "backend" in result.output


def test_output_dir_is_checked_before_training(tmp_path, trained):
    """A folder of other files is refused at once (saving would overwrite `config.json` and
    the like); an earlier reward model's folder, a new one and `--overwrite` are accepted."""
    pairs_path, out, _ = trained
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "config.json").write_text('{"mine": true}')
    args = ["rm", "train", "--data", str(pairs_path), "--epochs", "1", "--threads", "1"]
    result = runner.invoke(app, [*args, "--output-dir", str(busy)])
    assert result.exit_code != 0 and "already holds other files" in _flat(result.output)
    assert (busy / "config.json").read_text() == '{"mine": true}'  # untouched
    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = runner.invoke(app, [*args, "--output-dir", str(a_file)])
    assert result.exit_code != 0 and "is a file" in _flat(result.output)
    result = runner.invoke(app, [*args, "--output-dir", str(busy), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert RewardModelVerifier(str(busy)) is not None
    assert (busy / "train_summary.json").is_file()
    # retraining into a folder that holds a gymhub reward model replaces it
    result = runner.invoke(app, [*args, "--output-dir", str(busy)])
    assert result.exit_code == 0, result.output


def _flat(output: str) -> str:
    """CLI output without rich's error box and line wrapping."""
    return re.sub(r"[\s\u2500-\u257f]+", " ", output)
