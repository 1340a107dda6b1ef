"""`gymhub logic`: what each logic family's difficulty knob does (`calibrate`) and how many
distinct tasks its seeds give (`dedup`); `--markdown` prints the tables of docs/logic.md and
`--write FILE` replaces them there in place."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from gymhub.cli.common import fail

CALIBRATE_BEGIN = "<!-- BEGIN GENERATED: gymhub logic calibrate --write docs/logic.md -->"
CALIBRATE_END = "<!-- END GENERATED: calibrate -->"
DEDUP_BEGIN = "<!-- BEGIN GENERATED: gymhub logic dedup --write docs/logic.md -->"
DEDUP_END = "<!-- END GENERATED: dedup -->"

_FAMILIES = typer.Option(None, "--family", "-f", help="A family name; repeatable (default all).")


def _families(names: list[str] | None) -> list[str]:
    from gymhub.envs.logic import FAMILIES, discover_families

    discover_families()
    chosen = list(names or sorted(FAMILIES))
    unknown = [n for n in chosen if n not in FAMILIES]
    if unknown:
        fail(f"unknown logic families {unknown}; known: {', '.join(sorted(FAMILIES))}")
    return chosen


def _levels(text: str) -> list[int]:
    """'1-10', '1,5,10' or '3' as a list of difficulties."""
    try:
        if "-" in text:
            lo, hi = (int(p) for p in text.split("-", 1))
            levels = list(range(lo, hi + 1))
        else:
            levels = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        fail(f"--difficulties must look like 1-10 or 1,5,10, got {text!r}")
    if not levels or any(not 1 <= d <= 10 for d in levels):
        fail(f"--difficulties must be in 1..10, got {text!r}")
    return levels


def _write(path: Path, begin: str, end: str, body: str) -> None:
    from gymhub.envs.logic.calibrate import replace_section

    if not path.is_file():
        fail(f"--write {path}: no such file")
    path.write_text(replace_section(path.read_text(encoding="utf-8"), begin, end, body))
    print(f"updated {path}")


def calibrate_cmd(
    families: list[str] = _FAMILIES,
    seeds: int = typer.Option(5, min=1, max=100_000, help="Tasks per family and difficulty."),
    difficulties: str = typer.Option("1-10", help="Levels: 1-10 or 1,5,10."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the docs table."),
    as_json: bool = typer.Option(False, "--json"),
    write: Path = typer.Option(None, help="Replace the calibration table in this file."),
) -> None:
    """Per family and difficulty: solver effort, answer length and the success rate of the gold
    and of a weak baseline (another task's gold). Exit 1 if a family's effort is not monotone."""
    from gymhub.envs.logic import FAMILIES
    from gymhub.envs.logic.calibrate import calibrate, calibration_markdown, is_monotone

    names = _families(families)
    levels = _levels(difficulties)
    results = {n: calibrate(FAMILIES[n], seeds, levels) for n in names}
    if as_json:
        print(json.dumps({n: [s.as_dict() for s in r] for n, r in results.items()}, indent=1))
    elif markdown or write:
        body = (
            f"Measured with `gymhub logic calibrate --seeds {seeds}` (seeds 0..{seeds - 1} at "
            f"each difficulty).\n\n{calibration_markdown(results)}"
        )
        if write:
            _write(write, CALIBRATE_BEGIN, CALIBRATE_END, body)
        else:
            print(body)
    else:
        for name, stats in results.items():
            flag = "" if is_monotone(stats) else "  NOT MONOTONE"
            print(f"{name}{flag}")
            for s in stats:
                print(
                    f"  d{s.difficulty:<2} effort {s.effort:>12.1f}  answer {s.answer_chars:>7.1f}"
                    f" chars  gold {s.gold_rate:.2f}  baseline {s.baseline_rate:.2f}"
                    f"  gen {s.gen_ms:.1f} ms"
                )
    bad = [n for n, stats in results.items() if not is_monotone(stats) and len(levels) > 1]
    if bad:
        fail(f"effort is not monotone in difficulty for {bad}", code=1)


def dedup_cmd(
    families: list[str] = _FAMILIES,
    seeds: int = typer.Option(10_000, min=1, max=10_000_000, help="First seeds to compare."),
    difficulties: str = typer.Option("1-10", help="Levels: 1-10 or 1,5,10."),
    budget_s: float = typer.Option(
        None, "--budget-s", min=0.1, help="Stop a level early after this many seconds."
    ),
    markdown: bool = typer.Option(False, "--markdown", help="Print the docs table."),
    as_json: bool = typer.Option(False, "--json"),
    write: Path = typer.Option(None, help="Replace the dedup table in this file."),
) -> None:
    """Distinct questions among the first --seeds seeds of each family at each difficulty."""
    from gymhub.envs.logic import FAMILIES
    from gymhub.envs.logic.calibrate import dedup, dedup_markdown

    names = _families(families)
    levels = _levels(difficulties)
    results = {}
    for name in names:
        results[name] = [dedup(FAMILIES[name], d, seeds, budget_s) for d in levels]
        if not (as_json or markdown or write):
            cells = "  ".join(f"d{s.difficulty} {s.distinct}/{s.seeds}" for s in results[name])
            print(f"{name:<24} {cells}", flush=True)
    if as_json:
        data = {n: [{"difficulty": s.difficulty, "seeds": s.seeds, "distinct": s.distinct}
                    for s in r] for n, r in results.items()}  # fmt: skip
        print(json.dumps(data, indent=1))
    elif markdown or write:
        limit = f", at most {budget_s:g} s per level" if budget_s else ""
        body = (
            f"Measured with `gymhub logic dedup --seeds {seeds}` (distinct questions / seeds "
            f"generated{limit}).\n\n{dedup_markdown(results)}"
        )
        if write:
            _write(write, DEDUP_BEGIN, DEDUP_END, body)
        else:
            print(body)


def register(app: typer.Typer) -> None:
    logic_app = typer.Typer(help="Logic puzzles: difficulty calibration and task variety.")
    logic_app.command("calibrate")(calibrate_cmd)
    logic_app.command("dedup")(dedup_cmd)
    app.add_typer(logic_app, name="logic")
