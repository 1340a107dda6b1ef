"""A seccomp filter for sandboxed programs: the system calls no graded program needs and much
of the kernel's attack surface sits behind fail with ENOSYS.

bwrap hands it to bubblewrap (`--seccomp`); the docker launcher installs it in each program
before exec, on top of the engine's own profile (which, before Docker 25, allows io_uring).
Standard library only and Python 3.7+: the docker backend ships this source into its
containers (no `from __future__`, no annotations that 3.7 cannot evaluate).
"""

import os
import struct

# System calls the program is refused (ENOSYS), as docker's default profile refuses them: kernel
# attack surface no program graded here needs. io_uring (a long list of privilege escalations;
# docker >= 25 refuses it), the key management calls (bubblewrap's user namespace gives each run
# its own keyrings, but the code behind them stays reachable), bpf and userfaultfd (most hosts
# refuse them unprivileged already) and perf_event_open.
_DENIED = {
    # machine (uname -m): (AUDIT_ARCH_*, {name: number})
    "x86_64": (
        0xC000003E,
        {"io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
         "add_key": 248, "request_key": 249, "keyctl": 250, "bpf": 321, "userfaultfd": 323,
         "perf_event_open": 298},
    ),
    "aarch64": (
        0xC00000B7,
        {"io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
         "add_key": 217, "request_key": 218, "keyctl": 219, "bpf": 280, "userfaultfd": 282,
         "perf_event_open": 241},
    ),
}  # fmt: skip
_X32_BIT = 0x40000000


def seccomp_filter(machine=None):
    """The classic BPF program (bytes of `struct sock_filter`): the calls in `_DENIED` fail
    with ENOSYS, so do the x32 ABI and any other architecture's calls
    (a 64-bit program may make 32-bit system calls, under other numbers); everything else is
    allowed. None on machines without a table (no filter, as before)."""
    arch, numbers = _DENIED.get(machine or os.uname().machine, (None, {}))
    if arch is None:
        return None
    ld_w_abs, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    allow, refuse = 0x7FFF0000, 0x00050000 | 38  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO|ENOSYS
    denied = sorted(numbers.values())
    # 0: arch, 1: foreign? 2: nr, 3: x32? then one test per denied call, allow, refuse; a
    # jump's offset counts from the next instruction
    last = 5 + len(denied)  # index of the refusing return
    program = [
        (ld_w_abs, 0, 0, 4),  # seccomp_data.arch
        (jeq, 0, last - 2, arch),
        (ld_w_abs, 0, 0, 0),  # seccomp_data.nr
        (jge, last - 4, 0, _X32_BIT),
    ]
    for i, number in enumerate(denied):
        program.append((jeq, last - (4 + i) - 1, 0, number))
    program += [(ret, 0, 0, allow), (ret, 0, 0, refuse)]
    return b"".join(struct.pack("=HBBI", *insn) for insn in program)


def install(libc):
    """Install the filter in this process (no_new_privs must be set: the container's
    `no-new-privileges`); False where there is none for this machine or the kernel refuses."""
    import ctypes

    program = seccomp_filter()
    if program is None or libc is None:
        return False

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_char_p))
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0)
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) == 0
