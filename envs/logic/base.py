"""The contract of a logic-puzzle family: a seeded generator plus a rule-checking verifier.

A family is a `Verifier`: `verify(response, reference, **context) -> Verdict`, where the
reference is the `Task` (or its gold answer, with the task's metadata as context). It generates
`Task(question, answer, metadata)` from `(rng, difficulty)`; `metadata["size"]` is the measured
size that difficulty controls (cells, clues removed, chain length, ...). The verifier reads the
answer with the shared `tag` extraction policy and checks the rules of the puzzle, not a stored
string: any valid solution scores 1.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from typing import Any, ClassVar

from gymhub.types import Task, Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.bounded_text import squeeze_blank_runs
from gymhub.verifiers.extract import (
    after_last_tag,
    boxed_spans,
    extract_tagged,
    strip_think,
    taken_back_after,
    unclosed_answers,
)
from gymhub.verifiers.math_spelling import MINUS_SIGNS
from gymhub.verifiers.string_match import OFFER_WORDS

MAX_ANSWER_CHARS = 50_000
_FENCE = re.compile(r"```[^\n`]*\n(.*?)\n?[ \t]*```", re.DOTALL)
# pairs that markdown, LaTeX or a sentence puts around a whole answer, longest first
_MARKS = (
    ("```", "```"),
    ("**", "**"),
    ("__", "__"),
    ("`", "`"),
    ("$$", "$$"),
    ("$", "$"),
    ("\\(", "\\)"),
    ("\\[", "\\]"),
    ('"', '"'),
    ("'", "'"),
    ("\u201c", "\u201d"),
    ("*", "*"),
    ("_", "_"),
)
# what a reply puts before the whole answer: "Answer:", "Final answer:", "The answer is",
# "Therefore, the answer is", and the same in bold: "**Answer:**", "**Final Answer**:"
_LEAD_WORDS = (
    r"(?:(?:so|thus|hence|therefore),?\s+)?(?:the\s+)?(?:final\s+)?(?:answer|solution)(?:\s+is)?"
)
_LEAD = re.compile(
    rf"(?:(?:\*\*|__){_LEAD_WORDS}\s*:?\s*(?:\*\*|__)\s*:?|{_LEAD_WORDS}\s*(?::|\s))\s*(?=\S)",
    re.I,
)
# a LaTeX command around the whole answer: `\boxed{...}`, `\text{...}`
_BOXED = re.compile(r"\\(boxed|text|textbf|mathrm|mathbf)\s*\{(.*)\}", re.DOTALL)
#: words that negate or hedge what follows or precedes them: an answer saying one of them is not
#: one answer ("not <grid>", "maybe <grid>", "either <grid> or <grid>", "<grid> is wrong")
_HEDGE_WORDS = re.compile(
    r"\b(?:not|no|never|none|neither|nor|cannot|wrong|incorrect|invalid|false|untrue|maybe|"
    r"perhaps|possibly|probably|might|could|either|or|unsure|uncertain|guess|alternatively|"
    r"otherwise|instead|unless|except|excluding|besides|but)\b|\b\w+n[\'\u2019]t\b",
    re.I,
)
# characters a reply may carry that change nothing a reader should see: zero-width marks and a
# byte-order mark dropped, no-break spaces as spaces, the Unicode hyphens (U+2010, and U+2011
# that some models write for every `-`: `‑1`, `daughter‑in‑law`, `E‑2`) as `-`, full-width
# ASCII (`１２３`) as ASCII
_PLAIN = str.maketrans(
    {
        **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None),
        **dict.fromkeys(map(ord, "\u2010\u2011"), "-"),
        **dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " "),
        **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)},
    }
)


def plain_text(text: str) -> str:
    """`text` as a reader should see it: a Unicode minus, dash or hyphen as `-`, full-width
    ASCII as ASCII, no-break spaces as spaces, zero-width marks dropped, and `\\r\\n` or `\\r`
    line ends as `\\n`."""
    text = text.translate(MINUS_SIGNS).translate(_PLAIN)
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: the most digits one number of an answer may have: `int()` refuses longer decimal strings
MAX_NUMBER_DIGITS = 4300
_NUMBER_RUN = re.compile(r"\d(?:[,_]?\d)*")  # digits, thousands commas or `_` between them


def has_huge_number(text: str) -> bool:
    """Whether `text` holds a number of more than `MAX_NUMBER_DIGITS` digits (counted with its
    thousands commas or underscores taken out), which no answer needs and `int()` would refuse
    with an exception instead of a verdict."""
    return any(
        len(m.group()) > MAX_NUMBER_DIGITS
        and len(m.group().replace(",", "").replace("_", "")) > MAX_NUMBER_DIGITS
        for m in _NUMBER_RUN.finditer(text)
    )


def hedge_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The negating or hedging words of `text` ("not", "isn't", "maybe", "either", "or",
    "wrong", ...), in order, case ignored; those in `allowed` (lower-case words that are
    answers of the family, such as "no" for a liar) aside. Bounded: the first
    `MAX_ANSWER_CHARS` characters are read."""
    found = (m.group(0) for m in _HEDGE_WORDS.finditer(text[:MAX_ANSWER_CHARS]))
    return [w for w in found if w.lower() not in allowed]


