"""The gate in front of a bwrap run's bubblewrap: a tiny C program, compiled once per machine.

A run's first process must enter the run's memory cgroup before bubblewrap starts. On cgroup v1
it moves itself: it writes 0 ("this thread") to the cgroup's `tasks` file, which the hub opened
and passed to it (`_proc.run_process(cgroup_tasks=...)`), closes it and execs bubblewrap. A bash
did that in about 2.5 ms (its own start-up, more than a third of what the hub adds to a run);
this program does it in a few hundred microseconds. `run_process` keeps the bash gate where no
compiler works or the host refuses to run programs from memory files (`vm.memfd_noexec`).

The binary is handed to each run as a sealed memory file (`gate_fd()`), executed as
`/proc/self/fd/N` by the run's process after its switch to the run's uid (a cached file under
root's home would not be reachable for that uid); it closes that descriptor too before the exec.
argv: gate SELF_FD TASKS_FD COMMAND...  Exit 125 when the move fails (nothing is run), 127 when
COMMAND cannot be executed.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading

from gymhub.sandboxes._bwrap_init import cached_binary

log = logging.getLogger("gymhub.sandboxes")

SOURCE = r"""
#include <stdlib.h>
#include <unistd.h>

static int number(const char *text) {
    char *end;
    long value = strtol(text, &end, 10);
    if (*text == 0 || *end != 0 || value < 0 || value > 1048576) return -1;
    return (int)value;
}

int main(int argc, char **argv) {
    static const char failed[] = "gymhub gate: cannot enter the run's cgroup\n";
    if (argc < 4) return 125;
    int self = number(argv[1]), tasks = number(argv[2]);
    if (self < 0 || tasks < 0) return 125;
    if (write(tasks, "0", 1) != 1) {
        (void)!write(2, failed, sizeof failed - 1);
        return 125;
    }
    if (close(tasks) != 0 || close(self) != 0) return 125;
    execvp(argv[3], argv + 3);
    return 127;
}
"""

_LOCK = threading.Lock()
_STATE: dict[str, object] = {}


def _forget_in_child() -> None:
    """In a forked child: a fresh lock (another thread may have held the parent's) and no
    gate yet (the inherited descriptor stays the parent's business)."""
    global _LOCK
    _LOCK = threading.Lock()
    _STATE.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def gate_binary() -> bytes | None:
    """The compiled gate, or None where it cannot be built (compiled once per machine and
    source version, cached beside the bwrap init)."""
    return cached_binary(SOURCE, "bwrap-gate", "cgroup gate")


def gate_fd() -> int | None:
    """A sealed memory file holding the gate (one per process, close-on-exec here: only the
    runs it is passed to get it), or None without one. A forked child makes its own."""
    with _LOCK:
        if _STATE.get("pid") != os.getpid():
            _STATE.clear()
            _STATE["pid"] = os.getpid()
            data = gate_binary()
            fd = None
            if data is not None:
                try:
                    fd = os.memfd_create("gymhub-gate", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
                    os.write(fd, data)
                    seals = (
                        fcntl.F_SEAL_SEAL
                        | fcntl.F_SEAL_SHRINK
                        | fcntl.F_SEAL_GROW
                        | fcntl.F_SEAL_WRITE
                    )
                    fcntl.fcntl(fd, fcntl.F_ADD_SEALS, seals)
                except OSError as exc:
                    log.info("gymhub bwrap: cannot hold the cgroup gate in memory: %r", exc)
                    if fd is not None:
                        os.close(fd)
                    fd = None
            _STATE["fd"] = fd
        fd = _STATE.get("fd")
        return fd if isinstance(fd, int) else None
