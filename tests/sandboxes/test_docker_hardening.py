"""Attacks on what a pooled container keeps between runs (and on what the launcher, root in the
container, does for the program): nothing a program leaves may reach the next submission, the
host's disk or the launcher's privileges."""

from __future__ import annotations

import gc
import os
import threading
import time

from gymhub.sandboxes import ExecRequest
from tests.conftest import require
from tests.sandboxes.conftest import _docker_ok


def py(code: str, **kw) -> ExecRequest:
    kw.setdefault("timeout_s", 10)
    return ExecRequest(command=["python3", "-I", "main.py"], files={"main.py": code}, **kw)


LEAVE_IPC = r"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
shm = libc.shmget(0x5EC, 4096, 0o1666)
ctypes.memmove(libc.shmat(shm, None, 0), b"SECRET-OF-RUN-1", 15)
print("shm", shm, "msg", libc.msgget(0x5ED, 0o1666), "sem", libc.semget(0x5EE, 1, 0o1666))
print("mq", libc.mq_open(b"/gymhub-left", os.O_CREAT | os.O_RDWR, 0o666, None))
"""

SEE_IPC = r"""
import os
for kind in ("shm", "msg", "sem"):
    print(kind, len(open("/proc/sysvipc/" + kind).read().splitlines()) - 1)
print("mq", os.listdir("/dev/mqueue") if os.path.isdir("/dev/mqueue") else [])
"""


def test_ipc_objects_do_not_outlive_a_run(isolating):
    """System V shared memory, message queues, semaphores and POSIX message queues belong to
    the IPC namespace, not to a process: a pooled container keeps them unless the launcher
    removes them, and the next submission could read them."""
    left = isolating.run(py(LEAVE_IPC))
    assert left.status == "ok", left
    ids = left.stdout.split()
    assert ids[1] != "-1" and ids[3] != "-1" and ids[5] != "-1", left.stdout  # they were made
    if isolating.name == "docker":
        assert ids[7] != "-1", left.stdout
    seen = isolating.run(py(SEE_IPC))
    assert seen.status == "ok", seen
    assert seen.stdout == "shm 0\nmsg 0\nsem 0\nmq []\n"


HOARD_SHARED_MEMORY = r"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
made = 0
for i in range(24):
    shm = libc.shmget(0x1000 + i, 50 << 20, 0o1666)
    if shm < 0:
        break
    where = libc.shmat(shm, None, 0)
    ctypes.memset(where, 1, 50 << 20)
    libc.shmdt(ctypes.c_void_p(where))
    made += 1
print("made", made)
"""


def test_leftover_shared_memory_cannot_starve_the_next_run(docker_sandbox):
    """Unattached shared memory counts against the container's memory but no process holds
    it: left in place it got the next submission OOM-killed. It is capped like /dev/shm and
    removed after the run."""
    hoard = docker_sandbox.run(py(HOARD_SHARED_MEMORY, memory_mb=256))
    assert hoard.status in ("ok", "memory_limit"), hoard
    made = int(hoard.stdout.split()[1]) if hoard.stdout else 0
    assert made * 50 <= 64, hoard.stdout  # no more than the /dev/shm size
    after = docker_sandbox.run(py("x = bytearray(300 << 20); print('fine')", memory_mb=512))
    assert (after.status, after.stdout) == ("ok", "fine\n"), after


def test_results_are_not_logged_on_the_host(docker_sandbox):
    """The launcher answers on its stdout; the engine's default json-file log kept a copy of
    every result (a program's whole output) on the host's disk, without a size limit."""
    result = docker_sandbox.run(py("print('x' * 500000)"))
    assert result.status == "ok" and len(result.stdout) == 500001
    for container in list(docker_sandbox._all):
        container.reload()
        assert container.attrs["HostConfig"]["LogConfig"]["Type"] == "none"
        assert not container.attrs.get("LogPath")


LINK_OUT = """
import os
os.symlink("/proc/1", "proc1")
os.symlink("/etc", "etc")
os.symlink("/etc/hostname", "name")
os.mkdir("sub")
open("sub/real.txt", "w").write("mine")
print("linked")
"""


def test_output_files_are_not_read_through_symlinks(isolating):
    """Output files are read by a privileged helper (docker: the root launcher): a folder
    link the program left would make it read the container's or its own files for the
    program. Only regular files reached without a symlink come back."""
    wanted = ["proc1/environ", "proc1/cmdline", "etc/shadow", "name", "sub/real.txt"]
    result = isolating.run(py(LINK_OUT, output_files=wanted))
    assert result.status == "ok", result
    assert result.files == {"sub/real.txt": b"mine"}


