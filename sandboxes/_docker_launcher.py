"""Runs INSIDE a pooled container as its root (no other capabilities than SETUID/SETGID/KILL/
CHOWN/DAC_OVERRIDE/FOWNER): resets the container, writes the input files, runs the command as an
unprivileged uid with rlimits and a deadline, kills every process that uid left behind, and
prints one JSON result per request.

It is the container's pid 1 and serves one request after another, read from its stdin (the
container's attached stream): "<length>\n<JSON>" in, "GYMHUB-RESULT <JSON>\n" out. Being pid
1 it also reaps the orphans a program leaves (killed daemons, fork-bomb remains), which would
otherwise stay zombies and use up the container's pids limit. Serving from a long-lived process
spares each run a `docker exec` and a Python start-up. The program never sees this process's
data: it runs as another uid, with its own pipes for stdin/stdout/stderr and no other
descriptor. Python 3.7+, standard library only (the image is a minimal Debian). The docker
backend sends `_wipe.py` and `_seccomp.py` ahead of this source, which define `empty_folder`
and `install`.
"""

import base64
import json
import os
import resource
import select
import signal
import stat
import sys
import time

try:
    import ctypes

    LIBC = ctypes.CDLL(None, use_errno=True)
except (ImportError, OSError):  # without it leftover IPC objects make the container unclean
    LIBC = None

# the program's uid, chosen per container by the hub: containers share the host's kernel and
# no user namespace, so per-user quotas (inotify instances, POSIX message queue bytes) held by a
# program in one container would otherwise be missing in the others
UID = int(sys.argv[1]) if len(sys.argv) > 1 else 10001
DIRS = (("/sandbox", 0o755), ("/tmp", 0o1777), ("/dev/shm", 0o1777))
IPC_RMID = 0
WIPE_S = 10.0  # well inside the hub's margin past the deadline (docker_pool.RESULT_MARGIN_S)
MQUEUE = "/dev/mqueue"


def killall(main=None):
    """SIGKILL every process of the sandbox uid without forking (a fork bomb may hold every
    pid): take its uid as the effective uid only, kill(-1), and take root back. The real and
    saved uids stay 0 throughout, so the program can never signal this process. The killed
    are reaped between rounds (kill(-1) still finds zombies: a run that left daemons cost all
    50 rounds); returns the wait status of `main` if it was among them."""
    status = None
    for _ in range(50):
        os.setresuid(-1, UID, -1)
        try:
            os.kill(-1, signal.SIGKILL)
            found = True
        except ProcessLookupError:
            found = False
        except OSError:
            found = True
        finally:
            os.setresuid(-1, 0, -1)
        if not found:
            return status
        time.sleep(0.01)
        raw = reap(main)
        if raw is not None:
            status = raw
    return status


def ipc_ids(kind):
    """The ids of the System V IPC objects of `kind` (shm, msg, sem) in this IPC namespace."""
    try:
        with open("/proc/sysvipc/" + kind) as handle:
            rows = handle.read().splitlines()[1:]
    except OSError:
        return []
    return [int(row.split()[1]) for row in rows if row.strip()]


def clear_ipc():
    """Remove the System V IPC objects and POSIX message queues a program left: unlike its
    processes and files they outlive it, so they would carry data to the next submission and
    hold memory (shared memory counts against the container) that later runs need. Removed as
    the sandbox uid, their owner (root lacks CAP_IPC_OWNER). False if some are left."""
    if LIBC is not None:
        os.setresuid(-1, UID, -1)
        try:
            for ident in ipc_ids("shm"):
                LIBC.shmctl(ident, IPC_RMID, None)
            for ident in ipc_ids("msg"):
                LIBC.msgctl(ident, IPC_RMID, None)
            for ident in ipc_ids("sem"):
                LIBC.semctl(ident, 0, IPC_RMID)
        finally:
            os.setresuid(-1, 0, -1)
    clean = not any(ipc_ids(kind) for kind in ("shm", "msg", "sem"))
    if os.path.isdir(MQUEUE):
        clean = empty_folder(MQUEUE, deadline_s=5.0) and clean  # noqa: F821 (from _wipe.py)
    return clean


def sockets_closed(wait_s=1.0):
    """Whether the container's network namespace holds no socket once the program's processes
    are dead. It outlives them: a connection they closed lingers (TIME_WAIT, unless the hub's
    sysctl drops it), and the next submission would see it and find its port taken. False (the
    container is then replaced) if some are still there after `wait_s`."""
    end = time.monotonic() + wait_s
    while True:
        left = False
        for name in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix"):
            try:
                with open("/proc/net/" + name) as handle:
                    left = left or len(handle.read().splitlines()) > 1
            except OSError:
                continue
        if not left:
            return True
        if time.monotonic() > end:
            return False
        time.sleep(0.02)


