"""A new environment in a few lines: a task source, a verifier, a registration.

Run it: `python examples/custom_env.py`. The docs page docs/writing-an-environment.md walks
through it, and a test runs it.
"""

from __future__ import annotations

import random

import gymhub
from gymhub import GeneratorSource, MultiTurnEnv, Task
from gymhub.verifiers.numeric import NumericVerifier


def generate(rng: random.Random, difficulty: float) -> Task:
    """Sum of `difficulty + 1` numbers with `difficulty` digits each."""
    digits = int(difficulty)
    numbers = [rng.randint(10 ** (digits - 1), 10**digits - 1) for _ in range(digits + 1)]
    return Task(
        question=f"What is {' + '.join(map(str, numbers))}? Answer inside <answer></answer>.",
        answer=sum(numbers),
    )


def make_sum_env(**kwargs) -> MultiTurnEnv:
    return MultiTurnEnv(
        GeneratorSource(generate, "example_sum", default_difficulty=2),
        NumericVerifier(),
        max_attempts=2,  # one "try again" after a wrong answer
        attempt_discount=0.5,  # ... worth half the reward
        max_turns=4,
        **kwargs,
    )


gymhub.register(
    "example/Sum-v0",
    make_sum_env,
    family="example",
    description="Add a few numbers; one retry allowed.",
    multi_turn=True,
    difficulty_range=(1, 6),
)

if __name__ == "__main__":
    env = gymhub.make("example/Sum-v0")
    observation, info = env.reset(seed=0, options={"difficulty": 3})
    print(observation.messages[-1].content)
    observation, reward, terminated, truncated, info = env.step("<answer>0</answer>")
    print("wrong answer ->", observation.messages[-1].content, reward)
    observation, reward, terminated, truncated, info = env.step(env.reference_action())
    print("reference answer ->", reward, info["verdict"])
    report = gymhub.check_env("example/Sum-v0")
    print(report.summary())
    assert report.passed