OOM_IN_CONTAINER = """
for name in ("/tmp/a", "/tmp/b"):
    open(name, "wb").write(b"z" * (60 << 20))
chunks = [bytearray(16 << 20) for _ in range(60)]
print("survived")
"""


def test_the_oom_killer_gives_memory_limit(docker_sandbox):
    """The engine's OOMKilled flag is about the container's pid 1 only: a program the kernel
    killed for the container's memory (its files in tmpfs count) came back `nonzero_exit`."""
    request = py(OOM_IN_CONTAINER, memory_mb=docker_sandbox.memory_mb)
    result = docker_sandbox.run(request)
    assert (result.status, result.exit_code) == ("memory_limit", 137), result


def test_close_while_a_container_starts_leaves_none(monkeypatch):
    """close() lists the pool's containers; one whose creation was under way then was still
    started and served the run after close(), and was removed by a daemon thread that dies
    with an exiting process. Now the run fails as the hub's (infra_error) and the container is
    gone when it returns."""
    require(_docker_ok(), "a Docker engine with the gymhub-sandbox image")
    from docker.models.containers import ContainerCollection

    from gymhub.sandboxes import get_sandbox

    sandbox = get_sandbox("docker", pool_size=1)
    real_create = ContainerCollection.create

    def create_after_close(self, *args, **kwargs):
        sandbox.close()  # as if close() ran while the engine was creating it
        return real_create(self, *args, **kwargs)

    monkeypatch.setattr(ContainerCollection, "create", create_after_close)
    try:
        result = sandbox.run(py("print('ran')"))
        left = sandbox.client.containers.list(
            all=True, filters={"label": f"gymhub.sandbox={sandbox.session}"}
        )
    finally:
        monkeypatch.undo()
        sandbox.close()
    assert result.status == "infra_error" and "closed" in (result.detail or ""), result
    assert left == []
    assert sandbox.run(py("print('late')")).status == "infra_error"


MANY_FOLDERS = """
import os
made = 0
for folder in (".", "/tmp"):
    for i in range(20000):
        os.mkdir(os.path.join(folder, "d%d" % i))
        made += 1
print("made", made)
"""


def test_many_folders_are_wiped_without_losing_the_container(docker_sandbox):
    """The reset listed a folder again after each of its sub-folders: 40000 folders kept the
    launcher wiping past the hub's deadline (infra_error, and again on a fresh container)."""
    before = {c.id for c in docker_sandbox._all}
    start = time.monotonic()
    result = docker_sandbox.run(py(MANY_FOLDERS, timeout_s=20))
    assert (result.status, result.stdout) == ("ok", "made 40000\n"), result
    assert time.monotonic() - start - result.wall_s < 8.0
    assert {c.id for c in docker_sandbox._all} == before  # reset clean, so kept
    seen = docker_sandbox.run(py("import os; print(len(os.listdir('.')), len(os.listdir('/tmp')))"))
    assert seen.stdout == "1 0\n", seen  # main.py only


def test_a_large_stdin_costs_the_program_no_time(docker_sandbox):
    """The launcher fed stdin by slicing a new bytes object per pipe-full: 50 MB cost 9 s of
    the program's own deadline, a timeout the program had not earned."""
    request = ExecRequest(
        command=["python3", "-c", "import sys; print(len(sys.stdin.buffer.read()))"],
        stdin=b"x" * (40 << 20),
        timeout_s=3,
    )
    result = docker_sandbox.run(request)
    assert (result.status, result.stdout) == ("ok", f"{40 << 20}\n"), result
    assert result.wall_s < 2.0


LEAVE_DAEMONS = """
import os, time
for i in range(60):
    if os.fork() == 0:
        os.setsid()
        time.sleep(100)
        os._exit(0)
print("left 60")
"""


def test_killed_daemons_are_reaped_at_once(docker_sandbox):
    """kill(-1) still finds zombies: daemons the launcher had killed but not reaped made its
    kill loop run all 50 rounds (at least 0.5 s) after every run that left one."""
    docker_sandbox.run(py("print(1)"))  # warm
    start = time.monotonic()
    result = docker_sandbox.run(py(LEAVE_DAEMONS))
    overhead = time.monotonic() - start - result.wall_s
    assert (result.status, result.stdout) == ("ok", "left 60\n"), result
    assert overhead < 0.45, overhead


def _own_pool(**kwargs):
    require(_docker_ok(), "a Docker engine with the gymhub-sandbox image")
    from gymhub.sandboxes import get_sandbox

    sandbox = get_sandbox("docker", **kwargs)
    sandbox.warm()
    return sandbox


