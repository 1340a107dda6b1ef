"""Loaders that turn common code-dataset shapes into gymhub tasks with CodeVerifier references.

Shapes: gymhub's own (`question` + `answer` reference dict), APPS/TACO (`question`,
`input_output`, `solutions`), HumanEval/MBPP (`prompt`/`text` with `assert f(...) == ...` tests)
and LiveCodeBench (`question_content`, `public_test_cases`, `private_test_cases`). Test cases that
cannot be expressed as data (arbitrary assertion code) are left out rather than executed in the
candidate's process, where they could be tampered with. Truth assertions count as bool tests
(`assert f(x)`: True, `assert not f(x)`: False, `f(x) is None`), stricter than Python by as
much as `1 is not True`: without them a task's tests could all expect True. A converted record
whose tests all expect one result the policy knows (the prompt's example shows it, or it is
True, False or None) is refused (`ConstantAnswerError`; `load_code_tasks` leaves it out with a
warning): `return <the example's value>` was paid for an MBPP task whose other assertions were
not data. So is a stdin/stdout record whose every test the question shows, input and output
(`examples_only`): a table of the examples was paid.
"""

from __future__ import annotations

import ast
import base64
import json
import logging
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from gymhub.errors import GymhubError
from gymhub.tasks import iter_jsonl
from gymhub.types import Task
from gymhub.verifiers.code_compare import outputs_match, values_equal

log = logging.getLogger("gymhub.envs.code")

FORMATS = ("auto", "gymhub", "apps", "humaneval", "mbpp", "livecodebench")


class ConstantAnswerError(GymhubError):
    """A converted record that a constant answer (`constant_answer`) or a table of its
    question's examples (`examples_only`) solves: left out."""


