"""Toy environments small enough for a randomly initialised tiny model to learn on 2 CPU cores."""

from gymhub.registry import register

register(
    "gymhub/ToyArith-v0",
    "gymhub.envs.toy.arith:make_toy_arith_env",
    family="toy",
    description="Single-turn digit tasks (1: copy a digit, 2: one-digit sums, 3: two-digit sums) "
    "with shaped partial credit; the trainer demo learns it from scratch.",
    verifier="toy_answer",
    difficulty_range=(1, 3),
    task_source="generator:toy_arith",
    tags=("toy", "trainer-demo"),
)
register(
    "gymhub/ToyArithRetry-v0",
    "gymhub.envs.toy.arith:make_toy_arith_retry_env",
    family="toy",
    description="Multi-turn ToyArith: a wrong answer gets 'try again' once; a second-attempt "
    "success earns half the reward.",
    multi_turn=True,
    verifier="toy_answer",
    difficulty_range=(1, 3),
    task_source="generator:toy_arith",
    tags=("toy",),
)
