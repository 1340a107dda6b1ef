"""Real models' chat templates in the token-exact runner (templates shipped inside the installed
trl package: no download), and tool schemas as transformers writes them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

from tests.conftest import require


def _template(name: str) -> str:
    require(_has("trl"), "the 'trl' package (pip install 'gymhub[trl]')")
    import trl

    return (Path(trl.__file__).parent / "chat_templates" / f"{name}.jinja").read_text()


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


class _Scripted:
    """A generation backend that replies with fixed texts (the runner and template stay real)."""

    def __init__(self, tokenizer, replies):
        self.tokenizer, self.replies, self.calls = tokenizer, replies, 0

    def generate(self, prompts, params):
        from gymhub.trainers.backends import Generation

        text = self.replies[min(self.calls, len(self.replies) - 1)]
        self.calls += 1
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        return [Generation(list(ids), [-1.0] * len(ids), "stop") for _ in prompts]

    def sync_weights(self, model):
        pass


def _qwen3_tokenizer():
    from gymhub.trainers.tiny import build_tiny_tokenizer

    tokenizer = build_tiny_tokenizer()  # ChatML tokens, as Qwen's
    tokenizer.chat_template = _template("qwen3")
    return tokenizer


def _run(tokenizer, chat_template):
    replies = [
        "<think>\nlow end\n</think>\n\n1<|im_end|>",
        "<think>\nnext\n</think>\n\n2<|im_end|>",
    ]
    return _run_replies(tokenizer, replies, chat_template)


def _run_replies(tokenizer, replies, chat_template="auto"):
    import gymhub
    from gymhub.trainers.backends import SamplingParams
    from gymhub.trainers.runner import EpisodeRunner, EpisodeSpec

    runner = EpisodeRunner(
        _Scripted(tokenizer, replies),
        tokenizer,
        SamplingParams(max_new_tokens=64),
        max_turns=2,
        chat_template=chat_template,
    )
    env = gymhub.make("gymhub/GuessNumber-v0", difficulty=3)
    return runner.run([EpisodeSpec(env=env, seed=5)])[0]


def test_qwen3_template_drops_reasoning_so_it_is_refused_as_is():
    from gymhub.trainers.chat import TemplateDriftError, is_prefix_preserving

    tokenizer = _qwen3_tokenizer()
    assert not is_prefix_preserving(tokenizer)
    with pytest.raises(TemplateDriftError, match="trl"):
        _run(tokenizer, chat_template=None)


def test_qwen3_multi_turn_runs_token_exact_with_the_training_variant():
    from gymhub.trainers.chat import ChatRenderer, is_prefix_preserving

    tokenizer = _qwen3_tokenizer()
    renderer = ChatRenderer(tokenizer)
    assert renderer.chat_template is not None
    assert is_prefix_preserving(tokenizer, renderer.chat_template)
    episode = _run(tokenizer, chat_template="auto")
    assert not episode.infra_error and episode.num_turns == 2
    ids, mask = episode.completion_ids, episode.loss_mask
    first = tokenizer("<think>\nlow end\n</think>\n\n1<|im_end|>", add_special_tokens=False)
    n = len(first["input_ids"])
    assert ids[:n] == first["input_ids"] and mask[:n] == [1] * n  # sampled ids kept as sampled
    env_part = [i for i, m in zip(ids, mask) if m == 0]
    assert tokenizer.decode(env_part) == (
        "\n<|im_start|>user\n1 is too low: the number is higher.<|im_end|>\n<|im_start|>assistant\n"
    )
    # the whole sequence is the training template's rendering of the conversation
    messages = [{"role": m.role, "content": m.text} for m in episode.messages]
    rendered = tokenizer.apply_chat_template(
        messages[:-1], tokenize=False, chat_template=renderer.chat_template
    )
    text = tokenizer.decode(episode.prompt_ids + ids)
    assert rendered.startswith(text.removesuffix("<|im_end|>"))


@pytest.mark.parametrize(
    "name", ["nemotron_3_nano", "nemotron_3_super", "nemotron_3_ultra", "nemotron_3_5_lightning"]
)
def test_nemotron_multi_turn_runs_token_exact_with_its_prefilled_think(name):
    """Nemotron 3's generation prompt pre-writes `<think>` and its closed turns render the
    reasoning differently: the sampled ids are kept as sampled, the env's part is the framing the
    template writes, and the conversation holds each reply as the model's context had it."""
    from gymhub.trainers.tiny import build_tiny_tokenizer

    tokenizer = build_tiny_tokenizer()
    tokenizer.chat_template = _template(name)
    replies = ["low end\n</think>\n1<|im_end|>", "next\n</think>\n2<|im_end|>"]
    episode = _run_replies(tokenizer, replies)
    assert not episode.infra_error and episode.num_turns == 2
    assert episode.truncation != "template"
    ids, mask = episode.completion_ids, episode.loss_mask
    first = tokenizer(replies[0], add_special_tokens=False)["input_ids"]
    assert ids[: len(first)] == first and mask[: len(first)] == [1] * len(first)
    env_part = [i for i, m in zip(ids, mask) if m == 0]
    assert tokenizer.decode(env_part) == (
        "\n<|im_start|>user\n1 is too low: the number is higher.<|im_end|>\n"
        "<|im_start|>assistant\n<think>\n"
    )
    assert tokenizer.decode(episode.prompt_ids).endswith("<|im_start|>assistant\n<think>\n")
    # the env read the reply without its reasoning: 1 was the guess, then 2
    assert [m.text for m in episode.messages if m.role == "user"][1:] == [
        "1 is too low: the number is higher.",
        "2 is too low: the number is higher.",
    ]


