"""Rendering conversations with a tokenizer's chat template, and the observation delta.

The runner never re-tokenizes what the policy generated. After each step it renders the
conversation with and without the new observation, checks that the template only appended text,
and tokenizes just the appended part (plus whatever the template writes after the assistant's
end-of-turn token, which the sampler did not produce).

Some real templates are not append-only: Qwen3's drops the reasoning of earlier assistant turns
once a new user turn follows, and others rewrite earlier turns in similar ways. For those the
renderer uses the prefix-preserving training variant that TRL ships for the same template (TRL's
`get_training_chat_template`, when the `trl` extra is installed). A template that only drops the
reasoning of the reply just sent once the observation follows (GLM-4, Nemotron 3, LFM2.5, even
in their training variants) is handled by keeping the sampled ids as they are and rendering the
observation's framing after the reply without its reasoning. A generation prompt that pre-writes
the start of the reply (Nemotron 3's `<think>`) has it put back in front of the reply for
rendering. Anything else that rewrites earlier turns raises `TemplateDriftError`.
"""

from __future__ import annotations

import importlib.util
import re
from typing import Any

from gymhub.errors import GymhubError
from gymhub.types import Message, ToolSpec
from gymhub.verifiers.rm_render import special_token_texts

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: how far back a generation prompt's pre-written start of the reply is looked for
_PREFILL_CHARS = 32


class TemplateDriftError(GymhubError, RuntimeError):
    """The chat template rewrote earlier turns, so token-exact multi-turn is impossible."""


_DRIFT_HINT = (
    "Install the 'trl' extra for the training variants of known templates (Qwen3, Llama 3, "
    "Gemma, GPT-OSS, ...), or pass an append-only chat_template."
)


def message_dict(message: Message) -> dict[str, Any]:
    """A message as the dict chat templates expect (text content; images dropped)."""
    content = message.content
    if (
        type(content) is str
        and message.tool_calls is None
        and message.tool_call_id is None
        and message.name is None
    ):
        return {"role": message.role, "content": content}  # the common case, per step
    data = message.to_openai()
    data["content"] = message.text
    return data


_PROBE_CALL = [{"type": "function", "function": {"name": "probe", "arguments": {"x": 1}}}]
#: conversations whose every prefix must render as a prefix of the whole (what multi-turn needs)
_PROBES: list[list[dict[str, Any]]] = [
    [
        {"role": "user", "content": "question"},
        {"role": "assistant", "content": "<think>\nreasoning\n</think>\n\nreply"},
        {"role": "user", "content": "feedback"},
    ],
    [
        {"role": "user", "content": "question"},
        {"role": "assistant", "content": "", "tool_calls": _PROBE_CALL},
        {"role": "tool", "name": "probe", "content": "result"},
    ],
]


def is_prefix_preserving(tokenizer: Any, chat_template: str | None = None) -> bool:
    """Whether the template renders a conversation's earlier turns the same once a user or tool
    message follows an assistant turn (plain replies, reasoning blocks and tool calls)."""
    for messages in _PROBES:
        try:
            closed = tokenizer.apply_chat_template(
                messages[:2], tokenize=False, chat_template=chat_template
            )
            full = tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=True, chat_template=chat_template
            )
        except Exception:  # a template that cannot render this shape (no tool role): not judged
            continue
        if not full.startswith(closed):
            return False
    return True


def training_chat_template(tokenizer: Any) -> str | None:
    """TRL's prefix-preserving training variant of the tokenizer's chat template (Qwen3/3.5,
    Llama 3, Gemma, GPT-OSS, DeepSeek, GLM, ...), or None when TRL is not installed or does
    not know this template."""
    if importlib.util.find_spec("trl") is None:
        return None
    try:
        from trl.chat_template_utils import get_training_chat_template

        return get_training_chat_template(tokenizer)
    except (ImportError, ValueError):
        return None


