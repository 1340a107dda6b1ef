"""Exact and normalized string matching."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.bounded_text import squeeze_blank_runs
from gymhub.verifiers.extract import (
    MAX_SCAN_CHARS,
    after_last_tag,
    boxed_spans,
    extract_text_answer,
    strip_think,
)

# Letters that carry no combining mark to strip (NFKD leaves them whole), folded to their usual
# ASCII spellings: `København` is `Kobenhavn`, `Łódź` is `Lodz`. Typographic apostrophes and
# dashes are their ASCII forms.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        **{c: "'" for c in "\u2018\u2019\u201b\u02bc\u2032`\u00b4"},
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
    }
)
# a hyphen between two letters is a space: `Ulan-Bator` is `Ulan Bator` (never a minus sign)
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
# invisible characters (controls, format characters such as zero-width spaces, surrogates)
_INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))


def normalize_text(text: str) -> str:
    """Case-fold, strip accents and punctuation at the edges, collapse whitespace; letters
    without a combining mark (`ø`, `ł`, `æ`) fold to ASCII, a hyphen between letters is a space,
    and invisible characters go."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(
        c
        for c in text
        if not unicodedata.combining(c)
        and (c.isspace() or unicodedata.category(c) not in _INVISIBLE)
    )
    text = _WORD_HYPHEN.sub(" ", text.casefold().translate(_FOLD))
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:!?\"'`")


# Markup around an answer that is not part of it: `**Paris**`, `*Paris*`, `\text{Paris}`.
_LATEX_TEXT = re.compile(r"\\(?:text|textbf|textit|textrm|mathrm|mathbf|mbox)\s*\{([^{}]*)\}")


# every whitespace character and the emphasis marks; not `~~`: struck through is retracted
_EDGE_MARKS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "*_`"


def _strip_edge_markup(text: str) -> str:
    """`text` without whitespace and emphasis marks (`*`, `_`, backticks) at either edge, in
    linear time (a regex `[...]+$` is retried from every position of a long run of marks)."""
    return text.strip(_EDGE_MARKS)


# A label before the answer: `Answer: Paris`, `**Final answer:** Paris`, `The answer is Paris.`
# or a heading of its own line: `### Answer\nParis`, `**Final Answer**\nParis`
_LABEL = re.compile(
    r"^(?:#{1,6}[ \t]*)?(?:(?:so|thus|therefore|hence),?\s+)?(?:the\s+)?(?:final\s+)?answer"
    r"(?:\s*(?:(?:is\b|[:：=-])\s*)+|[ \t]*\n\s*)",
    re.IGNORECASE,
)


# what may close an answer after its last word: question and other end marks, closing quotes,
# brackets and markup. Matched on the reversed text: an end-anchored search (`...$`) retries
# from every position and is quadratic on a long run of these characters
_TAIL_REVERSED = re.compile(r"[\s?\uff1f!.\"'`*_)\]\u201d\u2019]*")


def _asks(text: str) -> bool:
    """Whether `text` ends as a question (`Paris?`, `**Paris?**`, `"Paris?"`)."""
    tail = _TAIL_REVERSED.match(text[::-1]).group()  # type: ignore[union-attr]
    return "?" in tail or "\uff1f" in tail


# Quotes, brackets and math delimiters wrapped around the whole answer: `«Paris»`, `(Paris)`,
# `$\text{Paris}$`
_WRAPPERS = {
    "(": ")",
    "[": "]",
    "{": "}",
    "\u00ab": "\u00bb",
    "\u201c": "\u201d",
    "\u201e": "\u201c",
    "\u2018": "\u2019",
    "\u300c": "\u300d",
    "\u300e": "\u300f",
    "$": "$",
    '"': '"',
    "'": "'",
}


def _unwrap(text: str) -> str:
    """`text` without quotes or brackets that wrap all of it (`«Paris»`, `(Paris)`), when the
    inside has none of its own (`(a) and (b)` is not wrapped)."""
    for _ in range(3):
        text = text.strip()
        close = _WRAPPERS.get(text[:1])
        inner = text[1:-1]
        if len(text) < 3 or close is None or text[-1] != close:
            break
        if text[0] in inner or close in inner:
            break
        text = inner
    return text


# The answer stated as a sentence: `It's Paris.`, `The capital of France is Paris.`: the part
# after its first "is" (a short subject before it, in one clause: `Lyon. It is Paris.` is two
# answers) ...
_STATEMENT = re.compile(
    r"^[^\n.,;:!?()\[\]\u2013\u2014]{0,80}?(?:\b(?:is|are|was|were)|(?<=\w)['\u2019]s)\s+"
    r"(?:called\s+|named\s+)?",
    re.IGNORECASE,
)
# ... unless the subject denies, doubts or weighs it: "I think it is", "If it is", "It is not"
_NOT_STATED = re.compile(
    r"\b(?:not|never|no|nor|neither|either|or|maybe|perhaps|probably|possibly|might|could"
    r"|would|should|if|whether|unless|but|and|also|too|wrong|incorrect|unlikely|doubt|think"
    r"|guess|believe"
    r"|assume|suppose|some|others?|what|which|who)\b|n['\u2019]t\b|\?",
    re.IGNORECASE,
)


# another value ruled out after the answer: `Paris, not Lyon.` (not a doubt: `Paris, not sure`)
_RULED_OUT_TAIL = re.compile(
    r",\s*(?:and\s+|but\s+)?not\s+(?!(?:sure|certain|confident|positive|100)\b)"
    r"[^,;.!?\n]{1,60}[.!]?\s*$",
    re.IGNORECASE,
)


