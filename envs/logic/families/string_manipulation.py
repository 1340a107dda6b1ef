"""String rewriting by ordered rules: at each step apply the first rule whose condition holds,
until no rule applies or the step limit is reached.

Rules are stored as data (condition, argument, action, argument); the verifier runs them on the
stored string again.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask
from gymhub.types import Task, Verdict

ALPHABET = "abcde"
Rule = list[str]  # [condition, condition argument, action, action argument]


def holds(text: str, rule: Rule) -> bool:
    cond, arg = rule[0], rule[1]
    if cond == "starts":
        return text.startswith(arg)
    if cond == "ends":
        return text.endswith(arg)
    if cond == "contains":
        return arg in text
    return len(text) > int(arg)  # "longer"


def act(text: str, rule: Rule) -> str:
    action, arg = rule[2], rule[3]
    if action == "drop_first":
        return text[1:]
    if action == "drop_last":
        return text[:-1]
    if action == "replace":
        old, new = arg.split(">")
        return text.replace(old, new, 1)
    if action == "append":
        return text + arg
    if action == "prepend":
        return arg + text
    return text[::-1]  # "reverse"


def run(text: str, rules: list[Rule], limit: int) -> str:
    for _ in range(limit):
        rule = next((r for r in rules if holds(text, r)), None)
        if rule is None:
            break
        text = act(text, rule)
    return text


def describe(rule: Rule) -> str:
    cond = {
        "starts": f"the string starts with '{rule[1]}'",
        "ends": f"the string ends with '{rule[1]}'",
        "contains": f"the string contains '{rule[1]}'",
        "longer": f"the string is longer than {rule[1]} letters",
    }[rule[0]]
    if rule[2] == "replace":
        old, new = rule[3].split(">")
        what = f"replace the first '{old}' by '{new}'"
    else:
        what = {
            "drop_first": "remove its first letter",
            "drop_last": "remove its last letter",
            "append": f"add '{rule[3]}' at the end",
            "prepend": f"add '{rule[3]}' at the start",
            "reverse": "reverse it",
        }[rule[2]]
    return f"if {cond}, {what}"


@register_family
class StringManipulation(LogicFamily):
    """Run 2+d//2 ordered rules (2..7) on a string of 5+d letters for at most 3+2d steps (size).

    Each step applies only the first rule whose condition holds; the process stops when none
    holds or after the step limit. Answer: the final string (case ignored, `empty` for none).
    Reward 1/0.
    """

    name = "string_manipulation"
    and_lists = False  # `and` can be a word of the answer
    title = "StringManipulation"
    description = "Apply ordered string-rewriting rules until none applies."
    difficulty_doc = "rules 2+d//2 (2..7), string 5+d letters, step limit 3+2d (5..23; size)"
    equivalents = {"reasoning_gym": "string_manipulation"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        limit, length = 3 + 2 * difficulty, 5 + difficulty
        for _ in range(50):  # the final string must not be readable off the question
            text = "".join(rng.choice(ALPHABET) for _ in range(length))
            rules: list[Rule] = []
            for _ in range(2 + difficulty // 2):
                cond = rng.choice(["starts", "ends", "contains", "contains", "longer"])
                if cond == "longer":
                    carg = str(rng.randint(length - 2, length + 3))
                else:
                    carg = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 2)))
                action = rng.choice(
                    [
                        "drop_first",
                        "drop_last",
                        "replace",
                        "replace",
                        "append",
                        "prepend",
                        "reverse",
                    ]
                )
                if action == "replace":
                    aarg = f"{carg if cond == 'contains' else rng.choice(ALPHABET)}>{rng.choice(ALPHABET)}"
                elif action in ("append", "prepend"):
                    aarg = rng.choice(ALPHABET)
                else:
                    aarg = ""
                rules.append([cond, carg, action, aarg])
            listing = "\n".join(f"{i + 1}. {describe(r)}" for i, r in enumerate(rules))
            question = ask(
                f"Start with the string '{text}'. In each step, go through the rules in order and "
                "apply only the first one whose condition holds; stop when no rule applies or after "
                f"{limit} steps, whichever comes first.\n{listing}\nWhat is the final string?",
                "Answer with the final string only (or `empty`), for example <answer>abba</answer>.",
            )
            final = run(text, rules, limit)
            if len(final) >= 2 and final not in question:
                break
        return make_task(
            question, run(text, rules, limit), limit, text=text, rules=rules, limit=limit
        )

    def check(self, task: Task, answer: str) -> Verdict:
        got = re.sub(r"\s+", "", answer[:5000]).lower().strip(".'\"")
        if got == "empty":
            got = ""
        elif not re.fullmatch(r"[a-z]+", got):
            return Verdict.unparseable("expected one string of letters")
        gold = run(task.metadata["text"], task.metadata["rules"], int(task.metadata["limit"]))
        return Verdict.correct() if got == gold else Verdict.incorrect("not the final string")

    def format_answer(self, task: Task) -> str:
        gold = run(task.metadata["text"], task.metadata["rules"], int(task.metadata["limit"]))
        return gold or "empty"
