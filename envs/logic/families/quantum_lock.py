"""Quantum lock: the shortest sequence of button presses that turns a number into the target.

Every press toggles a light between red and green; some buttons only act while the light has one
color. A breadth-first search over (number, light) finds the optimum at generation; the verifier
replays the answer's presses (the rules) and accepts any sequence that reaches the target in the
optimal number of presses.
"""

from __future__ import annotations

import random
import re
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import swap_paid_example
from gymhub.types import Task, Verdict

LIMIT = 10_000  # numbers beyond this are never useful for the targets we pick
_PRESSES = re.compile(r"[A-Ea-e\s,;>\-→]+")


def press(button: list, value: int, light: str) -> tuple[int, str]:
    op, k, when = button
    if when in ("any", light):
        value = value + k if op == "add" else value - k if op == "sub" else value * k
    return value, "green" if light == "red" else "red"


def bfs(buttons: list[list], start: int, max_depth: int) -> dict[int, tuple[int, list[int]]]:
    """For every number reachable within max_depth presses: (fewest presses, one sequence)."""
    first: dict[int, tuple[int, list[int]]] = {start: (0, [])}
    seen = {(start, "red")}
    queue = deque([(start, "red", [])])
    while queue:
        value, light, path = queue.popleft()
        if len(path) == max_depth:
            continue
        for i, button in enumerate(buttons):
            nv, nl = press(button, value, light)
            if abs(nv) > LIMIT or (nv, nl) in seen:
                continue
            seen.add((nv, nl))
            first.setdefault(nv, (len(path) + 1, path + [i]))
            queue.append((nv, nl, path + [i]))
    return first


def shortest(buttons: list[list], start: int, target: int, cap: int) -> tuple[int | None, int]:
    """(fewest presses reaching target within cap, states expanded)."""
    seen = {(start, "red")}
    queue = deque([(start, "red", 0)])
    expanded = 0
    while queue:
        value, light, depth = queue.popleft()
        if value == target:
            return depth, expanded
        expanded += 1
        if depth == cap:
            continue
        for button in buttons:
            nv, nl = press(button, value, light)
            if abs(nv) <= LIMIT and (nv, nl) not in seen:
                seen.add((nv, nl))
                queue.append((nv, nl, depth + 1))
    return None, expanded


def describe(button: list) -> str:
    op, k, when = button
    verb = {"add": f"add {k}", "sub": f"subtract {k}", "mul": f"multiply by {k}"}[op]
    return verb + ("" if when == "any" else f" (only while the light is {when})")


@register_family
class QuantumLock(LogicFamily):
    """Reach the target number with the fewest button presses (any optimal sequence scores).

    Difficulty d sets the optimal number of presses 1+d (2..11, size) and the buttons 3 (d1-5)
    or 4; effort = buttons^presses, the sequences of optimal length (the
    breadth-first search's expanded states are recorded as `bfs_states`). Accepted: button
    letters in order, separated by spaces, commas or arrows (`A B C`, `A → B → C`, `ABC`),
    case ignored. Reward 1/0.
    """

    name = "quantum_lock"
    title = "QuantumLock"
    description = "Press buttons whose effect depends on a light to reach a target number."
    difficulty_doc = "optimal presses 1+d (2..11); buttons 3 (d1-5) or 4; light-dependent ops"
    equivalents = {"reasoning_gym": "quantum_lock"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        depth = 1 + difficulty
        count = 3 if difficulty <= 5 else 4
        for _attempt in range(50):  # buttons that reach some number in `depth` presses at best
            buttons = [
                [rng.choice(["add", "add", "sub", "mul"]), 0, rng.choice(["any", "red", "green"])]
                for _ in range(count)
            ]
            for b in buttons:
                b[1] = rng.randint(2, 3) if b[0] == "mul" else rng.randint(1, 9)
            reach = bfs(buttons, 0, depth)
            targets = sorted(v for v, (d, _) in reach.items() if d == depth)
            if targets:
                break
        else:  # bounded fallback: +1 and +2 buttons reach 2*depth in exactly `depth` presses
            buttons = [["add", 1, "any"], ["add", 2, "any"], ["sub", 1, "green"]][:count]
            buttons += [["mul", 2, "red"]] * (count - len(buttons))
            reach = bfs(buttons, 0, depth)
            targets = [2 * depth]
        target = rng.choice(targets)
        presses, expanded = shortest(buttons, 0, target, depth)
        letters = "ABCD"
        shown = "\n".join(f"{letters[i]}: {describe(b)}" for i, b in enumerate(buttons))
        question = (
            "A lock shows a number, starting at 0, and a light, starting red. Every button press "
            "toggles the light (red <-> green) and changes the number as its button says; a "
            "button marked with a color changes the number only when the light has that color "
            f"at the moment of the press (it still toggles the light).\n{shown}\n\n"
            f"Give a shortest sequence of presses that makes the number {target}. Answer with "
            "the button letters in order, for example `A B A`.\n"
            "Put your final answer inside <answer></answer>."
        )
        gold = "".join(letters[i] for i in reach[target][1])
        task = make_task(
            question, gold, presses, buttons=buttons, target=target, optimum=presses,
            bfs_states=expanded, effort=count**presses,
        )  # fmt: skip
        return swap_paid_example(self, task, "A B A", "B A B")

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:500]
        if not _PRESSES.fullmatch(text):
            return Verdict.unparseable("expected button letters")
        m = task.metadata
        presses = [ord(c) - ord("A") for c in text.upper() if c.isalpha()]
        if not presses or any(p >= len(m["buttons"]) for p in presses):
            return Verdict.incorrect("no such button")
        value, light = 0, "red"
        for p in presses:
            value, light = press(m["buttons"][p], value, light)
        if value != m["target"]:
            return Verdict.incorrect(f"the presses end at {value}, not {m['target']}")
        best, _ = shortest(m["buttons"], 0, m["target"], len(presses))
        if best is not None and best < len(presses):
            return Verdict.incorrect(f"{len(presses)} presses; {best} are enough")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Wrong sequences (several are optimal, so a changed press may still be right): one
        press more, one press fewer, and single-press changes that the rules reject."""
        gold = str(task.answer)
        letters = "ABCD"[: len(task.metadata["buttons"])]
        candidates = [gold + gold[-1], gold[:-1] or letters[0]]
        candidates += [gold[:i] + c + gold[i + 1 :] for i in range(len(gold)) for c in letters]
        out = []
        for text in candidates:
            if text != gold and self.check(task, " ".join(text)).status != "correct":
                out.append(" ".join(text))
            if len(out) == 3:
                break
        return out

    def format_answer(self, task: Task) -> str:
        return " ".join(task.answer)
