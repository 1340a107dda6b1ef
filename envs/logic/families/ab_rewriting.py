"""Token rewriting with A#, #A, B#, #B: rewrite neighbouring pairs whose `#` face each other
until no rule applies, and give the final sequence.

Rules: `A# #A` and `B# #B` vanish; `A# #B` becomes `#B A#`; `B# #A` becomes `#A B#`. Every
rewrite removes or moves a facing pair, so the process ends; the system is confluent (the final
sequence does not depend on the order of rewrites). The verifier rewrites the stored sequence
again.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask
from gymhub.types import Task, Verdict

TOKENS = ("A#", "#A", "B#", "#B")
_RULES = {
    ("A#", "#A"): (),
    ("B#", "#B"): (),
    ("A#", "#B"): ("#B", "A#"),
    ("B#", "#A"): ("#A", "B#"),
}


def normal_form(tokens: list[str]) -> list[str]:
    out = list(tokens)
    changed = True
    while changed:
        changed = False
        i = 0
        while i < len(out) - 1:
            rule = _RULES.get((out[i], out[i + 1]))
            if rule is None:
                i += 1
                continue
            out[i : i + 2] = list(rule)
            changed = True
            i = max(i - 1, 0)
    return out


@register_family
class AbRewriting(LogicFamily):
    """Rewrite a sequence of 4+2d tokens (6..24, size) from A#, #A, B#, #B to its final form.

    Answer: the final tokens separated by spaces (`nothing` or `empty` when none is left).
    Reward 1/0.
    """

    name = "ab_rewriting"
    title = "AbRewriting"
    description = "Rewrite a sequence of A#/#A/B#/#B tokens until no rule applies."
    difficulty_doc = "tokens 4+2d (6..24; size)"
    equivalents = {"reasoning_gym": "ab"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        length = 4 + 2 * difficulty
        for _ in range(50):
            tokens = [rng.choice(TOKENS) for _ in range(length)]
            final = normal_form(tokens)
            if final != tokens and final:
                break
        example = final
        while example == final:  # an example of the form that is never the answer
            example = [rng.choice(("#A", "#B")) for _ in range(rng.randint(1, 3))]
            example += [rng.choice(("A#", "B#")) for _ in range(rng.randint(1, 3))]
        question = ask(
            "A sequence is made of the tokens A#, #A, B# and #B. Whenever two neighbouring tokens "
            "have their # facing each other, rewrite them: A# #A becomes nothing, B# #B becomes "
            "nothing, A# #B becomes #B A#, B# #A becomes #A B#. Repeat until no two neighbours "
            f"face each other. What is the final sequence for:\n{' '.join(tokens)}",
            "Answer with the final tokens separated by spaces (or `nothing`), for example "
            f"<answer>{' '.join(example)}</answer>.",
        )
        return make_task(question, final, length, tokens=tokens)

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:5000].strip().rstrip(".").strip()
        if text.lower() in ("nothing", "empty", "none"):
            got: list[str] = []
        else:
            got = [t.upper() for t in re.split(r"[\s,]+", text) if t]
            if not got or not all(t in TOKENS for t in got):
                return Verdict.unparseable("expected tokens A#, #A, B#, #B separated by spaces")
        ok = got == normal_form(task.metadata["tokens"])
        return Verdict.correct() if ok else Verdict.incorrect("not the final sequence")

    def format_answer(self, task: Task) -> str:
        return " ".join(normal_form(task.metadata["tokens"])) or "nothing"
