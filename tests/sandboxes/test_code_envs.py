"""Code environments and dataset loaders, run against the bwrap sandbox."""

from __future__ import annotations

import json

import pytest

import gymhub
from gymhub.envs.code.loaders import convert, load_code_tasks
from gymhub.errors import GymhubError
from gymhub.verifiers import CodeVerifier


def test_bundled_problems_are_many_and_well_formed():
    from gymhub.envs.code.env import DATA

    tasks = load_code_tasks(DATA)
    assert len(tasks) >= 50
    kinds = {t.metadata["kind"] for t in tasks}
    assert kinds == {"stdio", "function"}
    for task in tasks:
        CodeVerifier.parse_reference(task.answer)
        assert task.answer["solution"] and len(task.answer["tests"]) >= 5
        assert task.metadata["public_tests"] == task.answer["tests"][:2]


@pytest.mark.slow
def test_every_bundled_gold_solution_passes_and_a_wrong_one_fails(bwrap_sandbox):
    from gymhub.envs.code.env import DATA

    tasks = load_code_tasks(DATA)
    v = CodeVerifier(bwrap_sandbox, max_workers=4)
    gold = [v.reference_response(t.answer) for t in tasks]
    verdicts = v.verify_batch(gold, [t.answer for t in tasks])
    assert [t.id for t, r in zip(tasks, verdicts) if r.status != "correct"] == []
    wrong = v.verify_batch(["```python\nprint(0)\n```"] * len(tasks), [t.answer for t in tasks])
    assert all(r.reward == 0.0 for r in wrong)


def test_code_env_episode(bwrap_sandbox):
    env = gymhub.make("gymhub/Code-v0", sandbox=bwrap_sandbox)
    obs, info = env.reset(seed=3)
    assert "code block" in obs.messages[0].content
    _, reward, terminated, _, info = env.step(env.reference_action())
    assert reward == 1.0 and terminated and info["verdict"] == "correct"
    env.reset(seed=3)
    _, reward, _, _, info = env.step("I don't know")
    assert reward == 0.0 and info["verdict"] == "unparseable"
    env.close()
    env.close()


def test_feedback_env_retries_on_public_tests(bwrap_sandbox):
    env = gymhub.make("gymhub/CodeFeedback-v0", sandbox=bwrap_sandbox)
    env.reset(seed=0, options={"task": json.loads(_line("gymhub-code/sum-two"))})
    obs, reward, terminated, truncated, info = env.step("```python\nprint(42)\n```")
    assert not terminated and not truncated and reward == 0.0
    assert "public test" in obs.messages[0].content and "42" in obs.messages[0].content
    obs, reward, terminated, _, info = env.step(env.reference_action())
    assert terminated and reward == 1.0 and info["verdict"] == "correct"


def test_feedback_env_hidden_tests_decide(bwrap_sandbox):
    env = gymhub.make("gymhub/CodeFeedback-v0", sandbox=bwrap_sandbox)
    task = json.loads(_line("gymhub-code/sum-two"))
    public = task["metadata"]["public_tests"]
    # hard-codes the two public answers: passes the public tests, fails the hidden ones
    table = {t["stdin"]: t["expected_stdout"] for t in public}
    cheat = f"import sys\nprint({table!r}[sys.stdin.read()], end='')"
    env.reset(seed=0, options={"task": task})
    _, reward, terminated, _, info = env.step(f"```python\n{cheat}\n```")
    assert terminated and reward == 0.0 and info["verdict"] in ("incorrect", "error")


def test_math_python_tool_runs_in_the_sandbox(bwrap_sandbox):
    env = gymhub.make("gymhub/MathPython-v0", sandbox=bwrap_sandbox, tool_timeout_s=2)
    obs, _ = env.reset(seed=1)
    assert [t.name for t in obs.tools] == ["python"]
    call = {"name": "python", "arguments": {"code": "import os\nprint(6 * 7, os.getuid())"}}
    obs, reward, terminated, _, _ = env.step(f"<tool_call>{json.dumps(call)}</tool_call>")
    assert obs.messages[0].role == "tool" and obs.messages[0].content.startswith("42")
    assert not terminated and reward == 0.0
    obs, _, _, _, _ = env.step(
        '<tool_call>{"name": "python", "arguments": {"code": "while True: pass"}}</tool_call>'
    )
    assert "timeout" in obs.messages[0].content
    env.reset(seed=1)
    while not env.done:
        _, reward, _, _, _ = env.step(env.reference_action())
    assert reward == 1.0


def _line(task_id: str) -> str:
    from gymhub.envs.code.env import DATA

    for line in DATA.read_text().splitlines():
        if json.loads(line)["id"] == task_id:
            return line
    raise KeyError(task_id)


