"""MathVerifier: final-answer checking for math, stricter and safer than plain math-verify.

The caller's process only does linear-time string work: it caps the input, strips `<think>`,
extracts the final answer(s) and rejects inputs that are obviously too big. Parsing and
comparison (latex2sympy + sympy, see `math_core`) run in `WorkerPool` workers under a hard
deadline. Statuses: `correct` (reward 1), `incorrect`, `unparseable`, `timeout`, `error`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.bounded_text import squeeze_blank_runs
from gymhub.verifiers.extract import (
    _RETRACTION,
    Extraction,
    boxed_spans,
    extract_final_answer,
    find_boxed,
    math_spans,
    strip_think,
)
from gymhub.verifiers.math_fast import fast_compare
from gymhub.verifiers.math_forms import AmbiguousDigits, asks_for_abs, join_digit_groups
from gymhub.verifiers.math_restatement import (
    echoes_question,
    paraphrases_question,
    restates_question,
)
from gymhub.verifiers.pool import PoolResult, WorkerPool, default_pool

MAX_RESPONSE_CHARS = 1_000_000
MAX_ANSWER_CHARS = 1_000
MAX_NESTING = 40
MAX_CANDIDATES = 8
MAX_QUESTION_CHARS = 20_000  # the end of a longer question is what the answer could copy
_COMPARE = "gymhub.verifiers.math_core:compare"
_PREPARE = "gymhub.verifiers.math_verifier:prepare_chunk"
# batches at least this large, on a pool of two or more workers, are prepared in the workers
PREPARE_IN_WORKERS_MIN = 32
_LETTER = re.compile(r"^\(?\s*([A-J])\s*\)?$")
_LETTER_LEAD = re.compile(r"^\(?([A-J])[).:]\s+\S")
_LETTER_IN_TEXT = re.compile(
    r"(?:answer\s*(?:is|:)\s*|\b(?:option|choice)\s+(?=\(?(?-i:[A-J])\)?(?![A-Za-z]))|\()"
    r"\s*\(?([A-J])\)?(?![A-Za-z])",
    re.I,
)


# `x^x^x^x`: powers chained without braces (each parsed as another power of the whole)
_POWER_ATOM = r"\s*(?:\w{1,50}|\{[^{}]{0,200}\}|\([^()]{0,200}\))\s*"
_CHAINED_POWERS = re.compile(rf"\^{_POWER_ATOM}\^{_POWER_ATOM}\^")


def precheck(
    answer: str, max_chars: int = MAX_ANSWER_CHARS, max_nesting: int = MAX_NESTING
) -> str | None:
    """Why `answer` is refused before any parsing (too long, nested too deep, a power tower
    of three levels), or None when it may be parsed."""
    if len(answer) > max_chars:
        return f"answer longer than {max_chars} characters"
    answer = answer.replace("**", "^")  # `x**x**x`, as programs write powers, is read as `x^x^x`
    if _CHAINED_POWERS.search(answer):
        return "power tower of three or more levels"
    depth = top = 0
    exponent_levels: list[bool] = []  # for each open brace: is it an exponent group?
    pending_exponent = False
    level = 0  # how many exponent groups we are inside
    for c in answer:
        if c in "([{":
            depth += 1
            top = max(top, depth)
            if top > max_nesting:
                return f"answer nested deeper than {max_nesting} levels"
            if c == "{":
                exponent_levels.append(pending_exponent)
                level += pending_exponent
        elif c in ")]}":
            depth = max(0, depth - 1)
            if c == "}" and exponent_levels:
                level -= exponent_levels.pop()
        elif c == "^":
            if level >= 2:
                return "power tower of three or more levels"
        if not c.isspace():
            pending_exponent = c == "^"
    return None


_PROSE_WORDS = re.compile(r"[A-Za-z]{2,}[\s,;:]+[A-Za-z]{2,}")


def spaced_digits(candidate: str) -> str | None:
    """Why `candidate` is ambiguous: digits separated by a space that are not groups of
    thousands (`1 2` is neither 12 nor the list 1, 2); None when it is not."""
    try:
        join_digit_groups(candidate)
    except AmbiguousDigits as exc:
        return str(exc)
    return None


def _put_as_question(response: str, candidate: str) -> bool:
    """Whether the prose reply ends by asking its answer ("The answer is 5?"): a guess put as
    a question is no answer (a box or tag states one whatever follows)."""
    tail = strip_think(response)[-2000:].rstrip()
    if not tail.endswith("?"):
        return False
    asked = tail.rstrip("?").rstrip(" \t\n$*_)]").rstrip(".")
    return bool(candidate.strip()) and asked.endswith(candidate.strip())


# an end-of-sequence or end-of-turn token a trainer decodes into the text: `</s>`, `<eos>`,
# `<|im_end|>`, `<|eot_id|>`, `<|endoftext|>`, DeepSeek's `<｜end▁of▁sentence｜>`, `<end_of_turn>`,
# `[EOS]` (named ones only: `<|end_of_box|>` closes an answer)
_END_TOKEN = re.compile(
    r"(?:</s>|<eos>|<end_of_turn>|\[EOS\]|<\uff5cend\u2581of\u2581sentence\uff5c>"
    r"|<\|(?:im_end|eot_id|eom_id|endoftext|end|end_of_text|end_of_turn|endofturn|eos)\|>)\Z"
)
MAX_END_TOKENS = 16
# GLM-4.5V / GLM-4.1V-Thinking write their final answer between these tokens
_GLM_BOX = re.compile(
    r"<\|begin_of_box\|>((?:(?!<\|(?:begin|end)_of_box\|>).){0,2000})<\|end_of_box\|>", re.S
)


def without_end_tokens(text: str) -> str:
    """`text` without the end-of-sequence tokens (`_END_TOKEN`) it ends with, and the blanks
    between them; at most `MAX_END_TOKENS`, each looked for in the last 40 characters."""
    end = len(text.rstrip())
    for _ in range(MAX_END_TOKENS):
        m = _END_TOKEN.search(text, max(0, end - 40), end)
        if m is None:
            break
        end = len(text[: m.start()].rstrip())
    return text[:end] if end < len(text.rstrip()) else text


# a lone `$` (not `\$`, not part of `$$`)
_LONE_DOLLAR = re.compile(r"(?<![\\$])\$(?!\$)")


def currency_dollars(text: str) -> str:
    """`text` without the dollar signs of prices that would pair as math: in `from $40 to $45`
    the `$` before 40 would open a span that the `$` before 45 closes (`40 to `); dropped, the
    text reads `from 40 to $45` (an escaped `\\$` hid a false chain, `9 * \\$2 = \\$17`, from
    its check).
    A `$` before a digit is a price when the next lone `$` on its line is before a digit too (a
    math span's closing `$` is never glued to a digit after it); one pass over the dollars."""
    if "$" not in text:
        return text
    spots = [m.start() for m in _LONE_DOLLAR.finditer(text)]
    prices: list[int] = []
    i, n = 0, len(text)
    while i + 1 < len(spots):
        a, b = spots[i], spots[i + 1]
        if text.find("\n", a, b) >= 0:
            i += 1  # inline math never spans lines: `b` may open a pair on its own line
        elif a + 1 < n and text[a + 1].isdigit() and b + 1 < n and text[b + 1].isdigit():
            prices.append(a)  # `$40 ... $45`: the first is a price; the second may open a pair
            i += 1
        else:
            i += 2  # a math span (or two dollars on different lines): both taken
    if not prices:
        return text
    out, last = [], 0
    for a in prices:
        out.append(text[last:a])  # the price's `$` dropped: `9 * $2 = $17` reads as `9 * 2 = 17`
        last = a + 1
    out.append(text[last:])
    return "".join(out)


# what says a value lies in a range, right before its end: "The answer is from 40 to 45.", "The
# count ranges from 40 to 45", "is anywhere between 40 and 45" (not "It rose from 40 to 45.")
_RANGE_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|ranges?|ranging|lies|lie|lying|falls?|varies|vary|varying)[ \t]+"
    r"(?:(?:anywhere|somewhere|roughly|approximately|about)[ \t]+)?(?:from|between)[ \t]+\x24?"
    r"[-+]?\d[\d.,/]*\x24?(?:[ \t]+[A-Za-z]{1,15})?[ \t]+(?:to|and|through)[ \t]+\x24?\Z",
    re.I,
)


