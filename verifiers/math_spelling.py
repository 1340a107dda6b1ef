"""Answer spellings the LaTeX parser does not read, rewritten to LaTeX it does.

Models write final answers with Unicode math (`−5`, `½`, `2√3`, `x²`, `π/2`, `∅`), Markdown
emphasis (`**73**`), bold or upright wrappers (`\\mathbf{73}`), repeating decimals
(`0.\\overline{3}`, `0.(3)`, `0.\\dot{3}`), words for the empty set (`no solution`) and a number
written in words as the whole answer (`five`, `twenty-one`, `\\text{one hundred}`). Each of
these is a right answer that would otherwise score 0, and `−5` even lost its sign (a wrong
answer paid). Everything here is linear-time text work on one answer; `math_core.normalize`
runs it first, on the gold and on every candidate alike, so both sides read the same way.
"""

from __future__ import annotations

import re
from fractions import Fraction

# minus signs that are not ASCII: read as a sign, never dropped
MINUS_SIGNS = str.maketrans(dict.fromkeys("\u2212\u2012\u2013\ufe63\uff0d\u2796", "-"))

_SYMBOLS = {
    "×": "\\times ",
    "·": "\\cdot ",
    "⋅": "\\cdot ",
    "÷": "\\div ",
    "π": "\\pi ",
    "∞": "\\infty ",
    "≤": "\\le ",
    "≥": "\\ge ",
    "≠": "\\ne ",
    "±": "\\pm ",
    "∓": "\\mp ",
    "∅": "\\emptyset ",
    "∪": "\\cup ",
    "∩": "\\cap ",
    "θ": "\\theta ",
    "α": "\\alpha ",
    "β": "\\beta ",
}
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+"))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
_VULGAR = {
    "½": (1, 2),
    "⅓": (1, 3),
    "⅔": (2, 3),
    "¼": (1, 4),
    "¾": (3, 4),
    "⅕": (1, 5),
    "⅖": (2, 5),
    "⅗": (3, 5),
    "⅘": (4, 5),
    "⅙": (1, 6),
    "⅚": (5, 6),
    "⅛": (1, 8),
    "⅜": (3, 8),
    "⅝": (5, 8),
    "⅞": (7, 8),
}
_SUPER_RUN = re.compile(f"[{''.join(SUPERSCRIPTS)}]+")
_SUB_RUN = re.compile(f"[{''.join(_SUBSCRIPTS)}]+")
_VULGAR_CHAR = re.compile(f"(\\d?)\\s*([{''.join(_VULGAR)}])")
# √2, √x, √(x+1), √{x}, ∛8: the radicand is the next number, letter, or bracketed group
_ROOT = re.compile(r"([√∛∜])\s*(\{[^{}]*\}|\([^()]*\)|\d+(?:\.\d+)?|\\?[A-Za-z]+)")
_SQRT_PARENS = re.compile(r"\\sqrt\s*\(([^()]*)\)")  # \sqrt(2): parentheses for braces
_EMPHASIS = re.compile(r"^(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1$", re.DOTALL)
# an arrow before the answer, a check mark after it: `=> x = 6`, `→ 6`, `x = 6 ✓`
_ARROW_LEAD = re.compile(r"^(?:=>|->|→|⟹|⇒|⟶)\s*")
_CHECK_MARK = re.compile(r"\s*[✓✔✅☑]+$")
_STYLE = re.compile(
    r"\\(?:mathbf|boldsymbol|bm|pmb|mathit|mathsf|mathtt|mathnormal)"
    r"\s*\{([^{}]*)\}"
)
_EMPTY_SET = re.compile(r"\\varnothing\b|\\\{\s*\\\}|\\emptyset\b")
# every real number, in words: `\text{all real numbers}`, `x \in \mathbb{R}` is read by the parser
_ALL_REALS = re.compile(
    r"^(?:\\text\s*\{)?\s*(?:the\s+set\s+of\s+)?(?:all|any)\s+real\s+(?:numbers?|values?)"
    r"(?:\s+(?:of\s+)?[a-z])?\s*\.?\s*\}?$",
    re.IGNORECASE,
)
# a set written by its condition on one variable: `\{x \mid x > 2\}`, `\{x : x > 2\}`,
# `\{x \in \mathbb{R} \mid x > 2\}` is the set `x > 2` describes
_SET_BUILDER = re.compile(
    r"^\\\{\s*([A-Za-z])\s*(?:\\in\s*\\mathbb\s*\{?R\}?\s*)?(?:\\mid|\\vert|\||:)\s*(.+?)\s*\\\}$"
)
# the domain named beside the condition of a set builder: `\{x : x \in \mathbb{R}, x > 2\}`
_REAL_DOMAIN = re.compile(
    r"^[A-Za-z]\s*\\in\s*\\mathbb\s*\{?R\}?\s*,\s*|,\s*[A-Za-z]\s*\\in\s*\\mathbb\s*\{?R\}?\s*$"
)
# an ordinal written in one text macro: `\text{10th}` is 10
_TEXT_ORDINAL = re.compile(r"^\\text\w*\s*\{\s*(\d+)\s*(?:st|nd|rd|th)\s*\}$")
_NO_SOLUTION = re.compile(
    r"^(?:\\text\s*\{)?\s*(?:there\s+(?:is|are)\s+)?(?:no\s+(?:real\s+)?"
    r"(?:solutions?|roots?|such\s+(?:numbers?|values?))|none)\s*\.?\s*\}?$",
    re.IGNORECASE,
)
# repeating decimals: 0.\overline{3}, 1.2\overline{34}, 0.(3), 0.\dot{3}, 0.\dot{1}4285\dot{7}
_OVERLINE = re.compile(r"(?<![\d.])(\d*)\.(\d*)\\(?:overline|bar)\s*\{(\d{1,30})\}")
_PARENS_REPEAT = re.compile(r"(?<![\d.])(\d+)\.(\d*)\((\d{1,30})\)")
# a number in words, as the whole answer: `five`, `twenty-one`, `one hundred and five`
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS_WORDS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
# a fraction in words, as the whole answer: `one half`, `two thirds`, `three quarters`; no
# `second` (a unit of time, `one second`)
_DENOMINATOR_WORDS = {
    **{w: 2 for w in ("half", "halves")},
    **{w: 4 for w in ("quarter", "quarters")},
    **{
        f"{w}{plural}": d
        for d, w in enumerate(
            "third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), 3
        )
        for plural in ("", "s")
    },
}
_INFINITY_WORDS = re.compile(r"(?:(positive|plus)\s+|(negative|minus)\s+)?infinity", re.IGNORECASE)
# a limit or value that does not exist, in words: the usual `DNE`
_DOES_NOT_EXIST = re.compile(
    r"^(?:\\text\s*\{)?\s*(?:it\s+|the\s+limit\s+)?(?:does\s+not|doesn't|doesn’t)\s+exist"
    r"\s*\.?\s*\}?$",
    re.IGNORECASE,
)
_TEXT_WRAPPED = re.compile(r"^\\(?:text\w*|mathrm|mbox)\s*\{([^{}]*)\}$")
_DOT_REPEAT = re.compile(
    r"(?<![\d.])(\d*)\.(\d*)\\dot\s*\{?(\d)\}?(?:(\d{0,28})\\dot\s*\{?(\d)\}?)?"
)


