"""The written forms of a math answer, as plain string work: relations, percent and unit
words, lists of solutions, named values (`(p,q)=(3,2)`, `AB=4`) and chains (`x = 2+3 = 5`).

Used by `math_core` before anything is parsed, so that every form reaches the parser as the
value a reader sees. Linear-time scans only (answers are capped at 1,000 characters anyway).
"""

from __future__ import annotations

import re

from gymhub.verifiers.math_spelling import number_in_words

# ----- relations, percent, units ---------------------------------------------------------------
_RELATION_SPELLINGS = (
    (re.compile(r"\\lt(?![A-Za-z])"), "<"),
    (re.compile(r"\\gt(?![A-Za-z])"), ">"),
    (re.compile(r"<=|=<|\\leqq(?![A-Za-z])|\\leqslant(?![A-Za-z])|≤"), r" \\le "),
    (re.compile(r">=|=>|\\geqq(?![A-Za-z])|\\geqslant(?![A-Za-z])|≥"), r" \\ge "),
    (re.compile(r"!=|\\ne(?![A-Za-z])|≠"), r" \\neq "),
)
RELATION = re.compile(r"[<>]|\\[lg]eq?(?![A-Za-z])|\\neq(?![A-Za-z])")
_PERCENT_WORDS = re.compile(
    r"\s*(?:\\%|%|\\text\w*\s*\{\s*(?:\\%|percent(?:age)?|pct|per\s*cent)\s*\}"
    r"|percent(?:age)?|pct|per\s*cent)\s*$",
    re.IGNORECASE,
)
# words that are mathematics, never a unit after a number
_MATH_WORDS = {
    "pi", "sin", "cos", "tan", "cot", "sec", "csc", "ln", "log", "exp", "and", "or", "mod",
    "sqrt", "infty", "inf", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "deg",
}  # fmt: skip
_POWER = r"\^\s*\{?\s*-?[1-3]\s*\}?"
_MACRO = r"(?:\\text\w*|\\mathrm|\\mbox)\s*\{[^{}]*\}"
_UNIT_TOKEN = re.compile(
    rf"(?P<space>\s*)(?:(?:\\text\w*|\\mathrm|\\mbox)\s*\{{(?P<text>[^{{}}]*)\}}(?:{_POWER})?"
    rf"|\\[dt]?frac\s*\{{\s*(?P<num>{_MACRO})\s*\}}\s*\{{\s*(?P<den>{_MACRO})\s*\}}"
    rf"|(?P<mod>(?<![A-Za-z])(?:square|sq|cubic|cu)(?:\.\s*|\s+))?"
    rf"(?P<word>[A-Za-z]{{1,20}})(?P<dot>\.)?(?P<power>{_POWER}|[²³])?|[€£¥]|\\euro|\\pounds)\s*$"
)
# `\text{km}/\text{h}`, `\text{N}\cdot\text{m}`, `miles per hour`
_UNIT_OPERATOR = re.compile(r"(?:/|\\cdot|(?<![A-Za-z])per)\s*$")
# `5 squared` is 5^2 (never 5 with a unit `squared`), `12 units squared` a unit's power
_POWER_WORDS = re.compile(
    r"(?<=[\w})])\s*(?:\\text\w*\s*\{\s*(squared|cubed)\s*\}|\b(squared|cubed)\b)"
)
# unit abbreviations written bare after a number; any other short word is a product of
# variables (`3xy`, `b^2-4ac`: never `3`, `b^2-4`)
_UNIT_ABBREVIATIONS = frozenset(
    "mm cm km nm um in ft yd mi mg kg lb lbs oz mL ml cc gal qt sec secs ms min mins hr hrs "
    "wk yr yrs mph kph kmh fps mps kW kWh Hz kHz MHz GHz Pa kPa atm mol cal kcal USD EUR".split()
)
# one-letter SI units: only inside a compound (`m/s`, `km/h`) or with a negative power (`s^{-1}`)
_SI_LETTERS = frozenset("msghlLNJWKAV")
# words that bound, combine or doubt a value: `12 \text{ or more}`, `12 \text{ at least}`,
# `12 \text{ plus one}` do not answer 12, whatever unit the rest of the text names (`more`,
# `fewer` and `times` alone do: `12 \text{ more}` answers "how many more")
_QUALIFIER_WORDS = frozenset(
    "or and not no least most than plus minus over under above below between up maybe perhaps "
    "possibly either unless except otherwise "
    # a bound (`12 \\text{ max}`, `12 \\text{ (upper bound)}`) or a denial (`12 \\text{ (wrong)}`):
    # these were dropped like units, and 12 was paid
    "max maximum minimum tops bound upwards excess wrong incorrect false".split()
)