def _range_end(response: str, candidate: str) -> bool:
    """Whether the answer read from prose is the end of a range the reply states ("The answer is
    from 40 to 45." read as 45), and stated nowhere else in the reply's last 300 characters
    ("The answer is 45 since the numbers are from 1 to 45." states it alone first): no one
    value."""
    text = strip_think(response).rstrip()
    value = candidate.strip()
    if not value:
        return False
    at = text.find(value, max(0, len(text) - 300))
    ends = 0
    while at > 0:
        if _RANGE_BEFORE.search(text, max(0, at - 120), at) is None:
            return False  # the value said on its own
        ends += 1
        at = text.find(value, at + len(value))
    return ends > 0


def _check_arguments(response: Any, reference: Any) -> None:
    """The caller's mistakes (not the policy's): raised, never scored."""
    if not isinstance(response, str):
        raise TypeError(f"response must be a str, got {type(response).__name__}")
    if reference is None or isinstance(reference, bool):
        raise ValueError(f"math reference must be a number or a string, got {reference!r}")


def gold_answer(gold: str) -> str:
    """The answer a dataset's gold field states. Datasets write it bare (`9`), inside math
    delimiters (`$9$`, `$$9$$`, `\\(9\\)`), boxed (`\\boxed{1}\\boxed{2}` is a list), with a unit
    in prose (`$125$ miles`), or as a whole worked solution (its final answer is the gold)."""
    text = gold.strip()
    boxes = gold_boxes(text)
    if len(boxes) == 1 and re.match(r"[\s$)]*(?:\\?%|percent)", text.split("}")[-1]):
        return boxes[0] + "\\%"  # `$\\boxed{20}$ percent`
    if boxes:
        return ", ".join(boxes)
    spans = math_spans(text)
    if len(spans) == 1 and spans[0][0] == 0 and not text[spans[0][1] :].strip(" .,"):
        return spans[0][2].strip()
    outside = "".join(text[a:b] for a, b in _gaps(spans, len(text)))
    if _PROSE_WORDS.search(outside) and len(text) > 40:
        found = extract_final_answer(text)
        if found.candidates:
            return ", ".join(found.candidates)
    if spans:  # `$125$ miles`, `$1$ and $2$`: the math with its words
        parts, last = [], 0
        for start, end, inner, _ in spans:
            parts += [text[last:start], inner]
            last = end
        return ("".join(parts) + text[last:]).strip()
    return text


def gold_boxes(gold: str) -> list[str]:
    """The distinct boxes of a gold, in order; the same answer boxed twice (`\\boxed{x = 3}`
    ... `\\boxed{x=3.}`) is one box, whatever its spacing or full stop."""
    boxes: dict[str, str] = {}
    for box in find_boxed(gold):
        key = re.sub(r"\s+", "", box).rstrip(".")
        if key:
            boxes.setdefault(key, box.strip())
    return list(boxes.values())


# a question that asks for a rounded or estimated value ("to the nearest dollar", "round to two
# decimal places", "approximately how many"): its gold is itself an approximation
_ROUNDING = re.compile(
    r"\b(?:round(?:ed|ing)?|nearest|approximate(?:ly)?|estimate[ds]?|decimal\s+places?"
    r"|significant\s+(?:figures|digits))\b",
    re.I,
)


# a question that asks for a percentage ("What percent of ...", "as a percent", "the percent
# increase"): its bare gold (`50`) is a percentage, which `50\%` answers and `0.5` does not
_ASKS_PERCENT = re.compile(
    r"\b(?:what|which|how\s+many|by\s+what|what\s+is\s+the)\s+(?:percent(?:age)?\b|\\?%)"
    r"|\b(?:as|in|into|to)\s+(?:a\s+)?(?:percent(?:age)?\b|\\?%)"
    r"|\bthe\s+percent(?:age)?\s+(?:increase|decrease|change|error|difference|gain|loss)\b",
    re.I,
)
# a question about a temperature: there `K` after a number is the kelvin, not a thousand
_TEMPERATURE = re.compile(r"\b(?:temperatures?|kelvins?|celsius|fahrenheit)\b|°", re.I)
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


def asks_for_percent(question: str, gold: str) -> bool:
    """Whether the question asks for a percentage and the gold states its number bare."""
    return _PLAIN_NUMBER.fullmatch(gold.strip()) is not None and bool(
        _ASKS_PERCENT.search(question)
    )


def asks_for_rounding(question: str) -> bool:
    """Whether the question asks for a rounded value, so that an approximate answer ("about 5")
    may answer its gold; without one, an approximation answers only a gold written as a
    decimal (see `math_core`)."""
    return _ROUNDING.search(question) is not None


def _gaps(spans: list[tuple[int, int, str, bool]], n: int) -> list[tuple[int, int]]:
    edges = [0] + [x for s in spans for x in s[:2]] + [n]
    return list(zip(edges[::2], edges[1::2]))


