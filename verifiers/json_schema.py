"""JSON output: extract the JSON a model wrote and validate it against a JSON schema."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.extract import (
    after_last_tag,
    extract_tagged,
    find_code_blocks,
    strip_think,
    taken_back_after,
)
from gymhub.verifiers.schema_patterns import PatternTimeout, bounded, reset_budget, start_budget

MAX_JSON_CHARS = 200_000
MAX_JSON_DEPTH = 100  # nesting deeper than this is refused (schema validation recurses per level)


class _NotStrictJson(ValueError):
    """Text that Python's json module reads but JSON (RFC 8259) does not mean one value by."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:  # parsers disagree on which one counts: the object has no one meaning
            raise _NotStrictJson(f"duplicate key {key[:50]!r} in a JSON object")
        seen[key] = value
    return seen


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NotStrictJson(f"number {text[:30]} overflows a double")
    return value


def _no_constant(name: str) -> Any:
    raise _NotStrictJson(f"{name} is not JSON")


def _depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def loads_strict(text: str) -> Any:
    """`json.loads` for JSON as RFC 8259 means it: no NaN or Infinity, no number that overflows
    to infinity, no duplicate keys in an object, at most `MAX_JSON_DEPTH` levels. Raises
    ValueError otherwise."""
    value = json.loads(
        text,
        object_pairs_hook=_no_duplicate_keys,
        parse_constant=_no_constant,
        parse_float=_finite_float,
    )
    if _depth(value) > MAX_JSON_DEPTH:
        raise _NotStrictJson(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return value


def same_json(a: Any, b: Any) -> bool:
    """Equality of JSON values as JSON sees them: `true` is not `1` (Python says it is), `1`
    and `1.0` are the same number, objects compare regardless of key order."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if isinstance(x, bool) or isinstance(y, bool):
            if not (isinstance(x, bool) and isinstance(y, bool) and x == y):
                return False
        elif isinstance(x, dict) and isinstance(y, dict):
            if x.keys() != y.keys():
                return False
            stack.extend((x[k], y[k]) for k in x)
        elif isinstance(x, list) and isinstance(y, list):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y))
        elif isinstance(x, (dict, list)) or isinstance(y, (dict, list)):
            return False
        elif type(x) is not type(y) and not (
            isinstance(x, (int, float)) and isinstance(y, (int, float))
        ):
            return False
        elif x != y:
            return False
    return True


def extract_json(response: str) -> Any:
    """The JSON value in a response (policy `json`): after the reasoning, the `<answer>` tag
    (several different ones are a hedge), in it or else the ```json (or untagged) fence (several
    different ones are a hedge), or the text from the first `{`/`[` to the last `}`/`]`, or the
    whole text. Raises ValueError when there is none."""
    text = strip_think(response)
    tagged = extract_tagged(text).candidates
    if len(tagged) > 1:
        raise ValueError(f"{len(tagged)} different <answer> tags (a hedge)")
    value = _json_in(tagged[0] if tagged else text)
    # JSON written after the answer (`<answer>{"a": 1}</answer> Actually, {"a": 2}.`, or after
    # the last ```json fence) that is another value takes it back or offers a second one
    after = after_last_tag(text) if tagged else _after_last_fence(text)
    said = taken_back_after(json.dumps(value), after) if after.strip() else None
    if said:
        try:
            other = _json_in(said, bare_only=True)
        except ValueError:  # "Actually, that is the schema's example." names no other value
            return value
        if not same_json(other, value):
            raise ValueError("a retraction after the answer gives another JSON value (a hedge)")
    return value


def _after_last_fence(text: str) -> str:
    """The text after the last closing ``` fence (empty when there is none)."""
    end = text.rfind("```")
    return text[end + 3 :] if end >= 0 and text.count("```", 0, end) % 2 == 1 else ""


