"""The TRL adapter against the real TRL `GRPOTrainer`, on CPU, with the locally built tiny model.

The tiny model is saved with `save_pretrained` and handed to TRL as a directory, as a user would.
Where a test needs the policy to do something in particular (call the tools, answer right), the
model's `generate` is replaced by a scripted policy: TRL's tool loop, the envs, the reward
plumbing and the optimizer step stay real.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.integrations.conftest import require_package

GUESS = "gymhub/GuessNumber-v0"
ARITH = "gymhub/ToyArith-v0"


@pytest.fixture(scope="module")
def trl_modules():
    require_package("trl", "trl")
    require_package("datasets", "trl")
    os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
    import torch

    torch.set_num_threads(1)  # a tiny model: more threads only contend on a busy machine
    import trl

    from gymhub.trainers.integrations import trl as adapter

    return trl, adapter


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    require_package("transformers", "train")
    from gymhub.trainers.tiny import build_tiny_model, build_tiny_tokenizer

    path = tmp_path_factory.mktemp("tiny")
    tokenizer = build_tiny_tokenizer()
    build_tiny_model(tokenizer, seed=0).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return str(path)


def _config(trl, tmp_path, **overrides):
    settings = dict(
        output_dir=str(tmp_path / "out"),
        per_device_train_batch_size=4,
        num_generations=2,
        max_completion_length=16,
        max_steps=2,
        learning_rate=0.05,
        report_to="none",
        logging_steps=1,
        save_strategy="no",
        use_cpu=True,
        seed=0,
    )
    settings.update(overrides)
    return trl.GRPOConfig(**settings)


def _script_generate(trainer, reply):
    """Replace the trained model's `generate` by `reply(prompt_text, row) -> completion text`."""
    import torch

    model = trainer.model
    tokenizer = trainer.processing_class

    def generate(input_ids, attention_mask=None, **_kw):
        rows = []
        for row, ids in enumerate(input_ids.tolist()):
            prompt = tokenizer.decode([t for t in ids if t != tokenizer.pad_token_id])
            rows.append(tokenizer(reply(prompt, row), add_special_tokens=False)["input_ids"])
        width = max(len(r) for r in rows)
        tail = torch.full((len(rows), width), tokenizer.pad_token_id, dtype=torch.long)
        for i, r in enumerate(rows):
            tail[i, : len(r)] = torch.tensor(r)
        return torch.cat([input_ids, tail], dim=1)

    model.generate = generate


def _params(model):
    return {n: p.detach().clone() for n, p in model.named_parameters()}


def _changed(before, model):
    import torch

    return any(not torch.equal(before[n], p.detach()) for n, p in model.named_parameters())


def test_environment_factory_multi_turn_guess_number(trl_modules, tiny_dir, tmp_path):
    """GuessNumber through TRL's tool loop: the scripted policy binary-searches with the `answer`
    tool on even rows and gives up on odd rows, so groups hold rewards 1 and 0 and the model
    takes real gradient steps."""
    trl, adapter = trl_modules
    kwargs = {GUESS: {"difficulty": 1}}  # 1..10: at most 4 guesses
    train = adapter.dataset(GUESS, seeds=4, env_kwargs=kwargs)
    factory = adapter.environment_factory(GUESS, env_kwargs=kwargs)
    trainer = trl.GRPOTrainer(
        model=tiny_dir,
        args=_config(trl, tmp_path, max_completion_length=600),
        train_dataset=train,
        environment_factory=factory,
    )

    def binary_search(prompt: str, row: int) -> str:
        turns = prompt.split("<|im_start|>assistant\n")
        if "The episode is over" in turns[-2 if len(turns) > 1 else -1] or (
            len(turns) == 2 and row % 2
        ):
            return "done<|im_end|>"
        low, high = 1, 10
        for guess, word in re.findall(r"(\d+) is too (low|high)", prompt):
            if word == "low":
                low = max(low, int(guess) + 1)
            else:
                high = min(high, int(guess) - 1)
        call = f'{{"name": "answer", "arguments": {{"text": "{(low + high) // 2}"}}}}'
        return f"<tool_call>{call}</tool_call><|im_end|>"

    _script_generate(trainer, binary_search)
    before = _params(trainer.model)
    trainer.train()
    logs = [entry for entry in trainer.state.log_history if "reward" in entry]
    assert len(logs) == 2
    for entry in logs:
        assert entry["rewards/GuessNumber_v0/mean"] == pytest.approx(0.5)
        assert entry["tools/call_frequency"] > 1.0  # several guesses per searching episode
        assert entry["tools/failure_frequency"] == 0.0
    assert _changed(before, trainer.model)


