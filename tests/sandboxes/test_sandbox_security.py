"""Escape and abuse attempts against the isolating backends (bwrap, docker). Every attempt must
be contained; the hub process and the host must not notice. In CI (CI=true) a missing
bubblewrap or Docker engine fails these tests instead of skipping them."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from pathlib import Path

import pytest

from gymhub.sandboxes import ExecRequest
from gymhub.sandboxes.bwrap import BwrapSandbox
from tests.sandboxes.conftest import make_backend

REPO = Path(__file__).resolve().parents[2]


def py(code: str, **kw) -> ExecRequest:
    kw.setdefault("timeout_s", 10)
    return ExecRequest(command=["python3", "-I", "main.py"], files={"main.py": code}, **kw)


@pytest.fixture(scope="module")
def host_server():
    """A TCP server on the host's loopback; the sandbox must not reach it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    hits = []

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            hits.append(1)
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1], hits
    server.close()


def test_no_network_loopback_or_outside(isolating, host_server):
    port, hits = host_server
    code = f"""
import socket
for host, p in (("127.0.0.1", {port}), ("1.1.1.1", 53), ("8.8.8.8", 443)):
    try:
        socket.create_connection((host, p), timeout=2).close()
        print("CONNECTED", host)
    except OSError as exc:
        print("blocked", host, type(exc).__name__)
try:
    socket.getaddrinfo("pypi.org", 443)
    print("RESOLVED")
except OSError:
    print("no dns")
"""
    r = isolating.run(py(code, timeout_s=20))
    assert r.status == "ok", r
    assert "CONNECTED" not in r.stdout and "RESOLVED" not in r.stdout
    assert not hits


def test_cannot_read_host_files(isolating, tmp_path):
    secret = tmp_path / "host-secret.txt"
    secret.write_text("top-secret-host-data")
    code = f"""
import os
paths = [{str(secret)!r}, {str(REPO / "pyproject.toml")!r}, "/root", "/home", "/etc/shadow", "/etc/passwd",
         "/var/run/docker.sock", "/run/docker.sock", {str(Path.home())!r}]
for p in paths:
    try:
        if os.path.isdir(p):
            print("LISTED", p, os.listdir(p))
        else:
            print("READ", p, open(p).read()[:100])
    except OSError as exc:
        print("denied", p, type(exc).__name__)
"""
    r = isolating.run(py(code))
    assert r.status == "ok", r
    assert "top-secret-host-data" not in r.stdout
    assert "READ " + str(REPO) not in r.stdout
    assert "docker.sock" not in r.stdout.replace("denied /var/run/docker.sock", "").replace(
        "denied /run/docker.sock", ""
    )
    for line in r.stdout.splitlines():
        if line.startswith("LISTED"):
            assert line.endswith("[]"), line  # an empty mount point at most


def test_cannot_write_host_files(isolating, tmp_path):
    target = tmp_path / "written-by-sandbox"
    code = f"""
for p in [{str(target)!r}, "/usr/bin/evil", "/etc/evil", "/evil", {str(REPO / "evil.txt")!r}]:
    try:
        open(p, "w").write("x")
        print("WROTE", p)
    except OSError as exc:
        print("denied", p, type(exc).__name__)
"""
    r = isolating.run(py(code))
    assert r.status == "ok", r
    assert not target.exists() and not (REPO / "evil.txt").exists()
    assert not Path("/usr/bin/evil").exists() and not Path("/etc/evil").exists()
    # writes inside the sandbox's own root (if any) vanish with it; /usr and /etc stay read-only
    assert "WROTE /usr/bin/evil" not in r.stdout and "WROTE /etc/evil" not in r.stdout


def test_cannot_see_host_processes(isolating):
    code = """
import os
pids = [p for p in os.listdir("/proc") if p.isdigit()]
names = []
for p in pids:
    try:
        names.append(open(f"/proc/{p}/cmdline", "rb").read().replace(b"\\0", b" ").decode())
    except OSError:
        pass
print(len(pids))
print(names)
"""
    r = isolating.run(py(code))
    assert r.status == "ok", r
    count = int(r.stdout.splitlines()[0])
    assert count < 12, r.stdout
    assert "pytest" not in r.stdout and "dockerd" not in r.stdout


def test_killing_the_parent_does_not_hurt_the_host(isolating):
    code = """
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as exc:
        print("denied", pid, exc)
try:
    os.kill(-1, signal.SIGKILL)
except OSError:
    pass
"""
    r = isolating.run(py(code))
    assert r.status != "ok" or r.exit_code == 0
    assert r.status != "infra_error"
    again = isolating.run(py("print('still fine')"))
    assert again.status == "ok" and again.stdout == "still fine\n"


def test_no_daemons_left_behind(isolating):
    marker = f"gymhub-daemon-{uuid.uuid4().hex[:8]}"
    marked = f"""
import os
def marked():
    found = []
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            if b"{marker}" in open(f"/proc/{{p}}/cmdline", "rb").read():
                found.append(p)
        except OSError:
            pass
    return found
"""
    code = f"""{marked}
import subprocess, time
subprocess.Popen(["bash", "-c", "exec -a {marker} sleep 300"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("bash", ["bash", "-c", "exec -a {marker} sleep 300"])
    os._exit(0)
for _ in range(100):
    if len(marked()) == 2:
        break
    time.sleep(0.02)
print("running", len(marked()))
"""
    r = isolating.run(py(code))
    assert r.status == "ok", r
    assert "running 2" in r.stdout, r.stdout  # both daemons really ran
    # nothing of it on the host
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        assert marker.encode() not in cmdline, f"daemon survived as host pid {pid}"
    # and nothing in the (possibly reused) sandbox either
    probe = marked + "print(marked())"
    after = isolating.run(py(probe))
    assert after.stdout.strip() == "[]"


