"""Small reference environments that prove the API end to end (single-turn, feedback, tools)."""

from gymhub.registry import register

register(
    "gymhub/Capitals-v0",
    "gymhub.envs.basic.capitals:make_capitals_env",
    family="basic",
    description="Single-turn: name a country's capital (bundled JSONL, normalized exact match).",
    verifier="exact_match",
    task_source="jsonl:capitals",
)
register(
    "gymhub/GuessNumber-v0",
    "gymhub.envs.basic.guess_number:GuessNumberEnv",
    family="basic",
    description="Multi-turn: guess a secret integer with higher/lower feedback after each guess.",
    multi_turn=True,
    difficulty_range=(1, 10),
    task_source="generator:guess_number",
)
register(
    "gymhub/UnitConvert-v0",
    "gymhub.envs.basic.unit_convert:make_unit_convert_env",
    family="basic",
    description="Tool use: convert a quantity between units with a `convert` tool, then answer.",
    multi_turn=True,
    verifier="numeric",
    difficulty_range=(1, 1),
    task_source="generator:unit_convert",
    tags=("tools",),
)