def _root(m: re.Match[str]) -> str:
    radicand = m.group(2)
    if radicand.startswith("{"):
        radicand = radicand[1:-1]
    index = {"√": "", "∛": "[3]", "∜": "[4]"}[m.group(1)]
    return f"\\sqrt{index}{{{radicand}}}"


def _vulgar(m: re.Match[str]) -> str:
    num, den = _VULGAR[m.group(2)]
    whole = m.group(1)
    return f"{whole}\\frac{{{num}}}{{{den}}}"  # `3½` is a mixed number, read as such later


def _repeating(whole: str, fixed: str, repeat: str) -> str:
    """The exact fraction of whole.fixed(repeat)(repeat)..., as LaTeX."""
    value = Fraction(int(whole or "0")) + (
        Fraction(int(fixed), 10 ** len(fixed)) if fixed else Fraction(0)
    )
    value += Fraction(int(repeat), (10 ** len(repeat) - 1) * 10 ** len(fixed))
    return f"\\frac{{{value.numerator}}}{{{value.denominator}}}"


def _dot_repeat(m: re.Match[str]) -> str:
    whole, fixed, first, middle, last = m.groups()
    repeat = first + (middle or "") + (last or "") if last else first
    return _repeating(whole, fixed, repeat)


def _below_hundred(words: list[str], i: int) -> tuple[int, int] | None:
    """`seven`, `seventeen`, `seventy`, `seventy-seven` at `words[i]`: (value, next index)."""
    word = words[i] if i < len(words) else ""
    if word in _TENS_WORDS:
        value, i = _TENS_WORDS[word], i + 1
        unit = _NUMBER_WORDS.get(words[i], 0) if i < len(words) else 0
        return (value + unit, i + 1) if 1 <= unit <= 9 else (value, i)
    if word in _NUMBER_WORDS and word != "zero":
        return _NUMBER_WORDS[word], i + 1
    return None


