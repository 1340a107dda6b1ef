"""The `local` backend: resource limits only. UNSAFE for untrusted code.

The program runs as the hub's own user, on the host file system, with the host network. It gets
a fresh temporary working folder, a cleared environment, rlimits (address space, CPU time,
file size, open files) and, where the hub may make them, a memory cgroup of its own for all its
processes together (`_cgroup`, as in bwrap); at the end its process group is killed, then every
process still carrying the run's marker variable (daemons that left the group), then whatever
is left in its cgroup, and its folder is deleted however it was left. That stops runaway loops
and memory bombs of a trusted program, not an attacker. Use `bwrap` or `docker` for
model-written code.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import stat
import tempfile
import time
import uuid

from gymhub.sandboxes._cgroup import RunCgroup, find_parent
from gymhub.sandboxes._proc import run_process
from gymhub.sandboxes._wipe import remove_tree
from gymhub.sandboxes.errors import SandboxConfigError, SandboxError
from gymhub.sandboxes.types import (
    ExecRequest,
    ExecResult,
    Sandbox,
    build_result,
    refused_by_exec,
)

log = logging.getLogger("gymhub.sandboxes")
MARKER = "GYMHUB_SANDBOX_RUN"


def _marked(pid: int, needle: bytes) -> bool:
    """Whether process `pid`'s environment holds `needle` (False if it cannot be read)."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as handle:
            return needle in handle.read().split(b"\0")
    except OSError:
        return False


def kill_marked(marker: str) -> int:
    """SIGKILL every process of this user whose environment holds `marker`; how many there were.
    Repeated until two passes in a row find none (a process may fork while the list is read, or
    be in the middle of an exec, when its environment cannot be read). Each one found is pinned
    by a pidfd and its environment read again before the kill: a pid freed after the first read
    and handed to another process of this user is not killed."""
    needle = f"{MARKER}={marker}".encode()
    killed = clean_passes = 0
    for _ in range(20):
        found = 0
        for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
            if not _marked(pid, needle):
                continue
            try:
                fd = os.pidfd_open(pid)
            except OSError:
                continue  # gone already
            try:
                # while the pinned process lives no other holds its pid: this reads its own
                if _marked(pid, needle):
                    found += 1
                    signal.pidfd_send_signal(fd, signal.SIGKILL)
            except OSError:
                pass
            finally:
                os.close(fd)
        killed += found
        clean_passes = 0 if found else clean_passes + 1
        if clean_passes == 2:
            break
        time.sleep(0.005)
    return killed


class LocalSandbox(Sandbox):
    """rlimits + a temporary folder + a cleared environment; no isolation at all."""

    name = "local"
    strength = 0

    def __init__(self, *, max_open_files: int = 256, cgroup: bool | str = True) -> None:
        if not isinstance(cgroup, (bool, str)):
            raise SandboxConfigError("cgroup must be True, False or a cgroup folder")
        self.prlimit = shutil.which("prlimit")
        if self.prlimit is None:
            raise SandboxError("the local backend needs prlimit (util-linux)")
        self.max_open_files = max_open_files
        #: (parent folder, version) of the memory cgroup each run gets, or None: rlimits cap
        #: each process's address space, not their sum nor memory files and pipes, with which
        #: one run could take the host's memory (as in bwrap; `cgroup` False turns it off)
        self.cgroup = None
        if cgroup:
            self.cgroup = find_parent(cgroup if isinstance(cgroup, str) else None)
            if self.cgroup is None:
                log.warning(
                    "gymhub local: cannot make memory cgroups here; a run's processes together "
                    "are not memory-capped (only each one's address space)"
                )

    @classmethod
    def available(cls) -> bool:
        return shutil.which("prlimit") is not None

    def _cgroup(self, request: ExecRequest) -> RunCgroup | None:
        """The run's memory cgroup (None without cgroups here): the program's memory, what its
        files may hold of a memory-backed /tmp, and 64 MiB for the rest; OSError when it cannot
        be made (the hub's failure)."""
        if self.cgroup is None:
            return None
        inputs_mb = -(-sum(len(d) for d in request.file_bytes().values()) // (1024 * 1024))
        mb = request.memory_mb + 2 * request.disk_mb + inputs_mb + 64
        group = RunCgroup.make(*self.cgroup, mb * 1024 * 1024)
        if group is None:
            raise OSError(f"cannot make a memory cgroup under {self.cgroup[0]}")
        return group

    def run(self, request: ExecRequest) -> ExecResult:
        workdir = tempfile.mkdtemp(prefix="gymhub-local-")
        marker = uuid.uuid4().hex
        group = None
        oom = False
        try:
            for name, data in request.file_bytes().items():
                path = os.path.join(workdir, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as handle:
                    handle.write(data)
                os.chmod(path, 0o755)
            tmp = os.path.join(workdir, ".tmp")
            os.makedirs(tmp)
            env = {
                "PATH": "/usr/bin:/bin",
                "HOME": workdir,
                "TMPDIR": tmp,
                "LANG": "C.UTF-8",
                "PYTHONDONTWRITEBYTECODE": "1",
                **request.env,
                MARKER: marker,
            }
            cpu = max(1, int(request.cpu_limit_s + 0.999))
            argv = [
                self.prlimit,
                f"--as={request.memory_mb * 1024 * 1024}",
                f"--cpu={cpu}:{cpu + 1}",
                f"--fsize={request.disk_mb * 1024 * 1024}",
                f"--nofile={self.max_open_files}",
                "--core=0",
                "--",
                *request.command,
            ]
            try:
                group = self._cgroup(request)
                # moved in by pid before it runs anything (a failed move is an OSError here,
                # never an exit status the program could have made)
                out = run_process(
                    argv,
                    stdin=request.stdin_bytes(),
                    timeout_s=request.timeout_s,
                    output_limit=request.output_limit_bytes,
                    env=env,
                    cwd=workdir,
                    cgroup_procs=group.procs if group is not None else None,
                )
                oom = group is not None and group.oom_killed()
            except OSError as exc:
                refused = refused_by_exec(self.name, request, exc)
                return refused or ExecResult.infra(f"could not start the program: {exc}", self.name)
            finally:
                kill_marked(marker)
                if group is not None:
                    group.remove()  # and with it whatever the run left, marker or not
            files = _read_outputs(workdir, request.output_files, request.disk_mb * 1024 * 1024)
        finally:
            remove_tree(workdir)
        return build_result(
            self.name,
            request,
            exit_code=out.exit_code,
            signum=out.signal,
            stdout=out.stdout,
            stderr=out.stderr,
            timed_out=out.timed_out,
            truncated=out.truncated,
            wall_s=out.wall_s,
            files=files,
            oom_killed=lambda: oom,
        )


def _read_outputs(workdir: str, names: list[str], limit: int) -> dict[str, bytes]:
    """The wanted regular files (no symlinks, fifos or devices), each up to `limit` bytes."""
    files = {}
    for name in names:
        try:
            fd = os.open(os.path.join(workdir, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        with os.fdopen(fd, "rb") as handle:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                files[name] = handle.read(limit)
    return files
