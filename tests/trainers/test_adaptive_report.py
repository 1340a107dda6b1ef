"""The in-band summary of an adaptive-difficulty run (`gymhub.trainers.adaptive_report`)."""

from __future__ import annotations

import json

import pytest

from gymhub.trainers.adaptive_report import band_summary, main, markdown


def rows_of(rates: list[float | None], levels: list[int]) -> list[dict]:
    rows = []
    for step, (rate, level) in enumerate(zip(rates, levels), start=1):
        row = {"step": step, "difficulty/a": float(level)}
        if rate is not None:
            row["success_rate/a"] = rate
        rows.append(row)
    return rows


def test_shares_of_steps_in_the_band_after_the_warmup():
    rows = rows_of([0.0, 0.1, 0.5, 0.95, None, 0.3, 0.7], [1, 1, 2, 2, 2, 3, 2])
    summary = band_summary(rows, (0.3, 0.7), warmup=2, window=2)["a"]
    assert summary["steps"] == 4  # steps 3, 4, 6, 7 (step 5 had no episode of "a")
    assert summary["in_band"] == 3 / 4  # 0.5, 0.3 and 0.7 (the ends count), not 0.95
    # 2-step moving means (steps without a value skipped): 0.3, 0.725, 0.3, 0.5
    assert summary["mean_in_band"] == 3 / 4
    assert summary["success_mean"] == pytest.approx(0.6125)
    assert summary["levels"] == (1.0, 3.0)  # a step plays the level logged by the step before
    assert summary["changes"] == 3
    assert summary["first_in_band"] == 3
    table = markdown({"a": summary}, (0.3, 0.7), 2)
    assert "| `a` | 4 | 75% | 75% | 0.61 | 1-3 | 3 | 3 |" in table


def test_bad_inputs_say_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match="no difficulty"):
        band_summary([{"step": 1, "reward_mean": 0.0}], (0.3, 0.7))
    with pytest.raises(ValueError, match="band"):
        band_summary(rows_of([0.5], [1]), (0.7, 0.3))
    with pytest.raises(FileNotFoundError, match="no metrics file"):
        main([str(tmp_path / "missing.jsonl")])


def test_the_command_reads_the_band_from_the_config(tmp_path, capsys):
    metrics = tmp_path / "metrics.jsonl"
    metrics.write_text("".join(json.dumps(r) + "\n" for r in rows_of([0.2, 0.25], [1, 1])))
    config = tmp_path / "run.yaml"
    config.write_text("adaptive_difficulty: {low: 0.2, high: 0.5}\n")
    assert main([str(metrics), "--config", str(config), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["a"]["in_band"] == 1.0
    assert main([str(metrics), "--low", "0.3", "--high", "0.7"]) == 0
    assert "| `a` | 2 | 0% |" in capsys.readouterr().out