def _below_thousand(words: list[str], i: int) -> tuple[int, int] | None:
    """`five`, `five hundred`, `five hundred (and) five` at `words[i]`: (value, next index)."""
    first = _below_hundred(words, i)
    if first is None:
        return None
    value, i = first
    if i < len(words) and words[i] == "hundred" and value <= 99:  # `twelve hundred` too
        value, i = value * 100, i + 1
        k = i + 1 if i < len(words) and words[i] == "and" else i
        rest = _below_hundred(words, k)
        if rest is not None:
            value, i = value + rest[0], rest[1]
    return value, i


def _signed_words(text: str) -> tuple[int, list[str]]:
    """A phrase's words, case-folded and split at spaces and hyphens, and its sign (`minus`
    or `negative` in front: -1)."""
    words = [w for w in re.split(r"[\s\-]+", text.strip().casefold()) if w]
    if words and words[0] in ("minus", "negative"):
        return -1, words[1:]
    return 1, words


def number_in_words(text: str) -> int | None:
    """The integer a phrase spells (`five`, `Twenty-one`, `one hundred and five`, `two thousand
    twenty`, `minus three`), or None unless the whole phrase is one number written by the usual
    grammar: `five six` or `five or six` is not a number, nor is `hundred`."""
    sign, words = _signed_words(text)
    if words == ["zero"]:
        return 0
    if len(words) > 1 and words[0] in ("a", "an") and words[1] in ("hundred", *_SCALE_WORDS):
        words = ["one", *words[1:]]  # `a hundred`, `a million`
    total, i, last_scale = 0, 0, 10**12
    while i < len(words):
        if i and words[i] == "and" and last_scale < 10**12 and i + 1 < len(words):
            i += 1  # `two thousand and twenty`
        chunk = _below_thousand(words, i)
        if chunk is None:
            return None
        value, i = chunk
        scale = _SCALE_WORDS.get(words[i], 1) if i < len(words) else 1
        if scale >= last_scale:
            return None  # `five thousand two thousand`
        total, last_scale, i = total + value * scale, scale, i + (scale > 1)
        if scale == 1 and i < len(words):
            return None  # words after the units: not one number
    return sign * total if words else None


def fraction_in_words(text: str) -> Fraction | None:
    """The fraction a phrase spells (`one half`, `a third`, `two thirds`, `minus three
    quarters`, `two and a half`, `one and three fourths`), or None unless the whole phrase is
    one such fraction."""
    sign, words = _signed_words(text)
    whole = 0
    if "and" in words:  # a mixed number: `two and a half`
        at = words.index("and")
        whole_value = number_in_words(" ".join(words[:at]))
        if whole_value is None or whole_value < 0:
            return None
        whole, words = whole_value, words[at + 1 :]
    if len(words) < 2 or words[-1] not in _DENOMINATOR_WORDS:
        return None
    denominator = _DENOMINATOR_WORDS[words[-1]]
    numerator = 1 if words[:-1] in (["a"], ["an"]) else number_in_words(" ".join(words[:-1]))
    if numerator is None or numerator < 1:
        return None
    plural = words[-1].endswith("s") and words[-1] != "halves"
    if (numerator == 1) == (plural or words[-1] == "halves"):
        return None  # `one thirds`, `two third`: not the usual grammar
    return sign * (whole + Fraction(numerator, denominator))


