"""Decontamination reads the training formats trainers use: a prompt stored under a field of
another name (Alpaca's `instruction`, ShareGPT's `conversations`) was not read at all, so a
contaminated training set was reported clean (exit 0, the CI gate passed)."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from gymhub.evaluation.decontaminate import env_prompts, jsonl_texts, overlap_report
from tests.eval.test_hardening import cli

ROWS = {
    "alpaca": lambda p: {"instruction": p, "input": "", "output": "42"},
    "sharegpt": lambda p: {"conversations": [{"from": "human", "value": p}, {"from": "gpt", "value": "42"}]},
    "query/response": lambda p: {"query": p, "response": "42"},
    "nested prompt under another key": lambda p: {"id": 7, "data": p},
    "bare chat list": lambda p: [{"role": "user", "content": p}],
}  # fmt: skip


@pytest.mark.parametrize("fmt", sorted(ROWS))
def test_a_prompt_in_any_training_format_is_found(tmp_path, fmt):
    prompts = env_prompts([("gymhub/MathGen-v0", None, range(3))])
    data = tmp_path / "train.jsonl"
    data.write_text(json.dumps(ROWS[fmt](prompts[1][2])) + "\n")
    (row,) = overlap_report(prompts, jsonl_texts(data), n=8)
    assert row.contaminated == 1 and row.examples == [1], fmt
    code, out = cli(
        "eval", "decontaminate", "gymhub/MathGen-v0", "--seeds", "3", "--n", "8",
        "--train", str(data), "--json",
    )  # fmt: skip
    assert code == 1 and json.loads(out[out.index("[") :])[0]["contaminated"] == 1, out


def test_named_fields_keep_the_first_that_holds_text(tmp_path):
    data = tmp_path / "train.jsonl"
    data.write_text(json.dumps({"question": "q words", "answer": "a words"}) + "\n")
    assert list(jsonl_texts(data, fields=("question",))) == ["q words"]
    assert list(jsonl_texts(data)) == ["q words\na words"]


@pytest.mark.parametrize("content", ['{"id": 1, "score": 0.5}\n', "[1, 2]\n", "\n"])
def test_a_training_file_with_no_text_is_an_error_not_a_clean_report(tmp_path, content):
    data = tmp_path / "train.jsonl"
    data.write_text(content)
    code, out = cli(
        "eval", "decontaminate", "gymhub/MathGen-v0", "--seeds", "2", "--train", str(data)
    )
    assert code == 2 and "no row holds any text" in out, (code, out)  # not 0, "clean"


def test_the_command_streams_the_training_file(tmp_path):
    """The command listed every training text in memory before comparing (the library had been
    made to stream; the command still read a large training set whole)."""
    data = tmp_path / "train.jsonl"
    with data.open("w") as handle:
        for row in range(3000):
            handle.write(json.dumps({"text": " ".join(f"w{row}x{i}" for i in range(300))}) + "\n")
    tracemalloc.start()
    try:
        code, out = cli(
            "eval", "decontaminate", "gymhub/MathGen-v0", "--seeds", "2", "--train", str(data)
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0, out
    assert data.stat().st_size > 7 * 1024 * 1024
    assert peak < 4 * 1024 * 1024, peak  # the texts held whole take over 7 MB


@pytest.mark.parametrize(
    "reformat",
    [
        lambda t: t.replace('"', "\u201c").replace("'", "\u2019").replace("-", "\u2013"),
        lambda t: t.replace(" ", "\u00a0"),  # no-break spaces
        lambda t: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t),  # full-width
        str.upper,
    ],
    ids=["smart quotes and dashes", "no-break spaces", "full-width", "upper case"],
)
def test_a_reformatted_copy_of_a_prompt_is_still_found(reformat):
    """A copy passed through a word processor (smart quotes, en dashes) or a full-width font
    shared no n-gram with the prompt it copies: reported clean."""
    prompt = 'A train leaves at 3-4 o\'clock and travels "fast" - how far does it go in 5 hours?'
    prompts = [("e", 0, prompt)]
    (row,) = overlap_report(prompts, [reformat(prompt)], n=8)
    assert row.contaminated == 1 and row.max_overlap == 1.0
    (clean,) = overlap_report(prompts, [reformat("an unrelated text " * 5)], n=8)
    assert clean.contaminated == 0
