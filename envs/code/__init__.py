"""Code environments: programs run in a sandbox and scored by CodeVerifier."""

from gymhub.registry import register

register(
    "gymhub/Code-v0",
    "gymhub.envs.code.env:make_code_env",
    family="code",
    description="Single-turn programming problems (51 bundled; APPS/TACO, HumanEval/MBPP and "
    "LiveCodeBench JSONL loaders); every test must pass in the sandbox.",
    verifier="code",
    task_source="jsonl:problems",
    tags=("code", "sandbox"),
)
register(
    "gymhub/CodeFeedback-v0",
    "gymhub.envs.code.env:make_code_feedback_env",
    family="code",
    description="Multi-turn programming: failing public tests come back as feedback, up to 3 "
    "attempts; hidden tests decide the reward.",
    multi_turn=True,
    verifier="code",
    task_source="jsonl:problems",
    tags=("code", "sandbox"),
)
register(
    "gymhub/MathPython-v0",
    "gymhub.envs.code.math_python:make_math_python_env",
    family="code",
    description="Math problems with a sandboxed `python` tool; final answer scored by MathVerifier.",
    multi_turn=True,
    verifier="math",
    difficulty_range=(1, 1),
    task_source="generator:math_python",
    tags=("math", "tools", "sandbox"),
)
