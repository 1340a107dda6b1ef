"""Answer extraction from model output: `<think>`, `<answer>`, `\\boxed{}` and "final answer" anchors.

Everything here is plain string work in linear time (no regex backtracking on model text), so it
is safe to run in the caller's process on hostile input before any heavy work is attempted.
"""

from __future__ import annotations

import ast
import functools
import operator
import re
from dataclasses import dataclass, field
from fractions import Fraction

from gymhub.verifiers.math_forms import RULED_OUT_WORDS, before_ruled_out
from gymhub.verifiers.math_spelling import MINUS_SIGNS, spelled_number, without_bold

_THINK_OPEN = "<think>"
_THINK_CLOSE = "</think>"
_BOX_COMMANDS = ("\\boxed", "\\fbox")
MAX_BOXES = 64
_PROSE = re.compile(r"(?<!\\)\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")  # two words: prose, not math
_ANCHOR = re.compile(r"(?:final\s+answer|the\s+answer|answer)\s*(?:is|:)\s*[:=]?\s*", re.IGNORECASE)


def strip_think(text: str) -> str:
    """The text after the reasoning: everything after the last `</think>`; an unclosed
    `<think>` means the model never answered (empty string)."""
    if _THINK_CLOSE in text:
        return text.rsplit(_THINK_CLOSE, 1)[1]
    if _THINK_OPEN in text:
        return text.split(_THINK_OPEN, 1)[0]
    return text


def extract_tag(text: str, tag: str) -> str | None:
    """The content of the last `<tag>...</tag>` (case-insensitive), or None."""
    found = find_tags(text, tag, limit=1)
    return found[-1] if found else None


