"""Named evaluation suites: a YAML file listing envs, their reset options, seeds and samples.

`load_suite("math")` reads the suite shipped beside this module (`math.yaml`); any other value is
read as a path. Format (every key but `envs` optional)::

    name: math
    description: what it measures
    seeds: {reserved: 20}   # the first 20 reserved evaluation seeds; or {start, count},
                            # a count (0..N-1) or a list of seeds
    samples: 1
    k: [1]
    envs:
      - gymhub/Math-v0                    # an id, or a mapping:
      - {id: gymhub/MathGen-v0, options: {difficulty: 3}, seeds: [1, 2, 3]}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gymhub.errors import GymhubError

HERE = Path(__file__).resolve().parent

# Seeds from here up are reserved for evaluation: the trainer draws its prompt seeds below it
# (tested), so a suite on reserved seeds never scores a task the policy was trained on.
EVAL_SEED_START = 2**31
#: the largest seed (a signed 64-bit integer, as the server takes) and the most seeds of a list
MAX_SEED = 2**63 - 1
MAX_SEEDS = 1_000_000


class SuiteError(GymhubError, ValueError):
    """A suite file is missing or malformed."""


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an int, got {value!r}")
    return value


def _seed_list(value: Any) -> list[int]:
    """The seeds a suite names, checked before a list is built: a count past MAX_SEEDS (a typo's
    10000000000) would fill memory, a seed past MAX_SEED no server takes."""
    seeds = _seeds_named(value)
    if max(seeds) > MAX_SEED:
        raise ValueError(f"seeds must be <= {MAX_SEED}, got {max(seeds)}")
    return seeds


def _count(count: int) -> int:
    if count > MAX_SEEDS:
        raise ValueError(f"a suite names at most {MAX_SEEDS:,} seeds, got {count:,}")
    return count


def _seeds_named(value: Any) -> list[int]:
    if isinstance(value, bool):
        raise ValueError("seeds must be a count, a list or {start, count}")
    if isinstance(value, int):
        if value < 1:
            raise ValueError(f"seeds must be >= 1, got {value}")
        return list(range(_count(value)))
    if isinstance(value, dict) and set(value) == {"reserved"}:
        count = value["reserved"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError("seeds: {reserved: N} needs a count N >= 1")
        return list(range(EVAL_SEED_START, EVAL_SEED_START + _count(count)))
    if isinstance(value, dict):
        extra = set(value) - {"start", "count"}
        if extra or "count" not in value:
            raise ValueError("seeds as a mapping is {reserved: N} or {start: S, count: N}")
        start = _int(value.get("start", 0), "seeds start")
        count = _int(value["count"], "seeds count")
        if count < 1 or start < 0:
            raise ValueError("seeds needs count >= 1 and start >= 0")
        if start + count - 1 > MAX_SEED:
            raise ValueError(f"seeds must be <= {MAX_SEED}, got {start + count - 1}")
        return list(range(start, start + _count(count)))
    if isinstance(value, list) and value:
        seeds = [_int(s, "each seed") for s in value[: _count(len(value))]]
        if min(seeds) < 0:
            raise ValueError(f"seeds must be >= 0, got {min(seeds)}")
        return seeds
    raise ValueError("seeds must be a count, a non-empty list of ints or {start, count}")


class SuiteEnv(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    options: dict[str, Any] = Field(default_factory=dict)
    seeds: list[int] | None = None

    @field_validator("seeds", mode="before")
    @classmethod
    def _seeds(cls, value: Any) -> list[int] | None:
        return None if value is None else _seed_list(value)


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    seeds: list[int] = Field(default_factory=lambda: list(range(10)))
    samples: int = Field(1, ge=1)
    k: list[int] = Field(default_factory=lambda: [1])
    envs: list[SuiteEnv]

    @field_validator("seeds", mode="before")
    @classmethod
    def _seeds(cls, value: Any) -> list[int]:
        return _seed_list(value)

    @field_validator("envs", mode="before")
    @classmethod
    def _envs(cls, value: Any) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise ValueError("envs must be a non-empty list of ids or {id, options, seeds}")
        return [{"id": v} if isinstance(v, str) else v for v in value]


#: values a suite may hold once its YAML aliases are expanded (its seeds and some room for envs
#: and options): nine levels of ten aliases each are a billion values, which validating the
#: suite (or keying its jobs) spent forever expanding
MAX_SUITE_VALUES = MAX_SEEDS + 100_000


def _within_size(data: Any) -> bool:
    """Whether `data`, aliases expanded, holds at most `MAX_SUITE_VALUES` values (an iterative
    walk that stops at the budget, so it is cheap on any input)."""
    budget = MAX_SUITE_VALUES
    stack = [data]
    while stack:
        item = stack.pop()
        budget -= 1
        if budget < 0:
            return False
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def available_suites() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.yaml"))


def load_suite(name_or_path: str | Path) -> Suite:
    """A shipped suite by name, or a suite file by path; errors name the problem."""
    import yaml

    path = HERE / f"{name_or_path}.yaml"
    if not path.is_file():
        path = Path(name_or_path)
    if not path.is_file():
        raise SuiteError(
            f"no suite {str(name_or_path)!r}: not a shipped suite "
            f"({', '.join(available_suites())}) and not a file"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SuiteError(f"suite {str(path)!r} is not UTF-8 text: {exc}") from exc
    except OSError as exc:
        raise SuiteError(f"cannot read suite {str(path)!r}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SuiteError(f"suite {str(path)!r} is not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise SuiteError(f"suite {str(path)!r} nests deeper than YAML can be read") from exc
    if not _within_size(data):
        raise SuiteError(
            f"suite {str(path)!r} expands to more than {MAX_SUITE_VALUES:,} values (aliases "
            "of aliases?); a suite names envs, options and seeds"
        )
    if not isinstance(data, dict):
        raise SuiteError(f"suite {str(path)!r} must be a mapping")
    data.setdefault("name", path.stem)
    try:
        return Suite.model_validate(data)
    except ValueError as exc:
        raise SuiteError(f"suite {str(path)!r}: {exc}") from exc
