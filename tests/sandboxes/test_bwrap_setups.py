"""The bwrap backend's two set-ups (the compiled init, and the shell one used where no C
compiler works) give the program the same view, limits and privileges; the fast one is the
default wherever a compiler exists."""

from __future__ import annotations

import json

import pytest

from gymhub.sandboxes import ExecRequest
from gymhub.sandboxes.bwrap import BwrapSandbox, _unframe
from tests.sandboxes.conftest import make_backend

PROBE = r"""
import json, os, resource, sys
status = dict(line.split(":\t", 1) for line in open("/proc/self/status").read().splitlines()
              if ":\t" in line)
mounts = {}
for line in open("/proc/self/mountinfo"):
    fields = line.split()
    point, rest = fields[4], fields[fields.index("-") + 1:]
    if point in ("/sandbox", "/tmp", "/dev/shm", "/", "/dev", "/usr", "/proc"):
        mounts[point] = [fields[5].split(",")[0], rest[0]]
sizes = {}
for folder in ("/sandbox", "/tmp", "/dev/shm"):
    st = os.statvfs(folder)
    sizes[folder] = [st.f_blocks * st.f_frsize, st.f_files, oct(os.stat(folder).st_mode)]
limits = {name: resource.getrlimit(getattr(resource, name)) for name in
          ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE",
           "RLIMIT_CORE")}
tree = sorted(os.path.join(r, n) for r, ds, ns in os.walk(".") for n in ds + ns)
print(json.dumps({
    "ids": [os.getuid(), os.getgid(), os.getgroups()],
    "caps": {k: v for k, v in status.items() if k.startswith("Cap") or k == "NoNewPrivs"},
    "mounts": mounts, "sizes": sizes, "limits": limits, "cwd": os.getcwd(), "tree": tree,
    "modes": {p: oct(os.stat(p).st_mode) for p in tree},
    "fds": sorted(os.listdir("/proc/self/fd")), "env": dict(os.environ),
    "stdin": sys.stdin.read(), "argv": sys.argv, "hostname": os.uname().nodename,
}, sort_keys=True))
"""


def _probe(sandbox: BwrapSandbox) -> dict:
    request = ExecRequest(
        command=["python3", "-I", "probe.py", "arg"],
        files={"probe.py": PROBE, "data/in.txt": "x" * 3000},
        stdin="in",
        env={"EXTRA": "1"},
        memory_mb=300,
        disk_mb=20,
        cpu_time_s=4,
        timeout_s=20,
    )
    result = sandbox.run(request)
    assert result.status == "ok", result
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def shell_setup():
    make_backend("bwrap")  # fails in CI / skips elsewhere when bubblewrap is missing
    return BwrapSandbox(fast=False)


def test_the_fast_setup_is_the_default_where_a_compiler_exists(bwrap_sandbox):
    assert bwrap_sandbox.init is not None


def test_both_setups_give_the_same_view_and_limits(bwrap_sandbox, shell_setup):
    fast, shell = _probe(bwrap_sandbox), _probe(shell_setup)
    assert fast == shell
    caps = fast["caps"]
    assert caps["NoNewPrivs"] == "1"
    assert {caps[k] for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")} == {"0" * 16}
    assert fast["limits"]["RLIMIT_AS"] == [300 << 20] * 2
    assert fast["limits"]["RLIMIT_NPROC"] == [64, 64]
    assert fast["sizes"]["/tmp"][:2] == [20 << 20, 65538]
    assert fast["fds"] == ["0", "1", "2", "3"]  # 3: the listing's own descriptor


TRACE_PID_1 = r"""
import ctypes, os
found = []
for what, attempt in (
    ("mem", lambda: open("/proc/1/mem", "r+b", buffering=0)),
    ("fd", lambda: os.readlink("/proc/1/fd/1")),
    ("stdout", lambda: os.open("/proc/1/fd/1", os.O_WRONLY)),
):
    try:
        attempt()
        found.append(what)
    except OSError:
        pass
if ctypes.CDLL(None, use_errno=True).ptrace(16, 1, 0, 0) == 0:  # PTRACE_ATTACH
    found.append("ptrace")
print(found)
"""


def test_the_program_cannot_trace_bubblewraps_pid_1(bwrap_sandbox, shell_setup):
    """bubblewrap's pid 1 of the namespace is as dumpable as the program and holds no capability:
    in the same user namespace the program could ptrace it or write its memory through
    /proc/1/mem (and so forge what the run printed last and how it ended, or keep processes out
    of the harness's reach). The command runs in a user namespace of its own instead."""
    for sandbox in (bwrap_sandbox, shell_setup):
        result = sandbox.run(ExecRequest(command=["python3", "-I", "-c", TRACE_PID_1]))
        assert result.status == "ok" and result.stdout == "[]\n", result


def test_output_files_never_follow_a_symlink(bwrap_sandbox, shell_setup, tmp_path):
    code = (
        "import os\nos.mkdir('real')\nopen('real/f', 'w').write('in')\n"
        "os.symlink('real', 'via')\nos.symlink('/etc/hostname', 'link')\n"
        "open('plain', 'w').write('p')\n"
    )
    for sandbox in (bwrap_sandbox, shell_setup):
        result = sandbox.run(
            ExecRequest(
                command=["python3", "-I", "-c", code],
                output_files=["real/f", "via/f", "link", "plain", "missing"],
            )
        )
        assert result.status == "ok", result
        assert result.files.get("real/f") == b"in" and result.files.get("plain") == b"p"
        assert "link" not in result.files and "missing" not in result.files
    fast = bwrap_sandbox.run(
        ExecRequest(command=["python3", "-I", "-c", code], output_files=["via/f"])
    )
    assert fast.files == {}  # a symlinked folder on the way is refused too


def test_set_up_failures_are_the_hubs_and_program_failures_are_the_programs(bwrap_sandbox):
    missing = bwrap_sandbox.run(ExecRequest(command=["no-such-program"]))
    assert missing.status == "nonzero_exit" and missing.exit_code == 127
    broken = bwrap_sandbox.run(ExecRequest(command=["true"], files={"a": "x", "a/b": "y"}))
    assert broken.status == "infra_error"  # a file and a folder of the same name


def test_unframe_stops_at_anything_malformed():
    good = b"F\x00\x00\x00\x01a\x00\x00\x00\x02hi\x00\x00\x00\x00"
    assert _unframe(good, {"a"}) == {"a": b"hi"}
    assert _unframe(good, set()) == {}
    assert _unframe(good[:-6], {"a"}) == {}
    assert _unframe(good + b"F\x00\x00\x00\x05", {"a"}) == {"a": b"hi"}
    assert _unframe(b"junk", {"a"}) == {}