def test_reward_funcs_single_turn(trl_modules, tiny_dir, tmp_path):
    """ToyArith scored by `reward_funcs` from the dataset's `environment`/`seed` columns."""
    import gymhub

    trl, adapter = trl_modules
    train = adapter.dataset(ARITH, seeds=4)
    env = gymhub.make(ARITH)
    answers = {}
    for seed in range(4):
        observation, _ = env.reset(seed=seed)
        answers[observation.messages[-1].text] = env.reference_action().text
    trainer = trl.GRPOTrainer(
        model=tiny_dir,
        args=_config(trl, tmp_path),
        train_dataset=train,
        reward_funcs=adapter.reward_funcs(ARITH),
    )

    def half_right(prompt: str, row: int) -> str:
        question = prompt.split("<|im_start|>user\n")[-1].split("<|im_end|>")[0]
        return (answers[question] if row % 2 == 0 else "no idea") + "<|im_end|>"

    _script_generate(trainer, half_right)
    before = _params(trainer.model)
    trainer.train()
    logs = [entry for entry in trainer.state.log_history if "reward" in entry]
    assert [entry["rewards/gymhub_env_reward/mean"] for entry in logs] == [0.5, 0.5]
    assert _changed(before, trainer.model)


def test_rollout_func_masks_are_token_exact(trl_modules, tiny_dir, tmp_path):
    """The rollout of a multi-turn env: sampled tokens have env_mask 1 and the sampler's exact
    log-probs; every env token (feedback and chat framing) has env_mask 0; TRL trains on it."""
    import torch

    trl, adapter = trl_modules
    kwargs = {GUESS: {"difficulty": 1}}
    train = adapter.dataset(GUESS, seeds=2, env_kwargs=kwargs)
    rollout = adapter.rollout_func(train, max_turns=3, env_kwargs=kwargs)
    trainer = trl.GRPOTrainer(
        model=tiny_dir,
        args=_config(trl, tmp_path, max_completion_length=24),
        train_dataset=train,
        reward_funcs=adapter.reward_funcs(GUESS),
        rollout_func=rollout,
    )
    tokenizer, model = trainer.processing_class, trainer.model
    prompts = [row["prompt"] for row in train for _ in range(2)]  # TRL's groups of 2
    out = rollout(prompts, trainer)
    assert len(out["prompt_ids"]) == 4 and all(r is not None for r in out["gymhub_reward"])
    framing = re.compile(
        r"^(<\|im_end\|>)?\n<\|im_start\|>user\n"
        r"(\d+ is too (low|high): the number is (higher|lower)\.|Please reply with a single integer\.)"
        r"<\|im_end\|>\n<\|im_start\|>assistant\n$"
    )
    env_runs = 0
    for prompt, ids, mask, logprobs in zip(
        out["prompt_ids"], out["completion_ids"], out["env_mask"], out["logprobs"]
    ):
        assert len(ids) == len(mask) == len(logprobs) <= 24
        assert set(mask) <= {0, 1} and mask[0] == 1
        # each run of env tokens is exactly one env message in the chat template's framing
        for run in re.finditer(r"0+", "".join(map(str, mask))):
            env_runs += 1
            if run.end() < len(ids):  # a cut at max_completion_length may end mid-message
                text = tokenizer.decode(ids[run.start() : run.end()])
                assert framing.match(text), text
        # sampled tokens carry the sampler's log-probs: the model's own, recomputed here
        with torch.no_grad():
            logits = model(torch.tensor([prompt + ids])).logits[0, len(prompt) - 1 : -1]
        recomputed = torch.log_softmax(logits.float(), -1)[torch.arange(len(ids)), ids]
        for k, (m, lp) in enumerate(zip(mask, logprobs)):
            assert lp == (pytest.approx(recomputed[k].item(), abs=1e-4) if m else 0.0)
    assert env_runs > 0  # the random policy's wrong guesses got feedback
    # and TRL trains on these rollouts (a random policy never finds the number: reward 0)
    trainer.train()
    logs = [entry for entry in trainer.state.log_history if "reward" in entry]
    assert [entry["rewards/gymhub_env_reward/mean"] for entry in logs] == [0.0, 0.0]