def unwrap_markup(text: str) -> list[str]:
    """The ways of reading `text` without what markdown or a sentence puts around a whole answer:
    a ``` fence (a language name allowed), `**bold**`, `*italic*`, `` `code` ``, `$math$`,
    quotes, `\\boxed{...}` or `\\text{...}` around all of it, a leading `Answer:` (`Final
    answer:`, `The answer is`) and one final period, peeled off one layer at a time from the
    outside in (a few layers at most): each layer's text, outermost first. The inside is left as
    written."""
    text = text.strip()
    layers: list[str] = []
    period = True  # one final period, not a run of cells written `.`
    for _ in range(8):
        fence = _FENCE.fullmatch(text)
        boxed = _BOXED.fullmatch(text)
        lead = _LEAD.match(text)
        if fence and "```" not in fence.group(1):
            inner = fence.group(1)
        elif boxed and f"\\{boxed.group(1)}" not in boxed.group(2):  # `\boxed{a} or \boxed{b}`
            inner = boxed.group(2)
        elif lead:
            inner = text[lead.end() :]
        elif period and text.endswith("."):
            inner, period = text[:-1], False
        else:
            pair = next((p for p in _MARKS if text.startswith(p[0]) and text.endswith(p[1])), None)
            if pair is None or len(text) <= len(pair[0]) + len(pair[1]):
                break
            inner = text[len(pair[0]) : -len(pair[1])]
            if pair[0] in inner or pair[1] in inner:  # `**a** or **b**` is not one bold answer
                break
        text = inner.strip()
        if not text:
            break
        layers.append(text)
    return layers


# a line that starts with its number ("1. ", "2) ", "Row 3: ") or a bullet ("- ", "* ", "• ")
_NUMBERED = re.compile(r"[ \t]*(?:(?:row|line|item)\s*(\d+)\s*[.):]|(\d+)[.)])[ \t]+(?=\S)", re.I)
_BULLET = re.compile(r"[ \t]*[-*•+][ \t]+(?=\S)")
_AND = re.compile(r",?\s+and\s+(?=\S)", re.I)
# a list written with brackets but without quotes: `[D, A, G]`, `[fill A, pour A->B]`
_BARE_LIST = re.compile(r"\[((?:[^\[\](){}<>]|(?<=-)>)*)\]")  # `->` is no bracket
# a grid's row written as a markdown table row or a Python list, and a rule line between rows
_PIPED_ROW = re.compile(r"\s*\|(.*)\|\s*")
_LIST_ROW = re.compile(r"\s*\[([^\[\]]*)\]\s*,?\s*")
_RULE = re.compile(r"[\s|+:=-]*[-=][\s|+:=-]*")
# one item of a list in bold, in code or in double quotes: `**a**, **b**`, `"a", "b"`
_ITEM_MARK = re.compile(
    r"(?<![\w*`\"\u201c])(?:\*\*([^*\n]+?)\*\*|`([^`\n]+?)`|\"([^\"\n]+?)\"|\u201c([^\u201d\n]+?)\u201d)"
    r"(?![\w*`\"\u201d])"
)


def _cell(value: Any) -> str | None:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _cells(values: list[Any]) -> str | None:
    cells = [_cell(v) for v in values]
    return ", ".join(cells) if cells and None not in cells else None  # type: ignore[arg-type]


def relaid(text: str, and_lists: bool = True) -> list[str]:
    """Other layouts of a list or grid answer, as the families read them:

    - a JSON array (a flat one as `a, b, c` and as `a b c`, an array of arrays as lines of
      cells), a JSON object as `key: value` pairs (on one line and one a line; a list value
      as `key: a, b`); Python's single quotes allowed, and a bracketed list of unquoted items
      (`[D, A, G]`, nothing bracket-like inside) read like a JSON array;
    - items each in bold, in code or in double quotes (`**a**, **b**`, `"a", "b"`) without these;
    - grid rows as a markdown table, as Python lists or between rule lines (`-----`), as lines of
      cells separated by spaces;
    - lines numbered 1, 2, 3 ... (`1. `, `2) `, `Row 3: `) or bulleted, with the numbers or
      bullets taken off (one item per line, and `a, b, c`);
    - `a, b and c` or `a and b` as `a, b, c` (unless `and_lists` is False: where `and` can be
      a word of the answer itself, a decrypted text, dropping it would pay an inserted word).

    The items are left as written; the answer is always read as written first."""
    text = text.strip()
    out: list[str] = []
    if text[:1] + text[-1:] in ("[]", "{}"):
        value = _json(text)
        if value is None and "'" in text:  # a Python list of strings: [['#', '.'], ...]
            value = _json(text.replace("'", '"'))
        if isinstance(value, _Pairs):
            pairs = [(k, _cells(v) if isinstance(v, list) else _cell(v)) for k, v in value]
            if pairs and all(v is not None for _, v in pairs):
                out.append(", ".join(f"{k}: {v}" for k, v in pairs))
                out.append("\n".join(f"{k}: {v}" for k, v in pairs))
        elif value is None and (bare := _BARE_LIST.fullmatch(text)):  # [D, A, G]: unquoted items
            items = [item.strip().strip("'\"").strip() for item in bare.group(1).split(",")]
            if all(items):
                out += [", ".join(items), " ".join(items)]
        elif isinstance(value, list) and value:
            cells = [_cell(v) for v in value]
            rows = [[_cell(v) for v in row] if isinstance(row, list) else [None] for row in value]
            if all(c is not None for c in cells):
                out += [", ".join(cells), " ".join(cells)]  # type: ignore[arg-type]
            elif all(row and None not in row for row in rows):
                out.append("\n".join(" ".join(row) for row in rows))  # type: ignore[arg-type]
    if len(_ITEM_MARK.findall(text[:MAX_ANSWER_CHARS])) >= 2:
        out.append(_ITEM_MARK.sub(lambda m: next(g for g in m.groups() if g is not None), text))
    lines = [line for line in text.split("\n") if line.strip()]
    grid = _grid_rows(lines)
    if grid is not None:
        out.append(grid)
    if len(lines) >= 2:
        marks = [_NUMBERED.match(line) for line in lines]
        numbered = all(m and int(m.group(1) or m.group(2)) == i for i, m in enumerate(marks, 1))
        if not numbered:
            marks = [_BULLET.match(line) for line in lines]
        if all(marks):
            items = [line[m.end() :].strip() for line, m in zip(lines, marks)]  # type: ignore[union-attr]
            out += ["\n".join(items), ", ".join(items)]
    elif and_lists and "\n" not in text and len(_AND.findall(text)) == 1:
        out.append(_AND.sub(", ", text))
    return out