def _braced(text: str, start: int) -> tuple[str, int] | None:
    """The content of the brace group opening at `text[start] == '{'` and the index after it."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "\\":  # an escaped brace does not count
            continue
        if c == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif c == "}" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i + 1
    return None


def find_boxed(text: str, limit: int = MAX_BOXES) -> list[str]:
    """Contents of every `\\boxed{...}` / `\\fbox{...}` (nested braces allowed) and of the
    brace-less form `\\boxed 5`, in order of appearance; at most `limit` of them."""
    return [inner for _, _, inner in boxed_spans(text, limit)]


def boxed_spans(text: str, limit: int = MAX_BOXES) -> list[tuple[int, int, str]]:
    """`find_boxed` with where each box starts and ends: (start, end, content)."""
    found: list[tuple[int, int, str]] = []
    i = 0
    while len(found) < limit:
        positions = [(text.find(cmd, i), cmd) for cmd in _BOX_COMMANDS]
        positions = [(p, c) for p, c in positions if p >= 0]
        if not positions:
            break
        pos, cmd = min(positions)
        j = pos + len(cmd)
        while j < len(text) and text[j] == " ":
            j += 1
        if j < len(text) and text[j] == "{":
            group = _braced(text, j)
            if group is None:
                break
            found.append((pos, group[1], group[0]))
            i = group[1]
        elif j > pos + len(cmd) and j < len(text):
            end = j
            while end < len(text) and not text[end].isspace() and text[end] not in "$.,;":
                end += 1
            if end > j:
                found.append((pos, end, text[j:end]))
            i = end
        else:
            i = j
    return found


# ----- final-answer finding in prose ------------------------------------------------------------
# "Answer $9$", "Final Answer: The largest $n$ is 34.", "**Final Answer**\n\[ 9 \]", "答案是 9"
_ANCHOR_WORDS = (
    r"(?:final\s+answer|the\s+answer|answer|答案|最终答案|réponse|respuesta|antwort|ответ)"
)
_ANCHOR_SEP = re.compile(
    r"[\s*_#]*(?:is|was|will\s+be|:|：|=|为|是|為|est|es|ist)?[\s*_:：]*", re.I
)
_ANCHOR_WORD = re.compile(_ANCHOR_WORDS, re.IGNORECASE)
_FINAL_ANCHOR = re.compile(r"final\s+answer|最终答案", re.IGNORECASE)


def _gsm8k_line(text: str) -> str | None:
    """The value of GSM8K's answer line when it is the response's last ("#### 1,000"): what
    follows the `####` up to its final full stops, when a digit comes before any other `#`.
    String work, linear (a regex for it backtracked cubically on a long line of dots)."""
    body = text.rstrip()
    line = body[body.rfind("\n") + 1 :].lstrip(" \t")
    if not line.startswith("####"):
        return None
    value = line[4:].lstrip(" \t").rstrip(" \t.")
    digit = re.search(r"\d", value)
    if digit is None or "#" in value[: digit.start()]:
        return None
    return value


_CHAT_JUNK = re.compile(r"<\|[a-z_]{2,20}\|>.*$", re.S)  # "<|im_start|>user ..." after the answer
_SIGN_OFF = re.compile(r"I hope (?:it|this) is correct\.?|Hope this helps\.?", re.I)
_VERB = re.compile(
    r"\s(?:is|are|was|equals|=|be|it's|becomes|gives)\s+"
    r"|\b(?:it|that|this|which|there|here)['’]s\s+|为|是|：|\s=\s*|:\s+",
    re.I,
)
# digits separated by single spaces are one value: groups of thousands (`1 000`), or digits no
# reader can split (`1 2`, neither 12 nor a list: the verifier scores them ambiguous)
_NUMBER_IN_PROSE = re.compile(
    r"(?<![\w.])[-+]?(?P<currency>\\\$|\$)?(?:\d{1,3}(?:(?:,|,\\!\s?|\{,\})\d{3})+(?!\d)"
    # `1'000'000` (Swiss), `1.000.000` (two or more dotted groups): one number, never `000`
    r"|\d{1,3}(?:['’]\d{3})+(?![\d'’])|\d{1,3}(?:\.\d{3}){2,}(?![\d]|\.\d)"
    r"|\d+(?:[ \u00a0\u2009\u202f]\d+)*|(?=[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]))(?:\.\d+)?(?:/\d+)?"
    r"[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]?"  # `2½` is two and a half, never 2
    r"(?:[ \t]+and[ \t]+an?[ \t]+(?:half|quarter)\b)?"  # `2 and a half` (hours) too
    # a scale word after the number is part of it: `1.2 thousand` is 1200, `3 dozen` 36
    r"(?:[ \t]+(?:dozen|hundred|thousand|million|billion|trillion)\b"
    # or a scale letter right after it: `1.2k`, `2.5M`, `$1B`, `$2bn`, and `K` after a currency
    # sign (`$3K`; `300K` is a temperature)
    r"|(?:[kMB]|bn|(?(currency)K|(?!)))(?!\w|\.\w))?"
    r"(?:\s*(?:%|\\%|percent(?:age)?\b|pct\b|per\s+cent\b))?"
)
_HEDGE_WORDS = re.compile(
    r"\b(?:maybe|perhaps|possibly|probably|might|could|either|or|unsure|not\s+sure|guess)\b", re.I
)
# a bound written around a value ("at least 5", "more than 5", "5 or more", "5 and above"):
# the clause states a range, not the value, so the value alone is not its answer
_BOUNDS = (
    r"at\s+(?:least|most)|(?:no\s+)?(?:more|less|fewer|greater|higher|lower)\s+than|up\s+to"
    r"|upwards\s+of|in\s+excess\s+of"
)
_BOUND_BEFORE = re.compile(rf"\b(?:{_BOUNDS}|over|under|above|below|not)\s*$", re.I)
# right before a box only the unmistakable bounds: "At least $\boxed{5}$", "is over $\boxed{5}$",
# "is not $\boxed{5}$"
_BOX_BOUND_BEFORE = re.compile(
    rf"\b(?:{_BOUNDS}|between|(?:is|are|was|be|just|well|slightly)\s+(?:over|under|above|below|not))"
    r"\s*$",
    re.I,
)
# a relation written right before a box (`x \geq \boxed{5}`, `> \boxed{5}`), in words
_RELATION_BEFORE = re.compile(r"(?:\\[gl]eq?(?:slant)?|\\[gl]t|\\neq?|>=|<=|!=|[<>≥≤≠])\s*$")


def _relation_words(relation: str) -> str:
    """`\\geq`, `>=`, `≥` as "at least", `>`, `\\gt` as "more than" (and the same below)."""
    r = relation.strip()
    if r in ("\\ne", "\\neq", "!=", "≠"):
        return "not"
    strict = r in (">", "<", "\\gt", "\\lt")
    if r[0] in ">≥" or r.startswith("\\g"):
        return "more than" if strict else "at least"
    return "less than" if strict else "at most"


# an approximation written around a value ("about 5", "approximately $\boxed{5}$", "~5", "5
# (approx.)"): the value is a rounded one, which pays only for a gold that is rounded too
_APPROX_BEFORE = re.compile(
    r"(?:\b(?:approximately|approx\.?|about|around|roughly|nearly|almost|circa|close\s+to)"
    r"(?:\s+equal\s+to)?|~|≈|\\approx|\\sim)\s*$",
    re.I,
)
_APPROX_AFTER_WORDS = r"(?:\(\s*)?(?:approximately|approx\b\.?|roughly)(?![A-Za-z])"
# the bound may follow the value's unit or noun: "5 people or more", "5 red apples at most"
_UNIT_GAP = (
    r"(?:(?!(?:which|that|who|is|are|was|were|be|because|since|as|if|when|but|by|so)\b)"
    r"[A-Za-z]+\}?\s+(?:\\text\w*\s*\{\s*)?){0,3}"
)
_BOUND_AFTER = re.compile(
    r"^\s*(?:\\text\w*\s*\{\s*)?(?:\(\s*)?"
    + _UNIT_GAP
    + r"(?P<words>or\s+(?:more|less|fewer|greater|higher|lower|above|below|over|under)\b"
    r"|and\s+(?:above|below|over|under|up)\b"
    r"|and\s+(?:more|less|fewer|greater|higher|lower)\b(?![ \t]+[A-Za-z])"  # not "and more so"
    r"|at\s+(?:the\s+)?(?:least|most)\b|(?:or\s+)?(?:plus|minus)\b"
    # "12 minimum", "12 max" (not "12 min": minutes)
    r"|(?:minimum|maximum|max)\b(?!\s*(?:of|value|is|=))\.?)",
    re.I,
)
# "5 (approx.)", "5 hours or so", "12-ish", "12 (estimate)", "12 (rounded)", "12 (guess)", "12 (?)"
_APPROX_AFTER = re.compile(
    rf"^(?:-?ish\b|\s*(?:{_APPROX_AFTER_WORDS}|{_UNIT_GAP}or\s+so\b|(?:,\s*)?give\s+or\s+take\b"
    r"|\(\s*(?:an?\s+)?(?:estimated?|est\.|rounded|guess(?:ed)?|\?+)\s*\)))",
    re.I,
)
# a value the statement denies: "The answer isn't 5", "cannot be 5", "never 5", "unlikely to be
# 5", "5 is not the answer", "no, 5 is wrong"
_NEGATED_BEFORE = re.compile(
    r"(?:n['’]t|\bcan\s*not|\bcannot|\bcan['’]t|\bwon['’]t|\bnot|\bnever"
    r"|\bunlikely\s+to)(?:\s+(?:be|equal|equals|been))?\s*$",
    re.I,
)
_NEGATED_AFTER = re.compile(
    r"^\s*(?:is|was|are)\s*(?:n['’]t\b|not\b|wrong\b|incorrect\b|false\b)"
    r"|^\s*(?:is\s+)?(?:wrong|incorrect)\b",
    re.I,
)
# a bound after a box, past its unit or noun: "$\boxed{5}$ people or more", "\boxed{5} at most"
_BOX_BOUND_AFTER = re.compile(
    r"^\s*(?:\\text\w*\s*\{\s*)?"
    + _UNIT_GAP
    + r"(?P<words>or\s+(?:more|less|fewer|greater|higher|lower|above|below|over|under)\b"
    r"|and\s+(?:above|below|over|under|up)\b|at\s+(?:least|most)\b)",
    re.I,
)
_CONNECTOR = re.compile(r"^[\s,;]*(?:(?:and|or|\\text\{\s*(?:and|or)\s*\})[\s,;]*)?$", re.I)
MAX_SPANS = 400


def _currency(text: str, start: int, end: int) -> bool:
    """Whether the `$` at `start` is a dollar sign, not the `$` that opens math closed at `end`:
    it is followed by a digit, the would-be math is prose or ends with an operator, and its
    closing `$` is another dollar sign before a digit ("$5 per item, so the total is $40",
    "9 * $2 = $18")."""
    inner = text[start + 1 : end]
    return (
        inner[:1].isdigit()
        and text[end + 1 : end + 2].isdigit()
        # prose between them, or an operator right before the second sign (`9 * $2 = $18`)
        and (_PROSE.search(inner) is not None or re.search(r"[=+\-*/×]\s*$", inner) is not None)
        and "\\" not in inner
    )


def math_spans(text: str) -> list[tuple[int, int, str, bool]]:
    """Every math span of `text` as (start, end, content, display): `$$..$$` and `\\[..\\]`
    (may span lines), `$..$` and `\\(..\\)` (one line only, as a reader of inline math expects).
    Linear scan; an escaped dollar `\\$` is not a delimiter."""
    spans: list[tuple[int, int, str, bool]] = []
    i, n = 0, len(text)
    while i < n and len(spans) < MAX_SPANS:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "[(":
            close = "\\]" if text[i + 1] == "[" else "\\)"
            end = text.find(close, i + 2)
            inner = text[i + 2 : end] if end >= 0 else ""
            if end < 0 or (close == "\\)" and "\n" in inner):
                i += 2
                continue
            spans.append((i, end + 2, inner, close == "\\]"))
            i = end + 2
        elif c == "\\":
            i += 2
        elif c == "$":
            if text.startswith("$$", i):
                end = text.find("$$", i + 2)
                if end < 0:
                    break
                spans.append((i, end + 2, text[i + 2 : end], True))
                i = end + 2
                continue
            j = i + 1
            while j < n and text[j] != "$" and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            if j < n and text[j] == "$" and _currency(text, i, j):
                i += 1  # "$5 per item, so the total is $40": dollars, not math
            elif j < n and text[j] == "$":
                spans.append((i, j + 1, text[i + 1 : j], False))
                i = j + 1
            else:
                i = j
        else:
            i += 1
    return spans


def _masked(text: str) -> tuple[str, list[str]]:
    """`text` with every math span replaced by a placeholder `\x00k\x00`, and the spans."""
    out, found, last = [], [], 0
    for start, end, inner, _ in math_spans(text):
        out.append(text[last:start])
        out.append(f"\x00{len(found)}\x00")
        found.append(inner.strip())
        last = end
    out.append(text[last:])
    return "".join(out), found


_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")


# a fraction of a scale word in prose: `half a million`, `a quarter of a million`, `one and a
# half thousand` (math_spelling reads them as numbers)
_SMALL_NUMBER_WORDS = r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten)"
_SCALED_IN_WORDS = re.compile(
    rf"(?<![\w-])(?:(?:{_SMALL_NUMBER_WORDS}[ \t]+and[ \t]+)?{_SMALL_NUMBER_WORDS}[ \t]+)?"
    r"(?:half|quarters?|thirds?)[ \t]+(?:of[ \t]+)?(?:an?[ \t]+)?"
    r"(?:dozen|hundred|thousand|million|billion)\b",
    re.I,
)


# a time of day: `10:30`, `3:30 PM`, `7:00 a.m.` (two digits of minutes; `3:4` is a ratio)
_TIME_IN_PROSE = re.compile(
    r"(?<![\w.:])\d{1,2}:[0-5]\d(?![\d:])(?:[ \t]*[AaPp]\.?[ \t]?[Mm]\b\.?)?"
)


def _values_in(clause: str, spans: list[str]) -> list[tuple[int, int, str]]:
    """The values of a clause in order: math spans and numbers written in prose."""
    values = [(m.start(), m.end(), spans[int(m.group(1))]) for m in _PLACEHOLDER.finditer(clause)]
    bare = _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), clause)
    values += [(m.start(), m.end(), m.group(0)) for m in _NUMBER_IN_PROSE.finditer(bare)]
    if ":" in bare:  # a time (`10:30`, `3:30 PM`) is one value, never its minutes
        times = [(m.start(), m.end(), m.group(0)) for m in _TIME_IN_PROSE.finditer(bare)]
        values = [v for v in values if not any(t[0] <= v[0] < t[1] for t in times)] + times
    lowered = bare.lower()
    if "half" in lowered or "quarter" in lowered or "third" in lowered:
        values += [(m.start(), m.end(), m.group(0)) for m in _SCALED_IN_WORDS.finditer(bare)]
    return sorted(values)


# plain-text math written in prose without delimiters (`The answer is 2x+1.`, `x = 1 or x = 2`)
_PLAIN_CHARS = re.compile(
    r"[0-9A-Za-z_ \t+\-*/^().,=<>×÷·√π²³≤≥≠≈!'|\[\]\x00\\{}%⁰¹⁴⁵⁶⁷⁸⁹⁻⁺½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]+"
)
# `3:4`, `1 : 2`: a ratio; a colon elsewhere is prose (`6: 2 + 4 = 6` is a value, then working)
_RATIO_COLON = re.compile(r"(?<=\d)(?::| : )(?=\d)")
# LaTeX written in prose without `$` (`The answer is \frac{11}{20}.`): its commands are math,
# not words, and read whole (its last number alone, 20, is not what it says)
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_UNIT_PREFIXES = ("square", "cubic", "sq")
_TRAILING_UNIT = re.compile(
    rf"(?<![\\A-Za-z])((?:(?:{'|'.join(_UNIT_PREFIXES)})\.?\s+)?[A-Za-z]{{2,}})"
    r"((?:\s*\^\s*\d|[²³])?)\s*$"
)
_PLAIN_FUNCTIONS = (
    "sqrt pi sin cos tan cot sec csc ln log exp arcsin arccos arctan sinh cosh tanh".split()
)
_PLAIN_WORDS = frozenset(["and", "or", *_PLAIN_FUNCTIONS])
# a number, a space and a one-letter variable is a product (`2 x` is 2x, never 2), unless the
# letter is a one-letter SI unit (`5 m`, `3 s`) or starts a word or a number (`2 a day`, `2 x 3`)
_SPACED_PRODUCT = r"\d\s+(?![mshglLNJWKAV])[A-Za-z](?![A-Za-z])(?!\s*(?:\d|[A-Za-z]{2}))"
_PRODUCT_VARIABLE = re.compile(
    r"\s+((?![mshglLNJWKAV])[A-Za-z])(?![A-Za-z])(?!\s*(?:\d|[A-Za-z]{2}))"
)
_PLAIN_GLUE = re.compile(
    r"[+*/^=<>×÷·√π²³≤≥≠≈|]|\d[A-Za-z(!]|[A-Za-z)]\d|[\w)]\s*-\s*[\w(]|^[(\[].*[)\]]$|\d(?::| : )\d"
    rf"|\b(?:{'|'.join(_PLAIN_FUNCTIONS)})\b|{_SPACED_PRODUCT}|\d\s+x\s+\d|{_LATEX_COMMAND.pattern}|_\{{"
)
# words that bound or doubt a value: a clause with one is never plain math (`5 or more`)
_NOT_A_UNIT = frozenset(
    "more less fewer least most than up plus minus over under above below not no maybe perhaps "
    "possibly either ish".split()
)
_WORD_VERB = re.compile(
    r"\s(?:is|are|was|equals|be|becomes|gives)\s+|\b(?:it|that|this|which|there|here)['’]s\s+"
    r"|为|是|：|:\s+",
    re.I,
)


_NAMED_STRUCTURE = re.compile(
    r"^(?:at|(?:the|an?)[ \t]+(?:(?:open|closed|half-open|ordered)[ \t]+)?"
    r"(?:interval|point|pair|triple|set|vector|coordinates?|solution[ \t]+set))[ \t]+(?=[(\[{])",
    re.I,
)
_DOLLAR_BEFORE_DIGIT = re.compile(r"(?<![\\\w$])\$(?=\d)")
_FRAMING_WORD = re.compile(r"^(?:so|thus|hence|therefore|then)\b,?\s*", re.I)


def _plain_math(clause: str, spans: list[str]) -> str | None:
    """The clause, or its part after its first verb, when it is plain-text math: digits,
    one-letter variables, operators, math words, `and`/`or`, commas, and at most a unit word at
    the end (`2x+1`, `x^2 - 4`, `x = 1 or x = 2`, `1.2 × 10^3`, `5 cm^2`). Read whole: its last
    number alone (1 of `2x+1`, 2 of `x = 1 or x = 2`) is not what it says."""
    first = _WORD_VERB.search(clause)
    for part in (clause, clause[first.end() :] if first else None):
        if part is None:
            continue
        text = part.strip(" \t*_`")
        exclaimed = text.endswith("!")  # "The answer is 12!" (but `5!.` is a factorial)
        text = text.rstrip(".,;:*_` ").strip()  # Markdown emphasis aside
        text = _FRAMING_WORD.sub("", text)  # "Hence x = 2 and x = 3": the math after "Hence"
        # "The center is at (-2, 3).", "The answer is the interval (1, 2).": the point, interval
        text = _NAMED_STRUCTURE.sub("", text)
        text = _DOLLAR_BEFORE_DIGIT.sub("", text)  # `9 * $2 = $18`: dollars, a chain of numbers
        # a `!` that ends the sentence in prose is its exclamation mark ("The answer is 12!" is
        # 12); a factorial is written in math (`$12!$`, `\boxed{12!}`) or before more math
        # (`5! = 120`, `12!/2`)
        if exclaimed:
            text = text.rstrip("!").rstrip(".,;:*_` ")
        bare = _PLACEHOLDER.sub(" 0 ", text)
        if (
            not text
            or not _PLAIN_CHARS.fullmatch(_RATIO_COLON.sub("/", text))
            or not _PLAIN_GLUE.search(bare)
        ):
            continue
        if text.count("{") != text.count("}"):
            continue  # a cut or broken LaTeX expression
        commands_out = _LATEX_COMMAND.sub(lambda m: " " * len(m.group(0)), bare)  # same offsets
        words = list(re.finditer(r"[A-Za-z]{2,}", commands_out))
        other = [w for w in words if w.group(0).lower() not in _PLAIN_WORDS]
        if (
            len(other) == 2
            and other[0].group(0).lower() in _UNIT_PREFIXES
            and not bare[other[0].end() : other[1].start()].strip(" .")
        ):
            other = other[1:]  # `square units`, `cubic cm`: one unit of two words
        if len(other) > 1 or (
            other
            and (
                other[0].group(0).lower() in _NOT_A_UNIT
                or not re.fullmatch(r"\s*(?:\^\s*\d|[²³])?\s*", bare[other[0].end() :])
                or not re.search(r"\d", bare[: other[0].start()])
            )
        ):
            continue  # prose, or a word that is no unit after a number
        functions = "|".join(_PLAIN_FUNCTIONS)
        text = re.sub(rf"(?<![\\A-Za-z])({functions})\b", r"\\\1 ", text)
        text = text.replace("**", "^")
        if other:
            # the unit after the value (`64\pi units`, `2x cm`) is set as text, as `$2x$ cm` reads
            text = _TRAILING_UNIT.sub(r"\\text{ \1}\2", text)
        # `1.2 x 10^3`, `2 x 3`: a times sign between numbers, never the variable x
        text = re.sub(r"(?<=\d)\s*[x×]\s*(?=10\s*\^)|(?<=\d)\s+x\s+(?=\d)", r" \\times ", text)
        return _PLACEHOLDER.sub(lambda m: spans[int(m.group(1))], text).strip()
    return None


# a value ruled out right after the one given: `7 (not 8)`, `7, not 8`, `7 rather than 8`
_RULED_OUT_VALUE = re.compile(
    RULED_OUT_WORDS
    + r"[ \t]+(?:\x00\d+\x00|[-+]?\d(?:[\w.^*/+\-]|,\d{3})*(?<!\.))(?:[ \t]*[)\]])?",
    re.I,
)


def _drop_ruled_out(clause: str) -> str:
    """The clause without the values it rules out after giving one (`7 (not 8)` is 7, and
    `8 (not 7)` is 8): a value named only to be excluded is not the answer."""
    lowered = clause.lower()
    if "not" not in lowered and "rather" not in lowered and "instead" not in lowered:
        return clause  # the common case, without a regex scan
    out, last, given, doubt = [], 0, False, False
    for m in _RULED_OUT_VALUE.finditer(clause):
        start = len(before_ruled_out(clause[last : m.start()])) + last
        seen = clause[last:start]  # a value (digits, or a math span's placeholder) before it?
        given, doubt = (
            given or bool(re.search(r"\d", seen)),
            doubt or bool(_HEDGE_WORDS.search(seen)),
        )
        out.append(seen)
        if given and not doubt:  # `maybe 7, not 8` stays a hedge
            out.append(" ")
        else:
            out.append(clause[start : m.end()])
        last = m.end()
    return "".join(out) + clause[last:]


def _one_value(clause: str, start: int, end: int, value: str) -> str:
    """The clause's one value as the words around it make it: a bound (`at least 5`) or an
    approximation (`about 5`) stays with it, `45 degrees` is an angle, `2 x` a product,
    `5 squared` a power."""
    before, after = _PLACEHOLDER.sub(" ", clause[:start]), clause[end:]
    if _NEGATED_BEFORE.search(before) or _NEGATED_AFTER.match(after):
        return f"{value.strip()} \\text{{ (not) }}"  # denied: never the value
    bound = _BOUND_BEFORE.search(before) or _BOUND_AFTER.match(after)
    if bound:  # kept with the value, in words no reader takes as a unit: never the value
        words = bound.group("words") if bound.re is _BOUND_AFTER else bound.group(0)
        return f"{value.strip()} \\text{{ ({words.strip()}) }}"
    if _APPROX_BEFORE.search(before) or _APPROX_AFTER.match(after):
        return f"\\approx {value.strip()}"
    if re.match(r"\s*(?:°|degrees?\b)", after, re.I):  # `45 degrees` is an angle
        return f"{value.strip()}^\\circ"
    variable = _PRODUCT_VARIABLE.match(after)  # `we get 2 x.` is 2x, never 2
    if variable:
        return f"{value.strip()} {variable.group(1)}"
    power = re.match(r"\s*(squared|cubed)\b", after, re.I)  # `5 squared` is 25, never 5
    if power:
        return f"{value.strip()}^{2 if power.group(1).lower() == 'squared' else 3}"
    return value.strip()


# what follows a stated value to give its reason, its condition or where it is attained
# ("20 because there are 4 groups of 5", "20 (4 bags of 5 each)", "20, attained at $x = 5$"):
# the numbers there are the working, never the answer
_REASON_WORDS = (
    r"because|since|as|given|due\s+to|from|by|using|via|where|when|whenever|if|unless|after|"
    r"except(?=\s+(?:when|whenever|if|for|where|at|in|that)\b)|provided|assuming|"
    r"before|with|without|attained|achieved|reached|obtained|occurring|at|in|on|for|i\.e\.|e\.g\.|"
    # a comparison with another value: "20, which is 5 more than 15"
    r"which(?=\s+(?:is|are|was)\s+\S+\s+(?:more|less|fewer|greater|smaller|larger|higher|lower)\b)"
)
_NOT_A_NOUN = r"or|and|not|rather|which|that|so|then|is|are|was|were|be|been|has|have|had"
_REASON_AFTER = re.compile(
    r"(?:[\s,;:*_}]|\\text\w*\s*\{)*"  # emphasis, a closing text macro, a comma
    r"(?:(?!(?:" + _REASON_WORDS + "|" + _NOT_A_NOUN + r")\b)"
    r"[A-Za-z]+(?![A-Za-z])\.?\}?[\s,;:}]*){0,3}?"  # the unit or noun: `20 apples in 4 bags`
    r"(?:[-–—(][\s(]*)?"
    r"(?P<word>" + _REASON_WORDS + r")(?![A-Za-z])",
    re.I,
)
# a parenthesis of words after a value is an aside: "20 (4 bags with 5 each)"; never one that
# doubts, bounds or approximates it ("20 (or 21)", "20 (approx.)", "20 (at least)")
_ASIDE_AFTER = re.compile(
    r"(?:[\s*_}]|\\text\w*\s*\{)*(?:(?!(?:or|and)\b)[A-Za-z]+\.?[ \t]+){0,2}?\((?P<inner>[^()]*)\)"
)
_ASIDE_DOUBT = re.compile(
    r"\b(?:or|maybe|perhaps|possibly|probably|either|approx\w*|about|around|roughly|nearly|"
    r"more|less|fewer|least|most|plus|minus|not|rather|instead|between|exact\w*|also|could|might|"
    r"may|alternatively|otherwise|else|possible|unsure|guess)\b|±|\\pm|~",
    re.I,
)
# a doubt in what follows the value: "5, since it might be 6", "5 because it could also be 6"
_TAIL_DOUBT = re.compile(
    r"\b(?:maybe|perhaps|possibly|probably|either|also|could|might|may|alternatively|otherwise|"
    r"else|possible|unsure|guess)\b|\bor\s+(?:\x00\d+\x00|[-+]?\d)",
    re.I,
)
# a value these words come right before is a circumstance, not the statement's object:
# "after 5 days", "in 3 hours", "for 4 bags"
_PREPOSITIONS = frozenset(
    "in on at for after before with without from by of to into over under within during since "
    "because as if when whenever than between per each every step case part".split()
)


def _circumstance(before: str) -> bool:
    """Whether the text before a value makes it a circumstance (`after 5 days`) or part of an
    expression (`2^100`): its last word is a preposition, or it ends with an operator."""
    tail = before.rstrip()
    if tail[-1:] in ("^", "*", "/", "+", "-", "_") and not tail.endswith(("**", "__")):
        return True
    words = tail.rstrip(" \t*_$(")[-20:].split()
    return bool(words) and words[-1].lower() in _PREPOSITIONS


# a clause that opens with a reason ("Since $4 \cdot 5 = 20$, ...") states it before its comma
_REASON_FIRST = re.compile(
    r"^[\s*_]*(?:since|because|as|given|if|when|whenever|after|before|with|for|from|using|by)\b",
    re.I,
)
# the rest of the clause concludes (" so its speed is 30"): its value is the answer, not a reason
_CONCLUDES = re.compile(
    r"\b(?:so|thus|hence|therefore|then|giving|gives|yields?|making|means|get|gets|got|total|altogether)\b",
    re.I,
)
# a second value under a condition of its own: "5 if n is even and 6 if n is odd", "3 for x
# and 5 for y", "5 if n is even, otherwise 6": a conditional answer names two values
_SECOND_CASE_BEFORE = re.compile(r"(?:\b(?:and|or|but|while|whereas)|[,;(])[\s$]*$", re.I)
_SECOND_CASE_AFTER = re.compile(
    r"[\s$]*(?:[A-Za-z]+\.?\s+){0,2}?(?:if|when|whenever|for|unless|in\s+case)\b", re.I
)
_OTHERWISE_BEFORE = re.compile(r"\b(?:otherwise|else)[\s,:$]*$", re.I)
# words after a value that make it hold only under a condition: "5 unless n = 0" is no answer 5
# (unless the gold itself states the condition)
_CONDITIONS = frozenset(["unless", "except"])
# "If n > 0 then the answer is 5, otherwise 0": a case, then what holds otherwise
_OTHERWISE = re.compile(r"[,;]?[ \t]*\b(?:otherwise|or[ \t]+else|else)\b[\s,:]*", re.I)
_CONDITION_WORD = re.compile(r"\b(?:if|when|whenever|unless|for)\b", re.I)
_BARE_CASE = re.compile(
    r"(?:(?:it|this|that)(?:'s|\s+is|\s+equals)\s+|the\s+answer\s+is\s+)?[^A-Za-z]*", re.I
)


# after a value, its unit or noun: up to three words that give no reason and are no noun's stand-in
_NOUN_AFTER_VALUE = (
    r"(?:[\s*_}]|\\text\w*\s*\{)*"
    r"(?:(?!(?:"
    + _REASON_WORDS
    + "|"
    + _NOT_A_NOUN
    + r")\b)[A-Za-z]+(?![A-Za-z])\.?\}?[ \t]*){0,3}?"
)
# a value stated first, then (after its unit or noun and a comma) how it is made up: "20 apples,
# 4 bags of 5", "12 chairs; 3 rows of 4": the make-up's numbers are the working, not the answer
_MAKE_UP_BREAK = re.compile(
    _NOUN_AFTER_VALUE + r"(?P<sep>[,;]|(?<=[ \t])[-–—][ \t])",
    re.I,
)
_MAKE_UP = re.compile(
    r"[\s(]*[-+]?\d[\d.]*[ \t]*(?:(?!(?:or|and|not)\b)[A-Za-z]+\.?[ \t]+){0,3}?"
    r"(?:of|with|at|per|times|by|x|×|\\times)[ \t]+(?:\\?\$)?\d",
    re.I,
)
# "7, 2 of which are red": a part of the value, named after it
_PART_OF_IT = re.compile(r"[\s(]*\d[\d.]*[ \t]+(?:of[ \t]+)?(?:which|whom|them)\b", re.I)


def _make_up_cut(clause: str, end: int, later: list[tuple[int, int, str]]) -> int | None:
    """Where the first value's make-up starts (`20 apples, 4 bags of 5` -> the comma), or
    None: what follows the comma is values joined by "of", "with", "times", ... that neither
    concludes, restates (`is`, `=`), nor doubts, or a part of it (`7, 2 of which are red`)."""
    m = _MAKE_UP_BREAK.match(clause, end)
    if m is None:
        return None
    rest = _PLACEHOLDER.sub(" 0 ", clause[m.end() :])
    if _PART_OF_IT.match(rest) and not _HEDGE_WORDS.search(rest):
        return m.start("sep")
    if len([v for v in later if v[0] >= m.end()]) < 2:
        return None
    if (
        not _MAKE_UP.match(rest)
        or _CONCLUDES.search(rest)
        or _VERB.search(rest)
        or _HEDGE_WORDS.search(rest)
        or _TAIL_DOUBT.search(rest)
    ):
        return None
    return m.start("sep")


# a value, then (after its unit or noun and a comma or colon) the parts it is made of, each
# described: "12 apples, 3 from Tom and 9 from Ann" is 12 when the parts add up to it
_PARTS_BREAK = re.compile(
    _NOUN_AFTER_VALUE
    + r"(?:(?:in[ \t]+(?:total|all)|altogether|overall)[ \t]*)?"  # "6 cookies in total, 2 ..."
    r"(?P<sep>[,;:]|(?<=[ \t])[-–—][ \t])",
    re.I,
)
_CONNECTOR_WORDS = re.compile(r"\b(?:and|or|plus)\b", re.I)


def _prose_value(text: str) -> Fraction | None:
    """`12`, `$12`, `1,200`: the value of a number written in prose, else None."""
    return _number_value(re.sub(r"^\s*\\?\$|(?<=\d),(?=\d{3})", "", text))


def _parts_cut(clause: str, end: int, value: str, later: list[tuple[int, int, str]]) -> int | None:
    """Where the parts of the first value start ("12 apples, 3 from Tom and 9 from Ann" -> the
    comma), or None: two or more values, each followed by its own words, that add up to the
    value, with no verb, conclusion, assignment or doubt among them."""
    m = _PARTS_BREAK.match(clause, end)
    if m is None:
        return None
    parts = [v for v in later if v[0] >= m.end()]
    whole = _prose_value(value)
    values = [_prose_value(p[2]) for p in parts]
    if len(parts) < 2 or whole is None or None in values or sum(values) != whole:
        return None
    rest = _PLACEHOLDER.sub(" 0 ", clause[m.end() :])
    if (
        "=" in rest
        or _CONCLUDES.search(rest)
        or _VERB.search(rest)
        or _HEDGE_WORDS.search(rest)
        or _TAIL_DOUBT.search(rest)
    ):
        return None
    for part, following in zip(parts, [*parts[1:], (len(clause), 0, "")]):
        words = _CONNECTOR_WORDS.sub(" ", clause[part[1] : following[0]])
        if not re.search(r"[A-Za-z]{2,}", words):
            return None  # `12, 3 and 9`: a list of values, not parts described
    return m.start("sep")


_CHANCE = re.compile(r"\b(?:probability|chance|odds|likelihood)\b", re.I)
_ONE_IN = re.compile(r"(?<![\w.])(\d+)[ \t]+in[ \t]+(\d+)(?!\w|\.\d)", re.I)
_OUT_OF = re.compile(r"(?<![\w.])(\d+)\s+out\s+of\s+(\d+)(?!\w|\.\d)", re.I)


def _before_reason(clause: str, spans: list[str]) -> tuple[str, list[str]]:
    """The clause up to the reason, condition or aside that follows its stated value
    (`The answer is 20 because there are 4 groups of 5.` -> `The answer is 20`), and the values
    of a conditional answer that names two (`5 if n is even and 6 if n is odd`: a hedge)."""
    values = _values_in(clause, spans)
    if len(values) < 2:
        return clause, []
    floor = 0
    if _REASON_FIRST.match(_PLACEHOLDER.sub(" 0 ", clause)):
        comma = clause.find(",")
        if comma < 0:
            return clause, []
        floor = comma + 1
    first = True
    for k, (start, end, value) in enumerate(values):
        if start < floor or not value.strip():
            continue
        before = _PLACEHOLDER.sub(" 0 ", clause[max(floor, start - 40) : start])
        if _circumstance(before):
            continue
        if first:
            parts = _parts_cut(clause, end, value, values[k + 1 :])
            if parts is not None:
                return clause[:parts].rstrip(" \t,;:-–—(*_"), []
        mark = _REASON_AFTER.match(clause, end)
        cut = mark.start("word") if mark else None
        if cut is None and first:
            cut = _make_up_cut(clause, end, values[k + 1 :])
        first = False
        if cut is None:
            aside = _ASIDE_AFTER.match(clause, end)
            inner = aside.group("inner") if aside else ""
            if aside and re.search(r"[A-Za-z]{2}", _PLACEHOLDER.sub(" ", inner)):
                cut = aside.start("inner") - 1
                if _ASIDE_DOUBT.search(_PLACEHOLDER.sub(" ", inner)) and not any(
                    aside.start("inner") <= v[0] < aside.end("inner") for v in values
                ):
                    return clause, []  # "20 (approximately)": the qualifier stays with it
        if cut is None:
            continue
        if mark is not None and mark.group("word").lower() in _CONDITIONS:
            # "5 unless n = 0", "5, except when n = 0": an answer under a condition, a hedge
            return clause, [f"{value.strip()} \\text{{ ({mark.group('word').lower()}) }}"]
        # the words after the reason's own verb (`after giving 5 away` gives no conclusion)
        tail = re.sub(r"^\W*[A-Za-z]+(?:\W+[A-Za-z]+ing\b)?", "", clause[cut:])
        if _CONCLUDES.search(_PLACEHOLDER.sub(" ", tail)):
            return clause, []  # "60 miles in 2 hours, so its speed is 30"
        if _TAIL_DOUBT.search(clause, cut):
            # "5, since it might be 6", "5 (6 is also possible)": a doubt names another value
            others = [v[2].strip() for v in values[k + 1 :] if v[0] >= cut and v[2].strip()]
            return clause, ([value.strip(), *others] if others else [])
        later = [v for v in values[k + 1 :] if v[0] >= cut]
        for other in later:
            before = clause[max(cut, other[0] - 40) : other[0]]
            if _OTHERWISE_BEFORE.search(before) or (
                _SECOND_CASE_BEFORE.search(before) and _SECOND_CASE_AFTER.match(clause, other[1])
            ):
                return clause, [value.strip(), other[2].strip()]
        return clause[:cut].rstrip(" \t,;:-–—(*_"), []
    return clause, []


# `a = 5` in prose, or a math span that is one assignment (`$a = 5$`)
_PROSE_ASSIGNMENT = re.compile(
    r"(?<![A-Za-z\\])([A-Za-z])\s*=\s*([-+]?\d+(?:\.\d+)?(?:/\d+)?)(?![\d.]*\s*[-+*/^=])"
    r"|\x00(\d+)\x00"
)
_SPAN_ASSIGNMENT = re.compile(r"\s*([A-Za-z])\s*=\s*([^=<>]+?)\s*")
_ASSIGNMENT_JOIN = re.compile(r"[\s,;]*(?:and\s+)?", re.I)


def _assignments(clause: str, spans: list[str]) -> str | None:
    """The clause's values when it ends with assignments to two or more variables joined by
    commas or "and" (`We have a = 5, b = 6, and c = 7.`): all of them, as a list of
    assignments (a point), never its last value alone."""
    found = []
    for m in _PROSE_ASSIGNMENT.finditer(clause):
        if m.group(3) is not None:
            inner = _SPAN_ASSIGNMENT.fullmatch(spans[int(m.group(3))])
            if inner is None:
                found = []
                continue
            found.append((m.start(), m.end(), inner.group(1), inner.group(2)))
        else:
            found.append((m.start(), m.end(), m.group(1), m.group(2)))
    run = found[-1:]
    for prev, cur in zip(found[-2::-1], found[::-1]):
        if not _ASSIGNMENT_JOIN.fullmatch(clause[prev[1] : cur[0]]):
            break
        run.insert(0, prev)
    variables = [r[2] for r in run]
    if len(run) < 2 or len(set(variables)) != len(variables):
        return None
    if _values_in(clause[run[-1][1] :], spans):
        return None  # a value after them: the statement goes on
    return ", ".join(f"{var} = {value}" for _, _, var, value in run)


# a sign or an operation in words: "negative 5", "minus 5" (no value before it) is -5, and
# "5 minus 2", "5 plus 2" are the operations, never their last number alone
_SIGN_WORD = re.compile(r"\b(?:minus|negative)[ \t]+(?=(?:\x00\d+\x00|\d))", re.I)
_OPERATION_WORD = re.compile(
    r"(?<=[\d\x00])[ \t]+(plus[ \t]+or[ \t]+minus|minus|plus|divided[ \t]+by)[ \t]+"
    r"(?=(?:\x00\d+\x00|\d))",
    re.I,
)
_OPERATORS = {"minus": " - ", "plus": " + "}
_NEGATED_SPAN = re.compile(r"-(\x00(\d+)\x00)")


def _spell_signs(clause: str) -> str:
    """The clause with signs and operations in words written as symbols (`negative 5` is
    `-5`, `5 minus 2` is `5 - 2`)."""
    lowered = clause.lower()
    if "minus" not in lowered and "negative" not in lowered and "plus" not in lowered:
        if "divided" not in lowered:
            return clause
    clause = _OPERATION_WORD.sub(
        lambda m: _OPERATORS.get(
            m.group(1).lower(), " / " if "div" in m.group(1).lower() else " \\pm "
        ),
        clause,
    )

    def sign(m: re.Match[str]) -> str:
        before = clause[max(0, m.start() - 40) : m.start()].rstrip()  # bounded: linear
        value_before = bool(before) and (before[-1].isdigit() or before[-1] in ")}\x00")
        return m.group(0) if value_before else "-"

    return _SIGN_WORD.sub(sign, clause)


# arithmetic of numbers only (`12 - 4`, `3 \times 4`, `(2+3)/5`): working, when written after
# the value it computes
_ARITHMETIC_CHARS = re.compile(r"[\d\s.+\-*/()]{3,80}")
_ARITHMETIC_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _arithmetic_value(text: str) -> Fraction | None:
    """The exact value of `text` when it is arithmetic of numbers with at least one operation
    (`12 - 4`, `3 \\times 4`, `2^3`), else None. Bounded: 80 characters, small powers."""
    s = text.strip().strip("$").strip()
    for a, b in (("\\times", "*"), ("\\cdot", "*"), ("×", "*"), ("·", "*"), ("\\div", "/")):
        s = s.replace(a, b)
    s = s.replace("÷", "/").replace("^", "**").replace("{", "(").replace("}", ")")
    if not _ARITHMETIC_CHARS.fullmatch(s) or not re.search(r"[\d)]\s*[-+*/]", s):
        return None
    try:
        tree = ast.parse(s, mode="eval").body
    except SyntaxError:
        return None

    def value(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = value(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC_OPS:
            return _ARITHMETIC_OPS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            base, exponent = value(node.left), value(node.right)
            if exponent.denominator != 1 or abs(exponent) > 20 or abs(base) > 10**6:
                raise ValueError("power too large")
            return base ** int(exponent)
        raise ValueError("not arithmetic")

    try:
        return value(tree)
    except (ValueError, ZeroDivisionError, ArithmeticError):
        return None


def _number_value(text: str) -> Fraction | None:
    """`8`, `-2.5`, `3/4`, `50%`: the value of a plain number, else None."""
    m = re.fullmatch(r"\s*([-+]?\d+(?:\.\d+)?)(?:\s*/\s*(\d+))?\s*(%?)\s*", text)
    if m is None or m.group(2) == "0":
        return None
    value = Fraction(m.group(1)) / (int(m.group(2)) if m.group(2) else 1)
    return value / 100 if m.group(3) else value


# ----- an equal restatement of the answer in another form ---------------------------------------
# "1/2 (50%)", "1/2, i.e. 50%", "1.5 hours, i.e. 90 minutes": the same value said twice, and each
# form is the answer (a gold asking for minutes is answered by the 90); a restatement of another
# value ("1/2 (i.e. 60%)") is a second answer: a hedge
RESTATED = "\x01"  # joins an answer and its equal restatements inside the extractor

_UNIT_FACTORS: dict[str, tuple[str, Fraction]] = {}
for _dimension, _factor, _names in (
    ("time", "1", "s sec secs second seconds"),
    ("time", "60", "min mins minute minutes"),
    ("time", "3600", "h hr hrs hour hours"),
    ("time", "86400", "day days"),
    ("time", "604800", "week weeks"),
    ("length", "0.001", "mm millimeter millimeters millimetre millimetres"),
    ("length", "0.01", "cm centimeter centimeters centimetre centimetres"),
    ("length", "1", "m meter meters metre metres"),
    ("length", "1000", "km kilometer kilometers kilometre kilometres"),
    ("length", "0.0254", "inch inches"),
    ("length", "0.3048", "ft foot feet"),
    ("length", "0.9144", "yd yard yards"),
    ("length", "1609.344", "mi mile miles"),
    ("mass", "0.001", "mg milligram milligrams"),
    ("mass", "1", "g gram grams"),
    ("mass", "1000", "kg kilogram kilograms"),
    ("mass", "453.59237", "lb lbs pound pounds"),
    ("mass", "28.349523125", "oz ounce ounces"),
    ("volume", "1", "ml mL milliliter milliliters millilitre millilitres"),
    ("volume", "1000", "l L liter liters litre litres"),
    ("money", "100", "dollar dollars"),
    ("money", "1", "cent cents"),
):
    for _name in _names.split():
        _UNIT_FACTORS[_name] = (_dimension, Fraction(_factor))

# a quantity in a short piece of prose: `50%`, `1/2`, `\$5`, `1.5 hours`, `2,500 m`
_QUANTITY = re.compile(
    r"(?<![\w.])(?P<currency>\\?\$)?[ \t]?(?P<number>[-+]?(?:\d{1,3}(?:,\d{3})+|\d{1,30})"
    r"(?:\.(?P<decimals>\d{1,30}))?(?:/(?P<denominator>\d{1,30}))?|[-+]?\.(?P<bare>\d{1,30}))"
    r"(?:[ \t]?(?P<percent>\\?%|percent\b))?(?:[ \t](?P<unit>[A-Za-z]{1,12})|(?P<glued>[A-Za-z]{1,3}))?"
)
_RESTATEMENT_OPENER = re.compile(
    r"^[\s(,:]*(?:(?:=|that[ \t]+is|namely|i\.e\.|or|equivalently|in[ \t]+other[ \t]+words)"
    r"[\s,:]*)*",
    re.I,
)
MAX_QUANTITY_CHARS = 60


@dataclass
class _Quantity:
    value: Fraction
    unit: str | None  # the unit word as written, `dollar` for a currency sign
    decimals: int | None  # digits after the decimal point, when written as a decimal
    text: str  # the number as the answer would write it alone (`90`, `50\%`)


# arithmetic or a range right before a number: the number ends working (`12 times 4`), not a
# quantity of its own
_OPERATION_BEFORE = re.compile(
    r"(?:[-+*/×÷=^·<>≤≥]|\\(?:times|cdot|div)|\b(?:times|plus|minus|over|by|of|and|or|to|from"
    r"|between|than))[ \t]*$",
    re.I,
)


def _unmasked(text: str, spans: list[str]) -> str:
    """Masked prose with its math spans written back in, in plain form (`\\frac{1}{2}` as `1/2`,
    `\\%` as `%`, `\\text{ hours}` as ` hours`)."""
    text = _PLACEHOLDER.sub(lambda m: spans[int(m.group(1))], text)
    text = _SIMPLE_FRAC.sub(r"\1/\2", text)
    text = re.sub(r"\\(?:text|mathrm|textnormal)\s*\{\s*([A-Za-z]{1,12})\s*\}", r" \1", text)
    return text.replace("\\%", "%").replace("\\,", " ").replace("\\ ", " ")


_MIXED_QUANTITY = re.compile(r"(?<![\w./])([-+]?)(\d{1,12})[ \t]+(\d{1,3})/(\d{1,3})$")


def _quantity(text: str, at_end: bool) -> _Quantity | None:
    """The quantity that is all of `text` (`at_end` False), or that ends it (True), with its
    unit; None when there is none. Only short texts are read (linear, bounded)."""
    text = text.rstrip(" \t.,;:!($").replace("{,}", ",")
    mixed = _MIXED_QUANTITY.search(text[-MAX_QUANTITY_CHARS:].strip(" \t.,;:!)"))
    if mixed and (at_end or mixed.start() == 0) and 0 < int(mixed.group(3)) < int(mixed.group(4)):
        # `2 1/2`: a mixed number
        sign, whole, top, bottom = mixed.groups()
        value = int(whole) + Fraction(int(top), int(bottom))
        text_form = f"{sign}{whole} {top}/{bottom}"
        return _Quantity(-value if sign == "-" else value, None, None, text_form)
    if at_end:
        text = text[-MAX_QUANTITY_CHARS:]
    else:
        text = text[_RESTATEMENT_OPENER.match(text).end() :].strip(" \t.,;:!)")
        if len(text) > MAX_QUANTITY_CHARS:
            return None
    found = None
    for m in _QUANTITY.finditer(text):
        if m.end() == len(text) and (at_end or m.start() == 0):
            found = m
    if found is None or (at_end and _OPERATION_BEFORE.search(text, 0, found.start())):
        return None
    number = (found.group("number") or "0." + found.group("bare")).replace(",", "")
    try:
        if found.group("denominator"):
            top, bottom = number.split("/")
            value = Fraction(int(top), int(bottom))
        else:
            value = Fraction(number)
    except (ValueError, ZeroDivisionError):
        return None
    unit = found.group("unit") or found.group("glued")
    if found.group("currency"):
        if unit:
            return None  # `$5 dollars`: not a plain quantity
        unit = "dollar"
    percent = found.group("percent") is not None
    if percent:
        if unit:
            return None
        value /= 100
    decimals = found.group("decimals") or found.group("bare")
    written = number + ("\\%" if percent else "")
    return _Quantity(value, unit, len(decimals) if decimals else None, written)


def _unit_key(unit: str | None) -> tuple[str, Fraction] | str | None:
    if unit is None:
        return None
    if unit in _UNIT_FACTORS:
        return _UNIT_FACTORS[unit]
    lowered = unit.lower()
    if lowered in _UNIT_FACTORS and len(lowered) > 2:
        return _UNIT_FACTORS[lowered]
    return lowered[:-1] if lowered.endswith("s") and len(lowered) > 3 else lowered


def _restatement(before: str, after: str) -> tuple[str, str] | None:
    """How the quantity `after` restates the one that ends `before`: ("equal", its number) for
    the same value in another form or unit (`1/2` and `50%`, `1.5 hours` and `90 minutes`),
    ("rounded", ...) for its rounding (`1/3` and `0.33`), ("other", its number) for another
    value; None when `after` is no quantity, or the two cannot be compared (other units)."""
    first, second = _quantity(before, at_end=True), _quantity(after, at_end=False)
    if first is None or second is None:
        return None
    a, b = _unit_key(first.unit), _unit_key(second.unit)
    x, y = first.value, second.value
    if isinstance(a, tuple) and isinstance(b, tuple):
        if a[0] != b[0]:
            return None  # hours and metres: not one quantity
        x, y = x * a[1], y * b[1]
        scale = b[1]
    elif a == b:
        scale = Fraction(1)
    else:
        return None  # `12 apples (3 bags)`, `1.5 hours (90)`: not comparable
    if x == y:
        return "equal", second.text
    if second.decimals is not None and abs(x - y) <= scale / (2 * 10**second.decimals):
        return "rounded", second.text
    return "other", second.text


def _stated_with_working(number: str, working: str) -> str | None:
    """A number followed by the arithmetic it comes from ("8, that is, 12 minus 4", "8 (12 - 4)"):
    the number when the working computes it; both (a hedge) when it computes another value;
    None when `working` is no arithmetic or `number` no plain number."""
    stated = _number_value(number)
    members = [m for m in working.split("=") if m.strip()]  # `12 - 4 = 8`: a chain of working
    values = [_arithmetic_value(m) for m in members[:-1]] + [
        _arithmetic_value(members[-1]) if members else None
    ]
    if len(members) > 1 and values[-1] is None:
        values[-1] = _number_value(members[-1])
    if stated is None or not values or any(v is None for v in values):
        return None
    if len(set(values)) > 1:
        return f"{number.strip()} \\text{{ or }} {members[-1].strip()}"  # a false chain
    computed = values[0]
    if stated == computed:
        return number.strip()
    return f"{number.strip()} \\text{{ or }} {working.strip()}"


# "8, that is, 12 - 4", "12, which is 3 times 4", "12, the product of 3 and 4": what follows
# restates the value before it
_THAT_IS_SPLIT = re.compile(
    r"[,;]?\s*\b(?:that\s+is|namely)\b[,:]?|,[ \t]*which[ \t]+(?:is|equals)\b[,:]?"
    r"|,[ \t]*(?=the[ \t]+(?:product|sum)[ \t]+of\b|twice\b|half[ \t]+of\b)"
    r"|[ \t]+[—–][ \t]+",
    re.IGNORECASE,
)
_NUM = r"(\d+(?:\.\d+)?)"
# working written in words, as arithmetic: "3 times 4", "twice 4", "the product of 3 and 4"
_WORKING_WORDS = (
    (re.compile(rf"\b{_NUM}[ \t]+times[ \t]+{_NUM}\b", re.I), r"\1 * \2"),
    (re.compile(rf"\btwice[ \t]+{_NUM}\b", re.I), r"2 * \1"),
    (re.compile(rf"\bhalf[ \t]+of[ \t]+{_NUM}\b", re.I), r"\1 / 2"),
    (
        re.compile(rf"\bthe[ \t]+product[ \t]+of[ \t]+{_NUM}[ \t]+and[ \t]+{_NUM}\b", re.I),
        r"\1 * \2",
    ),
    (re.compile(rf"\bthe[ \t]+sum[ \t]+of[ \t]+{_NUM}[ \t]+and[ \t]+{_NUM}\b", re.I), r"\1 + \2"),
)


def _working_in_words(text: str) -> str:
    """`text` with working written in words as arithmetic (`3 times 4` is `3 * 4`)."""
    for pattern, arithmetic in _WORKING_WORDS:
        text = pattern.sub(arithmetic, text)
    return text


# "8 (12 - 4)", "8 (= 12 - 4)": the working in parentheses after the value
_WORKING_AFTER = re.compile(
    r"(?<![\w.^/])([-+]?\d+(?:\.\d+)?(?:/\d+)?%?)"
    r"((?:[ \t]+(?!(?:or|and|not|maybe|possibly|perhaps)\b)[A-Za-z]{2,}){0,2})"  # `8 apples (12 - 4)`
    r"[ \t]+\([ \t]*(?:=|that[ \t]+is\b[,:]?|namely\b[,:]?)?[ \t]*([^()\n]{1,80})\)"
)


def _drop_working(clause: str) -> str:
    """The clause with the working in parentheses after a value read as such: dropped when it
    computes the value (`8 (12 - 4)` is 8, never the product 64), a second candidate when it
    computes another one."""
    if "(" not in clause:
        return clause

    def read(m: re.Match[str]) -> str:
        number, unit, working = m.groups()
        said = _stated_with_working(number, working)
        if said is None:
            return m.group(0)
        return (
            f"{number}{unit}" if "\\text" not in said else f"{number}{unit} or ({working.strip()})"
        )

    return _WORKING_AFTER.sub(read, clause)


_NUMBER_WORD_TOKEN = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|dozen)\b",
    re.I,
)


_WORDED_ALTERNATIVE = re.compile(
    r"\b(?:or|maybe|perhaps|possibly|probably|(?:might|could|may)[ \t]+be)\b[\s,]*"
    r"(?:(?:even|rather|else|possibly|maybe|perhaps|just|also|about|a|an)[ \t]+){0,3}"
    rf"({_NUMBER_WORD_TOKEN.pattern})|({_NUMBER_WORD_TOKEN.pattern})[ \t]+or\b",
    re.I,
)


def _other_in_words(clause: str, start: int, end: int) -> str | None:
    """A number word offered as an alternative outside the value at `start:end` of a clause
    ("5 or six", "half a million or a million", "Or seven."): that other value (`6`,
    `1000000`, `7`); else None."""
    bare = _PLACEHOLDER.sub(" ", clause[:start]) + " " * (end - start) + clause[end:]
    m = _WORDED_ALTERNATIVE.search(bare)
    if m is None:
        return None
    word = (m.group(1) or m.group(2)).lower()
    return spelled_number(word) or spelled_number(f"a {word}") or word


# "14/3 or approximately 4.67", "14/3, or about 4.67": the value, then itself rounded
_OR_APPROX = re.compile(
    r"[ \t]*,?[ \t]*or[ \t]+(?:approximately|approx\.?|about|roughly|around|≈|~)[ \t]*", re.I
)


def _rounds_to(exact: str, rounded: str) -> bool:
    """Whether the decimal `rounded` is the plain number `exact` rounded to its digits."""
    m = re.fullmatch(r"\s*\$?\s*[-+]?\d*\.(\d{1,12})\s*\$?\s*", rounded)
    value, approx = _plain_number(exact), _plain_number(rounded)
    if m is None or value is None or approx is None:
        return False
    return abs(value - approx) <= Fraction(1, 2 * 10 ** len(m.group(1)))


# the steps of solving for one variable: `2x = 16 and x = 8`, `2x = 16, x = 8`
_STEP_JOIN = re.compile(r"\\text\{\s*(?:and|so|then)\s*\}|\b(?:and|so|then)\b|[,;]", re.I)
_SOLVED = re.compile(r"\s*([A-Za-z])\s*=\s*([-+]?\d+(?:\.\d+)?(?:/\d+)?)\s*")


def _solved_for(answer: str) -> str | None:
    """The last step of equations solved for one variable (`2x = 16 and x = 8` is `x = 8`): each
    earlier step is an equation in that variable only, not itself a value of it (`x = 1 and
    x = 2` stays a list), which the value satisfies; None otherwise."""
    if len(answer) > 300 or "=" not in answer:
        return None
    steps = [p for p in _STEP_JOIN.split(answer) if p.strip()]
    last = _SOLVED.fullmatch(steps[-1]) if len(steps) > 1 else None
    if last is None:
        return None
    name, value = last.group(1), last.group(2)
    for step in steps[:-1]:
        sides = step.split("=")
        if len(sides) != 2 or sides[0].strip() == name or sides[1].strip() == name:
            return None
        letters = set(re.findall(r"[A-Za-z]", re.sub(r"\\(?:cdot|times|div)\b", "", step)))
        if letters != {name}:
            return None  # another variable, or words: not a step of solving for this one
        numbers = []
        for side in sides:
            side = re.sub(rf"(?<=[\d)])\s*{name}", f"*({value})", side)
            side = side.replace(name, f"({value})")
            known = _arithmetic_value(side)
            numbers.append(known if known is not None else _number_value(side))
        if None in numbers or numbers[0] != numbers[1]:
            return None  # the value does not satisfy the step: not read as its solution
    return steps[-1].strip()


# one quantity in two units: "1 hour and 30 minutes", "5 dollars and 6 cents", "2 m 30 cm"
_COMPOUND = re.compile(
    r"(\d{1,12}(?:\.\d{1,12})?)[ \t]*([A-Za-z]{1,12})[ \t]*(?:,[ \t]*)?(?:and[ \t]+)?"
    r"(\d{1,12}(?:\.\d{1,12})?)[ \t]*([A-Za-z]{1,12})\b"
)


def _number_text(value: Fraction) -> str:
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def _compound_quantity(text: str) -> str | None:
    """ "1 hour and 30 minutes" as 3/2 (hours) restated as 90 (minutes), when `text` starts with
    two quantities of one dimension, the larger unit first; else None."""
    m = _COMPOUND.match(text)
    if m is None:
        return None
    big, small = _UNIT_FACTORS.get(m.group(2)), _UNIT_FACTORS.get(m.group(4))
    if big is None or small is None or big[0] != small[0] or big[1] <= small[1]:
        return None
    total = Fraction(m.group(1)) * big[1] + Fraction(m.group(3)) * small[1]
    return f"{_number_text(total / big[1])}{RESTATED}{_number_text(total / small[1])}"


# a parenthesis that ends the clause: `1/2 (50%)`, `1.5 hours (90 minutes)`
_FINAL_PARENTHESIS = re.compile(r"\(([^()\n]{1,80})\)[\s.,;:!]*$")
_OR_WORD = re.compile(r"\bor\b", re.I)


def _restated_value(clause: str, that_is: re.Match[str] | None, spans: list[str]) -> str | None:
    """The clause's answer when its value is restated after it, after "i.e." or "that is", in
    a parenthesis at its end, or after "or": the value and its restatement joined by `RESTATED`
    when they are equal (`1/2 (50%)`, `1.5 hours, i.e. 90 minutes`), the value alone when the
    restatement is its rounding (`14/3 (4.67)`), both as a hedge when it is another value
    (`1/2 (i.e. 60%)`); None when nothing restates it."""
    splits: list[tuple[int, int, bool]] = []  # (end of the value's part, start of the other)
    if that_is is not None and that_is.start() > 0:
        splits.append((that_is.start(), that_is.end(), True))
    window = max(0, len(clause) - 120)
    paren = _FINAL_PARENTHESIS.search(clause, window)
    if paren is not None and paren.start() > 0:
        splits.append((paren.start(), paren.start() + 1, True))
    ors = list(_OR_WORD.finditer(clause, window))
    if len(ors) == 1 and not _OR_WORD.search(clause, 0, window):
        splits.append((ors[0].start(), ors[0].start(), False))  # "1/2, or 50%": equal only
    for start, end, hedges in splits:
        stated = clause[:start].rstrip(" \t(")  # `1/2 (i.e. 60%)`: the value before the "("
        head = _unmasked(stated[-200:], spans)
        how = _restatement(head, _unmasked(clause[end:], spans))
        if how is None or (how[0] != "equal" and not hedges):
            continue
        before = _clause_answer(stated, spans, restated=False)
        value = _quantity(_unmasked(before, []), at_end=False) if before else None
        first = _quantity(head, at_end=True)
        if value is None or first is None or value.value != first.value:
            continue  # the value read is not the quantity restated
        kind, other = how
        if kind == "equal":
            return f"{before}{RESTATED}{other}"
        if kind == "rounded":
            return before
        return f"{before} \\text{{ or }} {other}"
    return None


# right after a box: its unit, then "i.e.", "that is", "namely" or a parenthesis
_RESTATED_AFTER_BOX = re.compile(
    r"(?<![ \t])\$?[ \t]*(?:(?:\\text\{[ \t]*([A-Za-z]{1,12})[ \t]*\}|([A-Za-z]{1,12}))[ \t]*)?"
    r"(?:,[ \t]*)?(?:\((?:[ \t]*(?:i\.\s?e\.,?|that[ \t]+is,?|namely,?))?"
    r"|(?:i\.\s?e\.|that[ \t]+is|namely),?)"
)


def _restated_after_box(text: str, end: int, answer: str) -> tuple[str, str] | None:
    """How the text right after the box (ending at `end`) restates its answer (`\\boxed{1/2}
    (50%)`, `\\boxed{1.5} hours, i.e. 90 minutes`), as `_restatement` says; None when it does
    not."""
    after = text[end : end + 200].split("\n", 1)[0]
    m = _RESTATED_AFTER_BOX.match(after)
    if m is None:
        return None
    rest = after[m.end() :]
    close = rest.find(")") if after[m.start() : m.end()].lstrip("$ \t,").startswith("(") else -1
    rest = rest[:close] if close >= 0 else re.split(r"[.;!?](?:\s|$)", rest, maxsplit=1)[0]
    unit = m.group(1) or m.group(2) or ""
    return _restatement(f"{_unmasked(answer, [])} {unit}", _unmasked(rest, []))


def _restated_chain(answer: str) -> str | None:
    """`1/2 = 50%`, `1.5 h = 90 min`: two plain quantities said equal, when they are (another
    form or unit of one value), as the last joined by `RESTATED` to the first; else None (a
    false equality is left to the comparison, which scores it)."""
    if len(answer) > 200 or answer.count("=") != 1:
        return None
    first, last = answer.split("=")
    how = _restatement(_unmasked(first, []), _unmasked(last, []))
    if how is None or how[0] != "equal" or _quantity(_unmasked(first, []), at_end=False) is None:
        return None
    return f"{last.strip()}{RESTATED}{first.strip()}"


def _restated_whole(text: str) -> str | None:
    """A whole answer (a tag's, or a short reply) that restates its value (`1/2 (50%)`,
    `1.5 hours, i.e. 90 minutes`), read as `_restated_value` reads a clause; else None."""
    if len(text) > 400 or not ("(" in text or "." in text or "that" in text or "namely" in text):
        return None
    masked, spans = _masked(text)
    clause = _THAT_IS.sub(" that is", masked)
    if "(" in clause and _drop_working(clause) != clause:  # `8 (12 - 4)`: 8, and its working
        return _clause_answer(clause, spans)
    return _restated_value(clause, _THAT_IS_SPLIT.search(clause), spans)


# the conclusion drawn from an equation: "Factoring, $(x-2)(x-3) = 0$, so $x = 2$ or $x = 3$."
_SO_CONCLUDING = re.compile(r"\b(?:so|thus|hence|therefore|giving|gives|yields?)\b", re.I)
_ONE_NAME = re.compile(r"\s*[A-Za-z](?:_\{?\w{1,8}\}?)?\s*")


def _is_equation(span: str) -> bool:
    """A span that is an equation to solve (`(x-2)(x-3) = 0`, `x^2 - 5x + 6 = 0`), not a
    value given to a name (`x = 2`)."""
    left, equals, right = span.partition("=")
    return bool(equals) and "=" not in right and _ONE_NAME.fullmatch(left) is None


def _after_solved_equation(clause: str, spans: list[str]) -> str:
    """The part of `clause` after its last "so" / "thus" / "hence" when an equation it solves
    stands before it and values follow it: the equation is working, the values the answer (its
    spans joined with the values read `(x-2)(x-3) = 0 or x = 2 or x = 3`: a right answer 0)."""
    bare = _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), clause)
    last = None
    for last in _SO_CONCLUDING.finditer(bare):  # noqa: B007 (the last is wanted)
        pass
    if last is None or not _values_in(clause[last.end() :], spans):
        return clause
    before = _PLACEHOLDER.finditer(clause, 0, last.start())
    if any(_is_equation(spans[int(m.group(1))]) for m in before):
        return clause[last.end() :]
    return clause


def _clause_answer(clause: str, spans: list[str], restated: bool = True) -> str | None:
    """What a reader takes as the answer in one clause: plain-text math read whole (see
    `_plain_math`), else the value after the last "is" / "=", else its only value, or its
    values joined when only `and`/`or`/commas separate them. Values it rules out are dropped."""
    clause = _spell_signs(_drop_ruled_out(_THAT_IS.sub(" that is", clause)))
    # "3 out of 4" is the ratio, never 4 (also as working: "50% (20 out of 40)" is 50%)
    clause = _OUT_OF.sub(r"\1/\2", clause)
    if _CHANCE.search(clause):  # "The probability is 1 in 6." is 1/6, never 6
        clause = _ONE_IN.sub(r"\1/\2", clause)
    # `25% (1/4)`: another form of the value, before its parenthesis is read as working
    again = _restated_value(clause, _THAT_IS_SPLIT.search(clause), spans) if restated else None
    if again is not None:
        return again
    clause = _after_solved_equation(_drop_working(clause), spans)
    that_is = _THAT_IS_SPLIT.search(clause)
    if restated and that_is is not None and that_is.start() > 0:
        # "8, that is, 12 minus 4": the value before, when what follows is only its working
        before = _clause_answer(clause[: that_is.start()], spans, restated=False)
        worded = _working_in_words(clause[that_is.end() :]).strip().rstrip(".!;")
        said = _stated_with_working(before, worded) if before and worded else None
        if said is None:
            after = _clause_answer(clause[that_is.end() :], spans, restated=False)
            said = _stated_with_working(before, after) if before and after else None
        if said is not None:
            return said
    if "-\x00" in clause:  # `negative $5$`: the span's value, negated
        spans = list(spans)
        for m in _NEGATED_SPAN.finditer(clause):
            inner = spans[int(m.group(2))]
            spans[int(m.group(2))] = (
                f"-{inner}" if re.fullmatch(r"[\d.]+", inner) else f"-({inner})"
            )
        clause = _NEGATED_SPAN.sub(r"\1", clause)
    otherwise = _OTHERWISE.search(clause) if restated else None
    if otherwise is not None and (
        _CONDITION_WORD.search(clause, 0, otherwise.start())
        # the condition may come before the anchor ("If n > 0, the answer is 5, otherwise 0"):
        # then only a bare value after "otherwise" is a second case
        or _BARE_CASE.fullmatch(clause, otherwise.end())
    ):
        # "If n > 0 then the answer is 5, otherwise 0": two cases, a hedge
        case = _clause_answer(clause[: otherwise.start()], spans, restated=False)
        other = _clause_answer(clause[otherwise.end() :], spans, restated=False)
        if case and other and _squeezed(case) != _squeezed(other):
            return f"{case} \\text{{ or }} {other}"
        if case and not other:  # "5 if n > 0, otherwise undefined"
            return f"{case} \\text{{ (otherwise) }}"
    plain = _plain_math(clause, spans)
    if plain:
        return _solved_for(plain) or _restated_chain(plain) or plain
    clause, cases = _before_reason(clause, spans)
    if cases:
        return " \\text{ or } ".join(cases)
    several = _assignments(clause, spans)
    if several:
        return several
    if _REASON_FIRST.match(_PLACEHOLDER.sub(" 0 ", clause)):
        # "After giving away 3, 5 apples remain.": the statement follows the reason's comma
        comma = clause.find(",")
        if comma > 0 and _values_in(clause[comma + 1 :], spans):
            clause = clause[comma + 1 :]
    verbs = list(_VERB.finditer(clause))
    stated = clause  # the whole statement, before its part after the verb is taken
    if verbs:
        after = clause[verbs[-1].end() :]
        if _values_in(after, spans):
            head = _PLACEHOLDER.sub(" ", clause[: verbs[-1].end()])
            clause = after
            if _NEGATED_BEFORE.search(head):  # "The answer cannot be 5": denied
                found = _values_in(clause, spans)
                return f"{found[-1][2].strip()} \\text{{ (not) }}" if found else None
    values = [v for v in _values_in(clause, spans) if v[2].strip()]
    if len(values) == 2:
        compound = _compound_quantity(
            _PLACEHOLDER.sub(" ", clause[values[0][0] : values[1][1] + 40])
        )
        if compound:  # "1 hour and 30 minutes": one quantity, never its 30
            return compound
    if not values:
        if _DOES_NOT_EXIST.search(clause) and not _HEDGE_WORDS.search(clause):
            return "\\text{DNE}"  # "The limit does not exist."
        return (_number_in_words_after(clause) if verbs else None) or _only_number_in_words(clause)
    if len(values) == 1:
        other = _other_in_words(clause, values[0][0], values[0][1])
        if other:  # "5 or six", "half a million or a million": a hedge
            given = spelled_number(values[0][2].strip()) or values[0][2].strip()
            return f"{given} \\text{{ or }} {other}"
        return _one_value(clause, *values[0])
    if len(values) == 2 and _rounds_to(values[0][2], values[1][2]):
        if _OR_APPROX.fullmatch(clause, values[0][1], values[1][0]):
            return values[0][2].strip()  # "14/3, or approximately 4.67": the value, rounded
    if _HEDGE_WORDS.search(_PLACEHOLDER.sub(" ", clause)) and len({v[2] for v in values}) > 1:
        # "maybe 4, maybe 5": every value named is a candidate (a hedge, never one answer)
        return " \\text{ or } ".join(v[2].strip() for v in values)
    last, before_last = values[-1], values[-2]
    if _TO_RANGE.fullmatch(clause, before_last[1], last[0]) and not re.search(
        r"\bfrom[ \t]*$",
        _PLACEHOLDER.sub(" ", clause[max(0, before_last[0] - 40) : before_last[0]]),
        re.I,
    ):
        a, b = before_last[2].strip(), last[2].strip()
        if _CHANCE.search(stated) or _RATIO_WORD.search(stated):  # "The ratio is 3 to 4."
            return f"{a}:{b}"
        return f"{a} \\text{{ and }} {b} \\text{{ (between) }}"  # "5 to 6 apples": a range
    joined = [values[0]]
    for prev, cur in zip(values, values[1:]):
        between = clause[prev[1] : cur[0]]
        if not _CONNECTOR.match(between):
            joined = [cur]  # words between values: the last value is the statement's object
            continue
        joined.append(cur)
    if len(joined) == 1:
        return _one_value(clause, *joined[0])
    if re.search(r"\bbetween\s*$", clause[: joined[0][0]], re.I):
        joined[-1] = (*joined[-1][:2], joined[-1][2] + " \\text{ (between) }")  # a range
    parts = [joined[0][2].strip()]
    for prev, cur in zip(joined, joined[1:]):
        word = "or" if re.search(r"\bor\b", clause[prev[1] : cur[0]], re.I) else "and"
        parts.append(f"\\text{{ {word} }} {cur[2].strip()}")
    said = " ".join(parts)
    return _solved_for(said) or said


# a number in words right after the statement's verb: "There are six ways.", "x equals three.",
# "The value is **two thirds**." (the words, up to eight, that spell one number)
_WORDS_AFTER_VERB = re.compile(
    r"[ \t*_]*(?:(?:exactly|only|just|precisely)[ \t]+[*_]*)?"
    r"((?:[A-Za-z]+(?:-[A-Za-z]+)*[ \t]*){1,8})"
)
# words after the number that make it no answer: "one of them", "six or seven", "two more"
_NOT_AFTER_NUMBER = frozenset(
    "of or and more less fewer times another other than to plus minus".split()
)


# a run of number words, hyphenated or spaced: `seventy-two`, `one hundred and five`
_NUMBER_WORD_RUN = re.compile(
    rf"(?<![\w-]){_NUMBER_WORD_TOKEN.pattern}"
    rf"(?:(?:[ \t]*-[ \t]*|[ \t]+(?:and[ \t]+)?){_NUMBER_WORD_TOKEN.pattern})*(?![\w-])",
    re.I,
)


def _only_number_in_words(clause: str) -> str | None:
    """The one number a clause without digits writes in words ("She sold seventy-two clips.",
    "In total, twenty-one people came."), as a value in digits would be read; None when there
    are several, when it is `one` (a pronoun as often as a number), or when a doubt, a bound, a
    denial or an approximation goes with it ("six or seven", "at least six", "about six")."""
    bare = _PLACEHOLDER.sub(" ", clause)
    if len(bare) > 400 or _HEDGE_WORDS.search(bare) or _TAIL_DOUBT.search(bare):
        return None
    runs = list(_NUMBER_WORD_RUN.finditer(bare))
    if len(runs) != 1:
        return None
    phrase = re.sub(r"[ \t]*-[ \t]*", "-", runs[0].group(0))
    numeral = spelled_number(phrase)
    if numeral is None or numeral == "1":
        return None
    before, after = bare[: runs[0].start()], bare[runs[0].end() :]
    following = after.split()[0].strip(".,;:!").lower() if after.split() else ""
    if following in ("percent", "percentage", "per"):  # "fifty percent": a percentage
        phrase = spelled_number(f"{phrase} percent") and f"{phrase} percent"
        if not phrase:
            return None
    if (
        following in _NOT_AFTER_NUMBER
        or _BOUND_BEFORE.search(before)
        or _BOUND_AFTER.match(after)
        or _NEGATED_BEFORE.search(before)
        or _APPROX_BEFORE.search(before)
        or _APPROX_AFTER.match(after)
    ):
        return None
    return phrase


_INFINITY_SIGN = re.compile(r"[ \t*_]*(?:(-)[ \t]*)?∞[ \t*_]*(?:[.!][ \t]*)?$")
_DOES_NOT_EXIST = re.compile(r"\b(?:does[ \t]+not|doesn['’]t)[ \t]+exist\b", re.I)


def _number_in_words_after(clause: str, start: int | None = None) -> str | None:
    """The number written in words right after the clause's last verb ("There are six ways."
    -> `six`), when nothing after it doubts, bounds or extends it; `one` only near the end
    ("There is one solution.", never "This is one way to see it")."""
    if start is None:  # after the clause's last verb
        verbs = list(_VERB.finditer(clause))
        if not verbs or _NEGATED_BEFORE.search(clause[: verbs[-1].end()]):
            return None
        start = verbs[-1].end()
    infinity = _INFINITY_SIGN.match(clause, start)
    if infinity:  # "The limit is ∞."
        return "-\\infty" if infinity.group(1) else "\\infty"
    m = _WORDS_AFTER_VERB.match(clause, start)
    if m is None:
        return None
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        phrase = " ".join(words[:n])
        numeral = spelled_number(phrase)
        if numeral is None:
            continue
        following = words[n].lower() if n < len(words) else ""
        if (
            following in _NOT_AFTER_NUMBER
            or _HEDGE_WORDS.search(clause)
            or _TAIL_DOUBT.search(clause)
        ):
            return None
        if numeral == "1" and len(clause[m.start(1) :].split()) > n + 2:
            return None  # "This is one way to see it": a pronoun, not the answer
        return phrase
    return None


_SENTENCE_END = re.compile(
    r"(?<=[.?。])(?<!approx\.)(?<!\bi\.e\.)\s+|(?<=[^\d)]!)\s+", re.IGNORECASE
)
# "i.e." restates what comes before it, as "that is" does: "12 times 4, i.e. 48" is 48
_THAT_IS = re.compile(r"\bi\.\s?e\.,?", re.IGNORECASE)


def _sentences(masked: str) -> list[str]:
    """Sentences of masked prose: split at line breaks and at ". " (never inside math)."""
    out = []
    for line in masked.split("\n"):
        # a `!` after a number or a bracket is a factorial (`5! = 120`), not the sentence's end
        # "approx. 5" and "12/4, i.e. 3" are one sentence
        out += [s for s in _SENTENCE_END.split(line) if s.strip()]
    return out


def _trim_punctuation(text: str) -> str:
    """Sentence punctuation after an answer (`$\\frac13.$`, `$5,$`), but not an ellipsis."""
    text = text.strip()
    if text.endswith(("...", "\\dots", "\\ldots", "\\cdots")):
        return text
    return text.rstrip(".,").strip()


def _clean_tail(text: str) -> str:
    text = _CHAT_JUNK.sub("", text)
    return _SIGN_OFF.sub("", text)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(".,")


def _next_line_span(text: str, end: int, spans: list[tuple[int, int, str, bool]]) -> str | None:
    """The math span that is alone on the line after the one ending at `end` (the first
    span's line holds nothing else), or None."""
    line_end = text.find("\n", end)
    if line_end < 0 or text[end:line_end].strip(" \t.,"):
        return None
    indent = text[line_end + 1 : end + 200]
    start = line_end + 1 + len(indent) - len(indent.lstrip(" \t"))
    after = next((s for s in spans[1:3] if s[0] == start), None)
    if after is None:
        return None
    tail = text[after[1] :].split("\n", 1)[0]
    if tail.strip(" \t.,"):
        return None
    return after[2].strip() or None


# a new clause of words after the anchored answer: "5; otherwise ...", "5; we subtract 3 ..."
# (never `x = 1; y = 2`: a one-letter variable opens no clause)
_NEW_CLAUSE = re.compile(r";\s+(?=[A-Za-z]{2,})")


def _answer_after(rest: str) -> str | None:
    """The answer written right after an anchor: a leading math span (display math may span
    lines), else the value of the anchor's sentence."""
    rest = _clean_tail(rest)
    stripped = rest.lstrip(" \t\n*_:：#")
    spans = math_spans(stripped)
    if spans and spans[0][0] == 0:
        start, end, inner, _ = spans[0]
        follow = stripped[end:].lstrip(" .,")
        qualified = _APPROX_AFTER.match(follow)  # `Answer: $5$ (approx.)`: read the sentence
        # another value in the sentence (`Answer: $5$, $6$`, `$5$ $6$`): read the sentence
        clause = re.split(r"\n|\.\s", follow, maxsplit=1)[0]
        more = re.search(r"\$|\\[(\[]|\d", clause) is not None
        if (
            not follow
            or follow[0] in "\n"
            or not (re.match(r"[A-Za-z]", follow) or qualified or more)
        ):
            other = _next_line_span(stripped, end, spans)
            if other and inner.strip() and _squeezed(other) != _squeezed(inner):
                # `Answer:\n$$5$$\n$$6$$`: a second answer on the next line, alone (a hedge)
                return f"{inner.strip()} \\text{{ and }} {other}"
            return inner.strip() or None
    masked, found = _masked(stripped)
    sentences = _sentences(masked)
    if not sentences:
        return None
    first = sentences[0]
    clause_break = _NEW_CLAUSE.search(first)
    if clause_break and _values_in(first[: clause_break.start()], found):
        # "The answer is 5; otherwise we would double count 3.": the answer's clause ends there
        first = first[: clause_break.start()]
    value = _clause_answer(first, found) or _number_in_words_after(first, 0)
    if value is None:  # a worded answer ("Tuesday", "(C)"): the sentence as written
        value = _PLACEHOLDER.sub(lambda m: f"${found[int(m.group(1))]}$", sentences[0])
    return value.strip()


ANSWER_WINDOW = 5000  # an anchor's answer is read from this many characters after it
MAX_ANCHOR_TRIES = 64  # anchors read, from the last, before giving up
_ANCHOR_LINE_END = re.compile(r"\s*\*\*\s*\n|\s*\n")


def _after_anchor(text: str, after: int = 0) -> str | None:
    """The answer stated after the last anchor (starting at or after `after`); "" for an anchor
    followed by malformed math; None when there is none. Anchors are looked for in the whole
    text (a final answer followed by pages of rambling is still found); each is read from the
    `ANSWER_WINDOW` characters after it, and at most `MAX_ANCHOR_TRIES` of them, from the last:
    linear in the text's length."""
    matches = list(_ANCHOR_WORD.finditer(text, after))
    tries = 0
    for m in reversed(matches):
        sep = _ANCHOR_SEP.match(text, m.end(), m.end() + 200)
        start = sep.end() if sep else m.end()
        rest = text[start : start + ANSWER_WINDOW]
        said = sep is not None and sep.group(0).strip(" \t\n*_#") != ""
        delimited = rest.lstrip(" \t*_").startswith(("$", "\\[", "\\("))
        if not said and not delimited:
            if not _ANCHOR_LINE_END.match(text, m.end(), m.end() + 200):
                continue  # "to answer this, ..." is not an anchor
        tries += 1
        if tries > MAX_ANCHOR_TRIES:
            return None
        answer = _answer_after(rest)
        if not answer and delimited:
            return ""  # "Answer $ <line break> 9 ..." : an anchor with malformed math
        if answer:
            return _trim_punctuation(answer) or None
    return None


# "5 to 6": a range (never its 6), unless "from 5 to 6" says where a change ends; "3 to 4" in a
# sentence about a ratio or odds is the ratio 3:4
_TO_RANGE = re.compile(r"(?<![ \t])[ \t]*(?:to|through|[–—])[ \t]*", re.I)
_RATIO_WORD = re.compile(r"\bratios?\b", re.I)
_ORDER = re.compile(
    r"(?<![\s*_#>])[\s*_#>]*(?:find|compute|calculate|determine|evaluate|solve|simplify|show|prove)\b(?!\s*[:=])",
    re.I,
)


def _concluding_value(text: str) -> str | None:
    """No box and no anchor: the last display-math block when the text ends with one, else the
    value of the last sentence (among the final three) that states one."""
    tail = _clean_tail(text[-3000:]).rstrip()
    spans = math_spans(tail)
    if spans and spans[-1][3] and not re.search(r"[A-Za-z0-9]", tail[spans[-1][1] :]):
        return _trim_punctuation(spans[-1][2]) or None
    masked, found = _masked(tail)
    sentences = _sentences(masked)[-3:]
    for k in range(len(sentences) - 1, -1, -1):
        sentence = sentences[k]
        if sentence.rstrip().endswith("?") or _ORDER.match(sentence):
            # a question or an order ("Find x if 2x = 10."), often the problem restated, is
            # not an answer
            continue
        answer = _clause_answer(sentence, found)
        if answer and k and _ALTERNATIVE.search(sentence) and not _KEEPS.search(sentence):
            # "I think it's 5. It might also be 6.": the value before is a candidate too
            earlier = _clause_answer(sentences[k - 1], found)
            if earlier and re.sub(r"\s+", "", earlier) != re.sub(r"\s+", "", answer):
                return f"{earlier} \\text{{ or }} {answer}"
        if answer:
            for later in sentences[k + 1 :]:  # "There are 6 ways. Or seven.": a hedge
                other = _other_in_words(later, 0, 0)
                if other:
                    return f"{answer} \\text{{ or }} {other}"
            return answer
    return None


@dataclass
class Extraction:
    """What the extractor found: the answer candidates (several different ones mean the model
    hedged) and where they came from (`boxed`, `answer_tag`, `anchor`, `whole`, `none`)."""

    candidates: list[str] = field(default_factory=list)
    source: str = "none"
    # how many times each candidate is written (boxes, tags), when one is written more than
    # once; else empty. `\boxed{2}\boxed{2}\boxed{3}` is the candidates 2, 3 written 2, 1 times:
    # a double root for a gold that lists one (`2, 2, 3`), the set {2, 3} otherwise
    counts: list[int] = field(default_factory=list)
    # for each candidate, the equal restatements written with it (`1/2 (50%)`: `50\%` beside
    # `1/2`; `1.5 hours, i.e. 90 minutes`: `90` beside `1.5`): each states the same answer
    restated: list[list[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if any(RESTATED in c for c in self.candidates):  # the extractor's own joins
            forms = [c.split(RESTATED) for c in self.candidates]
            self.candidates = [_trim_punctuation(f[0]) for f in forms]
            self.restated = [[_trim_punctuation(x) for x in f[1:] if x.strip()] for f in forms]

    @property
    def answer(self) -> str | None:
        return self.candidates[-1] if self.candidates else None


def _dedupe(items: list[str]) -> list[str]:
    return _counted(items)[0]


def _counted(items: list[str]) -> tuple[list[str], list[int]]:
    """The distinct items (up to whitespace) in order, and how many times each is written."""
    seen: dict[str, str] = {}
    counts: dict[str, int] = {}
    for item in items:
        key = re.sub(r"\s+", "", item)
        if key:
            seen.setdefault(key, item.strip())
            counts[key] = counts.get(key, 0) + 1
    return list(seen.values()), list(counts.values())


def _extraction(items: list[str], source: str) -> Extraction:
    """The distinct `items` as candidates, with their counts when one is repeated."""
    distinct, counts = _counted(items)
    return Extraction(distinct, source, counts if any(n > 1 for n in counts) else [])


def _tag_answers(tag: str) -> list[str]:
    """The answers one `<answer>` tag gives: its boxes when it has any, else its text."""
    return boxed_answers(tag) or [tag.strip()]


# what sits between a box and the next one that only rules the next one out:
# `$\boxed{7}$, not $\boxed{8}$`, `\boxed{7} (rather than \boxed{8})`
_RULING_OUT = frozenset(["not", "and not", "but not", "rather than", "instead of"])


def _rules_out(gap: str) -> bool:
    """Whether the text between two boxes only rules the second one out."""
    words = re.sub(r"[\s$()\[\]\\,;]+", " ", gap).strip().lower()
    return words in _RULING_OUT


def boxed_answers(text: str) -> list[str]:
    """The answers the boxes of `text` give, in order: a box that only rules out a value
    right after the box before it (`$\\boxed{7}$, not $\\boxed{8}$`) gives none, and a box
    with a bound or an approximation written around it gives the value so qualified."""
    spans = boxed_spans(text)
    answers = []
    for k, (start, end, inner) in enumerate(spans):
        floor = spans[k - 1][1] if k else 0
        if k and start - floor <= 80 and _rules_out(text[floor:start]):
            continue
        answers.append(_qualified_box(text, start, end, floor, inner))
    return answers


_CLOSING = re.compile(r"(?:\$|\\[)\]]|\*\*|\s)+")


def _without_opening(text: str) -> str:
    """`text` without the math openers and emphasis that end it (`... at least $`)."""
    while True:
        trimmed = text.rstrip().removesuffix("$").removesuffix("\\(").removesuffix("\\[")
        trimmed = trimmed.removesuffix("**")
        if trimmed == text:
            return text
        text = trimmed


def _qualified_box(text: str, start: int, end: int, floor: int, inner: str) -> str:
    """The box's answer with the words right around it that change it: "At least
    $\\boxed{5}$" is no answer 5 (a bound), "approximately $\\boxed{5}$" the rounded 5."""
    before = _without_opening(text[max(floor, start - 40) : start])[-30:]
    after = text[end : end + 80]
    after = after[m.end() :] if (m := _CLOSING.match(after)) else after
    relation = _RELATION_BEFORE.search(before)
    if relation:
        return f"{inner.strip()} \\text{{ ({_relation_words(relation.group(0))}) }}"
    bound = _BOX_BOUND_BEFORE.search(before) or _BOX_BOUND_AFTER.match(after)
    if bound:
        words = bound.group("words") if bound.re is _BOX_BOUND_AFTER else bound.group(0)
        return f"{inner.strip()} \\text{{ ({words.strip()}) }}"
    if _APPROX_BEFORE.search(before) or _APPROX_AFTER.match(after):
        return f"\\approx {inner.strip()}"
    condition = _BOX_CONDITION_AFTER.match(after)
    if condition:  # "$\boxed{5}$ unless $n = 0$": an answer under a condition, a hedge
        return f"{inner.strip()} \\text{{ ({condition.group('words').lower()}) }}"
    return inner


# "unless I misread the question", "unless there is an error": a doubt about the solver's own
# work, no condition of the problem with another answer in it (nor "unless otherwise stated")
_SELF_DOUBT = (
    r"(?!\s+(?:(?-i:I)(?:['\u2019](?:ve|m)|\s+have|\s+am)?\s+(?:made|make|misread|misunderstood"
    r"|miscalculated|mistaken|wrong|erred|overlooked|missed)\b|my\s+\w+\s+(?:is|was)\s+"
    r"(?:wrong|off|mistaken|incorrect)\b|there(?:['\u2019]s|\s+is|\s+was)\s+(?:a|an|some)\s+"
    r"(?:mistake|error|typo)|otherwise\s+(?:specified|stated|noted|indicated|mentioned)\b)"
    # ... that names no other value before the sentence ends ("unless I misread, then it
    # would be 6" is a hedge)
    r"(?:(?!in\s+which|then\b|would\b|otherwise\b|it(?:['\u2019]s|\s+is)\b)[^\d.!?\n)]){0,120}"
    r"(?:[.!?\n)]|$))"
)
# a condition right after a box: "$\boxed{5}$ unless $n = 0$", "\boxed{5}, except when n = 0"
_BOX_CONDITION_AFTER = re.compile(
    r"^[\s,;(]*(?P<words>unless" + _SELF_DOUBT + r"|except(?=\s+(?:when|whenever|if|for|where"
    r"|at|in|that)\b)|otherwise)\b",
    re.I,
)


# a final answer taken back right after it is given: "The final answer is 18. Wait, actually
# it's 20.", "$\boxed{5}$. Oops, no: $6$."
_RETRACTION = re.compile(
    r"\b(?:actually|correction|oops|i\s+mean|(?<![\w,;] )no\s*[,:!.]|should\s+be"
    r"|then\s+again|(?:is|was|that's|that\s+is)\s+(?:wrong|incorrect|a\s+mistake)"
    # "\boxed{5}. Wait, 6.", "Hmm, it's 6.", "Scratch that: 6.", "Nope, 6.", "My mistake, 6."
    # ("Wait, I need to check. Actually ..." reads on to the retraction that follows)
    r"|(?:wait|hmm+)\s*[,:!.]\s*(?=[-+\x24\\\d]|it(?:'s|\s+is)\b|the\s+answer\b)"
    # words that only ever take an answer back: also when they open a later paragraph
    r"|(?P<direct>(?<![\w,;] )no\s+wait\b|scratch\s+that|nope"
    r"|my\s+(?:mistake|bad)(?=\s*[,:;!.\u2013\u2014-])))"
    # a line that states the answer again, after the box: "\boxed{5}\n\nAnswer: 6"
    r"|(?m:^)[ \t*_#]*(?P<label>(?:final\s+)?answer[ \t*_]*:)",
    re.I,
)


# "It could be checked by hand in 3 minutes.", "This may be verified on a map.": a remark on
# how the answer is found or checked (a participle: checked, verified, done, shown), never
# another answer ("It could be 13.", "It could be Lyon.", "It could be red.")
_REMARK_VERB = (
    r"(?!\s+(?:(?-i:[a-z]{3,}ed)|done|shown|seen|found|written|proven|made|given|taken|drawn"
    r"|known|read)\b)"
)


# ... or given another answer beside it: "Alternatively, it could be 6.", "Another valid answer:
# 6", "6 is also defensible", "Or possibly 6."
_ALTERNATIVE = re.compile(
    r"\b(?:alternatively|another\s+(?:possible|valid|plausible|acceptable|correct)\s+answer"
    r"|(?:could|might|may)\s+also\s+be|(?:it|this|that|the\s+answer)\s+(?:could|might|may)\s+be"
    + _REMARK_VERB
    # "but I am not sure, could be 6", "(though 6 is arguably better)": another value offered
    + r"|(?:could|might|may)\s+be(?=\s+(?:\x24|\\\(|\\boxed|[-+]?\d))"
    # "Note: if we count the endpoints, the answer would be 13."
    r"|(?:the\s+answer|it)\s+would\s+(?:instead\s+)?be(?=\s+(?:\x24|\\\(|\\boxed|[-+]?\d))"
    r"|(?:though|although)(?=\s+(?:\x24|\\\(|\\boxed|[-+]?\d))"
    r"|(?:is|are)\s+also\s+(?:possible|valid|defensible|plausible|acceptable|correct)"
    r"|or\s+(?:possibly|perhaps|maybe)"
    r"|(?:maybe|perhaps|possibly)\s+(?:it(?:'s|\s+is|\s+should\s+be)|the\s+answer\s+is)"
    r"(?=\s+(?:\x24|\\\(|\\boxed|[-+]?\d)))\b",
    re.I,
)
_KEEPS = re.compile(
    r"\b(?:not|cannot|can't|isn't|never|no\b(?!\s*[,:!.])|fails?|invalid|rejected|extraneous"
    r"|however|but)\b",
    re.I,
)


# the last anchor names a second answer: "Answer: 5\nAnother valid answer: 6"
_ANOTHER_ANSWER = re.compile(
    r"\b(?:another|alternative|other|second)\s+(?:(?:possible|valid|plausible|acceptable|correct)"
    r"\s+)?answer",
    re.I,
)


def _another_answer(text: str) -> re.Match[str] | None:
    """The last "another answer" of the text when no other anchor follows it."""
    found = None
    for m in _ANOTHER_ANSWER.finditer(text, max(0, len(text) - 5000)):
        found = m
    if found is None or _ANCHOR_WORD.search(text, found.end()):
        return None
    return found


# right after the final answer only: another value beside it in parentheses or after "or", or
# under a condition ("$\boxed{5}$ (possibly 6)", "\boxed{5}? Or 6?", "5. Unless n = 0, in which
# case it is 6.", "\boxed{5}; if zero counts, $6$.")
_ALTERNATIVE_AFTER = re.compile(
    r"\(\s*(?:or|possibly|perhaps|maybe|probably)\b|(?:^|[,;?.(])\s*or\s+(?=\x24|\\\(|[-+]?\d)"
    # another value under a condition in parentheses: "12. (13 if we count the endpoints.)"
    r"|^[\s.;,]{0,5}\((?=\s*\x24?[-+]?\d[\d.,/]{0,30}\x24?\s+(?:if|when|assuming)\b)"
    r"|\botherwise\b[\s,:]*(?:it(?:'s|\s+is)\s+|the\s+answer\s+is\s+)?(?=\x24|\\\(|[-+]?\d)"
    r"|\b(?:unless" + _SELF_DOUBT + r"|in\s+which\s+case)\b|\bexcept\s+(?:when|if|for|at|in)\b"
    # a condition on the answer's own paragraph ("\n\nIf we double-check, 5 + 5 = 10" is a check)
    r"|^(?![ \t;,($]*\n[ \t]*\n)[\s;,($]{0,5}(?:if|when)\b[^.;\n]{0,80}?,\s*"
    r"(?:it(?:'s|\s+is)\s+|the\s+answer\s+is\s+)?"
    r"(?=\x24|\\\(|[-+]?\d)",
    re.I,
)


_RESTATED_ANSWER = re.compile(
    r"[\s,:]*(?:(?:the\s+)?(?:final\s+|correct\s+)?answer\s+(?:is|should\s+be)|it(?:'s|\s+is)"
    r"|it\s+should\s+be)\b",
    re.I,
)


# a doubt about the alternative just named is no reason against it: "Or Lyon, I am not sure.",
# "6, but I doubt it", "(possibly 6, but not likely)" still name it as a possible answer
_DOUBT = re.compile(
    r"\b(?:(?:but|though|although|however)[\s,]+)?(?:(?-i:I)(?:['\u2019]m|\s+am)\s+not\s+"
    r"(?:sure|certain|confident|positive)|(?-i:I)\s+doubt\s+it|(?:probably\s+|very\s+)?"
    r"(?:not\s+likely|unlikely))\b",
    re.I,
)


def _keeps(text: str) -> bool:
    """Whether a retraction or alternative keeps the answer after all ("No, it cannot be
    Lyon.", "6 fails the check"), a mere doubt about it not counting."""
    return _KEEPS.search(_DOUBT.sub(" ", text)) is not None


_SIMPLE_FRAC = re.compile(r"\\[dt]?frac\{\s*([-+]?\d+)\s*\}\{\s*(\d+)\s*\}")


def _plain_number(text: str) -> Fraction | None:
    """The value of a plain number, also as `$...$`, `\\frac{1}{2}` or `(or 0.5)`; else None."""
    text = re.sub(r"^[\s(]*(?:(?:or|equivalently)\b[\s,]*)*", "", text).rstrip(" \t\n).?!")
    return _number_value(_SIMPLE_FRAC.sub(r"\1/\2", text.strip().strip("$").strip()))


def _taken_back(text: str, end: int, answer: str) -> str | None:
    """The value a retraction right after a final answer (ending at `end`) gives instead of
    it, or an alternative given beside it, when it is a different one: the response then
    states two final answers."""
    after = text[end : end + 400]
    if text.count("$", 0, end) % 2 and after.startswith("$"):
        after = after[1:]  # the closing `$` of the answer's own math, not a new span
    m = _RETRACTION.search(after)
    if (
        m is not None
        and (
            not re.search(r"\n\s*\n", after[: m.start()])
            or m.group("label")  # "Answer: 6" on a line of its own states a final answer
            # "\boxed{5}\n\nNo wait, 6.": a paragraph that opens by taking the answer back
            or (m.group("direct") and re.search(r"\n[ \t]*\n[ \t*_>]*\Z", after[: m.start()]))
            # in a later paragraph, a retraction that states a new final answer: "\boxed{5}\n\n
            # Wait, I need to double check. Actually the answer is 6."
            or _RESTATED_ANSWER.match(after, m.end())
        )
    ):
        statement = after[m.end() :]  # the correction follows the retraction
    else:  # none, or only in a later paragraph (the next step of the working)
        m = _ALTERNATIVE.search(after, 0, 250) or _ALTERNATIVE_AFTER.search(after, 0, 250)
        if m is None or len(re.findall(r"\n\s*\n", after[: m.start()])) > 1:
            return None
        start = max(after.rfind(". ", 0, m.start()) + 1, after.rfind("\n", 0, m.start()) + 1)
        # the alternative's whole sentence: "6 is also defensible" (not the "?" that ended the
        # answer's own: "\boxed{5}? Or 6?")
        statement = after[start:].lstrip(" \t?.!,;:")
    masked, found = _masked(statement)
    sentences = _sentences(masked)
    if not sentences or _keeps(sentences[0]):
        return None  # "no, it cannot be 20" keeps the answer ("6, but I am not sure" does not)
    other = _clause_answer(sentences[0], found)
    if not other or re.sub(r"\s+", "", other) == re.sub(r"\s+", "", answer):
        return None
    if (value := _plain_number(other)) is not None and value == _plain_number(answer):
        return None  # the same number written another way: "\boxed{0.5} (or 1/2)", "5 (or 5.0)"
    # "Actually, 2 + 3 = 5 indeed.": working whose result is the answer restates it
    members = re.sub(r"\\text\{[^{}]*\}", "", other).strip(" ,;:").split("=")
    target = _number_value(answer)
    if (
        target is not None
        and len(members) > 1
        and all(
            (_number_value(m) if _number_value(m) is not None else _arithmetic_value(m)) == target
            for m in members
        )
    ):
        return None
    return other


# a line that opens with a framing or a condition word is a statement ("So 8 × 5 = 40 dollars.",
# "If x = 2, then y = 5."), never math read whole
_FRAMING_START = re.compile(
    r"(?:so|thus|hence|therefore|then|if|when|since|because|given|for)\b", re.I
)
# a parenthesis with a word in it after the answer (`x = 5 (since x > 0)`): an aside, read as a
# sentence's is (LaTeX commands are no words)
_WORDED_ASIDE = re.compile(r"\([^()]*?(?<![A-Za-z\\])[A-Za-z]{3,}")


def _beside_tag(whole: str, found: Extraction) -> Extraction:
    """A tagged answer with what the text right after its closing tag says: a retraction or
    an alternative with another value (`<answer>5</answer> Actually, 6.`) is a second
    candidate, a condition (`<answer>5</answer> unless n = 0`) stays with the answer."""
    closing = list(
        _tag_pattern("answer", True).finditer(whole, max(0, len(whole) - MAX_SCAN_CHARS))
    )
    if len(found.candidates) != 1 or not closing:
        return found
    end = closing[-1].end()
    (answer,) = found.candidates
    condition = _BOX_CONDITION_AFTER.match(whole[end : end + 80])
    if condition:
        return Extraction(
            [f"{answer.strip()} \\text{{ ({condition.group('words').lower()}) }}"], found.source
        )
    other = _taken_back(whole, end, answer)
    return Extraction([answer, other], found.source) if other else found


def extract_final_answer(response: str, whole_limit: int = 120) -> Extraction:
    """Find the final answer of a response.

    Order: strip `<think>`; the `<answer>` tag if any (boxes inside it win); every distinct
    `\\boxed{}` (identical repeats collapse into one candidate, different ones are all kept so the
    caller can treat them as a hedge); the last "final answer is ..." anchor; the whole remaining
    text when it is short (at most `whole_limit` characters, one line).
    """
    # a Unicode minus is a sign: read it as one (the anchor reader would drop it: `−5` -> 5)
    text = strip_think(response).translate(MINUS_SIGNS)
    # markdown bold is emphasis, never math: `**12** apples` (its `**` read as a power: `12^`)
    text = without_bold(text)
    if RESTATED in text:  # the extractor's own separator: never the model's to write
        text = text.replace(RESTATED, " ")
    tags = [tag for tag in find_tags(text, "answer") if tag.strip()]
    if tags:  # an unclosed tag beside a closed one is another tag: `<answer>5</answer><answer>6`
        tags += unclosed_answers(text, laid_out=True)
    if len(_dedupe(tags)) > 1:
        # several different <answer> tags are a hedge: every tag's own answer is a candidate
        # (the caller scores different candidates as a hedge, equal ones as one answer)
        return _extraction([a for tag in tags for a in _tag_answers(tag)], "answer_tag")
    tagged = extract_tag(text, "answer")
    if tagged is not None:
        # the tag's answer, and what the text right after the tag says beside it
        return _beside_tag(text, _final_answer(tagged, tagged=True, whole_limit=whole_limit))
    return _final_answer(text, tagged=False, whole_limit=whole_limit)


def _final_answer(text: str, tagged: bool, whole_limit: int) -> Extraction:
    """`extract_final_answer` of one text: the content of the `<answer>` tag (`tagged`) or the
    whole response."""
    every_box = boxed_answers(text)
    boxes = _dedupe(every_box)
    if boxes:
        # "Final Answer: The final answer is $10,455$." after the last box: the boxes were
        # intermediate results, the final statement is the answer
        last_box = max(text.rfind(cmd) for cmd in _BOX_COMMANDS)
        final = _after_anchor(text, after=last_box + 1) if not tagged else None
        if final and _FINAL_ANCHOR.search(text, last_box):
            return Extraction([final], "anchor")
        other = _taken_back(text, boxed_spans(text)[-1][1], boxes[-1]) if len(boxes) == 1 else None
        if other:
            return Extraction([boxes[-1], other], "boxed")
        chained = _restated_chain(boxes[-1]) if len(boxes) == 1 else None
        if chained:  # `\boxed{\frac12 = 50\%}`: one value in two forms
            return Extraction([chained], "boxed")
        again = (
            _restated_after_box(text, boxed_spans(text)[-1][1], boxes[-1])
            if len(boxes) == 1
            else None
        )
        if again is not None and again[0] == "other":  # `\boxed{1/2} (i.e. 60%)`: a hedge
            return Extraction([boxes[-1], again[1]], "boxed")
        if again is not None and again[0] == "equal":  # `\boxed{1.5} hours, i.e. 90 minutes`
            return Extraction([boxes[-1]], "boxed", restated=[[again[1]]])
        return _extraction(every_box, "boxed")
    if tagged and text.strip():
        return Extraction([_restated_whole(text.strip()) or text.strip()], "answer_tag")
    gsm8k = _gsm8k_line(text)
    if gsm8k and not _PROSE.search(gsm8k):
        return Extraction([gsm8k.strip()], "anchor")
    anchored = _after_anchor(text)
    if anchored:
        alternative = _another_answer(text)
        if alternative is not None:
            earlier = _after_anchor(text[: alternative.start()])
            if earlier and re.sub(r"\s+", "", earlier) != re.sub(r"\s+", "", anchored):
                return Extraction([earlier, anchored], "anchor")  # "Another valid answer: 6"
        stated = anchored.split(RESTATED)[0]
        said = text.rfind(stated)
        other = _taken_back(text, said + len(stated), stated) if said >= 0 else None
        return Extraction([anchored, other] if other else [anchored], "anchor")
    if anchored == "":
        return Extraction([], "none")
    stripped = text.strip()
    if (
        stripped
        and len(stripped) <= whole_limit
        and "\n" not in stripped
        and not _PROSE.search(stripped.replace("\\text", ""))
    ):
        spans = math_spans(stripped)
        if len(spans) == 1 and spans[0][0] == 0 and spans[0][1] >= len(stripped.rstrip(". ")):
            return Extraction([_trim_punctuation(spans[0][2])], "whole")
        # "So $x = 7$.", "Solving, $2x=14$, so $x=7$.": words around the math are not the
        # answer; the concluding statement's value is (the whole line would parse as S*o*x = 7)
        # "So x is 4.": a verb in words makes it a statement (whole, it parses as S*o*x*i*s*4)
        stated = (
            spans
            or _WORD_VERB.search(stripped)
            or _FRAMING_START.match(stripped)
            or _WORDED_ASIDE.search(_LATEX_COMMAND.sub(" ", stripped))
        )
        concluded = _concluding_value(text) if stated else None
        if concluded:
            return Extraction([concluded], "conclusion")
        whole = (
            _restated_whole(stripped)
            or _solved_for(stripped)
            or _restated_chain(stripped)
            or stripped
        )
        return Extraction([whole], "whole")
    listed = _listed_solutions(text)
    if listed:  # "**Solutions:**\n- $x = 2$\n- $x = 3$": every item, not the last line alone
        return Extraction([listed], "conclusion")
    concluded = _concluding_value(text)
    if concluded:
        return Extraction([concluded], "conclusion")
    return Extraction([], "none")


# a heading that announces several answers, on a line of its own: "**Solutions:**", "The roots
# are:", "### Answers"
_LIST_HEADING = re.compile(
    r"[ \t#*_>]*(?:(?:so|thus|hence|therefore)[ \t,]+)?(?:the[ \t]+|all[ \t]+(?:the[ \t]+)?)?"
    r"(?:real[ \t]+|possible[ \t]+|final[ \t]+)?(?:solutions|roots|answers|values|zeros)"
    r"(?:[ \t]+(?:are|is))?[ \t*_]*:?[ \t*_]*",
    re.I,
)
# one item of the list: a bullet or number, then one math span or number alone
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*\u2022+]|\d{1,2}[.)])?[ \t]*(.+?)[ \t]*[.,;]?[ \t]*")
_BARE_VALUE = re.compile(r"[+-]?\d+(?:\.\d+)?")
MAX_LISTED = 6


