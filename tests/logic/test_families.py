"""Generated tests: every registered logic family gets the same battery, so a new family module
is covered without writing a test. Families are discovered from `envs/logic/families/`."""

from __future__ import annotations

import functools
import json
import pkgutil
import random
import time

import pytest

from gymhub.envs import logic
from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task
from gymhub.types import Task
from tests.logic.fingerprint import digests_under_hash_seeds

discover_families()
NAMES = sorted(FAMILIES)
LEVELS = (1, 5, 10)
SEEDS = (0, 1, 2)

JUNK = {
    "empty": "",
    "no_tags": "The answer is 42.",
    "empty_tags": "<answer></answer>",
    "megabyte": "<answer>" + "9" * 1_000_000 + "</answer>",
    "binary": "<answer>" + "".join(chr(i) for i in range(0, 256)) + "</answer>",
    "unicode": "<answer>ünïcødé 🧩 ∑∞ 漢字 \u202e\u200b</answer>",
    # nested tags around a value no task has as its answer (`1` is word_sorting_mistake's
    # right `Step 1` at seed 0, d5, since that family has 4+d words)
    "nested": "<answer><answer>zq</answer></answer>",
    "think_only": "<think><answer>1</answer></think>",
    "numbers": "<answer>" + " ".join(str(i % 10) for i in range(5000)) + "</answer>",
    "negative": "<answer>-1 -2 -3 -4 (-1,-1) 1e308 NaN inf</answer>",
}


@functools.cache
def task_for(name: str, seed: int, difficulty: int) -> Task:
    return generate_task(FAMILIES[name], seed, 0, difficulty)


def gold(name: str, task: Task) -> str:
    return FAMILIES[name].reference_response(task)


def _swap_char(text: str, pos: int) -> str | None:
    """Replace the character at `pos` by another of the same kind that occurs in `text`, so the
    answer stays readable but one cell/value differs."""
    ch = text[pos]
    if ch.isdigit():
        pool = sorted({c for c in text if c.isdigit() and c != ch}) or [str((int(ch) + 1) % 10)]
    elif ch.isalpha():
        pool = sorted({c for c in text if c.isalpha() and c != ch and c.islower() == ch.islower()})
        pool = pool or [chr(ord("a") + (ord(ch.lower()) - ord("a") + 1) % 26)]
    elif ch in "#.":
        pool = ["." if ch == "#" else "#"]
    else:
        return None
    return text[:pos] + pool[pos % len(pool)] + text[pos + 1 :]