# a value ruled out after the answer, in the answer: `7 \text{ (not 8)}`, `7, not 8`. Anchored
# on the keyword, with classes that cannot overlap: linear time on any input
RULED_OUT_WORDS = r"(?<![A-Za-z])(?:not|rather\s+than|instead\s+of)"
_RULED_OUT_TAIL = re.compile(rf"{RULED_OUT_WORDS}[\s}}]*[^\s{{}}()\[\]]+[\s}})\]]*$", re.I)
_CONNECTIVE_END = re.compile(
    r"(?:(?<![A-Za-z])(?:and|but)|\\(?:text\w*|mathrm|mbox)\s*\{|[(\[,;])$", re.I
)
_DOUBT = re.compile(r"\b(?:or|maybe|perhaps|possibly|probably|either)\b", re.I)


def before_ruled_out(text: str) -> str:
    """`text` without the connective that ends it (`7 (`, `7, and`, `7 \\text{ (`): what comes
    before a ruled-out value. A loop of suffix checks, never a backtracking scan."""
    while True:
        trimmed = text.rstrip()
        m = _CONNECTIVE_END.search(trimmed, max(0, len(trimmed) - 12))
        trimmed = trimmed[: m.start()] if m else trimmed
        if trimmed == text:
            return text
        text = trimmed


def drop_ruled_out_value(s: str) -> str:
    """`7 (not 8)`, `7, not 8`, `7 \\text{ rather than } 8`: the answer 7. A value named only
    to be excluded is not a second answer; after a doubt (`7 or maybe 6, not 8`) it stays."""
    m = _RULED_OUT_TAIL.search(s)
    if m is None:
        return s
    head = before_ruled_out(s[: m.start()])
    if not re.search(r"\d", head) or _DOUBT.search(head):
        return s
    return head


_UNIT_EXPONENT = re.compile(r"(?<=[A-Za-z}])\^\s*\{?\s*-?\d\s*\}?")


def qualifies_value(text: str) -> bool:
    """Whether the text after a number changes what it answers, so is no unit to drop: a second
    number (`5 \\text{ (or 6)}`, `12 one`) or a qualifier word (`or more`, `at least`, `plus`).
    A unit's own exponent is no number (`\\mathrm{cm^2}`, `\\text{m^{-1}}`)."""
    if re.search(r"\d", _UNIT_EXPONENT.sub("", text)):
        return True
    if "?" in text or text.strip(" ()").endswith("+"):
        return True  # `12 \\text{ (?)}` asks, `12 \\text{+}` is "12 or more"
    words = re.findall(r"[a-z]+", text.casefold())
    if any(w in _QUALIFIER_WORDS for w in words):
        return True
    return bool(words) and words[0] not in _SCALE_WORDS and number_in_words(text) is not None


def spell_relations(s: str) -> str:
    """`\\lt`, `\\gt`, `<=`, `>=`, `!=`, `\\ne`, `≤` ... as the parser's `<`, `\\le`, `\\neq`."""
    for pattern, replacement in _RELATION_SPELLINGS:
        s = pattern.sub(replacement, s)
    return s


def split_percent(s: str) -> tuple[str, bool]:
    """`28\\%`, `28 %`, `28 percent`, `28 pct`, `28 percentage`: (the number, True)."""
    m = _PERCENT_WORDS.search(s)
    if m and m.start() > 0 and re.search(r"[\d}]\s*$", s[: m.start()]):
        return s[: m.start()].strip(), True
    return s, False


