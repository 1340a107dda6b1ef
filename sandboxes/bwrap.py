"""The `bwrap` backend: bubblewrap namespaces around every run.

Each run gets new user, pid, network, ipc, uts and cgroup namespaces; a read-only view of /usr
only (no home folders, no host /tmp, no checkout, /usr/local hidden); a private size-limited
tmpfs as working folder and another as /tmp; a cleared environment; rlimits on address space,
CPU time, processes, file size and open files; the command in a user namespace of its own, so
that it cannot trace bubblewrap's pid 1; `--die-with-parent` and a SIGKILL of the session
at the deadline. When the hub runs as root, bubblewrap itself is started as an unprivileged uid,
a random one per run, so the sandbox's uid 0 maps to a host uid nothing else uses and process
limits apply.

Two ways to finish the set-up inside the namespaces, with the same result: the fast one hands
the input files and a small compiled init (`_bwrap_init`) to bubblewrap through memory file
descriptors, and that init sets the inode limits, rlimits and capabilities in one process; the
shell one (no C compiler here) writes the inputs to a host folder and runs bash, mount, cp,
unshare, setpriv and prlimit. docs/sandboxes.md explains why both isolate the same.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import shutil
import struct
import tarfile
import tempfile
from typing import Any

from gymhub.sandboxes._bwrap_init import init_binary
from gymhub.sandboxes._cgroup import RunCgroup, find_parent
from gymhub.sandboxes._gate import gate_fd
from gymhub.sandboxes._proc import ProcOutcome, run_process
from gymhub.sandboxes._seccomp import seccomp_filter
from gymhub.sandboxes.errors import SandboxConfigError, SandboxError
from gymhub.sandboxes.types import (
    ExecRequest,
    ExecResult,
    Sandbox,
    build_result,
    refused_by_exec,
)

log = logging.getLogger("gymhub.sandboxes")
UNPRIVILEGED_UID = 65534
SANDBOX_PATH = "/usr/bin:/bin"
BASE_ENV = {
    "PATH": SANDBOX_PATH,
    "HOME": "/sandbox",
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
}
STARTED = b"S"
# what a program with `network=True` needs to resolve names and check certificates
NETWORK_FILES = (
    "/etc/resolv.conf",
    "/etc/hosts",
    "/etc/nsswitch.conf",
    "/etc/host.conf",
    "/etc/gai.conf",
    "/etc/ssl",
    "/etc/ca-certificates",
)
# A request's `network=True` alone never opens the host's network: with `--share-net` the program
# reaches every service on the host's loopback (a gymhub server, a model server, Docker's API on
# TCP) and its abstract Unix sockets. User-mode networking (slirp4netns, pasta) would hide the
# loopback but still reach services on the host's other addresses and link-local metadata
# services, parsing the program's packets in a host process. Only the operator can opt in.
NETWORK_REFUSED = (
    "the bwrap backend refuses network=True: it would share the host's network namespace, whose "
    "loopback services (this hub, model servers, Docker's API) the program could reach. No "
    "backend gives sandboxed code a network of its own (docker has none). For code you would "
    "let onto this host's network, construct BwrapSandbox(host_network=True)"
)

# files and folders per tmpfs mount: empty files cost kernel memory that `size=` does not count
MAX_INODES = 65536
# what the kernel's memory for one file or folder (inode, dentry, a long name) may cost: the
# memory cgroup of a run leaves room for all those its tmpfs mounts may hold
KERNEL_BYTES_PER_INODE = 2048
# the fast set-up passes one descriptor per input file; requests with more use the shell one
MAX_FAST_FILES = 64
INIT_PATH = "/.gymhub-init"

# Runs inside the sandbox as its uid 0 holding only CAP_SYS_ADMIN/CAP_SETPCAP/CAP_SETFCAP of the
# new user namespace: mounts the size-limited tmpfs, copies the input files, then runs the
# command in a user namespace of its own (so it cannot trace bubblewrap's pid 1) with every
# capability dropped and the rlimits applied, and finally streams the wanted output files as a
# tar archive over a descriptor the command itself never had.
INIT = r"""
set -u
NOUSERNS=/proc/sys/user/max_user_namespaces
fd="$1"; disk="$2"; work="$3"; inodes="$4"; limits="$5"; nout="$6"; shift 6
outs=()
for ((i = 0; i < nout; i++)); do outs+=("$1"); shift; done
mount -t tmpfs -o "size=${work}m,nr_inodes=${inodes},mode=0755" tmpfs /sandbox || exit 125
mount -t tmpfs -o "size=${disk}m,nr_inodes=${inodes},mode=1777" tmpfs /tmp || exit 125
mount -t tmpfs -o "size=${disk}m,nr_inodes=${inodes},mode=1777" tmpfs /dev/shm || exit 125
mount -o remount,bind,ro /dev || exit 125
cp -R /in/. /sandbox/ 2>/dev/null || exit 125
umount /in 2>/dev/null
cd /sandbox || exit 125
unshare --user --map-root-user -- bash -c "echo 0 > $NOUSERNS" || exit 125
unset OLDPWD SHLVL _
printf S >&"$fd"
(
  exec {fd}>&-
  exec unshare --user --map-root-user -- \
    bash -c 'echo 0 > "$0" || exit 125; exec env -u SHLVL -- "$@"' "$NOUSERNS" \
    setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all --no-new-privs -- \
    prlimit $limits -- "$@"
)
rc=$?
if [ "$nout" -gt 0 ]; then
  existing=()
  for f in "${outs[@]}"; do [ -f "$f" ] && [ ! -L "$f" ] && existing+=("$f"); done
  if [ "${#existing[@]}" -gt 0 ]; then tar -cf - -- "${existing[@]}" >&"$fd" 2>/dev/null; fi