class _Pairs(list):  # type: ignore[type-arg]
    """A JSON object as its `(key, value)` pairs in order, a repeated key kept: `{"A": "x",
    "A": "y"}` names A twice (a hedge), it does not mean `{"A": "y"}` as a dict would."""


def _json(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_Pairs)
    except (ValueError, RecursionError):
        return None


def _grid_rows(lines: list[str]) -> str | None:
    """Grid rows written as a markdown table (`| 1 | 2 |`, its `|---|---|` line dropped), as
    Python lists (`[1, 2]` a line) or between rule lines (`-----`, `+---+`): one line of cells
    separated by spaces per row. None when `lines` are none of these."""
    if len(lines) < 2:
        return None
    body = [line for line in lines if not _RULE.fullmatch(line)]
    changed = len(body) < len(lines)
    rows = []
    for line in body:
        piped, listed = _PIPED_ROW.fullmatch(line), _LIST_ROW.fullmatch(line)
        if piped:
            rows.append(" ".join(cell.strip() for cell in piped.group(1).split("|")))
        elif listed:
            if not listed.group(1).strip():
                return None  # `[]` is no row of a grid: `[7, 1]\n[]` is two lists, not one
            cells = (cell.strip().strip("'\"") for cell in listed.group(1).split(","))
            rows.append(" ".join(cells))
        else:
            rows.append(line.strip())
            continue
        changed = True
    return "\n".join(rows) if changed and rows else None


# LaTeX a reply writes for plain arithmetic: `\frac{a}{b}` (also `\dfrac`, `\tfrac`), `\times`,
# `\cdot`, `\div`, `x^{10}`, `\left(`/`\right)` and thin spaces
_FRAC = re.compile(r"\\[dt]?frac\s*\{\s*([^{}]*?)\s*\}\s*\{\s*([^{}]*?)\s*\}")
_LATEX_OPS = (
    (re.compile(r"\s*\\(?:times|cdot|ast)(?![A-Za-z])\s*"), " * "),
    (re.compile(r"\s*\\div(?![A-Za-z])\s*"), " / "),
    (re.compile(r"\^\s*\{\s*([-+]?\w+)\s*\}"), r"^\1"),
    (re.compile(r"\\(?:left|right)(?![A-Za-z])\s*"), ""),
    (re.compile(r"\\[,;:! ]"), ""),
)


def unlatexed(text: str) -> str | None:
    """`text` with the LaTeX of plain arithmetic written out: `\\frac{8}{9}` as `8/9` when it
    stands alone or as an item of a list, else as `(8/9)`; `\\times` and `\\cdot` as `*`,
    `x^{10}` as `x^10`. None when it has none."""
    if "\\" not in text and "^{" not in text.replace(" ", ""):
        return None
    out = text
    for pattern, repl in _LATEX_OPS:
        out = pattern.sub(repl, out)

    def fraction(m: re.Match[str]) -> str:
        before = m.string[: m.start()].rstrip().rstrip("+-").rstrip()
        after = m.string[m.end() :].lstrip()
        alone = before[-1:] in ("", ",", ";", "=") and after[:1] in ("", ",", ";")
        return f"{m.group(1)}/{m.group(2)}" if alone else f"({m.group(1)}/{m.group(2)})"

    out = _FRAC.sub(fraction, out)
    return out if out != text else None


def readings(text: str, and_lists: bool = True) -> list[str]:
    """The other ways of reading an answer, in order: each layer of `unwrap_markup`, each
    followed by its other layouts (`relaid`, `and_lists` passed on) and its LaTeX written out
    (`unlatexed`); the text's own come first."""
    out: list[str] = []
    for layer in [text, *unwrap_markup(text)]:
        plain = unlatexed(layer)
        others = relaid(layer, and_lists)
        for reading in ([] if layer is text else [layer]) + others + [plain] * bool(plain):
            if reading not in out and reading != text:
                out.append(reading)
    return out


