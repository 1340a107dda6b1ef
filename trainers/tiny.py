"""The embedded `tiny` policy: a small Qwen2-shaped model and a character-level tokenizer, both
built locally so that tests, CI and the demo never download anything.

The tokenizer has one token per printable ASCII character plus ChatML-style special tokens, and a
chat template (with tool support) in the same shape as real instruct models, so the token-exact
runner is exercised exactly as it would be with a Hugging Face checkpoint.
"""

from __future__ import annotations

from typing import Any

PAD, UNK, BOS_TURN, EOS_TURN = "<|pad|>", "<|unk|>", "<|im_start|>", "<|im_end|>"
SPECIAL_TOKENS = [PAD, UNK, BOS_TURN, EOS_TURN]
CHARS = ["\n", "\t"] + [chr(c) for c in range(32, 127)]

# ChatML-like: <|im_start|>role\ncontent<|im_end|>\n. Tools go in a leading system block; tool
# calls of assistant messages are rendered as <tool_call>{json}</tool_call> text.
CHAT_TEMPLATE = (
    "{% if tools %}<|im_start|>system\nTools: {{ tools | tojson }}<|im_end|>\n{% endif %}"
    "{% for message in messages %}"
    "<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% elif message['content'] %}{% for part in message['content'] %}"
    "{% if part['type'] == 'text' %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}"
    "{% if message.get('tool_calls') %}{% for call in message['tool_calls'] %}"
    '<tool_call>{"name": "{{ call["function"]["name"] }}", "arguments": '
    '{{ call["function"]["arguments"] if call["function"]["arguments"] is string '
    'else call["function"]["arguments"] | tojson }}}</tool_call>{% endfor %}{% endif %}'
    "<|im_end|>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

# How transformers' `tokenizer.parse_response` reads a reply of the template above back into a
# message (`content` and `tool_calls`). Saved by `save_pretrained` (tokenizer_config.json), so a
# saved tiny directory works in trainers that parse tool calls themselves (TRL's tool loop).
RESPONSE_TEMPLATE: dict[str, Any] = {
    "defaults": {"role": "assistant"},
    "start_anchor": f"{BOS_TURN}assistant\n",
    "fields": {
        "tool_calls": {
            "open": "<tool_call>",
            "close_pattern": r"</tool_call>\s*",
            "repeats": True,
            "content": "json",
            "transform": {"type": "function", "function": "{content}"},
        },
        "content": {"close_pattern": r"<\|im_end\|>\s*", "content": "text"},
    },
}


# GPT-2's byte-to-symbol table for the bytes of CHARS: printable ASCII stands for itself, the
# space, tab and newline are shifted past 255 (the symbols byte-level BPE vocabularies use).
def _byte_symbol(char: str) -> str:
    code = ord(char)
    return char if 33 <= code <= 126 else chr(256 + code)


# Qwen2's pre-tokenizer split (the same one `Qwen2Tokenizer` installs when it loads a saved
# Qwen2 checkpoint); with no merges it does not change the ids, only where words break.
_QWEN2_SPLIT = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|"""
    r"""\s*[\r\n]+|\s+(?!\S)|\s+"""
)


def build_tiny_tokenizer() -> Any:
    """A character-level `PreTrainedTokenizerFast` with a chat template and a response template
    (tool-call parsing); no download.

    It is a byte-level BPE without merges (one token per character, ids in the order of
    SPECIAL_TOKENS + CHARS): a directory saved with `save_pretrained` next to the tiny Qwen2
    model loads back through `AutoTokenizer` as a `Qwen2Tokenizer` that encodes and decodes
    exactly the same ids, which is what outside trainers (TRL) load from a model path."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {tok: i for i, tok in enumerate(SPECIAL_TOKENS + [_byte_symbol(c) for c in CHARS])}
    core = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token=UNK))
    core.normalizer = normalizers.NFC()
    core.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(_QWEN2_SPLIT), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    core.decoder = decoders.ByteLevel()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        pad_token=PAD,
        unk_token=UNK,
        eos_token=EOS_TURN,
        additional_special_tokens=[BOS_TURN],
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.response_template = RESPONSE_TEMPLATE
    tokenizer.padding_side = "left"
    return tokenizer


TINY_DEFAULTS: dict[str, Any] = {
    "hidden_size": 64,
    "intermediate_size": 256,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 2048,
    "tie_word_embeddings": True,
    "rope_theta": 10000.0,
}


def build_tiny_model(tokenizer: Any, seed: int = 0, **overrides: Any) -> Any:
    """A randomly initialised Qwen2ForCausalLM sized for 2 CPU cores (about 0.1M parameters)."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    settings = {**TINY_DEFAULTS, **overrides}
    vocab_size = max(int(settings.pop("vocab_size", 0)), len(tokenizer))
    config = Qwen2Config(
        vocab_size=vocab_size,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
        **settings,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Qwen2ForCausalLM(config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.bos_token_id = None
    return model


QWEN25_05B_SHAPE: dict[str, Any] = {
    "hidden_size": 896,
    "intermediate_size": 4864,
    "num_hidden_layers": 24,
    "num_attention_heads": 14,
    "num_key_value_heads": 2,
    "max_position_embeddings": 32768,
    "tie_word_embeddings": True,
    "rope_theta": 1000000.0,
}


def load_model_and_tokenizer(
    name: str, *, seed: int = 0, dtype: Any = None, model_overrides: dict[str, Any] | None = None
) -> tuple[Any, Any]:
    """`"tiny"` (built here), `"qwen2.5-0.5b-shape"` (random init, for GPU benchmarks, with the
    tiny tokenizer padded to Qwen's vocabulary size) or a local/HF path for `from_pretrained`."""
    overrides = dict(model_overrides or {})
    if name == "tiny":
        tokenizer = build_tiny_tokenizer()
        model = build_tiny_model(tokenizer, seed=seed, **overrides)
    elif name == "qwen2.5-0.5b-shape":
        tokenizer = build_tiny_tokenizer()
        model = build_tiny_model(
            tokenizer, seed=seed, **{**QWEN25_05B_SHAPE, "vocab_size": 151936, **overrides}
        )
    else:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(name)
        model = AutoModelForCausalLM.from_pretrained(name, dtype=dtype or "auto", **overrides)
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        if tokenizer.chat_template is None:
            raise ValueError(f"tokenizer of {name!r} has no chat template; the runner needs one")
    tokenizer.padding_side = "left"
    if dtype is not None:
        model = model.to(dtype)
    return model, tokenizer
