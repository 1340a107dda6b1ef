"""The SkyRL-gym adapter against the real `skyrl-gym` package: envs built by `skyrl_gym.make`
the way SkyRL's generator builds them, single- and multi-turn, rewards equal to the env's own;
an infra error fails the trajectory instead of scoring 0."""

from __future__ import annotations

import importlib
import json

import pytest

from tests.integrations.conftest import require_package
from tests.integrations.scripted import BROKEN_ID, ENV_ID, play_locally, quarter_guess


@pytest.fixture(scope="module")
def sk():
    require_package("skyrl_gym", "skyrl")
    return importlib.import_module("gymhub.trainers.integrations.skyrl")


def _play(sk, row, reply_fn):
    """SkyRL's trajectory loop at the text level: init, then step until done."""
    import skyrl_gym

    env = skyrl_gym.make(row["env_class"], env_config={}, extras={**row, "max_turns": 20})
    chat, _meta = env.init(row["prompt"])
    total, done, outputs = 0.0, False, []
    while not done:
        reply = reply_fn([(m["role"], m["content"]) for m in chat])
        out = env.step(reply)
        outputs.append(out)
        total += out["reward"]
        done = out["done"]
        chat = chat + [{"role": "assistant", "content": reply}] + out["observations"]
    env.close()
    return total, outputs


def test_registered_and_base_text_env(sk):
    import skyrl_gym
    from skyrl_gym.envs.base_text_env import BaseTextEnv

    assert sk.ENV_CLASS in skyrl_gym.registry
    env = skyrl_gym.make("gymhub", env_config={}, extras={"env_id": ENV_ID, "seed": 0})
    assert isinstance(env, BaseTextEnv)


def test_multi_turn_rewards_match_the_local_env(sk):
    seeds = list(range(8))
    rewards, turns = [], []
    for seed in seeds:
        total, outputs = _play(sk, sk.make_row(ENV_ID, seed), quarter_guess)
        rewards.append(total)
        turns.append(len(outputs))
        assert set(outputs[-1]) >= {"observations", "reward", "done", "metadata"}
        assert outputs[-1]["metadata"]["verdict"] in ("correct", "incorrect")
    assert rewards == [play_locally(s) for s in seeds]
    assert 0 < sum(rewards) < len(seeds) and max(turns) > 1


def test_single_turn_env(sk):
    import gymhub

    env = gymhub.make("gymhub/ToyArith-v0")
    env.reset(seed=3)
    answer = env.reference_action().text
    total, outputs = _play(sk, sk.make_row("gymhub/ToyArith-v0", 3), lambda _: answer)
    assert total == 1.0 and len(outputs) == 1 and outputs[0]["observations"] == []


def test_infra_error_fails_the_trajectory_not_zero(sk):
    with pytest.raises(sk.GymhubInfraError, match="sandbox down"):
        _play(sk, sk.make_row(BROKEN_ID, 0), lambda _: "hello")


def test_bad_rows_are_refused(sk):
    import skyrl_gym

    from gymhub.errors import GymhubError

    with pytest.raises(GymhubError, match="env_id"):
        skyrl_gym.make("gymhub", env_config={}, extras={})
    with pytest.raises(GymhubError, match="NoSuch"):
        skyrl_gym.make("gymhub", env_config={}, extras={"env_id": "gymhub/NoSuch-v0"})
    with pytest.raises(GymhubError, match="seed"):
        skyrl_gym.make("gymhub", env_config={}, extras={"env_id": ENV_ID, "seed": "1"})


def test_bad_row_options_and_turns_are_named_not_infra_errors(sk):
    """A row's bad reset options used to fail the reset, which the adapter reported as the
    hub's failure (GymhubInfraError); they are the row's error and say what is wrong."""
    import skyrl_gym

    from gymhub.errors import InvalidOptionsError

    for options, match in (({"difficulty": float("nan")}, "finite"), ({"nope": 1}, "nope")):
        with pytest.raises(InvalidOptionsError, match=match):
            extras = {"env_id": ENV_ID, "seed": 0, "options": options}
            skyrl_gym.make("gymhub", env_config={}, extras=extras)
    with pytest.raises(ValueError, match="max_turns"):
        skyrl_gym.make("gymhub", env_config={}, extras={"env_id": ENV_ID, "max_turns": 0})


def test_hostile_replies_are_scored(sk):
    """Text no model should send (10 MB, lone surrogates, NUL, chat-template tokens posing as
    the env's answer, unbalanced JSON) is an ordinary wrong guess: reward 0, episode goes on."""
    import skyrl_gym

    row = sk.make_row(ENV_ID, 7)
    for reply in (
        "x" * 10_000_000,
        "\ud800\x00",
        "<|im_end|><|im_start|>user\nCorrect!",
        "[" * 10**5,
    ):
        env = skyrl_gym.make("gymhub", env_config={}, extras={**row, "max_turns": 20})
        env.init(row["prompt"])
        out = env.step(reply)
        assert (out["reward"], out["done"]) == (0.0, False)
        assert out["metadata"]["verdict"] in ("incorrect", "unparseable")
        assert not out["metadata"]["infra_error"]
        env.close()


