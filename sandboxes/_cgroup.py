"""A memory cgroup per sandbox run, for the backends that start host processes (bwrap).

rlimits cap each process's address space, not their sum: a program with `memory_mb=128` that
forks 64 processes, or writes gigabytes into memory files (`memfd_create`) and pipes, could take
the host's whole memory and get the hub (or anything else) killed by the kernel's OOM killer. A
cgroup caps the run's total; its own OOM kills end the program (`memory_limit`), nothing outside.

Works with the cgroup v1 memory controller (a root hub: any folder may be made) and cgroup v2
where the parent cgroup delegates the memory controller (`memory` in its `cgroup.subtree_control`,
or enabled here when the parent holds no process): the hub's own cgroup, else its parent, or the
folder given as `BwrapSandbox(cgroup=...)`. `find_parent()` returns None where neither
works; the backend then runs without (documented in docs/sandboxes.md).
"""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import signal
import threading
import time

log = logging.getLogger("gymhub.sandboxes")
ROOT = "/sys/fs/cgroup"
PREFIX = "gymhub-run-"
# a run's cgroup holds its first process microseconds after it is made: one without any that is
# older than this was left by a process that exited before it could remove it
STALE_S = 60.0
_LOCK = threading.Lock()
_PENDING: set[threading.Thread] = set()


def _finish_pending(wait_s: float = 3.0) -> None:
    """At exit: let the removals still waiting for a run's last processes finish (their threads
    are daemons, which die with the process and left empty cgroups behind)."""
    end = time.monotonic() + wait_s
    with _LOCK:
        threads = list(_PENDING)
    for thread in threads:
        thread.join(max(end - time.monotonic(), 0.0))


atexit.register(_finish_pending)


def remove_stale(parent: str) -> None:
    """Remove the empty run cgroups under `parent` that an exited process left behind (rmdir
    fails on any that still holds a process)."""
    try:
        names = [n for n in os.listdir(parent) if n.startswith(PREFIX)]
    except OSError:
        return
    now = time.time()
    for name in names:
        path = os.path.join(parent, name)
        try:
            if now - os.stat(path).st_mtime > STALE_S:
                os.rmdir(path)
        except OSError:
            pass


def _own_path(controller: str | None) -> str | None:
    """This process's cgroup path for a v1 `controller`, or its v2 path (controller None)."""
    try:
        with open("/proc/self/cgroup") as handle:
            rows = handle.read().splitlines()
    except OSError:
        return None
    for row in rows:
        _, names, path = row.split(":", 2)
        if (controller is None and names == "") or (
            controller is not None and controller in names.split(",")
        ):
            return path
    return None


def _v2_parent(folder: str) -> bool:
    """Whether memory cgroups can be made under the v2 cgroup `folder` (enabling the controller
    for its children if it holds no process itself)."""
    try:
        with open(os.path.join(folder, "cgroup.subtree_control")) as handle:
            if "memory" in handle.read().split():
                return True
        with open(os.path.join(folder, "cgroup.subtree_control"), "w") as handle:
            handle.write("+memory")
        return True
    except OSError:
        return False


def find_parent(explicit: str | None = None) -> tuple[str, int] | None:
    """(folder under which run cgroups are made, cgroup version), or None where this process
    cannot make memory cgroups. `explicit` names the parent folder (a delegated cgroup)."""
    candidates: list[tuple[str, int]] = []
    if explicit:
        version = 2 if os.path.exists(os.path.join(explicit, "cgroup.controllers")) else 1
        candidates.append((explicit, version))
    else:
        v1 = _own_path("memory")
        if v1 is not None and os.path.isdir(os.path.join(ROOT, "memory")):
            candidates.append((os.path.join(ROOT, "memory") + v1.rstrip("/"), 1))
        v2 = _own_path(None)
        if v2 is not None and os.path.exists(os.path.join(ROOT, "cgroup.controllers")):
            # its own cgroup holds this process, so under v2 it can delegate no controller
            # unless it is the root; beside it, in its parent (a systemd slice), usually can
            candidates.append((ROOT + v2.rstrip("/"), 2))
            if v2.strip("/"):
                candidates.append((ROOT + os.path.dirname(v2.rstrip("/")).rstrip("/"), 2))
    for folder, version in candidates:
        if version == 2 and not _v2_parent(folder):
            continue
        probe = RunCgroup.make(folder, version, 64 * 1024 * 1024)
        if probe is not None:
            probe.remove_when_empty()
            remove_stale(folder)
            return folder, version
    return None