def _listed_solutions(text: str) -> str | None:
    """The answers a reply ends with as a list under a heading of their own ("**Solutions:**",
    "The roots are:") followed by 2-6 lines of one math span or number each, joined as one
    list (`x = 2 or x = 3`); None for any other ending. Items giving values to different names
    (`x = 2`, `y = 3`) are no such list."""
    lines = [line for line in text[-2000:].rstrip().split("\n") if line.strip()]
    if len(lines) < 3:
        return None
    items: list[str] = []
    for line in reversed(lines[-(MAX_LISTED + 1) :]):
        if _LIST_HEADING.fullmatch(line) and len(items) >= 2:
            break
        m = _LIST_ITEM.fullmatch(line)
        inner = m.group(1) if m else ""
        spans = math_spans(inner)
        if len(spans) == 1 and spans[0][0] == 0 and spans[0][1] == len(inner):
            items.append(spans[0][2].strip())
        elif _BARE_VALUE.fullmatch(inner):
            items.append(inner)
        else:
            return None
    else:
        return None
    names = {item.partition("=")[0].strip() for item in items if "=" in item}
    if len(names) > 1 or (names and not all("=" in item for item in items)):
        return None  # `x = 2`, `y = 3`: a solution of a system, not a list of answers
    if any(item.count("=") > 1 or not item for item in items):
        return None
    return " \\text{ or } ".join(reversed(items))


