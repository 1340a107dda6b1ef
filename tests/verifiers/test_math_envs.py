"""The math environments: bundled data, generator, retry variant, data sources."""

from __future__ import annotations

import json

import pytest

import gymhub
from gymhub.envs.math.env import BUNDLED, make_math_env, make_math_retry_env
from gymhub.envs.math.generator import generate
from gymhub.errors import GymhubError
from gymhub.tasks import GeneratorSource
from gymhub.verifiers.math_verifier import MathVerifier


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


def test_bundled_set_gold_passes_and_mutations_fail(verifier):
    rows = [json.loads(line) for line in BUNDLED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 200
    assert len({r["question"] for r in rows}) == len(rows)
    golds = [r["answer"] for r in rows[::2]]  # every template, half the instances
    good = verifier.verify_batch([verifier.reference_response(g) for g in golds], golds)
    assert all(v.status == "correct" for v in good), [
        (g, v.detail) for g, v in zip(golds, good) if v.status != "correct"
    ]
    wrong = verifier.verify_batch(["\\boxed{" + g + "+1}" for g in golds], golds)
    assert all(v.reward == 0 for v in wrong)


def test_generator_every_difficulty(verifier):
    source = GeneratorSource(generate, "math_gen", difficulty_range=(1, 10))
    tasks = [source.get(seed, i, d) for d in range(1, 11) for seed in range(2) for i in range(2)]
    assert all(t.answer not in t.question for t in tasks)
    assert len({t.metadata["kind"] for t in tasks}) == 7
    golds = [t.answer for t in tasks]
    verdicts = verifier.verify_batch([f"\\boxed{{{g}}}" for g in golds], golds)
    assert all(v.status == "correct" for v in verdicts)
    again = [source.get(seed, i, d) for d in range(1, 11) for seed in range(2) for i in range(2)]
    assert [t.question for t in again] == [t.question for t in tasks]
    with pytest.raises(GymhubError):
        source.get(0, 0, 11)


def test_registered_and_difficulty_option():
    ids = {s.id for s in gymhub.list_envs(family="math")}
    assert {"gymhub/Math-v0", "gymhub/MathGen-v0", "gymhub/MathRetry-v0"} <= ids
    env = gymhub.make("gymhub/MathGen-v0")
    obs, _ = env.reset(seed=3, options={"difficulty": 9})
    assert env.task.metadata["kind"] == "quadratic"
    assert "\\boxed" in obs.messages[0].content
    env.close()


def test_retry_discounts_and_never_leaks_the_answer():
    env = make_math_retry_env(max_attempts=3, attempt_discount=0.5, deadline=20.0)
    env.reset(seed=0)
    gold = env.task.answer
    obs, reward, term, trunc, info = env.step("\\boxed{banana}")
    assert (reward, term, info["verdict"]) == (0.0, False, "incorrect")
    assert gold not in obs.text
    obs, reward, term, _, info = env.step("I am not sure")
    assert info["verdict"] == "unparseable" and "boxed" in obs.text and not term
    _, reward, term, _, _ = env.step(env.reference_action())
    assert term and reward == pytest.approx(0.25)
    env.close()


def test_jsonl_path_with_column_mapping(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"problem": f"What is {i}+{i}?", "solution": str(2 * i)}) for i in range(5)
        )
    )
    env = make_math_env(
        path=path, columns={"question": "problem", "answer": "solution"}, deadline=20.0
    )
    env.reset(seed=0)
    _, reward, *_ = env.step(env.reference_action())
    assert reward == 1.0
    with pytest.raises(GymhubError, match="problem"):
        make_math_env(path=path)  # no `question` field without the mapping
    with pytest.raises(GymhubError, match="either"):
        make_math_env(path=path, hf_dataset="x/y")


def test_hf_dataset_needs_datasets_or_loads():
    try:
        import datasets  # noqa: F401
    except ImportError:
        with pytest.raises(GymhubError, match="datasets"):
            make_math_env(hf_dataset="someone/math", columns={"question": "problem"})
    else:  # a local data-set folder goes through the same `load_dataset` path, offline
        import json
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            rows = [{"problem": "What is 2+3?", "answer": "5"}, {"problem": "7-4?", "answer": "3"}]
            with open(f"{folder}/train.jsonl", "w") as handle:
                handle.writelines(json.dumps(row) + "\n" for row in rows)
            env = make_math_env(hf_dataset=folder, columns={"question": "problem"})
            obs, _ = env.reset(seed=0)
            question = obs.messages[-1].content
            gold = next(r["answer"] for r in rows if r["problem"] in question)
            _, reward, *_ = env.step(f"\\boxed{{{gold}}}")
            assert reward == 1.0
            env.close()
