"""gymhub envs in TRL's `GRPOTrainer`: environments, rewards and a token-exact rollout.

Four pieces, one set of envs and seeds (TRL is imported lazily; `pip install "gymhub[trl]"`):

- `dataset(env_ids, seeds)`: rows with the reset prompt as chat messages, `environment`, `seed`.
- `environment_factory(env_ids)`: for `GRPOTrainer(environment_factory=...)`. One class per env;
  its public methods are the env's tools (TRL renders them with `get_json_schema` and calls them
  from its tool loop), `reset(**row)` resets the env with the row's seed and `get_reward()` is the
  episode's reward. Every class also has an `answer` tool that sends plain text to the env, since
  TRL ends an episode on a reply without a tool call (text-action envs are played through it).
- `reward_funcs(env_ids)`: reward callables that score a completion by stepping the env; alongside
  `environment_factory` they hand the final reply to the episode, then score it.
- `rollout_func(dataset)`: a `rollout_func` for `GRPOTrainer(rollout_func=...)` built on
  gymhub's token-exact `EpisodeRunner`: generated ids are kept as sampled, env tokens have
  `env_mask` 0.

A hub failure (`infra_error`) is a reward of `None`, never 0: TRL leaves a row whose rewards are
all `None` out of the group baseline and gives it no advantage.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import keyword
import math
import numbers
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

import gymhub
from gymhub.episode import EpisodeLoop
from gymhub.errors import GymhubError
from gymhub.registry import spec as env_spec
from gymhub.tools import MAX_ARGUMENT_DEPTH, nesting_depth
from gymhub.trainers.integrations.rows import seed_value
from gymhub.types import Action, Message, ToolCall, ToolSpec

ENVIRONMENT_COLUMN = "environment"
SEED_COLUMN = "seed"
#: the rollout's reward, passed by `rollout_func` to the reward functions as a column
REWARD_COLUMN = "gymhub_reward"
ANSWER_TOOL = "answer"
_RESERVED = frozenset({"reset", "get_reward"})


class TRLAdapterError(GymhubError, ValueError):
    """The TRL adapter was given something it cannot use (the message says what)."""


def _require(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ImportError(
            f"the TRL adapter needs the '{module}' package: pip install 'gymhub[trl]'"
        )


def _env_ids(env_id_or_ids: str | Sequence[str]) -> list[str]:
    """Validated, registered env ids in the order given (duplicates dropped)."""
    ids = [env_id_or_ids] if isinstance(env_id_or_ids, str) else list(env_id_or_ids)
    if not ids:
        raise TRLAdapterError("give at least one env id")
    for env_id in ids:
        if not isinstance(env_id, str):
            raise TRLAdapterError(f"env ids must be strings, got {env_id!r}")
        env_spec(env_id)  # raises UnknownEnvError naming the id
    return list(dict.fromkeys(ids))


def _check_env_kwargs(env_kwargs: Any) -> None:
    """`env_kwargs` maps env ids to dicts of `gymhub.make` keyword arguments."""
    if env_kwargs is None:
        return
    if not isinstance(env_kwargs, dict):
        raise TRLAdapterError(
            f"env_kwargs must be a dict of env id -> kwargs, got {env_kwargs!r:.80}"
        )
    for env_id, kwargs in env_kwargs.items():
        if not isinstance(kwargs, dict):
            raise TRLAdapterError(f"env_kwargs[{env_id!r}] must be a dict, got {kwargs!r:.80}")


def _seeds(seeds: int | Iterable[int]) -> list[int]:
    if isinstance(seeds, bool) or (isinstance(seeds, int) and seeds < 1):
        raise TRLAdapterError(f"seeds must be a positive count or a list of seeds, got {seeds!r}")
    if not isinstance(seeds, int) and (
        isinstance(seeds, (str, bytes, dict)) or not isinstance(seeds, Iterable)
    ):
        raise TRLAdapterError(f"seeds must be a count or a list of seeds, got {seeds!r:.80}")
    values = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    if not values:
        raise TRLAdapterError("give at least one seed")
    seeds_out = []
    for seed in values:
        if (value := seed_value(seed)) is None:
            raise TRLAdapterError(f"seeds must be non-negative integers, got {seed!r}")
        seeds_out.append(value)
    return seeds_out


def _chat(messages: Sequence[Message]) -> list[dict[str, str]]:
    """Messages as the plain chat dicts a dataset stores (text only)."""
    return [{"role": m.role, "content": m.text} for m in messages]


# ----- the dataset -------------------------------------------------------------------------------
def dataset(
    env_ids: str | Sequence[str],
    seeds: int | Iterable[int] = 8,
    *,
    env_kwargs: dict[str, dict[str, Any]] | None = None,
) -> Any:
    """A `datasets.Dataset` of one row per (env, seed): `prompt` (the reset's messages), the
    `environment` id and the `seed` that reproduces the task. `seeds` is a count or the seeds."""
    _require("datasets")
    from datasets import Dataset

    ids, seed_list = _env_ids(env_ids), _seeds(seeds)
    _check_env_kwargs(env_kwargs)
    rows: dict[str, list[Any]] = {"prompt": [], ENVIRONMENT_COLUMN: [], SEED_COLUMN: []}
    for env_id in ids:
        env = gymhub.make(env_id, **(env_kwargs or {}).get(env_id, {}))
        try:
            for seed in seed_list:
                try:
                    observation, _info = env.reset(seed=seed)
                except Exception as exc:
                    raise GymhubError(f"{env_id} failed to reset with seed {seed}: {exc}") from exc
                rows["prompt"].append(_chat(observation.messages))
                rows[ENVIRONMENT_COLUMN].append(env_id)
                rows[SEED_COLUMN].append(seed)
        finally:
            env.close()
    return Dataset.from_dict(rows)


# ----- environment_factory -----------------------------------------------------------------------
_JSON_TYPES: dict[str, Any] = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "null": type(None),
    "array": list,
    "object": dict,
}


def _annotation(schema: dict[str, Any]) -> Any:
    """The Python type hint that `get_json_schema` turns back into (about) `schema`."""
    if not isinstance(schema, dict):
        return Any
    hint: Any
    enum = schema.get("enum")
    if (
        isinstance(enum, list)
        and enum
        and all(isinstance(v, (str, int, float, bool)) for v in enum)
    ):
        hint = typing.Literal[tuple(enum)]
    elif "anyOf" in schema and isinstance(schema["anyOf"], list) and schema["anyOf"]:
        hint = typing.Union[tuple(_annotation(s) for s in schema["anyOf"])]  # noqa: UP007
    else:
        kind = schema.get("type")
        if isinstance(kind, list) and kind:
            hint = typing.Union[tuple(_JSON_TYPES.get(k, Any) for k in kind)]  # noqa: UP007
        elif kind == "array" and isinstance(schema.get("items"), dict):
            hint = list[_annotation(schema["items"])]
        elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            hint = dict[str, _annotation(schema["additionalProperties"])]
        else:
            hint = _JSON_TYPES.get(kind, Any) if isinstance(kind, str) else Any
    if schema.get("nullable"):
        hint = typing.Optional[hint]  # noqa: UP045
    return hint


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def _tool_method(tool: ToolSpec) -> Callable[..., str]:
    """A method with the tool's signature and a Google docstring (what `get_json_schema` and TRL
    read), that sends the call to the env as one step."""
    name = tool.name
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        raise TRLAdapterError(f"tool name {name!r} cannot be a TRL environment method")
    if name in _RESERVED:
        raise TRLAdapterError(f"a tool named {name!r} clashes with TRL's environment methods")
    properties = tool.parameters.get("properties") or {}
    required = set(tool.parameters.get("required") or [])
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    annotations: dict[str, Any] = {}
    arg_docs = []
    for pname, schema in properties.items():
        if not pname.isidentifier() or keyword.iskeyword(pname):
            raise TRLAdapterError(f"argument {pname!r} of tool {name!r} is not a Python name")
        hint = _annotation(schema)
        default = inspect.Parameter.empty
        if pname not in required:
            default = schema.get("default") if isinstance(schema, dict) else None
        params.append(
            inspect.Parameter(
                pname, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint
            )
        )
        annotations[pname] = hint
        described = isinstance(schema, dict) and schema.get("description")
        arg_docs.append(f"    {pname}: {_one_line(described or pname)}")
    annotations["return"] = str

    def method(self: _GymhubTRLEnv, **arguments: Any) -> str:
        return self._tool_call(name, arguments)

    method.__name__ = method.__qualname__ = name
    method.__signature__ = inspect.Signature(params, return_annotation=str)  # type: ignore[attr-defined]
    method.__annotations__ = annotations
    summary = _one_line(tool.description) or f"The {name} tool."
    method.__doc__ = summary + ("\n\nArgs:\n" + "\n".join(arg_docs) if arg_docs else "")
    return method


def _answer(self, text: str) -> str:  # type: ignore[no-untyped-def]
    """Send a reply to the environment: an answer, a guess or a move, as the task asks.

    Args:
        text: the reply, exactly as it should be read
    """
    # a str goes to the env as it is: the env makes the Action (one validation, not two)
    return self._send(text if isinstance(text, str) else _argument_text(text))


def _argument_text(value: Any) -> str:
    """A non-text `answer` argument (a number, a list) as the text the env reads. JSON that
    cannot be written (nested past the depth limit, an int too long to print) is the policy's
    malformed answer: the env gets a note and scores it, TRL's tool loop sees no exception."""
    if nesting_depth(value, MAX_ARGUMENT_DEPTH + 1) > MAX_ARGUMENT_DEPTH:
        return f"<an answer nested deeper than {MAX_ARGUMENT_DEPTH} levels was dropped>"
    try:
        return json.dumps(value)
    except (TypeError, ValueError):  # a number too long to write as text, an object
        return "<an answer that cannot be written as text was dropped>"