# ----- digits separated by spaces -------------------------------------------------------------
_SPACE = r"(?:\s|\\[,;:! ]|~)+"  # a space, `\,`, `\ `, `~`, `\;`, `\:`, `\!`
_SPACED_DIGITS = re.compile(rf"(?<![\w.^_{{}}\\])\d+(?:{_SPACE}\d+)+")
_THOUSANDS_GROUPS = re.compile(rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+")
_COMMAND_BEFORE = re.compile(r"\\[A-Za-z]+\s*$")  # `\frac 1 2`: two arguments


# `2 1/2`, `3 3/4`: a whole number and a proper fraction of small numbers is a mixed number
_PLAIN_MIXED = re.compile(
    rf"(?<![\w.^_{{}}\\])(\d+)(?:{_SPACE})([1-9]\d?)\s*/\s*([1-9]\d?)(?![\d.])"
)


def _mixed_number(m: re.Match[str]) -> str:
    whole, num, den = m.groups()
    if int(num) >= int(den):
        return m.group(0)  # `2 3/2`: not a mixed number, left to the spaced-digits rule
    return f"({whole}+\\frac{{{num}}}{{{den}}})"


class AmbiguousDigits(ValueError):
    """Digits separated by a space that are not groups of thousands (`1 2`): 12, or 1 and 2?"""


def join_digit_groups(s: str) -> str:
    """`1 000`, `1\\,000`, `12 345 678`: one number, its groups of thousands joined; `2 1/2` is
    the mixed number 5/2. Raises
    AmbiguousDigits for other digits separated by a space (`1 2`, `1\\,2`, `1234 567`), which
    a reader cannot take as one number nor as a list."""

    s = _PLAIN_MIXED.sub(_mixed_number, s)

    def join(m: re.Match[str]) -> str:
        if _COMMAND_BEFORE.search(s, 0, m.start()):
            return m.group(0)  # `\frac 1 2`, `\binom 5 2`: a command's arguments
        if not _THOUSANDS_GROUPS.fullmatch(m.group(0)):
            raise AmbiguousDigits(f"digits separated by a space: {m.group(0)!r}")
        return re.sub(r"\D", "", m.group(0))

    return _SPACED_DIGITS.sub(join, s)


# number words after a number scale it: never dropped like a unit (`5 \text{ thousand}` is 5000)
_SCALES = {"dozen": "12", "hundred": "100", "thousand": "1000", "million": "10^{6}",
           "billion": "10^{9}", "trillion": "10^{12}"}  # fmt: skip
_SCALE_WORDS = frozenset(_SCALES)


def spell_power_words(s: str) -> str:
    """`5 squared` as `5^2`, `x cubed` as `x^3`, `12 units squared` as `12 units^2`: the word is
    a power of what precedes it (dropped like a unit, it paid 5 for the gold 25)."""
    return _POWER_WORDS.sub(lambda m: "^2" if "squared" in m.group(0) else "^3", s)


def _is_unit_word(m: re.Match[str], compound: bool) -> bool:
    """Whether the bare word of a unit token is a unit: a known abbreviation (`km`, `kg`), a
    one-letter SI unit in a compound, under a negative power or after `square`/`cubic` (`m/s`,
    `s^{-1}`, `sq m`), `m^2`, or a spaced word with a vowel (`125 miles`, `12 square units`),
    never mathematics (`2\\pi`, `5 \\sin`)."""
    word, power = m.group("word"), m.group("power") or ""
    if word.lower() in _MATH_WORDS:
        return False
    if word in _UNIT_ABBREVIATIONS:
        return True
    compound = compound or m.group("mod") is not None
    if len(word) == 1:
        return (word in _SI_LETTERS and (compound or "-" in power)) or (
            word == "m" and power != "" and "-" not in power
        )
    spaced = m.group("space") != "" or compound
    return spaced and len(word) >= 3 and re.search(r"[aeiou]", word, re.I) is not None


def _unit_tail(s: str) -> tuple[int, str | None] | None:
    """Where the unit written at the end of `s` starts (one unit, or a compound of units
    joined by `/` or `\\cdot`: `\\text{km}/\\text{h}`, `m^2/s`), and the scale it names
    (`thousand`), or None when `s` does not end with a unit."""
    end, tokens = len(s), 0
    while True:
        m = _UNIT_TOKEN.search(s, 0, end)
        if not m or m.start() == 0:
            return None
        unit = m.group("text") or m.group("num") or m.group("den") or m.group("word") or ""
        if qualifies_value(unit):
            return None  # a number in the "unit" is a second answer (`5 \text{ (or 6)}`), kept
        before = s[: m.start()]
        joined = _UNIT_OPERATOR.search(before)
        if m.group("word") is not None and not _is_unit_word(m, bool(tokens or joined)):
            return None  # `2\pi`-like words, and `5x`, `3xy`: variables, not a unit
        tokens += 1
        if joined is None:
            break
        end = joined.start()
    if tokens > 1:
        return m.start(), None
    scale = _SCALES.get((m.group("word") or m.group("text") or "").strip().lower())
    return m.start(), scale


def strip_unit_words(s: str) -> str:
    """Drop units written after a number: `125 miles`, `1,000.99m²`, `5\\textbf{ cm}`,
    `0.06 \\text{ yuan}`, `3€`, `60\\text{ km}/\\text{h}`, `9.8\\,\\text{m}\\cdot\\text{s}^{-2}`.
    Only when what remains ends in a number (or a closing brace)."""
    for _ in range(4):
        tail = _unit_tail(s)
        if tail is None:
            break
        start, scale = tail
        head = s[:start].rstrip()
        if not re.search(r"\d", head) or not re.search(r"[\d}).]$", head):
            break
        if scale is not None:
            return f"({head})\\times {scale}"
        s = head
    return s


# ----- lists, names and chains ----------------------------------------------------------------
_OPEN, _CLOSE = "([{", ")]}"
_SEPARATORS = re.compile(
    r"\\text\w*\s*\{\s*(?:and|or|,)\s*\}|\\q?quad\b|(?<![A-Za-z\\])(?:and|or)(?![A-Za-z])|[,;]"
)


def _depths(s: str) -> list[int]:
    """Bracket depth before each character (any bracket kind: `[1,2)` is an interval)."""
    depth, out = 0, []
    for c in s:
        out.append(depth)
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
    return out


def split_top(s: str, pattern: re.Pattern[str]) -> list[str]:
    """Split `s` at matches of `pattern` that are outside every bracket."""
    depth = _depths(s)
    parts, last = [], 0
    for m in pattern.finditer(s):
        if depth[m.start()] == 0:
            parts.append(s[last : m.start()])
            last = m.end()
    parts.append(s[last:])
    return [p.strip() for p in parts]


def split_items(s: str) -> list[str]:
    """The top-level items of a list of answers (`1, 2`, `(2,2), (6,2)`, `x=1 \\text{ or } x=2`,
    `6 \\text{ and } 8`, `-12;-11`). An answer with a relation (`x<1 or x>2`) stays whole."""
    if RELATION.search(s):
        return [s]
    items = [p for p in split_top(s, _SEPARATORS) if p]
    return items or [s]


def split_groups(s: str) -> list[list[str]] | None:
    """`p=5,q=2;p=7,q=2`: solutions separated by `;` (or `or`), each a comma list of parts;
    None when the answer has no such grouping."""
    if ";" not in s or RELATION.search(s):
        return None
    groups = split_top(s, re.compile(r";|\\text\w*\s*\{\s*or\s*\}"))
    return [[p for p in split_top(g, re.compile(",")) if p] for g in groups if g]


# a conclusion written inside the answer: `x + 2 = 5 \implies x = 3`, `a = 2, b = 5, \text{ so }
# a+b = 7`, `\text{The answer is } 5`: what follows the last one is the answer, what comes
# before is its working
_IMPLIES = re.compile(
    r"\\(?:implies|Longrightarrow|Rightarrow|therefore)(?![A-Za-z])|⟹|⇒|∴"
    r"|\\text\w*\s*\{[^{}]*\b(?:(?:so(?!\s+that)|thus|hence|therefore)\b|[Aa]nswer\s*(?:is\b|:))"
    r"[^{}]*\}"
    r"|[,;]\s*(?:so|thus|hence|therefore)\s+"
)


def conclusion(s: str) -> str:
    """What an answer concludes after its own working (`x+2=5 \\implies x=3` is `x=3`); the
    answer itself when it states no conclusion."""
    if not _IMPLIES.search(s):
        return s
    last = split_top(s, _IMPLIES)[-1]
    return last if last else s


# the left side of `m + n = 14`: a sum of plain names (`m+n`, `a+b+c`), each with no coefficient
# (`2x+z=1` is an equation, and so are `x-y=0` and `x+y=0`)
_NAME_SUM = re.compile(r"\s*[A-Za-z](?:_\{?\w{1,3}\}?)?(?:\s*\+\s*[A-Za-z](?:_\{?\w{1,3}\}?)?)+\s*")


def summed_value(s: str) -> str | None:
    """`m + n = 14`: the value 14 of a sum of names, or None. Only for a gold that is one
    number: the question asked for that sum (`find m + n`), the answer names it."""
    members = split_chain(s)
    if len(members) != 2 or not _NAME_SUM.fullmatch(members[0]):
        return None
    value = members[1]
    if not value or value == "0" or re.search(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", "", value)):
        return None
    return value


# a scale letter after a number: `1.2k` is 1200, `2.5M` 2.5 million, `\$3K` 3000, `\$2bn` 2e9
_SCALE_SUFFIX = re.compile(
    r"\s*(?:(?P<currency>\\?\$)\s*)?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<scale>k|K|M|B|bn)\s*"
)
_SUFFIX_POWERS = {"k": 3, "K": 3, "M": 6, "B": 9, "bn": 9}


def scaled_number(s: str, temperature: bool = False) -> str | None:
    """`1.2k` as `1.2 \\times 10^{3}`, or None. Only for a gold that is one number (`3k` may be a
    product with the variable k). `K` right after a number is a thousand (`3K` is 3000) unless
    the question is about a temperature (`temperature`: `300K` is then 300 kelvin); after a
    currency sign it is always a thousand (`\\$3K`)."""
    if not isinstance(s, str):
        raise TypeError(f"scaled_number takes a str, got {type(s).__name__}")
    m = _SCALE_SUFFIX.fullmatch(s)
    if m is None:
        return None
    if m.group("scale") == "K" and not m.group("currency"):
        if temperature or not re.search(r"\dK", s):
            return None  # `300K` for a temperature, `300 K` set apart: kelvin, a unit
    number = m.group("number").replace(",", "")
    return f"{number} \\times 10^{{{_SUFFIX_POWERS[m.group('scale')]}}}"


# a one-letter SI unit at the end of an answer (`5 m`, `5\\sqrt{3}\\,\\text{m}`, `300 K`), and
# words in a text macro after it (`5√3 m \\text{ long}`); found by string work from the end
_SI_UNIT_TAIL = re.compile(
    r"(?:\\(?:text|mathrm)\s*\{\s*[mshglLNJWKAV]\s*\}|(?<![A-Za-z\\])[mshglLNJWKAV])$"
)
_TEXT_WORDS_TAIL = re.compile(r"\\text\s*\{[ A-Za-z]{0,40}\}$")
_SPACERS = ("\\,", "\\;", "\\:", "\\ ", "~")


def _without_spacers(text: str) -> str:
    """`text` without the spaces, `\\,`, `\\;`, `\\:`, `\\ ` and `~` at its end."""
    while True:
        cut = text.rstrip()
        if cut != text and (len(cut) - len(cut.rstrip("\\"))) % 2 == 1:
            cut = cut[:-1]  # `5\ ` lost its space to rstrip: its backslash goes too
        for spacer in _SPACERS:
            if cut.endswith(spacer):
                cut = cut[: -len(spacer)]
        if cut == text:
            return text
        text = cut


def without_si_unit(s: str) -> str | None:
    """A number followed by a one-letter SI unit set apart from it (`5 m`, `5√3 m`, `3 s`, `300
    K`) without the unit, or None. Only for a gold that is one number: there `5 m` can only be
    five metres (for a symbolic gold, `5 m` stays the product 5m). Letters in the value (other
    than LaTeX commands) make it no plain number (`x = 5 m` is left alone)."""
    if not isinstance(s, str):
        raise TypeError(f"without_si_unit takes a str, got {type(s).__name__}")
    if len(s) > 300:
        return None
    text = s.strip().rstrip(".").rstrip()
    words = _TEXT_WORDS_TAIL.search(text)
    if words and len(re.sub(r"[^A-Za-z]", "", words.group(0)[5:])) > 1:  # not `\text{m}`
        text = text[: words.start()].rstrip()
    unit = _SI_UNIT_TAIL.search(text)
    if unit is None:
        return None
    value = _without_spacers(text[: unit.start()])
    if value == text[: unit.start()]:
        return None  # glued to the number (`5m`): a variable
    letters = re.sub(r"\\[A-Za-z]+", "", value)  # `\sqrt`, `\frac`, `\pi` are no letters
    if not value or re.search(r"[A-Za-z]", letters) or not re.search(r"\d", letters):
        return None
    return value


_NAME_WRAPPERS = re.compile(
    r"\\(?:angle|measuredangle|overline|overrightarrow|vec|widehat|hat|bar|mathrm|mathit|text|"
    r"operatorname|triangle|odot|mathbf|boldsymbol)\b\s*"
)
_SIMPLE_NAME = re.compile(
    r"[A-Za-z](?:[A-Za-z']|\\prime|_\{[A-Za-z0-9, ]{1,12}\}|_[A-Za-z0-9])*"
    # its arguments: variables or numbers (`f(x)`, `f(2)`, `\gcd(12,35)`, `C(5,2)`)
    r"(?:\((?:[A-Za-z]|-?\d{1,12}(?:\.\d{1,12})?)(?:\s*,\s*(?:[A-Za-z]|-?\d{1,12}(?:\.\d{1,12})?))*\))?"
)
_GREEK = re.compile(r"\\(?:alpha|beta|gamma|delta|theta|lambda|mu|phi|varphi|psi|omega|sigma)\b")


# `|x|`, `\left| x_1 \right|`, `\lvert z \rvert`: the absolute value of one variable
ABS_OF_VARIABLE = re.compile(
    r"\s*(?:\\left\s*)?(?:\||\\vert\b|\\lvert\b)\s*[A-Za-z](?:_\{?[A-Za-z0-9]\}?)?\s*"
    r"(?:\\right\s*)?(?:\||\\vert\b|\\rvert\b)\s*"
)


# a question that asks for an absolute value: "Find $|z|$", "the modulus of z", "magnitude"
_ASKS_ABS = re.compile(
    r"\b(?:modulus|moduli|absolute\s+values?|magnitudes?|norms?)\b|" + ABS_OF_VARIABLE.pattern,
    re.I,
)


def asks_for_abs(question: str) -> bool:
    """Whether the question asks for (or names) the absolute value of a variable, so that
    `|z| = 5` names the value 5 it asks for ("Find the modulus of z = 3+4i")."""
    return _ASKS_ABS.search(question) is not None


def abs_named(s: str) -> str | None:
    """`|z| = 5`: the value 5, or None for anything else."""
    members = split_chain(s)
    if len(members) == 2 and members[1] and ABS_OF_VARIABLE.fullmatch(members[0]):
        return members[1]
    return None


def is_name(text: str) -> bool:
    """Whether `text` only names a quantity (`x`, `AB`, `a_{37}`, `f(x)`, `(p,q)`, `S_{MBC}:S`,
    `\\frac{NO}{BO}`, `\\angle ABC`, `|AB|`, `|\\vec{v}|`): the left side of a named answer
    such as `AB=4`. The absolute value of one variable (`|x|`) is none: `|x| = 5` says x = 5 or
    x = -5 (see `abs_named`)."""
    if ABS_OF_VARIABLE.fullmatch(text):
        return False
    t = _NAME_WRAPPERS.sub("", text.strip())
    t = _GREEK.sub("a", t)
    t = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"\1/\2", t)
    t = t.replace("{", "").replace("}", "") if "_" not in t else t
    t = t.strip().strip("|").strip()
    if not t:
        return False
    if t[0] == "(" and t[-1] == ")":
        inner = [p.strip() for p in t[1:-1].split(",")]
        return len(inner) > 1 and all(_SIMPLE_NAME.fullmatch(p) for p in inner)
    t = re.sub(r"\s*,\s*", ",", t)  # `gcd(12, 35)`: one name
    parts = re.split(r"\s*[:/]\s*|\s+", t)
    return all(_SIMPLE_NAME.fullmatch(p) for p in parts if p) and any(parts)


_FUNCTION_NAME = re.compile(r"\s*[A-Za-z]\s*\(\s*[A-Za-z](?:\s*,\s*[A-Za-z])*\s*\)\s*")


def is_function_name(text: str) -> bool:
    """`f(x)`, `g(x, y)`: a function named by one letter, applied to its variables (never
    `f'(x)` nor `f^{-1}(x)`, which name another function)."""
    return _FUNCTION_NAME.fullmatch(text) is not None


def split_chain(s: str) -> list[str]:
    """The members of `a = b = c` (top level only; `\\le`, `\\neq` are not `=`)."""
    return split_top(s, re.compile(r"(?<![<>!\\])=(?![=>])"))


_VARIABLE = re.compile(r"\s*([A-Za-z])\s*")


def assignment(item: str) -> tuple[str, str] | None:
    """`x = 3`: (the variable, the value's text); None for anything else (a chain, a name of
    more than one letter, a subscripted `x_1 = 3`, which usually names one root among several)."""
    members = split_chain(item)
    if len(members) != 2 or not members[1]:
        return None
    variable = _VARIABLE.fullmatch(members[0])
    return (variable.group(1), members[1]) if variable else None


# an approximation written in words at the start of an answer (`\text{about } 5`, `approx. 5`)
_APPROX_LEAD = re.compile(
    r"^\s*(?:\\text\w*\s*\{\s*)?(?:approximately|approx\.?|about|around|roughly|nearly|almost)"
    r"[\s}]*(?=[-+\d.\\(])|^\s*\\sim(?![A-Za-z])",
    re.I,
)


# ... or at its end: `5 \text{ (approximately)}`, `5 approx.`, `5 or so`, and an estimate,
# a rounding or a guess (`5 \text{ (estimate)}`, `5 \text{-ish}`, `5 \text{ (rounded)}`)
_APPROX_TAIL = re.compile(
    r"(?<![A-Za-z])(?:approximately|approx\.?|roughly|or\s+so|estimated?|est\.|rounded|-?ish"
    r"|guess(?:ed)?)[\s).}]*$",
    re.I,
)


def before_approx(s: str) -> tuple[str, bool]:
    """`x = \\frac13 \\approx 0.33`: the exact statement before `\\approx` when there is one,
    and whether what is kept is an approximation (`\\approx 5`, `x \\approx 5`, `about 5`,
    `5 \\text{ (approx.)}`)."""
    s = _APPROX_LEAD.sub(r"\\approx ", s, count=1)
    tail = _APPROX_TAIL.search(s)
    if tail and re.search(r"\d", s[: tail.start()]) and "\\approx" not in s:
        s = "\\approx " + before_ruled_out(s[: tail.start()])
    parts = re.split(r"\\approx|≈|\\simeq", s)
    if len(parts) == 1:
        return s, False
    head = parts[0].strip().rstrip("=").strip()
    if head and not is_name(head):
        return parts[0].strip(), False
    return (head + " = " if head else "") + parts[-1].strip(), True


# ----- text answers ---------------------------------------------------------------------------
_TEXT_WRAPPER = re.compile(r"^\\(?:text\w*|mathrm|mbox|operatorname)\s*\{([^{}]*)\}$")


def text_answer(s: str) -> str | None:
    """A worded answer (`\\text{Evelyn}`, `odd`, `\\text{The midpoints form a square}`) in a
    canonical form for comparison, or None for a mathematical answer."""
    m = _TEXT_WRAPPER.match(s.strip())
    inner = m.group(1) if m else s.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z '\-.,]*", inner):
        return None
    words = re.findall(r"[A-Za-z]+", inner)
    if m is None and not any(len(w) >= 3 and w.lower() not in _MATH_WORDS for w in words):
        return None
    if m is not None and len(inner.strip()) == 1:
        return None  # `\text{E}`: an option letter or a symbol
    return " ".join(w.casefold() for w in words)
