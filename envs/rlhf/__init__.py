"""RLHF-style environments: learned rewards (reward models, judges) and preference tasks."""

from gymhub.registry import register

register(
    "gymhub/Chat-v0",
    "gymhub.envs.rlhf.env:make_chat_env",
    family="rlhf",
    description="Open-ended chat prompts scored by a reward model (reward_model= a checkpoint, "
    "a `gymhub rm serve` URL or a verifier; default: an untrained offline stand-in); reward = "
    "sigmoid(r(answer) - r(reference)); think=True adds a think-then-answer format gate.",
    verifier="reward_model",
    task_source="jsonl:chat (path= to change)",
    reward_kind="learned",
)
register(
    "gymhub/Rubric-v0",
    "gymhub.envs.rlhf.env:make_rubric_env",
    family="rlhf",
    description="Prompts with per-prompt rubrics graded by an LLM judge (judge=; default: an "
    "offline keyword stand-in); scaffold=True shows the rubric in the prompt, fading out over "
    "training steps.",
    verifier="judge",
    task_source="jsonl:rubric (path= to change)",
    reward_kind="learned",
)
register(
    "gymhub/Translate-v0",
    "gymhub.envs.rlhf.env:make_translate_env",
    family="rlhf",
    description="English to German/French/Spanish: chrF (or BLEU) against the reference behind a "
    "<translation> format gate, optionally mixed with a learned metric (learned_metric=).",
    verifier="chrf",
    task_source="jsonl:translate (path= to change)",
)
register(
    "gymhub/PairwiseJudge-v0",
    "gymhub.envs.rlhf.env:make_pairwise_judge_env",
    family="rlhf",
    description="The policy is the judge: pick the better of two responses (known preference).",
    verifier="multiple_choice",
    task_source="jsonl:chat preference pairs (path= to change)",
)
register(
    "gymhub/RMProxy-v0",
    "gymhub.envs.rlhf.proxy:ProxyRewardEnv",
    family="rlhf",
    description="A verifiable single-step env (base_env=, default ToyArith-v0) rewarded by a reward "
    "model (reward_model=); the env's own reward is kept as the 'gold' component, so training "
    "logs proxy and gold reward side by side.",
    verifier="reward_model",
    task_source="the wrapped env's",
    reward_kind="learned",
)
