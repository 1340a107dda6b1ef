"""A machine that turns parts into other parts by ordered rules; give the final part counts.

At each step the first rule (in the listed order) whose inputs are available is applied once;
the machine stops when no rule applies or after a step limit. Rules and counts are stored as
data; the verifier runs the machine again.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, clean
from gymhub.types import Task, Verdict

PARTS = "ABCXYZ"
Rule = list[list[int]]  # [inputs (count per part), outputs (count per part)]


def run_machine(counts: list[int], rules: list[Rule], limit: int) -> list[int]:
    state = list(counts)
    for _ in range(limit):
        for needs, gives in rules:
            if all(have >= need for have, need in zip(state, needs)):
                state = [have - need + give for have, need, give in zip(state, needs, gives)]
                break
        else:
            break
    return state


def _side(counts: list[int]) -> str:
    return " and ".join(f"{n} {PARTS[i]}" for i, n in enumerate(counts) if n)


def read_counts(text: str) -> dict[str, int] | None:
    pairs = re.findall(r"([A-Za-z])\s*(?:=|:)\s*(\d{1,9})", clean(text))
    rest = re.sub(r"([A-Za-z])\s*(?:=|:)\s*(\d{1,9})", "", clean(text))
    if not pairs or re.search(r"\w", rest):
        return None
    out: dict[str, int] = {}
    for part, n in pairs:
        part = part.upper()
        if part not in PARTS or part in out:
            return None
        out[part] = int(n)
    return out


@register_family
class PartsMachine(LogicFamily):
    """Run a parts machine with 3+d//2 rules (3..8) for at most 4+4d steps (8..44, size).

    Start counts of A, B, C up to 2+d each. Answer: the final count of every part, `A=.., B=..,
    C=.., X=.., Y=.., Z=..` (any order, every part named once). Reward 1/0.
    """

    name = "parts_machine"
    title = "PartsMachine"
    description = "Run a machine that turns parts into other parts by ordered rules."
    difficulty_doc = "rules 3+d//2 (3..8), start counts up to 2+d, step limit 4+4d (8..44; size)"
    equivalents = {"reasoning_gym": "string_splitting"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        limit = 4 + 4 * difficulty
        counts = [rng.randint(1, 2 + difficulty) for _ in range(3)] + [0, 0, 0]
        for _ in range(50):
            rules: list[Rule] = []
            for _ in range(3 + difficulty // 2):
                needs, gives = [0] * 6, [0] * 6
                for i in rng.sample(range(6), rng.randint(1, 2)):
                    needs[i] = rng.randint(1, 2)
                for i in rng.sample([i for i in range(6) if not needs[i]], rng.randint(1, 2)):
                    gives[i] = rng.randint(1, 2)
                rules.append([needs, gives])
            final = run_machine(counts, rules, limit)
            if final != counts:
                break
        listing = "\n".join(
            f"{i + 1}. {_side(needs)} -> {_side(gives)}" for i, (needs, gives) in enumerate(rules)
        )
        have = ", ".join(f"{n} {PARTS[i]}" for i, n in enumerate(counts) if n)
        question = ask(
            f"A machine starts with {have} (and no X, Y or Z). Its rules:\n{listing}\nIn each "
            "step the machine applies the first rule in this order whose input parts it has, "
            "once: it removes the inputs and adds the outputs. It stops when no rule can be "
            f"applied or after {limit} steps. How many parts of each kind does it have at the end?",
            "Answer with every count, for example <answer>A=0, B=4, C=1, X=2, Y=0, Z=7</answer>.",
        )
        return make_task(question, final, limit, counts=counts, rules=rules, limit=limit)

    def check(self, task: Task, answer: str) -> Verdict:
        got = read_counts(answer[:2000])
        if got is None or len(got) != len(PARTS):
            return Verdict.unparseable("expected the count of every part: A=1, B=0, ...")
        final = run_machine(
            task.metadata["counts"], task.metadata["rules"], int(task.metadata["limit"])
        )
        wrong = [p for i, p in enumerate(PARTS) if got.get(p, 0) != final[i]]
        return Verdict.correct() if not wrong else Verdict.incorrect(f"wrong count of {wrong[0]}")

    def format_answer(self, task: Task) -> str:
        final = run_machine(
            task.metadata["counts"], task.metadata["rules"], int(task.metadata["limit"])
        )
        return ", ".join(f"{p}={n}" for p, n in zip(PARTS, final))
