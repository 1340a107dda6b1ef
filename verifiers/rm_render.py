"""Fast rendering of (user prompt, response) conversations for reward models.

A chat template renders through jinja in about 0.1 ms, and the reward model needs two renders a
conversation (the whole of it, and the prompt alone to know where the response starts): at
batch sizes where the model itself costs well under a millisecond a conversation, rendering was
a third of `RewardModelVerifier.verify_batch`. Most templates copy a message's content into the
output verbatim, so the output for any prompt and response is one rendering with two sentinel
strings in their places, with the real texts substituted. A template may instead transform
content (strip it, drop reasoning blocks, branch on what it contains): each tokenizer is
probed once with texts that such templates treat specially, and only one that renders every
probe exactly as the substitution predicts gets the fast path; the others render each
conversation. Only a string prompt (one user turn) takes the fast path.
"""

from __future__ import annotations

import weakref
from typing import Any


def special_token_texts(tokenizer: Any) -> tuple[str, ...]:
    """The texts a tokenizer call turns into special tokens (`<|im_end|>`, `</s>`, ...): a
    policy's or an env's text that spells one must be tokenized with them split into plain text."""
    decoder = getattr(tokenizer, "added_tokens_decoder", None) or {}
    texts = {t.content for t in decoder.values() if getattr(t, "special", False)}
    texts.update(getattr(tokenizer, "all_special_tokens", None) or [])
    return tuple(sorted(t for t in texts if t))


_PROMPT = "\ue000gymhub-prompt\ue001"
_RESPONSE = "\ue000gymhub-response\ue001"
# texts that templates are known to treat specially: edge white space, reasoning and tool-call
# tags, jinja syntax, escapes, an empty string, other scripts
PROBES = (
    ("What is 2+2?", "4"),
    ("  leading and trailing  \n", "\n  spaced answer \n\n"),
    ("", ""),
    ("{{ x }} {% if %} {# c #}", "<think>reasoning</think>The answer is 4."),
    ('<tool_call>{"name": "f"}</tool_call>', "</think>only a closing tag"),
    ("quotes ' \" and \\ backslash", "<|im_end|> <|endoftext|> [INST] </s>"),
    ("数学 Ünïcödé ✓", "multi\nline\n\nanswer"),
)


class _Skeleton:
    def __init__(self, full: str, head_len: int) -> None:
        self.full = full
        self.head_len = head_len

    def render(self, prompt: str, response: str) -> tuple[str, int]:
        head = self.full[: self.head_len].replace(_PROMPT, prompt)
        tail = self.full[self.head_len :].replace(_RESPONSE, response)
        return head + tail, len(head)


_CACHE: weakref.WeakKeyDictionary[Any, tuple[str, _Skeleton | None]] = weakref.WeakKeyDictionary()


def template_render(
    tokenizer: Any, messages: list[dict[str, Any]], response: str
) -> tuple[str, str]:
    """The whole conversation with `response` as the assistant's turn, and the prompt alone
    up to the assistant's opening, as the chat template renders them (two jinja renders)."""
    full = tokenizer.apply_chat_template(
        [*messages, {"role": "assistant", "content": response}], tokenize=False
    )
    head = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return full, head


def _render_slow(tokenizer: Any, prompt: str, response: str) -> tuple[str, int] | None:
    full, head = template_render(tokenizer, [{"role": "user", "content": prompt}], response)
    return (full, len(head)) if full.startswith(head) else None


def _build(tokenizer: Any) -> _Skeleton | None:
    try:
        sketch = _render_slow(tokenizer, _PROMPT, _RESPONSE)
    except Exception:  # a template that refuses the sentinels: render each conversation
        return None
    if sketch is None:
        return None
    full, head_len = sketch
    head, tail = full[:head_len], full[head_len:]
    if head.count(_PROMPT) != 1 or _RESPONSE in head or tail.count(_RESPONSE) != 1:
        return None
    if _PROMPT in tail:
        return None
    skeleton = _Skeleton(full, head_len)
    for prompt, response in PROBES:
        try:
            if _render_slow(tokenizer, prompt, response) != skeleton.render(prompt, response):
                return None
        except Exception:
            return None
    return skeleton


def skeleton_for(tokenizer: Any) -> _Skeleton | None:
    """The fast renderer of `tokenizer`'s chat template, or None where it does not apply
    (probed once per tokenizer object and its template)."""
    template = getattr(tokenizer, "chat_template", None)
    if not isinstance(template, str) or not template:
        return None
    try:
        entry = _CACHE.get(tokenizer)
    except TypeError:  # not weak-referenceable: probe each time
        entry = None
    if entry is not None and entry[0] == template:
        return entry[1]
    skeleton = _build(tokenizer)
    try:
        _CACHE[tokenizer] = (template, skeleton)
    except TypeError:
        pass
    return skeleton