class LogicFamily(Verifier):
    """Subclass per family; set the class attributes and implement `generate`, `check`,
    `format_answer`. Register it with `@register_family`."""

    name: ClassVar[str]  # snake_case; env id is gymhub/Logic-<Title>-v0
    title: ClassVar[str]  # CamelCase, used in the env id
    description: ClassVar[str]
    difficulty_doc: ClassVar[str]  # what difficulty 1..10 changes, measurably
    difficulty_range: ClassVar[tuple[int, int]] = (1, 10)  # the registered env's range
    partial_credit: ClassVar[bool] = False
    #: the family's reader skips words it does not know (the digits of a grid read out of any
    #: text, the labels after names): a negating or hedging word in the answer ("not <grid>",
    #: "maybe ...", "either <grid> or ...") then makes it incorrect before `check` reads it
    skips_words: ClassVar[bool] = False
    #: the family reads `a and b` as the list `a, b`; False where `and` can be a word of the
    #: answer (a decrypted text: `COLD AND WATER` must not pass for `COLD WATER`)
    and_lists: ClassVar[bool] = True
    #: lower-case words that are answers of the family, never a hedge there ("no" for a liar)
    answer_words: ClassVar[frozenset[str]] = frozenset()
    #: the same kind of puzzle elsewhere, e.g. {"reasoning_gym": "basic_arithmetic",
    #: "synlogic": "wordscapes", "enigmata": "kakuro"}: benchmarks compare against it
    equivalents: ClassVar[dict[str, str]] = {}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        """A task at `difficulty` (1..10); metadata must include "size"."""
        raise NotImplementedError

    def check(self, task: Task, answer: str) -> Verdict:
        """Score the extracted answer text against the puzzle's rules. Raise nothing: an answer
        that cannot be read returns Verdict.unparseable(...)."""
        raise NotImplementedError

    def format_answer(self, task: Task) -> str:
        """The gold answer written in the format `check` reads (without <answer> tags)."""
        raise NotImplementedError

    def size(self, task: Task) -> float:
        return float(task.metadata["size"])

    def effort(self, task: Task) -> float:
        """The work the task takes a solver (search nodes, propagation steps, simulated steps),
        which `gymhub logic calibrate` reports per difficulty and checks is monotone. A family
        whose generator runs a solver stores its count as `metadata["effort"]` (or overrides
        this); otherwise it falls back to `size`."""
        value = task.metadata.get("effort")
        return self.size(task) if value is None else float(value)

    def secret_strings(self, task: Task) -> list[str]:
        """Text that must never appear in the question (checked by `gymhub check`). The default
        is the gold answer when it is long enough to be meaningful; families whose answers are
        words that legitimately occur in questions ("True", "knave") override this."""
        gold = self.format_answer(task).strip()
        return [gold] if len(gold) >= 6 else []

    def near_misses(self, task: Task) -> list[str] | None:
        """Answers that are wrong by one changed cell/value, for the generated tests. None (the
        default) lets the tests mutate one character of the gold answer; a family where such a
        change can still be a valid solution (several solutions exist) returns its own."""
        return None

    # ----- the Verifier protocol -------------------------------------------------------------
    @staticmethod
    def task_of(reference: Any, context: dict[str, Any]) -> Task:
        """The puzzle a verification is about: the reference itself when it is a `Task`, else a
        task made of the gold answer and the task metadata passed as context."""
        if isinstance(reference, Task):
            return reference
        return Task(answer=reference, metadata=dict(context))

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        """Read the answer (the `<answer>` tag after the reasoning; several different tags are a
        hedge) and check it against the puzzle's rules. Never raises on model output."""
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        task = self.task_of(reference, context)
        response = squeeze_blank_runs(response)  # the readers' regexes are slow on long runs
        found = extract_tagged(response).candidates
        if not found:
            return Verdict.unparseable("no <answer>...</answer> found")
        if len(found) > 1:
            return Verdict.incorrect(f"{len(found)} different <answer> tags (a hedge)")
        if len(found[0]) > MAX_ANSWER_CHARS:
            return Verdict.unparseable(f"answer longer than {MAX_ANSWER_CHARS} characters")
        hedge = (
            self._unclosed_hedge(task, found[0], response)
            or self._taken_back(task, found[0], response)
            or self._second_answer(task, found[0], response)
        )
        if hedge is not None:
            return hedge
        # a Unicode minus (or dash) is a minus sign: `−6` is -6 for every family's reader;
        # full-width digits, no-break spaces, zero-width marks and `\r` line ends read as plain
        text = plain_text(found[0])
        if has_huge_number(text):
            return Verdict.unparseable(f"a number of more than {MAX_NUMBER_DIGITS} digits")
        if self.skips_words:
            said = hedge_words(text, self.answer_words)
            if said:
                return Verdict.incorrect(f"the answer says {said[0]!r}: negated or hedged")
            if "?" in text and "?" not in str(task.answer):
                # `<answer>GRID?</answer>` asks whether it is the grid: no answer
                return Verdict.incorrect("the answer is put as a question")
        try:
            verdict = self.check(task, text)
            # a right answer in a code fence, in bold or with a final period is still right;
            # it is read as written first, where `*`, `_` or `.` may be cells of a grid
            for plain in readings(text, self.and_lists) if verdict.status != "correct" else ():
                unwrapped = self.check(task, plain)
                if unwrapped.status == "correct":
                    verdict = unwrapped
                    break
        except Exception as exc:  # a checker bug must not crash the hub; it is not a pass
            if not self._checkable(task):  # the reference, not the answer, is what failed
                return Verdict(
                    reward=0.0,
                    status="infra_error",
                    detail=f"the reference is no complete {self.name} task (its own gold cannot "
                    f"be checked: {exc!r}); pass the Task, or its metadata as context",
                )
            return Verdict(reward=0.0, status="error", detail=f"checker failed: {exc!r}")
        if not self.partial_credit and verdict.status != "correct":
            verdict = verdict.model_copy(update={"reward": 0.0})
        return verdict

    def _checkable(self, task: Task) -> bool:
        """Whether the family can check `task` at all: its gold answer, written out, is checked
        as right (a reference without the metadata the check needs is not)."""
        try:
            return self.check(task, self.format_answer(task)).status == "correct"
        except Exception:
            return False

    def _unclosed_hedge(self, task: Task, answer: str, response: str) -> Verdict | None:
        """`incorrect` when an unclosed `<answer>` holds another answer the family can read
        (`<answer>A<answer>B</answer></answer>`, `<answer>A</answer><answer>B`): two answers,
        a hedge. Text the family cannot read there (`the <answer> tag below`) is not one."""
        for other in unclosed_answers(response):
            other = plain_text(other)
            if other == plain_text(answer).strip() or len(other) > MAX_ANSWER_CHARS:
                continue
            if has_huge_number(other):
                continue
            try:
                status = self.check(task, other).status
            except Exception:  # unreadable text is no second answer
                continue
            if status != "unparseable":
                return Verdict.incorrect("an unclosed <answer> tag holds another answer (a hedge)")
        return None

    def _taken_back(self, task: Task, answer: str, response: str) -> Verdict | None:
        """`incorrect` when the text right after the answer tag takes the answer back or names
        another beside it (`<answer>48</answer> No, 7.`): the reply gives no one answer. A
        remark that vouches for the answer (`Actually, that grid satisfies every clue.`) or
        restates it (the family reads it as a right answer) keeps it."""
        remark = retraction_after_tag(response)
        if remark is None:
            return None
        if _VOUCHES.search(remark) and not _DISOWNS.search(remark) and not _ANOTHER.search(remark):
            return None
        said = " ".join(answer.split())
        if " ".join(remark.split()) == said:
            return None
        status = "unparseable"
        if len(remark) <= MAX_ANSWER_CHARS and not has_huge_number(remark):
            try:
                status = self.check(task, plain_text(remark)).status
            except Exception:  # unreadable text restates nothing
                pass
        if status == "correct":
            return None  # "Actually, it is 48." restates it
        flat = " ".join(remark.split())
        if (
            status == "unparseable"
            and said
            and said in flat
            and not _ANOTHER.search(flat)
            and not re.search(r"\d", flat.replace(said, " "))
        ):
            return None  # "Alternatively, one can reach 48 by Euclid's algorithm.": a remark
        if (
            (status == "unparseable" or not self._like_gold(task, remark))
            and not _OPENER.match(after_last_tag(strip_think(response)).lstrip())
            and not _DISOWNS.search(flat)
            and not _ANOTHER.search(flat)
        ):
            # "It could be checked by hand in 3 minutes.": a phrase that may offer another
            # answer, mid-sentence, offering none (nothing the family reads, or nothing written
            # like the answer); another answer in it ("It might be 7.") is the second-answer
            # rule's to find
            return None
        return Verdict.incorrect(
            f"the answer is taken back or another given after it: {remark[:80]!r}"
        )

    def _like_gold(self, task: Task, text: str) -> bool:
        """Whether `text` is written like the task's gold answer (True when there is no gold
        to compare with: then nothing is ruled out)."""
        try:
            return _answer_like(text, self.format_answer(task))
        except Exception:
            return True

    def _second_answer(self, task: Task, answer: str, response: str) -> Verdict | None:
        """`incorrect` when the text after the answer tag gives another answer that the family
        reads and finds wrong: a line of its own right after the tag (`<answer>7</answer>\n8`),
        one stated (`Final answer: 8`, `The answer is 8.`, `**Answer:** 8`) or boxed
        (`\\boxed{8}`) anywhere after it, written like the answer or as a word the question
        offers as one (`none`, `impossible`). The reply then ends on two answers, a hedge. Prose
        the family cannot read, or a restatement it reads as right, changes nothing."""
        # an unclosed tag after it is the unclosed-tag rule's (a repeat of the answer is fine)
        after = _TAG_MARK.sub(" ", after_last_tag(strip_think(response))[:_AFTER_CHARS])
        if not after.strip():
            return None
        said = " ".join(answer.split())
        try:
            gold = self.format_answer(task)
        except Exception:  # a task without its gold: nothing to tell an answer from prose by
            return None
        # a word the question offers as an answer (`none`, `impossible`) is one in any shape
        words = {
            w.lower() for w in _OFFERED_WORD.findall((task.question or "")[: _AFTER_CHARS * 5])
        }
        one_line = "\n" not in gold.strip()
        braces = "{" in gold or "}" in gold  # `\\boxed{}}` cannot hold it unambiguously
        single = len(gold.split()) == 1  # "It could be 7 minutes." gives 7 for such an answer
        rule_gold = _RULE_LINE.fullmatch(gold.strip()) is not None
        joined = not _JOINER.match(gold)  # an answer such as `. # .` or `[1, 2]` opens with one
        asked = "?" not in gold and "!" not in gold and "-->" not in gold
        for other in _answers_after(
            after, lines=one_line, boxes=not braces, heads=single, joined=joined, asked=asked
        ):
            if " ".join(other.split()) == said or (_RULE_LINE.fullmatch(other) and not rule_gold):
                continue  # the answer again, or a markdown rule (`---`) between it and prose
            offered = other.rstrip(".").strip().lower() in words
            if not offered and not _answer_like(other, gold):
                continue
            status = self._status(task, other)
            if status not in ("correct", "unparseable"):
                return Verdict.incorrect(
                    f"another answer follows the answer tag (a hedge): {other[:80]!r}"
                )
        return None

    def _status(self, task: Task, text: str) -> str:
        """The status the family gives `text` read as an answer (as `verify` reads the tag's
        content, without the hedge rules); `unparseable` when it cannot read it."""
        text = plain_text(text).strip()
        if not text or len(text) > MAX_ANSWER_CHARS or has_huge_number(text):
            return "unparseable"
        status = "unparseable"
        try:
            for reading in [text, *readings(text, self.and_lists)]:
                found = self.check(task, reading).status
                if found == "correct":
                    return found
                if status == "unparseable":
                    status = found
        except Exception:  # text the family cannot read is no answer
            return "unparseable"
        return status

    def reference_response(self, reference: Any, **context: Any) -> str | None:
        """The gold answer inside `<answer>` tags (`reference` as in `verify`)."""
        return f"<answer>{self.format_answer(self.task_of(reference, context))}</answer>"


