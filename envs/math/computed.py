"""Problems that ask to compute: an answer that leaves the work undone is not paid.

MathVerifier compares values, so `\\boxed{21 \\cdot 18 - 3375}` for "Compute (6+15)·18 − 15³",
the quadratic formula with the coefficients plugged in, `\\sum_{i=0}^{22} (14+5i)` for a sequence
sum or `\\sqrt{39^2+80^2}` for a hypotenuse all equal the gold: the verifier would do the
arithmetic the task asks for. `ComputedAnswerVerifier` scores like MathVerifier and then refuses
a correct verdict whose final answer holds an operation its gold does not hold (`+ - × ÷ ^ √ ±
Σ ! mod ...` between operands; a sign is none, nor a fraction of two integers, nor `^\\circ`):
`2\\sqrt{12}` may answer `4\\sqrt{3}`, `\\sqrt{16 \\cdot 3}` may not. Where the statement asks for
a reduced fraction, one not in lowest terms is refused too, and so is a decimal for an exact
irrational gold (`1520.53` for `484\\pi`) unless the statement asks to round. Work shown before
the last `=` is fine: `12 + 6 = 18` ends with 18.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from math import gcd
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.bounded_text import squeeze_blank_runs
from gymhub.verifiers.extract import extract_final_answer
from gymhub.verifiers.math_verifier import MathVerifier, gold_answer

# an operation left undone: an operator command, an operator symbol, or a binary + / - (one
# that follows a digit or a closing bracket; a leading sign follows `=`, `,`, `(` or nothing)
_OPERATION = re.compile(
    r"\\(?:cdot|times|div|pm|mp|sqrt|sum|prod|binom|dbinom|tbinom|choose|bmod|mod|pmod|log|ln"
    r"|lg|exp|sin|cos|tan|int|lim|cdots|ldots|dots|over|ast|star)(?![a-zA-Z])"
    r"|[*^!×÷·√∑∏±∓∗]"
    r"|\bmod\b"
    r"|[\d)}\]]\s*[-+−–]"
    r"|/[^/,]*/"
)
# the statement of a result modulo n, written after the answer: `16 \pmod{61}`, `16 (mod 61)`
_MODULUS_SUFFIX = re.compile(
    r"(?:\\pmod\s*\{\s*\d+\s*\}|\(\s*\\?(?:bmod|mod)\s*\d+\s*\))\s*(?=,|$)"
)
_TEXT = re.compile(r"\\(?:text|textbf|mathrm|mbox)\s*\{[^{}]*\}")
_FRACTION = re.compile(
    r"\\[dt]?frac\s*\{\s*(?:[-−]\s*)?(\d+)\s*\}\s*\{\s*(?:[-−]\s*)?(\d+)\s*\}"
    r"|(?<!\d)(\d+)\s*/\s*(\d+)"
)
_REDUCED_ASKED = re.compile(r"reduced fraction|lowest terms|simplest form", re.IGNORECASE)
# an exact irrational value (`484\pi`, `4\sqrt{3}`), and a decimal that can only approximate it
_IRRATIONAL = re.compile(r"\\pi|\\sqrt|π|√|\\ln|\\log|\be\^")
_DECIMAL = re.compile(r"\d\.\d")
_APPROXIMATION_ASKED = re.compile(
    r"decimal|round|nearest|approximat|significant|estimate", re.IGNORECASE
)


_DEGREES = re.compile(r"\^\s*(?:\{\s*)?\\circ\s*\}?")
# a product sign beside a constant or a radical writes a juxtaposition (`484 \cdot \pi` is
# `484\pi`, `4 \cdot \sqrt{3}` is `4\sqrt{3}`), not a product left to compute
_TIMES = r"(?:\\cdot|\\times|[*×·])"
_JUXTAPOSED = re.compile(rf"{_TIMES}\s*(?=\\pi|\\sqrt|[a-zA-Z])|(?<=\\pi)\s*{_TIMES}")
_SAME = {
    "\\cdot": "×", "\\times": "×", "*": "×", "·": "×", "∗": "×", "\\ast": "×", "\\star": "×",
    "\\div": "÷", "\\sqrt": "√", "\\pm": "±", "\\mp": "∓", "\\sum": "∑", "\\prod": "∏",
    "\\bmod": "mod", "\\mod": "mod", "\\pmod": "mod", "\\dbinom": "\\binom", "\\tbinom": "\\binom",
}  # fmt: skip


def _after_last_equals(piece: str) -> str:
    cut = max(piece.rfind("="), piece.rfind("≡"))
    equiv = piece.rfind("\\equiv")
    if equiv >= 0 and equiv + 6 > cut:
        cut = equiv + 5
    return piece[cut + 1 :] if cut >= 0 else piece


def operations(answer: str) -> list[str]:
    """The operations `answer` (one final answer, as extracted) still holds, in a normal form
    (`\\cdot`, `*` and `\\times` are all `×`; a binary minus is `-`). Each part of a list counts
    from its last `=` on; a sign, a fraction of two integers and `^\\circ` are no operation."""
    if _OPERATION.search(answer) is None:  # what the steps below remove is itself an operation
        return []
    # each part from its last `=`, joined again: no pattern below reaches across a comma
    value = ",".join(_after_last_equals(p) for p in _TEXT.sub(",", answer).split(","))
    value = _DEGREES.sub(" ", _MODULUS_SUFFIX.sub("", value))
    value = _JUXTAPOSED.sub(" ", value)
    found = []
    for match in _OPERATION.finditer(value):
        token = match.group(0).strip()
        if token[-1] in "-−–+":
            token = "+" if token[-1] == "+" else "-"
        elif token.startswith("/"):
            token = "/"
        found.append(_SAME.get(token, token))
    return found


def undone_operation(answer: str, gold: str = "") -> str | None:
    """An operation `answer` holds that `gold` does not, or None."""
    allowed = set(operations(gold)) if gold else set()
    return next((op for op in operations(answer) if op not in allowed), None)


def unreduced_fraction(answer: str) -> str | None:
    """A fraction of `answer` not in lowest terms (`\\frac{34}{12}`, `34/12`), or None."""
    for found in _FRACTION.finditer(answer):
        numerator, denominator = (int(g) for g in found.groups() if g is not None)
        if denominator and gcd(numerator, denominator) != 1:
            return found.group(0)
    return None


class ComputedAnswerVerifier(MathVerifier):
    """MathVerifier for generated problems: a correct value is paid only when computed (same
    name and version as MathVerifier: its verdicts on computed answers are unchanged)."""

    def _check(
        self, verdict: Verdict, response: str, reference: Any, context: Mapping[str, Any]
    ) -> Verdict:
        if verdict.status != "correct":
            return verdict
        gold = gold_answer(str(reference))
        extraction = extract_final_answer(squeeze_blank_runs(response))
        question = context.get("question")
        reduced = isinstance(question, str) and bool(_REDUCED_ASKED.search(question))
        exact = bool(_IRRATIONAL.search(gold)) and not (
            isinstance(question, str) and _APPROXIMATION_ASKED.search(question)
        )
        for candidate in extraction.candidates:
            if exact and _DECIMAL.search(candidate) and not _IRRATIONAL.search(candidate):
                return Verdict.incorrect(
                    "a decimal approximation of an exact answer that was not asked to be rounded"
                )
            operation = undone_operation(candidate, gold)
            if operation is not None:
                return Verdict.incorrect(
                    f"the answer is not computed: it still holds the operation {operation!r}, "
                    "which the expected answer does not"
                )
            if reduced:
                fraction = unreduced_fraction(candidate)
                if fraction is not None:
                    return Verdict.incorrect(
                        f"a reduced fraction was asked for; {fraction!r} is not in lowest terms"
                    )
        return verdict

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        verdict = super().verify(response, reference, **context)
        return self._check(verdict, response, reference, context)

    async def averify(self, response: str, reference: Any, **context: Any) -> Verdict:
        verdict = await super().averify(response, reference, **context)
        return self._check(verdict, response, reference, context)

    def verify_batch(
        self, responses: Sequence[str], references: Sequence[Any], **context: Any
    ) -> list[Verdict]:
        verdicts = super().verify_batch(responses, references, **context)
        triples = zip(verdicts, responses, references)
        return [self._check(v, r, ref, context) for v, r, ref in triples]
