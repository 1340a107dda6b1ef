"""gymhub/UnitConvert-v0: a tool-use env. The policy calls `convert` and reports the number."""

from __future__ import annotations

import random
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from gymhub.task_env import MultiTurnEnv
from gymhub.tasks import GeneratorSource
from gymhub.types import Action, Task, ToolCall, Verdict
from gymhub.verifiers.extract import after_last_tag, extract_text_answer, strip_think
from gymhub.verifiers.numeric import NumericVerifier, expand_scientific
from gymhub.verifiers.string_match import answer_doubted, final_answer_text, later_answers

# factor to the base unit of each dimension
UNITS: dict[str, tuple[str, float]] = {
    "m": ("length", 1.0),
    "km": ("length", 1000.0),
    "cm": ("length", 0.01),
    "mile": ("length", 1609.344),
    "foot": ("length", 0.3048),
    "inch": ("length", 0.0254),
    "kg": ("mass", 1.0),
    "g": ("mass", 0.001),
    "pound": ("mass", 0.45359237),
    "ounce": ("mass", 0.028349523125),
    "l": ("volume", 1.0),
    "ml": ("volume", 0.001),
    "gallon": ("volume", 3.785411784),
    "s": ("time", 1.0),
    "min": ("time", 60.0),
    "h": ("time", 3600.0),
    "day": ("time", 86400.0),
}


# the ways an answer writes each unit (lower-cased; `L`/`mL` are `l`/`ml`)
UNIT_NAMES: dict[str, str] = {
    **{n: "m" for n in ("m", "meter", "meters", "metre", "metres")},
    **{n: "km" for n in ("km", "kilometer", "kilometers", "kilometre", "kilometres")},
    **{n: "cm" for n in ("cm", "centimeter", "centimeters", "centimetre", "centimetres")},
    **{n: "mile" for n in ("mile", "miles", "mi")},
    **{n: "foot" for n in ("foot", "feet", "ft")},
    **{n: "inch" for n in ("inch", "inches")},  # not `in`: the word `in` is everywhere
    **{n: "kg" for n in ("kg", "kilogram", "kilograms", "kilogramme", "kilogrammes", "kgs")},
    **{n: "g" for n in ("g", "gram", "grams", "gramme", "grammes")},
    **{n: "pound" for n in ("pound", "pounds", "lb", "lbs")},
    **{n: "ounce" for n in ("ounce", "ounces", "oz")},
    **{n: "l" for n in ("l", "liter", "liters", "litre", "litres")},
    **{n: "ml" for n in ("ml", "milliliter", "milliliters", "millilitre", "millilitres")},
    **{n: "gallon" for n in ("gallon", "gallons", "gal")},
    **{n: "s" for n in ("s", "sec", "secs", "second", "seconds")},
    **{n: "min" for n in ("min", "mins", "minute", "minutes")},
    **{n: "h" for n in ("h", "hr", "hrs", "hour", "hours")},
    **{n: "day" for n in ("day", "days", "d")},
}
# words that make the number no answer: denied, asked about, doubted, excluded, a bound or a
# percentage (`not 2.5e7`, `2.5e7?`, `maybe 2.5e7`, `anything but 2.5e7`, `at least 2.5e7`,
# `> 2.5e7`, `2.5e7 is wrong`, `2.5e7 ❌`, `~~2.5e7~~` struck through)
_NOT_STATED = re.compile(
    r"\?|\uff1f|%|~~|[<>\u2264\u2265\u226a\u226b\u274c\u274e\u2717\u2718\u2716\U0001f6ab]"
    r"|\\(?:[lg]eq?|[lg]t)\b"
    r"|\b(?:not|never|no|nope|nah|maybe|perhaps|possibly|probably|might|guess|unsure|uncertain"
    r"|wrong|incorrect|mistaken|false|but|except|excluding|besides|neither|nor|unless"
    r"|other\s+than|rather\s+than|instead\s+of|apart\s+from|aside\s+from"
    r"|at\s+(?:least|most)|more\s+than|less\s+than|fewer\s+than"
    r"|greater\s+than|up\s+to|or\s+(?:so|more|less|fewer)|could\s+be|isn['\u2019]?t)\b",
    re.IGNORECASE,
)
_NUMBER_TEXT = r"[-+]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:e[+\-]?\d+)?"
# a number and the word right after it, if any (`2.5 miles`, `5000 m`, `7`)
_QUANTITY = re.compile(
    rf"(?<![\w.])({_NUMBER_TEXT})(?:\s*(?:\\,|\\text\s*\{{\s*)?([A-Za-z]+)(?![A-Za-z]))?",
    re.IGNORECASE,
)
# another value ruled out after the answer: `5 km, not 6 km`, `5 km (not 5 m)`
_RULED_OUT = re.compile(
    rf"[,;(]\s*(?:but\s+|and\s+)?not\s+({_NUMBER_TEXT})(?:\s*([A-Za-z]+)(?![A-Za-z]))?\s*\)?",
    re.IGNORECASE,
)
# thousands separated by a thin, narrow no-break or no-break space (`23\u202f868\u202f000`, SI
# style): one number, not three (a plain space stays a separator between numbers)
_THIN_GROUPS = re.compile("(?<=\\d)[\u2009\u202f\u00a0](?=\\d{3}(?!\\d))")
# the tagged answer put as a question after its tag: `<answer>5 km</answer>?`
_ASKED_AFTER = re.compile(r"[\s*_`\"')\]]{0,20}[?\uff1f]")