# ----- the named extraction policies -------------------------------------------------------------
# Every verifier and env reads the answer through one of these; docs/verifiers.md lists which.
MAX_TAGS = 64
MAX_SCAN_CHARS = 400_000  # tags and fences are looked for in the last this-many characters
_FENCE_OPEN = re.compile(r"```[ \t]*([\w+#.-]*)[^\n]*\n")


@functools.lru_cache(maxsize=64)
def _tag_pattern(tag: str, closing: bool) -> re.Pattern[str]:
    """Compiled once per tag: it runs on every step of every tag-reading env."""
    return re.compile(f"</{re.escape(tag)}>" if closing else f"<{re.escape(tag)}>", re.IGNORECASE)


def find_tags(text: str, tag: str = "answer", limit: int = MAX_TAGS) -> list[str]:
    """The contents of every closed `<tag>...</tag>` (case-insensitive), in order; each closing
    tag pairs with the nearest opening tag before it. Linear time (two literal scans), at most
    `limit` (the last ones), looking only at the last `MAX_SCAN_CHARS` characters."""
    text = text[-MAX_SCAN_CHARS:]
    opens = [m.end() for m in _tag_pattern(tag, False).finditer(text)]
    found: list[str] = []
    k = 0  # opens[:k] lie before the previous closing tag
    floor = 0
    for close in _tag_pattern(tag, True).finditer(text):
        while k < len(opens) and opens[k] <= close.start():
            k += 1
        if k and opens[k - 1] > floor:
            found.append(text[opens[k - 1] : close.start()])
        floor = close.end()
    return found[-limit:]