# an option ruled out right after the one picked: `C, not A`, `C rather than A`, `(C) (not A)`
_RULED_OUT = re.compile(
    r"(?<![A-Za-z])([A-J]\)?)\s*[,;]?\s*\(?\s*(?:and\s+|but\s+)?(?:not|rather\s+than|instead\s+of)"
    r"\s+(?:option\s+|choice\s+)?\(?[A-J]\)?\)?(?![A-Za-z])",
    re.I,
)


def drop_ruled_out(text: str) -> str:
    """`text` without the options it rules out after the one it picks (`C, not A` is C): a
    letter named only to be excluded is no second candidate."""
    return _RULED_OUT.sub(r"\1", text)


def _clean_letter(text: str) -> str:
    text = re.sub(r"\\(?:text|mathrm|textbf|mathbf)\s*\{([^{}]*)\}", r"\1", text)
    return drop_ruled_out(text.replace("$", "")).strip().rstrip(".:").strip()


def _normalize_choice(text: str) -> str:
    return re.sub(r"\s+", " ", _clean_letter(text)).strip().casefold()


# a gold that is an option with its value, as AMC solutions write it: `\textbf{(C) }12`,
# `\text{(C)}\ 12`, `(C) 12`
_GOLD_OPTION = re.compile(
    r"(?:\\(?:textbf|text|textrm|mathrm|mathbf)\s*\{\s*)?\(\s*([A-J])\s*\)(?:\s*\})?"
    r"(?:\s|\\[ ,;:!]|\\q?quad|~)*(\S.{0,500})",
    re.DOTALL,
)


def gold_option(gold: str) -> tuple[str, str] | None:
    """(the letter, the value) of a gold written as an option and its value, or None. Either
    answers it: `C` (or `(C)`) and `12` both scored 0 against `\\textbf{(C) }12`."""
    m = _GOLD_OPTION.fullmatch(gold.strip())
    if m is None or m.group(2).lstrip().startswith(("(", "\\text")):
        return None  # `(A) (B)`, `(A) \\text{and} (B)`: no value
    return m.group(1), m.group(2).strip()


# an option's label in a question: `(A)` anywhere, or `A.`, `A)`, `A:` at a line's start
_OPTION_LABEL = re.compile(r"\(([A-J])\)|(?m:^[ \t]*([A-J])[.):])")


def options_in_question(question: str) -> dict[str, str]:
    """The options a question lists (`(A) 10 (B) 12 (C) 14`, or one per line as `A. 10`), by
    letter, or {} when it lists none. Letters must run A, B, C, ... and every option must have
    a text; an option's text ends at the next label or at its line's end."""
    if not isinstance(question, str):
        raise TypeError(f"question must be a str, got {type(question).__name__}")
    labels = [
        (m.start(), m.end(), m.group(1) or m.group(2)) for m in _OPTION_LABEL.finditer(question)
    ]
    # the last run of labels A, B, C, ...: the options, wherever the question mentions letters
    start = max((i for i, label in enumerate(labels) if label[2] == "A"), default=None)
    if start is None:
        return {}
    run = [labels[start]]
    for label in labels[start + 1 :]:
        if ord(label[2]) != ord(run[-1][2]) + 1:
            break
        run.append(label)
    if len(run) < 2:
        return {}
    options: dict[str, str] = {}
    for i, (_, end, letter) in enumerate(run):
        stop = run[i + 1][0] if i + 1 < len(run) else len(question)
        text = question[end:stop].split("\n", 1)[0]
        if len(text) > 400:
            return {}
        text = _option_text(text)
        if not text or len(text) > 300:
            return {}
        options[letter] = text
    return options


# the layout around an option's text in AMC's LaTeX, `$\textbf{(A) }10\qquad\textbf{(B) }14$`:
# the label's closing brace and spacing before it, the spacing and the next label's opening
# after it (the options read `}10\qquad\textbf{` and matched no answer)
_OPTION_LEAD = re.compile(r"(?:[\s~]|\\[ ,;:!])+")
_OPTION_TAIL = re.compile(
    r"(?:[\s~$,;]|\\[ ,;:!]|\\\\|\\q?quad(?![A-Za-z])"
    r"|\\(?:textbf|textrm|text|mathrm|mathbf)\s*\{)+\Z"
)


def _option_text(text: str) -> str:
    """An option's text without the layout of its label and of the next one (`_OPTION_TAIL`):
    `}10\\qquad\\textbf{` is `10`, `}\\ \\frac{1}{2} \\qquad \\text{` is `\\frac{1}{2}`."""
    text = text.lstrip()
    if text.startswith("}"):
        text = text[1:]  # `}10`: the brace closes the label's `\textbf{`
    lead = _OPTION_LEAD.match(text)
    if lead:
        text = text[lead.end() :]
    tail = _OPTION_TAIL.search(text)
    if tail:
        text = text[: tail.start()]
    if text.count("}") > text.count("{") and text.endswith("}"):
        text = text[:-1]  # `\textbf{(A) 10}`: the label's brace closes after the text
    return text.strip().rstrip(",;").strip()