def wipe():
    """Empty the writable mounts and IPC objects; False if something could not be deleted
    (also when it takes more than WIPE_S: the hub waits for the result only so long, and a
    container left unclean is replaced, while the result stands)."""
    clean = clear_ipc()
    end = time.monotonic() + WIPE_S
    for folder, mode in DIRS:
        left = max(end - time.monotonic(), 0.1)
        clean = empty_folder(folder, deadline_s=left) and clean  # noqa: F821 (from _wipe.py)
        try:  # the program may have taken the folder's permissions or ownership
            os.chown(folder, 0, 0)
            os.chmod(folder, mode)
        except OSError:
            clean = False
    return clean


def write_inputs(files):
    """Write the input files; the error text when they do not fit (a full disk)."""
    try:
        for name, b64 in files.items():
            path = os.path.join("/sandbox", name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(base64.b64decode(b64))
            os.chmod(path, 0o755)
        for root, dirs, names in os.walk("/sandbox"):
            for name in dirs + names:
                os.lchown(os.path.join(root, name), UID, UID)
        os.chown("/sandbox", UID, UID)
    except OSError as exc:
        return f"cannot write the input files: {exc}"
    return None


def read_output(name, limit):
    """The first `limit` bytes of the output file `name`, or None: a regular file inside
    /sandbox reached without any symlink. The launcher reads it as root (DAC_OVERRIDE), so a
    link the program left (`out -> /proc/1`) would otherwise read any file of the container
    for it; the bwrap backend refuses symlinks the same way. Its processes are dead by now:
    nothing can swap a folder for a link between the check and the open."""
    path = os.path.join("/sandbox", name)
    if os.path.realpath(path) != path:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return handle.read(limit)


def oom_kills():
    """How many processes the kernel's OOM killer has killed in this container (cgroup v1 or
    v2), or None where the counter cannot be read."""
    for path, key in (("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
                      ("/sys/fs/cgroup/memory.events", "oom_kill")):  # fmt: skip
        try:
            with open(path) as handle:
                for row in handle:
                    name, _, value = row.partition(" ")
                    if name == key:
                        return int(value)
        except (OSError, ValueError):
            continue
    return None


def report(result, clean):
    result["clean"] = clean
    data = ("GYMHUB-RESULT " + json.dumps(result) + "\n").encode()
    while data:
        data = data[os.write(1, data) :]


def reap(pid=None):
    """Collect every exited child; the wait status of `pid` when it is one of them."""
    found = None
    while True:
        try:
            done, raw = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return found
        if done == 0:
            return found
        if done == pid:
            found = raw


def child(req, fds):
    stdin_r, out_w, err_w = fds
    os.setsid()
    os.dup2(stdin_r, 0)
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)
    os.closerange(3, 65536)
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass
    os.setgroups([])
    os.setgid(UID)
    os.setuid(UID)
    mem = req["memory_mb"] * 1024 * 1024
    cpu = max(1, int(req["cpu_s"] + 0.999))
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (req["disk_mb"] * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.chdir("/sandbox")
    # io_uring, key management, bpf, ...: refused on top of the engine's profile (from
    # _seccomp.py; best effort: the engine's own filter stays whatever happens)
    install(LIBC)  # noqa: F821
    try:
        os.execvpe(req["command"][0], req["command"], req["env"])
    except OSError as exc:
        os.write(2, ("cannot run {!r}: {}\n".format(req["command"][0], exc)).encode())
    os._exit(127)


def handle(req):
    killall()
    reap()
    if not wipe():
        report({"setup_error": "leftovers of an earlier run could not be deleted"}, False)
        return
    problem = write_inputs(req["files"])
    if problem is not None:
        # inputs larger than the container's disk: the program cannot start, like a shell
        # failing to write its script (a failure of the request's content, not of the hub)
        clean = wipe()
        report({"exit_code": 126, "signal": None, "stdout": "", "timed_out": False,
                "stderr": base64.b64encode(problem.encode()).decode(), "truncated": False,
                "wall_s": 0.0, "files": {}}, clean)  # fmt: skip
        return
    stdin_r, stdin_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    kills_before = oom_kills()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            child(req, (stdin_r, out_w, err_w))
        except BaseException:
            import traceback

            os.write(2, (f"sandbox launcher: {traceback.format_exc()}\n").encode())
        finally:
            os._exit(127)
    for fd in (stdin_r, out_w, err_w):
        os.close(fd)
    # a view: taking the rest as a new bytes object per pipe-full copied n^2/64 KiB bytes,
    # seconds of the program's own time for a 50 MB input
    data = memoryview(base64.b64decode(req["stdin"]))
    os.set_blocking(stdin_w, False)
    if not data:
        os.close(stdin_w)
        stdin_w = None
    limit = req["output_limit"]
    bufs = {out_r: bytearray(), err_r: bytearray()}
    open_fds = [out_r, err_r]
    deadline = start + req["timeout_s"]
    timed_out = truncated = False
    status = None
    drain_end = None  # once the program has exited: how long its leftovers may hold the pipes
    while open_fds:
        now = time.monotonic()
        if status is None:
            raw = reap(pid)
            if raw is not None:
                status, drain_end = raw, now + 0.2
        if drain_end is not None and now >= drain_end:
            break  # daemons it left keep the pipes open: the run is over all the same
        remaining = deadline - now
        if remaining <= 0:
            timed_out = True
            break
        wait = min(remaining, 0.05) if drain_end is None else min(remaining, drain_end - now)
        writers = [stdin_w] if stdin_w is not None else []
        readable, writable, _ = select.select(open_fds, writers, [], wait)
        if writable:
            try:
                sent = os.write(stdin_w, data[:65536])
                data = data[sent:]
            except OSError:
                data = memoryview(b"")
            if not data:
                os.close(stdin_w)
                stdin_w = None
        for fd in readable:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.remove(fd)
                continue
            room = limit - len(bufs[fd])
            bufs[fd] += chunk[: max(room, 0)]
            if len(chunk) > room:
                truncated = True
        if truncated:
            break
    if timed_out or truncated:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    while status is None:
        raw = reap(pid)
        if raw is not None:
            status = raw
        elif time.monotonic() > deadline + 0.2:
            timed_out = timed_out or not truncated
            status = killall(pid)
            if status is None:
                status = os.waitpid(pid, 0)[1]
        else:
            time.sleep(0.002)
    wall = time.monotonic() - start
    killall()
    reap()
    clear_ipc()  # frees shared memory before the result is built (wipe checks it again)
    for fd in (out_r, err_r):
        os.close(fd)
    if stdin_w is not None:
        os.close(stdin_w)
    signum = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    code = 128 + signum if signum is not None else os.WEXITSTATUS(status)
    # disk_mb for all of them together, as in bwrap: sparse files cost the program no disk, and
    # disk_mb for each (a name listed twice read twice) held the launcher's memory many times
    files = {}
    budget = req["disk_mb"] * 1024 * 1024
    for name in req["output_files"]:
        data = read_output(name, budget) if name not in files else None
        if data is not None:
            files[name] = base64.b64encode(data).decode()
            budget -= len(data)
    kills_after = oom_kills()
    clean = wipe() and sockets_closed()
    result = {
        "oom_killed": kills_before is not None and (kills_after or 0) > kills_before,
        # the container's own count so far (None: unreadable): the hub trusts the engine's
        # OOMKilled flag, which covers the container's whole life, only while this is 0
        "oom_kills": kills_after,
        "exit_code": code,
        "signal": signum,
        "stdout": base64.b64encode(bytes(bufs[out_r])).decode(),
        "stderr": base64.b64encode(bytes(bufs[err_r])).decode(),
        "timed_out": timed_out,
        "truncated": truncated,
        "wall_s": wall,
        "files": files,
    }
    report(result, clean)


def read_exact(n, buf):
    """`n` bytes of stdin (after what `buf` already holds); None at end of input."""
    while len(buf) < n:
        chunk = os.read(0, max(65536, n - len(buf)))
        if not chunk:
            return None
        buf += chunk
    data = bytes(buf[:n])
    del buf[:n]
    return data


def serve():
    buf = bytearray()
    while True:
        while b"\n" not in buf:
            chunk = os.read(0, 65536)
            if not chunk:
                return  # the hub closed the stream: the container is being removed
            buf += chunk
        line, _, rest = bytes(buf).partition(b"\n")
        buf[:] = rest
        body = read_exact(int(line), buf)
        if body is None:
            return
        try:
            handle(json.loads(body))
        except Exception:  # the hub discards this container when the answer is not a result
            import traceback

            report({"setup_error": traceback.format_exc()[-2000:]}, False)


serve()
