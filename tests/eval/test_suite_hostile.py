"""Suite files that would hang or crash the loader are refused with a clear error."""

from __future__ import annotations

import time

import pytest

from gymhub.evaluation.suites import SuiteError, load_suite


def test_aliases_of_aliases_are_refused_not_expanded_forever(tmp_path):
    """Nine levels of ten YAML aliases each are a billion values: reading the suite hung."""
    lines = ["name: bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines += ["seeds: 2", "envs:", "  - id: gymhub/Capitals-v0", "    options: {junk: *a8}"]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    start = time.monotonic()
    with pytest.raises(SuiteError, match="expands to more than"):
        load_suite(path)
    assert time.monotonic() - start < 20


def test_nesting_deeper_than_yaml_can_read_is_a_suite_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("name: d\nenvs: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(SuiteError, match="nests deeper"):
        load_suite(path)


def test_an_alias_shared_by_a_few_entries_still_loads(tmp_path):
    path = tmp_path / "shared.yaml"
    path.write_text(
        "name: s\nseeds: 2\nenvs:\n"
        "  - {id: gymhub/MathGen-v0, options: &opts {difficulty: 2}}\n"
        "  - {id: gymhub/MathGen-v0, options: *opts, seeds: [5, 6]}\n"
    )
    suite = load_suite(path)
    assert [e.options for e in suite.envs] == [{"difficulty": 2}, {"difficulty": 2}]