_answer.__name__ = _answer.__qualname__ = ANSWER_TOOL  # TRL and the chat template read __name__


class _GymhubTRLEnv:
    """Base of the classes `environment_factory` makes: one gymhub env, one episode per reset.

    TRL treats every public function of the class as a tool, so all helpers here are private."""

    env_id: ClassVar[str]
    env_kwargs: ClassVar[dict[str, Any]] = {}

    def __init__(self) -> None:
        self._env = gymhub.make(self.env_id, **self.env_kwargs)
        self._loop: EpisodeLoop | None = None
        self._scored = False
        self._calls = 0

    def reset(self, **row: Any) -> str | None:
        """Start an episode with the row's `seed`. Returns the reset prompt's text when the row
        carries no prompt (TRL then appends it to the empty user message), else None.

        A row whose `environment` names another env is refused: with one class (not a dict)
        TRL hands every row to it, and its seed would pose this env's task under the other
        env's prompt, scoring right answers 0."""
        environment = row.get(ENVIRONMENT_COLUMN)
        if environment is not None and environment != self.env_id:
            self._check_environment(environment)
        seed = row.get(SEED_COLUMN)
        has_prompt = False  # a loop, not any(<generator>): a generator costs ~1 µs per episode
        prompt = row.get("prompt")
        if isinstance(prompt, str):
            has_prompt = bool(prompt.strip())  # TRL's standard (not conversational) rows
        elif isinstance(prompt, (list, tuple)):
            for message in prompt:
                if not isinstance(message, dict):
                    # `["text"]` read as "no prompt" made the env's prompt appended to a row
                    # that has one: the row's error, named
                    raise TRLAdapterError(
                        "'prompt' must be chat messages (dicts with 'role' and 'content') or "
                        f"text, got a list holding {type(message).__name__}"
                    )
                if not has_prompt and message.get("content"):
                    has_prompt = True
        elif prompt is not None:
            raise TRLAdapterError(
                f"'prompt' must be chat messages or text, got {type(prompt).__name__}"
            )
        if has_prompt and seed is None:
            raise TRLAdapterError(
                f"rows with a prompt need a '{SEED_COLUMN}' column, or the env would pose a "
                "different task than the prompt shows (build rows with trl.dataset)"
            )
        if seed is not None:
            value = seed_value(seed)  # numpy integers from a data frame are seeds too
            if value is None:
                raise TRLAdapterError(
                    f"'{SEED_COLUMN}' must be a non-negative integer, got {seed!r}"
                )
            seed = value
        self._loop = EpisodeLoop(self._env)
        self._scored = False
        self._calls = 0
        started = self._loop.reset(seed=seed)
        if has_prompt or started is None:
            return None
        return "\n\n".join(m.text for m in started[0].messages)

    def get_reward(self) -> float | None:
        """The episode's reward (None when the hub failed, or when a gymhub reward function
        already scored this rollout: its score is the one counted)."""
        return None if self._scored else self._outcome()

    # ----- private: TRL lists only public functions as tools -------------------------------------
    def _check_environment(self, environment: Any) -> None:
        """Raise TRLAdapterError unless the row's `environment` is this class's env (the same
        id, or another spelling of it: `Capitals-v0` for `gymhub/Capitals-v0`)."""
        mine = env_spec(self.env_id).id
        try:
            named = env_spec(environment).id if isinstance(environment, str) else None
        except GymhubError:  # not a registered id
            named = None
        if named != mine:
            raise TRLAdapterError(
                f"the row's '{ENVIRONMENT_COLUMN}' is {environment!r:.80}, but this is the "
                f"environment class of {mine}: pass environment_factory a list of env ids (a "
                "dict of classes) for a dataset of several envs"
            )

    def _outcome(self) -> float | None:
        loop = self._loop
        if loop is None or loop.infra_error:
            return None
        return loop.total_reward

    def _tool_call(self, name: str, arguments: dict[str, Any]) -> str:
        self._calls += 1
        call = ToolCall(id=f"call_{self._calls}", name=name, arguments=arguments)
        return self._send(Action(content="", tool_calls=[call]))

    def _send(self, action: Action | str) -> str:
        loop = self._loop
        if loop is None:
            raise RuntimeError("reset the environment before calling its tools")
        if loop.done:
            return "The episode is over."
        # TRL's trainer keeps the chat: the loop applies the episode's rules without a record
        observation = loop.send(action)
        if loop.infra_error or observation is None:  # None only with infra_error: for the type
            return "The environment failed; the episode is over."
        messages = observation.__dict__["messages"]  # one pydantic read, not two
        if len(messages) == 1:
            content = messages[0].__dict__["content"]  # `.text` costs a property call on top
            text = content if content.__class__ is str else messages[0].text
        else:
            text = "\n\n".join(m.text for m in messages)
        if loop.done:
            ending = (
                f"The episode is over ({loop.status})." if loop.status else "The episode is over."
            )
            text = f"{text}\n\n{ending}" if text else ending
        return text

    def _finish(self, completion: Any) -> None:
        """Hand the final reply (an assistant message without tool calls) to a live episode."""
        loop = self._loop
        if loop is None or loop.done:
            return
        text = _final_reply(completion)
        if text is not None:
            self._send(text)


