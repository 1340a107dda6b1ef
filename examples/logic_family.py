"""A new logic-puzzle family in one file: the runnable version of "Adding a logic family" in
docs/logic.md (a test runs it).

A family is a seeded generator plus a verifier that checks the rules. Inside gymhub, this file
would go to `envs/logic/families/parity.py` and be found and registered automatically; outside
gymhub, one line registers its env: `register_family_env("parity", "example/Logic-Parity-v0")`.
"""

from __future__ import annotations

import random

import gymhub
from gymhub import Task, Verdict
from gymhub.envs.logic import LogicFamily, make_task, register_family, register_family_env


@register_family
class Parity(LogicFamily):
    """Is the sum of some numbers even or odd? Difficulty d shows 2d + 1 numbers."""

    name = "parity"  # snake_case, unique among families
    title = "Parity"  # the env id is gymhub/Logic-Parity-v0 unless you choose another
    description = "Say whether the sum of a list of numbers is even or odd."
    difficulty_doc = "numbers 2d+1 (3..21), each 1..10d; size = numbers"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        numbers = [rng.randint(1, 10 * difficulty) for _ in range(2 * difficulty + 1)]
        question = (
            f"Is the sum of {', '.join(map(str, numbers))} even or odd? Answer with one word, "
            "even or odd, inside <answer></answer>."
        )
        answer = "even" if sum(numbers) % 2 == 0 else "odd"
        return make_task(question, answer, len(numbers), numbers=numbers)

    def check(self, task: Task, answer: str) -> Verdict:
        # the rules, recomputed from the puzzle; `answer` is the text of the one <answer> tag
        word = answer.strip().lower().rstrip(".")
        if word not in ("even", "odd"):
            return Verdict.unparseable("expected the word even or odd")
        truth = "even" if sum(task.metadata["numbers"]) % 2 == 0 else "odd"
        return Verdict.correct() if word == truth else Verdict.incorrect(f"the sum is {truth}")

    def format_answer(self, task: Task) -> str:
        return str(task.answer)

    def secret_strings(self, task: Task) -> list[str]:
        return []  # "even"/"odd" may occur in the question itself


if __name__ == "__main__":
    env_id = register_family_env("parity", "example/Logic-Parity-v0")
    env = gymhub.make(env_id, difficulty=2)
    obs, info = env.reset(seed=0)
    print(obs.messages[-1].content)
    _, reward, *_ = env.step(env.reference_action())
    print(f"reference answer -> {reward}")
    env.reset(seed=0)
    _, reward, *_ = env.step("<answer>even</answer> <answer>odd</answer>")
    print(f"hedge -> {reward}")
    verdict = Parity().verify("<answer>odd</answer>", env.task)  # the family is a Verifier
    print(f"verify -> {verdict.status}")
    report = gymhub.check_env(env_id)
    print(f"{env_id}: {'PASS' if report.passed else 'FAIL'}")