_ANSWER_MARK = re.compile(r"</?answer>", re.I)
# an opening tag laid out as a tag: at the start of a line or right after a closing tag, not a
# `<answer>` named in a sentence ("I used the <answer> tag")
_LAID_OUT = re.compile(r"(?:^|\n|</answer>)[ \t*_>-]*$", re.I)


def unclosed_answers(response: str, *, laid_out: bool = False) -> list[str]:
    """The texts of `<answer>` tags that no closing tag pairs with, up to the next tag or the
    end, where they are answers: one the tags after it close around
    (`<answer>A<answer>B</answer></answer>` holds `A`), or one left open at the end
    (`<answer>A</answer><answer>B` holds `B`). Tag extraction reads closed tags only, so such a
    text is a second answer beside the closed one; a lone `<answer>` in prose before the answer
    (`the <answer> tag below`) is neither, and with `laid_out` only tags that open a line or
    follow a closing tag count (not one named in a sentence after the answer). Bounded: the
    tags of the last `MAX_SCAN_CHARS` characters after the reasoning, at most `MAX_TAGS` texts."""
    text = strip_think(response)[-MAX_SCAN_CHARS:]
    if "<" not in text:
        return []
    marks = list(_ANSWER_MARK.finditer(text))
    closing = [m.group().startswith("</") for m in marks]
    surplus = [0] * (len(marks) + 1)  # closing minus opening tags from index i on
    for i in range(len(marks) - 1, -1, -1):
        surplus[i] = surplus[i + 1] + (1 if closing[i] else -1)
    out: list[str] = []
    for i, here in enumerate(marks):
        last = i + 1 == len(marks)
        if closing[i] or (not last and closing[i + 1]):
            continue  # a closing tag, or an opening one that the next tag closes
        if not last and surplus[i + 1] <= 0:
            continue  # nothing after it closes around it: prose, not an answer
        if laid_out and not _LAID_OUT.search(text, max(0, here.start() - 40), here.start()):
            continue
        inner = text[here.end() : len(text) if last else marks[i + 1].start()].strip()
        if inner:
            out.append(inner)
    return out[-MAX_TAGS:]