def _without_ruled_out(text: str) -> str | None:
    """`text` without a trailing clause that rules another value out, or None when it has none."""
    m = _RULED_OUT_TAIL.search(text)
    return _unwrap(_strip_edge_markup(text[: m.start()])) if m and m.start() > 0 else None


# The answer stated first, then what it is: `Paris is the capital of France.`, `Paris is the
# answer.` (one clause, `the` before what it is; not one that weighs it: `Paris is the likeliest
# guess`, `Paris is the other option`)
_SUBJECT_FIRST = re.compile(
    r"^([^\n.,;:!?()\[\]\u2013\u2014]{1,80}?)\s+(?:is|was)\s+"
    r"(?:(?:indeed|definitely|certainly|clearly)\s+)?the\s+([^\n.,;:!?]{1,120})[.!]?$",
    re.IGNORECASE,
)
_WEIGHS = re.compile(
    r"\b(?:likel\w*|candidates?|options?|possib\w*|alternatives?|choices?|plausible|tempting"
    r"|closest|contenders?|bet|pick|first|second)\b",
    re.IGNORECASE,
)


def _stated_forms(text: str) -> list[str]:
    """What a short statement says the answer is: `It's Paris.`, `The capital of France is
    Paris.`, `France's capital is Paris.` (read again after a possessive), `Paris is the
    capital of France.`; none when it denies, doubts or weighs it."""
    forms: list[str] = []
    for _ in range(2):  # `France's capital is Paris`: `'s` first, then `is`
        stated = _STATEMENT.match(text)
        if not stated or _NOT_STATED.search(text, 0, stated.end()):
            break
        text = text[stated.end() :].rstrip(" .!")
        forms.append(_unwrap(_strip_edge_markup(text)))
        if (kept := _without_ruled_out(text)) is not None:
            forms.append(kept)  # `It is Paris, not Lyon.`
    return forms


def _subject_form(text: str) -> str | None:
    """The answer a statement gives first (`Paris is the capital of France.` is Paris), or
    None when there is none or the statement denies, doubts or weighs it."""
    first = _SUBJECT_FIRST.match(text)
    if first is None or _NOT_STATED.search(text) or _WEIGHS.search(first.group(2)):
        return None
    return _unwrap(_strip_edge_markup(first.group(1)))


def answer_forms(answer: str) -> list[str]:
    """The answer as written, and without markdown emphasis, `\\text{}` wrappers, quotes or
    brackets around it and a leading answer label (`Answer:`, `The final answer is`, a
    `### Answer` heading), or as what a short statement says it is (`It's Paris.`, `The
    capital of France is Paris.`, `Paris is the capital of France.`): forms of one answer, not
    other answers."""
    forms = [answer]
    text = answer.replace("**", "").replace("__", "")
    for _ in range(3):
        text = _LATEX_TEXT.sub(r"\1", text)
    text = _unwrap(_strip_edge_markup(text))
    forms.append(text)
    bases = [text]
    labelled = _LABEL.match(text)
    if labelled:
        bases.append(_unwrap(_strip_edge_markup(text[labelled.end() :])))
        forms.append(bases[-1])
    for base in bases:
        if (kept := _without_ruled_out(base)) is not None:
            forms.append(kept)  # `Paris, not Lyon`
        forms += _stated_forms(base)
        for said in (base, kept):
            if said is not None and (subject := _subject_form(said)) is not None:
                forms.append(subject)
    return forms


# Words that put an answer as a guess: "maybe Paris", "Paris, probably", "B (not sure)"
DOUBT_WORDS = (
    r"maybe|perhaps|possibly|probably|presumably|unsure|uncertain|i\s+(?:guess|suppose)"
    r"|not\s+(?:sure|certain|confident|positive)"
)
# ... said right after the answer's tag or box, on its line and in its sentence:
# "<answer>Paris</answer> (not sure)", "\\boxed{Paris}, I guess"; or the answer asked after its
# tag: "<answer>Paris</answer>?"
_DOUBT_AFTER = re.compile(
    rf"[ \t*_`\"'\u201d\u2019)\]}}]{{0,20}}[?\uff1f]"
    rf"|[ \t*_`\"'\u201d\u2019)\]}},;:(\-\u2013\u2014]{{0,20}}(?:{DOUBT_WORDS})\b",
    re.IGNORECASE,
)


def doubted_after(text: str) -> bool:
    """Whether `text`, what follows an answer's tag or box, opens by doubting or asking it."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return _DOUBT_AFTER.match(text) is not None


# ... or the answer said right after its tag or box to be wrong or unsure: "<answer>Paris</answer>
# is wrong.", "... is not the answer", "... isn't right", "... is probably it", "... may be wrong"
_DENIED_AFTER = re.compile(
    r"[ \t*_`\"'\u201d\u2019)\]}]{0,20}(?:(?:is|was|seems|looks|appears)(?:\b|(?=n['\u2019]t\b))[^\n.!?;,]{0,30}?"
    r"(?:\b(?:not(?![ \t]+(?:only|just)\b)|never|wrong|incorrect|false|unlikely|doubtful"
    r"|uncertain|maybe|perhaps|probably|possibly)\b|n['\u2019]t\b)"
    r"|(?:may|might|could)[ \t]+(?:not[ \t]+)?be\b)",
    re.IGNORECASE,
)


def denied_after(text: str) -> bool:
    """Whether `text`, what follows an answer's tag or box, opens by saying the answer is wrong
    or unsure (`is wrong.`, `is not the answer`, `is probably right`, `may be wrong`)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return _DENIED_AFTER.match(text) is not None