def _quantities(text: str, unit: str) -> list[tuple[str, str]] | str:
    """The numbers of `text` with their units (a bare number, or one before a word that is no
    unit, in `unit`), or why the text is no answer in `unit` (a unit of another dimension)."""
    found = []
    for number, word in _QUANTITY.findall(text):
        named = UNIT_NAMES.get(word.lower()) if word else None
        if named is not None and UNITS[named][0] != UNITS[unit][0]:
            return f"the answer is in {named}, not {unit}"
        found.append((number.replace(",", ""), named or unit))
    return found


def _in_unit(number: str, named: str, unit: str) -> tuple[Decimal, Decimal] | None:
    """`number` of unit `named` in `unit`, and half a unit of its last written digit there
    (the rounding a restatement was written with), or None when it is no finite number."""
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value.adjusted()) > 300:
        return None
    factor = Decimal(repr(UNITS[named][1])) / Decimal(repr(UNITS[unit][1]))
    half_digit = Decimal(5).scaleb(value.as_tuple().exponent - 1)
    return value * factor, half_digit * factor


class UnitAnswerVerifier(NumericVerifier):
    """`NumericVerifier` for a quantity in a given unit (`unit=` in the verifier context): the
    number may be written in scientific notation (`2.3868 × 10^7`), and a unit named right
    after it must be the one asked for (`2.3868e7 days` is not seconds). The same quantity
    restated in another unit (`5 km (5000 m)`, `5 km ≈ 3.107 miles`) is the same answer; a
    different one (`5 km (6000 m)`) is a second answer."""

    name = "unit_answer"

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        unit = context.pop("unit", None)
        if unit is not None and unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; known units: {', '.join(UNITS)}")
        if _ASKED_AFTER.match(after_last_tag(strip_think(response))):
            return Verdict.incorrect("the answer is put as a question after its tag")
        answer = final_answer_text(response)[-2000:]
        if not answer and answer_doubted(response):  # `<answer>5 km</answer> (not sure)`
            return Verdict.incorrect("the answer is doubted right after its tag or box")
        later = later_answers(response) if not answer else []
        read = extract_text_answer(response).candidates if later else []
        if later and len(read) == 1:
            # `<answer>5000 m</answer> No wait, 6000 m.`: every answer it states must be right
            # (a restatement of the same quantity is; another one is a second answer)
            for said in (read[0], *later):
                again = self.verify(f"<answer>{said}</answer>", reference, unit=unit, **context)
                if again.status != "correct" and said is not read[0]:
                    # the same quantity in another unit (`<answer>5000 m</answer>\n5 km`) is
                    # the answer restated, as `5000 m (5 km)` is inside the tag
                    restated = f"<answer>{read[0]} ({said})</answer>"
                    again = self.verify(restated, reference, unit=unit, **context)
                if again.status != "correct":
                    return Verdict.incorrect(f"another answer after it ({said[:50]!r}): a hedge")
            return Verdict.correct()
        if not answer:  # no answer, or a hedge between tags: the plain verdict says which
            return super().verify(response, reference, **context)
        answer = expand_scientific(_THIN_GROUPS.sub("", answer))
        ruled_out = [(n.replace(",", ""), w) for n, w in _RULED_OUT.findall(answer)]
        kept = _RULED_OUT.sub(" ", answer)
        doubt = _NOT_STATED.search(kept)
        if doubt:
            return Verdict.incorrect(f"the number is not stated as the answer ({doubt.group(0)!r})")
        if unit is None:
            return super().verify(f"<answer>{kept}</answer>", reference, **context)
        found = _quantities(kept, unit)
        if isinstance(found, str):
            return Verdict.incorrect(found)
        asked = [number for number, named in found if named == unit]
        others = [(number, named) for number, named in found if named != unit]
        if not asked:
            if others:
                names = ", ".join(sorted({named for _, named in others}))
                return Verdict.incorrect(f"the answer is in {names}, not {unit}")
            return super().verify(f"<answer>{kept}</answer>", reference, **context)
        main = _in_unit(asked[-1], unit, unit)
        if main is None:
            return Verdict.unparseable("the number of the answer is not a finite number")
        rel = Decimal(repr(float(context.get("rel_tol", self.rel_tol))))
        for number, named in others:  # a restatement in another unit must be the same quantity
            other = _in_unit(number, named, unit)
            if other is None or abs(other[0] - main[0]) > max(other[1], rel * abs(main[0])):
                return Verdict.incorrect(f"{number} {named} is another quantity than {asked[-1]}")
        for number, named in ruled_out:  # `5 km, not 5000 m` denies the answer it gives
            other = _in_unit(number, UNIT_NAMES.get(named.lower(), unit) if named else unit, unit)
            if other is not None and abs(other[0] - main[0]) <= rel * abs(main[0]):
                return Verdict.incorrect(f"the answer rules out its own value ({number} {named})")
        return super().verify(f"<answer>{' '.join(asked)}</answer>", reference, **context)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a quantity from one unit to another.

    Args:
        value: the quantity to convert
        from_unit: unit of the value (m, km, cm, mile, foot, inch, kg, g, pound, ounce, l, ml, gallon, s, min, h, day)
        to_unit: unit to convert to (same list)
    """
    if from_unit not in UNITS or to_unit not in UNITS:
        raise ValueError(f"unknown unit; known units: {', '.join(UNITS)}")
    (dim_a, fa), (dim_b, fb) = UNITS[from_unit], UNITS[to_unit]
    if dim_a != dim_b:
        raise ValueError(f"cannot convert {dim_a} to {dim_b}")
    return float(value) * fa / fb


def generate(rng: random.Random, difficulty: float) -> Task:
    dim = rng.choice(sorted({d for d, _ in UNITS.values()}))
    names = sorted(u for u, (d, _) in UNITS.items() if d == dim)
    src, dst = rng.sample(names, 2)
    value = round(rng.uniform(1, 1000), 2)
    return Task(
        question=f"Convert {value} {src} to {dst}. Use the convert tool, then give the final "
        "number inside <answer></answer>.",
        answer=convert(value, src, dst),
        metadata={
            "value": value,
            "from_unit": src,
            "to_unit": dst,
            "verifier_context": {"rel_tol": 1e-4, "unit": dst},
        },
    )


class UnitConvertEnv(MultiTurnEnv):
    def reference_action(self) -> Action | None:
        """First a tool call, then the answer the tool returned."""
        if self.done or self.task is None:
            return None
        meta = self.task.metadata
        if not any(m.role == "tool" for m in self.conversation):
            args = {
                "value": meta["value"],
                "from_unit": meta["from_unit"],
                "to_unit": meta["to_unit"],
            }
            return Action(
                content="", tool_calls=[ToolCall(id="call_0", name="convert", arguments=args)]
            )
        return Action(content=f"<answer>{self.task.answer:.6g}</answer>")


def make_unit_convert_env(**kwargs: Any) -> UnitConvertEnv:
    kwargs.setdefault("max_turns", 6)
    kwargs.setdefault("max_attempts", 2)
    return UnitConvertEnv(
        GeneratorSource(generate, "unit_convert"),
        UnitAnswerVerifier(rel_tol=1e-4),
        tools=[convert],
        **kwargs,
    )