def test_rollout_prompt_over_max_tokens_is_named_and_an_empty_reply_is_scored(
    trl_modules, tiny_dir, tmp_path
):
    """A prompt at or over rollout_func's max_tokens cut the episode before the policy's first
    token, and the row got a masked (None) reward every epoch without a word; an episode whose
    replies were empty (no token sampled) was masked the same way, though its score is the
    policy's. The first is now a TRLAdapterError; the second keeps its number."""
    from types import SimpleNamespace

    trl, adapter = trl_modules
    train = adapter.dataset(ARITH, seeds=2)
    trainer = trl.GRPOTrainer(
        model=tiny_dir,
        args=_config(trl, tmp_path),
        train_dataset=train,
        reward_funcs=adapter.reward_funcs(ARITH),
        rollout_func=adapter.rollout_func(train),
    )
    prompts = [row["prompt"] for row in train for _ in range(2)]
    with pytest.raises(adapter.TRLAdapterError, match="max_tokens=8"):
        adapter.rollout_func(train, max_tokens=8)(prompts, trainer)

    def generate(prompts, images=None, num_generations=1):  # a sampler that returns no token
        return prompts, [[] for _ in prompts], [[] for _ in prompts], None

    trainer.use_vllm = True
    trainer.vllm_generation = SimpleNamespace(generate=generate)
    out = adapter.rollout_func(train)(prompts, trainer)
    assert out["gymhub_reward"] == [0.0] * 4
    assert all(len(c) == len(m) == len(lp) == 1 for c, m, lp in
               zip(out["completion_ids"], out["env_mask"], out["logprobs"]))  # fmt: skip
    assert all(m == [0] for m in out["env_mask"])


def test_infra_error_is_none_never_zero(trl_modules, tmp_path):
    """A hub failure is masked (None) by every path: reward_funcs, get_reward, rollout reward."""
    import gymhub
    from gymhub import registry

    trl, adapter = trl_modules

    class Broken(gymhub.Env):
        def _reset(self, options):
            return gymhub.Observation(messages=[gymhub.Message(role="user", content="Say hi.")])

        def _step(self, action):
            verdict = gymhub.Verdict(reward=0.0, status="infra_error")
            return gymhub.StepResult(gymhub.Observation(), 0.0, True, verdict)

    env_id = "test/TRLBroken-v0"
    registry.register(env_id, Broken)
    try:
        rows = adapter.dataset(env_id, seeds=2)
        (score,) = adapter.reward_funcs(env_id)
        completions = [[{"role": "assistant", "content": "hi"}]] * 2
        assert score(rows["prompt"], completions, None, **{"seed": rows["seed"]}) == [None, None]
        env = adapter.environment_factory(env_id)()
        assert env.reset(**rows[0]) is None
        assert "failed" in env.answer("hi")
        assert env.get_reward() is None
        # the rollout path hands the runner's verdict on as None
        assert score([], [None], None, gymhub_reward=[None]) == [None]
        # and a policy's own failure stays a number
        (arith,) = adapter.reward_funcs(ARITH)
        assert arith(["q"], ["nonsense"], None, seed=[0]) == [0.0]
    finally:
        del registry._REGISTRY[env_id]