def _after_answer(response: str, source: str) -> str:
    """The text after the last `<answer>` tag or box the `text` policy read the answer from."""
    text = strip_think(response)
    if source == "answer_tag":
        return after_last_tag(text)
    if source == "boxed":
        spans = boxed_spans(text[-MAX_SCAN_CHARS:])
        return text[-MAX_SCAN_CHARS:][spans[-1][1] :] if spans else ""
    return ""


# what separates names given together: `Vienna (Wien)`, `Kyiv / Kiev`, `Kyiv, also Kiev`
_NAME_SEPARATOR = re.compile(
    r"[ \t]*(?:[/|(),;]|\b(?:or|and|aka|also(?:[ \t]+(?:known[ \t]+as|spelled|called))?)\b)[ \t]*",
    re.IGNORECASE,
)


def _all_accepted(answer: str, names: list[str]) -> bool:
    """Whether `answer` gives several names that are every one a name of the answer (the
    reference and its aliases, normalized: `Vienna (Wien)`): no hedge, since none is wrong."""
    if len(answer) > 200:
        return False
    text = answer_forms(answer)[1]  # without markup, labels and wrappers
    parts = [normalize_text(p) for p in _NAME_SEPARATOR.split(text)]
    parts = [p for p in parts if p]
    return len(parts) > 1 and all(p in names or _without_inner_marks(p) in names for p in parts)


# a dot, comma or apostrophe that is not inside a number (`3.5`, `1,000` keep theirs)
_INNER_MARK = re.compile(r"(?<!\d)[.,']|[.,'](?!\d)")


def _without_inner_marks(text: str) -> str:
    """Normalized `text` without its dots, commas and apostrophes outside numbers."""
    return " ".join(_INNER_MARK.sub("", text).split())


# After the answer's tag or box, another answer: a line or sentence that states one ("Final
# answer: Lyon", "So the answer is Lyon.") ...
_LATER_LABEL = re.compile(
    r"(?:^|[\n.!])[ \t*_#>]*(?:(?:so|thus|therefore|hence)[ \t]*,?[ \t]*)?(?:(?:the|my|an?)[ \t]+)?"
    r"(?:(?:(?:final|correct|alternative|alternate|backup|fallback|other|second|2nd|another"
    r"|possible)[ \t]+)?answer"
    # ... or offered under a label ("Second choice: Lyon", "Alternative: Lyon", "P.S. Lyon",
    # "My other guess is Lyon")
    r"|(?:alternative|alternate|backup|fallback|other|second|2nd|another|next)[ \t]+(?:best[ \t]+)?"
    r"(?:guess|choice|option|pick|candidate)|alternatives?|alternatively|otherwise|backup"
    r"|fallback|p\.?[ \t]?s\.?)[ \t*_]*(?:is\b|[:：=])[ \t*_]*([^\n;!?]{1,80})"
    r"|(?:^|\n)[ \t*_#>]*p\.[ \t]?s\.[ \t*_]*([^\n;!?]{1,80})",
    re.IGNORECASE,
)
# ... or a label that offers another one ("Solution 2: Lyon", "Option B: Lyon", "Corrected:
# Lyon", "Also valid: Lyon", "Another possibility is Lyon.", "EDIT: actually Lyon", a heading
# of its own line: "## Alternative\nLyon", "**Second solution**\nLyon")
#: words of a label that offers another answer (shared with the logic families' reader)
OFFER_WORDS = (
    r"(?:(?:another|other|second|2nd|alternative|alternate|alt)(?:[ \t]+[^\W\d_]{1,15}){0,2}"
    r"|(?:also|equally)[ \t]+(?:valid|possible|correct)|plan[ \t]+b"
    r"|if[ \t]+(?:that|this|it)(?:['\u2019]s|[ \t]+is)[ \t]+(?:wrong|incorrect|not[ \t]+right)"
    r"(?:[ \t,]*(?:try|use))?"
    r"|(?:solution|attempt|version|option|possibility|candidate|corrected|correction|revised"
    r"|revision|updated?|edit)(?:[ \t]+(?:\d{1,2}|[a-z]|#\d{1,2}|[^\W\d_]{1,15}))?)"
)
_OFFER_LABEL = re.compile(
    rf"(?:^|[\n.!])[ \t*_#>]*{OFFER_WORDS}[ \t*_]*(?::|\bis\b)[ \t*_]*"
    r"(?:(?:actually|maybe|perhaps|probably)\b[ \t,]*)?([^\n;!?]{1,80})"
    rf"|(?:^|\n)[ \t]*(?:#{{1,6}}[ \t]*|\*\*)?{OFFER_WORDS}[ \t*_]*(?::[ \t*_]*)?\n[ \t\n]*([^\n;!?]{{1,80}})",
    re.IGNORECASE,
)
# ... or an interjection before a name ("No wait, Lyon.", "Hmm, Lyon.", "Oops: Lyon")
_INTERJECTION = re.compile(
    r"^[ \t\n.,;:!()*_\]]{0,20}(?:(?:no|nope|wait|hmm+|oh|um+|uh|er+|sorry|oops|otherwise"
    r"|else|if[ \t]+not|failing[ \t]+that|or[ \t]+else|just[ \t]+kidding|jk|alternatively)\b"
    r"[ \t,.!:;-]{0,5}){1,3}((?:[^\n.,;!?]|(?<=\d)[.,](?=\d)){1,60})",  # `3.5` is one value
    re.IGNORECASE,
)
# where a later sentence starts, and what opens it as another answer (bounded pieces)
_AFTER_SENTENCE = re.compile(r"[.!?\n][ \t\n]*")
_LATER_OPENER = re.compile(
    r"(?:(?:no|nope|wait|hmm+|oh|um+|uh|sorry|oops|actually|or|correction|i[ \t]+mean[t]?"
    r"|otherwise|else|if[ \t]+not|failing[ \t]+that|just[ \t]+kidding|jk|alternatively)\b"
    r"[ \t,.!:;-]{0,5}){1,3}((?:[^\n.,;!?]|(?<=\d)[.,](?=\d)){1,60})",
    re.IGNORECASE,
)
# words a name may hold in lower case (`Bosnia and Herzegovina`, `Rio de Janeiro`)
_NAME_GLUE = frozenset("of and de del da do dos du la le les el al upon on am an der und y".split())
# a reply's words that open a remark, not a name ("Hmm, I think that's right.")
_REMARK_OPENERS = frozenset("i it it's its that that's this yes yeah yep sure ok okay so".split())


