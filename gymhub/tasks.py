"""Task sources: datasets and generators that yield tasks deterministically from (seed, index).

The same `(env id, version, seed)` must always give the same episode, on any machine, so every
random choice here derives from a stable hash of its inputs (never Python's salted `hash`).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from gymhub.errors import GymhubError, InvalidOptionsError
from gymhub.tools import about_digits
from gymhub.types import Task


def check_difficulty(
    value: Any, difficulty_range: tuple[int, int], *, what: str = "difficulty"
) -> int:
    """The one rule for difficulties: an integer (3.0 counts as 3) inside the env's range, which
    its spec declares (`register(..., difficulty_range=(lo, hi))`). Anything else raises
    InvalidOptionsError saying what was wrong."""
    lo, hi = difficulty_range
    if not is_finite_number(value):
        raise InvalidOptionsError(f"{what} must be a finite number, got {shown_number(value)}")
    if int(value) != value or not lo <= value <= hi:
        raise InvalidOptionsError(
            f"{what} {shown_number(value)} is outside the range: an integer in {lo:g}..{hi:g}"
        )
    return int(value)


def is_finite_number(value: Any) -> bool:
    """An int (any size: `math.isfinite` raises OverflowError on one past a float's range) or a
    finite float; a bool is not a number here."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def shown_number(value: Any, limit: int = 40) -> str:
    """`repr(value)` cut to `limit` characters, for error messages: an int of 5,000 digits has
    no repr at all (Python's digit limit raises ValueError) and a long one floods the message."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of about {about_digits(value)} digits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def derive_seed(*parts: Any) -> int:
    """A stable 64-bit seed from any JSON-able parts (same on every machine and Python run)."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).digest()
    return int.from_bytes(digest[:8], "big")


@runtime_checkable
class TaskSource(Protocol):
    """Anything that yields the task for `(seed, index)`; `difficulty` may be ignored."""

    def get(self, seed: int, index: int, difficulty: float | None = None) -> Task: ...


class ListSource:
    """Tasks held in memory; the order is a seeded permutation, so each seed sees its own order."""

    def __init__(self, tasks: Iterable[Task | Mapping[str, Any]], name: str = "list") -> None:
        self.tasks = [t if isinstance(t, Task) else Task.model_validate(dict(t)) for t in tasks]
        if not self.tasks:
            raise GymhubError(f"task source {name!r} is empty")
        for i, task in enumerate(self.tasks):
            if not task.id:
                task.id = f"{name}-{i}"
        self.name = name
        self._orders: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self.tasks)

    def _order(self, seed: int) -> list[int]:
        order = self._orders.get(seed)
        if order is None:
            order = list(range(len(self.tasks)))
            random.Random(derive_seed("order", self.name, seed)).shuffle(order)
            if len(self._orders) > 64:
                self._orders.clear()
            self._orders[seed] = order
        return order

    def get(self, seed: int, index: int, difficulty: float | None = None) -> Task:
        order = self._order(seed)
        return self.tasks[order[index % len(order)]].model_copy(deep=True)


def _map_record(
    record: Mapping[str, Any], columns: Mapping[str, str] | None, n: int, name: str
) -> Task:
    columns = dict(columns or {})
    q_key = columns.get("question", "question")
    a_key = columns.get("answer", "answer")
    id_key = columns.get("id", "id")
    if q_key not in record:
        raise GymhubError(
            f"record {n} of {name} has no {q_key!r} field (fields: {sorted(record)}); "
            "pass columns={'question': ..., 'answer': ...} to map yours"
        )
    used = {q_key, a_key, id_key}
    metadata = (
        dict(record.get("metadata") or {}) if isinstance(record.get("metadata"), Mapping) else {}
    )
    metadata.update({k: v for k, v in record.items() if k not in used and k != "metadata"})
    return Task(
        id=str(record.get(id_key, f"{name}-{n}")),
        question=str(record[q_key]),
        answer=record.get(a_key),
        metadata=metadata,
    )


def iter_jsonl(
    path: str | Path,
    *,
    what: str = "task file",
    on_error: Callable[[GymhubError], None] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """`(line number, object)` for each non-blank line of a JSONL file. A line that is not a
    JSON object raises GymhubError naming `path:line`, or goes to `on_error` when given."""
    path = Path(path)
    if not path.is_file():
        raise GymhubError(f"{what} {str(path)!r} does not exist")
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                error = GymhubError(f"{path}:{lineno}: not valid JSON ({exc.msg})")
            else:
                if isinstance(record, dict):
                    yield lineno, record
                    continue
                error = GymhubError(f"{path}:{lineno}: each line must be a JSON object")
            if on_error is None:
                raise error
            on_error(error)


class JsonlSource(ListSource):
    """A JSONL file, one task per line (`question`, `answer`, optional `id` and `metadata`;
    other field names map through `columns`)."""

    def __init__(self, path: str | Path, columns: Mapping[str, str] | None = None) -> None:
        path = Path(path)
        records = [
            _map_record(record, columns, lineno, path.stem) for lineno, record in iter_jsonl(path)
        ]
        super().__init__(records, name=path.stem)
        self.path = path


class HFSource(ListSource):
    """A Hugging Face `datasets` dataset (imported lazily; needs `pip install datasets`)."""

    def __init__(
        self,
        name: str,
        split: str = "train",
        columns: Mapping[str, str] | None = None,
        config: str | None = None,
        limit: int | None = None,
    ) -> None:
        try:
            import datasets
        except ImportError as exc:
            raise GymhubError(
                "HFSource needs the `datasets` package: pip install datasets"
            ) from exc
        data = datasets.load_dataset(name, config, split=split)
        rows = data if limit is None else data.select(range(min(limit, len(data))))
        super().__init__(
            [_map_record(r, columns, i, name) for i, r in enumerate(rows)],
            name=name.replace("/", "_"),
        )


GenerateFn = Callable[[random.Random, float], Task]


class GeneratorSource:
    """Unlimited tasks from `generate(rng, difficulty) -> Task`, each drawn with an rng seeded
    from `(name, seed, index, difficulty)`.

    A registered env states its difficulty range once, in `register(...)`, and the env checks it
    (see `check_difficulty`); `difficulty_range` here is only for a source used on its own."""

    def __init__(
        self,
        generate: GenerateFn,
        name: str,
        default_difficulty: float = 1,
        difficulty_range: tuple[int, int] | None = None,
    ) -> None:
        self.generate = generate
        self.name = name
        self.default_difficulty = default_difficulty
        self.difficulty_range = difficulty_range

    def get(self, seed: int, index: int, difficulty: float | None = None) -> Task:
        d = self.default_difficulty if difficulty is None else difficulty
        if self.difficulty_range is not None:
            d = check_difficulty(d, self.difficulty_range, what=f"{self.name}'s difficulty")
        rng = random.Random(derive_seed(self.name, seed, index, d))
        task = self.generate(rng, d)
        if not task.id:
            task.id = f"{self.name}-s{seed}-i{index}-d{d:g}"
        task.metadata.setdefault("difficulty", d)
        return task