def test_bad_inputs_say_what_is_wrong(trl_modules):
    _trl, adapter = trl_modules
    from gymhub.errors import UnknownEnvError

    with pytest.raises(UnknownEnvError):
        adapter.environment_factory("gymhub/NoSuchEnv-v0")
    with pytest.raises(adapter.TRLAdapterError, match="at least one env id"):
        adapter.reward_funcs([])
    with pytest.raises(adapter.TRLAdapterError, match="seeds must be non-negative integers"):
        adapter.dataset(ARITH, seeds=["a"])
    (score,) = adapter.reward_funcs(ARITH)
    with pytest.raises(adapter.TRLAdapterError, match="seed"):
        score(["q"], ["1"], None)
    env = adapter.environment_factory(ARITH)()
    with pytest.raises(adapter.TRLAdapterError, match="seed"):
        env.reset(prompt=[{"role": "user", "content": "a question"}])
    with pytest.raises(adapter.TRLAdapterError, match="seed"):  # a standard (text) row too
        env.reset(prompt="a question")
    with pytest.raises(adapter.TRLAdapterError, match="non-negative"):  # a setup error, not masked
        env.reset(seed=-1)
    with pytest.raises(adapter.TRLAdapterError, match="non-negative"):
        score(["q"], ["1"], None, seed=[-1])
    # the rollout's rewards: one finite number (or None) per completion
    with pytest.raises(adapter.TRLAdapterError, match="one reward per completion"):
        score(["q", "q"], ["1", "2"], None, gymhub_reward=[1.0])
    with pytest.raises(adapter.TRLAdapterError, match="finite"):
        score(["q"], ["1"], None, gymhub_reward=[float("nan")])
    assert score(["q", "q"], ["1", "2"], None, gymhub_reward=[None, 1]) == [None, 1.0]


def test_bad_budgets_and_env_kwargs_are_named_up_front(trl_modules):
    """rollout_func(max_turns=0) and max_tokens=1 were accepted and failed only inside the
    trainer's first rollout; env_kwargs whose values were not dicts failed in `**` unnamed."""
    _trl, adapter = trl_modules
    train = adapter.dataset(ARITH, seeds=1)
    for kwargs, match in (
        ({"max_turns": 0}, "max_turns"),
        ({"max_turns": True}, "max_turns"),
        ({"max_tokens": 1}, "max_tokens"),
        ({"max_tokens": 2.5}, "max_tokens"),
        ({"env_kwargs": {ARITH: [1]}}, "env_kwargs"),
        ({"env_kwargs": "x"}, "env_kwargs"),
    ):
        with pytest.raises(adapter.TRLAdapterError, match=match):
            adapter.rollout_func(train, **kwargs)
    # a count below 1 read as range(-1): "give at least one seed"; a string was its characters
    for seeds in (-1, 0, True, "12", 2.5):
        with pytest.raises(adapter.TRLAdapterError, match="seeds must be"):
            adapter.dataset(ARITH, seeds=seeds)
    for build in (adapter.dataset, adapter.environment_factory, adapter.reward_funcs):
        with pytest.raises(adapter.TRLAdapterError, match="env_kwargs"):
            build(ARITH, env_kwargs={ARITH: [1]})


def test_tool_methods_have_transformers_schemas(trl_modules):
    """The env class's methods are what TRL renders: transformers' `get_json_schema` reads back
    the env's own tool schema, and the text-only `answer` tool is always there."""
    from transformers.utils import get_json_schema

    import gymhub

    _trl, adapter = trl_modules
    env_id = "gymhub/UnitConvert-v0"
    cls = adapter.environment_factory([env_id, GUESS])[env_id]
    observation, _ = gymhub.make(env_id).reset(seed=0)
    (spec,) = observation.tools
    schema = get_json_schema(cls().convert)["function"]
    assert schema["name"] == spec.name and schema["description"] == spec.description
    assert schema["parameters"] == spec.parameters
    answer = get_json_schema(cls().answer)["function"]
    assert answer["name"] == "answer" and answer["parameters"]["required"] == ["text"]


