"""gymhub's env server against OpenEnv's, on equivalent trivial echo environments.

Both servers run as child processes of this script (one process tree), with the same uvicorn
settings (one process, the asyncio loop, h11, uvicorn's default `websockets-sansio` WebSocket
implementation with per-message deflate). One client
process drives N concurrent sessions for a fixed time per level and records every step's latency.
Both are compared on their session transport, WebSocket (OpenEnv's HTTP /reset and /step are
stateless: a new env per request); gymhub is also measured through the client users call,
`RemoteEnv.astep`, over HTTP (`gymhub-remote`) and over WebSocket (`gymhub-remote-ws`).

Set-up (once; OpenEnv lives in its own virtualenv so it never touches the project's):

    python -m venv .bench-venv-server
    .bench-venv-server/bin/pip install 'openenv-core==0.3.0' websockets

Run:

    .venv/bin/python benchmarks/server.py [--seconds 5] [--levels 1,64,256] [--rounds 3]
        [--only-gymhub] [--token]

Each figure is the median over the rounds; the two servers run in alternating order.
BENCH_WORKERS sets the size of gymhub's worker pool (default 64, as `gymhub serve`).
`--only-gymhub` skips OpenEnv (no extra virtualenv needed); `--token` also runs a second gymhub
server that requires a bearer token, and prints its figures beside the open one's: the cost of
authentication on the hot path.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPENENV_PYTHON = ROOT / ".bench-venv-server" / "bin" / "python"
# uvicorn's default WebSocket implementation ("auto" picks websockets' sans-I/O protocol; the
# legacy "websockets" one is deprecated), named so both servers get the same one whatever the
# uvicorn version; per-message deflate stays on (uvicorn's default) for both.
UVICORN = {"log_level": "warning", "loop": "asyncio", "ws": "websockets-sansio", "http": "h11"}


# ----- the two servers (each mode runs in its own child process) ---------------------------------
def serve_gymhub(port: int) -> None:
    import uvicorn

    from gymhub.env import Env, StepResult
    from gymhub.registry import register
    from gymhub.server.app import create_app
    from gymhub.server.sessions import ServerConfig
    from gymhub.types import Message, Observation, Verdict

    class Echo(Env):
        def _reset(self, options):
            return Observation(messages=[Message(role="user", content="say something")])

        def _step(self, action):
            reply = Observation(messages=[Message(role="user", content=action.text)])
            return StepResult(reply, 1.0, False, Verdict.correct())

    register("bench/Echo-v0", Echo, family="bench")
    config = ServerConfig(max_sessions=4096, workers=int(os.environ.get("BENCH_WORKERS", "64")))
    if os.environ.get("BENCH_TOKEN"):
        config.token = os.environ["BENCH_TOKEN"]
    app = create_app(["bench/Echo-v0"], config)
    uvicorn.run(app, host="127.0.0.1", port=port, **UVICORN)


def serve_openenv(port: int) -> None:
    import uvicorn
    from openenv.core import Action, Environment, Observation, State, create_fastapi_app

    class EchoAction(Action):
        message: str

    class EchoObservation(Observation):
        echoed: str = ""

    class Echo(Environment):
        SUPPORTS_CONCURRENT_SESSIONS = True

        def __init__(self) -> None:
            super().__init__()
            self._state = State(episode_id="0", step_count=0)

        def reset(self, seed=None, episode_id=None, **kwargs):
            self._state = State(episode_id=episode_id or "0", step_count=0)
            return EchoObservation(echoed="say something", done=False, reward=0.0)

        def step(self, action, timeout_s=None, **kwargs):
            self._state.step_count += 1
            return EchoObservation(echoed=action.message, done=False, reward=1.0)

        @property
        def state(self) -> State:
            return self._state

    app = create_fastapi_app(Echo, EchoAction, EchoObservation, max_concurrent_envs=4096)
    uvicorn.run(app, host="127.0.0.1", port=port, **UVICORN)


# ----- the client ---------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BENCH_TOKEN = "bench-token-0123456789abcdef"


def _start(
    python: Path | str, mode: str, token: str | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BENCH_TOKEN")}
    if token:
        env["BENCH_TOKEN"] = token
    proc = subprocess.Popen([str(python), __file__, mode, str(port)], env=env)
    url = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{mode} server did not start")


class Protocol:
    """How one server's WebSocket session is opened and stepped."""

    def __init__(self, kind: str, token: str | None = None) -> None:
        self.kind = kind
        self.headers = {"Authorization": f"Bearer {token}"} if token else None

    async def open(self, ws) -> str | None:
        if self.kind == "gymhub":
            await ws.send(json.dumps({"id": 0, "op": "create", "env_id": "bench/Echo-v0"}))
            answer = json.loads(await ws.recv())
            assert answer["ok"], answer
            return answer["result"]["session_id"]
        await ws.send(json.dumps({"type": "reset", "data": {}}))
        answer = json.loads(await ws.recv())
        assert answer["type"] == "observation", answer
        return None

    def step_message(self, session_id: str | None, i: int) -> str:
        if self.kind == "gymhub":
            return json.dumps(
                {"id": i, "op": "step", "session_id": session_id, "action": f"hi {i}"}
            )
        return json.dumps({"type": "step", "data": {"message": f"hi {i}"}})

    def check(self, raw: str | bytes) -> None:
        answer = json.loads(raw)
        if self.kind == "gymhub":
            assert answer["ok"] and answer["result"]["reward"] == 1.0, answer
        else:
            assert answer["type"] == "observation" and answer["data"]["reward"] == 1.0, answer


