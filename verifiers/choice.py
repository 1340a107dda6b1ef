"""Multiple-choice answers: the option letter (`C`, `(C)`, `\\boxed{C}`) or the option's text.

Naming two options is a hedge, wherever it is written: `(A) or (C)`, `A and C`, `\\boxed{A, C}`,
two different boxes or tags. It is `incorrect`, never read as its first letter.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.bounded_text import squeeze_blank_runs
from gymhub.verifiers.extract import (
    _RETRACTION,
    _keeps,
    extract_final_answer,
    extract_tagged,
    strip_think,
)
from gymhub.verifiers.math_verifier import (
    _ANSWER_CLAUSE,
    _LETTER_IN_TEXT,
    _letters_in_final_statement,
    choice_letter,
    drop_ruled_out,
    without_reason,
)
from gymhub.verifiers.string_match import DOUBT_WORDS, _asks, doubted_after, normalize_text

_CONNECTORS = frozenset(
    {"or", "and", "either", "both", "nor", "neither", "&", "/", "+", "vs", "maybe", "perhaps"}
    # a label before the letter: `\boxed{Response A}`, `Option C`
    | {"option", "choice", "response", "answer", "assistant"}
)
_SEPARATORS = re.compile(r"[\s,;]+")
# `C`, `(C)`, `C.`, and `[[C]]` (the MT-Bench judges' verdict form)
_LETTER_TOKEN = re.compile(r"^(?:\(([A-Z])\)|\[\[([A-Z])\]\]|([A-Z]))[.:!]{0,3}$")
_PAREN_LETTER = re.compile(r"\(([A-Z])\)")
_TEXT_PARTS = re.compile(r"\s*(?:[,;/&]|\bor\b|\band\b)\s*", re.I)
_ANCHOR = re.compile(r"answer\s*(?:is|:)", re.I)
# a letter joined to another by "or"/"and" (either case: "B or c"), ending its clause
_JOINED_LETTER = re.compile(
    r"(?:\bor|\band|/|&)(?:\s+(?:maybe|perhaps|possibly|also|even))?\s*\(?([A-Ja-j])\)?"
    r"(?=\s*(?:[.,;)!?]|$))"
)


# ... and the letter before it: "between A and B", "It is A or B."
_LETTER_BEFORE_JOIN = re.compile(
    r"(?<![A-Za-z'\u2019])\(?([A-J])\)?[ \t]*(?:\bor|\band|/|&)[ \t]*\(?[A-Ja-j]\)?"
    r"(?=\s*(?:[.,;)!?]|$))"
)


def _joined_letters(text: str) -> set[str]:
    return {letter.upper() for letter in _JOINED_LETTER.findall(text)} | set(
        _LETTER_BEFORE_JOIN.findall(text)
    )


# An option named only to be dismissed: `(A) is wrong`, `A and C are incorrect`, `option D
# fails`, `not (A)`, `rule out B`. Such a letter is neither the pick nor a second candidate:
# "B. (A) is wrong." picks B, and "(A) is wrong because ..." picks nothing.
_OPT = r"(?:\b(?:options?|choices?)\s+)?(?:\((?-i:[A-J])\)|\b(?-i:[A-J])\b)"
# at most ten options in a list: a bounded repeat keeps the scan linear on "A, A, A, ..." x 10^5
_OPTS = rf"{_OPT}(?:\s{{0,3}}(?:,|&|\band\b|\bor\b|\bnor\b)\s{{0,3}}{_OPT}){{0,9}}"
_VERDICT = (
    r"(?:wrong|incorrect|false|invalid|impossible|eliminated|excluded|ruled\s+out|out"
    r"|not\s+(?:the\s+(?:right\s+|correct\s+)?answer|correct|right|true|valid|possible))"
)
# the dismissed list starts a clause: "(B); (A) and (C) are wrong" keeps B
_CLAUSE_START = r"(^|[.,;:!?\n(]\s*|\b(?:so|since|because|and|but|while|whereas|as)\s+)"
_DISMISSED = re.compile(
    rf"{_CLAUSE_START}{_OPTS}\s*(?::\s*)?(?:(?:is|are)\s+"
    rf"(?:also\s+|clearly\s+|definitely\s+|both\s+)?{_VERDICT}|fails?"
    rf"|(?:can(?:not|'t)|could\s*n[o']t)\s+be\s+(?:right|correct|the\s+answer))(?![A-Za-z])"
    rf"(?:\s*[.;!]+)?"
    rf"|(\b(?:not|never|rules?\s+out|ruling\s+out|eliminat(?:e|es|ing)|exclud(?:e|es|ing))"
    rf"\s+){_OPTS}(?![A-Za-z])",
    re.I,
)


# Capital letters of other scripts that look like option letters, standing alone ("A or В" with
# a Cyrillic В named two options); inside a word they are left alone (an option's own text).
_LOOKALIKE_LETTERS = str.maketrans(
    dict(
        zip(
            "\u0410\u0412\u0421\u0415\u041d\u0406\u0408\u0391\u0392\u0395\u0397\u0399",
            "ABCEHIJABEHI",
            strict=True,
        )
    )
)
_LONE_LOOKALIKE = re.compile(
    "(?<![^\\W\\d_])[\u0410\u0412\u0421\u0415\u041d\u0406\u0408\u0391\u0392\u0395\u0397\u0399]"
    "(?![^\\W\\d_])"
)
# invisible format characters (zero-width spaces and joiners, bidi marks, soft hyphens)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _fold_letters(text: str) -> str:
    """`text` as the option letters are read: NFKC (`Ａ` is `A`), without invisible characters,
    a capital of another script that stands alone as the Latin letter it looks like."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _LONE_LOOKALIKE.sub(lambda m: m.group(0).translate(_LOOKALIKE_LETTERS), text)