def _probe_tools(env_id: str, env_kwargs: dict[str, Any]) -> list[ToolSpec]:
    env = gymhub.make(env_id, **env_kwargs)
    try:
        observation, _info = env.reset(seed=0)
        return list(observation.tools)
    finally:
        env.close()


def _env_class(env_id: str, env_kwargs: dict[str, Any]) -> type[_GymhubTRLEnv]:
    namespace: dict[str, Any] = {
        "env_id": env_id,
        "env_kwargs": dict(env_kwargs),
        "__doc__": f"The gymhub env {env_id} as a TRL environment.",
    }
    for tool in _probe_tools(env_id, env_kwargs):
        namespace[tool.name] = _tool_method(tool)
    namespace.setdefault(ANSWER_TOOL, _answer)
    name = "".join(c if c.isalnum() else "_" for c in env_id.split("/")[-1])
    return type(name, (_GymhubTRLEnv,), namespace)


def environment_factory(
    env_id_or_ids: str | Sequence[str],
    *,
    env_kwargs: dict[str, dict[str, Any]] | None = None,
) -> type[_GymhubTRLEnv] | dict[str, type[_GymhubTRLEnv]]:
    """For `GRPOTrainer(environment_factory=...)`: a class for one env id, or a dict of classes
    keyed by env id (TRL picks one per row from the dataset's `environment` column)."""
    ids = _env_ids(env_id_or_ids)
    _check_env_kwargs(env_kwargs)
    classes = {env_id: _env_class(env_id, (env_kwargs or {}).get(env_id, {})) for env_id in ids}
    if isinstance(env_id_or_ids, str):
        return classes[ids[0]]
    return classes