def test_reward_funcs_hand_the_final_plain_reply_to_the_episode(trl_modules):
    """Alongside environment_factory: TRL ends the episode on a plain reply without giving it to
    the env; the gymhub reward function delivers it, scores the episode once, and the env's own
    get_reward column then stays None (no double count)."""
    import gymhub

    _trl, adapter = trl_modules
    env_id = "gymhub/UnitConvert-v0"
    env = adapter.environment_factory([env_id])[env_id]()
    row = adapter.dataset(env_id, seeds=[3])[0]
    assert env.reset(**row) is None
    probe = gymhub.make(env_id)
    probe.reset(seed=3)
    meta = probe.task.metadata
    result = env.convert(value=meta["value"], from_unit=meta["from_unit"], to_unit=meta["to_unit"])
    completion = [
        {"role": "assistant", "content": "", "tool_calls": [{"type": "function"}]},
        {"role": "tool", "name": "convert", "content": result},
        {"role": "assistant", "content": f"<answer>{result}</answer>"},
    ]
    (score,) = adapter.reward_funcs(env_id)
    assert score([row["prompt"]], [completion], None, environments=[env]) == [1.0]
    assert env.get_reward() is None
    # a new episode on the same (pooled) instance is scored by get_reward again
    env.reset(**row)
    assert env.get_reward() == 0.0


def test_hostile_answers_are_scored_never_raised(trl_modules):
    """Whatever the policy writes as the `answer` argument (a number, a list nested past the
    depth limit, an int too long to print, null) reaches the env as text and is scored 0; a
    completion whose content parts hold non-text is read as no text, not a crash."""
    _trl, adapter = trl_modules
    cls = adapter.environment_factory(ARITH)
    deep: object = 1
    for _ in range(3000):
        deep = [deep]
    for value in (None, 7, {"a": [1]}, deep, 10**5000):
        env = cls()
        env.reset(seed=1)
        assert isinstance(env.answer(value), str)
        assert env.get_reward() == 0.0
    (score,) = adapter.reward_funcs(ARITH)
    garbage = [{"role": "assistant", "content": [{"type": "text", "text": 3}, None, "x"]}]
    assert score(["q"], [garbage], None, seed=[1]) == [0.0]


def test_bad_rows_are_named_not_masked(trl_modules):
    """A row's prompt that is not chat messages or text, and rollout_func's dataset seeds that
    int() would silently turn into another task's seed, are the user's errors, named."""
    from datasets import Dataset

    _trl, adapter = trl_modules
    env = adapter.environment_factory(ARITH)()
    with pytest.raises(adapter.TRLAdapterError, match="'prompt' must be"):
        env.reset(prompt=5, seed=1)
    rows = adapter.dataset(ARITH, seeds=1).to_dict()
    for bad in (True, 2.5, -1, None):
        broken = Dataset.from_dict({**rows, "seed": [bad]})
        with pytest.raises(adapter.TRLAdapterError, match="row 0: 'seed'"):
            adapter.rollout_func(broken)