# the pick, then a list of options ruled out: "B, not A or C", "B (not A, C or D)"
_RULED_OUT_LIST = re.compile(
    rf"(?<![A-Za-z])((?-i:[A-J])\)?)[ \t]{{0,3}}[,;]?[ \t]{{0,3}}\(?[ \t]{{0,3}}(?:and[ \t]+|but[ \t]+)?"
    rf"(?:not|rather[ \t]+than|instead[ \t]+of)[ \t]+{_OPTS}[ \t]*\)?(?![A-Za-z])",
    re.I,
)


def drop_dismissed(text: str) -> str:
    """`text` without the options it names only to dismiss them (`(A) is wrong`, `not C`)."""
    text = _RULED_OUT_LIST.sub(r"\1", text)  # `B, not A or C` is B
    text = drop_ruled_out(text)  # `C (not A)` is C first, before `not A` goes on its own
    return _DISMISSED.sub(lambda m: m.group(1) or (" " if m.group(2) else ""), text)


# quotes around a pick: `'B'`, `"B"`, `«B»`
_QUOTE_MARKS = "\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb"


def _clean(text: str) -> str:
    text = re.sub(r"\\(?:text|mathrm|textbf|mathbf)\s*\{([^{}]*)\}", r"\1", text)
    return drop_ruled_out(text.replace("$", "")).strip().strip(_QUOTE_MARKS).strip()


def letters_named(candidate: str, choices: Mapping[str, str] | None = None) -> set[str]:
    """Every option letter one extracted answer names: a single letter (`C`, `(C)`, `C.`), a
    list of letters (`A, C`, `(A) or (C)`), an option's text, several options' texts joined by
    `or`/`and`/commas, or `C) text` (plus any other parenthesised letter or list-item letter in
    it, and the option whose text follows the letter when it is another's: `(A) Lyon`)."""
    text = _clean(candidate)
    weighed = _WEIGHED_LEAD.match(text)
    if weighed and _PLAIN_LETTER.search(text, weighed.end()):
        # "Between A and B, I pick B": the options weighed first are no pick
        text = candidate = text[weighed.end() :]
    lone = _LOWER_LETTER.match(text)  # `<answer>b</answer>`, `(b)`: the whole answer is a letter
    if lone:
        return {lone.group(1).upper()}
    words = [w for w in _SEPARATORS.split(text) if w and w.casefold() not in _CONNECTORS]
    tokens = [_LETTER_TOKEN.match(w) or _LOWER_LETTER.match(w) for w in words]
    if words and all(tokens):  # `A, C`, `B or c`: only letters
        return {m.group(m.lastindex or 0).upper() for m in tokens if m}
    single = _choice_letter(candidate, choices)
    if choices:
        parts = [_HEDGE_WORDS.sub("", p) for p in _TEXT_PARTS.split(text) if p.strip()]
        named = {_part_letter(p, choices) for p in parts} if len(parts) > 1 else set()
        named.discard(None)
        if len(named) > 1 or (single is None and named):
            # with a letter joined on that no part reads (`B or C?`, `Venus or C!`)
            return {n for n in named if n} | _joined_letters(text)
    if single is None:
        lead = _LEAD_LOOSE.match(text) if choices else None
        if lead is None:
            return set()
        # `C (Mars)`, `C - Mars`: a letter set off with an option's text (another option's: both)
        named = _options_in_text(text[lead.end() :], choices or {}, exact_start=True)
        return {lead.group(1)} | named if named else set()
    text = without_reason(text)  # "(B) because (C) is too large" names C in its reason only
    found = {single} | set(_PAREN_LETTER.findall(text)) | _joined_letters(text)
    lead = _LEAD.match(text)
    if lead:  # `A. Mercury B. Venus C. Mars`: a list of the options, not a pick
        found |= set(_INLINE_LEAD.findall(text))
    if choices and lead:  # `(A) Lyon`: the letter of one option, the text of another
        found |= _options_in_text(text[lead.end() :], choices, exact_start=True) - {single}
    return found