async def _ws_level(url: str, protocol: Protocol, sessions: int, seconds: float) -> list[float]:
    import websockets

    latencies: list[float] = []
    ready = asyncio.Event()
    opened = 0
    stop_at = 0.0

    async def one() -> None:
        nonlocal opened
        async with websockets.connect(
            f"ws://{url}/ws",
            max_size=2**24,
            open_timeout=120,
            additional_headers=protocol.headers,
        ) as ws:
            session_id = await protocol.open(ws)
            opened += 1
            if opened == sessions:
                ready.set()
            await ready.wait()
            i = 0
            while time.perf_counter() < stop_at:
                i += 1
                start = time.perf_counter()
                await ws.send(protocol.step_message(session_id, i))
                protocol.check(await ws.recv())
                latencies.append(time.perf_counter() - start)

    stop_at = time.perf_counter() + 3600
    tasks = [asyncio.create_task(one()) for _ in range(sessions)]
    await ready.wait()
    stop_at = time.perf_counter() + seconds
    await asyncio.gather(*tasks)
    return latencies


async def _remote_env_level(
    url: str, sessions: int, seconds: float, transport: str = "http", token: str | None = None
) -> list[float]:
    """gymhub's server as users drive it: `RemoteEnv.astep`, many sessions at once, over the
    shared async HTTP connection pool or the loop's shared WebSockets."""
    from gymhub.client import RemoteEnv

    extra = {"token": token} if token else {}
    envs = [
        RemoteEnv(f"http://{url}", "bench/Echo-v0", transport=transport, **extra)
        for _ in range(sessions)
    ]
    await asyncio.gather(*(env.areset(seed=i) for i, env in enumerate(envs)))
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def one(env: RemoteEnv) -> None:
        i = 0
        while time.perf_counter() < stop_at:
            i += 1
            start = time.perf_counter()
            _, reward, _, _, _ = await env.astep(f"hi {i}")
            assert reward == 1.0
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(one(env) for env in envs))
    for env in envs:
        env.close()
    return latencies


def _summary(latencies: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "steps_per_s": len(ordered) / seconds,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per level")
    parser.add_argument("--levels", default="1,64,256", help="concurrent sessions per level")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per level (median kept)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--only-gymhub", action="store_true", help="skip OpenEnv")
    parser.add_argument(
        "--token", action="store_true", help="also measure a gymhub server requiring a token"
    )
    args = parser.parse_args()
    with_openenv = not args.only_gymhub
    if with_openenv and not OPENENV_PYTHON.exists():
        sys.exit(f"OpenEnv's virtualenv is missing; see the set-up in {__file__}'s docstring")
    levels = [int(x) for x in args.levels.split(",")]
    procs = []
    gym_proc, gym_url = _start(sys.executable, "--serve-gymhub")
    procs.append(gym_proc)
    # (name, url, ws protocol kind or None for RemoteEnv, RemoteEnv transport, token)
    runs: list[tuple[str, str, str | None, str, str | None]] = [
        ("gymhub-ws", gym_url, "gymhub", "", None)
    ]
    if with_openenv:
        oe_proc, oe_url = _start(OPENENV_PYTHON, "--serve-openenv")
        procs.append(oe_proc)
        runs.append(("openenv-ws", oe_url, "openenv", "", None))
    remote = [
        ("gymhub-remote", gym_url, None, "http", None),
        ("gymhub-remote-ws", gym_url, None, "ws", None),
    ]
    if args.token:
        auth_proc, auth_url = _start(sys.executable, "--serve-gymhub", BENCH_TOKEN)
        procs.append(auth_proc)
        runs.append(("gymhub-ws+token", auth_url, "gymhub", "", BENCH_TOKEN))
        remote += [
            ("gymhub-remote+token", auth_url, None, "http", BENCH_TOKEN),
            ("gymhub-remote-ws+token", auth_url, None, "ws", BENCH_TOKEN),
        ]
    results: dict[str, dict[int, dict[str, float]]] = {name: {} for name, *_ in runs + remote}
    try:
        for n in levels:
            rounds: dict[str, list[dict[str, float]]] = {name: [] for name in results}
            for r in range(args.rounds):
                # alternate the order so neither server always runs on a warmer machine
                for name, url, kind, _, token in runs if r % 2 == 0 else runs[::-1]:
                    assert kind is not None
                    lat = asyncio.run(_ws_level(url, Protocol(kind, token), n, args.seconds))
                    rounds[name].append(_summary(lat, args.seconds))
                for name, url, _, transport, token in remote:
                    lat = asyncio.run(_remote_env_level(url, n, args.seconds, transport, token))
                    rounds[name].append(_summary(lat, args.seconds))
            for name, summaries in rounds.items():
                results[name][n] = {
                    key: statistics.median(x[key] for x in summaries) for key in summaries[0]
                }
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"{'server':<16} {'sessions':>8} {'steps/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, by_level in results.items():
        for n, r in by_level.items():
            print(
                f"{name:<16} {n:>8} {r['steps_per_s']:>9.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}"
            )
    pairs = [("gymhub-ws", "openenv-ws")] if with_openenv else []
    if args.token:
        pairs += [(f"{n}+token", n) for n in ("gymhub-ws", "gymhub-remote", "gymhub-remote-ws")]
    for new, base in pairs:
        print(f"\nratios {new} / {base} (throughput: higher is better; p99: lower is better)")
        for n in levels:
            g, o = results[new][n], results[base][n]
            print(
                f"  {n:>4} sessions: throughput x{g['steps_per_s'] / o['steps_per_s']:.2f}, "
                f"p99 x{g['p99_ms'] / o['p99_ms']:.2f}"
            )
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve-gymhub":
        serve_gymhub(int(sys.argv[2]))
    elif len(sys.argv) == 3 and sys.argv[1] == "--serve-openenv":
        serve_openenv(int(sys.argv[2]))
    else:
        main()
