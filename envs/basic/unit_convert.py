"""gymhub/UnitConvert-v0: a tool-use env. The policy calls `convert` and reports the number."""

from __future__ import annotations

import random
import re
from typing import Any

from gymhub.task_env import MultiTurnEnv
from gymhub.tasks import GeneratorSource
from gymhub.types import Action, Task, ToolCall, Verdict
from gymhub.verifiers.numeric import NumericVerifier, expand_scientific
from gymhub.verifiers.string_match import final_answer_text

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
# a number and the word right after it (`2.5 miles`, `23,868,000 s`)
_NUMBER_UNIT = re.compile(
    r"(?<![\w.])\d(?:[\d,]*\d)?(?:\.\d+)?(?:e[+\-]?\d+)?\s*(?:\\,|\\text\s*\{\s*)?"
    r"([A-Za-z]+)(?![A-Za-z])",
    re.IGNORECASE,
)

# words that make the number no answer: denied, asked about, doubted, a bound or a percentage
# (`not 2.5e7`, `2.5e7?`, `maybe 2.5e7`, `at least 2.5e7`, `> 2.5e7`, `2.5e7 is wrong`)
_NOT_STATED = re.compile(
    r"\?|%|[<>\u2264\u2265\u226a\u226b]|\\(?:[lg]eq?|[lg]t)\b"
    r"|\b(?:not|never|no|maybe|perhaps|possibly|probably|might|guess|unsure|uncertain"
    r"|wrong|incorrect|mistaken|at\s+(?:least|most)|more\s+than|less\s+than|fewer\s+than"
    r"|greater\s+than|up\s+to|or\s+(?:so|more|less|fewer)|could\s+be|isn['\u2019]?t)\b",
    re.IGNORECASE,
)


class UnitAnswerVerifier(NumericVerifier):
    """`NumericVerifier` for a quantity in a given unit (`unit=` in the verifier context): the
    number may be written in scientific notation (`2.3868 × 10^7`), and a unit named right
    after it must be the one asked for (`2.3868e7 days` is not seconds)."""

    name = "unit_answer"

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        unit = context.pop("unit", None)
        answer = final_answer_text(response)[-2000:]
        if not answer:  # no answer, or a hedge between tags: the plain verdict says which
            return super().verify(response, reference, **context)
        answer = expand_scientific(answer)
        doubt = _NOT_STATED.search(answer)
        if doubt:
            return Verdict.incorrect(f"the number is not stated as the answer ({doubt.group(0)!r})")
        if unit is not None:
            named = {UNIT_NAMES.get(w.lower()) for w in _NUMBER_UNIT.findall(answer)} - {None}
            wrong = sorted(u for u in named if u != unit)
            if wrong:
                return Verdict.incorrect(f"the answer is in {', '.join(wrong)}, not {unit}")
        return super().verify(f"<answer>{answer}</answer>", reference, **context)


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
