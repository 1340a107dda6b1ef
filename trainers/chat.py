"""Rendering conversations with a tokenizer's chat template, and the observation delta.

The runner never re-tokenizes what the policy generated. After each step it renders the
conversation with and without the new observation, checks that the template only appended text,
and tokenizes just the appended part (plus whatever the template writes after the assistant's
end-of-turn token, which the sampler did not produce).
"""

from __future__ import annotations

from typing import Any

from gymhub.errors import GymhubError
from gymhub.types import Message, ToolSpec


class TemplateDriftError(GymhubError, RuntimeError):
    """The chat template rewrote earlier turns, so token-exact multi-turn is impossible."""


def message_dict(message: Message) -> dict[str, Any]:
    """A message as the dict chat templates expect (text content; images dropped)."""
    data = message.to_openai()
    data["content"] = message.text
    return data


class ChatRenderer:
    """Renders gymhub messages with `tokenizer.apply_chat_template` and tokenizes text pieces."""

    def __init__(self, tokenizer: Any) -> None:
        if getattr(tokenizer, "chat_template", None) is None:
            raise ValueError("the tokenizer has no chat template")
        self.tokenizer = tokenizer
        eos = tokenizer.eos_token
        if eos is None:
            raise ValueError("the tokenizer has no eos token")
        self.eos_text: str = eos

    def render(
        self,
        messages: list[dict[str, Any]],
        tools: list[ToolSpec] | None = None,
        add_generation_prompt: bool = False,
    ) -> str:
        kwargs: dict[str, Any] = {"tokenize": False, "add_generation_prompt": add_generation_prompt}
        if tools:
            kwargs["tools"] = [t.to_openai() for t in tools]
        return self.tokenizer.apply_chat_template(messages, **kwargs)

    def encode(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

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
        """
        closed = self.render(messages_with_action, tools)
        full = self.render(messages_with_action + observation, tools, add_generation_prompt=True)
        if not closed.startswith(rendered_prompt):
            raise TemplateDriftError(
                "the chat template rendered earlier turns differently once the assistant reply "
                "was added; token-exact multi-turn needs an append-only template"
            )
        if not full.startswith(closed):
            raise TemplateDriftError(
                "the chat template rewrote the conversation when the observation was appended"
            )
        assistant_part = closed[len(rendered_prompt) :]
        cut = assistant_part.rfind(self.eos_text)
        closing = assistant_part[cut:] if cut >= 0 else ""
        if sampled_eos and closing.startswith(self.eos_text):
            closing = closing[len(self.eos_text) :]
        return closing + full[len(closed) :], full
