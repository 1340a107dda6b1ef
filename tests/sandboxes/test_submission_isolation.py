"""One submission never sees another's files, processes or environment, on every backend that
claims it: bwrap and docker for runs that overlap in time and runs that follow each other, local
(which isolates nothing from the host) for what it does claim: a fresh working folder, a cleared
environment and no surviving daemons between runs.

Submission A carries a secret in its input file, stdin, argv and environment, writes it into
every writable place it has and leaves a daemon holding it; submission B searches its own
environment, its writable folders and every process it can see for that secret."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest

from gymhub.sandboxes import ExecRequest
from tests.conftest import require
from tests.sandboxes.conftest import _docker_ok, make_backend

WRITER = """
import os, subprocess, sys, time
secret = sys.argv[1]
assert os.environ["SUBMISSION_SECRET"] == secret and sys.stdin.read() == secret
for folder in (".", os.environ.get("TMPDIR", "/tmp"), "/tmp", "/dev/shm"):
    try:
        with open(os.path.join(folder, "left-" + secret), "w") as handle:
            handle.write(secret)
    except OSError:
        pass
subprocess.Popen(["python3", "-c", "import time; time.sleep(60)", secret + "-daemon"],
                 start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
time.sleep(float(sys.argv[2]))
print("done")
"""

PROBE = """
import os, sys
secret = sys.argv[1][::-1].encode()  # given reversed: its own argv must not match
leaks = []
if any(secret in (k + "=" + v).encode() for k, v in os.environ.items()):
    leaks.append("environment")
folders = [".", os.environ.get("TMPDIR", "/tmp")] + (["/tmp", "/dev/shm"] if sys.argv[2] == "1" else [])
for folder in folders:
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = os.path.join(root, name)
            if secret in name.encode():
                leaks.append("name " + path)
            try:
                with open(path, "rb") as handle:
                    if secret in handle.read(1 << 20):
                        leaks.append("content " + path)
            except OSError:
                pass
for pid in filter(str.isdigit, os.listdir("/proc")):
    for part in ("cmdline", "environ"):
        try:
            with open("/proc/%s/%s" % (pid, part), "rb") as handle:
                if secret in handle.read():
                    leaks.append("process %s %s" % (pid, part))
        except OSError:
            pass
print("LEAKS", leaks)
"""


def writer(secret: str, hold_s: float) -> ExecRequest:
    return ExecRequest(
        command=["python3", "-I", "main.py", secret, str(hold_s)],
        files={"main.py": WRITER, f"input-{secret}.txt": secret},
        stdin=secret,
        env={"SUBMISSION_SECRET": secret},
        timeout_s=30,
    )


def probe(secret: str, shared_tmp: bool) -> ExecRequest:
    return ExecRequest(
        command=["python3", "-I", "probe.py", secret[::-1], "1" if shared_tmp else "0"],
        files={"probe.py": PROBE},
        timeout_s=30,
    )


def _host_process_with(needle: str) -> bool:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if needle.encode() in handle.read():
                    return True
        except OSError:
            pass
    return False


def _assert_no_leak(result) -> None:
    assert result.status == "ok", result
    assert result.stdout.strip() == "LEAKS []", result.stdout


@pytest.fixture(scope="module")
def docker_pool_of_two():
    """Two containers, so that two submissions really run at the same time."""
    require(_docker_ok(), "a Docker engine with the gymhub-sandbox image")
    from gymhub.sandboxes import get_sandbox

    sandbox = get_sandbox("docker", pool_size=2)
    try:
        sandbox.warm()
        yield sandbox
    finally:
        sandbox.close()


def _concurrent(sandbox) -> None:
    secret = uuid.uuid4().hex
    results = {}
    thread = threading.Thread(
        target=lambda: results.setdefault("a", sandbox.run(writer(secret, 8.0))), daemon=True
    )
    thread.start()
    # A is running once its daemon is (its files are written before it starts the daemon)
    end = time.monotonic() + 60
    while not _host_process_with(secret + "-daemon"):
        assert thread.is_alive() and time.monotonic() < end, results
        time.sleep(0.02)
    during = sandbox.run(probe(secret, shared_tmp=True))
    assert thread.is_alive(), "A ended before B looked: the runs did not overlap"
    thread.join(60)
    assert results["a"].status == "ok" and results["a"].stdout == "done\n", results["a"]
    _assert_no_leak(during)


def _sequential(sandbox, shared_tmp: bool) -> None:
    secret = uuid.uuid4().hex
    first = sandbox.run(writer(secret, 0.0))
    assert first.status == "ok" and first.stdout == "done\n", first
    _assert_no_leak(sandbox.run(probe(secret, shared_tmp)))
    assert not _host_process_with(secret), "a daemon of the first submission survived"


@pytest.mark.parametrize("backend", ["bwrap", "docker"])
def test_a_later_submission_sees_nothing_of_an_earlier_one(backend):
    _sequential(make_backend(backend), shared_tmp=True)


def test_local_later_submission_sees_nothing_of_an_earlier_one():
    """local shares the host's /tmp by design (documented UNSAFE); its working folder,
    TMPDIR, environment and daemons are per run."""
    _sequential(make_backend("local"), shared_tmp=False)


def test_bwrap_concurrent_submissions_are_isolated():
    _concurrent(make_backend("bwrap"))


def test_docker_concurrent_submissions_are_isolated(docker_pool_of_two):
    _concurrent(docker_pool_of_two)


HOG_USER_QUOTA = r"""
import ctypes, time
libc = ctypes.CDLL(None, use_errno=True)
held = 0
while held < 100000 and libc.inotify_init() >= 0:
    held += 1
print("held", held, flush=True)
time.sleep(6)
"""

NEEDS_INOTIFY = r"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print("inotify", libc.inotify_init() >= 0, ctypes.get_errno())
"""


def _quota_not_shared(sandbox) -> None:
    results = {}
    request = ExecRequest(command=["python3", "-c", HOG_USER_QUOTA], timeout_s=10)
    thread = threading.Thread(
        target=lambda: results.setdefault("hog", sandbox.run(request)), daemon=True
    )
    thread.start()
    time.sleep(2.5)  # the hog holds every instance its uid may have by now
    victim = sandbox.run(ExecRequest(command=["python3", "-c", NEEDS_INOTIFY]))
    alive = thread.is_alive()
    thread.join(30)
    assert alive, "the runs did not overlap"
    assert results["hog"].status == "ok" and int(results["hog"].stdout.split()[1]) > 0
    assert (victim.status, victim.stdout) == ("ok", "inotify True 0\n"), victim


def test_docker_submissions_do_not_share_per_user_quotas(docker_pool_of_two):
    """Without a user namespace a container's uid is the host's, and inotify instances (128 a
    user by default) and message queue bytes are counted per user: with one uid for every
    container, a program holding them all made them fail for a submission running beside it.
    Each container's programs now run as a uid of their own."""
    _quota_not_shared(docker_pool_of_two)


def test_bwrap_submissions_do_not_share_per_user_quotas():
    """The same per-user quotas, for bwrap started as `nobody` for every run by a root hub; it
    now starts each run as a uid of its own (a hub that is not root runs them all as itself)."""
    sandbox = make_backend("bwrap")
    if not sandbox.switch_uid:
        pytest.skip("bubblewrap runs as the hub's own user here (the hub is not root)")
    _quota_not_shared(sandbox)