# after a retraction opener, a remark that vouches for the answer ("Actually, this grid
# satisfies every constraint.") rather than taking it back
_VOUCHES = re.compile(
    r"\b(?:satisf(?:y|ies|ied|ying)|verified|consistent|checks?\s+out|works|(?:is|are|['\u2019]s"
    r"|looks|seems)\s+(?:\w+\s+)?(?:valid|correct|right))\b",
    re.I,
)
_DISOWNS = re.compile(
    r"\b(?:not|no|never|wrong|incorrect|invalid|mistake|error|instead|rather|but)\b|n['\u2019]t\b",
    re.I,
)
# ... unless it names another answer too ("Alternatively, 7 works too.")
_ANOTHER = re.compile(r"\b(?:alternatively|also|another|other|or|either|too)\b", re.I)
# what opens a retraction or an alternative, set aside before reading the rest as an answer:
# "No, wait,", "Actually, it is", "Sorry, I meant", "(or", "Scratch that:"
_OPENER = re.compile(
    r"^[\W_]*(?:(?:no|wait|hmm|oh|um|actually|alternatively|sorry|oops|correction|or|possibly|perhaps|maybe"
    r"|i\s+mean[t]?|scratch\s+that|it\s+is|it's|the\s+answer\s+is|should\s+be)\b[\W_]*)+",
    re.I,
)
_OR_AFTER = re.compile(r"[(\[]?\s*or\b[\s:,]*(?=\S)", re.I)


