"""Circuit logic: evaluate a gate netlist (AND, OR, NAND, NOR, XOR, NOT) on several input rows.

Gates may feed several later gates, so the circuit is a DAG rather than a formula. The verifier
re-simulates the netlist stored in the metadata on every row (the rule).
"""

from __future__ import annotations

import itertools
import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import examples_besides
from gymhub.types import Task, Verdict

ROWS = 4
GATES = {
    "AND": lambda a, b: a & b,
    "OR": lambda a, b: a | b,
    "NAND": lambda a, b: 1 - (a & b),
    "NOR": lambda a, b: 1 - (a | b),
    "XOR": lambda a, b: a ^ b,
}
_BIT = {"1": 1, "0": 0, "true": 1, "false": 0, "high": 1, "low": 0}
_NUMBERING = re.compile(r"(?:^|(?<=[\s,;]))\(?(\d+)\s*[.):]\s+")


def _netlist(rng: random.Random, inputs: list[str], count: int) -> list[list]:
    """`count` random gates, each fed by recent signals; the last gate uses the one before it,
    so every gate matters."""
    signals = list(inputs)
    gates: list[list] = []
    for i in range(count):
        name = f"G{i + 1}"
        recent = signals[-3:]
        if rng.random() < 0.15:
            gates.append([name, "NOT", rng.choice(recent)])
        else:
            a = signals[-1] if i == count - 1 else rng.choice(recent)
            b = rng.choice([s for s in signals if s != a])
            gates.append([name, rng.choice(sorted(GATES)), a, b])
        signals.append(name)
    return gates


def simulate(inputs: list[str], gates: list[list], row: list[int]) -> int:
    values = dict(zip(inputs, row, strict=True))
    for name, op, *args in gates:
        if op == "NOT":
            values[name] = 1 - values[args[0]]
        else:
            values[name] = GATES[op](values[args[0]], values[args[1]])
    return values[gates[-1][0]]


@register_family
class CircuitLogic(LogicFamily):
    """Give a logic circuit's output for four rows of input values.

    Difficulty d sets the inputs 2+d//3 (2..5) and the gates 1+2d (3..21, size); effort = gate
    evaluations over the four rows. The four outputs are drawn first (every pattern as likely,
    on a circuit whose output is not constant), then an input row giving each. Accepted: four output values in row order, `1`/`0` (or
    `true`/`false`, `high`/`low`), separated by spaces, commas or lines; `1.` numbering
    allowed. Reward 1/0.
    """

    name = "circuit_logic"
    title = "CircuitLogic"
    description = "Evaluate a logic-gate netlist on several rows of inputs."
    difficulty_doc = "inputs 2+d//3 (2..5), gates 1+2d (3..21), four input rows"
    equivalents = {"reasoning_gym": "circuit_logic"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        inputs = [chr(ord("A") + i) for i in range(2 + difficulty // 3)]
        count = 1 + 2 * difficulty
        while True:  # a circuit whose output is not constant
            gates = _netlist(rng, inputs, count)
            table = list(itertools.product((0, 1), repeat=len(inputs)))
            by_output: dict[int, list[tuple[int, ...]]] = {0: [], 1: []}
            for row in table:
                by_output[simulate(inputs, gates, list(row))].append(row)
            if by_output[0] and by_output[1]:
                break
        # the outputs are drawn first, each of the 2^4 patterns equally likely, then an input
        # row giving each output: rows drawn at random made most outputs alike (`1 1 1 1` was
        # right on up to a third of the tasks, `0 0 0 0` on a quarter), so a blind answer paid
        outputs = [rng.randint(0, 1) for _ in range(ROWS)]
        rows = [list(rng.choice(by_output[out])) for out in outputs]
        net = "\n".join(f"{g[0]} = {g[1]}({', '.join(g[2:])})" for g in gates)
        shown = "\n".join(
            f"{i}. " + ", ".join(f"{n}={v}" for n, v in zip(inputs, row, strict=True))
            for i, row in enumerate(rows, 1)
        )
        question = (
            f"A logic circuit has inputs {', '.join(inputs)} and these gates, each computed from "
            f"earlier signals:\n{net}\n\nThe output of the circuit is {gates[-1][0]}. "
            "(NAND and NOR are the negations of AND and OR; XOR is 1 when exactly one input is 1.)"
            f"\nInput rows:\n{shown}\n\nGive the output for each row in order, as {ROWS} values "
            "0 or 1 separated by spaces, for example "
            f"`{examples_besides(' '.join(map(str, outputs)), '1 0 0 1', '0 1 1 0')[0]}`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question, outputs, count, inputs=inputs, gates=gates, rows=rows,
            effort=count * ROWS,
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:500].lower()
        # row numbers (`1.`, `2)`, `(3)`, `4:`) are taken off only when they number the rows
        # in order: `0 (1) 0 1 1` says 0 or 1 for the first row, it does not number a row
        numbers = [int(m.group(1)) for m in _NUMBERING.finditer(text)]
        if numbers == list(range(1, len(task.metadata["rows"]) + 1)):
            text = _NUMBERING.sub(" ", text)
        words = re.findall(r"[a-z]+|\d+", text)
        if re.search(r"[^\w\s,;]", text) or any(w not in _BIT for w in words):
            return Verdict.unparseable("expected output values 0 or 1")
        m = task.metadata
        if len(words) != len(m["rows"]):
            return Verdict.incorrect(f"{len(words)} values for {len(m['rows'])} rows")
        truth = [simulate(m["inputs"], m["gates"], row) for row in m["rows"]]
        if [_BIT[w] for w in words] != truth:
            return Verdict.incorrect("wrong output for at least one row")
        return Verdict.correct()

    def secret_strings(self, task: Task) -> list[str]:
        return []

    def format_answer(self, task: Task) -> str:
        return " ".join(map(str, task.answer))