def _name_like(text: str) -> bool:
    """Whether `text` reads as a name or a number (`Lyon`, `New York`, `42`, `6000 m`): a
    number and up to three more words (its unit), or at most six words, each capitalised, a
    number, of a script without case, or name glue."""
    words = text.split()
    if not words or len(words) > 6 or words[0].casefold() in _REMARK_OPENERS:
        return False
    if words[0].lstrip("+-\u2212$\u20ac\u00a3")[:1].isdigit() and len(words) <= 4:
        return True  # a number and its unit: `6000 m`, `-3.5 kg`
    return all(
        w[0].isdigit()
        or w[0].isupper()
        or (w[0].isalpha() and not w[0].islower())
        or w.casefold() in _NAME_GLUE
        for w in words
    )


#: how much of the text after the answer is read for another answer
_LATER_WINDOW = 2000
# a sentence after the answer that offers another value beside it: "Lyon is more likely.",
# "Though Lyon is possible.", "Lyon is also correct.", "Lyon could be right." (a bounded subject)
_OFFERED_SUBJECT = re.compile(
    r"[ \t*_(]*(?:(?:though|although|but|however|also|and|still)[ \t,:]+)?"
    r"([^\n.,;:!?()]{1,60}?)[ \t]+(?:(?:is|are|seems|looks)[ \t]+(?:(?:also|equally|more|quite"
    r"|very|just[ \t]+as|too)[ \t]+){0,2}(?:possible|likely|plausible|an?[ \t]+(?:option"
    r"|alternative|possibility|candidate))|is[ \t]+also[ \t]+(?:correct|right|valid|acceptable"
    r"|an?[ \t]+answer)|(?:could|might|may)[ \t]+(?:also[ \t]+)?be[ \t]+(?:correct|right|valid"
    r"|it|the[ \t]+answer|possible))\b",
    re.IGNORECASE,
)
# a bullet, number or footnote mark before a value on its own line: "- Lyon", "2. Lyon", "[^1]: Lyon"
_LINE_BULLET = re.compile(
    r"[ \t]*(?:(?:[-*\u2022+>]|\d{1,2}[.)])[ \t]+|\[\^?\w{1,8}\]:?[ \t]*)"  # or a footnote: "[^1]: "
)


# what joins a value to the answer before it: ". Lyon", "/ Lyon", "| Lyon", "; Lyon", "→ Lyon",
# "vs Lyon", "<!-- Lyon -->" (not a minus sign: `-3` is a value)
_LINE_JOINER = re.compile(
    r"[ \t]*(?:(?:[.,;:/|=>\u2192\u21d2\u2013\u2014]|<!--|-(?=[ \t>]))[ \t]*)*"
    r"(?:(?:vs\.?|versus|or|and|aka|also)[ \t]+)?",
    re.IGNORECASE,
)
_CLAUSE_MARK = re.compile(r"[,;!?]|\.\s")  # "Wait, 12", "Hmm. Lyon": more than one value
_LABEL_LINE = re.compile(r"[:\uff1a]|\banswer\b", re.IGNORECASE)


def _first_line(after: str) -> str | None:
    """What follows the answer on its line, or when nothing does, the next line with text: a
    value written there right after it (`<answer>Paris</answer> Lyon`, `...</answer>\n- Lyon`)
    is another answer. None for a label (`Explanation:`) or a closing (`Done.`, `Thanks!`)."""
    head = after[:300]
    rest = head.split("\n", 1)[0]
    if not rest.strip():
        lines = [line for line in head.split("\n") if line.strip()]
        if not lines:
            return None
        rest = lines[0]
    bullet = _LINE_BULLET.match(rest)
    rest = rest[bullet.end() :] if bullet else rest
    rest = _strip_edge_markup(rest[_LINE_JOINER.match(rest).end() :])  # type: ignore[union-attr]
    rest = _strip_edge_markup(rest.removesuffix("-->").rstrip(" \t|!?\uff01\uff1f"))
    if not rest or rest.startswith("#") or _LABEL_LINE.search(rest):
        return None  # a heading or a label: "Explanation:", "Sources: Wikipedia", "Final Answer"
    if _PLEASANTRY.fullmatch(rest) or _CONFIRMATION.fullmatch(rest):
        return None
    return rest