def retraction_after_tag(response: str) -> str | None:
    """What the text right after the last answer tag says when it takes the answer back or
    names another beside it (`No, 7.`, `Actually, it is 7.`, `(or 7)`, `Wait, that is wrong.`),
    its opener set aside; None when nothing follows the tag or what follows is no retraction."""
    # the first paragraph after the tag is what follows it, even past a blank line; asked with
    # an answer no text restates (the restatement is the family's to judge: the text policy's
    # check folds punctuation, so `No, .B #B` would restate `#B #B`)
    after = after_last_tag(strip_think(response)).lstrip()
    if not after:
        return None
    said = taken_back_after("\x00", after)
    if said is None and _OR_AFTER.match(after):  # "(or x)" with any answer, not only a name
        said = after.split("\n\n", 1)[0][:200]
    if said is None:
        return None
    return _OPENER.sub("", said, count=1).strip().rstrip(").").strip() or said


#: how much of the text after the answer tag is searched for another answer
_AFTER_CHARS = 4000
# a statement of the answer after the tag: "Final answer: 8", "The answer is 8", "**Answer:** 8",
# "Solution = 8", "Second guess: 8", "make that 8", "it could be 8" (literal pieces between the
# optional runs: a linear search)
_ANSWER_SAID = re.compile(
    r"\b(?:answer|solution|guess)\b[ \t]*(?:\*\*[ \t]*)?(?:is\b(?:[ \t]*:)?|:|=)[ \t]*(?:\*\*)?"
    # "Hmm, make that 8.", "change it to 8", "it should be 8", "it could also be 8"
    r"|\b(?:make|change)[ \t]+(?:that|it)(?:[ \t]+to)?\b[ \t:]*"
    # "it could also be 8", "it may instead be 8", "it might even be 8"
    r"|\b(?:should|would|could|might|may)[ \t]+(?:(?:also|instead|rather|even|equally)[ \t]+)?"
    r"be\b[ \t:]*"
    # a label that offers another: "Alternative: 8", "Backup answer: 8", "Second choice: 8",
    # "Otherwise: 8", "P.S. 8"
    r"|\b(?:alternatives?|alternatively|alternate|otherwise|backup|fallback|other[ \t]+option"
    r"|(?:second|2nd|next)[ \t]+(?:best[ \t]+)?(?:guess|choice|option|pick|candidate))"
    r"[ \t]*(?:\*\*[ \t]*)?:[ \t]*(?:\*\*)?|\bp\.[ \t]?s\.[ \t:]*",
    re.I,
)


_TAG_MARK = re.compile(r"</?answer>", re.I)
# words opening a retraction or an alternative ("Otherwise 8.", "If not, 8.", "Alternative: 8",
# "P.S. 8"), with the spaces and marks after them (not `.` or `-`, which may open the answer:
# `.#.`, `-3 + 2i`)
_HEDGE_OPENER = re.compile(
    r"(?:(?:(?:no|wait|hmm|oh|um|actually|alternatively|alternatives?|alternate|sorry|oops|or"
    r"|possibly|perhaps|maybe|i[ \t]+mean[t]?|otherwise|else|instead|if[ \t]+not|failing[ \t]+that"
    r"|backup|fallback|also|either|just[ \t]+kidding|jk)\b|p\.[ \t]?s\.|ps\b)[ \t,:;!]*)+",
    re.I,
)
_OFFERED_WORD = re.compile(r"`([A-Za-z]+)`")  # a one-word answer form the question names
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")  # a word or number, or one other sign


def _kind(token: str) -> str:
    return "number" if token.isdigit() else "word" if token.isalnum() else token


def _letters(tokens: list[str]) -> Counter[str]:
    return Counter("".join(t for t in tokens if _kind(t) == "word").translate(_NO_DIGITS))


_NO_DIGITS = str.maketrans("", "", "0123456789")