def _json_in(text: str, *, bare_only: bool = False) -> Any:
    """The JSON value of one answer: the ```json (or untagged) fence, the text from the first
    `{`/`[` to the last `}`/`]`, or the whole text (with `bare_only`, only the bracketed
    text). Raises ValueError when there is none."""
    fences = [
        code
        for lang, code in find_code_blocks(text[-MAX_JSON_CHARS * 2 :])
        if lang in (None, "json")
    ]
    if len({"".join(f.split()) for f in fences}) > 1:
        raise ValueError(f"{len(fences)} different JSON code blocks (a hedge)")
    candidates = [] if bare_only else fences[-1:]
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    if starts:
        start = min(starts)
        end = max(text.rfind("}"), text.rfind("]"))
        if end > start:
            candidates.append(text[start : end + 1])
    if not bare_only:
        candidates.append(text)
    refused: _NotStrictJson | None = None
    candidates = [c.strip() for c in candidates if c.strip() and len(c.strip()) <= MAX_JSON_CHARS]
    # as written; then without comments and trailing commas (`{"a": 1, // why\n}`), which
    # JSON does not allow but which change no value
    for relax in (False, True):
        for candidate in candidates:
            if relax:
                candidate = without_comments_and_trailing_commas(candidate)
            try:
                return loads_strict(candidate)
            except _NotStrictJson as exc:  # valid to Python, not one JSON value: say why
                refused = refused or exc
            except (ValueError, RecursionError):  # not JSON; a number too long for int()
                continue
        if refused:
            break
    raise ValueError(f"no valid JSON found ({refused})" if refused else "no valid JSON found")


# what `without_comments_and_trailing_commas` takes out: a comment or a comma before a bracket
_RELAXED_SYNTAX = re.compile(r",\s*[}\]]|/[/*]")