def _later_values(after: str) -> list[str]:
    """The names or numbers stated as an answer in `after`, the text after the answer's tag or
    box (see `_LATER_LABEL`, `_INTERJECTION`), without markup or a reason after them."""
    if len(after) > _LATER_WINDOW:  # read whole lines only: a cut value is another value
        after = after[:_LATER_WINDOW]
        after = after[: after.rfind("\n") + 1] or after[: after.rfind(" ") + 1]
    said = [m.group(1) or m.group(2) for m in _LATER_LABEL.finditer(after)]
    said += [m.group(1) or m.group(2) for m in _OFFER_LABEL.finditer(after)]
    opener = _INTERJECTION.match(after)
    if opener:
        said.append(opener.group(1))
    offered = _OFFERED_SUBJECT.match(after)  # "<answer>Paris</answer> Lyon is more likely."
    if offered:
        said.append(offered.group(1))
    # a later sentence that opens by taking the answer back or offering another one ("Hope this
    # helps! Or Lyon.", "Check: 5 + 7 = 12. Actually 13.", "Though Lyon is possible.")
    for gap in _AFTER_SENTENCE.finditer(after):
        for reader in (_LATER_OPENER, _OFFERED_SUBJECT):
            later = reader.match(after, gap.end())
            if later and later.group(1) not in said:
                said.append(later.group(1))
    values = []
    for value in said:
        value = re.split(r"[.,]\s|\s(?:because|since|as|which|so)\b", value.strip(), maxsplit=1)[0]
        value = _unwrap(_strip_edge_markup(value.replace("**", "").rstrip(".")))
        affirmed = _AFFIRMED.search(value)
        if affirmed and affirmed.start() > 0:  # `12 is right`: 12 stated again
            value = _unwrap(_strip_edge_markup(value[: affirmed.start()]))
        if _name_like(value):
            values.append(value)
    line = _first_line(after)  # "<answer>Paris</answer> Lyon", "...</answer>\n- Lyon": read
    if line is not None:  # whole, a name on its own ("Hmm, I think so." is no name "Hmm")
        value = _unwrap(_strip_edge_markup(line.replace("**", "").rstrip(".")))
        affirmed = _AFFIRMED.search(value)
        if affirmed and affirmed.start() > 0:
            value = _unwrap(_strip_edge_markup(value[: affirmed.start()]))
        if _name_like(value) and not _CLAUSE_MARK.search(value) and value not in values:
            values.append(value)
        elif _CLAUSE_MARK.search(value) or not _name_like(value):
            # several names after the answer ("</answer> / Lyon / Marseille", ", Lyon, Nice"):
            # a list of other answers, as one name there is one
            pieces = [_unwrap(_strip_edge_markup(p)) for p in _NAME_LIST_SPLIT.split(value)]
            closing = _PLEASANTRY.fullmatch(pieces[0]) or pieces[0].casefold() in _SIGN_OFFS
            if 2 <= len(pieces) <= 6 and not closing and all(map(_listed_name, pieces)):
                values += [p for p in pieces if p not in values]
    return values


def _listed_name(text: str) -> bool:
    """Whether `text` is one item of a list of names: up to four words, each capitalised or a
    number (never `12 is right`), not an interjection (`Wait, 12`, `Yes, Paris`)."""
    words = text.split()
    return (
        0 < len(words) <= 4
        and words[0].casefold().strip(".!") not in _NOT_LISTED
        and all(w[0].isdigit() or (w[0].isalpha() and not w[0].islower()) for w in words)
    )


_NOT_LISTED = frozenset(
    "wait hmm hm well actually yes yeah no nope ok okay so oh ah also maybe perhaps note but "
    "and or then again correction edit".split()
)
# the openers of a signature, not a list: "Regards, Claude", "Best, Ann"
_SIGN_OFFS = frozenset(
    "regards best sincerely cheers thanks love warmly yours respectfully".split()
)
# the separators of a list of names on the line after the answer
_NAME_LIST_SPLIT = re.compile(r"[ \t]*(?:[/|;,]|\b(?:or|vs\.?|versus)\b)[ \t]*", re.IGNORECASE)


# a later value said to be right ("Wait, 12 is right.", "Hmm, 12 checks out.", "So 12 is
# indeed the answer", "Wait, 7 is my guess."): the value before it is what is stated again
_AFFIRMED = re.compile(
    r"\s+(?:(?:is|was|seems|looks|remains|stays)\s+(?:(?:indeed|definitely|certainly|clearly"
    r"|really|still|also|correct(?:ly)?)\s+){0,2}(?:right|correct|confirmed|verified|accurate"
    r"|consistent|my\s+(?:final\s+)?(?:answer|guess)|the\s+(?:final\s+|correct\s+|right\s+)?"
    r"answer)|\s+(?:checks\s+out|holds(?:\s+up)?|is\s+confirmed))[\s.!)\u2713\u2714\u2705]*$",
    re.IGNORECASE,
)
# a plain number, thousands grouped or not (`1,200`, `12.0`, `-3.50`)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# a number then up to three words of its unit or what it counts (`12 apples`, `5 square
# meters`); words that join, bound, doubt or compare make it another value (`12 or so`)
_NUMBER_AND_NOUN = re.compile(r"([+-]?[\d,.]{1,40})((?:[ \t]+[a-z\u00b2\u00b3\u00b0%]{1,20}){1,3})")
_NOT_A_NOUN = frozenset(
    "or nor and not no to plus minus times more less than maybe perhaps possibly probably"
    " either neither ish so something about around over under above below is was are be"
    " instead rather except wrong incorrect false off ago".split()
)