def _answer_like(text: str, gold: str) -> bool:
    """Whether `text` is written like the answer `gold`, as another answer would be and prose
    is not: its words and numbers are mostly (4 in 5) those of `gold` (`(1,6), (2,1)` for
    `(1,2), (1,6), (2,1)`), or as many as in `gold` in the same order of kinds (a number where
    `gold` has a number, a word where it has a word) and, when `gold` has words, mostly the
    same words and letters (`7 4` is like `3 1`, `olleg` like `olleh`; `This satisfies every
    rule.` like neither). Bounded: the first `MAX_ANSWER_CHARS` characters are read."""
    text, gold = text.strip(), gold.strip()
    if text.endswith(".") and not gold.endswith("."):
        text = text[:-1]  # the sentence's period: "The answer is 2020-05-04."
    if text.startswith(("-", "+")) != gold.startswith(("-", "+")):
        text, gold = text.lstrip("+-").strip(), gold.lstrip("+-").strip()  # `0` is like `-1`
    mine = _TOKEN.findall(text[:MAX_ANSWER_CHARS].lower())
    theirs = _TOKEN.findall(gold[:MAX_ANSWER_CHARS].lower())
    if not mine:
        return False
    known = set(theirs)
    if len(mine) >= 2 and 5 * sum(t in known for t in mine) >= 4 * len(mine):
        return True
    if len(mine) != len(theirs):
        return False
    if any(_kind(a) != _kind(b) for a, b in zip(mine, theirs)):
        return False
    letters = _letters(theirs)
    if not letters:
        return True
    words = {t for t in theirs if _kind(t) == "word"}
    said = [t for t in mine if _kind(t) == "word"]
    if len(words) > 1 and 2 * sum(t in words for t in said) < len(said):
        return False  # a sentence of other words ("The answer is the one above.")
    found = _letters(mine)
    return sum((found & letters).values()) >= 0.6 * max(sum(found.values()), sum(letters.values()))


# a value said to be right after the tag ("Wait, 7 is right.", "Hmm, 7 checks out.", "Yes, 7 is
# the answer"): the value is what it gives, checked like any other (bounded: read on the
# piece's last characters, so a long piece costs nothing more)
_AFFIRMED_TAIL = re.compile(
    r"[ \t]+(?:(?:is|was|seems|looks|remains|stays)[ \t]+(?:(?:indeed|definitely|certainly"
    r"|clearly|really|still|also|correct(?:ly)?)[ \t]+){0,2}(?:right|correct|confirmed|verified"
    r"|valid|accurate|consistent|my[ \t]+(?:final[ \t]+)?answer|the[ \t]+(?:final[ \t]+"
    r"|correct[ \t]+|right[ \t]+)?(?:answer|solution))|checks[ \t]+out|holds(?:[ \t]+up)?"
    r"|is[ \t]+confirmed)[ \t.!)\u2713\u2714\u2705]*$"
    # ... or a remark after it that says so ("X - that checks out.", "X. That is right.", "X ✓")
    r"|[ \t]*(?:[-\u2013\u2014,:;(.!][ \t]*(?:(?:that|this|it|which)(?:['\u2019]s|[ \t]+(?:is|was"
    r"|seems|looks))?[ \t]+(?:(?:indeed|definitely|all|also)[ \t]+)?(?:right|correct|valid"
    r"|verified|confirmed|consistent|checks[ \t]+out|works)|verified|confirmed|correct|right)"
    r"|[ \t]*[\u2713\u2714\u2705])[ \t.!)\u2713\u2714\u2705]*$",
    re.I,
)
# what opens such a remark or the answer said again, set aside with it ("Wait,", "Hmm,",
# "Yes,", "So", "Thus")
_AFFIRM_OPENER = re.compile(
    r"^(?:(?:no|wait|hmm+|oh|um+|actually|yes|yep|yeah|ok(?:ay)?|so|thus|therefore|hence"
    r"|indeed|well|and|again|(?:let[ \t]+me[ \t]+|let's[ \t]+)?(?:double[- ]?check|check|verify"
    r"|confirm)(?:ed|ing)?|checking|verification)\b"
    r"(?:[ \t,:;!.]|-(?=[ \t]))*){1,4}",
    re.I,
)
_AFFIRM_WINDOW = 120


def _affirmed_value(text: str) -> str:
    """`text` (a piece after the answer tag) without an opener (`Yes,`, `So`, `Wait,`) and a
    closing that says it is right (`Wait, 7 is right.`, `Hmm, 7. That checks out.` give `7`):
    the value it states, checked like any other."""
    cut = max(0, len(text) - _AFFIRM_WINDOW)
    m = _AFFIRMED_TAIL.search(text, cut)
    if m is not None and m.start() > 0:
        text = text[: m.start()]
    opened = _AFFIRM_OPENER.match(text)
    return text[opened.end() :].strip() if opened else text.strip()


_SENTENCE_GAP = re.compile(r"(?<=[.?!])[ \t]+")


def _values_said(text: str) -> list[str]:
    """The values `text` (a paragraph or line after the tag) states, read by `_affirmed_value`
    sentence by sentence when some sentence opens or affirms (`Wait, 7? Yes, that's right.`
    and `7. Yes, 7 is right.` give `7`; `7? Yes, 8 is right.` gives `7` and `8`), else whole."""
    parts = _SENTENCE_GAP.split(text, maxsplit=6)
    if len(parts) < 2 or len(parts) > 6:
        return [_affirmed_value(text)]
    read = [_affirmed_value(part) for part in parts]
    if all(v == part.strip() for v, part in zip(read, parts)):  # no sentence opens or affirms:
        return [_affirmed_value(text)]  # `# . # .` is one grid, not sentences
    values = {v.rstrip(".?!").strip(): v.rstrip("?!").strip() for v in read}
    values.pop("", None)
    return list(values.values())