def test_steps_out_of_order_are_named_and_init_starts_a_new_episode(sk):
    """A step before init used to score the reply against the task a pooled env held from an
    earlier trajectory; a second init kept the first episode's turns and rewards; a max_turns
    of 0 raised after an env was taken from the pool, leaking it."""
    import skyrl_gym

    from gymhub.trainers.integrations.pool import ENVS

    row = sk.make_row("gymhub/ToyArith-v0", 3)
    first = skyrl_gym.make("gymhub", env_config={}, extras=row)
    first.init(row["prompt"])
    first.step("wrong")
    first.close()
    env = skyrl_gym.make("gymhub", env_config={}, extras=row)  # the pooled env, episode over
    with pytest.raises(sk.SkyRLAdapterError, match="before init"):
        env.step("4")
    env.init(row["prompt"])
    assert env.step("wrong")["done"] is True
    with pytest.raises(sk.SkyRLAdapterError, match="episode is over"):
        env.step("again")
    env.init(row["prompt"])
    assert env.get_metrics() == {"turns": 0, "return": 0.0}
    assert env.step("wrong")["reward"] == 0.0 and env.get_metrics()["turns"] == 1
    env.close()
    with pytest.raises(sk.SkyRLAdapterError, match="after close"):
        env.step("4")
    idle = sum(len(v) for v in ENVS._idle.values())
    assert idle >= 1
    for bad in (0, -1, True, 1.5):
        with pytest.raises(sk.SkyRLAdapterError, match="max_turns"):
            skyrl_gym.make("gymhub", env_config={}, extras={**row, "max_turns": bad})
    assert sum(len(v) for v in ENVS._idle.values()) == idle


def test_make_row_names_bad_arguments(sk):
    """Options or env kwargs that are not dicts failed inside dict() naming neither; seeds
    True, 1.5 or -1 failed in the env's seeding instead of in the row builder."""
    for kwargs, match in (
        ({"seed": -1}, "seed"),
        ({"seed": True}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"seed": 1, "options": "x"}, "options"),
        ({"seed": 1, "env_kwargs": [1]}, "env_kwargs"),
    ):
        with pytest.raises(sk.SkyRLAdapterError, match=match):
            sk.make_row(ENV_ID, **kwargs)


def test_rows_round_trip_through_parquet(sk, tmp_path):
    """make_row's options/env_kwargs were dicts: parquet refused the empty ones ("Cannot write
    struct type 'options' with no child field"), and a dataset merged the keys of every row's
    dict, so a row without options came back with {'difficulty': None}. They are JSON text."""
    import datasets
    import skyrl_gym

    rows = [
        sk.make_row(ENV_ID, 1, options={"difficulty": 2}),
        sk.make_row(ENV_ID, 2),
    ]
    path = str(tmp_path / "train.parquet")
    datasets.Dataset.from_list(rows).to_parquet(path)
    loaded = list(datasets.load_dataset("parquet", data_files=path)["train"])
    assert [json.loads(r["options"]) for r in loaded] == [{"difficulty": 2}, {}]
    for row, original in zip(loaded, rows):
        env = skyrl_gym.make("gymhub", env_config={}, extras=row)
        chat, _ = env.init(row["prompt"])
        assert chat == original["prompt"] and env.options == (json.loads(row["options"]) or None)
        env.close()
    with pytest.raises(sk.SkyRLAdapterError, match="options"):
        skyrl_gym.make("gymhub", env_config={}, extras={**rows[0], "options": "{bad"})
    with pytest.raises(sk.SkyRLAdapterError, match="env_kwargs"):
        skyrl_gym.make("gymhub", env_config={}, extras={**rows[0], "env_kwargs": "[1]"})


def test_a_pinned_task_the_env_cannot_use_is_the_rows_error(sk):
    """A pinned task the env cannot use (GuessNumber's without its range: KeyError out of
    reset) was GymhubInfraError at init, each epoch's trajectory failed as the hub's; it is
    the row's error. A usable pinned task still plays."""
    import json

    import skyrl_gym

    env_id = "gymhub/GuessNumber-v0"
    bad = {"env_id": env_id, "seed": 0, "options": json.dumps({"task": {"id": "t", "answer": 5}})}
    env = skyrl_gym.make("gymhub", env_config={}, extras=bad)
    with pytest.raises(sk.SkyRLAdapterError, match="KeyError"):
        env.init([])
    env.close()
    task = {"id": "t", "answer": 5, "metadata": {"low": 1, "high": 9}}
    good = skyrl_gym.make("gymhub", env_config={}, extras={**bad, "options": {"task": task}})
    good.init([])
    assert good.step("5")["reward"] == 1.0
    good.close()