def without_comments_and_trailing_commas(text: str) -> str:
    """`text` without `//` and `/* */` comments and commas right before a closing bracket,
    outside JSON strings (the JSONC/JSON5 habits of hand-written JSON). One linear scan."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if _RELAXED_SYNTAX.search(text) is None:
        return text
    out: list[str] = []
    pending_comma = -1  # index in `out` of a comma that a closing bracket would make trailing
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':  # a string, copied whole (its escapes included)
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            pending_comma, i = -1, j + 1
            continue
        if c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if c in "}]" and pending_comma >= 0:
            out[pending_comma] = ""
        if c == ",":
            pending_comma = len(out)
        elif not c.isspace():
            pending_comma = -1
        out.append(c)
        i += 1
    return "".join(out)


# A string that holds a place instead of content: empty or punctuation only (`""`, `"..."`), a
# template (`"<name>"`, `"{{name}}"`, `"your name here"`) or a marker (`"TODO"`, `"lorem ipsum"`)
_PLACEHOLDER = re.compile(
    r"(?:todo|tbd|fixme|placeholder|x{3,}|lorem\s+ipsum\b.*)[\W_]*|<[^<>]*>"
    r"|\{\{[^{}]*\}\}|(?:enter\s+|insert\s+)?your\s+\w+(?:\s+\w+)?\s+here[\W_]*",
    re.IGNORECASE | re.DOTALL,
)
# ... but `<div>`, `<br/>`, `<a href="x">` are HTML tags, content (`<name>` stays a template)
_HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|body|br|button|code|div|em|footer|form|h[1-6]|head|header|hr|html|i|img"
    r"|input|label|li|link|meta|nav|ol|option|p|pre|script|section|select|span|strong|style"
    r"|table|tbody|td|textarea|th|thead|tr|u|ul)(?:[\s/][^<>]*)?>",
    re.IGNORECASE,
)
#: a placeholder is short: a longer string is content, whatever it starts with
_PLACEHOLDER_MAX_CHARS = 200


# the marks a value left blank is written with: `...`, `---`, `?`, `"-"`, `***`, `()`
_FILLER_MARKS = frozenset(".\u2026-\u2013\u2014_?!'\"`,;:/()[]{}*~\u00b7")


def _no_content(text: str) -> bool:
    """Whether `text` is empty or only spaces, invisible characters and the marks a blank is
    written with (`""`, `"..."`, `"?"`); a symbol or sign is content (`"€"`, `"+"`, `"%"`,
    `"#"`, an emoji)."""
    return all(c.isspace() or c in _FILLER_MARKS or unicodedata.category(c)[0] == "C" for c in text)


def _holds_a_place(text: str, key: str, schema: dict[str, Any]) -> bool:
    """Whether `text`, the value of property `key`, only holds a place (see `_placeholders`)."""
    if len(text) > _PLACEHOLDER_MAX_CHARS or "enum" in schema or "const" in schema:
        return False
    said = text.strip().casefold()
    name = key.casefold()
    if _no_content(text) or said == name:
        return True
    if said in ("string", "str"):  # the type's name, unless the property names a type
        return not name.endswith(("type", "kind", "format"))
    return bool(_PLACEHOLDER.fullmatch(text)) and not _HTML_TAG.fullmatch(text.strip())


def _placeholders(value: Any, schema: Any) -> list[str]:
    """The paths of the required string properties of `value` (following the schema's
    `properties` and `items`) whose value only holds a place: a placeholder (`""`, `"..."`,
    `"<name>"`, `"TODO"`), the type's name (`"string"`) or the property's own name (`{"name":
    "name"}`). A value the property's `enum` or `const` allows is content. Iterative: any depth
    is safe."""
    found: list[str] = []
    stack: list[tuple[Any, Any, str]] = [(value, schema, "")]
    while stack and len(found) < 10:
        item, sub, path = stack.pop()
        if not isinstance(sub, dict):
            continue
        if isinstance(item, dict) and isinstance(sub.get("properties"), dict):
            required = sub.get("required") if isinstance(sub.get("required"), list) else []
            for key, child in sub["properties"].items():
                if key not in item:
                    continue
                where = f"{path}/{key}" if path else str(key)
                got = item[key]
                if (
                    key in required
                    and isinstance(got, str)
                    and isinstance(child, dict)
                    and _holds_a_place(got, str(key), child)
                ):
                    found.append(where)
                stack.append((got, child, where))
        elif isinstance(item, list) and isinstance(sub.get("items"), dict):
            stack.extend(
                (x, sub["items"], f"{path}/{i}" if path else str(i)) for i, x in enumerate(item)
            )
    return found


class JsonSchemaVerifier(Verifier):
    """Correct when the response contains JSON that validates against the schema.

    `schema` fixed at construction, or given per call as the reference when `schema` is None.
    With `expected` semantics (`match_reference=True`) the reference is the expected value and
    the JSON must also equal it. Validation errors name the failing path. Without an expected
    value, a required string property that only holds a place (`""`, `"..."`, `"string"`,
    `"<name>"`, its own name) is `incorrect`: valid JSON that does not do the task
    (`allow_placeholders=True` accepts it).
    """

    name = "json_schema"

    def __init__(
        self,
        schema: dict[str, Any] | None = None,
        match_reference: bool = False,
        allow_placeholders: bool = False,
    ) -> None:
        import jsonschema

        if schema is not None:
            jsonschema.validators.validator_for(schema).check_schema(schema)
        if match_reference and schema is None:
            raise ValueError("match_reference=True needs a fixed schema")
        self.schema = schema
        self.match_reference = match_reference
        self.allow_placeholders = allow_placeholders

    def verify(self, response: str, reference: Any = None, **context: Any) -> Verdict:
        import jsonschema

        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        schema = self.schema if self.schema is not None else reference
        if not isinstance(schema, dict):
            raise ValueError("JsonSchemaVerifier needs a schema (constructor or reference)")
        try:
            value = extract_json(response)
        except ValueError as exc:
            return Verdict.unparseable(str(exc))
        validator_cls = jsonschema.validators.validator_for(schema)
        # `format` is checked (a date must be a date), with the checkers installed; patterns
        # are matched under a time budget (a nested quantifier backtracks for minutes)
        validator = bounded(validator_cls)(schema, format_checker=validator_cls.FORMAT_CHECKER)
        budget = start_budget()
        try:
            errors = sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.path])
        except RecursionError:  # a recursive schema over deep input: not a value it accepts
            return Verdict.incorrect("JSON too deeply nested to validate")
        except PatternTimeout as exc:
            return Verdict.incorrect(
                f"a string took too long to match the schema's pattern {str(exc)[:100]!r}"
            )
        finally:
            reset_budget(budget)
        if errors:
            first = errors[0]
            path = "/".join(str(p) for p in first.path) or "(root)"
            return Verdict.incorrect(
                f"{len(errors)} schema error(s); at {path}: {first.message[:200]}"
            )
        if self.match_reference:
            if not same_json(value, reference):
                return Verdict.incorrect("valid JSON, but not the expected value")
        elif not self.allow_placeholders and (held := _placeholders(value, schema)):
            return Verdict.incorrect(
                f"placeholder instead of content at {', '.join(p[:50] for p in held[:3])}"
            )
        return Verdict.correct()

    def reference_response(self, reference: Any) -> str | None:
        if self.match_reference:
            return json.dumps(reference)
        return None
