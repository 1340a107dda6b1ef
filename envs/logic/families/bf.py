"""Brainf*ck: give the text a short program prints.

Programs are generated to print a word (cells set with multiplication loops, then adjusted),
and the verifier runs the program stored in the metadata in a bounded interpreter and compares
the answer with what it prints (the rule), never with a stored string.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

MAX_STEPS = 1_000_000
WORDS = (
    "apple bread cloud dream eagle flame grape house input jolly karma lemon magic noble ocean "
    "piano queen river stone tiger unity vivid water xenon yacht zebra"
).split()


def run(program: str, max_steps: int = MAX_STEPS) -> tuple[str, int]:
    """(printed text, steps) of a program without input; a 30,000-cell tape of bytes."""
    jumps: dict[int, int] = {}
    stack = []
    for i, ch in enumerate(program):
        if ch == "[":
            stack.append(i)
        elif ch == "]":
            j = stack.pop()
            jumps[i], jumps[j] = j, i
    tape = [0] * 30_000
    ptr = pc = steps = 0
    out = []
    while pc < len(program) and steps < max_steps:
        ch = program[pc]
        steps += 1
        if ch == "+":
            tape[ptr] = (tape[ptr] + 1) % 256
        elif ch == "-":
            tape[ptr] = (tape[ptr] - 1) % 256
        elif ch == ">":
            ptr += 1
        elif ch == "<":
            ptr -= 1
        elif ch == ".":
            out.append(chr(tape[ptr]))
        elif ch == "[" and tape[ptr] == 0:
            pc = jumps[pc]
        elif ch == "]" and tape[ptr] != 0:
            pc = jumps[pc]
        pc += 1
    return "".join(out), steps


def encode(rng: random.Random, text: str) -> str:
    """A program printing `text`: each character built in a fresh cell with a loop a*b+c."""
    parts = []
    for ch in text:
        code = ord(ch)
        a = rng.randint(5, 12)
        b, c = divmod(code, a)
        adjust = "+" * c if c <= a // 2 or b == 0 else ""
        if not adjust:  # overshoot by one loop round and come back down
            b, adjust = b + 1, "-" * (a - c)
        parts.append(f">{'+' * a}[<{'+' * b}>-]<{adjust}.>")
    return "".join(parts)


@register_family
class Bf(LogicFamily):
    """Run a Brainf*ck program in your head and give the text it prints.

    Difficulty d sets the printed text: 2+3d characters of words (5..32, size), lower case,
    with capitalised words from d6; effort = interpreter steps. Accepted: exactly the printed text (surrounding whitespace
    ignored; quotes around it allowed). Reward 1/0.
    """

    name = "bf"
    and_lists = False  # `and` can be a word of the answer
    title = "Bf"
    description = "Give the output of a short Brainf*ck program."
    difficulty_doc = "printed characters 2+3d (5..32, words); capitalised words from d6"
    equivalents = {"reasoning_gym": "bf"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        chars = 2 + 3 * difficulty
        words = [rng.choice(WORDS) for _ in range(1 + chars // 6)]
        if difficulty >= 6:
            words = [w.capitalize() if rng.random() < 0.5 else w for w in words]
        text = " ".join(words)[:chars].strip()
        program = encode(rng, text)
        output, steps = run(program)
        question = (
            "This Brainf*ck program runs on a tape of byte cells (all 0 at the start) with the "
            "pointer at the first cell; `+`/`-` change the current cell by 1, `>`/`<` move the "
            "pointer, `[` jumps past the matching `]` when the cell is 0, `]` jumps back to the "
            "matching `[` when it is not 0, and `.` prints the cell as an ASCII character.\n\n"
            f"{program}\n\nWhat does it print? Answer with the exact text, for example "
            "`Hi there`.\nPut your final answer inside <answer></answer>."
        )
        return make_task(question, output, len(output), program=program, effort=steps)

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer.strip()
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
            text = text[1:-1]
        output, _ = run(task.metadata["program"])
        if text != output:
            return Verdict.incorrect("not the program's output")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