def test_fork_bomb_is_contained(isolating):
    code = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""
    r = isolating.run(py(code, timeout_s=3))
    assert r.status in ("timeout", "nonzero_exit", "output_limit")
    again = isolating.run(py("print('alive')"))
    assert again.stdout == "alive\n"


def test_memory_bomb_is_contained(isolating):
    code = "chunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 * 1024))"
    r = isolating.run(py(code, memory_mb=128))
    assert r.status == "memory_limit", r


def test_infinite_loop_and_output_flood(isolating):
    r = isolating.run(py("while True: pass", timeout_s=1))
    assert r.status == "timeout"
    r = isolating.run(py("while True: print('y' * 10000)", output_limit_bytes=50_000))
    assert r.status == "output_limit" and len(r.stdout) <= 50_000


def test_disk_filling_is_capped(isolating):
    code = """
import os
total = 0
block = b"z" * (1 << 20)
for folder in (".", "/tmp", "/dev/shm"):
    for i in range(200):
        try:
            with open(os.path.join(folder, f"fill{i}"), "wb") as f:
                f.write(block)
            total += len(block)
        except OSError:
            break
print(total // (1 << 20))
"""
    r = isolating.run(py(code, disk_mb=16, timeout_s=30))
    assert r.status == "ok", r
    # bwrap: a size-limited tmpfs per run for ., /tmp and /dev/shm; docker: the pool's
    # per-container tmpfs sizes (the request's disk_mb caps single files there)
    cap = (
        3 * 16 if isolating.name == "bwrap" else 2 * isolating.disk_mb + min(64, isolating.disk_mb)
    )
    assert int(r.stdout.strip()) <= cap, r.stdout


def test_sandbox_state_does_not_leak_between_runs(isolating):
    first = isolating.run(
        py("open('left.txt','w').write('x')\nopen('/tmp/left2','w').write('y')\nprint('ok')")
    )
    assert first.status == "ok"
    second = isolating.run(
        py("import os\nprint(os.path.exists('left.txt'), os.path.exists('/tmp/left2'))")
    )
    assert second.stdout.strip() == "False False"


def test_docker_pool_reuses_warm_containers(docker_sandbox):
    before = {c.id for c in docker_sandbox._all}
    for i in range(3):
        r = docker_sandbox.run(py(f"print({i})"))
        assert r.stdout == f"{i}\n"
    assert {c.id for c in docker_sandbox._all} == before
    assert len(before) == docker_sandbox.pool_size


CONNECT = """
import os, socket
socket.create_connection(("127.0.0.1", {port}), timeout=5).close()
print("connected")
print(sorted(os.listdir("/etc")))
print(os.path.exists({checkout!r}))
"""


def test_bwrap_refuses_network_true_by_default(bwrap_sandbox, host_server):
    """A request's network=True alone must not hand the program the host's network namespace
    (whose loopback holds the hub, model servers, maybe Docker's API): the run is refused as
    the hub's configuration error, naming the opt-in, and nothing reaches the host server."""
    port, hits = host_server
    before = len(hits)
    assert bwrap_sandbox.host_network is False
    code = CONNECT.format(port=port, checkout=str(REPO / "pyproject.toml"))
    r = bwrap_sandbox.run(py(code, network=True))
    assert r.status == "infra_error", r
    assert "network=True" in r.detail and "host_network=True" in r.detail, r.detail
    assert r.stdout == ""
    assert len(hits) == before
    # without network=True the same backend still runs programs
    assert bwrap_sandbox.run(py("print(1)")).stdout == "1\n"


def test_bwrap_host_network_option_is_validated():
    from gymhub.sandboxes.errors import SandboxConfigError

    make_backend("bwrap")
    with pytest.raises(SandboxConfigError, match="host_network"):
        BwrapSandbox(host_network="yes")


def test_bwrap_host_network_opt_in_shares_the_host_network(host_server):
    """BwrapSandbox(host_network=True), the operator's choice for trusted code, gives
    network=True requests the host's network namespace (documented); everything else stays
    isolated, and requests without network=True still get no network."""
    make_backend("bwrap")
    sandbox = BwrapSandbox(host_network=True, cgroup=False)
    port, hits = host_server
    before = len(hits)
    code = CONNECT.format(port=port, checkout=str(REPO / "pyproject.toml"))
    r = sandbox.run(py(code, network=True))
    assert r.status == "ok", r
    lines = r.stdout.splitlines()
    assert lines[0] == "connected" and len(hits) == before + 1
    assert "passwd" not in lines[1] and "shadow" not in lines[1]
    assert lines[2] == "False"
    r = sandbox.run(py(code))
    assert r.status == "nonzero_exit" and "connected" not in r.stdout, r
    assert len(hits) == before + 1