# a label that offers another answer (`OFFER_WORDS`: "Solution 2", "Option B", "Attempt 2",
# "Another possibility", "Also valid", "Corrected", "Edit", "If that's wrong, try"), then `:` or
# `is` on its line ("Solution 2: B", "Another possibility is B")
_OFFER_LABEL = re.compile(rf"\b{OFFER_WORDS}[ \t]*(?:\*\*[ \t]*)?(?::|\bis\b)[ \t]*(?:\*\*)?", re.I)
# ... or a heading line of its own ("## Alternative", "**Second solution**", "Revised")
_OFFER_HEADING = re.compile(
    rf"(?:^|\n)[ \t]*(?:#{{1,6}}[ \t]*|\*\*)?{OFFER_WORDS}[ \t]*(?:\*\*)?[ \t]*(?=\n)", re.I
)
_RULE_LINE = re.compile(r"[-*_=\s]{3,}")  # a markdown rule: `---`, `***`, `___`
# what joins another answer to the tag before it: ". B", "/ B", "| B", "; B", "-> B", "vs B",
# "<!-- B -->", a rule and a footnote mark ("---\n\u00b9 or B", "[^1]: B"); each piece starts
# with a mark of its own (a linear match); not read for an answer that opens with one
_JOINER = re.compile(
    r"\s*(?:(?:(?:-{3,}|\*{3,}|_{3,}|={3,})[ \t]*(?:\n|$)|\.(?=\s)|[,;:/|>\u2192\u21d2\u2013\u2014]|<!--|-->"
    r"|=>|\[\^?\w{1,8}\]:?|[\u00b9\u00b2\u00b3\u2070-\u2079]+|\^|(?:vs\.?|versus|aka)(?![^\W_]))\s*)+",
    re.I,
)


def _answers_after(
    after: str,
    lines: bool = True,
    boxes: bool = True,
    heads: bool = True,
    joined: bool = False,
    asked: bool = False,
) -> list[str]:
    """What the text after an answer tag may give as another answer: its first paragraph and
    first line (an answer written again, untagged), also past an opener (`Maybe 3.`), what
    follows each `answer is`, `Answer:`,
    `solution:` or `guess:`
    (to the end of its paragraph, and its line, and with `heads` its first word when it has a
    digit; the next paragraph when the line is empty) and
    the content of each `\\boxed{...}`; at most a dozen, in order. A line alone is read only
    when `lines` (the answer is one line: a line of a grid is no answer of its own), a box only
    when `boxes`. With `joined` the text is read again past a joiner (`. 3`, `/ 3`, `vs 3`,
    `<!-- 3 -->`, `---\n\u00b9 or 3`); with `asked` a value asked (`3?`) is read as the value."""
    out: list[str] = []

    def add(text: str) -> None:
        text = text.strip()
        paragraph = text.split("\n\n", 1)[0]
        for piece in (paragraph, text.split("\n", 1)[0]) if lines else (paragraph,):
            for value in _values_said(piece.strip()):
                if asked:
                    value = value.removesuffix("-->").rstrip(" \t?!").strip()
                if value and value not in out:
                    out.append(value)

    starts = [after.strip()]
    joiner = _JOINER.match(after) if joined else None
    if joiner is not None and joiner.end() < len(after):
        starts.append(after[joiner.end() :].strip())
    for start in starts:
        add(start)
        opened = _HEDGE_OPENER.match(start)  # "Maybe 3.", "Or 3", "Actually, 3"
        if opened:
            add(start[opened.end() :])
    for m in _ANSWER_SAID.finditer(after):
        rest = after[m.end() :]
        line_end = rest.find("\n")
        if not rest[: line_end if line_end >= 0 else len(rest)].strip():
            rest = rest.lstrip()  # "Final answer:\n<grid>"
        add(rest)
        head = rest.split(None, 1)[0] if rest.strip() else ""
        if heads and any(c.isdigit() for c in head):
            add(head.rstrip(".,;:!?"))  # "It could be 7 minutes.": the number it gives
        if len(out) >= 12:
            break
    # a label that offers another ("Solution 2:", "Option B:", "Corrected:", "## Alternative"):
    # what follows it, on its line or in the next paragraph, past an opener ("EDIT: actually")
    for reader in (_OFFER_LABEL, _OFFER_HEADING):
        for m in reader.finditer(after):
            rest = after[m.end() :]
            line_end = rest.find("\n")
            if not rest[: line_end if line_end >= 0 else len(rest)].strip():
                rest = rest.lstrip()
            add(rest)
            opened = _HEDGE_OPENER.match(rest.strip())
            if opened:
                add(rest.strip()[opened.end() :])
            if len(out) >= 12:
                break
    out += [inner for _, _, inner in boxed_spans(after, limit=4)] if boxes else []
    return out[:12]


FAMILIES: dict[str, LogicFamily] = {}


def register_family(cls: type[LogicFamily]) -> type[LogicFamily]:
    """Class decorator: make the family known to the logic envs."""
    if cls.name in FAMILIES:
        raise ValueError(f"logic family {cls.name!r} registered twice")
    FAMILIES[cls.name] = cls()
    return cls


def make_task(question: str, answer: Any, size: float, **metadata: Any) -> Task:
    """Shorthand used by generators."""
    return Task(question=question, answer=answer, metadata={"size": size, **metadata})
