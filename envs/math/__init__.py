"""Math environments (registration only; the modules load on `make`)."""

from gymhub.registry import register

register(
    "gymhub/Math-v0",
    "gymhub.envs.math.env:make_math_env",
    family="math",
    description="Single-turn math with a \\boxed{} final answer, scored by MathVerifier. Data: "
    "the bundled offline set (240 problems), a JSONL path or a Hugging Face dataset.",
    verifier="math",
    task_source="jsonl:bundled (path= / hf_dataset= to change)",
)
register(
    "gymhub/MathGen-v0",
    "gymhub.envs.math.env:make_math_gen_env",
    family="math",
    description="Procedural arithmetic and algebra with exact answers; difficulty 1-10.",
    verifier="math",
    difficulty_range=(1, 10),
    task_source="generator:math_gen",
)
register(
    "gymhub/MathRetry-v0",
    "gymhub.envs.math.env:make_math_retry_env",
    family="math",
    description="Multi-turn math: wrong answer -> feedback -> retry; reward discounted per attempt.",
    multi_turn=True,
    verifier="math",
    task_source="jsonl:bundled (generated=True for the generator)",
)