# a fraction of a scale word: `half a million`, `a quarter of a million`, `one and a half
# thousand`, `three quarters of a million`, `half a dozen`
_SCALED_BY = {"dozen": 12, "hundred": 100, **_SCALE_WORDS}


def scaled_fraction_in_words(text: str) -> Fraction | None:
    """The number a fraction of a scale word spells (`half a million` is 500000, `one and a
    half thousand` 1500), or None unless the whole phrase is one."""
    sign, words = _signed_words(text)
    if len(words) < 2 or words[-1] not in _SCALED_BY:
        return None
    scale, words = _SCALED_BY[words[-1]], words[:-1]
    if words[-1:] in (["a"], ["an"]):
        words = words[:-1]  # `half a million`
    if words[-1:] == ["of"]:
        words = words[:-1]  # `a quarter of a million`
    fraction = Fraction(1, 2) if words == ["half"] else fraction_in_words(" ".join(words))
    if fraction is None or fraction < 0:
        return None
    return sign * fraction * scale


# a percentage in words: `fifty percent`, `\text{twelve per cent}` is `50\%`, `12\%`
_PERCENT_WORD = re.compile(r"\s+(?:percent|per\s+cent|pct)$", re.IGNORECASE)


def _spelled_number(s: str) -> str | None:
    """`five`, `\\text{twenty-one}`, `Five.`, `one half`, `infinity`, `fifty percent` as the
    whole answer: the numeral (a LaTeX fraction, `\\infty`, a percentage), else None."""
    wrapped = _TEXT_WRAPPED.match(s)
    inner = (wrapped.group(1) if wrapped else s).strip().rstrip(".").strip()
    if not inner or not re.fullmatch(r"[A-Za-z][A-Za-z \-]*", inner):
        return None
    percent = _PERCENT_WORD.search(inner)
    if percent and percent.start() > 0:
        number = _spelled_number(inner[: percent.start()])
        return None if number is None or "infty" in number else f"{number}\\%"
    infinity = _INFINITY_WORDS.fullmatch(inner)
    if infinity:
        return "-\\infty" if infinity.group(2) else "\\infty"
    value = number_in_words(inner)
    if value is not None:
        return str(value)
    scaled = scaled_fraction_in_words(inner)
    if scaled is not None:
        if scaled.denominator == 1:
            return str(scaled)
        sign = "-" if scaled < 0 else ""
        return f"{sign}\\frac{{{abs(scaled.numerator)}}}{{{scaled.denominator}}}"
    fraction = fraction_in_words(inner)
    if fraction is None:
        return None
    sign = "-" if fraction < 0 else ""
    return f"{sign}\\frac{{{abs(fraction.numerator)}}}{{{fraction.denominator}}}"


def spelled_number(text: str) -> str | None:
    """The numeral of a number, fraction or percentage written in words as the whole of `text`
    (`six` -> `6`, `two thirds`, `half a million`, `fifty percent`), else None."""
    return _spelled_number(text)


# digits, then "and a half" / "and a quarter": `2 and a half` (hours) is 5/2
_DIGITS_AND_A_HALF = re.compile(r"(\d{1,12})\s+and\s+an?\s+(half|quarter)", re.IGNORECASE)


def unwrap(text: str) -> str:
    """The answer without what is around it: an arrow before it, a check mark after it,
    Markdown emphasis or backticks around it (`**Total = 8**`, `=> x = 6`, `x = 6 ✓`)."""
    s = _CHECK_MARK.sub("", _ARROW_LEAD.sub("", text.strip()))
    for _ in range(3):  # **_x_**: nested emphasis, `6` in backticks
        m = _EMPHASIS.match(s)
        if not m:
            break
        s = m.group(2).strip()
    return s


