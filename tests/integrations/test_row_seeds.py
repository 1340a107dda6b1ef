"""Seeds read back from parquet or a pandas frame are numpy integers: every adapter takes them as
the same seed (same task, same reward) and still names a bool, a float or a negative number as
the user's setup error."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from gymhub.trainers.integrations.rows import seed_value
from tests.integrations.conftest import require_package
from tests.integrations.scripted import ENV_ID

MATH_ID = "gymhub/ToyArith-v0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3),
        (0, 0),
        (np.int64(7), 7),
        (np.uint8(200), 200),
        (np.int32(0), 0),
        (True, None),
        (np.bool_(True), None),
        (2.0, None),
        (np.float64(2.0), None),
        (-1, None),
        (np.int64(-4), None),
        ("3", None),
        (None, None),
    ],
)
def test_seed_value(value, expected):
    got = seed_value(value)
    assert got == expected
    assert got is None or type(got) is int  # a plain int: envs and JSON take it


def test_verl_rows_and_scores_take_numpy_seeds():
    require_package("pandas", "verl")
    verl = importlib.import_module("gymhub.trainers.integrations.verl")
    row = verl.make_row(MATH_ID, np.int64(5))
    assert row == verl.make_row(MATH_ID, 5)
    assert type(row["extra_info"]["seed"]) is int
    answer = row["reward_model"]["ground_truth"]
    info = {**row["extra_info"], "seed": np.int64(5)}  # as a data frame hands it back
    scored = verl.compute_score(row["data_source"], f"\\boxed{{{answer}}}", answer, info)
    assert scored["score"] == 1.0
    with pytest.raises(verl.VerlAdapterError, match="non-negative int"):
        verl.make_row(MATH_ID, np.float64(5.0))


def test_trl_dataset_and_env_take_numpy_seeds():
    require_package("trl", "trl")
    trl = importlib.import_module("gymhub.trainers.integrations.trl")
    rows = trl.dataset(ENV_ID, seeds=np.arange(3))
    assert list(rows["seed"]) == [0, 1, 2]
    env = trl.environment_factory(ENV_ID)()
    prompt = rows[1]["prompt"]
    assert env.reset(prompt=prompt, seed=np.int64(1), environment=ENV_ID) is None
    plain = trl.environment_factory(ENV_ID)()
    plain.reset(prompt=prompt, seed=1, environment=ENV_ID)
    assert env.answer("5") == plain.answer("5")  # the same task
    with pytest.raises(trl.TRLAdapterError, match="non-negative integer"):
        env.reset(prompt=prompt, seed=np.bool_(True), environment=ENV_ID)


def test_skyrl_openrlhf_and_verifiers_take_numpy_seeds():
    require_package("skyrl_gym", "skyrl")
    require_package("verifiers", "verifiers")
    skyrl = importlib.import_module("gymhub.trainers.integrations.skyrl")
    openrlhf = importlib.import_module("gymhub.trainers.integrations.openrlhf")
    vf_adapter = importlib.import_module("gymhub.trainers.integrations.verifiers")
    assert skyrl.make_row(ENV_ID, np.int64(2)) == skyrl.make_row(ENV_ID, 2)
    assert openrlhf.prompt_rows(ENV_ID, np.arange(2)) == openrlhf.prompt_rows(ENV_ID, [0, 1])
    assert openrlhf.parse_label({"env_id": ENV_ID, "seed": np.int64(4)}, [ENV_ID])[1] == 4
    config = vf_adapter.env_config(ENV_ID, seeds=list(np.arange(3)), first_seed=np.int64(0))
    assert config.taskset.seeds == [0, 1, 2]
    assert all(type(seed) is int for seed in config.taskset.seeds)
    with pytest.raises(vf_adapter.VerifiersAdapterError, match="non-negative"):
        vf_adapter.env_config(ENV_ID, seeds=[np.int64(-1)])