def _number_value(text: str) -> float | None:
    """`text` as a plain number (`1,200` is 1200, `12.0` is 12), or None."""
    text = text.strip()
    if len(text) > 40 or not _PLAIN_NUMBER.fullmatch(text):
        return None
    return float(text.replace(",", ""))


def _same_value(value: str, forms: list[str]) -> bool:
    """Whether a value stated after the answer is the answer again: one of its normalized
    `forms`, the same plain number (`12.0`, `1,200`), or that said to be right (`12 is right`)
    or with its noun (`12 apples`)."""
    if any(normalize_text(v) in forms for v in answer_forms(value)):
        return True
    numbers = {n for n in (_number_value(f) for f in forms) if n is not None}
    if not numbers:
        return False
    if _number_value(value) in numbers:
        return True
    counted = _NUMBER_AND_NOUN.fullmatch(value.strip())
    return (
        counted is not None
        and _number_value(counted.group(1)) in numbers
        and not any(w in _NOT_A_NOUN for w in counted.group(2).split())
    )


def _later_answer(after: str, forms: list[str]) -> str | None:
    """Another answer stated after the answer's tag or box that is none of the answer's
    normalized `forms` (see `_same_value`), or None."""
    for value in _later_values(after):
        if not _same_value(value, forms):
            return value
    return None


def later_answers(response: str) -> list[str]:
    """The answers `response` states again after its `<answer>` tag or box under the `text`
    policy ("Final answer: Lyon", "No wait, Lyon."), the same or not; empty when it has none."""
    if not isinstance(response, str):
        raise TypeError(f"response must be a str, got {type(response).__name__}")
    read = extract_text_answer(response)
    if not read.candidates:
        return []
    return _later_values(_after_answer(response, read.source))


def answer_doubted(response: str) -> bool:
    """Whether the answer of `response` under the `text` policy is doubted or asked right
    after its `<answer>` tag or box, on its line (`\\boxed{Paris}, I guess`)."""
    if not isinstance(response, str):
        raise TypeError(f"response must be a str, got {type(response).__name__}")
    read = extract_text_answer(response)
    return bool(read.candidates) and doubted_after(_after_answer(response, read.source)[:200])


# Ordinary closing text after a reply that is all answer (no tag, no box): a pleasantry ...
_PLEASANTRY = re.compile(
    r"(?:(?:i\s+)?hope\s+(?:this|that|it)\s+(?:helps|is\s+helpful|answers\s+your\s+question"
    r"|is\s+correct)|(?:i\s+am|i'm)\s+(?:glad|happy)\s+to\s+help|glad\s+(?:i\s+could|to)\s+help"
    r"|happy\s+to\s+help|good\s+luck(?:\s+with\s+(?:your|the)(?:\s+(?-i:[a-z]{1,20})){1,3})?|cheers|thanks(?:\s+for\s+asking)?|thank\s+you"
    r"(?:\s+for\s+(?:asking|the\s+question))?|you(?:'re|\s+are)\s+welcome"
    r"|have\s+a\s+(?:great|good|nice|wonderful)\s+day"
    r"|(?:is\s+there\s+)?anything\s+else(?:\s+(?:i\s+can\s+help\s+(?:you\s+)?with"
    r"|you(?:'d|\s+would)\s+like\s+to\s+know))?"
    r"|(?:(?:please|just)\s+)?(?:let\s+me\s+know|feel\s+free\s+to\s+(?:ask|reach\s+out)"
    r"|don't\s+hesitate\s+to\s+ask|ask\s+away)(?:\s+if\s+you\s+(?:have|need|want|would\s+like)"
    r"(?:\s+(?:any|some))?(?:\s+(?:other|more|further|additional|follow-up))?\s+"
    r"(?:questions?|help|assistance|details?|clarifications?|information|explanations?"
    r"|anything\s+else)(?:\s+(?:on|about|with)\s+(?:this|that|it))?"
    r"|\s+if\s+there(?:'s|\s+is)\s+anything\s+else(?:\s+i\s+can\s+(?:do|help\s+with))?)?)"
    r"[\s.!?\u263a\U0001f600-\U0001f64f]*",
    re.IGNORECASE,
)
# ... a word that confirms it ("Yes.", "That's correct.", "This checks out.") ...
_CONFIRMATION = re.compile(
    r"(?:(?:yes|yep|yeah|correct|right|confirmed|verified|indeed|exactly|good|perfect"
    r"|(?:that|this|it)(?:'s|\s+is)\s+(?:(?:indeed|definitely|certainly|correct(?:ly)?)\s+)?"
    r"(?:correct|right|confirmed|verified|consistent)|(?:that|this|it)\s+checks\s+out"
    r"|(?:looks|seems)\s+(?:good|right|correct)|that(?:'s|\s+is)\s+(?:it|all)|done"
    r"|\u2713|\u2714|\u2705)[\s,.!]*){1,3}",
    re.IGNORECASE,
)
# ... or a check of it ("Let me double-check: 5 + 7 = 12.", "Verification: 12 - 7 = 5 ...")
_CHECK_OPENER = re.compile(
    r"(?:(?:let\s+me|let's|i'll|i\s+will|to)\s+)?(?:double[- ]?check|check|verify|confirm"
    r"|sanity[- ]check)(?:ing|ed)?(?:\s+(?:this|that|it|again|the\s+answer|my\s+(?:answer|work)))?"
    r"\b|verification\b|checking\b|check\b"
    # a reason that checks it: "This is correct because 5 + 7 = 12."
    r"|(?:this|that|it)(?:'s|\s+is)\s+(?:correct|right)\s+(?:because|since|as)\b",
    re.IGNORECASE,
)
# a confirmation after a check's value ("= 12 \u2713", "= 12, correct") or before a restatement
# ("Yes, 12 is correct."); bounded, matched on short sentences only
_CONFIRMED_AFTER = re.compile(
    r"(?:[\s,;]{0,3}(?:correct|right|confirmed|verified|yes|good|\u2713|\u2714|\u2705)){1,3}[\s.!]{0,3}$",
    re.IGNORECASE,
)
_CONFIRM_OPENER = re.compile(
    r"^(?:(?:yes|yep|yeah|indeed|again|ok(?:ay)?|so|thus|hence|therefore)\b[ \t,:;!.-]{0,4}){1,3}",
    re.IGNORECASE,
)
# what is nothing but arithmetic: digits, operators, brackets and spaces (`5 + 7`)
_ARITHMETIC = re.compile(r"[\d\s.,+\-*/\u00d7\u00f7\u2212^()]+")
# where a sentence or line ends (a dot inside a number such as `3.5` ends none)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?\uff01\uff1f])[ \t]+|\n[ \t\n]*")
#: the longest whole-text answer read for closing text, and how many sentences of it
_CLOSING_WINDOW = 1500
_CLOSING_SENTENCES = 8


