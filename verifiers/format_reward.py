"""Format rewards: does the response follow the requested layout (`<think>`, `<answer>`, a box)?

Kept separate from correctness so that it can be weighted (or gated) in a composition; on its
own a format reward must never be the whole reward, or models learn the layout and not the task.
"""

from __future__ import annotations

from typing import Any, Literal

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.extract import extract_tag, find_boxed
from gymhub.verifiers.judge_gate import gate_reason

AnswerStyle = Literal["tag", "boxed", "either"]


class FormatReward(Verifier):
    """1.0 when the layout is right, else 0 (`incorrect`, with the reason in `detail`).

    - `think`: "required" (one `<think>...</think>` with some reasoning in it, before the
      answer), "optional" or "forbidden".
    - `answer`: "tag" (`<answer>...</answer>` after the reasoning), "boxed" or "either"; an
      answer of only punctuation or openers (`<answer>...</answer>`, `\\boxed{:}`) is none.
    - exactly one final answer: several `<answer>` tags, different boxes, or a tag and a box
      that say different things fail.
    The reference is ignored.
    """

    name = "format"

    def __init__(
        self,
        think: Literal["required", "optional", "forbidden"] = "required",
        answer: AnswerStyle = "tag",
        max_answer_chars: int = 10_000,
    ) -> None:
        if think not in ("required", "optional", "forbidden"):
            raise ValueError(f"think must be required, optional or forbidden, got {think!r}")
        if answer not in ("tag", "boxed", "either"):
            raise ValueError(f"answer must be tag, boxed or either, got {answer!r}")
        self.think = think
        self.answer = answer
        self.max_answer_chars = max_answer_chars

    def check(self, response: str) -> str | None:
        """Why the format is wrong, or None when it is right."""
        opens, closes = response.count("<think>"), response.count("</think>")
        if self.think == "required":
            if opens != 1 or closes != 1:
                return "expected exactly one <think>...</think> block"
            if response.index("<think>") > response.index("</think>"):
                return "</think> comes before <think>"
            if response[: response.index("<think>")].strip():
                return "text before <think>"
            thought = response[response.index("<think>") + 7 : response.index("</think>")]
            if gate_reason(thought) is not None:  # `<think></think>`, `<think>...</think>`
                return "empty <think> block: no reasoning"
        elif self.think == "forbidden" and (opens or closes):
            return "<think> is not allowed here"
        elif opens != closes:
            return "unbalanced <think> tags"
        rest = response.rsplit("</think>", 1)[1] if closes else response
        tagged = extract_tag(rest, "answer")
        n_tags = rest.lower().count("<answer>")
        boxes = {b.strip() for b in find_boxed(rest)}
        has_tag = tagged is not None and bool(tagged.strip()) and n_tags == 1
        has_box = len(boxes) == 1
        if n_tags > 1:
            return "several <answer> tags"
        if len(boxes) > 1:
            return "several different \\boxed answers"
        if tagged is not None and len(tagged) > self.max_answer_chars:
            return "answer too long"
        # the layout holds an answer, not a placeholder: `<answer>...</answer>`, `\boxed{:}`,
        # `<answer>Answer:</answer>` earn no format reward (it is paid without the task)
        if has_tag and tagged is not None and gate_reason(tagged) is not None:
            has_tag = False
        if has_box and gate_reason(next(iter(boxes))) is not None:
            has_box = False
        if has_tag and tagged is not None and boxes:
            # an answer in the tag and another in a box beside it: two final answers (the box
            # may sit in the tag, or say the tag's answer in fewer words: `x = 4` and `4`)
            said = tagged.strip()
            for box in boxes:
                if box and box not in said and said not in box:
                    return "the <answer> tag and a \\boxed answer differ"
        if self.answer == "tag" and not has_tag:
            return "no <answer>...</answer> after the reasoning"
        if self.answer == "boxed" and not has_box:
            return "no \\boxed{...} answer"
        if self.answer == "either" and not (has_tag or has_box):
            return "no <answer> tag or \\boxed answer"
        return None

    def verify(self, response: str, reference: Any = None, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        why = self.check(response)
        return Verdict.correct() if why is None else Verdict.incorrect(why)

    def reference_response(self, reference: Any) -> str | None:
        think = "<think>...</think>\n" if self.think == "required" else ""
        body = (
            f"\\boxed{{{reference}}}" if self.answer == "boxed" else f"<answer>{reference}</answer>"
        )
        return think + body
