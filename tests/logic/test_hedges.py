"""Property tests: a hedge, a list of candidates or a restatement of the question never earns
reward in any logic family (issue class "no reward for answers that do not do the task").

For random tasks of every family, the gold answer combined with a wrong answer (two tags, "or",
a slash, a comma, one per line, in either order) scores 0, and so does the question copied back.
"""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task
from gymhub.envs.logic.families.arithmetic_chain import safe_value
from gymhub.types import Task
from tests.logic.test_families import _swap_char

discover_families()
NAMES = sorted(FAMILIES)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


@functools.cache
def task_for(name: str, seed: int, difficulty: int) -> Task:
    return generate_task(FAMILIES[name], seed, 0, difficulty)


def wrong_answers(name: str, task: Task) -> list[str]:
    """Answers one value away from the gold (the family's own near misses when it has them)."""
    family = FAMILIES[name]
    custom = family.near_misses(task)
    if custom is not None:
        return custom
    gold = family.format_answer(task)
    positions = [i for i, c in enumerate(gold) if c.isalnum() or c in "#."]
    out = []
    for pos in positions[:1] + positions[-1:]:
        changed = _swap_char(gold, pos)
        if changed is not None and changed != gold:
            out.append(changed)
    return out


HEDGES = {
    "two_tags": "<answer>{a}</answer> or <answer>{b}</answer>",
    "or": "<answer>{a} or {b}</answer>",
    "slash": "<answer>{a} / {b}</answer>",
    "comma": "<answer>{a}, {b}</answer>",
    "lines": "<answer>{a}\n{b}</answer>",
    "either": "<answer>either {a} or {b}</answer>",
}


# Families whose answer is a list in which two answers joined by a comma or a line break are one
# longer answer of the asked form (Lights Out: a press list, where pressing twice undoes).
JOINABLE = {"lights_out"}


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(
    seed=st.integers(0, 10_000),
    difficulty=st.integers(1, 6),
    form=st.sampled_from(sorted(HEDGES)),
    gold_first=st.booleans(),
)
def test_a_hedge_between_gold_and_a_wrong_answer_never_pays(
    name: str, seed: int, difficulty: int, form: str, gold_first: bool
) -> None:
    if name in JOINABLE and form in ("comma", "lines"):
        return
    family = FAMILIES[name]
    task = task_for(name, seed, difficulty)
    gold = family.format_answer(task)
    assert family.verify(f"<answer>{gold}</answer>", task).reward == 1.0
    for wrong in wrong_answers(name, task):
        if family.verify(f"<answer>{wrong}</answer>", task).reward > 0:
            continue  # another valid solution: naming two valid answers is not our case
        a, b = (gold, wrong) if gold_first else (wrong, gold)
        response = HEDGES[form].format(a=a, b=b)
        verdict = family.verify(response, task)
        assert verdict.reward == 0.0, (name, form, response[:300], verdict)


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(seed=st.integers(0, 10_000), difficulty=st.integers(1, 6))
def test_the_question_copied_back_never_pays(name: str, seed: int, difficulty: int) -> None:
    family = FAMILIES[name]
    task = task_for(name, seed, difficulty)
    for response in (
        f"<answer>{task.question}</answer>",
        f"{task.question}\n<answer>{task.question.splitlines()[-1]}</answer>",
    ):
        assert family.verify(response, task).reward == 0.0, (name, response[:300])


_STEP = re.compile(r"Step (\d+): (add|subtract|multiply by|divide by) (.+)\.")
_OP = {"add": "+", "subtract": "-", "multiply by": "*", "divide by": "/"}


def restated_chain(task: Task) -> str:
    """The steps of an arithmetic-chain question written back as one unevaluated expression."""
    start = re.search(r"Start with the number (-?\d+)", task.question)
    assert start is not None
    results = [start.group(1)]
    for _, word, operand in _STEP.findall(task.question):
        if operand == "the start value":
            operand = results[0]
        elif operand.startswith("the result of step "):
            operand = results[int(operand.rsplit(" ", 1)[1])]
        results.append(f"({results[-1]} {_OP[word]} {operand})")
    return results[-1]


@SETTINGS
@given(seed=st.integers(0, 10_000), difficulty=st.integers(1, 10))
def test_an_expression_restating_the_steps_is_not_the_value(seed: int, difficulty: int) -> None:
    family = FAMILIES["arithmetic_chain"]
    task = task_for("arithmetic_chain", seed, difficulty)
    expression = restated_chain(task)
    assert safe_value(expression) == task.answer  # it does evaluate to the gold ...
    for response in (f"<answer>{expression}</answer>", f"<answer>{expression} = </answer>"):
        assert family.verify(response, task).reward == 0.0  # ... but it is not the value asked


@SETTINGS
@given(seed=st.integers(0, 10_000), difficulty=st.integers(1, 10))
def test_a_sum_instead_of_a_count_is_not_the_count(seed: int, difficulty: int) -> None:
    task = task_for("object_counting", seed, difficulty)
    n = int(task.answer)
    for response in (f"<answer>{n - 1} + 1</answer>", f"<answer>{n} or {n + 1}</answer>"):
        assert FAMILIES["object_counting"].verify(response, task).reward == 0.0