# a leading clause that lists the options weighed: "Between A and B,", "Choosing between A and C:"
_WEIGHED_LEAD = re.compile(
    r"[ \t]*(?:(?:choosing|deciding|picking)[ \t]+)?(?:between|among(?:st)?|of|comparing)[ \t]"
    r"[^,;:\n]{1,40}[,;:][ \t]*(?=\S)",
    re.I,
)


# a lone lower-case letter as the whole answer; in prose `a` is the article ("is a city")
_LOWER_LETTER = re.compile(r"^\(?\s*([a-j])\s*\)?[.:]?$")


def _part_letter(part: str, choices: Mapping[str, str]) -> str | None:
    """The option one part of a list names: its letter (either case: `B / c`) or its text."""
    lone = _LOWER_LETTER.match(part.strip())
    return lone.group(1).upper() if lone else _choice_letter(part, choices)


# hedge words before an option's text: "Paris or maybe Lyon"
_HEDGE_WORDS = re.compile(
    r"^\s*(?:(?:maybe|perhaps|possibly|probably|even|also|either|neither|both|else|otherwise"
    r"|alternatively)\b[\s,]*){1,3}",
    re.I,
)
# an option's letter set off as a list item inside a line: `A. Mercury B. Venus`
_INLINE_LEAD = re.compile(r"(?<![A-Za-z])\(?([A-J])[).:][ \t]+(?=[A-Za-z])")
# the letter that leads `C) text`, `(C) text`, `C. text`, `C: text`
_LEAD = re.compile(r"^\(?[A-J][).:]\s*(?=\S)")


@functools.lru_cache(maxsize=4096)  # the options' texts are folded once per reply, not per part
def _folded(text: str) -> str:
    """`text` as option texts are compared: case, accents and spacing aside (`Sao Paulo` is
    `São Paulo`, `Zurich` is `Zürich`)."""
    return " ".join(normalize_text(text).split())


def _choice_letter(candidate: str, choices: Mapping[str, str] | None = None) -> str | None:
    """`choice_letter`, with an option's text also matched without case and accents."""
    letter = choice_letter(candidate, choices)
    if letter is not None or not choices or _asks(candidate):  # `4?` asks, it does not pick
        return letter
    wanted = _folded(_clean(candidate))
    named = [str(k).strip("()").upper() for k, o in choices.items() if _folded(str(o)) == wanted]
    return named[0] if wanted and len(named) == 1 else None


def _options_in_text(
    text: str, choices: Mapping[str, str], *, exact_start: bool = False
) -> set[str]:
    """Letters of the options whose text `text` names (whole words, case and spacing aside);
    with `exact_start`, only an option whose text the whole `text` is or starts with (`Lyon, the
    second city`). Options whose text is in another named option's (`York` in `New York`) count
    only for the longer one."""
    hay = _folded(text).strip(" .,;:!?()")
    named: dict[str, str] = {}
    for letter, option in choices.items():
        needle = _folded(str(option)).strip(" .,;:!?()")
        if not needle or len(needle) > 500:
            continue
        pattern = re.compile(("^" if exact_start else r"(?<!\w)") + re.escape(needle) + r"(?!\w)")
        if pattern.search(hay):
            named[str(letter).strip("()").upper()] = needle
    return {
        letter
        for letter, needle in named.items()
        if not any(needle != other and needle in other for other in named.values())
    }


# a lower-case letter read from prose followed by a word is the article: "the answer is a city"
_ARTICLE_AFTER = re.compile(r"(?<!\))\s+[A-Za-z]")


def _letters_in_prose(response: str, choices: Mapping[str, str] | None = None) -> set[str]:
    """Fallback when no extracted answer names a letter: a one-line reply that starts with its
    pick (`A. Paris, the capital`), else the letters named in the last line of the reply that
    names any ("the answer is (C)", "(C)")."""
    reply = strip_think(response).strip()
    if "\n" not in reply and len(reply) <= 500 and _LEAD.match(reply):
        return letters_named(reply, choices)
    for line in reversed(strip_think(response)[-2000:].splitlines()):
        hits = {
            m.group(1).upper()
            for m in _LETTER_IN_TEXT.finditer(line)
            if not (m.group(1).islower() and _ARTICLE_AFTER.match(line, m.end()))
        }
        if _ANSWER_CLAUSE.search(line):  # "Option A is wrong. The correct option is C."
            stated = _letters_in_final_statement(line)
            if stated or hits:
                return stated or hits
        if hits:
            return hits
    return set()