# another value offered as good right after the boxed answer: "$\\boxed{2}$, but $3$ also
# works", "(3 also works)", "3 works too", "3 is also a solution", "3 is another root"
_ALSO_VALUE = re.compile(
    r"(?<![\w.,/\\])\x24?([-+]?\d[\d.,/]*)\x24?[ \t]{1,3}(?:would[ \t]+)?(?:also[ \t]+(?:works?|fits?"
    r"|holds?|satisf(?:ies|y)|solves?)|works?[ \t]+(?:too|as[ \t]+well)|(?:is|are)[ \t]+(?:also"
    r"[ \t]+an?|another)[ \t]+(?:(?:valid|possible|correct)[ \t]+)?(?:solution|root|answer)"
    # "But 96 is also plausible.", "96 could also be correct"
    r"|(?:is|are)[ \t]+also[ \t]+(?:(?:quite|very|equally)[ \t]+)?(?:possible|plausible|valid"
    r"|acceptable|correct|right|reasonable|defensible)|could[ \t]+also[ \t]+be[ \t]+(?:correct"
    r"|right|valid|the[ \t]+answer)|(?:is|are)[ \t]+(?:(?:quite|very|equally)[ \t]+)?"
    r"(?:possible|plausible)(?![ \t]+(?:only|if|when|for|in|under)\b))\b",
    re.IGNORECASE,
)
# a sentence that takes the answer back for another bare value, also in a later paragraph
# ("\n\nActually, 96.", "Wait, no, 96.", "Hmm, maybe 96.", "On second thought, it's 96.",
# "(Actually 96.)", "Or maybe 96?"): the value ends its line, so a check that goes on
# ("Actually, 48 + 24 = 72. Yes.") is no retraction
_RETRACTION_OPENER = (
    r"(?:^|(?<=[.;:!?\n(]))[ \t*_]*(?:\([ \t]*)?(?:(?:(?:wait|hmm+|no|nope|oops|uh+|um+|actually"
    r"|correction|edit|update|sorry|rather|on[ \t]+second[ \t]+thought|(?:up)?on[ \t]+reflection"
    r"|scratch[ \t]+that|let[ \t]+me[ \t]+reconsider|or|maybe|perhaps|possibly)\b[ \t*_]*"
    r"(?:[,:!.\u2014\u2013\u2026-]{1,3}[ \t*_]*)?){1,4}"
    r"(?:(?:i[ \t]+think|i[ \t]+mean[ \t]*,?|i[ \t]+meant|i[ \t]+made[ \t]+an?[ \t]+(?:error|mistake)[.,;:!]?"
    r"|actually|it(?:'s|[ \t]+is|[ \t]+should[ \t]+be|[ \t]+might[ \t]+be)"
    r"|the[ \t]+(?:[a-z]{1,20}[ \t]+){0,2}(?:is|should[ \t]+be))[ \t]+){0,3}"
    # a new answer stated after the final one needs no opener: "The correct answer should be
    # 96.", "I think the answer is actually 96."
    r"|(?:i[ \t]+think[ \t]+)?the[ \t]+(?:correct|right|real|actual|true|final)?[ \t]*answer[ \t]+"
    r"(?:is|should[ \t]+be|would[ \t]+be)[ \t]+(?:actually[ \t]+)?)"
)
_RETRACTED_TO = re.compile(
    _RETRACTION_OPENER
    + r"\x24?([-+]?\d[\d.,/]*)\x24?(?:[ \t]+(?!(?:is|was|are|were|does|did|fails?|works?"
    r"|would|will|can|could|and|or|but|in|on|at|for|of|from|per|to|by|with|if|when)\b)"
    r"[a-z]{2,15})?[ \t]*(?:instead)?[ \t]*[.!?)]{0,3}[ \t]*(?:\n|$)",
    re.IGNORECASE,
)
# the same for an option letter: "The answer is B.\n\nActually, C.", "\boxed{B}\n\nActually, (C)."
_RETRACTED_TO_LETTER = re.compile(
    _RETRACTION_OPENER + r"(?:option[ \t]+|choice[ \t]+)?\(?((?-i:[A-J]))\)?[ \t]*(?:instead)?"
    r"[ \t]*[.!?)]{0,3}[ \t]*(?:\n|$)",
    re.IGNORECASE,
)
# another value under another reading, after the answer, also in a later paragraph or a list:
# "(If exclusive, 41.)", "- If exclusive: 41", "Note: if the endpoints are excluded, the count is
# 41." (a value that ends its line, so "If we double-check, 5 + 5 = 10" is a check; a case
# of a variable, "If n = 1, 2.", is none)
_VALUE_IF = re.compile(
    r"(?:^|(?<=[.;!?\n(]))[ \t*_>]*(?:[-\u2022][ \t]+)?(?:note[ \t*_]*:[ \t*_]*)?(?:\([ \t]*)?"
    r"(?:if|when|assuming)\b[^.;:,=\n]{1,80}[,:][ \t*_]*(?:(?:the[ \t]+(?:[a-z]{1,20}[ \t]+){0,2}"
    r"|it[ \t]+|this[ \t]+|that[ \t]+|there[ \t]+)(?:is|are|would[ \t]+be|becomes|will[ \t]+be)[ \t]+)?"
    r"\x24?([-+]?\d[\d.,/]*)\x24?(?:[ \t]+(?!(?:is|was|are|and|or|but|if|when|in|on|at|of|for|to"
    r"|by|with|from|per)\b)[a-z]{2,15})?[ \t*_]*[.!)]{0,3}[ \t*_]*(?:\n|$)",
    re.IGNORECASE,
)
# the answer labelled by its reading and another value labelled beside it: "42 (inclusive) / 41
# (exclusive)", "42 (inclusive), 41 (exclusive)"
_LABELLED_OTHER = re.compile(
    r"[ \t]*\([A-Za-z][A-Za-z \t-]{0,30}\)[ \t*_]*(?:/|,|;|or\b|and\b)[ \t*_]*\x24?"
    r"([-+]?\d[\d.,/]*)\x24?[ \t*_]*\([A-Za-z][A-Za-z \t-]{0,30}\)",
    re.IGNORECASE,
)
MAX_TAIL_AFTER_BOX = 300
_OFFER_RULED_OUT = re.compile(
    r"\b(?:not|\w+n't|never|extraneous|reject\w*|invalid|discard\w*|exclud\w*|fails?|impossible"
    r"|inadmissible|ruled|violates?|larger|smaller|bigger|greater|higher|lower)\b",
    re.I,
)
_CLAUSE_OPENER = re.compile(r"\b(?:but|and|though|although|that|while|whereas|yet)$", re.I)
# the same offer led by "also" at the start of a sentence or clause: "Also $3$ works.",
# "Also, x = 3 is a solution."
_ALSO_LEAD = re.compile(
    r"(?:^|(?<=[.;:!,(\n]))[ \t]*also,?[ \t]{1,3}\x24?(?:[a-z][ \t]*=[ \t]*)?\x24?"
    r"([-+]?\d[\d.,/]*)\x24?[ \t]{1,3}(?:would[ \t]+)?(?:works?|fits?|holds?|satisf(?:ies|y)|solves?"
    r"|(?:is|are)[ \t]+(?:an?|another)[ \t]+(?:(?:valid|possible|correct)[ \t]+)?"
    r"(?:solution|root|answer))\b",
    re.IGNORECASE,
)


def _tag_end(text: str) -> int:
    """Where the last `</answer>` ends, or -1."""
    at = text.lower().rfind("</answer>")
    return at + len("</answer>") if at >= 0 else -1


def other_value_after_box(text: str, answer: str) -> str | None:
    """Why the text after the last box (or `</answer>` tag) offers another value as good as
    the `answer` (a hedge), or None. Only a plain number that differs from the answer counts:
    `0.5 also works` after `\\boxed{\\frac12}` restates it."""
    if not isinstance(text, str) or not isinstance(answer, str):
        raise TypeError("other_value_after_box takes two str")
    spans = boxed_spans(text)
    end = max(spans[-1][1] if spans else -1, _tag_end(text))
    if end < 0:
        return None
    return _offered_value(text[end : end + MAX_TAIL_AFTER_BOX], answer)