APPS = {
    "problem_id": 7,
    "question": "Print the sum of two numbers.",
    "input_output": json.dumps({"inputs": ["1 2\n", "3 4\n"], "outputs": ["3\n", "7\n"]}),
    "solutions": json.dumps(["a,b=map(int,input().split())\nprint(a+b)"]),
    "difficulty": "introductory",
}
HUMANEVAL = {
    "task_id": "HumanEval/0",
    "prompt": 'def inc(x):\n    """Add one."""\n',
    "canonical_solution": "    return x + 1\n",
    "test": "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(-1) == 0\n    assert abs(candidate(0.5) - 1.5) < 1e-6\n",
    "entry_point": "inc",
}
MBPP = {
    "task_id": 2,
    "text": "Double a list.",
    "code": "def dbl(xs):\n    return [2 * x for x in xs]",
    "test_list": ["assert dbl([1, 2]) == [2, 4]", "assert dbl([]) == []"],
}
LCB_STDIN = {
    "question_id": "abc1",
    "question_content": "Echo the input.",
    "public_test_cases": json.dumps([{"input": "hi\n", "output": "hi\n", "testtype": "stdin"}]),
    "private_test_cases": json.dumps([{"input": "yo\n", "output": "yo\n", "testtype": "stdin"}]),
    "metadata": "{}",
}
LCB_FN = {
    "question_id": "lc1",
    "question_content": "Return the larger.",
    "public_test_cases": json.dumps([{"input": "1\n2", "output": "2", "testtype": "functional"}]),
    "private_test_cases": json.dumps([{"input": "5\n-3", "output": "5", "testtype": "functional"}]),
    "metadata": json.dumps({"func_name": "bigger"}),
    "starter_code": "class Solution:\n    def bigger(self, a: int, b: int) -> int:\n",
}


@pytest.mark.parametrize(
    "record,fmt,answer",
    [
        (APPS, "apps", None),
        (HUMANEVAL, "humaneval", None),
        (MBPP, "mbpp", None),
        (LCB_STDIN, "livecodebench", "```python\nprint(input())\n```"),
        (
            LCB_FN,
            "livecodebench",
            "```python\nclass Solution:\n    def bigger(self, a, b):\n        return max(a, b)\n```",
        ),
    ],
)
def test_loaders_convert_common_shapes(record, fmt, answer, bwrap_sandbox, tmp_path):
    task = convert(record, "auto")
    assert task.metadata["source"] == fmt
    v = CodeVerifier(bwrap_sandbox)
    text = answer or v.reference_response(task.answer)
    assert v.verify(text, task.answer).status == "correct"
    assert v.verify("```python\nprint('nope')\n```", task.answer).reward == 0.0
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(record) + "\n")
    env = gymhub.make("gymhub/Code-v0", path=str(path), sandbox=bwrap_sandbox)
    obs, _ = env.reset(seed=0)
    assert obs.messages[-1].content


def test_apps_floats_compare_as_numbers_and_integers_exactly(bwrap_sandbox):
    """APPS stdin tasks were compared as tokens: a right answer printing 0.50 for 0.5, or more
    digits of the same value, was scored 0 (APPS's own grader compares numbers). Numbers now
    compare within tolerance, integer tokens exactly and words as words."""
    record = {
        "problem_id": 9,
        "question": "Print half of n, then n, then the word ok.",
        "input_output": json.dumps(
            {
                "inputs": ["1\n", "1000000007\n"],
                "outputs": ["0.5\n1\nok\n", "500000003.5\n1000000007\nok\n"],
            }
        ),
    }
    task = convert(record, "apps")
    v = CodeVerifier(bwrap_sandbox)
    right = "n = int(input())\nprint(f'{n / 2:.6f}')\nprint(n)\nprint('ok')"
    assert v.verify(f"```python\n{right}\n```", task.answer).status == "correct"
    off_by_one = "n = int(input())\nprint(n / 2)\nprint(n + 1)\nprint('ok')"
    assert v.verify(f"```python\n{off_by_one}\n```", task.answer).reward == 0.0
    wrong_word = "n = int(input())\nprint(n / 2)\nprint(n)\nprint('no')"
    assert v.verify(f"```python\n{wrong_word}\n```", task.answer).reward == 0.0


def test_loaders_reject_bad_records(tmp_path):
    with pytest.raises(GymhubError, match="unknown code dataset record shape"):
        convert({"foo": 1})
    with pytest.raises(GymhubError, match="no usable tests"):
        convert(
            {"question": "q", "input_output": json.dumps({"inputs": [], "outputs": []})}, "apps"
        )
    with pytest.raises(GymhubError, match="no `assert"):
        convert({"text": "t", "test_list": ["assert something_weird"]}, "mbpp")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    with pytest.raises(GymhubError, match="bad.jsonl:1"):
        load_code_tasks(bad)