def respell(text: str) -> str:
    """The answer with the spellings above rewritten; text without them comes back unchanged."""
    s = text.translate(MINUS_SIGNS)
    if not s.isascii():
        for symbol, latex in _SYMBOLS.items():
            s = s.replace(symbol, latex)
        s = _SUPER_RUN.sub(lambda m: "^{" + "".join(SUPERSCRIPTS[c] for c in m[0]) + "}", s)
        s = _SUB_RUN.sub(lambda m: "_{" + "".join(_SUBSCRIPTS[c] for c in m[0]) + "}", s)
        s = _VULGAR_CHAR.sub(_vulgar, s)
        s = _ROOT.sub(_root, s)
    s = unwrap(s)
    if "\\" in s:
        for _ in range(3):  # \mathbf{\mathit{x}}
            s, n = _STYLE.subn(r"\1", s)
            if not n:
                break
        s = _SQRT_PARENS.sub(r"\\sqrt{\1}", s)
        s = _EMPTY_SET.sub(r"\\emptyset ", s)
        s = _OVERLINE.sub(lambda m: _repeating(*m.groups()), s)
        s = _DOT_REPEAT.sub(_dot_repeat, s)
    s = _PARENS_REPEAT.sub(lambda m: _repeating(*m.groups()), s)
    if _NO_SOLUTION.match(s):
        return "\\emptyset"
    if _DOES_NOT_EXIST.match(s):
        return "\\text{DNE}"
    if _ALL_REALS.match(s):
        return "(-\\infty, \\infty)"
    builder = _SET_BUILDER.match(s)
    if builder and re.search(rf"(?<![A-Za-z\\]){builder.group(1)}(?![A-Za-z])", builder.group(2)):
        return _REAL_DOMAIN.sub("", builder.group(2))  # `x \in \mathbb{R}, x > 2`: the condition
    ordinal = _TEXT_ORDINAL.match(s)
    if ordinal:
        return ordinal.group(1)
    mixed = _DIGITS_AND_A_HALF.fullmatch(s)
    if mixed:  # `2 and a half` is 5/2
        whole, part = int(mixed.group(1)), Fraction(1, 2 if mixed.group(2).lower() == "half" else 4)
        value = whole + part
        return f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
    if s[:1].isalpha() or s.startswith("\\text"):
        spelled = _spelled_number(s)
        if spelled is not None:
            return spelled
    return s.strip()


# plain-text math in a box, as programs write it: `sqrt(3)/2`, `pi/2`, `3**0.5`, `3^(1/2)`, `10^-3`
_PLAIN_FUNCTION = re.compile(
    r"(?<![\\A-Za-z])(sqrt|pi|sin|cos|tan|cot|sec|csc|ln|log|exp|arcsin|arccos|arctan)(?![A-Za-z])"
)
_PAREN_EXPONENT = re.compile(r"\^\s*\(([^()]{1,200})\)")
_NEGATIVE_EXPONENT = re.compile(r"\^\s*-\s*(\d+(?:\.\d+)?|[A-Za-z])(?![\w.])")


# markdown bold around a value (`**12** apples`): emphasis, not a power; a power's `**` follows
# a number, letter or bracket (`3**0.5`, `x**2`) and a bold span's opening never does
_BOLD = re.compile(r"(?<![\w)\]}*])\*\*(?=[^\s*])([^*\n]{1,200}?)(?<=[^\s*])\*\*(?![\w(\[{*])")


def without_bold(s: str) -> str:
    """`s` without markdown bold marks around its values (`**12** apples` is `12 apples`)."""
    return _BOLD.sub(r"\1", s) if "**" in s else s


def plain_math(s: str) -> str:
    """`sqrt(3)/2` as `\\sqrt{3}/2`, `pi/2` as `\\pi/2`, `**` and `^(...)` as powers, `^-3` as
    `^{-3}`: each was a product of letters or unparseable, and the right answer scored 0."""
    if "**" in s:
        s = without_bold(s).replace("**", "^")
    if "^" in s:
        s = _PAREN_EXPONENT.sub(r"^{\1}", s)
        s = _NEGATIVE_EXPONENT.sub(r"^{-\1}", s)
    return _PLAIN_FUNCTION.sub(r"\\\1 ", s)