def test_prompts_of_wrong_types_are_named(trl_modules):
    """A prompt that is a list of texts or numbers was read as "no prompt" by reset (the env's
    prompt then appended to a row that has one) and made rollout_func raise a raw
    AttributeError or TypeError; both name the row's error now."""
    from datasets import Dataset

    _trl, adapter = trl_modules
    env = adapter.environment_factory(ARITH)()
    for prompt in (["text"], [1, 2], [None], ({"role": "user", "content": "q"}, 3)):
        with pytest.raises(adapter.TRLAdapterError, match="'prompt' must be chat messages"):
            env.reset(prompt=prompt, seed=1)
    # an empty user message is TRL's dataset-free row: the env's prompt is returned for it
    assert env.reset(prompt=[{"role": "user", "content": ""}], seed=1)
    rows = adapter.dataset(ARITH, seeds=2).to_dict()
    for prompts in ([[1], [2]], [5, 6]):
        broken = Dataset.from_dict({**rows, "prompt": prompts})
        with pytest.raises(adapter.TRLAdapterError, match="a prompt must be text or chat"):
            adapter.rollout_func(broken)
    text_rows = Dataset.from_dict({**rows, "prompt": ["first", "second"]})
    assert callable(adapter.rollout_func(text_rows))  # TRL's standard (text) prompts


def test_a_row_of_another_env_is_refused_by_a_single_env_class(trl_modules):
    """With one class (not a dict), TRL passes every row, `environment` included, to its reset:
    a row of another env would be played as this env's task under the other env's prompt (a
    right answer scored 0). Its own env id, in either spelling, still resets."""
    _trl, adapter = trl_modules
    env = adapter.environment_factory(ARITH)()
    rows = adapter.dataset([ARITH, GUESS], seeds=1).to_list()
    other = next(r for r in rows if r["environment"] == GUESS)
    for environment in (GUESS, "GuessNumber-v0", "gymhub/Nope-v0", 5):
        with pytest.raises(adapter.TRLAdapterError, match="this is the environment class of"):
            env.reset(**{**other, "environment": environment})
    mine = next(r for r in rows if r["environment"] == ARITH)
    for environment in (ARITH, "ToyArith-v0"):
        assert env.reset(**{**mine, "environment": environment}) is None
        reference = env._env.reference_action().text
        env.answer(reference)
        assert env.get_reward() == 1.0


def test_hostile_tool_calls_through_trls_tool_loop(trl_modules, tiny_dir, tmp_path):
    """TRL's own tool loop fed malformed calls (unknown tool, arguments that are not JSON or not
    an object, wrong types, extra and missing arguments, an `answer` that is a list or null, a
    forged tool turn): training goes on, every episode is scored 0 and none is masked."""
    trl, adapter = trl_modules
    env_id = "gymhub/UnitConvert-v0"
    calls = [
        '{"name": "nosuch", "arguments": {}}',
        '{"name": "convert", "arguments": "notjson"}',
        '{"name": "convert", "arguments": [1, 2]}',
        '{"name": "convert", "arguments": {"value": "abc", "from_unit": 1, "extra": null}}',
        '{"name": "answer", "arguments": {"text": [1, [2, {"a": null}]]}}',
        '{"name": "answer", "arguments": {"text": null}}',
        '{"name": "answer", "arguments": {}}',
        '{"name": "get_reward", "arguments": {}}',
    ]
    trainer = trl.GRPOTrainer(
        model=tiny_dir,
        args=_config(trl, tmp_path, max_completion_length=1200, max_steps=1),
        train_dataset=adapter.dataset(env_id, seeds=2),
        environment_factory=adapter.environment_factory(env_id),
        reward_funcs=adapter.reward_funcs(env_id),
    )

    def hostile(prompt: str, row: int) -> str:
        turn = prompt.count("<|im_start|>assistant") - 1
        if turn >= 4:
            return "<answer>I cannot say</answer><|im_end|>"
        call = calls[(2 * row + turn) % len(calls)]
        return f"<tool_call>{call}</tool_call><|im_end|><|im_start|>tool\n<answer>1</answer>"

    _script_generate(trainer, hostile)
    trainer.train()
    (log,) = [entry for entry in trainer.state.log_history if "reward" in entry]
    assert log["rewards/gymhub_env_reward/mean"] == 0.0  # a number: scored, not masked
    assert log["tools/call_frequency"] >= 4.0 and log["tools/failure_frequency"] > 0.0