def _letters_joined_after_anchor(
    response: str, choices: Mapping[str, str] | None = None
) -> set[str]:
    """The letters named after the last "answer is" of the final line, read whole ("The answer
    is A. B.", "... A. or B."), which a sentence-based anchor reader cuts off."""
    lines = strip_think(response)[-2000:].strip().splitlines()
    if not lines:
        return set()
    anchors = list(_ANCHOR.finditer(lines[-1]))
    tail = drop_ruled_out(lines[-1][anchors[-1].end() :]) if anchors else ""
    if not tail.strip():
        return set()
    found = letters_named(tail) | _joined_letters(tail)
    lead = _LEAD_LOOSE.match(tail.strip())
    if choices and lead:  # `Answer: C (Venus)`: the letter of one option, the text of another
        others = _options_in_text(tail.strip()[lead.end() :], choices, exact_start=True)
        if others - {lead.group(1)}:
            found |= {lead.group(1)} | others
    return found


# the letter that leads an answer, however it is set off: `C (Venus)`, `C - Venus`, `C: Venus`
_LEAD_LOOSE = re.compile(r"^\(?([A-J])\)?(?![A-Za-z])[ \t]*[.:\-\u2013\u2014]?[ \t]*\(?[ \t]*")


_STATED = re.compile(r"answer\s*(?:is|:)|\\boxed\s*\{[^{}]{0,40}\}|</answer>", re.I)
# a reply that opens with its pick, set off: "B. Actually C.", "(B) or maybe C", "B, then C"
_OPENING_PICK = re.compile(
    r"^\s*(?:\([A-J]\)|[A-J](?=[.,;:!)\u2013\u2014]|\s*$|\s+[-\u2013\u2014]))"
)


def _stated_end(text: str) -> int | None:
    """Where the last stated pick ends: the last "answer is", box or `</answer>`, else a
    letter the reply opens with; None when there is neither."""
    stated = list(_STATED.finditer(text))
    if stated:
        return stated[-1].end()
    opening = _OPENING_PICK.match(text)
    return opening.end() if opening else None


_LETTER_SAID = re.compile(r"\(([A-J])\)|(?<![A-Za-z'])([A-HJ])(?![A-Za-z'])")  # bare `I` is "I"


# interjections opening a sentence that take the pick back: "<answer>B</answer> No wait, C.",
# "The answer is B. Hmm, D."
_RETRACTS = re.compile(
    r"(?:^|(?<=[.!?;\n]))[ \t\n)*_\]]{0,20}"
    r"(?:(?:no|nope|wait|hmm+|um+)\b[ \t,.!:;-]{0,5}){1,3}",
    re.I,
)
# a second letter right after a tag or box: "<answer>B</answer> C", "\\boxed{B} (C)"
_LETTER_AFTER_TAG = re.compile(
    r"[ \t]{0,5}[,;/&]?[ \t]{0,5}\(?([A-HJ])\)?(?=[ \t]*(?:[.,;!?)]|$))", re.M
)


def _letter_after_tag(response: str) -> set[str]:
    """The letter written alone right after the last `</answer>` or box (a second pick); one
    dismissed there (`\\boxed{B}; C and D are wrong`) is none."""
    text = drop_dismissed(strip_think(response)[-2000:])
    stated = list(_STATED.finditer(text))
    if not stated or stated[-1].group().lower().startswith("answer"):
        return set()  # none, or "answer is": the letter after it is the pick itself
    after = _LETTER_AFTER_TAG.match(text, stated[-1].end())
    return {after.group(1)} if after else set()


# a pick alone ending its line: "C.", "(C)", "it's C!", "I mean (C)"
_BARE_PICK = re.compile(
    r"[ \t,:]*(?:(?i:it'?s|it[ \t]+is|i[ \t]+mean|the[ \t]+answer[ \t]+is)[ \t]+)?"
    r"(?:\(([A-J])\)|([A-HJ]))[ \t]*[.!]{0,3}[ \t]*"
)


def _letters_taken_back(response: str, choices: Mapping[str, str] | None = None) -> set[str]:
    """Letters a retraction right after the last stated answer names instead ("The answer is
    B. Actually, it's A.", "\\boxed{B}. Oops, no: (A).", with choices "Answer: Paris. Actually,
    Lyon."): the reply then gives two answers."""
    text = drop_dismissed(strip_think(response)[-2000:])
    end = _stated_end(text)
    if end is None:
        return set()
    after = text[end:][:400]
    retraction = _RETRACTION.search(after) or _RETRACTS.search(after)
    if retraction is None:
        return set()
    sentence = re.split(r"(?<=[.!?])\s", after[retraction.end() :], maxsplit=1)[0]
    if re.search(r"\n\s*\n", after[: retraction.start()]):
        # in a later paragraph only a bare pick takes the answer back ("\n\nActually, C.",
        # "\n\nWait, no, (C)."); a discussion there ("Actually, C is a distractor") does not
        bare = _BARE_PICK.fullmatch(after[retraction.end() :].split("\n", 1)[0])
        if bare is None:
            return set()
        return {bare.group(1) or bare.group(2)}
    if re.search(r"\b(?:not|cannot|can't|isn't|never)\b", sentence, re.I):
        return set()  # "no, it cannot be A" keeps the answer
    letters = {a or b for a, b in _LETTER_SAID.findall(sentence)}
    if choices:  # the option's text said instead: "Actually, it's Lyon."
        said = _SAYS.sub("", sentence, count=1)
        letters |= _options_in_text(said, choices, exact_start=True)
    return letters