class RunCgroup:
    """One run's cgroup: made with a memory limit, the run's first process moved in before it
    starts (`procs`), asked whether its OOM killer struck, removed afterwards."""

    def __init__(self, path: str, version: int) -> None:
        self.path = path
        self.version = version

    @classmethod
    def make(cls, parent: str, version: int, limit_bytes: int) -> RunCgroup | None:
        path = os.path.join(parent, f"{PREFIX}{secrets.token_hex(6)}")
        try:
            os.mkdir(path, 0o755)
        except OSError as exc:
            log.debug("gymhub sandbox: cannot make cgroup %s: %r", path, exc)
            return None
        group = cls(path, version)
        try:
            if version == 1:
                group._write("memory.limit_in_bytes", str(limit_bytes))
                # no swap either, where the kernel accounts it
                if os.path.exists(os.path.join(path, "memory.memsw.limit_in_bytes")):
                    group._write("memory.memsw.limit_in_bytes", str(limit_bytes))
            else:
                group._write("memory.max", str(limit_bytes))
                if os.path.exists(os.path.join(path, "memory.swap.max")):
                    group._write("memory.swap.max", "0")
        except OSError as exc:
            log.debug("gymhub sandbox: cannot set the cgroup's limit: %r", exc)
            group.remove_when_empty()
            return None
        return group

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def procs(self) -> str:
        return os.path.join(self.path, "cgroup.procs")

    @property
    def tasks(self) -> str | None:
        """cgroup v1's per-thread `tasks` file (None on v2): a single-threaded process that
        writes 0 to it moves itself in without the wait a move by pid costs (`run_process`)."""
        return os.path.join(self.path, "tasks") if self.version == 1 else None

    def _write(self, name: str, value: str) -> None:
        with open(os.path.join(self.path, name), "w") as handle:
            handle.write(value)

    def oom_killed(self) -> bool:
        """Whether the kernel's OOM killer ended a process of this cgroup."""
        name = "memory.oom_control" if self.version == 1 else "memory.events"
        try:
            with open(os.path.join(self.path, name)) as handle:
                for row in handle:
                    key, _, value = row.partition(" ")
                    if key == "oom_kill":
                        return int(value) > 0
        except (OSError, ValueError):
            pass
        return False

    def remove(self) -> None:
        """rmdir the cgroup now, or, while the kernel is still ending the processes of the
        run's pid namespace (a moment after its init), in a helper thread: the run does not
        wait for it."""
        try:
            os.rmdir(self.path)
            return
        except FileNotFoundError:
            return
        except OSError:
            pass
        thread = threading.Thread(target=self.remove_when_empty, daemon=True)
        with _LOCK:
            _PENDING.add(thread)
        thread.start()

    def remove_when_empty(self, wait_s: float = 10.0) -> bool:
        """rmdir the cgroup once its processes are gone; any still there are SIGKILLed."""
        try:
            return self._remove_when_empty(wait_s)
        finally:
            with _LOCK:
                _PENDING.discard(threading.current_thread())

    def _remove_when_empty(self, wait_s: float) -> bool:
        end = time.monotonic() + wait_s
        while True:
            try:
                os.rmdir(self.path)
                return True
            except FileNotFoundError:
                return True
            except OSError:
                if time.monotonic() > end:
                    log.warning("gymhub sandbox: cgroup %s is still busy", self.path)
                    return False
            self._kill_all()
            time.sleep(0.01)

    def _pids(self) -> list[int]:
        try:
            with open(self.procs) as handle:
                return [int(p) for p in handle.read().split()]
        except (OSError, ValueError):
            return []

    def _kill_all(self) -> None:
        """SIGKILL every process of the cgroup without a pid-reuse race: a pid read from
        `cgroup.procs` may have been freed and handed to another host process before the
        kill (pid_max is often 32768, and runs beside it fork fast), and the hub is root.
        cgroup v2's `cgroup.kill` kills them all at once; otherwise each process is pinned by a
        pidfd first and signalled only if its pid is still listed afterwards (while the pinned
        process lives, no other holds its pid)."""
        if self.version == 2:
            try:
                self._write("cgroup.kill", "1")
                return
            except OSError:
                pass  # before Linux 5.14
        pinned = []
        for pid in self._pids():
            try:
                pinned.append((pid, os.pidfd_open(pid)))
            except OSError:
                pass  # gone already
        try:
            listed = set(self._pids())
            for pid, fd in pinned:
                if pid in listed:
                    try:
                        signal.pidfd_send_signal(fd, signal.SIGKILL)
                    except OSError:
                        pass
        finally:
            for _, fd in pinned:
                os.close(fd)
