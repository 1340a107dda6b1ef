"""JSON output: extract the JSON a model wrote and validate it against a JSON schema."""

from __future__ import annotations

import json
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.extract import extract_tagged, find_code_blocks, strip_think

MAX_JSON_CHARS = 200_000


def extract_json(response: str) -> Any:
    """The JSON value in a response (policy `json`): after the reasoning, the `<answer>` tag
    (several different ones are a hedge), in it or else the ```json (or untagged) fence (several
    different ones are a hedge), or the text from the first `{`/`[` to the last `}`/`]`, or the
    whole text. Raises ValueError when there is none."""
    text = strip_think(response)
    tagged = extract_tagged(text).candidates
    if len(tagged) > 1:
        raise ValueError(f"{len(tagged)} different <answer> tags (a hedge)")
    if tagged:
        text = tagged[0]
    fences = [
        code
        for lang, code in find_code_blocks(text[-MAX_JSON_CHARS * 2 :])
        if lang in (None, "json")
    ]
    if len({"".join(f.split()) for f in fences}) > 1:
        raise ValueError(f"{len(fences)} different JSON code blocks (a hedge)")
    candidates = fences[-1:]
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    if starts:
        start = min(starts)
        end = max(text.rfind("}"), text.rfind("]"))
        if end > start:
            candidates.append(text[start : end + 1])
    candidates.append(text)
    for candidate in candidates:
        candidate = candidate.strip()
        if not candidate or len(candidate) > MAX_JSON_CHARS:
            continue
        try:
            return json.loads(candidate)
        except (json.JSONDecodeError, RecursionError):
            continue
    raise ValueError("no valid JSON found")


class JsonSchemaVerifier(Verifier):
    """Correct when the response contains JSON that validates against the schema.

    `schema` fixed at construction, or given per call as the reference when `schema` is None.
    With `expected` semantics (`match_reference=True`) the reference is the expected value and
    the JSON must also equal it. Validation errors name the failing path.
    """

    name = "json_schema"

    def __init__(self, schema: dict[str, Any] | None = None, match_reference: bool = False) -> None:
        import jsonschema

        if schema is not None:
            jsonschema.validators.validator_for(schema).check_schema(schema)
        if match_reference and schema is None:
            raise ValueError("match_reference=True needs a fixed schema")
        self.schema = schema
        self.match_reference = match_reference

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
        errors = sorted(validator_cls(schema).iter_errors(value), key=lambda e: list(e.path))
        if errors:
            first = errors[0]
            path = "/".join(str(p) for p in first.path) or "(root)"
            return Verdict.incorrect(
                f"{len(errors)} schema error(s); at {path}: {first.message[:200]}"
            )
        if self.match_reference and value != reference:
            return Verdict.incorrect("valid JSON, but not the expected value")
        return Verdict.correct()

    def reference_response(self, reference: Any) -> str | None:
        if self.match_reference:
            return json.dumps(reference)
        return None
