"""Run one host process with a wall-clock deadline, capped output and a guaranteed kill.

Shared by the local and bwrap backends. Never uses signals in the caller (works from any thread
or event loop): pipes are read with `selectors`, stdin is fed by a helper thread when it does
not fit in the pipe at once, and the whole process group is SIGKILLed on the deadline.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

DRAIN_S = 0.2


@dataclass
class ProcOutcome:
    exit_code: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool
    truncated: bool
    wall_s: float
    extra: bytes = b""
    extra_truncated: bool = False
    signal: int | None = None
    notes: list[str] = field(default_factory=list)


def _feed(stream: Any, data: bytes) -> None:
    try:
        for i in range(0, len(data), 65536):
            stream.write(data[i : i + 65536])
        stream.close()
    except (BrokenPipeError, OSError, ValueError):
        pass


def _start_feeding(stream: Any, data: bytes) -> threading.Thread | None:
    """Send `data` to the child's stdin: what fits in the pipe at once is written here (most
    inputs; no thread), the rest by a helper thread."""
    sent = 0
    if data:
        try:
            os.set_blocking(stream.fileno(), False)
            sent = os.write(stream.fileno(), data[:65536])
        except BlockingIOError:
            sent = 0
        except (BrokenPipeError, OSError):
            sent = len(data)  # the child is gone or closed its stdin: nothing more to send
        if sent < len(data):
            os.set_blocking(stream.fileno(), True)
            feeder = threading.Thread(target=_feed, args=(stream, data[sent:]), daemon=True)
            feeder.start()
            return feeder
    try:
        stream.close()
    except (BrokenPipeError, OSError):
        pass
    return None


def _exited(proc: subprocess.Popen[bytes]) -> bool:
    """Whether the child has exited, without reaping it: until it is reaped its pid, which is
    also its process group's id, cannot be handed to another process, so a kill of the group
    can never reach another process (the hub may be root). Popen.poll() reaps."""
    if proc.returncode is not None:
        return True
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child's process group and the child. Call it before the child is reaped
    (`_exited` does not reap): Popen.kill() would poll, reap, and free the group's id."""
    if proc.returncode is not None:
        return
    for kill in (os.killpg, os.kill):
        try:
            kill(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def run_process(
    argv: list[str],
    *,
    stdin: bytes = b"",
    timeout_s: float,
    output_limit: int,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    extra_fd_limit: int = 0,
    user: int | None = None,
    group: int | None = None,
    argv_fd_placeholder: str = "{EXTRA_FD}",
    grace_s: float = 0.5,
    pass_fds: Sequence[int] = (),
    cgroup_procs: str | None = None,
    cgroup_tasks: str | None = None,
    gate_fd: int | None = None,
) -> ProcOutcome:
    """Run `argv` in a new session; stdout/stderr each keep at most `output_limit` bytes (the
    process is killed once either overflows); once the process has exited, processes it left
    holding the pipes get `DRAIN_S` more before the run is over. With `extra_fd_limit > 0` the child gets a pipe's
    descriptor (its number replaces `{EXTRA_FD}` in argv) whose content, up to that many bytes,
    comes back as `extra`. `pass_fds` are more descriptors the child inherits (the caller keeps
    and closes them). With `cgroup_procs` (a cgroup's `cgroup.procs` file) the process is moved
    into that cgroup before it runs `argv`: a bash in front of it waits on a pipe until the move
    is done, so no process of the run can start outside (OSError if the move fails).

    `cgroup_tasks` (a cgroup v1 `tasks` file) does the same move without that wait: the file is
    opened here, and the bash in front writes 0 ("this thread") to it before it runs `argv`
    (exit 125 if the move fails; OSError if the file cannot be opened). Moving the calling
    thread itself is the one move for which the kernel skips the global lock that a move by pid
    takes (whose write side waits for an RCU grace period, about 7 ms a run); bash has one
    thread, so the whole process moves. With `gate_fd` (a memory file holding the compiled gate
    of `_gate`, single-threaded too) that program does the same in place of bash, faster."""
    if cgroup_procs is not None and cgroup_tasks is not None:
        raise ValueError("cgroup_procs and cgroup_tasks are two ways of one move: pass one")
    tasks_fd = None
    if cgroup_tasks is not None:
        # opened by the caller: the kernel checks the opener's rights, not the child's uid
        tasks_fd = os.open(cgroup_tasks, os.O_WRONLY | os.O_CLOEXEC)
    extra_r = extra_w = None
    inherited: tuple[int, ...] = tuple(pass_fds)
    if extra_fd_limit > 0:
        try:
            extra_r, extra_w = os.pipe()
        except OSError:
            if tasks_fd is not None:
                os.close(tasks_fd)
            raise
        inherited += (extra_w,)
    if extra_w is not None:
        argv = [a.replace(argv_fd_placeholder, str(extra_w)) for a in argv]
    gate_r = gate_w = None
    if cgroup_procs is not None:
        gate_r, gate_w = os.pipe()
        inherited += (gate_r,)
        script = f'read -r -u {gate_r} _ || exit 125; exec {gate_r}<&-; exec "$@"'
        argv = ["/usr/bin/bash", "-c", script, "gate", *argv]
    if tasks_fd is not None and gate_fd is not None:
        inherited += (tasks_fd, gate_fd)
        argv = [f"/proc/self/fd/{gate_fd}", str(gate_fd), str(tasks_fd), *argv]
    elif tasks_fd is not None:
        inherited += (tasks_fd,)
        script = f'echo 0 >&{tasks_fd} || exit 125; exec {tasks_fd}>&-; exec "$@"'
        argv = ["/usr/bin/bash", "-c", script, "gate", *argv]
    start = time.monotonic()
    kwargs: dict[str, Any] = {}
    if user is not None:
        kwargs.update(user=user, group=group if group is not None else user, extra_groups=[])
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env if env is not None else {},
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
            pass_fds=inherited,
            **kwargs,
        )
    except BaseException:
        if gate_w is not None:
            os.close(gate_w)
        raise
    finally:
        for fd in (extra_w, gate_r, tasks_fd):
            if fd is not None:
                os.close(fd)
    if gate_w is not None:
        try:
            with open(cgroup_procs or "", "w") as handle:
                handle.write(str(proc.pid))
            os.write(gate_w, b"go\n")
        except OSError:
            _kill_group(proc)
            proc.wait()
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
            if extra_r is not None:
                os.close(extra_r)
            raise
        finally:
            os.close(gate_w)
    assert proc.stdin and proc.stdout and proc.stderr
    feeder = _start_feeding(proc.stdin, stdin)
    sel = selectors.DefaultSelector()
    bufs: dict[str, bytearray] = {"out": bytearray(), "err": bytearray(), "extra": bytearray()}
    limits = {"out": output_limit, "err": output_limit, "extra": extra_fd_limit}
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    sel.register(proc.stderr, selectors.EVENT_READ, "err")
    if extra_r is not None:
        sel.register(extra_r, selectors.EVENT_READ, "extra")
    deadline = start + timeout_s
    drain_end = None  # once the process has exited: how long its leftovers may hold the pipes
    timed_out = truncated = extra_truncated = False
    while sel.get_map():
        now = time.monotonic()
        if drain_end is None and _exited(proc):
            drain_end = now + DRAIN_S
        if drain_end is not None and now >= drain_end:
            break  # children it left behind keep the pipes open: the run is over all the same
        remaining = deadline - now
        if remaining <= 0:
            timed_out = True
            _kill_group(proc)
            break
        wait = min(remaining, 0.05) if drain_end is None else min(remaining, drain_end - now)
        for key, _ in sel.select(timeout=wait):
            fd = key.fd if isinstance(key.fileobj, int) else key.fileobj.fileno()
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                sel.unregister(key.fileobj)
                continue
            name = key.data
            room = limits[name] - len(bufs[name])
            bufs[name] += chunk[: max(room, 0)]
            if len(chunk) > room:
                if name == "extra":
                    extra_truncated = True
                    sel.unregister(key.fileobj)
                else:
                    truncated = True
        if truncated:
            _kill_group(proc)
            break
    sel.close()
    end = time.monotonic() + (
        max(grace_s, deadline - time.monotonic()) if not timed_out else grace_s
    )
    pause = 0.0005
    while not _exited(proc):
        if time.monotonic() >= end:
            timed_out = timed_out or not truncated
            break
        time.sleep(pause)
        pause = min(pause * 2, 0.02)
    # make sure nothing of the session survives (daemons that left the group are the backend's
    # job), while the unreaped child still holds the group's id
    _kill_group(proc)
    proc.wait()
    for stream in (proc.stdout, proc.stderr):
        stream.close()
    if extra_r is not None:
        os.close(extra_r)
    if feeder is not None:
        feeder.join(timeout=1)
    code = proc.returncode
    sig = -code if code is not None and code < 0 else None
    return ProcOutcome(
        exit_code=code,
        stdout=bytes(bufs["out"]),
        stderr=bytes(bufs["err"]),
        timed_out=timed_out,
        truncated=truncated,
        wall_s=time.monotonic() - start,
        extra=bytes(bufs["extra"]),
        extra_truncated=extra_truncated,
        signal=sig,
    )
