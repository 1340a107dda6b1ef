"""Web env figures: reset latency, steps per second and memory per concurrent episode, for 1 and
8 concurrent episodes, against a raw-Playwright baseline run in the same process and browser.

    python benchmarks/web.py [--episodes 40] [--task EnterText] [--json]

The row "1 fresh" makes a new browser context for every episode (`recycle_after=1`) instead of
wiping and reusing the env's context.

Baseline: one `page.goto` of the same task page plus the same tree extraction, with no env layer
(no task generation, site registration, context wiping or observation building). The ratio says
what the env layer costs on top of the browser's own work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import threading
import time
from pathlib import Path

import gymhub
from gymhub.envs.web.dom import EXTRACT_JS
from gymhub.envs.web.env import BrowserEnv
from gymhub.envs.web.host import BrowserHost
from gymhub.envs.web.tasks import TASKS


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            out.setdefault(ppid, []).append(int(entry.name))
    return out


def browser_pss_mb() -> float:
    """Proportional set size of every process below this one (Chromium and its driver)."""
    tree, todo, total = _children(), [os.getpid()], 0
    while todo:
        for pid in tree.get(todo.pop(), []):
            todo.append(pid)
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
            except OSError:
                pass
    return total / 1024


def self_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_episodes(
    env: BrowserEnv, seeds: list[int], resets: list[float], steps: list[float]
) -> None:
    for seed in seeds:
        t = time.perf_counter()
        env.reset(seed=seed)
        resets.append(time.perf_counter() - t)
        done = False
        while not done:
            action = env.reference_action()
            t = time.perf_counter()
            _, _, terminated, truncated, _ = env.step(action)
            steps.append(time.perf_counter() - t)
            done = terminated or truncated


def concurrent(task: str, n: int, episodes: int, **env_kwargs: object) -> dict[str, float]:
    envs = [gymhub.make(f"gymhub/Web-{task}-v0", **env_kwargs) for _ in range(n)]
    for i, env in enumerate(envs):
        env.reset(seed=10_000 + i)  # warm: every env holds its context
    pss_before = browser_pss_mb()
    resets: list[float] = []
    steps: list[float] = []
    per = max(1, episodes // n)
    threads = [
        threading.Thread(
            target=run_episodes, args=(env, list(range(i * per, (i + 1) * per)), resets, steps)
        )
        for i, env in enumerate(envs)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    pss = browser_pss_mb()
    for env in envs:
        env.close()
    return {
        "episodes": per * n,
        "reset_ms_median": 1000 * statistics.median(resets),
        "reset_ms_p90": 1000 * sorted(resets)[int(0.9 * (len(resets) - 1))],
        "step_ms_median": 1000 * statistics.median(steps),
        "steps_per_s": len(steps) / wall,
        "episodes_per_s": per * n / wall,
        "browser_pss_mb": max(pss, pss_before),
    }


def baseline(host: BrowserHost, task: str, reps: int) -> float:
    """Median ms of goto + tree extraction of the task page, in a plain page of the host."""
    site = host.server.add_site(TASKS[task](random.Random(0), 1))
    url = host.server.origin + site.prefix

    async def once(page) -> None:
        await page.goto(url, wait_until="load")
        await page.evaluate(EXTRACT_JS)

    slot = host.run(host.acquire_slot())
    slot.allowed_prefix = url  # contexts refuse requests outside the episode's site
    for _ in range(3):  # warm-up
        host.run(once(slot.page))
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        host.run(once(slot.page))
        times.append(time.perf_counter() - t)
    host.run(host.release_slot(slot))
    host.server.remove_site(site)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=40)
    parser.add_argument("--task", default="EnterText", choices=sorted(TASKS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    host = BrowserHost.acquire()  # one browser for the whole run (started outside the timings)
    try:
        base_ms = baseline(host, args.task, max(10, args.episodes // 2))
        idle_pss = browser_pss_mb()
        one = concurrent(args.task, 1, args.episodes)
        eight = concurrent(args.task, 8, args.episodes)
        fresh = concurrent(args.task, 1, args.episodes, recycle_after=1)
    finally:
        host.release()
    per_episode_mb = (eight["browser_pss_mb"] - idle_pss) / 8
    result = {
        "task": args.task,
        "cpus": os.cpu_count(),
        "baseline_goto_extract_ms": base_ms,
        "one": one,
        "eight": eight,
        "fresh_context_each_episode": fresh,
        "reset_vs_baseline": one["reset_ms_median"] / base_ms,
        "fresh_context_reset_vs_reused": fresh["reset_ms_median"] / one["reset_ms_median"],
        "throughput_8_vs_1": eight["steps_per_s"] / one["steps_per_s"],
        "browser_mb_per_concurrent_episode": per_episode_mb,
        "hub_rss_mb": self_rss_mb(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"task {args.task}, {os.cpu_count()} CPUs, {args.episodes} episodes per setting")
    print(f"baseline (raw goto + tree extraction): {base_ms:.0f} ms")
    print(
        f"{'concurrent':>10} {'reset med':>10} {'reset p90':>10} {'step med':>9} "
        f"{'steps/s':>8} {'episodes/s':>10} {'browser PSS':>11}"
    )
    for n, r in (("1", one), ("8", eight), ("1 fresh", fresh)):
        print(
            f"{n:>10} {r['reset_ms_median']:>8.0f}ms {r['reset_ms_p90']:>8.0f}ms "
            f"{r['step_ms_median']:>7.0f}ms {r['steps_per_s']:>8.1f} {r['episodes_per_s']:>10.2f} "
            f"{r['browser_pss_mb']:>9.0f}MB"
        )
    print(
        "reset with a fresh context per episode vs the env's wiped, reused one: "
        f"{result['fresh_context_reset_vs_reused']:.2f}x"
    )
    print(
        f"reset / baseline: {result['reset_vs_baseline']:.2f}x; "
        f"throughput 8 vs 1 concurrent: {result['throughput_8_vs_1']:.2f}x"
    )
    print(
        f"browser memory per concurrent episode: {per_episode_mb:.0f} MB (PSS); "
        f"hub process RSS {result['hub_rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