def test_gpt_oss_is_still_refused_with_a_clear_error():
    """GPT-OSS rewrites the sampled `<|return|>` to `<|end|>` in later turns: refused, not
    trained on tokens the model did not produce."""
    from gymhub.trainers.chat import TemplateDriftError
    from gymhub.trainers.tiny import build_tiny_tokenizer

    tokenizer = build_tiny_tokenizer()
    tokens = ["<|start|>", "<|end|>", "<|message|>", "<|channel|>", "<|return|>", "<|call|>"]
    tokenizer.add_special_tokens({"additional_special_tokens": tokens})
    tokenizer.eos_token = "<|return|>"
    tokenizer.chat_template = _template("gptoss")
    with pytest.raises(TemplateDriftError, match="rewrote the conversation"):
        _run_replies(tokenizer, ["<|channel|>final<|message|>1<|return|>"])


@pytest.mark.parametrize(
    "name",
    ["qwen3", "qwen3_5_think", "qwen3_5_nothink", "qwen3_6", "qwen2_5", "llama3_1", "gemma3"],
)
def test_shipped_templates_render_prefix_preserving(name):
    """Each shipped template, or its training variant, keeps earlier turns as they were."""
    from gymhub.trainers.chat import ChatRenderer, is_prefix_preserving
    from gymhub.trainers.tiny import build_tiny_tokenizer

    tokenizer = build_tiny_tokenizer()
    tokenizer.chat_template = _template(name)
    renderer = ChatRenderer(tokenizer)
    assert is_prefix_preserving(tokenizer, renderer.chat_template)


def _tools():
    def convert(value: float, unit: Literal["m", "km"], precise: bool = False) -> float:
        """Convert a length.

        A second paragraph of the description.

        Args:
            value: the quantity to convert,
                over two lines
            unit: the target unit
            precise: keep every digit
        """
        return value

    def search(query: str, limit: int | None = None, tags: list[str] | None = None) -> str:
        """Search the notes.

        Args:
            query: what to look for
            limit: at most this many hits
            tags: only notes with these tags (choices: ["a", "b"])
        """
        return query

    def lookup(table: dict[str, int], key: tuple[str, int]) -> str:
        """Look a key up.

        Args:
            table: the table
            key: the key

        Returns:
            the value
        """
        return ""

    return [convert, search, lookup]


@pytest.mark.parametrize("fn", _tools(), ids=lambda f: f.__name__)
def test_tool_spec_matches_transformers_get_json_schema(fn):
    require(_has("transformers"), "transformers (pip install 'gymhub[train]')")
    from transformers.utils import get_json_schema

    from gymhub.tools import tool_spec

    expected = get_json_schema(fn)["function"]
    spec = tool_spec(fn)
    assert spec.name == expected["name"]
    assert spec.description == expected["description"]
    assert spec.parameters == expected["parameters"]