def near_misses(name: str, task: Task) -> list[str]:
    family = FAMILIES[name]
    custom = family.near_misses(task)
    if custom is not None:
        return [f"<answer>{a}</answer>" for a in custom]
    answer = family.format_answer(task)
    positions = [i for i, c in enumerate(answer) if c.isalnum() or c in "#."]
    picks = (
        sorted({positions[len(positions) // 2], positions[0], positions[-1]}) if positions else []
    )
    out = []
    for pos in picks:
        changed = _swap_char(answer, pos)
        if changed is not None and changed != answer:
            out.append(f"<answer>{changed}</answer>")
    return out


def test_at_least_thirty_families_or_all_files_registered() -> None:
    modules = [m.name for m in pkgutil.iter_modules(logic.families.__path__)]
    modules = [m for m in modules if not m.startswith("_")]
    assert not logic.FAILED, f"family modules failed to import: {logic.FAILED}"
    assert len(FAMILIES) >= len(modules), "a family module registered no family"


@pytest.mark.parametrize("name", NAMES)
def test_contract(name: str) -> None:
    family = FAMILIES[name]
    assert family.name == name and name.isidentifier() and name.islower()
    assert family.title and family.title[0].isupper() and family.title.isalnum()
    assert family.description and family.difficulty_doc


@pytest.mark.parametrize("name", NAMES)
def test_deterministic(name: str) -> None:
    for d in LEVELS:
        a = task_for(name, 7, d)
        b = generate_task(FAMILIES[name], 7, 0, d)  # a fresh generation, not the cache
        assert a.model_dump() == b.model_dump(), f"difficulty {d}: same seed, different task"
        assert Task.model_validate_json(a.model_dump_json()) == a
    # different seeds give different puzzles (at the middle difficulty)
    questions = {task_for(name, s, 5).question for s in SEEDS}
    assert len(questions) >= 2


@pytest.mark.parametrize("name", NAMES)
def test_gold_scores_one(name: str) -> None:
    for d in LEVELS:
        for seed in SEEDS:
            task = task_for(name, seed, d)
            verdict = FAMILIES[name].verify(gold(name, task), task)
            assert verdict.reward == 1.0 and verdict.status == "correct", (d, seed, verdict)
            # tolerated layout: reasoning before, a </think>, extra whitespace
            padded = "<think>x</think>Let me answer.\n" + gold(name, task).replace(
                "<answer>", "<answer>\n  "
            )
            assert FAMILIES[name].verify(padded, task).reward == 1.0, (d, seed)


@pytest.mark.parametrize("name", NAMES)
def test_question_states_format_and_hides_gold(name: str) -> None:
    family = FAMILIES[name]
    for d in LEVELS:
        task = task_for(name, 0, d)
        assert "<answer>" in task.question, "the question must ask for <answer></answer>"
        for secret in family.secret_strings(task):
            assert secret not in task.question, f"gold answer appears in the question (d={d})"


@pytest.mark.parametrize("name", NAMES)
def test_changed_value_scores_zero(name: str) -> None:
    tried = 0
    for d in LEVELS:
        task = task_for(name, 1, d)
        for wrong in near_misses(name, task):
            verdict = FAMILIES[name].verify(wrong, task)
            assert verdict.reward < 1.0 and verdict.status != "correct", (d, wrong[:200], verdict)
            if not FAMILIES[name].partial_credit:
                assert verdict.reward == 0.0
            tried += 1
    assert tried >= 3, "no near-miss answers could be built"


@pytest.mark.parametrize("name", NAMES)
def test_truncated_answer_scores_zero(name: str) -> None:
    family = FAMILIES[name]
    for d in LEVELS:
        task = task_for(name, 2, d)
        answer = family.format_answer(task)
        cut = answer[: len(answer) // 2].rstrip()
        verdict = family.verify(f"<answer>{cut}</answer>", task)
        assert verdict.reward == 0.0 and verdict.status != "correct", (d, cut, verdict)
        # an unclosed tag is no answer at all
        assert family.verify(f"<answer>{answer}", task).reward == 0.0


@pytest.mark.parametrize("name", NAMES)
def test_other_seeds_answer_scores_zero(name: str) -> None:
    family = FAMILIES[name]
    compared = 0
    for d in LEVELS:
        task = task_for(name, 0, d)
        for other_seed in (3, 4):
            other = task_for(name, other_seed, d)
            if family.format_answer(other) == family.format_answer(task):
                continue
            verdict = family.verify(gold(name, other), task)
            assert verdict.reward == 0.0, (d, other_seed, verdict)
            compared += 1
    assert compared >= 3


@pytest.mark.parametrize("name", NAMES)
def test_junk_never_raises_and_scores_zero(name: str) -> None:
    family = FAMILIES[name]
    task = task_for(name, 0, 5)
    for label, text in JUNK.items():
        start = time.perf_counter()
        verdict = family.verify(text, task)
        assert verdict.reward == 0.0, (label, verdict)
        assert verdict.status != "error", (label, verdict.detail)
        assert time.perf_counter() - start < 10, f"{label}: verification did not stay bounded"


@pytest.mark.parametrize("name", NAMES)
def test_difficulty_monotone_in_size(name: str) -> None:
    family = FAMILIES[name]
    sizes = []
    for d in range(1, 11):
        values = [family.size(task_for(name, s, d)) for s in SEEDS]
        sizes.append(sum(values) / len(values))
    for d in range(1, 10):
        assert sizes[d] >= sizes[d - 1] - 1e-9, f"size drops from d{d} to d{d + 1}: {sizes}"
    assert sizes[9] > sizes[0], f"size at difficulty 10 is not larger than at 1: {sizes}"


@pytest.mark.parametrize("name", NAMES)
def test_metadata_json_and_generation_uses_only_given_rng(name: str) -> None:
    family = FAMILIES[name]
    random.seed(1)
    a = family.generate(random.Random(5), 3)
    random.seed(2)  # the global rng must not matter
    b = family.generate(random.Random(5), 3)
    assert a.model_dump() == b.model_dump()
    json.dumps(a.metadata)
    assert "size" in a.metadata


def test_tasks_do_not_depend_on_the_hash_seed() -> None:
    """Same tasks in two fresh interpreters with different PYTHONHASHSEED (set and dict
    iteration orders of strings change with it, so a generator relying on them would differ)."""
    assert len(digests_under_hash_seeds(None, (1, 5), seed=3, index=0)) == 1
