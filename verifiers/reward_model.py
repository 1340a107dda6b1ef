"""`RewardModelVerifier`: a Hugging Face sequence-classification reward model as a verifier.

The raw score of the model is kept in `components["rm_score"]`; the reward is that score after
optional shaping (centring on a baseline or on the reference response's score, a sigmoid that
bounds it, a length penalty and clipping), because unbounded, uncentred learned rewards are the
ones policies hack first. Overlong inputs lose the left of the prompt, never the response: a
response that does not fit alone is reported (`unparseable`), not silently cut.

torch and transformers load lazily, on construction.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gymhub.tools import encodable
from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.rm_batching import (
    ACCELERATOR_BATCH_TOKENS,
    CPU_BATCH_TOKENS,
    is_causal_decoder,
    padded_ids,
    plan_batches,
)
from gymhub.verifiers.rm_render import skeleton_for, special_token_texts, template_render

PromptLike = str | Sequence[Any] | None
log = logging.getLogger("gymhub.reward_model")

# scored for the same prompt when the model gives a response a non-finite score: if this gets a
# finite one, the response broke the model (the policy's doing), else the model is failing
CONTROL_RESPONSE = "I do not know the answer."


@dataclass(frozen=True)
class RewardShaping:
    """How a raw reward-model score becomes the reward.

    reward = clip(squash((score - centre) / temperature) - length_penalty * response_tokens)

    - `center`: a number, or `"reference"` to centre on the score of the reference response for
      the same prompt (the "preference as reward" form: how much better than the reference).
    - `sigmoid`: squash into (0, 1) (bounded rewards are harder to over-optimise).
    - `length_penalty`: subtracted per response token (verbosity is the classic RM hack).
    - `clip`: final (low, high) bounds.
    - `floor`: the reward of a non-answer (empty, gated, or too long to score). By default the
      lowest reward the shaping can give an answer (`lowest`), so that no answer scores below
      saying nothing; set it when the shaping has no lower bound.
    """

    center: float | str = 0.0
    sigmoid: bool = False
    temperature: float = 1.0
    length_penalty: float = 0.0
    clip: tuple[float, float] | None = None
    floor: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.center, str) and self.center != "reference":
            raise ValueError(f"center must be a number or 'reference', got {self.center!r}")
        if not isinstance(self.center, str) and not math.isfinite(float(self.center)):
            raise ValueError("center must be finite")
        # NaN passed the old `< 0` checks and made every reward NaN (each verify then raised)
        if not 0 < self.temperature < math.inf:
            raise ValueError(f"temperature must be finite and > 0, got {self.temperature!r}")
        if not 0 <= self.length_penalty < math.inf:
            raise ValueError(f"length_penalty must be finite and >= 0, got {self.length_penalty!r}")
        if self.clip is not None:
            low, high = self.clip
            if not low < high:
                raise ValueError(f"clip must be (low, high) with low < high, got {self.clip!r}")
        if self.floor is not None and not math.isfinite(float(self.floor)):
            raise ValueError(f"floor must be finite, got {self.floor!r}")

    @classmethod
    def coerce(cls, value: RewardShaping | dict[str, Any] | None) -> RewardShaping | None:
        if value is None or isinstance(value, RewardShaping):
            return value
        if isinstance(value, dict):
            unknown = set(value) - {f for f in cls.__dataclass_fields__}
            if unknown:
                raise ValueError(f"unknown shaping options {sorted(unknown)}")
            data = dict(value)
            if data.get("clip") is not None:
                data["clip"] = tuple(data["clip"])
            return cls(**data)
        raise TypeError(f"shaping must be a RewardShaping, a dict or None, got {type(value)}")

    def lowest(self, max_tokens: int) -> float | None:
        """The lowest reward this shaping gives a response of at most `max_tokens` tokens (what
        a non-answer gets unless `floor` is set); None when nothing bounds it from below."""
        if self.floor is not None:
            return float(self.floor)
        if self.clip is not None:
            return self.clip[0]
        if self.sigmoid:  # the sigmoid is above 0; the length penalty is subtracted after it
            return -self.length_penalty * max_tokens or 0.0  # 0.0, not -0.0, without a penalty
        return None

    def apply(
        self, score: float, baseline: float | None, response_tokens: int
    ) -> tuple[float, dict[str, float]]:
        centre = baseline if self.center == "reference" else float(self.center)
        value = (score - (centre or 0.0)) / self.temperature
        components = {"rm_centered": value}
        if self.sigmoid:
            value = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, value))))
        penalty = self.length_penalty * response_tokens
        if penalty:
            components["length_penalty"] = penalty
        value -= penalty
        if self.clip is not None:
            value = min(self.clip[1], max(self.clip[0], value))
        return value, components


def _messages(prompt: PromptLike) -> list[dict[str, Any]]:
    """The prompt as chat-template dicts: a string prompt is one user turn."""
    if prompt is None:
        messages: list[dict[str, Any]] = []
    elif isinstance(prompt, str):
        messages = [{"role": "user", "content": prompt}]
    elif isinstance(prompt, Sequence):
        messages = []
        for m in prompt:
            if hasattr(m, "model_dump"):
                m = m.model_dump(exclude_none=True)
            if not isinstance(m, dict) or not isinstance(m.get("role"), str):
                raise ValueError(f"prompt messages must be dicts with a string 'role', got {m!r}")
            content = m.get("content")
            if content is not None and not isinstance(content, str):
                raise ValueError(
                    f"prompt message content must be a string, got {type(content).__name__}"
                )
            # a lone surrogate (an earlier turn of the policy's) is U+FFFD to the tokenizer
            messages.append({"role": encodable(m["role"]), "content": encodable(content or "")})
    else:
        raise TypeError(f"prompt must be a string or a list of messages, got {type(prompt)}")
    return messages


def literal_turns(prompt: PromptLike, specials: Sequence[str]) -> PromptLike:
    """A message-list `prompt` with the special-token text in its contents (`<|im_end|>` typed
    in an earlier turn, which can be the policy's) broken by a zero-width space after its first
    character, so the tokenizer reads it as text and it cannot close a turn or forge one. A
    string prompt (one user turn of the env's) is returned as is."""
    if prompt is None or isinstance(prompt, str):
        return prompt
    messages = _messages(prompt)
    marks = sorted((t for t in specials if len(t) > 1), key=len, reverse=True)
    if not any(t in m["content"] for m in messages for t in marks):
        return prompt
    out = []
    for m in messages:
        content = m["content"]
        for t in marks:
            if t in content:
                content = content.replace(t, t[0] + "\u200b" + t[1:])
        out.append({**m, "content": content})
    return out


def _check_texts(texts: Sequence[str], starts: Sequence[int]) -> None:
    """Rendered texts and where their responses start: one start per text, within it."""
    if len(texts) != len(starts):
        raise ValueError(f"got {len(texts)} texts and {len(starts)} starts")
    for text, start in zip(texts, starts):
        if not isinstance(text, str):
            raise TypeError(f"texts must be strings, got {type(text).__name__}")
        if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start <= len(text):
            raise ValueError(f"start {start!r} is not an offset in a text of {len(text)} chars")


def render_conversation(tokenizer: Any, prompt: PromptLike, response: str) -> tuple[str, int]:
    """The text the reward model reads and the character offset where the response starts.

    Uses the tokenizer's chat template; without one, a plain `role: content` transcript."""
    if isinstance(prompt, str) and isinstance(response, str):
        skeleton = skeleton_for(tokenizer)  # one jinja render per tokenizer, not two per call
        if skeleton is not None:
            return skeleton.render(prompt, response)
    if getattr(tokenizer, "chat_template", None):
        full, head = template_render(tokenizer, _messages(prompt), response)
        if full.startswith(head):
            return full, len(head)
        return full, max(0, full.rfind(response)) if response else len(full)
    messages = _messages(prompt)
    turns = isinstance(prompt, str) or len(messages) <= 1  # one user turn: the env's, as given
    lines = [
        f"{m['role'].capitalize()}: {m['content'] if turns else _literal_roles(m['content'])}"
        for m in messages
    ]
    head = "\n\n".join(lines + ["Assistant: "])
    return head + _literal_roles(response), len(head)


# a line of the plain transcript that opens a turn: `User:`, `Assistant:` (or another role)
_ROLE_LINE = re.compile(r"(?im)^([ \t]*)(user|assistant|system|human|tool)([ \t]*:)")


def _literal_roles(text: str) -> str:
    """`text` with the role labels that open its lines broken by a zero-width space: in the
    plain `User: ... Assistant: ...` transcript a response that wrote `\n\nUser: ...\n\nAssistant:
    ...` forged turns of its own (the reward model then scored the forged last turn)."""
    return _ROLE_LINE.sub(
        lambda m: m.group(1) + m.group(2)[0] + "\u200b" + m.group(2)[1:] + m.group(3), text
    )


def longest_token_chars(tokenizer: Any) -> int:
    """Characters in the tokenizer's longest ordinary token (0 when its vocabulary cannot be
    read): text of N characters is at least N / this many tokens. Special tokens do not count:
    a response that spells one is tokenized with it split into plain text."""
    try:
        vocab = tokenizer.get_vocab()
    except Exception:  # a tokenizer without a readable vocabulary: never shortcut
        return 0
    specials = set(special_token_texts(tokenizer))
    return max((len(t) for t in vocab if t not in specials), default=0)


class PromptedVerifier(Verifier):
    """A verifier that reads the prompt (`verify(response, reference=None, prompt=...)`) and
    scores in batches: subclasses implement `score_batch` on checked, equal-length lists."""

    def verify(
        self, response: str, reference: Any = None, *, prompt: PromptLike = None, **context: Any
    ) -> Verdict:
        return self.verify_batch([response], [reference], prompts=[prompt])[0]

    def verify_batch(
        self,
        responses: Sequence[str],
        references: Sequence[Any] | None = None,
        *,
        prompts: Sequence[PromptLike] | None = None,
        prompt: PromptLike = None,
        **context: Any,
    ) -> list[Verdict]:
        """Score many responses at once. `prompts` gives one prompt per response; `prompt` one
        for all."""
        responses = list(responses)
        for r in responses:
            if not isinstance(r, str):
                raise TypeError(f"response must be a str, got {type(r).__name__}")
        references = [None] * len(responses) if references is None else list(references)
        prompts = [prompt] * len(responses) if prompts is None else list(prompts)
        if not len(references) == len(prompts) == len(responses):
            raise ValueError(
                f"verify_batch got {len(responses)} responses, {len(references)} references "
                f"and {len(prompts)} prompts"
            )
        return self.score_batch(responses, references, prompts)

    def score_batch(
        self, responses: list[str], references: list[Any], prompts: list[PromptLike]
    ) -> list[Verdict]:
        raise NotImplementedError


class RewardModelVerifier(PromptedVerifier):
    """Scores `(prompt, response)` with an `AutoModelForSequenceClassification` checkpoint that
    has one output (a local path, a hub id or an already-loaded model with `tokenizer=`)."""

    name = "reward_model"
    version = "1"

    def __init__(
        self,
        model: Any,
        *,
        tokenizer: Any = None,
        device: str | None = None,
        dtype: Any = None,
        batch_size: int = 16,
        max_length: int = 2048,
        shaping: RewardShaping | dict[str, Any] | None = None,
        pass_threshold: float | None = None,
        reference_cache_size: int = 4096,
        max_batch_tokens: int | None = None,
    ) -> None:
        import torch

        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if not isinstance(max_length, int) or max_length < 8:
            raise ValueError(f"max_length must be an integer >= 8, got {max_length!r}")
        if max_batch_tokens is not None and (
            not isinstance(max_batch_tokens, int) or max_batch_tokens < 1
        ):
            raise ValueError(
                f"max_batch_tokens must be a positive integer, got {max_batch_tokens!r}"
            )
        self.shaping = RewardShaping.coerce(shaping)
        if pass_threshold is not None and not math.isfinite(pass_threshold):
            raise ValueError(f"pass_threshold must be finite, got {pass_threshold!r}")
        self.pass_threshold = pass_threshold
        self.batch_size = batch_size
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        if max_batch_tokens is None:
            cpu = self.device.type == "cpu"
            max_batch_tokens = CPU_BATCH_TOKENS if cpu else ACCELERATOR_BATCH_TOKENS
        self.max_batch_tokens = max_batch_tokens
        if dtype is None and self.device.type == "cuda" and torch.cuda.is_bf16_supported():
            dtype = torch.bfloat16
        self.model, self.tokenizer = self._load(model, tokenizer, dtype)
        self.model.to(self.device).eval()
        context = getattr(self.model.config, "max_position_embeddings", None) or max_length
        self.max_length = min(max_length, int(context))
        self.model_name = model if isinstance(model, str) else type(self.model).__name__
        self._causal = is_causal_decoder(self.model)
        self._lock = threading.Lock()
        self._reference_scores: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._reference_cache_size = reference_cache_size
        #: texts the tokenizer turns into special tokens; a response that spells one is split
        self._specials = special_token_texts(self.tokenizer)
        #: no token spans more characters than this: a longer response cannot fit `max_length`
        self._token_chars = longest_token_chars(self.tokenizer)
        lowest = self.shaping.lowest(self.max_length) if self.shaping else None
        if lowest is None:
            log.warning(
                "reward model %s: its rewards have no lower bound (no sigmoid, clip or floor in "
                "the shaping), so empty, gated and overlong responses get 0.0, which beats "
                "every answer scored below 0; pass shaping={'sigmoid': True} or a floor",
                self.model_name,
            )
        #: the reward of a non-answer (empty, gated, too long): no answer gets less
        self.floor = 0.0 if lowest is None else lowest

    @staticmethod
    def _load(model: Any, tokenizer: Any, dtype: Any) -> tuple[Any, Any]:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        if isinstance(model, str):
            tokenizer = tokenizer or AutoTokenizer.from_pretrained(model)
            kwargs = {"dtype": dtype} if dtype is not None else {}
            model = AutoModelForSequenceClassification.from_pretrained(model, **kwargs)
        elif tokenizer is None:
            raise ValueError("pass tokenizer= with an already-loaded model")
        elif dtype is not None:
            model = model.to(dtype)
        labels = getattr(model.config, "num_labels", None)
        if labels != 1:
            raise ValueError(f"a reward model has one output (num_labels=1), this one has {labels}")
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        if model.config.pad_token_id is None:
            model.config.pad_token_id = tokenizer.pad_token_id
        return model, tokenizer

    # encoding --------------------------------------------------------------------------------
    def encode(self, prompt: PromptLike, response: str) -> tuple[list[int], int, bool]:
        """Token ids for the model, the number of response tokens, and whether it fits: the
        prompt loses tokens from its left when needed, the response never does."""
        return self._encode_pairs([prompt], [response])[0]

    def encode_text(self, text: str, start: int) -> tuple[list[int], int, bool]:
        """`encode` for text already rendered; the response starts at character `start`."""
        return self.encode_texts([text], [start])[0]

    def encode_texts(
        self, texts: Sequence[str], starts: Sequence[int]
    ) -> list[tuple[list[int], int, bool]]:
        """`encode_text` for many texts: one batched call of a fast tokenizer."""
        _check_texts(texts, starts)
        if not texts:
            return []
        if not getattr(self.tokenizer, "is_fast", False):
            out = []
            for text, start in zip(texts, starts):
                head = self.tokenizer(text[:start], add_special_tokens=False)["input_ids"]
                tail = self.tokenizer(text[start:], add_special_tokens=False)["input_ids"]
                out.append(self._fit(list(head) + list(tail), len(head)))
            return out
        enc = self.tokenizer(list(texts), return_offsets_mapping=True, add_special_tokens=False)
        out = []
        for ids, offsets, start in zip(enc["input_ids"], enc["offset_mapping"], starts):
            # the first token that reaches past the response's first character
            first = next((i for i, (_, end) in enumerate(offsets) if end > start), len(ids))
            out.append(self._fit(list(ids), first))
        return out

    def _fit(self, ids: list[int], first: int) -> tuple[list[int], int, bool]:
        """Cut `ids` (the response starts at token `first`) to `max_length` from the left."""
        response_tokens = len(ids) - first
        if len(ids) <= self.max_length:
            return ids, response_tokens, True
        if response_tokens > self.max_length:
            return ids[first:], response_tokens, False
        return ids[len(ids) - self.max_length :], response_tokens, True

    def batch_tensors(self, rows: list[list[int]]) -> tuple[Any, Any]:
        """Right-padded input ids and attention mask on the model's device (right padding keeps
        every real token at the position it has unbatched)."""
        import torch

        width = max(len(ids) for ids in rows)
        input_ids = torch.full((len(rows), width), self.tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for row, ids in enumerate(rows):
            input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            mask[row, : len(ids)] = 1
        return input_ids.to(self.device), mask.to(self.device)

    def forward_scores(self, input_ids: Any, mask: Any) -> Any:
        """One float score per row (gradients flow; `score_ids` is the inference path)."""
        import torch

        # no KV cache: a scorer runs each sequence once, and building the cache costs ~10% on CPU
        logits = self.model(input_ids=input_ids, attention_mask=mask, use_cache=False).logits
        if logits.dim() == 3:  # a model that returns per-token logits: read the last real token
            last = mask.sum(dim=1) - 1
            logits = logits[torch.arange(len(logits), device=logits.device), last]
        return logits[:, 0].float()

    def score_ids(self, batch: list[list[int]]) -> list[float]:
        """Raw scores for token-id sequences (the inference path: no gradients, and no
        attention mask for a causal decoder, see `gymhub.verifiers.rm_batching`)."""
        import torch

        if not self._causal:
            input_ids, mask = self.batch_tensors(batch)
            with self._lock, torch.inference_mode():
                return [float(s) for s in self.forward_scores(input_ids, mask).cpu().tolist()]
        input_ids = padded_ids(batch, self.tokenizer.pad_token_id).to(self.device)
        with self._lock, torch.inference_mode():
            logits = self.model(input_ids=input_ids, use_cache=False).logits
            if logits.dim() == 3:  # per-token logits: read the last real token
                last = torch.tensor([len(ids) - 1 for ids in batch], device=logits.device)
                logits = logits[torch.arange(len(logits), device=logits.device), last]
            return [float(s) for s in logits[:, 0].float().cpu().tolist()]

    def score(self, prompts: Sequence[PromptLike], responses: Sequence[str]) -> list[float | None]:
        """Raw scores, batched by length; None where the response alone exceeds `max_length`."""
        prompts, responses = list(prompts), list(responses)
        if len(prompts) != len(responses):  # zip would drop the extra ones silently
            raise ValueError(f"score got {len(prompts)} prompts and {len(responses)} responses")
        for r in responses:
            if not isinstance(r, str):
                raise TypeError(f"response must be a str, got {type(r).__name__}")
        return self._score_encoded(self._encode_pairs(prompts, responses))

    def _encode_pairs(
        self, prompts: Sequence[PromptLike], responses: Sequence[str]
    ) -> list[tuple[list[int], int, bool]]:
        # a lone surrogate (not UTF-8, as a policy may write) is U+FFFD to the tokenizer
        responses = [encodable(r) for r in responses]
        prompts = [
            encodable(p) if isinstance(p, str) else literal_turns(p, self._specials)
            for p in prompts
        ]
        rendered = [render_conversation(self.tokenizer, p, r) for p, r in zip(prompts, responses)]
        encoded = self.encode_texts([t for t, _ in rendered], [s for _, s in rendered])
        specials = self._specials
        for i, response in enumerate(responses):
            if any(s in response for s in specials):
                encoded[i] = self._encode_literal(*rendered[i], response)
        return encoded

    def _encode_literal(self, text: str, start: int, response: str) -> tuple[list[int], int, bool]:
        """`encode_text` for a response that spells special tokens (`<|im_end|>` typed as
        text): the policy's text is tokenized with special tokens split into plain text, so it
        cannot close its turn and forge another one; the template's own tokens stay special."""
        end = text.find(response, start)
        if end < 0:  # a template that changed the response: its text runs to the end
            end = len(text)
        else:
            end += len(response)
        tok = self.tokenizer
        head = tok(text[:start], add_special_tokens=False)["input_ids"]
        body = tok(text[start:end], add_special_tokens=False, split_special_tokens=True)
        tail = tok(text[end:], add_special_tokens=False)["input_ids"] if end < len(text) else []
        return self._fit(list(head) + list(body["input_ids"]) + list(tail), len(head))

    def _score_encoded(self, encoded: list[tuple[list[int], int, bool]]) -> list[float | None]:
        out: list[float | None] = [None] * len(encoded)
        live = [i for i, e in enumerate(encoded) if e[2]]
        batches = plan_batches(
            [len(encoded[i][0]) for i in live],
            max_rows=self.batch_size,
            max_tokens=self.max_batch_tokens,
        )
        for batch in batches:
            rows = [live[j] for j in batch]
            for i, s in zip(rows, self.score_ids([encoded[i][0] for i in rows])):
                out[i] = s
        return out

    # the Verifier API ------------------------------------------------------------------------
    def score_batch(
        self, responses: list[str], references: list[Any], prompts: list[PromptLike]
    ) -> list[Verdict]:
        encoded = self._surely_too_long(responses)
        live = [i for i, r in enumerate(responses) if i not in encoded and self._has_text(r)]
        pairs = self._encode_pairs([prompts[i] for i in live], [responses[i] for i in live])
        encoded.update(zip(live, pairs))
        baselines = self._baselines(prompts, references, live)

        def control(i: int) -> tuple[list[int], int, bool]:
            return self._encode_pairs([prompts[i]], [CONTROL_RESPONSE])[0]

        return self._verdicts(len(responses), encoded, baselines, control)

    def _has_text(self, response: str) -> bool:
        """Whether `response` says anything: not empty, whitespace, or only the text of the
        tokenizer's special tokens (`<|im_end|>`, `<|endoftext|>` typed out), which is
        scored as plain text and carries no answer."""
        for special in self._specials:
            if special in response:
                response = response.replace(special, " ")
        return bool(response.strip())

    def verify_texts(self, texts: Sequence[str], starts: Sequence[int]) -> list[Verdict]:
        """Verdicts for conversations already rendered as text (e.g. OpenRLHF's `query`), the
        response of each starting at the matching character offset in `starts`."""
        if self.shaping is not None and self.shaping.center == "reference":
            raise ValueError("shaping center='reference' needs prompts and reference responses")
        texts, starts = list(texts), list(starts)
        _check_texts(texts, starts)
        encoded = self._surely_too_long([t[start:] for t, start in zip(texts, starts)])
        texts = [encodable(t) for t in texts]  # U+FFFD keeps the length: starts still hold
        live = [
            i for i, t in enumerate(texts) if i not in encoded and self._has_text(t[starts[i] :])
        ]
        pairs = self.encode_texts([texts[i] for i in live], [starts[i] for i in live])
        encoded.update(zip(live, pairs))

        def control(i: int) -> tuple[list[int], int, bool]:
            return self.encode_text(texts[i][: starts[i]] + CONTROL_RESPONSE, starts[i])

        return self._verdicts(len(texts), encoded, {}, control)

    def _surely_too_long(self, responses: Sequence[str]) -> dict[int, tuple[list[int], int, bool]]:
        """Responses with more characters than `max_length` tokens can span, as encodings that
        do not fit, without tokenizing them: a 10 MB reply took 15 s of one core to tokenize
        before it was found too long (a policy could stall the scorer, or a reward server)."""
        if self._token_chars <= 0:
            return {}
        limit = self.max_length * self._token_chars
        return {
            i: ([], -(-len(r) // self._token_chars), False)
            for i, r in enumerate(responses)
            if len(r) > limit
        }

    def _verdicts(
        self,
        count: int,
        encoded: dict[int, tuple[list[int], int, bool]],
        baselines: dict,
        control: Any,
    ) -> list[Verdict]:
        keys = list(encoded)
        raw = dict(zip(keys, self._score_encoded([encoded[i] for i in keys])))
        broken = {i for i, s in raw.items() if s is not None and not math.isfinite(s)}
        blamed = {i for i in broken if self._control_is_finite(control(i))}
        floor = self.floor
        verdicts: list[Verdict] = []
        for i in range(count):
            if i not in encoded:
                verdicts.append(Verdict.unparseable("empty response", reward=floor))
                continue
            _, response_tokens, fits = encoded[i]
            score = raw[i]
            if not fits or score is None:
                verdicts.append(
                    Verdict.unparseable(
                        f"response of {response_tokens} tokens or more exceeds the reward "
                        f"model's max_length {self.max_length}",
                        reward=floor,
                        components={"response_tokens": float(response_tokens)},
                    )
                )
                continue
            if i in blamed:
                verdicts.append(
                    Verdict.unparseable(
                        f"the reward model gave this response {score} but scores a control "
                        "answer to the same prompt: the response broke it",
                        reward=floor,
                        components={"response_tokens": float(response_tokens), "rm_nonfinite": 1.0},
                    )
                )
                continue
            verdicts.append(self._verdict(score, baselines.get(i), response_tokens))
        return verdicts

    def _control_is_finite(self, encoded: tuple[list[int], int, bool]) -> bool:
        """Whether the model scores `CONTROL_RESPONSE` (encoded for the same prompt) finitely:
        a response with a NaN or infinite score is then the policy's failure, not the model's
        (masked as `infra_error`, a response that breaks the model would escape its low score)."""
        if not encoded[2]:
            return False
        score = self._score_encoded([encoded])[0]
        return score is not None and math.isfinite(score)

    def _baselines(
        self, prompts: Sequence[PromptLike], references: Sequence[Any], live: list[int]
    ) -> dict[int, float]:
        if self.shaping is None or self.shaping.center != "reference":
            return {}
        keys: dict[int, tuple[str, str]] = {}
        for i in live:
            if not isinstance(references[i], str) or not references[i].strip():
                raise ValueError("shaping center='reference' needs a reference response string")
            keys[i] = (repr(prompts[i]), references[i])
        # read before scoring the missing ones: caching those may evict these
        known = {k: self._reference_scores[k] for k in keys.values() if k in self._reference_scores}
        missing = sorted({k for k in keys.values() if k not in known})
        if missing:
            by_key = {k: i for i, k in keys.items()}
            scores = self.score([prompts[by_key[k]] for k in missing], [k[1] for k in missing])
            for key, s in zip(missing, scores):
                if s is None:
                    raise ValueError("the reference response exceeds the reward model's max_length")
                known[key] = s
                if not math.isfinite(s):  # the model failed on the dataset's text: not cached
                    continue
                self._reference_scores[key] = s
                while len(self._reference_scores) > self._reference_cache_size:
                    self._reference_scores.popitem(last=False)
        return {i: known[k] for i, k in keys.items()}

    def _verdict(self, score: float, baseline: float | None, response_tokens: int) -> Verdict:
        if not math.isfinite(score):
            return Verdict(reward=0.0, status="infra_error", detail=f"reward model gave {score}")
        if baseline is not None and not math.isfinite(baseline):
            # sigmoid(score - NaN) came out as 1.0: every answer was paid in full
            return Verdict(
                reward=0.0,
                status="infra_error",
                detail=f"reward model gave the reference response {baseline}",
            )
        components = {"rm_score": score, "response_tokens": float(response_tokens)}
        reward = score
        if self.shaping is not None:
            reward, extra = self.shaping.apply(score, baseline, response_tokens)
            components.update(extra)
            if baseline is not None:
                components["rm_baseline"] = baseline
        if self.pass_threshold is None:
            status = "partial"
        else:
            status = "correct" if reward >= self.pass_threshold else "incorrect"
        return Verdict(reward=reward, status=status, components=components)

    def reference_response(self, reference: Any) -> str | None:
        return reference if isinstance(reference, str) else None

    def __repr__(self) -> str:
        return f"RewardModelVerifier({self.model_name!r}, device={self.device.type!r})"