def _json_field(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            try:  # LiveCodeBench stores private tests as base64(zlib(JSON)) in some releases
                return json.loads(zlib.decompress(base64.b64decode(value)))
            except Exception as exc:
                raise GymhubError(f"cannot decode test field: {exc}") from exc
    return value


def _public(tests: list[dict[str, Any]], n: int = 2) -> list[dict[str, Any]]:
    return tests[:n]


def from_gymhub(record: Mapping[str, Any], n: int) -> Task:
    return Task.model_validate(
        {"id": record.get("id", f"code-{n}"), **{k: v for k, v in record.items() if k != "id"}}
    )


def from_apps(record: Mapping[str, Any], n: int) -> Task:
    """APPS / TACO: `input_output` = {"inputs": [...], "outputs": [...], "fn_name"?}."""
    io = _json_field(record["input_output"])
    inputs, outputs = io.get("inputs", []), io.get("outputs", [])
    if len(inputs) != len(outputs) or not inputs:
        raise GymhubError(f"record {n}: input_output has no usable tests")
    solutions = _json_field(record.get("solutions") or "[]") or []
    answer: dict[str, Any] = {"language": "python"}
    if io.get("fn_name"):
        answer["fn_name"] = io["fn_name"]
        answer["tests"] = [
            {
                "args": i if isinstance(i, list) else [i],
                "kwargs": {},
                "expected": o[0] if isinstance(o, list) and len(o) == 1 else o,
            }
            for i, o in zip(inputs, outputs)
        ]
    else:
        answer["tests"] = [
            {
                "stdin": "\n".join(i) if isinstance(i, list) else str(i),
                "expected_stdout": "\n".join(o) if isinstance(o, list) else str(o),
            }
            for i, o in zip(inputs, outputs)
        ]
        # tokens, numbers within tolerance (integers exactly), as APPS's own grader compares
        # floats: with `tokens`, a right answer printing 0.50 for 0.5, or 3.14159265 for
        # 3.141592653589793, was scored 0
        answer["compare"] = "numeric"
    if solutions:
        answer["solution"] = solutions[0]
    question = str(record["question"])
    if record.get("starter_code"):
        question += "\n\nStarter code:\n" + str(record["starter_code"])
    task = Task(
        id=str(record.get("problem_id", record.get("id", f"apps-{n}"))),
        question=question,
        answer=answer,
        metadata={
            "source": "apps",
            "difficulty": record.get("difficulty"),
            "public_tests": _public(answer["tests"]),
        },
    )
    return _checked(task, n)


def _str_keys(value: Any) -> bool:
    """Whether every dict in `value` has string keys only, as JSON keeps them. Otherwise the
    data test differs from the assertion: `f() == {1: 'a'}` would pay `{'1': 'a'}`, and an
    argument `{1: 'a'}` would reach the program as `{'1': 'a'}`."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _str_keys(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_str_keys(v) for v in value)
    return True


def _assert_parts(test: ast.expr) -> tuple[ast.Call, ast.expr | bool] | None:
    """(the call, what it must equal) of one assertion, or None when it is not data.

    `f(x) == literal` and `f(x) is True/False/None` compare with the literal; a bare `f(x)` must
    be True and `not f(x)` False. The truth tests count, because leaving them out made test sets
    one-sided: a task asserting `candidate(a) == True` and `not candidate(b)` kept only the first
    kind, and `return True` passed every test that was left."""
    if isinstance(test, ast.Call):
        return test, True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return (test.operand, False) if isinstance(test.operand, ast.Call) else None
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    if not isinstance(test.left, ast.Call):
        return None
    op, right = test.ops[0], test.comparators[0]
    if isinstance(op, ast.Eq):
        return test.left, right
    singleton = isinstance(right, ast.Constant) and any(
        right.value is v for v in (True, False, None)
    )
    if isinstance(op, ast.Is) and singleton:
        return test.left, right
    return None


def _assert_tests(
    lines: Iterable[str], entry_point: str | None
) -> tuple[str | None, list[dict[str, Any]]]:
    """Assertions on one call with literal arguments (see `_assert_parts`) -> (fn name, data
    tests); other lines are skipped."""
    fn_name, tests = entry_point, []
    for line in lines:
        try:
            tree = ast.parse(line.strip())
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assert):
                continue
            parts = _assert_parts(node.test)
            if parts is None:
                continue
            call, want = parts
            if not isinstance(call.func, ast.Name):
                continue
            name = call.func.id
            if name == "candidate" and entry_point:
                name = entry_point
            try:
                args = [ast.literal_eval(a) for a in call.args]
                kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
                expected = want if isinstance(want, bool) else ast.literal_eval(want)
                json.dumps([args, kwargs, expected], allow_nan=False)
            except (ValueError, TypeError, SyntaxError):
                continue
            if not _str_keys([args, kwargs, expected]):
                continue  # JSON would turn {1: 'a'} into {'1': 'a'}: not the same test
            fn_name = fn_name or name
            if name == fn_name:
                tests.append(
                    {
                        "args": json.loads(json.dumps(args)),
                        "kwargs": kwargs,
                        "expected": json.loads(json.dumps(expected)),
                    }
                )
    return fn_name, tests


def from_humaneval(record: Mapping[str, Any], n: int) -> Task:
    """HumanEval: `prompt`, `canonical_solution`, `test` (a `check(candidate)` body), `entry_point`."""
    fn_name, tests = _assert_tests(str(record["test"]).splitlines(), record.get("entry_point"))
    if not tests or not fn_name:
        raise GymhubError(f"record {n}: no `assert candidate(...) == literal` tests to use")
    answer = {"language": "python", "fn_name": fn_name, "tests": tests}
    if record.get("canonical_solution"):
        answer["solution"] = str(record["prompt"]) + str(record["canonical_solution"])
    question = (
        "Complete this Python function and give the whole program in one code block:\n\n"
        + str(record["prompt"])
    )
    task = Task(
        id=str(record.get("task_id", f"humaneval-{n}")),
        question=question,
        answer=answer,
        metadata={"source": "humaneval", "public_tests": _public(tests)},
    )
    return _checked(task, n)


def from_mbpp(record: Mapping[str, Any], n: int) -> Task:
    """MBPP: `text`, `code`, `test_list` (assert lines)."""
    fn_name, tests = _assert_tests(record["test_list"], None)
    if not tests or not fn_name:
        raise GymhubError(f"record {n}: no `assert f(...) == literal` tests to use")
    answer: dict[str, Any] = {"language": "python", "fn_name": fn_name, "tests": tests}
    if record.get("code"):
        answer["solution"] = str(record["code"])
    question = (
        f"{record['text']}\nWrite a Python function `{fn_name}`. Example: {record['test_list'][0]}"
    )
    # what the example in the question shows (`_checked`: a constant must not solve the task)
    _, shown = _assert_tests(record["test_list"][:1], fn_name)
    task = Task(
        id=str(record.get("task_id", f"mbpp-{n}")),
        question=question,
        answer=answer,
        metadata={"source": "mbpp", "public_tests": _public(tests)},
    )
    return _checked(task, n, shown)


def from_livecodebench(record: Mapping[str, Any], n: int) -> Task:
    """LiveCodeBench: stdin tests, or functional tests (input = one JSON value per line)."""
    public = _json_field(record.get("public_test_cases") or "[]")
    private = _json_field(record.get("private_test_cases") or "[]")
    meta = _json_field(record.get("metadata") or "{}") or {}
    cases = list(public) + list(private)
    if not cases:
        raise GymhubError(f"record {n}: no test cases")
    answer: dict[str, Any] = {"language": "python"}
    if cases[0].get("testtype") == "functional":
        answer["fn_name"] = meta.get("func_name")
        if not answer["fn_name"]:
            raise GymhubError(f"record {n}: functional tests without metadata.func_name")
        answer["tests"] = [
            {
                "args": [json.loads(line) for line in c["input"].splitlines() if line.strip()],
                "kwargs": {},
                "expected": json.loads(c["output"]),
            }
            for c in cases
        ]
    else:
        answer["tests"] = [{"stdin": c["input"], "expected_stdout": c["output"]} for c in cases]
    question = str(record["question_content"])
    if record.get("starter_code"):
        question += "\n\nStarter code:\n" + str(record["starter_code"])
    task = Task(
        id=str(record.get("question_id", f"lcb-{n}")),
        question=question,
        answer=answer,
        metadata={
            "source": "livecodebench",
            "difficulty": record.get("difficulty"),
            "public_tests": answer["tests"][: len(public)],
        },
    )
    return _checked(task, n)


_CONVERTERS = {
    "gymhub": from_gymhub,
    "apps": from_apps,
    "humaneval": from_humaneval,
    "mbpp": from_mbpp,
    "livecodebench": from_livecodebench,
}


def detect_format(record: Mapping[str, Any]) -> str:
    if "answer" in record and "question" in record:
        return "gymhub"
    if "input_output" in record:
        return "apps"
    if "canonical_solution" in record or "entry_point" in record:
        return "humaneval"
    if "test_list" in record:
        return "mbpp"
    if "question_content" in record:
        return "livecodebench"
    raise GymhubError(f"unknown code dataset record shape (fields: {sorted(record)[:12]})")


def _same(answer: Mapping[str, Any], test: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Whether two tests expect what the verifier scores as one result."""
    if "fn_name" in answer:
        return values_equal(test["expected"], other["expected"])
    mode = answer.get("compare", "whitespace")
    return outputs_match(str(test["expected_stdout"]), str(other["expected_stdout"]), mode)


def constant_answer(task: Task, shown: list[dict[str, Any]] | None = None) -> str | None:
    """Why a converted task pays a constant, or None: every test expects one result, and the
    policy knows it, from an example the prompt shows (`shown`, else the task's public tests)
    or because it is a truth value or None (`assert f(x)` on every test left after conversion:
    `return True` solves it). A task with a checker is never one."""
    answer = task.answer
    if not isinstance(answer, dict) or "checker" in answer or not answer.get("tests"):
        return None
    tests = answer["tests"]
    first = tests[0]
    if not all(_same(answer, test, first) for test in tests[1:]):
        return None
    if shown is None:
        shown = task.metadata.get("public_tests") or []
    known = any(_same(answer, example, first) for example in shown)
    value = first.get("expected")
    if known or ("fn_name" in answer and (value is None or isinstance(value, bool))):
        result = json.dumps(value) if "fn_name" in answer else str(first["expected_stdout"])
        return f"every test expects {result[:80]!r}, which a constant answer gives"
    return None


def examples_only(task: Task) -> str | None:
    """Why a converted stdin/stdout task pays a table of its question's examples, or None:
    every test's input and expected output both appear in the question (whitespace runs taken
    as one space). An APPS record whose tests are only the statement's examples paid
    `if the input is this example: print its output` without solving anything."""
    answer = task.answer
    if not isinstance(answer, dict) or "fn_name" in answer or "checker" in answer:
        return None
    tests = answer.get("tests") or []
    question = " ".join(str(task.question).split())
    for test in tests:
        given = " ".join(str(test.get("stdin", "")).split())
        want = " ".join(str(test.get("expected_stdout", "")).split())
        if not want or given not in question or want not in question:
            return None
    return (
        f"the question shows the input and output of all {len(tests)} tests, "
        "which a table of them answers"
    )


def _checked(task: Task, n: int, shown: list[dict[str, Any]] | None = None) -> Task:
    """`task`, or GymhubError when a constant answer (`constant_answer`) or a table of the
    question's examples (`examples_only`) would solve it."""
    why = constant_answer(task, shown) or examples_only(task)
    if why is not None:
        raise ConstantAnswerError(f"record {n} ({task.metadata.get('source')}): {why}")
    return task


def convert(record: Mapping[str, Any], fmt: str = "auto", n: int = 0) -> Task:
    """The task of one dataset record in `fmt` (`auto`: detected). GymhubError when it has no
    usable test, or when a constant would solve it (`constant_answer`; gymhub's own format is
    taken as written)."""
    if fmt not in FORMATS:
        raise GymhubError(f"unknown code dataset format {fmt!r}; choose one of {FORMATS}")
    fmt = detect_format(record) if fmt == "auto" else fmt
    try:
        return _CONVERTERS[fmt](record, n)
    except KeyError as exc:
        raise GymhubError(f"record {n} ({fmt}): missing field {exc}") from exc


def load_code_tasks(path: str | Path, fmt: str = "auto", *, skip_bad: bool = False) -> list[Task]:
    """Tasks from a JSONL file in one of FORMATS (`auto` detects each record's shape). Records
    a constant answer solves (`ConstantAnswerError`) are left out with a warning; other bad
    records raise GymhubError unless `skip_bad`."""
    path = Path(path)

    def skip_or_raise(error: GymhubError) -> None:
        if not skip_bad:
            raise error

    tasks = []
    constant = 0
    for lineno, record in iter_jsonl(path, what="code task file", on_error=skip_or_raise):
        try:
            tasks.append(convert(record, fmt, lineno))
        except ConstantAnswerError as exc:
            constant += 1
            log.debug("gymhub code tasks: %s:%d left out: %s", path, lineno, exc)
        except GymhubError as exc:
            skip_or_raise(GymhubError(f"{path}:{lineno}: {exc}"))
    if constant:
        log.warning(
            "gymhub code tasks: %d record(s) of %s left out: every test expects one result "
            "the policy knows, or the question shows every test (a constant answer or a table "
            "of the examples would be paid)",
            constant,
            path,
        )
    if not tasks:
        raise GymhubError(f"{path}: no usable code tasks")
    return tasks