def other_value_after_answer(text: str, answer: str) -> str | None:
    """`other_value_after_box` for an answer read from prose ("The answer is 5. 6 also
    works."): the text after the answer's last occurrence is read the same way."""
    if not isinstance(text, str) or not isinstance(answer, str):
        raise TypeError("other_value_after_answer takes two str")
    at = text.rfind(answer) if answer else -1
    if at < 0:
        return None
    end = at + len(answer)
    return _offered_value(text[end : end + MAX_TAIL_AFTER_BOX], answer)


def _offered_value(tail: str, answer: str) -> str | None:
    """Why `tail` (the text right after the answer) offers another number as good as it."""
    offers = [(m, True) for m in _ALSO_VALUE.finditer(tail)]
    offers += [(m, False) for m in _ALSO_LEAD.finditer(tail)]
    offers += [(m, False) for m in _RETRACTED_TO.finditer(tail)]
    offers += [(m, False) for m in _VALUE_IF.finditer(tail)]
    labelled = _LABELLED_OTHER.match(tail)
    if labelled:
        offers.append((labelled, False))
    for m, trailing in offers:
        if trailing:
            before = tail[: m.start()].rstrip(" \t\x24")
            if before and before[-1] not in ",;.(:!" and not _CLAUSE_OPENER.search(before[-20:]):
                continue  # "the method for n = 3 also works": the value is not the subject
        rest = tail[m.end() : m.end() + 120].split(".", 1)[0]
        if rest.lstrip(" \t\x24").startswith("?"):
            continue  # "Also 6 works? No: 6 gives 7": asked, not offered
        if _OFFER_RULED_OUT.search(rest):
            continue  # "-3 is another root, but it is extraneous": ruled out, not offered
        value = m.group(1).rstrip(".,/")
        if _other_number(answer, value):
            return f"hedged: {value} offered after the answer as good as it"
    return None


_NAME_BEFORE = re.compile(r"^\s*[A-Za-z](?:_\{?\w\}?)?\s*=(?!=)")


def _other_number(answer: str, value: str) -> bool:
    """Whether the plain number `value` differs from the answer, as the fast path decides it:
    also for an answer named by a variable (`x = 5`) and for a list (`2, 3`: every member
    differs); False when the fast path cannot tell."""
    members = (
        [answer] if len(answer) > 200 else [answer] + (answer.split(",") if "," in answer else [])
    )
    for i, member in enumerate(members):
        try:
            same = fast_compare(_NAME_BEFORE.sub("", member, count=1), [value], 1e-6)
        except Exception:
            same = None
        if i == 0 and same is not None:
            return same["status"] != "correct"  # the whole answer decides
        if i > 0 and (same is None or same["status"] == "correct"):
            return False  # a member it cannot read, or the value is one of them
    return len(members) > 1


# a numeral with its base as a bare or Unicode subscript: `101_2`, `101₂` (never `x_1`)
_PROSE_BASE = re.compile(r"(?<![\w\\.])(\d{1,60})(?:_(\d{1,2})|([₀-₉]{1,2}))(?![\w{}₀-₉])")
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


# a numeral with letter digits and its base (`FF_{16}`, `1A_16`), or capitals with a subscript,
# outside math: set as math, or the prose readers take the letters for a word and the
# subscript for the answer (`FF_{16}` was paid for 16)
_PROSE_LETTER_BASE = re.compile(
    r"(?<![\w\\.${])([0-9A-Z]{1,40})_(?:\{(\d{1,2})\}|(\d{1,2}))(?![\w{}$])"
)


def _letter_numerals_as_math(text: str) -> str:
    """`text` with each `_PROSE_LETTER_BASE` match outside math set as math. One pass: the `$`
    and `\\(`/`\\)` counts run along with the matches (a count from the start for each match was
    quadratic)."""
    out, last, dollars, opened = [], 0, 0, 0
    for m in _PROSE_LETTER_BASE.finditer(text):
        gap = text[last : m.start()]
        dollars += gap.count("$")
        opened += gap.count("\\(") - gap.count("\\)")
        numeral, base = m.group(1), m.group(2) or m.group(3)
        out.append(gap)
        if dollars % 2 or opened > 0 or numeral.isdigit():
            out.append(m.group(0))  # math already, or a numeral of digits (`_PROSE_BASE`)
        else:
            out.append(f"${numeral}_{{{base}}}$")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _braced_base(m: re.Match[str]) -> str:
    base = m.group(2) or m.group(3).translate(_SUBSCRIPT_DIGITS)
    return f"{m.group(1)}_{{{base}}}"


def choice_letter(candidate: str, choices: Mapping[str, str] | None = None) -> str | None:
    """The option letter an answer picks: `C`, `(C)`, `\\text{(C)}`, `C) text`, or the text of
    one of `choices`."""
    cleaned = _clean_letter(candidate)
    m = _LETTER.match(cleaned) or _LETTER_LEAD.match(cleaned)
    if m:
        return m.group(1)
    if choices:
        wanted = _normalize_choice(cleaned)
        for letter, option in choices.items():
            if _normalize_choice(str(option)) == wanted:
                return str(letter).strip("()").upper()
        # `12.0` or `\frac{24}{2}` for the option `12`: the same number written another way
        same = {
            str(letter).strip("()").upper()
            for letter, option in choices.items()
            if _same_number(str(option), cleaned)
        }
        if len(same) == 1:
            return same.pop()
    return None


def _same_number(option: str, candidate: str) -> bool:
    """Whether `candidate` is the number `option` states (exact, or decimals to 1e-6), as the
    in-process fast path decides it; anything it cannot read is no match."""
    if len(option) > 200 or len(candidate) > 200:
        return False
    try:
        verdict = fast_compare(option, [candidate], 1e-6)
    except Exception:
        return False
    return verdict is not None and verdict["status"] == "correct"


_LETTER_TOKEN = re.compile(r"(?<![A-Za-z\\])\(?([A-J])\)?(?![A-Za-z])")
_LETTER_LIST_SEPARATORS = re.compile(r"[\s,;/&()\[\]{}]+|\b(?:and|or)\b", re.I)
_HEDGE_JOIN = re.compile(r"\b(?:or|and)\b|[,/&]", re.I)
# "The answer is C", "The correct option is C", "The best choice: C"
_ANSWER_CLAUSE = re.compile(r"(?:answer|option|choice)\s*(?:is|:)", re.I)
# the reason given for a pick, after it: "B because C is too large", "B, since (C) fails"
_REASON = re.compile(
    r"[\s,;]*\b(?:because|since|as\s+opposed\s+to|due\s+to|given\s+that|owing\s+to)\b", re.I
)
# ... which names another option as good: "B because C works too", "B since C is also valid"
_ALSO_GOOD = re.compile(
    r"\b(?:also|either|equally|as\s+well|or|works?|valid|possible|acceptable|correct|right|true"
    r"|fine|too(?!\s+\w))\b",
    re.I,
)


