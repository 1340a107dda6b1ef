"""A server stopped with SIGTERM still cleans up: uvicorn re-raises the signal after its graceful
shutdown, which under the default handler killed the process before any atexit handler ran and
left warm sandbox containers behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import httpx

from gymhub.server.background import ProcessServer, wait_healthy
from tests.conftest import require

_SERVER = textwrap.dedent(
    """
    import atexit, sys
    import uvicorn
    from fastapi import FastAPI
    from gymhub.shutdown import exit_cleanly_on_sigterm

    marker, port = sys.argv[1], int(sys.argv[2])
    atexit.register(lambda: open(marker, "w").write("cleaned up"))
    app = FastAPI()

    @app.get("/health")
    def health():
        return {"status": "ok"}

    exit_cleanly_on_sigterm()
    try:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
    finally:
        open(marker + ".finally", "w").write("ran")
    """
)


def test_sigterm_runs_atexit_and_finally_after_uvicorn_shuts_down(tmp_path):
    from gymhub.server.background import _bind

    sock = _bind("127.0.0.1")
    port = sock.getsockname()[1]
    sock.close()
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(marker), str(port)])
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 128 + signal.SIGTERM
    finally:
        proc.kill()
    assert marker.read_text() == "cleaned up"
    assert (tmp_path / "marker.finally").read_text() == "ran"


def _containers() -> set[str]:
    out = subprocess.run(
        ["docker", "ps", "-aq", "--no-trunc", "--filter", "label=gymhub.sandbox"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return set(out.stdout.split())


def test_stopped_server_leaves_no_sandbox_container():
    from gymhub.sandboxes.docker_pool import docker_available

    require(docker_available(), "a Docker engine with the gymhub-sandbox image")
    before = _containers()
    env = {"GYMHUB_SANDBOX": "docker"}
    with ProcessServer(["gymhub/Code-v0"], args=["--allow-reference"], env=env) as srv:
        client = httpx.Client(base_url=srv.url, timeout=120)
        sid = client.post("/sessions", json={"env_id": "gymhub/Code-v0", "seed": 0}).json()[
            "session_id"
        ]
        action = client.get(f"/sessions/{sid}/reference").json()["action"]
        assert client.post(f"/sessions/{sid}/step", json={"action": action}).json()["reward"] == 1
        started = _containers() - before
        assert started, "the server ran the code in a pooled Docker container"
    deadline = time.monotonic() + 30
    while _containers() & started and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not (_containers() & started), "containers outlived the server"
