"""Stack permutation (Enigmata's sequential task): can a stack turn the input order into the
target order, and if so with which push/pop operations?

The numbers 1..n arrive in order; `push` moves the next one onto the stack, `pop` moves the top of
the stack to the output. For each target the answer is either the operation list or
`impossible`. The verifier replays the operations (a pop of an empty stack, a push past the
input or an output differing from the target fails); `impossible` is checked against the
greedy simulation, which decides exactly whether a target is a stack permutation.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines
from gymhub.types import Task, Verdict

_PREFIX = re.compile(r"^\s*(?:target\s*)?(\d+)\s*[:.)]\s*", re.IGNORECASE)


def _shape(difficulty: int) -> tuple[int, int]:
    return 4 + difficulty, 2 + (difficulty - 1) // 3  # (length 5..14, targets 2..5)


def operations_for(target: list[int]) -> list[str] | None:
    """The (unique) push/pop list producing `target` from 1..n, or None when none exists."""
    ops: list[str] = []
    stack: list[int] = []
    nxt = 1
    for want in target:
        while (not stack or stack[-1] != want) and nxt <= len(target):
            stack.append(nxt)
            nxt += 1
            ops.append("push")
        if not stack or stack[-1] != want:
            return None
        stack.pop()
        ops.append("pop")
    return ops


def replay(ops: list[str], n: int) -> list[int] | None:
    stack: list[int] = []
    out: list[int] = []
    nxt = 1
    for op in ops:
        if op == "push":
            if nxt > n:
                return None
            stack.append(nxt)
            nxt += 1
        else:
            if not stack:
                return None
            out.append(stack.pop())
    return out


def _target(rng: random.Random, n: int, possible: bool) -> list[int]:
    if possible:
        out: list[int] = []
        stack: list[int] = []
        nxt = 1
        while len(out) < n:
            if nxt <= n and (not stack or rng.random() < 0.5):
                stack.append(nxt)
                nxt += 1
            else:
                out.append(stack.pop())
        return out
    while True:
        perm = rng.sample(range(1, n + 1), n)
        if operations_for(perm) is None:
            return perm


def _read_line(line: str) -> list[str] | str | None:
    words = re.split(r"[\s,;]+", line.strip().strip(".").lower())
    words = [w for w in words if w]
    if words == ["impossible"] or words == ["not", "possible"]:
        return "impossible"
    if not words or any(w not in ("push", "pop") for w in words):
        return None
    return words


@register_family
class StackPermutation(LogicFamily):
    """Decide for each target order whether a stack can produce it from 1..n, giving the
    push/pop operations when it can.

    Accepted: one line per target in order (a `1:` or `Target 1:` prefix allowed), each the words
    `push`/`pop` separated by spaces or commas, or `impossible`. Not accepted: any other word, a
    line count different from the number of targets.
    """

    name = "stack_permutation"
    title = "StackPermutation"
    description = "Produce target orders with a stack (push/pop lists) or say impossible."
    difficulty_doc = (
        "sequence length 4+d (5..14), targets 2+(d-1)//3 (2..5); size = length x targets"
    )
    equivalents = {"enigmata": "stack_permutation"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, k = _shape(difficulty)
        # a target is reachable with probability 0.65: at 0.5, `impossible` for every target
        # was right on 21-27% of the d1-d3 tasks
        targets = [_target(rng, n, rng.random() < 0.65) for _ in range(k)]
        listing = "\n".join(
            f"Target {i + 1}: {' '.join(map(str, t))}" for i, t in enumerate(targets)
        )
        question = (
            f"The numbers 1, 2, ..., {n} arrive in this order. You have one stack and two "
            "operations: `push` moves the next arriving number onto the top of the stack, `pop` "
            "removes the number on top of the stack and appends it to the output. For each "
            "target below, either give the operations that produce exactly that output (every "
            "number pushed and popped once), or say `impossible` if no sequence of operations "
            "can.\n\n"
            f"{listing}\n\n"
            f"Answer with {k} lines, one per target in order, each either the operations "
            "separated by spaces or `impossible`; for example, for the targets `2 1` and `3 1 2` "
            "of the numbers 1..2 and 1..3:\n1: push push pop pop\n2: impossible\n"
            "Put your lines inside <answer></answer>."
        )
        gold = [operations_for(t) for t in targets]
        return make_task(question, gold, n * k, n=n, targets=targets)

    def check(self, task: Task, answer: str) -> Verdict:
        targets = task.metadata["targets"]
        n = task.metadata["n"]
        lines = answer_lines(answer)
        if len(lines) != len(targets) or len(answer) > 20_000:
            return Verdict.unparseable(f"expected {len(targets)} lines, one per target")
        for i, (line, target) in enumerate(zip(lines, targets)):
            m = _PREFIX.match(line)
            if m:
                if int(m.group(1)) != i + 1:
                    return Verdict.incorrect(f"line {i + 1} is labelled {m.group(1)}")
                line = line[m.end() :]
            read = _read_line(line)
            if read is None:
                return Verdict.unparseable(f"line {i + 1}: expected push/pop words or impossible")
            feasible = operations_for(target) is not None
            if read == "impossible":
                if feasible:
                    return Verdict.incorrect(f"target {i + 1} can be produced")
                continue
            if replay(read, n) != target:  # type: ignore[arg-type]
                return Verdict.incorrect(
                    f"the operations of line {i + 1} do not give target {i + 1}"
                )
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        out = []
        for i, ops in enumerate(task.answer):
            wrong = list(task.answer)
            wrong[i] = None if ops else ["push"] * task.metadata["n"] + ["pop"] * task.metadata["n"]
            out.append(_render(wrong))
        return out

    def format_answer(self, task: Task) -> str:
        return _render(task.answer)


def _render(gold: list) -> str:
    return "\n".join(
        f"{i + 1}: {' '.join(ops) if ops else 'impossible'}" for i, ops in enumerate(gold)
    )