# what a retraction or an alternative says before the option it names: "it's", "I mean"
_SAYS = re.compile(
    r"^[\s,:;]*(?:(?:it(?:'s|\s+is)|that(?:'s|\s+is)|the\s+(?:correct\s+|right\s+)?answer\s+is"
    r"|i\s+mean[t]?|make\s+(?:it|that))\b[\s,:]*)?",
    re.I,
)
# an alternative offered before the option's text: "or possibly Lyon", "It could also be Lyon."
_CUE_BEFORE = re.compile(
    r"\b(?:could|might|may)\s+(?:also\s+|well\s+|equally\s+)?be\b"
    r"|\bor\s+(?:possibly|perhaps|maybe|probably|even|else)\b"
    r"|(?:^|[\s,;(])(?:possibly|perhaps|maybe|alternatively|otherwise|or|then\s+again)\b\s*[,:]?",
    re.I,
)
# ... or after it: "Lyon is also correct", "Lyon also works", "Lyon works too"
_CUE_AFTER = re.compile(
    r"\s+(?:(?:could|might|may)\s+(?:also\s+|well\s+|equally\s+)?be|is\s+(?:also|arguably"
    r"|possibly|perhaps|maybe|probably|equally))\s+(?:right|correct|better|valid|acceptable"
    r"|possible|plausible|defensible|the\s+(?:better|right|correct|best)\b|as\s+good)"
    r"|\s+(?:also|too|equally)\s+(?:works?|fits?|holds?|applies)\b"
    r"|\s+(?:works?|fits?|holds?)\s+(?:too|as\s+well)\b",
    re.I,
)


