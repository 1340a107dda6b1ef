"""Answers that restate the question instead of answering it.

"Compute $12 + 6$." answered with `\\boxed{12 + 6}` equals the gold 18 as a value, and so does
"Factor $x^2+2x+1$." answered with `x^2+2x+1` against the gold `(x+1)^2`: a value comparison
pays for copying the question, and a policy trained on that reward learns to copy. With the
question at hand (`MathVerifier(...).verify(..., question=...)`; task envs pass it), an answer
is a restatement when

- it is written in the question (spacing, `\\left`/`\\right`, `\\cdot`/`\\times`/`*` aside, the
  terms of its sums in any order: `1+2x+x^2` for "Factor $x^2+2x+1$.") and is not the gold as
  written (the gold itself can appear in a question: "Which is larger, 2^{10} or 10^3?"), or
- it leaves a derivative, an integral, a limit or a sum undone that the gold does not write
  (`\\frac{d}{dx} x^3` for "Differentiate $x^3$."), or
- the gold is a number, and the answer is an unevaluated expression of numbers only, every one
  of them taken from the question or a 0 or 1 that changes nothing (`6 + 12`, `12 + 6 + 0`,
  `\\binom{5}{2}` for "choose 2 of 5").

A number written as a number (`18`, `-3.5`, `\\frac{7}{16}`, `\\frac{-7}{2}`) is never a restatement, except a
fraction not in lowest terms copied from the question ("Simplify $\\frac{12}{3}$." answered
`\\frac{12}{3}`). A response whose final sentence, the one its answer is read from, is a sentence
of the question copied whole ("... Now he has 4 apples left.") echoes the question
(`echoes_question`), and so does a given of the question paraphrased (`paraphrases_question`);
neither is an echo when it names everything a question sentence asks about ("John is 10 years
old." for "How old is John?"): the asked subject with its value is the answer.
"""

from __future__ import annotations

import math
import re

from gymhub.verifiers.math_spelling import plain_math, respell, spelled_number

