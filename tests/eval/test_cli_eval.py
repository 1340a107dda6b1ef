"""`gymhub eval` end to end as a subprocess: suites, remote envs, resume, and the HTML report in
a real Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import require


def gymhub_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gymhub", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "250"},
    )


def test_suite_file_with_per_env_options_and_seeds(tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text(
        "name: mini\nseeds: 2\nsamples: 2\nk: [1, 2]\nenvs:\n"
        "  - gymhub/Capitals-v0\n"
        "  - {id: gymhub/GuessNumber-v0, options: {difficulty: 1}, seeds: [5, 6, 7]}\n"
    )
    out = gymhub_cli("eval", "--suite", str(suite), "--json", "-o", str(tmp_path / "r.jsonl"))
    assert out.returncode == 0, out.stderr
    envs = {e["env_id"]: e for e in json.loads(out.stdout)["envs"]}
    assert envs["gymhub/Capitals-v0"]["episodes"] == 4
    guess = envs["gymhub/GuessNumber-v0"]
    assert guess["episodes"] == 6 and set(guess["by_difficulty"]) == {"1"}
    assert guess["pass_at_k"] == {"pass@1": 1.0, "pass@2": 1.0}
    records = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert {r["seed"] for r in records if r["env_id"] == "gymhub/GuessNumber-v0"} == {5, 6, 7}
    assert all(r["run"]["suite"] == "mini" for r in records)


def test_resume_from_the_command_line_runs_only_missing_episodes(tmp_path):
    run = str(tmp_path / "run.jsonl")
    first = gymhub_cli("eval", "gymhub/Capitals-v0", "--seeds", "2", "-o", run, "--json")
    assert first.returncode == 0, first.stderr
    more = gymhub_cli("eval", "gymhub/Capitals-v0", "--seeds", "5", "-o", run, "--resume", "--json")
    assert more.returncode == 0, more.stderr
    lines = [json.loads(x) for x in open(run).read().splitlines()]
    assert sorted(r["seed"] for r in lines) == [0, 1, 2, 3, 4]
    assert json.loads(more.stdout)["episodes"] == 5


def test_remote_envs_through_gymhub_serve(tmp_path):
    from gymhub.server.background import ProcessServer

    ids = ["gymhub/Capitals-v0", "gymhub/GuessNumber-v0"]
    with ProcessServer(ids, args=["--allow-reference"]) as server:
        out = gymhub_cli("eval", *ids, "--server", server.url, "--seeds", "2", "--json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["failed"] == 0 and summary["episodes"] == 4
    assert all(e["pass_at_k"]["pass@1"] == 1.0 for e in summary["envs"])


def test_html_report_renders_in_chromium_and_matches_the_json_summary(tmp_path):
    from gymhub.envs.web.host import chromium_available

    require(chromium_available(), "Chromium and playwright")
    run, page_path = tmp_path / "run.jsonl", tmp_path / "report.html"
    out = gymhub_cli(
        "eval", "gymhub/Capitals-v0", "gymhub/GuessNumber-v0", "--seeds", "3", "--samples", "2",
        "--k", "1", "--k", "2", "-o", str(run), "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    summary = {e["env_id"]: e for e in json.loads(out.stdout)["envs"]}
    report = gymhub_cli("eval", "report", str(run), "--html", str(page_path))
    assert report.returncode == 0, report.stderr
    from playwright.sync_api import sync_playwright

    from gymhub.envs.web.host import CHROMIUM_ARGS, chromium_path

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page()
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_path.as_uri())
            rows = page.eval_on_selector_all(
                "#summary-table tr",
                "rows => rows.slice(1).map(r => [...r.cells].map(c => c.textContent))",
            )
            svgs = page.eval_on_selector_all("svg", "s => s.map(x => x.getBBox().width)")
            page.click("details summary")
            opened = page.eval_on_selector("details", "d => d.open")
        finally:
            browser.close()
    assert errors == []
    assert len(svgs) == 4 and all(w > 0 for w in svgs) and opened
    assert len(rows) == 2
    for env_id, scored, failed, reward, p1, p2 in rows:
        expected = summary[env_id]
        assert int(scored) == expected["scored"] and int(failed) == expected["failed"]
        assert float(reward) == round(expected["mean_reward"], 3)
        assert float(p1) == round(expected["pass_at_k"]["pass@1"], 3)
        assert float(p2) == round(expected["pass_at_k"]["pass@2"], 3)