def find_code_blocks(text: str, limit: int = MAX_TAGS) -> list[tuple[str | None, str]]:
    """`(language tag or None, code)` of every closed ``` fenced block, in order (the last
    `limit`). A fence opens with ``` and an optional language tag (the rest of that line is
    ignored) and closes at the next ```."""
    text = text[-MAX_SCAN_CHARS:]
    blocks: list[tuple[str | None, str]] = []
    pos = 0
    while True:
        # literal scans, not `_FENCE_OPEN.search`: a regex retried at every ``` of a long run
        # with no newline after it read to the end each time (quadratic, 200,000 backticks: 10 s)
        start = text.find("```", pos)
        if start < 0:
            break
        line_end = text.find("\n", start + 3)
        if line_end < 0:
            break  # no fence opens without its line ending
        opening = _FENCE_OPEN.match(text[start : line_end + 1])
        body = line_end + 1
        end = text.find("```", body)
        if opening is None or end < 0:
            break
        blocks.append((opening.group(1).lower() or None, text[body:end]))
        pos = end + 3
    return blocks[-limit:]


def _distinct(items: list[str]) -> list[str]:
    """Stripped items without blanks, repeats (up to whitespace) collapsed, in order."""
    return _dedupe(items)


def extract_tagged(response: str, tag: str = "answer") -> Extraction:
    """Policy `tag`: the answer must be inside `<tag>...</tag>` after the reasoning. Every
    distinct tag content is a candidate (several different ones are a hedge); no tag: none."""
    text = strip_think(response)
    found = find_tags(text, tag)
    if found and tag.lower() == "answer":  # an unclosed tag beside a closed one: a hedge
        found += unclosed_answers(text, laid_out=True)
    return Extraction(_distinct(found), "answer_tag" if found else "none")


