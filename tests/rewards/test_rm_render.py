"""The reward model's fast conversation rendering equals the chat template's own, and templates
that transform message content keep rendering each conversation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gymhub.trainers.tiny import build_tiny_tokenizer
from gymhub.verifiers.reward_model import render_conversation
from gymhub.verifiers.rm_render import skeleton_for

TOKENIZER = build_tiny_tokenizer()


def slow(tokenizer, prompt, response):
    user = [{"role": "user", "content": prompt}]
    full = tokenizer.apply_chat_template(
        [*user, {"role": "assistant", "content": response}], tokenize=False
    )
    head = tokenizer.apply_chat_template(user, tokenize=False, add_generation_prompt=True)
    return full, len(head)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_fast_rendering_equals_the_template(prompt, response):
    assert skeleton_for(TOKENIZER) is not None
    assert render_conversation(TOKENIZER, prompt, response) == slow(TOKENIZER, prompt, response)


def test_templates_that_transform_content_are_rendered_each_time():
    stripping = build_tiny_tokenizer()
    stripping.chat_template = (
        "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] | trim }}\n{% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>{% endif %}"
    )
    assert skeleton_for(stripping) is None
    text, start = render_conversation(stripping, "  hi  ", "  there ")
    assert (text, start) == slow(stripping, "  hi  ", "  there ")
    thinking = build_tiny_tokenizer()
    thinking.chat_template = (
        "{% for m in messages %}<|{{ m['role'] }}|>"
        "{{ m['content'].split('</think>')[-1] }}\n{% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>{% endif %}"
    )
    assert skeleton_for(thinking) is None
    # a changed template is probed again
    thinking.chat_template = TOKENIZER.chat_template
    assert skeleton_for(thinking) is not None