def _emoji(char: str) -> bool:
    """Whether `char` is an emoji, a dingbat or a check mark (not `°` or `©`: units, names)."""
    return bool(char) and (
        "\u2600" <= char <= "\u27bf"
        or "\U0001f300" <= char <= "\U0001faff"
        or "\U0001f1e6"
        <= char
        <= "\U0001f1ff"  # the letters of a flag: `Helsinki \U0001f1eb\U0001f1ee`
    )


def _checks_same(sentence: str, forms: list[str]) -> bool:
    """Whether `sentence` checks the answer and gets it again: `Let me double-check: 5 + 7 =
    12.`, `5 + 7 = 12.`, `Checking: 12 is right.`; a bare `Let me verify.` announces one."""
    opener = _CHECK_OPENER.match(sentence)
    body = sentence[opener.end() :] if opener else sentence
    body = body.strip().lstrip(":,-\u2013\u2014 \t").rstrip(" .!")
    if not body:
        return opener is not None
    if "=" in body:
        before, _, value = body.rpartition("=")
        confirmed = _CONFIRMED_AFTER.search(value)
        value = value[: confirmed.start()] if confirmed else value
        arithmetic = _ARITHMETIC.fullmatch(before.replace("=", " ")) is not None
        return (opener is not None or arithmetic) and _restates(value, forms)
    return opener is not None and _restates(body, forms)


def _restates(sentence: str, forms: list[str]) -> bool:
    """Whether `sentence` gives the answer again (`So the answer is 12.`, `12 is right.`,
    `Paris, indeed.` is not: a sentence with anything more is no restatement)."""
    sentence = sentence.strip()
    if not sentence or len(sentence) > 300:
        return False
    affirmed = _AFFIRMED.search(sentence)
    if affirmed and affirmed.start() > 0:  # `12 is right.`
        sentence = sentence[: affirmed.start()]
    opened = _CONFIRM_OPENER.match(sentence)  # `Yes, 12 is right.`
    sentence = sentence[opened.end() :] if opened else sentence
    if any(normalize_text(f) in forms for f in answer_forms(sentence) if normalize_text(f)):
        return True
    values = _later_values(sentence)
    return bool(values) and all(_same_value(v, forms) for v in values)


def _closing(sentence: str, forms: list[str]) -> bool:
    """Whether `sentence`, after an answer of normalized `forms`, only closes the reply: a
    pleasantry, a confirmation, a check that gets the answer again or the answer restated."""
    sentence = _strip_edge_markup(sentence)
    if not sentence or len(sentence) > 300:
        return False
    return (
        _PLEASANTRY.fullmatch(sentence) is not None
        or _CONFIRMATION.fullmatch(sentence) is not None
        or _checks_same(sentence, forms)
        or _restates(sentence, forms)
    )


def without_closing(answer: str) -> str:
    """A reply read whole as the answer, without ordinary closing text after it (`The answer is
    Paris. Hope this helps!`, `Answer: 12\n\nLet me double-check: 5 + 7 = 12. Yes.`): the
    reply when what follows its first sentences is anything else (`Or maybe Lyon.`, `Not sure
    though.`, `Actually 13.`), which still makes it no one answer."""
    if not isinstance(answer, str):
        raise TypeError(f"answer must be a str, got {type(answer).__name__}")
    text = answer.rstrip()
    if len(text) > _CLOSING_WINDOW:  # a long text is no answer with a closing after it
        return answer
    end = len(text)
    while end and (text[end - 1].isspace() or _emoji(text[end - 1])):
        end -= 1  # an emoji or a check mark after it: `Paris \U0001f60a`, `12 \u2713`
    text = text[:end]
    if not text:
        return answer
    breaks = [(m.start(), m.end()) for m in _SENTENCE_BREAK.finditer(text)]
    breaks = breaks[-_CLOSING_SENTENCES:]
    ends = [b[1] for b in breaks] + [len(text)]
    for i, (cut, _) in enumerate(breaks):  # the shortest head all of whose tail is closing
        head = text[:cut].strip()
        if not head:
            continue
        forms = [normalize_text(f) for f in answer_forms(head)]
        forms = [f for f in forms if f]
        tail = [text[b[1] : e] for b, e in zip(breaks[i:], ends[i + 1 :])]
        if forms and all(_closing(sentence, forms) for sentence in tail):
            return head
    return text if text != answer.rstrip() else answer


