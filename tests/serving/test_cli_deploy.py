"""`gymhub serve` as a command, and the server image built offline (when Docker is available)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from gymhub.cli.serve import _docker_command
from gymhub.remote.env import RemoteEnv
from gymhub.server.background import wait_healthy
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gymhub_cli() -> list[str]:
    return [sys.executable, "-c", "from gymhub.cli import main; main()"]


@pytest.mark.slow
def test_gymhub_serve_command_serves_and_rejects_unknown_ids():
    port = _free_port()
    cmd = [
        *_gymhub_cli(),
        "serve",
        "gymhub/Capitals-v0",
        "--port",
        str(port),
        "--max-sessions",
        "2",
        "--max-websockets",
        "1",
        "--body-timeout",
        "5",
        "--write-timeout",
        "5",
    ]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, 60)
        health = httpx.get(f"{url}/health").json()
        assert health["envs"] == ["gymhub/Capitals-v0"] and health["max_sessions"] == 2
        env = RemoteEnv(url, "gymhub/Capitals-v0")
        obs, _ = env.reset(seed=0)
        assert "capital" in obs.text
        assert env.reference_action() is None  # not revealed without --allow-reference
        env.close()
        from websockets.exceptions import InvalidStatus
        from websockets.sync.client import connect

        with connect(f"ws://127.0.0.1:{port}/ws"):  # --max-websockets 1 reached the server
            with pytest.raises(InvalidStatus) as refused:
                connect(f"ws://127.0.0.1:{port}/ws")
            assert refused.value.response.status_code == 503
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    bad = subprocess.run(
        [*_gymhub_cli(), "serve", "gymhub/NoSuch-v0"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode != 0 and "unknown environment" in (bad.stdout + bad.stderr)
    bad = subprocess.run(
        [*_gymhub_cli(), "serve", "gymhub/Capitals-v0", "--max-websockets", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "max_websockets" in (bad.stdout + bad.stderr)


def test_docker_command_uses_host_network():
    cmd = _docker_command(["gymhub/Capitals-v0"], "img:1", "127.0.0.1", 9000, ["--workers", "4"])
    assert cmd[:6] == ["docker", "run", "--rm", "--init", "--network", "host"]
    assert cmd[6:9] == ["-e", "GYMHUB_TOKEN", "img:1"] and cmd[-2:] == ["--workers", "4"]
    assert not any("Bearer" in part for part in cmd)  # the token never goes on a command line
    assert ["--port", "9000"] == cmd[cmd.index("--port") : cmd.index("--port") + 2]


def _docker_ok() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0


@pytest.mark.slow
@pytest.mark.docker
def test_server_image_builds_offline_and_serves():
    require(_docker_ok(), "a running Docker engine")
    base = subprocess.run(
        ["docker", "image", "inspect", "gymhub-sandbox:latest"], capture_output=True, check=False
    )
    require(base.returncode == 0, "the sandbox base image (scripts/setup_sandboxes.sh)")
    build = subprocess.run(
        ["bash", str(ROOT / "deploy" / "build.sh"), "--if-missing"],
        capture_output=True,
        text=True,
        timeout=900,
        env={"PYTHON": sys.executable, "PATH": "/usr/local/bin:/usr/bin:/bin"},
    )
    assert build.returncode == 0, build.stderr[-2000:]
    port = _free_port()
    name = f"gymhub-server-test-{port}"
    cmd = _docker_command(["gymhub/GuessNumber-v0"], "gymhub-server:latest", "127.0.0.1", port, [])
    proc = subprocess.Popen([*cmd[:4], "--name", name, *cmd[4:]], stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, 120)
        env = RemoteEnv(url, "gymhub/GuessNumber-v0")
        obs, info = env.reset(seed=3)
        assert "integer" in obs.text and info["turn"] == 0
        env.step("1")
        env.close()
        user = subprocess.run(
            ["docker", "exec", name, "python3", "-c", "import os; print(os.getuid())"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert user.stdout.strip() == "65534"  # not root inside the container
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, check=False)
        proc.wait(timeout=60)
        time.sleep(0.1)