def after_last_tag(text: str, tag: str = "answer") -> str:
    """What follows the last closing `</tag>` among the last `MAX_SCAN_CHARS` characters (empty
    when there is none): where a retraction of, or an alternative to, a tagged answer stands."""
    scanned = text[-MAX_SCAN_CHARS:]
    closing = None
    for closing in _tag_pattern(tag, True).finditer(scanned):  # noqa: B007 (the last is wanted)
        pass
    return scanned[closing.end() :] if closing else ""


def extract_text_answer(response: str) -> Extraction:
    """Policy `text`: for answers that are words or numbers in free text. The `<answer>` tags
    after the reasoning; else the `\\boxed{}` answers; else the whole remaining text, stripped.
    Several different tags or boxes are all candidates (a hedge), and so is what a retraction or
    an alternative right after the answer says instead (`<answer>Paris</answer> Actually, Lyon.`)."""
    text = strip_think(response)
    if "<" not in text and "box" not in text:  # no tag and no \boxed/\fbox: skip both scans
        stripped = text.strip()
        return Extraction([stripped], "whole") if stripped else Extraction([], "none")
    tagged = find_tags(text, "answer")
    if tagged:  # an empty tag is an empty answer, not a reason to read the rest
        answers = _distinct(tagged + unclosed_answers(text, laid_out=True))
        return Extraction(_with_taken_back(answers, after_last_tag(text)), "answer_tag")
    scanned = text[-MAX_SCAN_CHARS:]
    spans = boxed_spans(scanned)
    boxes = _distinct([inner for _, _, inner in spans])
    if boxes:
        return Extraction(_with_taken_back(boxes, scanned[spans[-1][1] :]), "boxed")
    stripped = text.strip()
    return Extraction([stripped], "whole") if stripped else Extraction([], "none")