def _without_reasoning(message: dict[str, Any]) -> dict[str, Any]:
    """The assistant message with its `<think>...</think>` block (or reasoning field) removed."""
    content = message.get("content")
    out = {k: v for k, v in message.items() if k not in ("reasoning_content", "reasoning")}
    if isinstance(content, str) and "</think>" in content:
        out["content"] = content.split("</think>")[-1].lstrip("\n")
    return out


_AUTO: dict[tuple[int, Any], tuple[Any, str | None]] = {}  # (id, template) -> (tokenizer, choice)


def _auto_template(tokenizer: Any) -> str | None:
    """The `"auto"` choice (None: the tokenizer's own template), worked out once per tokenizer
    and template: probing renders several conversations, and trainer adapters build a renderer
    per sample."""
    key = (id(tokenizer), str(getattr(tokenizer, "chat_template", None)))
    held = _AUTO.get(key)
    if held is not None and held[0] is tokenizer:
        return held[1]
    choice = None if is_prefix_preserving(tokenizer) else training_chat_template(tokenizer)
    if len(_AUTO) >= 64:
        _AUTO.clear()
    _AUTO[key] = (tokenizer, choice)
    return choice


class ChatRenderer:
    """Renders gymhub messages with `tokenizer.apply_chat_template` and tokenizes text pieces.

    `chat_template` overrides the tokenizer's template. By default (`"auto"`) a template that is
    not prefix-preserving is replaced by its training variant when one is known
    (`training_chat_template`); `None` always renders with the tokenizer's own template."""

    def __init__(self, tokenizer: Any, chat_template: str | None = "auto") -> None:
        if getattr(tokenizer, "chat_template", None) is None and chat_template in (None, "auto"):
            raise ValueError("the tokenizer has no chat template")
        self.tokenizer = tokenizer
        eos = tokenizer.eos_token
        if eos is None:
            raise ValueError("the tokenizer has no eos token")
        self.eos_text: str = eos
        if chat_template == "auto":
            chat_template = _auto_template(tokenizer)
        #: the template rendered with (None: the tokenizer's own)
        self.chat_template: str | None = chat_template
        #: texts a tokenizer call turns into special tokens (`<|im_end|>`, `<|im_start|>`, ...)
        self.special_texts: tuple[str, ...] = special_token_texts(tokenizer)

    def render(
        self,
        messages: list[dict[str, Any]],
        tools: list[ToolSpec] | None = None,
        add_generation_prompt: bool = False,
    ) -> str:
        kwargs: dict[str, Any] = {"tokenize": False, "add_generation_prompt": add_generation_prompt}
        if self.chat_template is not None:
            kwargs["chat_template"] = self.chat_template
        if tools:
            kwargs["tools"] = [t.to_openai() for t in tools]
        return self.tokenizer.apply_chat_template(messages, **kwargs)

    def encode(self, text: str) -> list[int]:
        try:
            return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])
        except (TypeError, UnicodeEncodeError):
            # a lone surrogate (an env's text decoded with surrogateescape, say) is no UTF-8, and
            # fast tokenizers refuse it; it is read as U+FFFD, as an invalid byte is
            cleaned = _LONE_SURROGATE.sub("\ufffd", text)
            if cleaned == text:
                raise
            return list(self.tokenizer(cleaned, add_special_tokens=False)["input_ids"])

    def encode_messages(self, text: str, messages: list[dict[str, Any]]) -> list[int]:
        """`encode(text)` for a rendering of `messages`, with their contents tokenized as plain
        text: a web page, a tool's output or an echoed reply that spells `<|im_end|>` or
        `<|im_start|>system` would otherwise become real special tokens, closing the turn and
        forging a new one in the context the policy is trained on. Only the framing the chat
        template writes stays special. Contents without special text take the plain path."""
        specials = self.special_texts
        literal = [
            content
            for message in messages
            if (content := message.get("content")).__class__ is str
            and any(s in content for s in specials)
        ]
        if not literal:
            return self.encode(text)
        ids: list[int] = []
        cursor = 0
        for content in literal:
            at = text.find(content, cursor)
            if at < 0:  # a template that trims contents
                content = content.strip()
                at = text.find(content, cursor) if content else -1
            if at < 0:
                continue
            ids += self.encode(text[cursor:at])
            ids += self._encode_literal(content)
            cursor = at + len(content)
        return ids + self.encode(text[cursor:])

    def _encode_literal(self, text: str) -> list[int]:
        tok = self.tokenizer
        text = _LONE_SURROGATE.sub("\ufffd", text)
        return list(tok(text, add_special_tokens=False, split_special_tokens=True)["input_ids"])

    def decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True)

    def observation_delta(
        self,
        rendered_prompt: str,
        messages_with_action: list[dict[str, Any]],
        observation: list[dict[str, Any]],
        tools: list[ToolSpec] | None,
        sampled_eos: bool,
    ) -> tuple[str, str]:
        """The text to append after the sampled ids, and the new rendered prompt.

        `rendered_prompt` is the text the previous generation was conditioned on (ending with
        the assistant header); `messages_with_action` ends with the assistant message just sent.
        When the generation prompt pre-wrote the start of the reply (Nemotron 3 opens it with
        `<think>`), that message's content is completed in place with the pre-written text, so
        the caller's conversation holds the reply as the model's context had it.
        """
        closed = self.render(messages_with_action, tools)
        if not closed.startswith(rendered_prompt):
            closed = self._with_prefill(rendered_prompt, messages_with_action, tools, closed)
        if not closed.startswith(rendered_prompt):
            raise TemplateDriftError(
                "the chat template rendered earlier turns differently once the assistant reply "
                f"was added; token-exact multi-turn needs an append-only template. {_DRIFT_HINT}"
            )
        full = self.render(messages_with_action + observation, tools, add_generation_prompt=True)
        if full.startswith(closed):
            assistant_part, framing = closed[len(rendered_prompt) :], full[len(closed) :]
        else:
            # A template that drops the reasoning of an assistant turn once a user turn follows
            # (GLM-4, Nemotron 3, LFM2.5): the sampled ids keep the reasoning exactly as
            # generated; only the framing after the reply is needed, and it renders the same
            # for the reply without its reasoning, which such a template keeps stable. The next
            # prompt is `full`: the template's own rendering of the earlier turns.
            bare = messages_with_action[:-1] + [_without_reasoning(messages_with_action[-1])]
            closed_bare = self.render(bare, tools)
            full_bare = self.render(bare + observation, tools, add_generation_prompt=True)
            framing = full_bare[len(closed_bare) :]
            if not full_bare.startswith(closed_bare) or not full.endswith(framing):
                raise TemplateDriftError(
                    "the chat template rewrote the conversation when the observation was "
                    f"appended (e.g. it drops earlier reasoning). {_DRIFT_HINT}"
                )
            assistant_part = closed_bare
        cut = assistant_part.rfind(self.eos_text)
        closing = assistant_part[cut:] if cut >= 0 else ""
        if sampled_eos and closing.startswith(self.eos_text):
            closing = closing[len(self.eos_text) :]
        return closing + framing, full

    def _with_prefill(
        self,
        rendered_prompt: str,
        messages_with_action: list[dict[str, Any]],
        tools: list[ToolSpec] | None,
        closed: str,
    ) -> str:
        """`closed` rendered with the reply's content prefixed by the tag the generation prompt
        ended with (`<think>` and its newline), when that makes it continue the prompt; the
        reply message is updated in place. Otherwise `closed` as given."""
        reply = messages_with_action[-1]
        content = reply.get("content")
        if not isinstance(content, str):
            return closed
        tail = rendered_prompt[-_PREFILL_CHARS:]
        for at in range(len(tail) - 1, -1, -1):  # the shortest tag-opened suffix first
            if tail[at] != "<" or content.startswith(tail[at:]):
                continue
            prefilled = {**reply, "content": tail[at:] + content}
            candidate = self.render([*messages_with_action[:-1], prefilled], tools)
            if candidate.startswith(rendered_prompt):
                messages_with_action[-1] = prefilled
                return candidate
        return closed