def letters_named(candidate: str) -> set[str]:
    """The option letters of an answer that only lists letters (`A, C`, `(A) or (C)`,
    `A and C`): two or more of them are a hedge."""
    cleaned = without_reason(_clean_letter(candidate))
    tokens = [t for t in _LETTER_LIST_SEPARATORS.split(cleaned) if t]
    if tokens and all(re.fullmatch(r"[A-J]", t) for t in tokens):
        return set(tokens)
    found = list(_LETTER_TOKEN.finditer(cleaned))  # "(B) or maybe (C)"
    joined = {
        m.group(1)
        for prev, cur in zip(found, found[1:])
        if _HEDGE_JOIN.search(cleaned[prev.end() : cur.start()])
        for m in (prev, cur)
    }
    return joined if len(joined) > 1 else set()


def without_reason(clause: str) -> str:
    """A pick without the reason given after it ("B because C is too large" is B; the C is
    named in the reason only), unless the reason hedges ("B because it could also be C")."""
    reason = _REASON.search(clause)
    if reason is None:
        return clause
    picked, why = clause[: reason.start()], clause[reason.end() :]
    if not _LETTER_TOKEN.search(picked) or _ALSO_GOOD.search(why) or _RETRACTION.search(why):
        return clause
    return picked


def _letters_in_final_statement(text: str) -> set[str]:
    """Letters the final statement names when no answer was extracted: the clause after the
    last "answer is" / "answer:" / "option is" / "choice is", else the sentence of the last `(X)`
    in the text. Every letter of the clause counts (`either B or C` is a hedge), and so does a
    letter joined on later in its line (`C. Hmm, or maybe A.`)."""
    anchors = list(_ANSWER_CLAUSE.finditer(text))
    if anchors:
        from gymhub.verifiers.choice import _JOINED_LETTER  # choice imports this module

        line = drop_ruled_out(text[anchors[-1].end() :].lstrip(" \t\n*_:").split("\n", 1)[0])
        clause = re.split(r"\.\s", line, maxsplit=1)[0]
        clause = without_reason(clause)
        return set(_LETTER_TOKEN.findall(clause)) | set(_JOINED_LETTER.findall(line))
    found = list(re.finditer(r"\(([A-J])\)", text))
    if not found:
        return set()
    start = max(text.rfind(". ", 0, found[-1].start()), text.rfind("\n", 0, found[-1].start()))
    end = len(text)
    for stop in (". ", "\n"):
        k = text.find(stop, found[-1].end())
        end = min(end, k) if k >= 0 else end
    return set(re.findall(r"\(([A-J])\)", text[start + 1 : end]))


# another option named right after the boxed one, as an alternative: `\boxed{B} (or possibly C)`,
# `\boxed{B}? Or C?`, `\boxed{B}. Maybe C.`
_LETTER_BESIDE = re.compile(
    r"[\s$.,;:?!)]*(?:(?:hmm|wait|well)\W+)?\(?\s*(?:or|maybe|perhaps|possibly|probably|alternatively)\b"
    r"(?:\s+(?:maybe|perhaps|possibly|also|even|rather|it(?:'s|\s+is|\s+could\s+be)))*[\s,:]*"
    r"(?:\\boxed\s*\{\s*)?(?:option\s+|choice\s+)?\(?([A-J])\)?(?![A-Za-z])",
    re.I,
)


def _letter_beside_box(text: str) -> str | None:
    """The option a doubt right after the last box names beside it, or None."""
    spans = boxed_spans(text)
    if not spans:
        return None
    m = _LETTER_BESIDE.match(text, spans[-1][1], spans[-1][1] + 200)
    return m.group(1).upper() if m else None


def _letter_taken_back(text: str, letter: str) -> str | None:
    """Another option a retraction after the final answer (the last box or `</answer>`, else
    the last "answer is") names on a line of its own, or None."""
    spans = boxed_spans(text)
    end = max(spans[-1][1] if spans else -1, _tag_end(text))
    if end < 0:
        start = max(0, len(text) - 2000)
        anchors = list(_ANSWER_CLAUSE.finditer(text, start))
        if not anchors:
            return None
        end = anchors[-1].end()
    for m in _RETRACTED_TO_LETTER.finditer(text[end : end + MAX_TAIL_AFTER_BOX]):
        if m.group(1) != letter:
            return m.group(1)
    return None