def _kill_later(container, delay_s: float) -> threading.Thread:
    """The engine ends a container's launcher while a run is in it (a hiccup, not the program)."""

    def kill() -> None:
        time.sleep(delay_s)
        container.kill()

    thread = threading.Thread(target=kill, daemon=True)
    thread.start()
    return thread


def test_a_pool_whose_containers_all_died_serves_the_next_run():
    """Every idle container's launcher ended (an engine restart, the OOM killer while idle):
    the next run took one, failed, retried on the next dead one and came back infra_error.
    Idle containers whose stream has ended are now replaced before use."""
    sandbox = _own_pool(pool_size=2, memory_mb=256)
    try:
        dead = list(sandbox._all)
        assert len(dead) == 2
        for container in dead:
            container.kill()
        time.sleep(0.5)
        for i in range(3):
            result = sandbox.run(py(f"print({i})"))
            assert (result.status, result.stdout) == ("ok", f"{i}\n"), result
        assert not {c.id for c in dead} & {c.id for c in sandbox._all}
    finally:
        sandbox.close()


# a program the kernel's OOM killer ends (its oom_score_adj is the launcher's 1000)
OOM_THE_PROGRAM = r"""
import os
chunk = b"m" * (1 << 20)
fds = []
while True:  # memory files: the container's memory, no rlimit stops them
    fd = os.memfd_create("hog")
    for _ in range(8):
        os.write(fd, chunk)
    fds.append(fd)
"""

# the same, having set its oom_score_adj back to 0: the OOM killer ends the launcher, pid 1
OOM_THE_LAUNCHER = (
    'fd = __import__("os").open("/proc/self/oom_score_adj", 1)\n'
    '__import__("os").write(fd, b"0")\n' + OOM_THE_PROGRAM
)


def test_an_earlier_oom_kill_does_not_blame_a_later_run_for_a_dead_launcher():
    """The engine's OOMKilled flag stays set for a container's life once any of its processes
    was OOM-killed: a later run whose launcher the engine ended was scored memory_limit (a
    right answer scored 0, no retry). Now that flag is trusted only in a container without an
    earlier OOM kill; otherwise the run is retried on a fresh container, which tells."""
    sandbox = _own_pool(pool_size=1, memory_mb=256)
    try:
        first = sandbox.run(py(OOM_THE_PROGRAM, memory_mb=256))
        assert (first.status, first.exit_code) == ("memory_limit", 137), first
        container = sandbox._all[0]
        killer = _kill_later(container, 1.0)
        slow = py("import time\ntime.sleep(2.5)\nprint('right answer')")
        result = sandbox.run(slow)
        killer.join()
        assert (result.status, result.stdout) == ("ok", "right answer\n"), result
        assert container.id not in {c.id for c in sandbox._all}
    finally:
        sandbox.close()


def test_a_launcher_oom_killed_after_an_earlier_oom_kill_is_still_memory_limit():
    """The other side: in a container where an earlier program was OOM-killed, a program that
    gets the launcher itself OOM-killed is still its own memory_limit (through the retry on a
    fresh container), never infra_error; and the pool serves the next run."""
    sandbox = _own_pool(pool_size=1, memory_mb=256)
    try:
        first = sandbox.run(py(OOM_THE_PROGRAM, memory_mb=256))
        assert first.status == "memory_limit", first
        result = sandbox.run(py(OOM_THE_LAUNCHER, memory_mb=256))
        assert result.status == "memory_limit", result
        again = sandbox.run(py("print('fine')"))
        assert (again.status, again.stdout) == ("ok", "fine\n"), again
    finally:
        sandbox.close()


def test_a_busy_hub_keeps_its_warm_containers():
    """The check that an idle container's launcher still serves must work for any descriptor
    number: with select() (limit 1024) a hub holding many connections would have found every
    container dead and started a new one for each run."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    require(hard == resource.RLIM_INFINITY or hard >= 1300, "1300 open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1300), hard))
    # objects of earlier tests that are garbage still hold low descriptors: collected during
    # this test, they left a number below 1024 free for the container's socket (a flaky failure)
    gc.collect()
    held = [os.open("/dev/null", os.O_RDONLY) for _ in range(1100)]
    try:
        sandbox = _own_pool(pool_size=1, memory_mb=256)
        try:
            container = sandbox._all[0]
            assert sandbox._streams[container.id]._sock.fileno() > 1024
            for i in range(3):
                assert sandbox.run(py(f"print({i})")).stdout == f"{i}\n"
            assert [c.id for c in sandbox._all] == [container.id]
        finally:
            sandbox.close()
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