fi
exit $rc
"""


SECCOMP = seccomp_filter()
SECCOMP_KEY = "\x00seccomp"  # its descriptor among the fast set-up's (never a file name)


def _memfd(data: bytes) -> int:
    """A memory file holding `data`, read from its start by the process it is passed to."""
    fd = os.memfd_create("gymhub-input")
    with open(fd, "wb", closefd=False) as handle:
        handle.write(data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _seccomp_args(fd: int | None) -> list[str]:
    return ["--seccomp", str(fd)] if fd is not None else []


def _inputs_mb(request: ExecRequest) -> int:
    """What the input files take of a tmpfs, in MiB rounded up: whole pages per file, so that
    they always fit (by their byte count 20000 one-byte files were 0 MiB, but fill 80 MiB, and
    the set-up failed as the hub's error)."""
    page = os.sysconf("SC_PAGE_SIZE")
    pages = sum(-(-len(data) // page) for data in request.file_bytes().values())
    return -(-pages * page // (1024 * 1024))


def bwrap_available() -> bool:
    """True when bubblewrap is installed and can create its namespaces here."""
    exe = shutil.which("bwrap")
    if exe is None:
        return False
    try:
        out = run_process(
            [
                exe,
                "--unshare-all",
                "--ro-bind",
                "/usr",
                "/usr",
                "--symlink",
                "usr/bin",
                "/bin",
                "--symlink",
                "usr/lib",
                "/lib",
                "--symlink",
                "usr/lib64",
                "/lib64",
                "--proc",
                "/proc",
                "--",
                # the command's own user namespace inside (see INIT), where no other may be
                # created: without both, no sandbox
                "/usr/bin/unshare",
                "--user",
                "--map-root-user",
                "--",
                "/usr/bin/bash",
                "-c",
                "echo 0 > /proc/sys/user/max_user_namespaces",
            ],
            timeout_s=10,
            output_limit=10_000,
            user=UNPRIVILEGED_UID if os.geteuid() == 0 else None,
        )
    except OSError:
        return False
    return out.exit_code == 0


class BwrapSandbox(Sandbox):
    """Namespaced execution with bubblewrap; works unprivileged (see the module docstring)."""

    name = "bwrap"
    strength = 2

    def __init__(
        self,
        *,
        max_processes: int = 64,
        max_open_files: int = 256,
        fast: bool | None = None,
        cgroup: bool | str = True,
        cgroup_self_move: bool | None = None,
        compiled_gate: bool | None = None,
        host_network: bool = False,
    ) -> None:
        if not isinstance(host_network, bool):
            raise SandboxConfigError(
                f"host_network must be True or False, not {type(host_network).__name__}"
            )
        exe = shutil.which("bwrap")
        if exe is None:
            raise SandboxError("bubblewrap is not installed (apt-get install bubblewrap)")
        for tool in ("bash", "unshare", "setpriv", "prlimit", "mount", "tar"):
            if shutil.which(tool, path="/usr/bin:/bin") is None:
                raise SandboxError(f"the bwrap backend needs {tool} in /usr/bin")
        self.exe = exe
        #: whether a request with `network=True` gets the host's network namespace (loopback
        #: services included); off: such requests are refused, see `NETWORK_REFUSED`
        self.host_network = host_network
        self.max_processes = max_processes
        self.max_open_files = max_open_files
        #: whether bubblewrap is started as a random unprivileged uid per run (the hub is root)
        self.switch_uid = os.geteuid() == 0
        #: (parent folder, version) of the memory cgroup each run gets, or None: rlimits cap
        #: each process, the cgroup all of them together (see `_cgroup`); `cgroup` False turns
        #: it off, a path names a delegated parent cgroup
        self.cgroup = None
        if cgroup:
            self.cgroup = find_parent(cgroup if isinstance(cgroup, str) else None)
            if self.cgroup is None:
                log.warning(
                    "gymhub bwrap: cannot make memory cgroups here; a run's processes together "
                    "are not memory-capped (only each one's address space)"
                )
        if cgroup_self_move is None:
            cgroup_self_move = os.environ.get("GYMHUB_BWRAP_CGROUP_SELF_MOVE", "1") != "0"
        #: whether a run's gate moves itself into its cgroup (cgroup v1 `tasks`, 0: no wait
        #: for the kernel's RCU grace period) instead of the hub moving it by pid; checked once
        self.cgroup_self_move = False
        #: the compiled gate that does it (`_gate`; a memory file), or None: a bash does it
        self.gate: int | None = None
        if compiled_gate is None:
            compiled_gate = os.environ.get("GYMHUB_BWRAP_GATE", "1") != "0"
        if cgroup_self_move and self.cgroup is not None and self.cgroup[1] == 1:
            gate = gate_fd() if compiled_gate else None
            if gate is not None and self._self_move_works(gate):
                self.cgroup_self_move, self.gate = True, gate
            elif self._self_move_works(None):
                self.cgroup_self_move = True
        if fast is None:
            fast = os.environ.get("GYMHUB_BWRAP_FAST", "1") != "0"
        #: the compiled init of the fast set-up, or None: every run takes the shell set-up
        self.init = init_binary() if fast else None
        if self.init is not None and not self._fast_works():
            self.init = None

    @classmethod
    def available(cls) -> bool:
        return bwrap_available()

    def _self_move_works(self, gate: int | None) -> bool:
        """One trial of the self-move (by the compiled `gate`, or by bash where None): a process
        started as a run's uid must find itself in the fresh cgroup (else runs take the bash
        gate, or the hub's move by pid, as before)."""
        assert self.cgroup is not None
        group = RunCgroup.make(*self.cgroup, 64 * 1024 * 1024)
        if group is None or group.tasks is None:
            return False
        try:
            out = run_process(
                ["/usr/bin/cat", "/proc/self/cgroup"],
                timeout_s=10,
                output_limit=100_000,
                user=self._run_uid(),
                cgroup_tasks=group.tasks,
                gate_fd=gate,
            )
        except OSError as exc:
            log.info("gymhub bwrap: a run cannot move itself into its cgroup: %r", exc)
            return False
        finally:
            group.remove()
        rows = out.stdout.decode("utf-8", "replace").splitlines()
        inside = any(
            "memory" in row.split(":")[1].split(",") and row.endswith("/" + group.name)
            for row in rows
            if row.count(":") >= 2
        )
        if not inside:
            log.info("gymhub bwrap: a run cannot move itself into its cgroup: %s", out)
        return inside

    def _move(self, group: RunCgroup | None) -> dict[str, Any]:
        """How `run_process` moves a run's first process into `group`."""
        if group is None:
            return {}
        if self.cgroup_self_move and group.tasks is not None:
            return {"cgroup_tasks": group.tasks, "gate_fd": self.gate}
        return {"cgroup_procs": group.procs}

    def _run_uid(self) -> int | None:
        """The host uid a run's bubblewrap starts as: None (the hub's own) unless the hub is
        root; then a random one, not `nobody` for every run: the kernel counts some quotas
        per user (inotify instances, message queue bytes), and a program holding them made
        them fail for the runs beside it."""
        return 100_000 + secrets.randbelow(900_000_000) if self.switch_uid else None

    def _prefix(self) -> list[str]:
        """Namespaces, identity and the read-only view of the host: the same for every run."""
        return [
            self.exe,
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--clearenv",
            "--hostname", "sandbox",
            "--uid", "0",
            "--gid", "0",
            "--cap-add", "CAP_SYS_ADMIN",
            "--cap-add", "CAP_SETPCAP",
            "--cap-add", "CAP_SETFCAP",  # to map uid 0 into the command's own user namespace
            "--ro-bind", "/usr", "/usr",
            "--tmpfs", "/usr/local",
            "--remount-ro", "/usr/local",
            "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/sbin", "/sbin",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
            "--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
            "--proc", "/proc",
            "--dev", "/dev",
        ]  # fmt: skip

    @staticmethod
    def _network_and_env(request: ExecRequest) -> list[str]:
        argv: list[str] = []
        if request.network:
            argv.append("--share-net")
            for path in NETWORK_FILES:
                argv += ["--ro-bind-try", path, path]
        for key, value in {**BASE_ENV, **request.env}.items():
            argv += ["--setenv", key, value]
        return argv

    def _argv(self, request: ExecRequest, indir: str, seccomp_fd: int | None = None) -> list[str]:
        """The shell set-up: inputs come from a host folder bound read-only at /in."""
        argv = self._prefix() + [
            "--dir", "/dev/shm",
            "--dir", "/sandbox",
            "--dir", "/tmp",
            "--ro-bind", indir, "/in",
        ]  # fmt: skip
        argv += self._network_and_env(request) + _seccomp_args(seccomp_fd)
        argv += ["--remount-ro", "/", "--chdir", "/"]
        cpu = max(1, int(request.cpu_limit_s + 0.999))
        limits = (
            f"--as={request.memory_mb * 1024 * 1024} --cpu={cpu}:{cpu + 1} "
            f"--nproc={self.max_processes} --fsize={request.disk_mb * 1024 * 1024} "
            f"--nofile={self.max_open_files} --core=0"
        )
        inputs_mb = _inputs_mb(request)
        argv += [
            "--",
            "/usr/bin/bash",
            "-c",
            INIT,
            "init",
            "{EXTRA_FD}",
            str(request.disk_mb),
            str(request.disk_mb + inputs_mb),  # the inputs (whole pages), then disk_mb
            str(MAX_INODES + len(request.files)),
            limits,
        ]
        argv += [str(len(request.output_files)), *request.output_files, *request.command]
        return argv

    def _fast_argv(
        self,
        request: ExecRequest,
        init_fd: int,
        fds: dict[str, int],
        seccomp_fd: int | None = None,
    ) -> list[str]:
        """The fast set-up: bubblewrap sizes the tmpfs mounts and copies the init and each input
        file (`fds`: name -> descriptor) from memory file descriptors; the init does the rest."""
        mb = 1024 * 1024
        disk = request.disk_mb * mb
        # as in the shell set-up: the inputs always fit, the rest is disk_mb
        inputs_mb = _inputs_mb(request)
        work = (request.disk_mb + inputs_mb) * mb
        argv = self._prefix() + [
            "--perms", "1777", "--size", str(disk), "--tmpfs", "/dev/shm",
            "--remount-ro", "/dev",
            "--perms", "1777", "--size", str(disk), "--tmpfs", "/tmp",
            "--perms", "0755", "--size", str(work), "--tmpfs", "/sandbox",
            "--perms", "0555", "--file", str(init_fd), INIT_PATH,
        ]  # fmt: skip
        for folder in sorted({os.path.dirname(name) for name in fds} - {""}):
            argv += ["--perms", "0755", "--dir", f"/sandbox/{folder}"]
        for name, fd in fds.items():
            argv += ["--perms", "0755", "--file", str(fd), f"/sandbox/{name}"]
        argv += self._network_and_env(request) + _seccomp_args(seccomp_fd)
        argv += ["--remount-ro", "/", "--chdir", "/sandbox", "--", INIT_PATH, "{EXTRA_FD}"]
        cpu = max(1, int(request.cpu_limit_s + 0.999))
        argv += [
            str(MAX_INODES + len(request.files)),  # as the shell set-up: the same for all three
            str(MAX_INODES + len(request.files)),
            str(request.memory_mb * mb),
            str(cpu),
            str(self.max_processes),
            str(disk),
            str(self.max_open_files),
            str(disk),
            str(len(request.output_files)),
            *request.output_files,
            "--",
            *request.command,
        ]
        return argv

    def _fast_works(self) -> bool:
        """One trial run of the fast set-up (an old bubblewrap lacks --size or --perms)."""
        result = self.run(ExecRequest(command=["true"], timeout_s=30))
        if result.status != "ok":
            log.info("gymhub bwrap: the fast set-up does not work here: %s", result)
        return result.status == "ok"

    def run(self, request: ExecRequest) -> ExecResult:
        if request.network and not self.host_network:
            return ExecResult.infra(NETWORK_REFUSED, self.name)
        if self.init is not None and len(request.files) <= MAX_FAST_FILES:
            return self._run_fast(request)
        return self._run_shell(request)

    def _cgroup(self, request: ExecRequest) -> RunCgroup | None:
        """The run's memory cgroup (None without cgroups here): the program's memory plus
        what its tmpfs mounts may hold (their pages count too, and the kernel's memory for
        their files and folders, up to the inode limit of each), and 64 MiB for bubblewrap,
        the set-up and the processes' kernel memory; OSError when it cannot be made (the hub's
        failure)."""
        if self.cgroup is None:
            return None
        mb = request.memory_mb + 3 * request.disk_mb + _inputs_mb(request) + 64
        inodes = 3 * (MAX_INODES + len(request.files)) * KERNEL_BYTES_PER_INODE
        group = RunCgroup.make(*self.cgroup, mb * 1024 * 1024 + inodes)
        if group is None:
            raise OSError(f"cannot make a memory cgroup under {self.cgroup[0]}")
        return group

    def _run_fast(self, request: ExecRequest) -> ExecResult:
        fds: dict[str, int] = {}
        group = None
        seccomp_fd = None
        try:
            for name, data in [(INIT_PATH, self.init or b""), *request.file_bytes().items()]:
                fds[name] = _memfd(data)
            inputs = {name: fd for name, fd in fds.items() if name != INIT_PATH}
            if SECCOMP is not None:
                seccomp_fd = fds[SECCOMP_KEY] = _memfd(SECCOMP)
            wanted = request.disk_mb * 1024 * 1024 if request.output_files else 0
            group = self._cgroup(request)
            out = run_process(
                self._fast_argv(request, fds[INIT_PATH], inputs, seccomp_fd),
                stdin=request.stdin_bytes(),
                timeout_s=request.timeout_s + 0.5,  # set-up costs a few ms
                output_limit=request.output_limit_bytes,
                extra_fd_limit=1 + wanted + 1024 * (len(request.output_files) + wanted // 65536),
                user=self._run_uid(),
                pass_fds=tuple(fds.values()),
                **self._move(group),
            )
            oom = group is not None and group.oom_killed()
        except OSError as exc:
            refused = refused_by_exec(self.name, request, exc)
            return refused or ExecResult.infra(f"could not start bubblewrap: {exc}", self.name)
        finally:
            for fd in fds.values():
                os.close(fd)
            if group is not None:
                group.remove()
        files = {}
        if request.output_files and len(out.extra) > 1:
            files = _unframe(out.extra[1:], set(request.output_files))
        return self._result(request, out, files, oom)

    def _run_shell(self, request: ExecRequest) -> ExecResult:
        # bubblewrap may run as `nobody`: the input folder must be reachable for it, which a
        # private TMPDIR (e.g. under /root) is not
        base = "/tmp" if self.switch_uid and os.path.isdir("/tmp") else None
        indir = tempfile.mkdtemp(prefix="gymhub-bwrap-", dir=base)
        group = None
        seccomp_fd = None
        uid = self._run_uid()
        try:
            # only the run's own uid may enter it (it was world-readable: any user of the host
            # could read a run's inputs, tests and expected outputs included, in /tmp)
            if uid is not None:
                os.chown(indir, uid, uid)
            os.chmod(indir, 0o700)
            for name, data in request.file_bytes().items():
                path = os.path.join(indir, name)
                os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
                with open(path, "wb") as handle:
                    handle.write(data)
                os.chmod(path, 0o755)
            group = self._cgroup(request)
            if SECCOMP is not None:
                seccomp_fd = _memfd(SECCOMP)
            out = run_process(
                self._argv(request, indir, seccomp_fd),
                stdin=request.stdin_bytes(),
                timeout_s=request.timeout_s
                + 0.5,  # setup costs a few ms; the command gets its full time
                output_limit=request.output_limit_bytes,
                extra_fd_limit=1 + request.disk_mb * 1024 * 1024 if request.output_files else 1,
                user=uid,
                pass_fds=(seccomp_fd,) if seccomp_fd is not None else (),
                **self._move(group),
            )
            oom = group is not None and group.oom_killed()
        except OSError as exc:
            refused = refused_by_exec(self.name, request, exc)
            return refused or ExecResult.infra(f"could not start bubblewrap: {exc}", self.name)
        finally:
            shutil.rmtree(indir, ignore_errors=True)
            if seccomp_fd is not None:
                os.close(seccomp_fd)
            if group is not None:
                group.remove()
        files: dict[str, bytes] = {}
        if request.output_files and len(out.extra) > 1:
            files = _untar(out.extra[1:], set(request.output_files))
        return self._result(request, out, files, oom)

    def _result(
        self, request: ExecRequest, out: ProcOutcome, files: dict[str, bytes], oom: bool = False
    ) -> ExecResult:
        if not out.extra.startswith(STARTED) and not out.timed_out:
            detail = out.stderr.decode("utf-8", "replace")[-1000:]
            return ExecResult.infra(
                f"sandbox set-up failed (exit {out.exit_code}): {detail}", self.name
            )
        # the launcher script reports a program killed by a signal as 128 + signal, as bash does
        code = out.exit_code
        signum = (
            out.signal if out.signal is not None else (code - 128 if code and code > 128 else None)
        )
        return build_result(
            self.name,
            request,
            exit_code=code,
            signum=signum,
            stdout=out.stdout,
            stderr=out.stderr,
            timed_out=out.timed_out,
            truncated=out.truncated,
            wall_s=out.wall_s,
            files=files,
            oom_killed=lambda: oom,
        )


def _untar(data: bytes, wanted: set[str]) -> dict[str, bytes]:
    """Regular files named in `wanted` from a tar stream written inside the sandbox."""
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r|") as archive:
            for member in archive:
                name = member.name.lstrip("./")
                if member.isfile() and name in wanted:
                    handle = archive.extractfile(member)
                    if handle is not None:
                        found[name] = handle.read()
    except (tarfile.TarError, OSError, EOFError):
        pass
    return found


def _unframe(data: bytes, wanted: set[str]) -> dict[str, bytes]:
    """Output files as the fast set-up's init sends them: "F", name length, name, chunks of
    (length, data), a zero length. Anything malformed or cut short ends the list."""
    found: dict[str, bytes] = {}
    pos = 0
    try:
        while pos < len(data) and data[pos : pos + 1] == b"F":
            (size,) = struct.unpack_from(">I", data, pos + 1)
            name = data[pos + 5 : pos + 5 + size].decode("utf-8", "surrogateescape")
            pos += 5 + size
            chunks = []
            while True:
                (size,) = struct.unpack_from(">I", data, pos)
                pos += 4
                if size == 0:
                    break
                if pos + size > len(data):
                    return found
                chunks.append(data[pos : pos + size])
                pos += size
            if name in wanted:
                found[name] = b"".join(chunks)
    except struct.error:
        pass
    return found