def _options_offered(sentence: str, choices: Mapping[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, letter) of the options whose text a sentence offers as an alternative ("or
    maybe Lyon", "Lyon also works")."""
    offered: list[tuple[int, int, str]] = []
    for cue in _CUE_BEFORE.finditer(sentence):
        for letter in _options_in_text(sentence[cue.end() :], choices, exact_start=True):
            offered.append((cue.start(), cue.end(), letter))
    for cue in _CUE_AFTER.finditer(sentence):
        before = _LAST_CLAUSE.sub("", sentence[: cue.start()], count=1)
        letter = _choice_letter(before, choices)
        if letter is not None:
            offered.append((cue.start(), cue.end(), letter))
    return offered


# another option offered beside the pick, right after it: "\\boxed{A}. It could also be B.",
# "\\boxed{A} or possibly B", "\\boxed{A}. B might also be right.", "(though B is arguably
# better)", "I am not sure, could be B"
_SAID = r"(?:\((?-i:[A-J])\)|(?<![A-Za-z'])(?-i:[A-HJ])(?![A-Za-z'\u2019]))"
_NAMED = rf"(?:(?:option|choice|response|answer)\s+)?({_SAID})"
_OFFERED = re.compile(
    rf"\b(?:could|might|may)\s+(?:also\s+|well\s+|equally\s+)?be\s+{_NAMED}"
    rf"|\bor\s+(?:possibly|perhaps|maybe|probably|even)\s+{_NAMED}"
    rf"|(?:^|[\s,;(])(?:possibly|perhaps|maybe)\s+{_NAMED}(?=\s*(?:[.,;!?)]|$))"
    # a second letter on its own after "Or", "Then again", "Hmm", "Wait": "\\boxed{A}. Or B."
    rf"|(?:^|[\s,;(])(?:or|then(?:\s+again)?|on\s+second\s+thought|hm+|wait)\s*[,:]?\s*{_NAMED}"
    r"(?=\s*(?:[.,;!?)]|$))"
    # "B also works", "B works too", "otherwise B", "alternatively (B)"
    rf"|{_NAMED}\s+(?:(?:also|too|equally)\s+(?:works?|fits?|holds?|applies)\b"
    r"|(?:works?|fits?|holds?)\s+(?:too|as\s+well)\b)"
    rf"|\b(?:otherwise|alternatively|or\s+else)\s*[,:]?\s*{_NAMED}(?![A-Za-z])"
    rf"|{_NAMED}\s+(?:(?:could|might|may)\s+(?:also\s+|well\s+|equally\s+)?be"
    r"|is\s+(?:also|arguably|possibly|perhaps|maybe|probably|equally|just\s+as))\s+(?:right|correct"
    r"|better|valid|acceptable|possible|plausible|defensible|good|strong|helpful|the\s+(?:better"
    r"|right|correct|best)\b|as\s+good)",
    re.I,
)
# "B could be better if it were longer": a counterfactual, no second pick
_COUNTERFACTUAL = re.compile(r"\b(?:if|were|would|unless)\b", re.I)


def _letters_offered(response: str, choices: Mapping[str, str] | None = None) -> set[str]:
    """Letters offered as an alternative in the sentences right after the last stated answer
    (its paragraph and the next); an alternative that is ruled out ("B could be right, but it is not") or
    only conditional ("B could be better if ...") is none."""
    text = drop_dismissed(strip_think(response)[-2000:])
    end = _stated_end(text)
    if end is None:
        return set()
    # the same paragraph and the next one ("\\boxed{A}\n\nHowever, B is equally good.")
    after = "\n\n".join(re.split(r"\n\s*\n", text[end:][:400], maxsplit=2)[:2])
    letters: set[str] = set()
    for sentence in re.split(r"(?<=[.!?])\s|\n\n", after):
        if _COUNTERFACTUAL.search(sentence):
            continue
        offered = [
            (m.start(), m.end(), next(g for g in m.groups() if g).strip("()").upper())
            for m in _OFFERED.finditer(sentence)
        ]
        if choices:
            offered += _options_offered(sentence, choices)
        for start, end, letter in offered:
            # ruled out after it ("B could be right, but it is not") or negated in its own
            # clause; a "but" before it ("A, but B also works") offers it all the same
            clause = _LAST_CLAUSE.sub("", sentence[:start], count=1)
            if not (_keeps(sentence[end:]) or _NEGATED.search(clause)):
                letters.add(letter)
    return letters


_LAST_CLAUSE = re.compile(r"^.*(?:[,;:(]|\b(?:but|however|though|although)\b)", re.I | re.S)
_NEGATED = re.compile(r"\b(?:not|cannot|can't|isn't|never|no)\b", re.I)


# the pick put as a question: "The answer is A?", "\\boxed{A}?", "<answer>A?</answer>"
_ASKED = re.compile(
    r"(?:answer\s*(?:is|:)\s*\(?[A-J]\)?|\\boxed\s*\{[^{}]{0,40}\}|\(?[A-J]\)?\s*</answer>)"
    r"\s*\?|\\boxed\s*\{\s*\(?[A-J]\)?\s*\?\s*\}|\?\s*</answer>",
)


# a pick put as a guess: a doubt at the edge of the answer read ("maybe B", "B, probably",
# "Venus (not sure)"), or right after its tag or box ("\\boxed{B}, I guess")
_DOUBTED = re.compile(rf"^[\W_]*(?:{DOUBT_WORDS})\b|\b(?:{DOUBT_WORDS})[\W_]*$", re.I)


def _doubted(response: str) -> bool:
    """Whether the pick is put as a guess (see `_DOUBTED`)."""
    tagged = extract_tagged(response).candidates
    candidates = tagged if len(tagged) > 1 else extract_final_answer(response).candidates
    if any(_DOUBTED.search(without_reason(c)[-500:]) for c in candidates):
        return True
    text = strip_think(response)[-2000:]
    end = _stated_end(text)
    return end is not None and doubted_after(text[end : end + 200])


def _asked(response: str) -> bool:
    """Whether the last stated pick is put as a question."""
    text = strip_think(response)[-2000:]
    stated = list(_STATED.finditer(text))
    if not stated:
        return False
    # from just before it (`A?` before `</answer>`): a question earlier in the reasoning is not it
    start = max(0, stated[-1].start() - 6)
    return _ASKED.search(text, start, min(len(text), stated[-1].end() + 8)) is not None


def chosen_letters(response: str, choices: Mapping[str, str] | None = None) -> set[str]:
    """The set of option letters a response picks (extracted answers, then prose); one letter
    is an answer, several are a hedge, none is unparseable. Several different `<answer>` tags
    are all read. Markdown bold (`**B**`, `Answer: **B**`) is not part of the letter."""
    if not isinstance(response, str):
        raise TypeError(f"response must be a str, got {type(response).__name__}")
    # long blank runs first: the sentence readers are slow on them (verify squeezed them, direct
    # callers did not: 'B' and 5,000 spaces took a minute)
    response = squeeze_blank_runs(response)
    response = drop_dismissed(response.replace("**", "").replace("__", ""))
    tagged = extract_tagged(response).candidates
    candidates = tagged if len(tagged) > 1 else extract_final_answer(response).candidates
    found: set[str] = set()
    for candidate in candidates:
        found |= letters_named(candidate, choices)
    if found:
        return (
            found
            | _letters_joined_after_anchor(response, choices)
            | _letters_taken_back(response, choices)
            | _letters_offered(response, choices)
            | _letter_after_tag(response)
        )
    reply = strip_think(response).strip()
    first = _FIRST_LINE_PICK.match(reply.split("\n", 1)[0]) if "\n" in reply else None
    if first:
        # the pick given first on a line of its own, then explained ("B\n\nExplanation: ...
        # Mercury (A) cannot ..."): the explanation's letters are no pick of their own; an
        # option it names as a candidate (not dismissed) is a second pick, a hedge
        rest = drop_dismissed(reply.split("\n", 1)[1][-2000:])
        sentences = [x for x in re.split(r"(?<=[.!?])\s+|\n", rest) if x.strip()]
        return {first.group(1)} | _named_in(sentences, choices)
    found = _letters_in_prose(response, choices)
    if found and "\n" not in reply and _OPENING_PICK.match(reply):
        # a one-line reply that opens with its pick, with what a retraction or an alternative
        # after it names ("B. C is also valid."); earlier reasoning is not read this way
        return found | _letters_taken_back(response, choices) | _letters_offered(response, choices)
    if found:
        return found
    lowered = response.lower()
    if "<answer" in lowered or "boxed" in lowered:
        return found  # an empty tag or box is an empty answer, not a reason to read the rest
    # the options the last sentence names by text and by letter (`Venus or C!` names two)
    by_text = _options_in_final_statement(response, choices) if choices else set()
    return by_text | _letters_stated_plainly(response, choices)


# a bare option letter in a sentence: `C is correct.`, `I'd go with C.`; `A` before a word that
# is no verb is the article ("A good choice"), and a bare `I` is the pronoun
_PLAIN_LETTER = re.compile(
    r"\(([A-J])\)|(?<![A-Za-z'\u2019])([B-HJ]|A(?!\s+(?!(?:is|was|seems|looks|fits|works"
    r"|matches|wins|remains|it|then|because|since|as|and|or)\b)[a-z]))(?![A-Za-z'\u2019])"
)
# the answer given first, on a line of its own: `C`, `(C)`, `C.`, `C) Mars`
_FIRST_LINE_PICK = re.compile(r"^\s*\(?([A-J])\)?(?:[.:)]?\s*$|[).:]\s+\S)")
# The words the sentence readers below share. What denies or rejects an option ...
_DENIES = r"wrong|incorrect|false|fails?|too|unlikely|impossible|not|never|isn't|aren't"
# ... and what makes a statement conditional or doubtful
_CONDITIONAL = r"if|whether|unless|maybe|perhaps|possibly|might|could"
# a sentence that names a letter only to dismiss or doubt it: "A is tempting but wrong." (no
# closing `\b`: `eliminat` covers eliminated, eliminating)
_DISMISSIVE = re.compile(
    rf"\b(?:{_DENIES}|tempting|distractors?|ruled?\s+out|eliminat|exclud|can't|cannot)", re.I
)


def _sentences(response: str) -> list[str]:
    """The sentences and lines of the reply's end (after the reasoning), options dismissed."""
    text = drop_dismissed(strip_think(response)[-2000:])
    return [x for x in re.split(r"(?<=[.!?])\s+|\n", text) if x.strip()]


def _named_in(sentences: list[str], choices: Mapping[str, str] | None) -> set[str]:
    """The options that sentences name as candidates: their letters and, with choices, their
    texts; a sentence that dismisses, doubts or asks (`A is tempting but wrong.`, `A?`) names
    none. A reply that lists the options (`A. Mercury\nB. Venus ...`) names them all."""
    named: set[str] = set()
    for sentence in sentences:
        if _DISMISSIVE.search(sentence) or sentence.rstrip().endswith("?"):
            continue
        named |= {a or b for a, b in _PLAIN_LETTER.findall(sentence)}
        if choices:
            named |= _options_in_text(sentence, choices)
    return named


def _letters_stated_plainly(response: str, choices: Mapping[str, str] | None = None) -> set[str]:
    """Last fallback: the letters of the reply's last sentence when it states a pick in plain
    words (`C is correct.`, `I'd go with C.`, `Final: C`), else the letter of a first line that
    is only a letter (the answer given first, then explained); either with every option another
    sentence names as a candidate (a second pick, or a list of the options: a hedge)."""
    sentences = _sentences(response)
    if not sentences:
        return set()
    last = _picking_part(sentences[-1])
    if last is not None:
        # "Between A and B, B is correct": the clause that lists the options weighed names no
        # pick when another clause of the sentence does
        kept = [c for c in _CLAUSE_BREAK.split(last) if not _WEIGHED.match(c)]
        if kept and len(kept) < len(_CLAUSE_BREAK.split(last)):
            if any(_PLAIN_LETTER.search(c) for c in kept):
                last = " ".join(kept)
        named = {a or b for a, b in _PLAIN_LETTER.findall(last)}
        if named:
            return named | _named_in(sentences[:-1], choices)
    first = _FIRST_LINE_PICK.match(sentences[0])
    if first is None or len(sentences) == 1:
        return set()
    return {first.group(1)} | _named_in(sentences[1:], choices)


# a final sentence that dismisses, doubts or weighs what it names picks nothing by its text
_NO_PICK = re.compile(
    rf"\b(?:{_DENIES}|no|nor|neither|except|excluding|besides|other\s+than|rather\s+than"
    rf"|instead\s+of|{_CONDITIONAL})\b|n['\u2019]t\b|\?",
    re.I,
)


# a final sentence that doubts or asks picks nothing; one that only negates some of its clauses
# ("Neither A nor B; it's C.", "It's Mars, not Venus.") picks with the others
_DOUBTS = re.compile(
    rf"\b(?:{_CONDITIONAL}|probably|guess|unsure|not\s+(?:sure|certain|confident))\b|\?", re.I
)
_CLAUSE_BREAK = re.compile(r"[;,:\u2014]|\s\u2013\s|\s-\s|\bbut\b", re.I)
# a clause that lists the options weighed: "Between A and B", "Of A and B", "Comparing A and B"
_WEIGHED = re.compile(r"\s*(?:between|among(?:st)?|of|comparing|out\s+of)\s", re.I)


def _picking_part(sentence: str) -> str | None:
    """The clauses of `sentence` that state a pick (its negated clauses left out), or None when
    the sentence doubts or every clause negates."""
    if not _NO_PICK.search(sentence):
        return sentence
    if _DOUBTS.search(sentence):
        return None
    kept = [
        c
        for c in _CLAUSE_BREAK.split(sentence)
        if c.strip() and not _NO_PICK.search(c) and not _DISMISSIVE.search(c)
    ]
    return " ".join(kept) if kept else None


def _options_in_final_statement(response: str, choices: Mapping[str, str]) -> set[str]:
    """Last fallback, with choices: the options whose text the reply's last sentence names
    (`It's Mars.`, `Mars is the answer.`, `I pick Mars`), unless that sentence dismisses,
    doubts or explains (`Mercury is too hot.`), with every option another sentence names as a
    candidate; two options named are a hedge (a list of the options names them all)."""
    sentences = _sentences(response)
    last = _picking_part(sentences[-1]) if sentences else None
    if last is None:
        return set()
    named = _options_in_text(last, choices)
    return named | _named_in(sentences[:-1], choices) if named else set()


class MultipleChoice(Verifier):
    """Correct when the response picks the gold option and no other.

    The reference is a letter (`"C"`) or `{"answer": "C", "choices": {"A": "...", ...}}`; with
    choices, an answer written as the option's text counts too. Naming two options is a hedge.
    """

    name = "multiple_choice"

    def __init__(self, letters: str = "ABCDEFGHIJ") -> None:
        if not letters or not letters.isalpha():
            raise ValueError("letters must be a non-empty string of option letters")
        self.letters = letters.upper()

    def _choices(self, choices: Any) -> Mapping[str, str] | None:
        """`choices` as {letter: text}: a mapping as given, or a list of the options' texts in
        order (a dataset's column) lettered A, B, ...; anything else is the caller's error."""
        if choices is None or isinstance(choices, Mapping):
            return choices
        if isinstance(choices, (list, tuple)) and all(isinstance(c, str) for c in choices):
            if len(choices) > len(self.letters):
                raise ValueError(
                    f"{len(choices)} choices for {len(self.letters)} letters ({self.letters})"
                )
            return dict(zip(self.letters, choices))
        raise TypeError(
            "choices must be a mapping {letter: text} or a list of option texts, got "
            f"{type(choices).__name__}"
        )

    def _gold(self, reference: Any) -> tuple[str, Mapping[str, str] | None]:
        choices = None
        if isinstance(reference, Mapping):
            choices = self._choices(reference.get("choices"))
            reference = reference.get("answer")
        letter = choice_letter(str(reference or ""), choices)
        if letter is None or letter not in self.letters:
            raise ValueError(
                f"multiple-choice reference must be one of {self.letters!r}, got {reference!r}"
            )
        return letter, choices

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        gold, choices = self._gold(reference)
        choices = self._choices(context.get("choices", choices))
        # the readers' regexes are slow on long runs; `Ａ`, `A\u200b` and a lone Cyrillic `В` are
        # the letters they look like
        response = _fold_letters(squeeze_blank_runs(response))
        found = chosen_letters(response, choices)
        if not found:
            return Verdict.unparseable("no option letter found")
        if len(found) > 1:
            return Verdict.incorrect(f"hedged between options {sorted(found)}")
        (letter,) = found
        if _asked(response):
            return Verdict.incorrect(f"the pick {letter} is put as a question")
        if _doubted(response):
            return Verdict.incorrect(f"the pick {letter} is put as a guess")
        if letter not in self.letters:
            return Verdict.incorrect(f"{letter} is not one of the options {self.letters}")
        return Verdict.correct() if letter == gold else Verdict.incorrect(f"chose {letter}")

    def reference_response(self, reference: Any) -> str | None:
        gold, _ = self._gold(reference)
        return f"The answer is \\boxed{{{gold}}}."
