"""`ProcessRewardVerifier`: step-level scores from a process reward model (PRM).

The response is split into steps (a separator, by default a blank line); each step is followed by
a step tag, and the PRM's output at the tag's last token scores the step:
- `mode="token"`: an `AutoModelForTokenClassification` checkpoint (2 labels: probability of the
  "good" label; 1 label: sigmoid of its logit);
- `mode="step_tag"`: an `AutoModelForCausalLM` checkpoint read Math-Shepherd style, the step
  score being `softmax(logit[good], logit[bad])[good]` at the tag.

Aggregation of step scores p_1..p_n into the reward:
- `min` (PURE's "stop summation": a chain is as good as its worst step), `last`, `mean`;
- `sum_clip`: sum of min(p_t - clip_threshold, 0): each step can only cost, so repeating correct
  but needless steps earns nothing ("On Designing Effective RL Reward at Training Time");
- `sum_delta`: per-step rewards p_t - p_{t+1} (the last keeps p_n), whose sum telescopes to p_1,
  so padding steps cannot raise the return.
Step scores and per-step rewards go to `components` (`step_score/i`, `step_reward/i`), which
envs put in `info["reward_components"]` for credit assignment.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from typing import Any

from gymhub.tools import encodable
from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.judge_gate import repetition_reason
from gymhub.verifiers.reward_model import (
    CONTROL_RESPONSE,
    PromptLike,
    _messages,
    literal_turns,
    longest_token_chars,
)
from gymhub.verifiers.rm_render import special_token_texts

AGGREGATIONS = ("min", "last", "mean", "sum_clip", "sum_delta")
MODES = ("token", "step_tag")
MAX_STEPS = 256


def split_steps(response: str, separator: str = "\n\n") -> list[str]:
    """Non-empty steps of `response`; `separator` is a literal string or a compiled regex."""
    parts = separator.split(response) if isinstance(separator, re.Pattern) else None
    if parts is None:
        parts = response.split(separator)
    return [p.strip() for p in parts if p.strip()]


def aggregate(
    scores: Sequence[float], how: str, clip_threshold: float = 0.5
) -> tuple[float, list[float]]:
    """(reward, per-step rewards) from step scores."""
    if how == "min":
        return min(scores), list(scores)
    if how == "last":
        return scores[-1], list(scores)
    if how == "mean":
        return sum(scores) / len(scores), list(scores)
    if how == "sum_clip":
        steps = [min(s - clip_threshold, 0.0) for s in scores]
        return sum(steps), steps
    if how == "sum_delta":
        steps = [a - b for a, b in zip(scores, scores[1:])] + [scores[-1]]
        return sum(steps), steps
    raise ValueError(f"aggregation must be one of {AGGREGATIONS}, got {how!r}")


class ProcessRewardVerifier(Verifier):
    """Scores each reasoning step with a PRM checkpoint and aggregates the step scores."""

    name = "process_reward"
    version = "1"

    def __init__(
        self,
        model: Any,
        *,
        tokenizer: Any = None,
        mode: str = "token",
        step_separator: str | re.Pattern[str] = "\n\n",
        step_tag: str = "\n\n",
        good_token: str = "+",
        bad_token: str = "-",
        aggregation: str = "min",
        clip_threshold: float = 0.5,
        max_length: int = 4096,
        device: str | None = None,
    ) -> None:
        import torch

        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        if aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}, got {aggregation!r}")
        if not isinstance(step_tag, str) or not step_tag:
            raise ValueError("step_tag must be a non-empty string")
        if not (
            (isinstance(step_separator, str) and step_separator)
            or isinstance(step_separator, re.Pattern)
        ):
            raise ValueError("step_separator must be a non-empty string or a compiled regex")
        # NaN made every sum_clip reward NaN (each verify raised); below 0 no step ever cost
        # anything (every response 0), above 1 every step cost even a perfect one
        if (
            isinstance(clip_threshold, bool)
            or not isinstance(clip_threshold, (int, float))
            or not 0.0 <= clip_threshold <= 1.0
        ):
            raise ValueError(f"clip_threshold must be a number in [0, 1], got {clip_threshold!r}")
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 8:
            raise ValueError(f"max_length must be an integer >= 8, got {max_length!r}")
        self.mode = mode
        self.step_separator = step_separator
        self.step_tag = step_tag
        self.aggregation = aggregation
        self.clip_threshold = clip_threshold
        self.max_length = max_length
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model, self.tokenizer = self._load(model, tokenizer)
        self.model.to(self.device).eval()
        context = getattr(self.model.config, "max_position_embeddings", None) or max_length
        self.max_length = min(max_length, int(context))
        self._specials = special_token_texts(self.tokenizer)
        #: no token spans more characters: longer steps cannot fit `max_length`
        self._token_chars = longest_token_chars(self.tokenizer)
        if mode == "step_tag":
            self.good_id, self.bad_id = (self._single_token(t) for t in (good_token, bad_token))
        self._lock = threading.Lock()

    @property
    def floor(self) -> float:
        """The reward of a non-answer (no steps, too many, too long): the lowest an answer can
        get, never more. `sum_clip` sums costs (each step at most `clip_threshold` below 0), so
        0 is its best score and its floor is every step at the worst; the other aggregations
        lie in [0, 1]."""
        if self.aggregation == "sum_clip":
            return -max(self.clip_threshold, 0.0) * MAX_STEPS
        return 0.0

    def _load(self, model: Any, tokenizer: Any) -> tuple[Any, Any]:
        from transformers import (
            AutoModelForCausalLM,
            AutoModelForTokenClassification,
            AutoTokenizer,
        )

        if isinstance(model, str):
            tokenizer = tokenizer or AutoTokenizer.from_pretrained(model)
            cls = AutoModelForTokenClassification if self.mode == "token" else AutoModelForCausalLM
            model = cls.from_pretrained(model)
        elif tokenizer is None:
            raise ValueError("pass tokenizer= with an already-loaded model")
        if self.mode == "token" and model.config.num_labels not in (1, 2):
            raise ValueError(
                f"a token-classification PRM has 1 or 2 labels, not {model.config.num_labels}"
            )
        return model, tokenizer

    def _single_token(self, text: str) -> int:
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        if len(ids) != 1:
            raise ValueError(f"{text!r} must be a single token of the PRM's tokenizer, got {ids}")
        return ids[0]

    def _prompt_text(self, prompt: PromptLike) -> str:
        prompt = literal_turns(prompt, self._specials)  # earlier turns' special-token text
        if getattr(self.tokenizer, "chat_template", None):
            return self.tokenizer.apply_chat_template(
                _messages(prompt), tokenize=False, add_generation_prompt=True
            )
        lines = [f"{m['role'].capitalize()}: {m['content']}" for m in _messages(prompt)]
        return "\n\n".join(lines + ["Assistant: "])

    def encode(self, prompt: PromptLike, steps: list[str]) -> tuple[list[int], list[int]] | None:
        """Token ids and the position of each step tag's last token; None when the steps alone
        do not fit in `max_length` (the prompt is cut from its left first)."""
        head = self.tokenizer(self._prompt_text(prompt), add_special_tokens=False)["input_ids"]
        body: list[int] = []
        ends: list[int] = []
        for step in steps:
            if any(s in step for s in self._specials):
                # special-token text the policy typed (`<|im_end|>`) stays text: it must not
                # end the turn or pose as a step tag
                step_ids = self.tokenizer(
                    step, add_special_tokens=False, split_special_tokens=True
                )["input_ids"]
                tag = self.tokenizer(self.step_tag, add_special_tokens=False)["input_ids"]
                body += list(step_ids) + list(tag)
            else:
                body += self.tokenizer(step + self.step_tag, add_special_tokens=False)["input_ids"]
            ends.append(len(body) - 1)
        if len(body) > self.max_length:
            return None
        head = head[max(0, len(head) + len(body) - self.max_length) :]
        return list(head) + body, [len(head) + e for e in ends]

    def step_scores(self, prompt: PromptLike, steps: list[str]) -> list[float] | None:
        """One score in [0, 1] per step (None when the response does not fit)."""
        import torch

        encoded = self.encode(prompt, steps)
        if encoded is None:
            return None
        ids, positions = encoded
        input_ids = torch.tensor([ids], device=self.device)
        with self._lock, torch.inference_mode():
            logits = self.model(input_ids=input_ids).logits[0, positions].float()
        if self.mode == "step_tag":
            pair = torch.stack([logits[:, self.good_id], logits[:, self.bad_id]], dim=-1)
            probs = pair.softmax(-1)[:, 0]
        elif logits.shape[-1] == 2:
            probs = logits.softmax(-1)[:, 1]
        else:
            probs = logits[:, 0].sigmoid()
        return [float(p) for p in probs.cpu()]

    def verify(
        self, response: str, reference: Any = None, *, prompt: PromptLike = None, **context: Any
    ) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        if prompt is None:  # a chat template cannot render no conversation: say so up front
            raise ValueError("ProcessRewardVerifier.verify needs prompt= (the question answered)")
        # a lone surrogate (not UTF-8, as a policy may write) is U+FFFD to the tokenizer
        steps = split_steps(encodable(response), self.step_separator)
        prompt = encodable(prompt) if isinstance(prompt, str) else prompt
        if not steps:
            return Verdict.unparseable("no steps in the response", reward=self.floor)
        padded = repetition_reason(response)
        if padded is not None:
            # repeating good steps raised a mean (or a last step) at no cost
            return Verdict.unparseable(f"padded steps: {padded}", reward=self.floor)
        if len(steps) > MAX_STEPS:
            return Verdict.unparseable(
                f"{len(steps)} steps (more than {MAX_STEPS})", reward=self.floor
            )
        too_long = self._token_chars and sum(map(len, steps)) > self.max_length * self._token_chars
        # steps that cannot fit are refused without tokenizing them (10 MB took seconds)
        scores = None if too_long else self.step_scores(prompt, steps)
        if scores is None:
            return Verdict.unparseable(
                f"the steps exceed the PRM's max_length {self.max_length}", reward=self.floor
            )
        if not all(math.isfinite(s) for s in scores):
            # whose failure: a PRM that scores a control step for the same prompt was broken by
            # these steps (masked as infra_error, that would be a way out of every low score)
            control = self.step_scores(prompt, [CONTROL_RESPONSE])
            if control is not None and all(math.isfinite(s) for s in control):
                return Verdict.unparseable(
                    f"the PRM gave these steps {scores[:8]} but scores a control step for the "
                    "same prompt: the steps broke it",
                    reward=self.floor,
                    components={"prm_nonfinite": 1.0},
                )
            return Verdict(reward=0.0, status="infra_error", detail=f"PRM gave {scores[:8]}")
        reward, per_step = aggregate(scores, self.aggregation, self.clip_threshold)
        components = {"prm_steps": float(len(steps)), f"prm_{self.aggregation}": reward}
        components.update({f"step_score/{i}": s for i, s in enumerate(scores)})
        components.update({f"step_reward/{i}": r for i, r in enumerate(per_step)})
        # a learned score, not a checked answer: "partial" whatever its value
        return Verdict(reward=reward, status="partial", components=components)

    def reference_response(self, reference: Any) -> str | None:
        return reference if isinstance(reference, str) else None
