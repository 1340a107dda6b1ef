from __future__ import annotations

import json
import random

import pytest

from gymhub.errors import GymhubError
from gymhub.tasks import GeneratorSource, JsonlSource, ListSource, derive_seed
from gymhub.types import Task


def test_derive_seed_is_stable():
    # fixed value: the same on every machine and Python process (no salted hash)
    assert derive_seed("x", 1, 2) == derive_seed("x", 1, 2)
    assert derive_seed("x", 1, 2) != derive_seed("x", 2, 1)
    assert derive_seed("gymhub", 0) == 3910616839426568826


def test_jsonl_source_with_column_mapping(tmp_path):
    path = tmp_path / "d.jsonl"
    rows = [{"problem": f"p{i}", "solution": i, "level": i % 3} for i in range(10)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    src = JsonlSource(path, columns={"question": "problem", "answer": "solution"})
    assert len(src) == 10
    task = src.get(seed=1, index=0)
    assert task.question.startswith("p") and task.metadata["level"] == task.answer % 3
    assert [src.get(1, i).id for i in range(10)] == [src.get(1, i).id for i in range(10)]
    assert {src.get(1, i).id for i in range(10)} == {t.id for t in src.tasks}


def test_jsonl_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "a", "answer": 1}\n{not json}\n')
    with pytest.raises(GymhubError, match="bad.jsonl:2"):
        JsonlSource(path)
    path.write_text('{"prompt": "a"}\n')
    with pytest.raises(GymhubError, match="columns"):
        JsonlSource(path)
    with pytest.raises(GymhubError, match="does not exist"):
        JsonlSource(tmp_path / "missing.jsonl")


def test_generator_source_is_deterministic_and_checks_range():
    def gen(rng: random.Random, difficulty: float) -> Task:
        return Task(question=str(rng.random()), answer=difficulty)

    src = GeneratorSource(gen, "g", difficulty_range=(1, 5))
    assert src.get(3, 7, 2).question == src.get(3, 7, 2).question
    assert src.get(3, 7, 2).question != src.get(3, 8, 2).question
    assert src.get(3, 7, 2).metadata["difficulty"] == 2
    with pytest.raises(GymhubError, match="outside"):
        src.get(0, 0, 9)


def test_list_source_rejects_empty():
    with pytest.raises(GymhubError, match="empty"):
        ListSource([])


def test_hf_source_is_lazy_and_clear_when_missing(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *a, **k):
        if name == "datasets":
            raise ImportError("no datasets")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    from gymhub.tasks import HFSource

    with pytest.raises(GymhubError, match="pip install datasets"):
        HFSource("some/dataset")


def test_huge_int_messages_share_one_digit_count():
    """`shown_number` and the tool-call recorder each estimated an int's digits their own way
    (one said 6021 digits where the other said 6020); both use `tools.about_digits` now."""
    from gymhub.tasks import shown_number
    from gymhub.tools import about_digits, recordable_call
    from gymhub.types import ToolCall

    assert [about_digits(v) for v in (0, 9, 10, -99, 10**200)] == [1, 1, 2, 2, 201]
    huge = 1 << 20_000  # past Python's limit on writing an int: estimated from its bits
    assert about_digits(huge) == 6021
    assert shown_number(huge) == "an integer of about 6021 digits"
    call = recordable_call(ToolCall(id="c", name="f", arguments={"x": huge}))
    assert call.arguments == {"x": "<an integer of about 6021 digits was dropped>"}
    for bad in (True, 1.5, "12"):
        with pytest.raises(TypeError, match="must be an int"):
            about_digits(bad)