_DROP = re.compile(r"\\left|\\right|\\[,;:! ]|\\displaystyle|\$|\s+")
_TIMES = re.compile(r"\\cdot|\\times|\*")
# a fraction's sign may sit on its numerator or denominator: `\frac{-7}{2}` is -7/2 written
_LITERAL = re.compile(r"[-+]?(?:\d+(?:\.\d+)?|\.\d+|\\frac\{[-+]?\d+\}\{[-+]?\d+\}|\d+/\d+)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COMMAND = re.compile(r"\\[A-Za-z]+")
_OPERATION = re.compile(r"[-+*/^!()]|\\[A-Za-z]+")
MIN_RESTATED_CHARS = 3  # `x`, `12` alone say nothing about copying


def canonical(text: str) -> str:
    """The text with the spellings that do not change what is written made the same."""
    s = respell(plain_math(text))  # `sqrt(324)` is `\\sqrt{324}`, as the verifier reads it
    for a in ("\\dfrac", "\\tfrac"):
        s = s.replace(a, "\\frac")
    s = re.sub(r"\\frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", s)  # \frac78
    s = _TIMES.sub("*", _DROP.sub("", s))
    return s.replace("\\div", "/").rstrip(".")


_DECORATION = re.compile(r"\^\{?\\circ\}?|°|\\?%|\\\$")


def _is_literal(canon: str) -> bool:
    """A number as written (`-7`, `(-7)`, `60^\\circ`, `25\\%`, `\\frac{7}{16}`)."""
    bare = _DECORATION.sub("", canon)
    while len(bare) > 2 and bare[0] + bare[-1] in ("()", "{}"):
        bare = bare[1:-1]
    return _LITERAL.fullmatch(bare) is not None


def is_number_literal(text: str) -> bool:
    return _is_literal(canonical(text))


_FRACTION = re.compile(r"[-+]?(?:\\frac\{[-+]?(\d+)\}\{[-+]?(\d+)\}|(\d+)/(\d+))")


def _fraction(canon: str) -> tuple[int, int] | None:
    """`\\frac{12}{3}`, `12/3`: (12, 3); None for anything else."""
    m = _FRACTION.fullmatch(canon)
    if m is None:
        return None
    a, b = (int(g) for g in m.groups() if g is not None)
    return a, b


def _unreduced_fraction(canon: str, gold: str) -> bool:
    """`\\frac{12}{3}`, `6/8`: a fraction whose numerator and denominator share a factor, and
    which the gold does not write the same way (`6/8` for the gold `\\frac{6}{8}` is the gold)."""
    parts = _fraction(canon)
    return (
        parts is not None
        and parts[1] != 0
        and math.gcd(*parts) > 1
        and parts != _fraction(canonical(gold).lstrip("+"))
    )


# a fraction of the question in any of its spellings: `\frac{12}{3}`, `12/3`, `12 \div 3`,
# `{12 \over 3}` (canonical text: spaces dropped, `\div` made `/`)
_ASKED_FRACTION = re.compile(
    r"\\frac\{[-+]?(\d{1,50})\}\{[-+]?(\d{1,50})\}|(?<![\d.])(\d{1,50})/(\d{1,50})(?![\d.])"
    r"|\{(\d{1,50})\\over(\d{1,50})\}"
)


def _asked_fractions(asked: str) -> set[tuple[int, int]]:
    """The (numerator, denominator) of every plain fraction the canonical question writes."""
    out = set()
    for m in _ASKED_FRACTION.finditer(asked):
        a, b = (int(g) for g in m.groups() if g is not None)
        out.add((a, b))
    return out


# a derivative, an integral, a limit, a sum or a product left to do (canonical text)
_UNEVALUATED = re.compile(
    r"\\frac\{(?:\\mathrm\{d\}|d|\\partial)[^{}]{0,40}\}\{(?:\\mathrm\{d\}|d|\\partial)[A-Za-z]"
    r"|\\(?:[io]{0,2}int|lim|sum|prod)(?![A-Za-z])"
)


def _asked_numbers(question: str) -> set[str]:
    """The numbers the question writes. Read with its spacing kept as well as dropped: dropped
    alone, `\\log_2 8` reads as 28 and neither 2 nor 8 counts as the question's."""
    spaced = _DROP.sub(" ", respell(question))
    return set(_NUMBER.findall(spaced)) | set(_NUMBER.findall(canonical(question)))


_NAMED = re.compile(r"^[A-Za-z](?:_\{?\w\}?)?=(?!=)")


def restates_question(candidate: str, gold: str, question: str) -> str | None:
    """Why `candidate` restates `question` rather than answering it, or None."""
    answer = canonical(candidate)
    if not answer or answer == canonical(gold):
        return None
    asked = canonical(question)
    if _is_literal(answer):
        parts = _fraction(answer.lstrip("+"))
        if _unreduced_fraction(answer, gold) and parts in _asked_fractions(asked):
            return "the answer copies the question's unreduced fraction"  # "Simplify 12/3"
        return None
    if len(answer) >= MIN_RESTATED_CHARS and answer in asked:
        return "the answer restates the question's own expression"
    if len(answer) >= MIN_RESTATED_CHARS and _reordered_from(answer, gold, question):
        return "the answer restates the question's own expression, reordered"
    if _UNEVALUATED.search(answer) and not _UNEVALUATED.search(canonical(gold)):
        # "Differentiate $x^3$." answered `\frac{d}{dx} x^3`: the task, written as its answer
        return "the answer leaves the question's derivative, integral, limit or sum unevaluated"
    if not is_number_literal(gold):
        return None
    # `x = \frac{22-7}{3}`: the asked variable named before the expression names no quantity of
    # its own (the expression alone was refused, with `x =` it was paid)
    answer = _NAMED.sub("", answer, count=1)
    if _is_literal(answer):
        return None  # `x = \frac{-7}{2}`: a number written as a number
    letters = _COMMAND.sub("", answer)
    if re.search(r"[A-Za-z]", letters) or not _OPERATION.search(answer):
        return None  # a variable, a constant's name, or no operation at all
    numbers = _NUMBER.findall(answer)
    # 0 and 1 pad an expression without computing anything (`12 + 6 + 0`, `(12+6) \cdot 1`)
    if numbers and set(numbers) <= _asked_numbers(question) | {"0", "1"}:
        return "an unevaluated expression of the question's numbers, not its value"
    return None


# ----- an expression of the question with its terms reordered ---------------------------------
_CLOSING = {"{": "}", "(": ")", "[": "]"}
_BREAKS = frozenset("=<>,;")
_UNARY_AFTER = frozenset("^_*/=<>,;")
_ONE_CHAR_GROUP = re.compile(r"([\^_])\{(\w)\}")  # `x^{2}` is `x^2` as written
_IMPLIED_TIMES = re.compile(r"(?<=\d)\*(?=[A-Za-z\\(])")  # `2*x` is `2x` as written
MAX_KEY_DEPTH = 40
MAX_KEYED_CHARS = 4_000


class _TooDeep(ValueError):
    pass


def term_key(canon: str) -> str | None:
    """A canonical expression with the terms of every sum sorted and every `\\frac{a}{b}` written
    `(a)/(b)`: `1+2x+x^2`, `x^{2}+2x+1` and `x^2+1+2x` get one key, and so do
    `\\frac{x^2-1}{x-1}` and `(-1+x^2)/(x-1)`. None for text too long or nested too deep."""
    if len(canon) > MAX_KEYED_CHARS:
        return None
    try:
        canon = _IMPLIED_TIMES.sub("", _ONE_CHAR_GROUP.sub(r"\1\2", canon))
        return _level(canon, 0, "", 0)[0]
    except _TooDeep:
        return None


def _level(s: str, i: int, close: str, depth: int) -> tuple[str, int]:
    """The key of `s` from `i` up to `close` (or the end), and the index after it."""
    if depth > MAX_KEY_DEPTH:
        raise _TooDeep
    segments: list[str] = []
    terms: list[str] = []
    current: list[str] = []
    n = len(s)

    def flush() -> None:
        term = "".join(current)
        if term:
            terms.append(term if term[0] in "+-" else "+" + term)
        current.clear()

    while i < n:
        c = s[i]
        if close and c == close:
            i += 1
            break
        if s.startswith("\\frac{", i):
            numerator, i = _level(s, i + 6, "}", depth + 1)
            if i < n and s[i] == "{":
                denominator, i = _level(s, i + 1, "}", depth + 1)
                current.append(f"({numerator})/({denominator})")
            else:
                current.append(f"\\frac{{{numerator}}}")
            continue
        if c in _CLOSING:
            inner, i = _level(s, i + 1, _CLOSING[c], depth + 1)
            current.append(c + inner + _CLOSING[c])
            continue
        if c in "+-" and current and current[-1][-1] not in _UNARY_AFTER:
            flush()
        elif c in _BREAKS:
            flush()
            segments.append("".join(sorted(terms)) + c)
            terms.clear()
            i += 1
            continue
        current.append(c)
        i += 1
    flush()
    segments.append("".join(sorted(terms)))
    return "".join(segments), i


def _question_pieces(question: str) -> set[str]:
    """The keys of the question's expressions: each math span, each of its parts between `=`,
    `,`, `<`, `>`, `;`, and each word of the plain text (`Factor x^2+2x+1.`)."""
    from gymhub.verifiers.extract import math_spans  # shared reader; imported late (no cycle)

    texts = [inner for _, _, inner, _ in math_spans(question)]
    texts += [w for w in question.split() if re.search(r"[-+*/^]", w)]
    keys: set[str] = set()
    for text in texts:
        key = term_key(canonical(text))
        if key is None:
            continue
        keys.add(key)
        keys.update(re.split(r"[=<>,;]", key))
    return keys


def _reordered_from(answer: str, gold: str, question: str) -> bool:
    """Whether the canonical answer is an expression of the question with its sums reordered
    (`1+2x+x^2` for "Factor $x^2+2x+1$."); never when the gold itself is that reordering."""
    key = term_key(answer)
    if key is None or key == term_key(canonical(gold).lstrip("+")):
        return False
    return key in _question_pieces(question)


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
MIN_ECHOED_CHARS = 20


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def echoes_question(response: str, candidate: str, question: str) -> str | None:
    """Why the response's answer is an echo of the question, or None: its final sentence holds
    the answer and is a whole sentence of the question, copied ("Tom has 8 apples. He gives 4
    away. Now he has 4 apples left." answered by repeating it). A sentence that only contains
    the question's words ("The area is 24." for "Show that the area is 24.") is no copy."""
    sentences = [s for s in _SENTENCE_END.split(response.strip()[-2000:]) if s.strip()]
    if not sentences:
        return None
    last = _plain(sentences[-1])
    if len(last) < MIN_ECHOED_CHARS or _plain(candidate) not in last:
        return None
    asked = _plain(question)
    start = asked.find(last)
    while start >= 0:
        if (
            start == 0
            or asked[start - 1] in ".?!:\n"
            or asked[start - 2 : start] in (". ", "? ", "! ")
        ):
            if _states_what_is_asked(_words(sentences[-1]), question):
                return None  # "John is 10 years old." for "... How old is John?": the answer
            return "the answer is a sentence of the question, copied"
        start = asked.find(last, start + 1)
    return None


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
# words that only frame a statement ("So the answer is ...", "Therefore, now ...")
_FRAMING = frozenset(
    "the a an so thus hence therefore then now final answer is are was were it this that".split()
)
# a sentence of the question that asks or orders ("Show that the area is 24.", "Find x."):
# stating what it asks is an answer, never an echo
_REQUEST = re.compile(
    r"^\W*(?:show|prove|verify|check|confirm|demonstrate|explain|find|compute|calculate|"
    r"determine|evaluate|simplify|solve|express|write|give|state|what|which|how|who|when|where|"
    r"why|is|are|does|do|can|will)\b",
    re.I,
)
# where the answer's own clause starts in its sentence: after its working ("He gives 4 away,
# so he has 4 left": the clause is "he has 4 left")
_CLAUSE_START = re.compile(r"[,;:]|\b(?:so|thus|hence|therefore|then|and)\b", re.I)
MIN_PARAPHRASE_OVERLAP = 0.75
MAX_GIVEN_CHARS = 20_000


def _words(text: str) -> set[str]:
    """Distinct words and numbers, each word cut to its first four letters (`gives`, `give`
    alike), a number in words as its digits (`five` is `5`), framing words aside."""
    return {
        t if t[:1].isdigit() else _NUMBER_WORD.get(t.casefold()) or t.casefold()[:4]
        for t in _TOKEN.findall(text)
        if t.casefold() not in _FRAMING
    }


# one-word numbers (`five`, `twelve`, `forty`) as their digits, so that an answer in words is
# compared with a question in digits and the other way round
_NUMBER_WORD = {
    w: spelled_number(w) or ""
    for w in (
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
        "eighty ninety hundred thousand million"
    ).split()
    if spelled_number(w)
}


def paraphrases_question(response: str, candidate: str, question: str) -> str | None:
    """Why the response's answer is a paraphrased echo of a given of the question, or None.
    The answer is a number; its clause (the final sentence's part after its working) states it
    in the question's words (three quarters of its words are words of the question's
    statements), and so does one statement of the question: it holds the number and three
    quarters of its words are the clause's ("He gave 4 apples away." for "Tom has 8 apples.
    He gives 4 away. How many apples are left?"). Questions and orders of the question ("Show
    that the area is 24.") are not givens, and a question with one number only ("A box holds
    12 eggs. How many eggs are in a box?") is answered by restating it."""
    value = candidate.strip().strip("$").strip().lstrip("+")
    value = spelled_number(value) or value  # "There are five apples.": the number 5
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        return None
    value = value.lstrip("-")
    sentences = [s for s in _SENTENCE_END.split(response.strip()[-2000:]) if s.strip()]
    if not sentences:
        return None
    parts = _CLAUSE_START.split(sentences[-1])
    said = next((_words(p) for p in reversed(parts) if value in _words(p)), set())
    if len(said) < 3:
        return None
    asked = question[-MAX_GIVEN_CHARS:]
    if len({w for w in _words(asked) if w[:1].isdigit()}) < 2:  # digits or number words
        return None
    givens = [
        g
        for g in _SENTENCE_END.split(asked)
        if g.strip() and not g.rstrip().endswith("?") and not _REQUEST.match(g)
    ]
    given_words = [_words(g) for g in givens]
    known = set().union(*given_words) if given_words else set()
    if len(said & known) < MIN_PARAPHRASE_OVERLAP * len(said):
        return None
    if _states_what_is_asked(said, asked):
        return None  # "John is 10 years old." for "... How old is John?": the answer
    # a given's clauses are givens too: "Bob has 5 apples." restates "Bob has 5 apples and
    # eats 2." as much as it would restate the clause alone
    clauses = [_words(c) for g in givens for c in _CLAUSE_START.split(g) if c.strip()]
    for words in given_words + clauses:
        if value in words and len(words) >= 3:
            if len(words & said) >= MIN_PARAPHRASE_OVERLAP * len(words):
                return "the answer restates a given of the question"
    return None


def _states_what_is_asked(said: set[str], question: str) -> bool:
    """Whether the answer's words name everything one question sentence of the question asks
    about (`How old is John?`: `old` and `John`): the asked subject stated with its value is the
    answer, even in the question's own words ("John is 10 years old.")."""
    for sentence in _SENTENCE_END.split(question[-MAX_GIVEN_CHARS:]):
        if sentence.strip() and sentence.rstrip().endswith("?"):
            ask = _asked_words(sentence)
            if ask and ask <= said:
                return True
    return False


# the words of a question sentence that only ask ("How many ... does ... have?") or frame it
_ASKING = frozenset(
    "how many much what which who whom whose when where why is are was were do does did have "
    "has had will would can could should be been find compute calculate determine evaluate give "
    "state show prove verify check confirm explain write express simplify solve of in on at to "
    "for by with from and or now then if as than that this these those there he she it they his "
    "her its their him them we you".split()
)


def _asked_words(question: str) -> set[str]:
    """The words a question sentence asks about (`How old is John?`: `old`, `John`), cut as
    `_words` cuts them; one-letter words aside."""
    return {
        t if t[:1].isdigit() else t.casefold()[:4]
        for t in _TOKEN.findall(question)
        if len(t) > 1 and t.casefold() not in _FRAMING and t.casefold() not in _ASKING
    }