# ----- reward_funcs ------------------------------------------------------------------------------
def _rollout_rewards(column: Any, count: int) -> list[float | None]:
    """The rewards `rollout_func` passed on: one finite number (or None, masked) per completion."""
    if not isinstance(column, (list, tuple)) or len(column) != count:
        raise TRLAdapterError(
            f"the '{REWARD_COLUMN}' column must hold one reward per completion ({count})"
        )
    rewards: list[float | None] = []
    for reward in column:
        if reward is not None and (
            isinstance(reward, bool)
            or not isinstance(reward, numbers.Real)  # numpy's floats too
            or not math.isfinite(reward)
        ):
            raise TRLAdapterError(f"'{REWARD_COLUMN}' holds {reward!r}, not a finite number")
        rewards.append(None if reward is None else float(reward))
    return rewards


def _final_reply(completion: Any) -> str | None:
    """The text of a completion's final assistant reply (None when it ended on a tool call)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list) and completion:
        last = completion[-1]
        if isinstance(last, dict) and last.get("role") == "assistant":
            if last.get("tool_calls"):
                return None
            return _text(last.get("content"))
    return None


def _column(columns: dict[str, Any], key: str, index: int) -> Any:
    values = columns.get(key)
    if values is None or isinstance(values, (str, bytes)):
        return None
    try:
        return values[index]
    except (IndexError, KeyError, TypeError):
        return None


class _EnvPool:
    """Reused env instances per id, for scoring single-turn completions."""

    def __init__(self, env_kwargs: dict[str, dict[str, Any]]) -> None:
        self.env_kwargs = env_kwargs
        self.envs: dict[str, Any] = {}

    def score(self, env_id: str, seed: int, text: str) -> float | None:
        env = self.envs.get(env_id)
        if env is None:
            env = self.envs[env_id] = gymhub.make(env_id, **self.env_kwargs.get(env_id, {}))
        loop = EpisodeLoop(env)
        if loop.reset(seed=seed) is None:
            return None
        if loop.send(text) is None or loop.infra_error:  # one reply scored, no transcript
            return None
        return loop.total_reward


def reward_funcs(
    env_id_or_ids: str | Sequence[str],
    *,
    env_kwargs: dict[str, dict[str, Any]] | None = None,
) -> list[Callable[..., list[float | None]]]:
    """Reward callables for `GRPOTrainer(reward_funcs=...)`.

    - single-turn: the completion is stepped into the env reset with the row's `environment` and
      `seed` (build rows with `dataset`); the step's reward is the score;
    - with `environment_factory`: a live episode gets the final reply, then the episode is scored
      (that env's own `get_reward` then returns None, so nothing is counted twice);
    - with `rollout_func`: the runner's episode reward (the `gymhub_reward` column).

    `infra_error` is None (masked by TRL), never 0."""
    ids = _env_ids(env_id_or_ids)
    _check_env_kwargs(env_kwargs)
    pool = _EnvPool(env_kwargs or {})

    def gymhub_env_reward(
        prompts: list[Any],
        completions: list[Any],
        completion_ids: list[list[int]] | None = None,
        environments: list[Any] | None = None,
        **columns: Any,
    ) -> list[float | None]:
        if REWARD_COLUMN in columns:
            return _rollout_rewards(columns[REWARD_COLUMN], len(completions))
        rewards: list[float | None] = []
        for i, completion in enumerate(completions):
            env = environments[i] if environments is not None else None
            if isinstance(env, _GymhubTRLEnv):
                env._finish(completion)
                rewards.append(env._outcome())
                env._scored = True
                continue
            env_id = _column(columns, ENVIRONMENT_COLUMN, i)
            if env_id is None and len(ids) == 1:
                env_id = ids[0]
            if env_id not in ids:
                raise TRLAdapterError(
                    f"row {i}: '{ENVIRONMENT_COLUMN}' is {env_id!r}, not one of {ids}"
                )
            given = _column(columns, SEED_COLUMN, i)
            seed = seed_value(given)
            if seed is None:
                raise TRLAdapterError(
                    f"row {i}: the dataset needs a non-negative integer '{SEED_COLUMN}' column "
                    f"(got {given!r}); build it with trl.dataset"
                )
            text = _final_reply(completion)
            rewards.append(pool.score(env_id, seed, text if text is not None else ""))
        return rewards

    return [gymhub_env_reward]


# ----- rollout_func ------------------------------------------------------------------------------
def _text(content: Any) -> str:
    """The text of a chat message's content: a string, or the string `text` of its parts (a
    part whose text is not a string is the policy's garbage, left out rather than raising)."""
    if isinstance(content, list):
        return "".join(
            p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
        )
    return content if isinstance(content, str) else ""


def _prompt_key(prompt: Any) -> str:
    """The identity of a prompt: its roles and texts (what a dataset round trip keeps). A
    prompt that is neither text nor chat messages raises TRLAdapterError (it was a raw
    AttributeError or TypeError out of rollout_func)."""
    if isinstance(prompt, str):
        return prompt
    if isinstance(prompt, (list, tuple)) and all(isinstance(m, dict) for m in prompt):
        return json.dumps([[m.get("role"), _text(m.get("content"))] for m in prompt])
    raise TRLAdapterError(
        f"a prompt must be text or chat messages (dicts with 'role' and 'content'), got "
        f"{prompt!r:.80}"
    )


class _TRLVLLMBackend:
    """Generation through the trainer's own vLLM engine (`trainer.vllm_generation`)."""

    def __init__(self, trainer: Any) -> None:
        self.trainer = trainer
        tok = trainer.processing_class
        eos = getattr(tok, "eos_token_id", None)
        self.eos_ids = {eos} if isinstance(eos, int) else set(eos or [])

    def generate(self, prompts: list[list[int]], params: Any) -> list[Any]:
        from gymhub.trainers.backends import Generation

        _p, completions, logprobs, _ids = self.trainer.vllm_generation.generate(
            prompts=prompts, images=None, num_generations=1
        )
        out = []
        for ids, lps in zip(completions, logprobs):
            ids = list(ids)[: params.max_new_tokens]
            flat = [float(x[0]) if x and x[0] is not None else 0.0 for x in lps][: len(ids)]
            finish = "stop" if ids and ids[-1] in self.eos_ids else "length"
            out.append(Generation(ids, flat, finish))  # type: ignore[arg-type]
        return out

    def sync_weights(self, model: Any) -> None:
        """TRL syncs its vLLM weights itself before calling the rollout function."""


def rollout_func(
    train_dataset: Any,
    *,
    max_turns: int = 8,
    max_tokens: int = 4096,
    env_kwargs: dict[str, dict[str, Any]] | None = None,
) -> Callable[[list[Any], Any], dict[str, Any]]:
    """A token-exact `rollout_func` for `GRPOTrainer(rollout_func=..., train_dataset=...)`.

    TRL hands the function prompts only, so each prompt is mapped back to its `(environment,
    seed)` through `train_dataset` (rows of `dataset`); rows whose prompts are the same text are
    interchangeable and are played in turn. Every prompt is one episode of at most `max_turns`
    policy turns through `EpisodeRunner`, sampled with the trainer's model (or its vLLM engine)
    and its temperature/top-p/top-k; the episode is cut to `max_completion_length` tokens.

    Returns `prompt_ids`, `completion_ids`, `logprobs`, `env_mask` (the runner's `loss_mask`: 1
    for sampled tokens, 0 for env tokens) and `gymhub_reward` (None for an infra error), which
    `reward_funcs` passes on. Episodes whose env replaced the context keep their first segment."""
    # checked here: the runner would refuse them only inside the trainer's first rollout
    if isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns < 1:
        raise TRLAdapterError(f"max_turns must be a positive integer, got {max_turns!r}")
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 2:
        raise TRLAdapterError(f"max_tokens must be an integer >= 2, got {max_tokens!r}")
    _check_env_kwargs(env_kwargs)
    for column in ("prompt", ENVIRONMENT_COLUMN, SEED_COLUMN):
        if column not in getattr(train_dataset, "column_names", []):
            raise TRLAdapterError(
                f"train_dataset needs a '{column}' column (build it with trl.dataset)"
            )
    index: dict[str, list[tuple[str, int]]] = {}
    for i, row in enumerate(train_dataset):
        seed = seed_value(row[SEED_COLUMN])
        if seed is None:  # int() would turn True, 2.5 or -1 into another task's seed
            raise TRLAdapterError(
                f"train_dataset row {i}: '{SEED_COLUMN}' must be a non-negative integer, "
                f"got {row[SEED_COLUMN]!r}"
            )
        index.setdefault(_prompt_key(row["prompt"]), []).append((row[ENVIRONMENT_COLUMN], seed))
    _env_ids(sorted({env_id for rows in index.values() for env_id, _ in rows}))
    turn: dict[str, int] = {}
    pools: dict[str, list[Any]] = {}
    kwargs = env_kwargs or {}

    def envs_for(env_ids: list[str]) -> list[Any]:
        used: dict[str, int] = {}
        out = []
        for env_id in env_ids:
            pool = pools.setdefault(env_id, [])
            k = used.get(env_id, 0)
            if k == len(pool):
                pool.append(gymhub.make(env_id, **kwargs.get(env_id, {})))
            used[env_id] = k + 1
            out.append(pool[k])
        return out

    def gymhub_rollout(prompts: list[Any], trainer: Any) -> dict[str, Any]:
        from gymhub.trainers.backends import HFBackend, SamplingParams
        from gymhub.trainers.runner import EpisodeRunner, EpisodeSpec

        group_size = (
            trainer.num_generations if trainer.model.training else trainer.num_generations_eval
        )
        # consecutive copies of a prompt are one GRPO group: they play the same (env, seed)
        chosen: list[tuple[str, int]] = []
        group_of: list[int] = []
        previous, size, pick = None, 0, ("", 0)
        for prompt in prompts:
            key = _prompt_key(prompt)
            candidates = index.get(key)
            if not candidates:
                raise TRLAdapterError("a prompt is not in the train_dataset given to rollout_func")
            if key != previous or size >= group_size:
                k = turn.get(key, 0)
                turn[key] = k + 1
                pick = candidates[k % len(candidates)]
                group_of.append((group_of[-1] + 1) if group_of else 0)
                previous, size = key, 0
            else:
                group_of.append(group_of[-1])
            chosen.append(pick)
            size += 1

        tokenizer = trainer.processing_class
        limit = trainer.max_completion_length
        sampling = SamplingParams(
            max_new_tokens=limit,
            temperature=trainer.temperature,
            top_p=trainer.top_p,
            top_k=trainer.top_k or 0,
        )
        if getattr(trainer, "use_vllm", False):
            backend: Any = _TRLVLLMBackend(trainer)
        else:
            backend = HFBackend(trainer.accelerator.unwrap_model(trainer.model), tokenizer)
        runner = EpisodeRunner(
            backend, tokenizer, sampling, max_turns=max_turns, max_tokens=max_tokens
        )
        envs = envs_for([env_id for env_id, _ in chosen])
        specs = [
            EpisodeSpec(env=env, seed=seed, group=group)
            for env, (_e, seed), group in zip(envs, chosen, group_of)
        ]
        episodes = runner.run(specs)
        out: dict[str, list[Any]] = {
            "prompt_ids": [],
            "completion_ids": [],
            "logprobs": [],
            "env_mask": [],
            REWARD_COLUMN: [],
        }
        for prompt, episode in zip(prompts, episodes):
            prompt_ids, completion = list(episode.prompt_ids), list(episode.completion_ids)
            mask, logprobs = list(episode.loss_mask), list(episode.logprobs)
            reward: float | None = None if episode.infra_error else episode.reward
            if prompt_ids and len(prompt_ids) >= max_tokens and not episode.infra_error:
                # the episode was cut before the policy's first token: every epoch would
                # give this row a masked reward without a word; it is the setup's error
                raise TRLAdapterError(
                    f"{episode.env_id} seed {episode.seed}: the prompt is {len(prompt_ids)} "
                    f"tokens, no room under rollout_func's max_tokens={max_tokens}"
                )
            if not prompt_ids:  # nothing ran (the env failed at reset): masked
                prompt_ids = runner.renderer.encode(
                    runner.renderer.render(list(prompt), add_generation_prompt=True)
                )
                reward = None
            if not completion:  # no token to train on; a policy's empty reply keeps its score
                completion, mask, logprobs = [tokenizer.eos_token_id], [0], [0.0]
            out["prompt_ids"].append(prompt_ids)
            out["completion_ids"].append(completion[:limit])
            out["logprobs"].append(logprobs[:limit])
            out["env_mask"].append(mask[:limit])
            out[REWARD_COLUMN].append(reward)
        return out

    return gymhub_rollout