class MathVerifier(Verifier):
    """Checks a final math answer against a gold answer (LaTeX or plain text).

    `deadline`: seconds of worker time per verification (hard: the worker is killed).
    `rel_tol`: tolerance used only when one side is written as a decimal.
    `fast_path`: decide integers, decimals, fractions and intervals of numbers in the caller
    (exact rational arithmetic, no sympy, no worker); False sends every answer to a worker.
    Context keys: `rel_tol`, `choices` ({letter: option text} for multiple choice),
    `question` (the problem: an answer that restates it is incorrect, see `math_restatement`;
    task envs pass it).
    """

    name = "math"
    uses_question = True
    version = "1"

    def __init__(
        self,
        *,
        deadline: float = 1.0,
        rel_tol: float = 1e-6,
        pool: WorkerPool | None = None,
        max_response_chars: int = MAX_RESPONSE_CHARS,
        max_answer_chars: int = MAX_ANSWER_CHARS,
        max_nesting: int = MAX_NESTING,
        fast_path: bool = True,
    ) -> None:
        if deadline <= 0:
            raise ValueError(f"deadline must be positive, got {deadline!r}")
        if rel_tol < 0:
            raise ValueError(f"rel_tol must be non-negative, got {rel_tol!r}")
        self.deadline = float(deadline)
        self.rel_tol = float(rel_tol)
        self._pool = pool
        self.max_response_chars = max_response_chars
        self.max_answer_chars = max_answer_chars
        self.max_nesting = max_nesting
        self.fast_path = fast_path

    @property
    def pool(self) -> WorkerPool:
        if self._pool is None or self._pool.closed:
            self._pool = default_pool()
        return self._pool

    # ----- the caller-side half -----------------------------------------------------------
    def _prepare(
        self, response: Any, reference: Any, context: Mapping[str, Any]
    ) -> Verdict | tuple[str, list[str], dict[str, Any]]:
        """Either a final verdict (no worker needed) or the worker's arguments."""
        _check_arguments(response, reference)
        gold = gold_answer(str(reference))
        if not gold:
            raise ValueError("math reference is empty")
        if len(response) > self.max_response_chars:
            return Verdict.unparseable(f"response longer than {self.max_response_chars} characters")
        response = squeeze_blank_runs(response)  # the readers' regexes are slow on long runs
        # `#### 16</s>`, `#### 16<|im_end|>`: a decoded end-of-sequence token was read as part
        # of the answer (`16</s>` unparseable, a right answer scored 0)
        response = without_end_tokens(response)
        # GLM's box tokens (`<|begin_of_box|>16<|end_of_box|>`) are its `\boxed{16}`: read as
        # one, the answer was unparseable
        if "<|begin_of_box|>" in response:
            response = _GLM_BOX.sub(r"\\boxed{\1}", response)
        # `x = ±2` in prose: the readers took the sign for punctuation and read 2 alone (a hedge
        # paid for the gold 2, the right answer scored 0 for the gold `\pm 2`)
        response = response.replace("±", "\\pm ").replace("∓", "\\mp ")
        # `from $40 to $45`: two prices on a line were read as the math `40 to `
        response = currency_dollars(response)
        # `101_2`, `101₂` in prose: the readers cut the base off and read 101
        response = _PROSE_BASE.sub(_braced_base, response)
        if "_" in response:  # `FF_{16}` in prose: its letters read as a word, 16 as the answer
            response = _letter_numerals_as_math(response)
        choices = context.get("choices")
        gold_letter = _LETTER.match(_clean_letter(gold))
        extraction = extract_final_answer(response)
        question = context.get("question")
        if gold_letter and not choices and isinstance(question, str):
            # "(A) 10 (B) 12 (C) 14" in the question: the option's text picks its letter
            choices = options_in_question(question[-MAX_QUESTION_CHARS:]) or None
        if gold_letter:
            return self._multiple_choice(gold_letter.group(1), response, extraction, choices)
        option = gold_option(gold)
        if option is not None:  # `\textbf{(C) }12`: the letter C, or the value 12
            letter, gold = option
            if any(choice_letter(c, choices) for c in extraction.candidates):
                return self._multiple_choice(letter, response, extraction, choices)
        if not extraction.candidates:
            return Verdict.unparseable("no final answer found (use \\boxed{...})")
        candidates = extraction.candidates[-MAX_CANDIDATES:]
        if len(extraction.candidates) > MAX_CANDIDATES:
            return Verdict.incorrect("hedged: too many different final answers")
        for candidate in candidates:
            why = precheck(candidate, self.max_answer_chars, self.max_nesting)
            if why:
                return Verdict.unparseable(why)
        for candidate in candidates:
            why = spaced_digits(candidate)
            if why:  # before the fast path, which would join `1 2` into 12
                return Verdict.incorrect(why)
        if extraction.source in ("anchor", "conclusion", "whole") and _put_as_question(
            response, candidates[-1]
        ):
            return Verdict.incorrect("the answer is put as a question")
        if extraction.source in ("anchor", "conclusion") and _range_end(response, candidates[-1]):
            return Verdict.incorrect("hedged: the answer is a range, read as its end")
        if extraction.source in ("boxed", "answer_tag") and len(candidates) == 1:
            why = other_value_after_box(strip_think(response), candidates[-1])
            if why:
                return Verdict.incorrect(why)
        elif extraction.source in ("anchor", "conclusion") and len(candidates) == 1:
            why = other_value_after_answer(strip_think(response), candidates[-1])
            if why:
                return Verdict.incorrect(why)
        question = context.get("question")
        if isinstance(question, str) and question.strip():
            for candidate in candidates:
                why = restates_question(candidate, gold, question[-MAX_QUESTION_CHARS:])
                if why:
                    return Verdict.incorrect(why)
            if extraction.source in ("anchor", "conclusion", "whole"):  # read from prose
                answered = strip_think(response)
                asked = question[-MAX_QUESTION_CHARS:]
                why = echoes_question(answered, candidates[-1], asked) or paraphrases_question(
                    answered, candidates[-1], asked
                )
                if why:
                    return Verdict.incorrect(why)
        options: dict[str, Any] = {"rel_tol": float(context.get("rel_tol", self.rel_tol))}
        if extraction.counts:  # one box per solution, a repeated root boxed twice
            options["counts"] = extraction.counts
        if len(gold_boxes(str(reference))) > 1:  # the gold's boxes: a set, never a multiset
            options["gold_boxes"] = True
        if isinstance(question, str) and asks_for_rounding(question[-MAX_QUESTION_CHARS:]):
            options["rounded"] = True  # the gold is a rounded value: "about 5" may answer it
        if isinstance(question, str) and asks_for_abs(question[-MAX_QUESTION_CHARS:]):
            options["abs_asked"] = True  # `|z| = 5` names the modulus asked for
        if isinstance(question, str) and _TEMPERATURE.search(question[-MAX_QUESTION_CHARS:]):
            options["temperature"] = True  # `300K` is 300 kelvin, not 300 thousand
        if isinstance(question, str) and asks_for_percent(question[-MAX_QUESTION_CHARS:], gold):
            gold += "\\%"  # "What percent of 40 is 20?" with gold 50: `50\%` answers it
        # the answer's equal restatements (`1/2 (50%)`, `1.5 hours, i.e. 90 minutes`): each
        # form states the same value, so the gold may be met by any of them
        restated = extraction.restated[-1] if len(candidates) == 1 and extraction.restated else []
        if restated:
            options["restated"] = restated[:MAX_CANDIDATES]
        if self.fast_path:
            fast = fast_compare(gold, candidates, options["rel_tol"], options.get("restated"))
            if fast is not None:  # a simple shape: no sympy, no worker round trip
                ok = fast["status"] == "correct"
                return (
                    Verdict.correct(detail=fast["detail"])
                    if ok
                    else Verdict.incorrect(fast["detail"])
                )
        return gold, candidates, options

    def _multiple_choice(
        self,
        gold: str,
        response: str,
        extraction: Extraction,
        choices: Mapping[str, str] | None,
    ) -> Verdict:
        for candidate in extraction.candidates:
            named = letters_named(candidate)
            if len(named) > 1:
                return Verdict.incorrect(f"hedged between options {sorted(named)}")
        letters = {choice_letter(c, choices) for c in extraction.candidates}
        letters.discard(None)
        if not letters:
            letters = _letters_in_final_statement(strip_think(response)[-2000:])
        # the shared multiple-choice reader too: a hedge either reader sees is a hedge
        from gymhub.verifiers.choice import chosen_letters  # choice imports this module

        shared = chosen_letters(response, choices)
        letters = letters | shared if letters and shared else letters or shared
        if not letters:
            return Verdict.unparseable("no option letter found")
        if len(letters) > 1:
            return Verdict.incorrect(f"hedged between options {sorted(letters)}")
        (letter,) = letters
        other = _letter_beside_box(strip_think(response)) if extraction.source == "boxed" else None
        if other is None:  # "The answer is B.\n\nActually, C.": taken back in a later paragraph
            other = _letter_taken_back(strip_think(response), letter)
        if other is not None and other != letter:  # `\boxed{B} (or possibly C)`, `\boxed{B}? Or C?`
            return Verdict.incorrect(f"hedged between options {sorted({letter, other})}")
        if (
            len(extraction.candidates) == 1
        ):  # `\boxed{14}` (the option's text), then "Actually, 20."
            answered = strip_think(response)
            if extraction.source in ("boxed", "answer_tag"):
                # `\boxed{\textbf{(B) }14}` or `\boxed{B}`, then "Hmm, 20.": the option's text
                # is the value a number after it is weighed against
                said = [extraction.candidates[0]] + (
                    [str(choices[letter])] if choices and letter in choices else []
                )
                why = next(filter(None, (other_value_after_box(answered, a) for a in said)), None)
            else:
                why = other_value_after_answer(answered, extraction.candidates[0])
            if why:
                return Verdict.incorrect(why)
        return Verdict.correct() if letter == gold.upper() else Verdict.incorrect(f"chose {letter}")

    @staticmethod
    def _verdict(result: PoolResult) -> Verdict:
        if result.status == "timeout":
            if result.detail == "no free worker":
                return Verdict(reward=0.0, status="infra_error", detail="no free verifier worker")
            return Verdict(reward=0.0, status="timeout", detail=result.detail)
        if result.status == "error" or not isinstance(result.value, dict):
            return Verdict(reward=0.0, status="error", detail=result.detail)
        status = result.value.get("status")
        detail = result.value.get("detail")
        if status == "correct":
            return Verdict.correct(detail=detail)
        if status == "error":  # the gold answer itself is bad: the hub's fault
            return Verdict(reward=0.0, status="infra_error", detail=detail)
        if status in ("incorrect", "unparseable"):
            return Verdict(reward=0.0, status=status, detail=detail)
        return Verdict(reward=0.0, status="error", detail=f"unexpected worker reply {status!r}")

    # ----- the Verifier API ---------------------------------------------------------------
    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        prepared = self._prepare(response, reference, context)
        if isinstance(prepared, Verdict):
            return prepared
        return self._verdict(self.pool.call(_COMPARE, *prepared, deadline=self.deadline))

    async def averify(self, response: str, reference: Any, **context: Any) -> Verdict:
        prepared = self._prepare(response, reference, context)
        if isinstance(prepared, Verdict):
            return prepared
        return self._verdict(await self.pool.acall(_COMPARE, *prepared, deadline=self.deadline))

    def verify_batch(
        self, responses: Sequence[str], references: Sequence[Any], **context: Any
    ) -> list[Verdict]:
        """Scores many responses at once, spread over every worker of the pool."""
        if len(responses) != len(references):
            raise ValueError(
                f"verify_batch got {len(responses)} responses and {len(references)} references"
            )
        prepared = self._prepare_many(responses, references, context)
        work = [p for p in prepared if not isinstance(p, Verdict)]
        # answers to the same gold go to the same worker: it parses the gold once, not once a
        # worker (a batch holds a group of answers per problem)
        keys = [item[0] for item in work]
        results = iter(self.pool.map(_COMPARE, work, deadline=self.deadline, keys=keys))
        return [p if isinstance(p, Verdict) else self._verdict(next(results)) for p in prepared]

    def _prepare_many(
        self, responses: Sequence[str], references: Sequence[Any], context: Mapping[str, Any]
    ) -> list[Verdict | tuple[str, list[str], dict[str, Any]]]:
        """`_prepare` for a batch. With two or more workers and a large batch, the extraction
        and the fast path run in the workers too, in chunks: in this process they would be
        serial under the GIL and cap the batch's scaling with cores (Amdahl). A chunk that
        fails in a worker (killed at its deadline, crashed) is prepared here instead, so no
        answer loses its verdict."""
        pool = self.pool
        if pool.size < 2 or len(responses) < PREPARE_IN_WORKERS_MIN:
            return [self._prepare(r, ref, context) for r, ref in zip(responses, references)]
        for response, reference in zip(responses, references):  # the caller's errors, raised here
            _check_arguments(response, reference)
        settings = {
            "deadline": self.deadline,
            "rel_tol": self.rel_tol,
            "max_response_chars": self.max_response_chars,
            "max_answer_chars": self.max_answer_chars,
            "max_nesting": self.max_nesting,
            "fast_path": self.fast_path,
        }
        shared = {k: context[k] for k in ("rel_tol", "choices", "question") if k in context}
        pairs = [(r, str(ref)) for r, ref in zip(responses, references)]
        size = -(-len(pairs) // (4 * pool.size))  # about four chunks a worker: even finishing
        chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
        results = pool.map(
            _PREPARE,
            [(chunk, settings, shared) for chunk in chunks],
            deadline=self.deadline * max(1, len(chunks[0]) // 8),
        )
        prepared: list[Verdict | tuple[str, list[str], dict[str, Any]]] = []
        for chunk, result in zip(chunks, results):
            if result.status != "ok":
                prepared += [self._prepare(r, ref, context) for r, ref in chunk]
                continue
            for item in result.value:
                kind = item[0]
                if kind == "raise":
                    raise ValueError(item[1])
                if kind == "verdict":
                    prepared.append(
                        Verdict(reward=item[1], status=item[2], detail=item[3], components=item[4])
                    )
                else:
                    prepared.append(item[1])
        return prepared

    def reference_response(self, reference: Any) -> str | None:
        if reference is None:
            return None
        return f"The final answer is $\\boxed{{{reference}}}$."

    def __repr__(self) -> str:
        return f"MathVerifier(deadline={self.deadline:g}, rel_tol={self.rel_tol:g})"


def prepare_chunk(
    pairs: list[tuple[str, str]], settings: dict[str, Any], context: dict[str, Any]
) -> list[tuple]:
    """Worker side of `MathVerifier._prepare_many`: each pair's final verdict (reward,
    status, detail), the arguments of its sympy comparison, or the reference's error."""
    verifier = MathVerifier(**settings)
    out: list[tuple] = []
    for response, reference in pairs:
        try:
            prepared = verifier._prepare(response, reference, context)
        except ValueError as exc:
            out.append(("raise", str(exc)))
            continue
        if isinstance(prepared, Verdict):
            verdict = prepared
            out.append(
                ("verdict", verdict.reward, verdict.status, verdict.detail, verdict.components)
            )
        else:
            out.append(("compare", prepared))
    return out