# after a worded answer, what takes it back ("Actually, Lyon.", "Wait, I mean Lyon.") or names
# another one beside it ("Or possibly Lyon.", "It could also be Lyon."): sentence openers only,
# so an explanation that merely uses the word ("Paris is actually the capital.") is no retraction
_TEXT_RETRACTION = re.compile(
    r"^[\s.,;:!)*_$}\]]*(?:(?:wait|hmm|oh|um)[\s,.!:;-]+)*"
    r"(?:actually|correction|oops|sorry(?![\s,]+(?:if|that|for|about)\b)|no\s*[,:!.]|i\s+mean|i\s+meant"
    r"|scratch\s+that|nope|my\s+(?:mistake|bad)(?=\s*[,:;!.\u2013\u2014-])"
    r"|(?:that(?:'s|\s+is)|this\s+is)\s+(?:wrong|incorrect|a\s+mistake))",
    re.I,
)
_TEXT_ALTERNATIVE = re.compile(
    r"\b(?:alternatively|another\s+(?:possible|valid|plausible|acceptable|correct)\s+answer"
    r"|(?:(?:could|might|may)\s+also\s+be|(?:it|the\s+answer)\s+(?:could|might|may)\s+(?:also\s+)?be)"
    + _REMARK_VERB
    # "It could also be described as the City of Light.", "The answer may be surprising": a
    # remark on the answer, no other one
    + r"(?!\s+(?:described|called|written|spelled|seen|considered|noted|useful|helpful|worth"
    r"|surprising|interesting|obvious)\b)"
    r"|(?:is|are)\s+also\s+(?:possible|valid|defensible|plausible|acceptable|correct)"
    r"|or\s+(?:possibly|perhaps|maybe|else|rather)|either\s+that\s+or)\b",
    re.I,
)


# "Actually, that's correct.", "No, I'm confident.", "Nope, that's it.": the word that opens a
# retraction, confirming the answer instead (the whole remark: "No, I'm sure it's Lyon." is none)
_TEXT_CONFIRMS = re.compile(
    r"^(?:(?:actually|i\s+mean|no|nope|scratch\s+that|wait|hmm+)[\s,:;.!\u2013\u2014-]*){1,2}"
    r"(?:(?:that(?:'s|\s+is)|this\s+is|it(?:'s|\s+is))\s+"
    r"(?:(?:indeed|definitely|certainly|absolutely|still)\s+)?(?:correct|right|true|confirmed"
    r"|fine|final|it|all|(?:a\s+)?well[- ]known(?:\s+fact)?)"
    r"|i(?:'m|\s+am)\s+(?:(?:quite|very|fairly|pretty|completely)\s+)?(?:sure|certain|confident"
    r"|positive)|(?:that|this|it)\s+checks\s+out|confirmed|correct|right|i\s+double-?checked"
    r"|no\s+(?:errors?|mistakes?|changes?)|nothing\s+(?:else|more)(?:\s+to\s+add)?)"
    r"\s*[.!]?$",
    re.I,
)


# "I mean, it is the capital after all.": a remark that describes the answer (its complement
# opens with an article or an adverb, it holds no number and no other name) rather than naming
# another one ("I mean, it is Lyon.", "I mean Lyon.")
_TEXT_ELABORATES = re.compile(
    r"^i\s+mean\s*[,:]\s*(?:it|that|this|which)(?:'s|\u2019s|\s+(?:is|was))\s+"
    r"(?:(?:really|just|simply|also|still|obviously|clearly)\s+)?(?:the|a|an)\s+[^\d]*$",
    re.I,
)


_DISOWNING_WORD = re.compile(
    r"\b(?:mistakes?|typos?|errors?|wrong|incorrect|false|not|no|isn't|wasn't|other|another)\b",
    re.I,
)


def _elaborates(said: str) -> bool:
    """Whether `said` (a remark after the answer) only describes it: `_TEXT_ELABORATES` and no
    capitalised word after its opening besides `I` (a name would be another answer)."""
    if _TEXT_ELABORATES.match(said) is None or _DISOWNING_WORD.search(said):
        return False  # "I mean, that is a mistake.", "I mean, it is the wrong one."
    return not any(w[:1].isupper() and w != "I" for w in re.findall(r"[^\W\d_]+", said)[1:])


# right after the answer, "or" and another name: "<answer>Paris</answer> (or Lyon)"
_TEXT_OR_AFTER = re.compile(r"[\s.,;:?!)*_$}\]]*\(?\s*[Oo]r\s+(?=[A-Z0-9])")


def _with_taken_back(answers: list[str], after: str) -> list[str]:
    """The text policy's answers, with what the text right after the last one says instead of
    it or beside it (a retraction or an alternative that does not restate the answer and keeps
    nothing: "Actually, Lyon." after `<answer>Paris</answer>`) as a second candidate: a hedge."""
    if len(answers) != 1:
        return answers
    # what follows the answer, even past a blank line: "<answer>Paris</answer>\n\nActually, Lyon."
    window = after.lstrip()[:400]
    paragraphs = re.split(r"\n\s*\n", window, maxsplit=2)
    # a retraction opens the text right after the answer; an alternative may follow a
    # paragraph break ("\n\nAlternatively, Lyon.")
    m = (
        _TEXT_RETRACTION.match(paragraphs[0])
        or _TEXT_OR_AFTER.match(paragraphs[0])
        or _TEXT_ALTERNATIVE.search("\n\n".join(paragraphs[:2]), 0, 250)
    )
    if m is None:
        return answers
    said = m.string[m.start() :].split("\n\n", 1)[0].strip()
    if not said or _keeps(said):
        return answers  # "No, it cannot be Lyon."
    opened = said.lstrip(" \t.,;:!)*_$}]")
    if _TEXT_CONFIRMS.match(opened) or _elaborates(opened):
        return answers  # "Actually, that's correct.", "I mean, it is the capital after all."
    folded = re.sub(r"\W+", " ", said.casefold())
    answer = re.sub(r"\W+", " ", answers[0].casefold()).strip()
    if answer and re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", folded):
        return answers  # "Or possibly more precisely, Paris." restates it
    return [*answers, said[:200]]


def taken_back_after(answer: str, after: str) -> str | None:
    """What the text `after` an answer says instead of it or beside it (a retraction or an
    alternative that neither keeps, confirms nor restates `answer`: `Actually, Lyon.`), or None.
    The text policy's rule, for readers that judge the remark themselves."""
    answers = _with_taken_back([answer], after)
    return answers[1] if len(answers) > 1 else None


def last_code_block(response: str) -> tuple[str | None, str | None]:
    """Policy `code`: `(language tag or None, code)` of the last closed fenced block after the
    reasoning; `(None, None)` when there is none."""
    blocks = find_code_blocks(strip_think(response))
    return blocks[-1] if blocks else (None, None)


def extract_code_block(response: str) -> Extraction:
    """Policy `code` as an `Extraction` (source `code`)."""
    _, code = last_code_block(response)
    return Extraction([code], "code") if code is not None else Extraction([], "none")


POLICIES = {
    "final_answer": extract_final_answer,
    "text": extract_text_answer,
    "tag": extract_tagged,
    "code": extract_code_block,
}


def extract(response: str, policy: str = "final_answer") -> Extraction:
    """The answer of `response` under the named policy (`final_answer`, `text`, `tag`, `code`;
    see docs/verifiers.md). Raises ValueError for an unknown policy name."""
    if not isinstance(response, str):
        raise TypeError(f"response must be a str, got {type(response).__name__}")
    try:
        reader = POLICIES[policy]
    except KeyError:
        raise ValueError(
            f"unknown extraction policy {policy!r}; known: {sorted(POLICIES)}"
        ) from None
    return reader(response)