def final_answer_text(response: str) -> str:
    """The answer under the shared `text` policy (`<answer>` tags, else boxes, else the whole
    text after the reasoning); empty when there is none, several different ones (a hedge), one
    doubted or asked right after its tag or box (`<answer>7</answer> (not sure)`), or one
    followed by another answer (`<answer>7</answer> No wait, 8.`)."""
    read = extract_text_answer(response)
    if len(read.candidates) != 1:
        return ""
    if read.source == "whole":  # `Paris. Hope this helps!` is Paris
        return without_closing(read.candidates[0])
    after = _after_answer(response, read.source)
    if after and not after.isspace():  # the whole text read as the answer has nothing after it
        if doubted_after(after[:200]) or denied_after(after[:200]):
            return ""  # doubted, asked or denied ("<answer>7</answer> (not sure)", "... is wrong")
        forms = [normalize_text(f) for f in answer_forms(read.candidates[0])]
        if _later_answer(after, forms) is not None:
            return ""  # another answer after it ("No wait, 8.")
    return read.candidates[0]


class ExactMatch(Verifier):
    """Correct when the answer equals the reference (or one of a list of references, or of the
    `aliases=` given in the verifier context: other official names of the same answer).

    The answer is read with the `text` extraction policy; several different tagged or boxed
    answers are a hedge (`incorrect`), answers equal after normalizing are one, and so is an
    answer doubted, asked or followed by another one after its tag or box. `normalize=True`
    compares case-folded, whitespace-collapsed text without accents or edge punctuation, and
    also the forms of `answer_forms` (no markdown, labels or wrappers; what a short statement
    says); `extract=False` compares the whole response.
    """

    name = "exact_match"

    def __init__(self, normalize: bool = True, extract: bool = True) -> None:
        for what, value in (("normalize", normalize), ("extract", extract)):
            if not isinstance(value, bool):
                raise TypeError(f"{what} must be True or False, got {value!r}")
        self.normalize = normalize
        self.extract = extract

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        if self.extract or self.normalize:  # the readers' regexes are slow on long blank runs
            response = squeeze_blank_runs(response)
        read = extract_text_answer(response) if self.extract else None
        answers = read.candidates if read is not None else [response]
        if len(answers) > 1 and self.normalize:  # `Paris` and `paris.` in two tags: one answer
            answers = list({normalize_text(answer_forms(a)[-1]): a for a in answers}.values())
        if len(answers) > 1:
            return Verdict.incorrect(f"{len(answers)} different answers (a hedge)")
        answer = answers[0] if answers else ""
        if read is not None and read.source == "whole":  # `Paris. Hope this helps!` is Paris
            answer = without_closing(answer)
        refs = list(reference) if isinstance(reference, (list, tuple)) else [reference]
        if not refs or any(r is None for r in refs):
            # a task without its answer (a dataset row missing it): `None` would be read as the
            # text "None" and paid to the reply "None"
            raise ValueError(f"ExactMatch needs a reference answer, got {reference!r}")
        aliases = context.get("aliases") or []
        refs += list(aliases) if isinstance(aliases, (list, tuple)) else [aliases]
        # the names of one answer (a string reference and its aliases); a list of references
        # may hold different answers, which named together are a list of candidates
        names = (
            [] if isinstance(reference, (list, tuple)) else [normalize_text(str(r)) for r in refs]
        )
        questions = any(_asks(str(r)) for r in refs)  # before normalizing drops the "?"
        if self.normalize:
            forms = [normalize_text(a) for a in dict.fromkeys(answer_forms(answer))]
            refs = [normalize_text(str(r)) for r in refs]
            # inner dots, commas and apostrophes aside: `Washington DC` is `Washington, D.C.`
            forms += [_without_inner_marks(f) for f in forms]
            refs += [_without_inner_marks(r) for r in refs]
        else:
            forms = [answer]
            refs = [str(r) for r in refs]
        if not forms[-1]:
            return Verdict.unparseable("empty answer")
        if _asks(answer) and not questions:
            # "Paris?" asks whether it is Paris: a guess put as a question is no answer (the
            # math policy skips a question the same way); a reference that is a question stays
            return Verdict.incorrect("the answer is a question")
        if (
            read is not None
            and read.candidates
            and (
                doubted_after(after := _after_answer(response, read.source)[:200])
                or denied_after(after)
            )
        ):
            return Verdict.incorrect("the answer is doubted or asked right after it")
        if read is not None and read.candidates and self.normalize:
            # another name of the same answer is no other answer (`Vienna` ... `Answer: Wien`)
            other = _later_answer(_after_answer(response, read.source), forms + names)
            if other is not None:
                return Verdict.incorrect(f"another answer after it ({other[:50]!r}): a hedge")
        if any(f in refs for f in forms if f):
            return Verdict.correct()
        if self.normalize and aliases and _all_accepted(answer, names):  # `Vienna (Wien)`
            return Verdict.correct()
        return Verdict.incorrect()

    def reference_response(self, reference: Any) -> str | None:
        ref = reference[0] if isinstance(reference, list) and reference else reference
        return None if ref is None else f"<answer>{ref}</answer>"
