"""Propositional logic: find a truth assignment that makes every given formula true.

Formulas are clauses, implications and exclusive-ors over named propositions, built around a
hidden assignment so at least one solution exists. The verifier evaluates every formula under the
answer's assignment (the rule), so any satisfying assignment scores 1.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_TRUE = {"true", "t", "1", "yes"}
_FALSE = {"false", "f", "0", "no"}
_PAIR = re.compile(r"([a-z]\d*)\s*(?:=|:|is|->)\s*([a-z0-9]+)")


def evaluate(formula: list, values: dict[str, bool]) -> bool:
    kind = formula[0]
    if kind == "or":  # a clause: literals [name, positive]
        return any(values[name] == positive for name, positive in formula[1])
    if kind == "implies":  # [(a, pa), (b, pb)]: a-literal implies b-literal
        (a, pa), (b, pb) = formula[1]
        return values[a] != pa or values[b] == pb
    (a, _), (b, _) = formula[1]  # xor
    return values[a] != values[b]


def literal(name: str, positive: bool) -> str:
    return name if positive else f"not {name}"


def render(formula: list) -> str:
    kind, lits = formula
    if kind == "or":
        return " or ".join(literal(*lit) for lit in lits)
    if kind == "implies":
        return f"if {literal(*lits[0])} then {literal(*lits[1])}"
    return f"exactly one of {lits[0][0]} and {lits[1][0]} is true"


def count_models(names: list[str], formulas: list[list]) -> tuple[int, int]:
    """(satisfying assignments, search nodes) by backtracking that checks each formula as soon
    as all of its propositions are set."""
    order = {n: i for i, n in enumerate(names)}
    last = [max(order[name] for name, _ in f[1]) for f in formulas]
    by_depth: list[list[list]] = [[] for _ in names]
    for f, depth in zip(formulas, last, strict=True):
        by_depth[depth].append(f)
    values: dict[str, bool] = {}
    nodes = 0

    def search(i: int) -> int:
        nonlocal nodes
        if i == len(names):
            return 1
        total = 0
        for value in (False, True):
            nodes += 1
            values[names[i]] = value
            if all(evaluate(f, values) for f in by_depth[i]):
                total += search(i + 1)
        return total

    return search(0), nodes


@register_family
class PropositionalLogic(LogicFamily):
    """Find a truth assignment satisfying every formula (any satisfying one scores).

    Difficulty d sets the propositions 2+d (3..12, size) and about 4.2 formulas per
    proposition (clauses of 2-3 literals, implications, exclusive-ors); effort = formulas x 2^n,
    the truth-table checks (the backtracking nodes are recorded as `search_nodes`). Accepted: `name = true/false` for every proposition (`T`/`F`,
    `1`/`0`, `yes`/`no`; `:` or `is` for `=`), separated by commas or lines. Reward 1/0.
    """

    name = "propositional_logic"
    title = "PropositionalLogic"
    description = "Find a truth assignment that makes every propositional formula true."
    difficulty_doc = "propositions 2+d (3..12), ~4.2 formulas each (clauses, if-then, xor)"
    equivalents = {"reasoning_gym": "propositional_logic"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = 2 + difficulty
        names = [f"p{i}" for i in range(1, n + 1)]
        hidden = {name: rng.random() < 0.5 for name in names}
        formulas: list[list] = []
        while len(formulas) < round(4.2 * n):
            kind = rng.choice(["or", "or", "or", "implies", "xor"])
            picked = rng.sample(names, 3 if kind == "or" and rng.random() < 0.6 else 2)
            lits = [[name, rng.random() < 0.5] for name in picked]
            formula = [kind, lits]
            if evaluate(formula, hidden):
                formulas.append(formula)
        models, nodes = count_models(names, formulas)
        shown = "\n".join(f"{i}. {render(f)}" for i, f in enumerate(formulas, 1))
        question = (
            f"Propositions {', '.join(names)} are each true or false. Make all of these formulas "
            f"true:\n{shown}\n\nAnswer with a value for every proposition, separated by commas, "
            "for example `p1 = true, p2 = false` (for two propositions).\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question,
            hidden,
            n,
            names=names,
            formulas=formulas,
            models=models,
            search_nodes=nodes,
            effort=len(formulas) << n,
        )

    def read(self, task: Task, answer: str) -> dict[str, bool] | str:
        text = answer[:2000].lower()
        pairs = _PAIR.findall(text)
        rest = _PAIR.sub(" ", text)
        if re.search(r"[^\s,;.\n]", rest) or not pairs:
            return "expected `name = true/false` pairs"
        values: dict[str, bool] = {}
        for name, value in pairs:
            if name not in task.metadata["names"]:
                return f"no proposition {name!r}"
            if value not in _TRUE and value not in _FALSE:
                return f"{value!r} is not a truth value"
            if name in values:
                return f"{name} is given twice"
            values[name] = value in _TRUE
        return values

    def check(self, task: Task, answer: str) -> Verdict:
        values = self.read(task, answer)
        if isinstance(values, str):
            return Verdict.incorrect(values) if "twice" in values else Verdict.unparseable(values)
        missing = [n for n in task.metadata["names"] if n not in values]
        if missing:
            return Verdict.incorrect(f"no value for {missing}")
        for i, formula in enumerate(task.metadata["formulas"], 1):
            if not evaluate(formula, values):
                return Verdict.incorrect(f"formula {i} is false")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """The hidden solution with one proposition flipped, where that breaks a formula."""
        out = []
        for name in task.metadata["names"]:
            flipped = {**task.answer, name: not task.answer[name]}
            if not all(evaluate(f, flipped) for f in task.metadata["formulas"]):
                out.append(self._format(flipped))
            if len(out) == 3:
                break
        return out

    @staticmethod
    def _format(values: dict[str, bool]) -> str:
        return ", ".join(f"{n} = {'true' if v else 'false'}" for n, v in values.items())

    def format_answer(self, task: Task) -> str:
        return self._format(task.answer)
