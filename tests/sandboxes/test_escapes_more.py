"""More escape and abuse attempts against the isolating backends (bwrap, docker), each a
regression test for a hole found by an adversarial audit. In CI (CI=true) a missing bubblewrap
or Docker engine fails these tests instead of skipping them."""

from __future__ import annotations

import ast
import glob
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gymhub.sandboxes import ExecRequest
from gymhub.sandboxes.bwrap import KERNEL_BYTES_PER_INODE, MAX_INODES, BwrapSandbox
from tests.conftest import require
from tests.sandboxes.conftest import make_backend

NESTED_USERNS_C = r"""
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
int main(void) {
  /* in a user namespace of its own the program would hold every capability again: mount,
     netfilter, ... (the kernel attack surface behind most local privilege escalations) */
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) == 0) {
    int mounted = mount("tmpfs", "/tmp", "tmpfs", 0, 0) == 0;
    printf("NESTED mount=%d\n", mounted);
  } else {
    printf("refused %s\n", strerror(errno));
  }
  return 0;
}
"""

NESTED_USERNS_PY = r"""
import ctypes, os, subprocess
libc = ctypes.CDLL(None, use_errno=True)
pid = os.fork()
if pid == 0:
    os._exit(0 if libc.unshare(0x10000000) == 0 else 1)  # CLONE_NEWUSER
print("python", "NESTED" if os.waitpid(pid, 0)[1] == 0 else "refused")
for argv in (["unshare", "--user", "--map-root-user", "true"],
             ["unshare", "-Urmn", "sh", "-c", "mount -t tmpfs x /tmp"]):
    done = subprocess.run(argv, capture_output=True)
    print(argv[1], "NESTED" if done.returncode == 0 else "refused")
try:
    with open("/proc/sys/user/max_user_namespaces", "w") as handle:
        handle.write("100")
    print("RAISED the limit")
except OSError:
    print("limit stays")
"""


@pytest.fixture(scope="module")
def bwrap_shell_setup():
    make_backend("bwrap")  # fails in CI / skips elsewhere when bubblewrap is missing
    return BwrapSandbox(fast=False)


def _nested_userns_attempts(sandbox) -> list[str]:
    c = sandbox.run(
        ExecRequest(
            command=["bash", "-c", "gcc -O1 -o main main.c && ./main"],
            files={"main.c": NESTED_USERNS_C},
            timeout_s=60,
        )
    )
    assert c.status == "ok", c
    py = sandbox.run(
        ExecRequest(command=["python3", "-I", "main.py"], files={"main.py": NESTED_USERNS_PY})
    )
    assert py.status == "ok", py
    return (c.stdout + py.stdout).splitlines()


def test_no_user_namespace_inside_the_sandbox(isolating):
    """A program could create a user namespace of its own and hold every capability in it (bwrap
    had no seccomp filter): mount tmpfs, set up netfilter in a new network namespace, all the
    kernel code most local privilege escalations go through. bwrap now sets the command's
    namespace's max_user_namespaces to 0 (as docker's seccomp profile refuses unshare)."""
    lines = _nested_userns_attempts(isolating)
    assert len(lines) == 5, lines
    assert not [line for line in lines if "NESTED" in line or "RAISED" in line], lines


def test_no_user_namespace_inside_the_bwrap_shell_setup(bwrap_shell_setup):
    lines = _nested_userns_attempts(bwrap_shell_setup)
    assert len(lines) == 5, lines
    assert not [line for line in lines if "NESTED" in line or "RAISED" in line], lines


MEMFD_BOMB = r"""
import os
chunk = b"m" * (1 << 20)
written, fds = 0, []
try:
    while written < {target_mb}:
        fd = os.memfd_create("bomb")  # memory no address-space limit sees
        for _ in range(8):  # 8 MiB per file, under any file-size limit
            os.write(fd, chunk)
            written += 1
        fds.append(fd)
except OSError as exc:
    print("stopped", exc)
print("wrote", written)
"""

# every child holds its memory until all have taken theirs (or 20 s passed): with a fixed
# sleep, on a loaded machine the first ones had exited before the last ones allocated
FORKED_HOGS = r"""
import os, select, time
ready_r, ready_w = os.pipe()
go_r, go_w = os.pipe()
kids = []
for _ in range({kids}):
    pid = os.fork()
    if pid == 0:
        os.close(go_w)
        hog = bytearray({each_mb} << 20)
        for i in range(0, len(hog), 4096):
            hog[i] = 1
        os.write(ready_w, b"r")
        os.read(go_r, 1)
        os._exit(0)
    kids.append(pid)
os.close(ready_w)
end, got, codes = time.monotonic() + 20, 0, {}
while got + len(codes) < len(kids) and time.monotonic() < end:  # each ready, or dead
    if select.select([ready_r], [], [], 0.05)[0]:
        got += len(os.read(ready_r, 64))
    for pid in kids:
        if pid not in codes:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                codes[pid] = os.waitstatus_to_exitcode(status)
os.close(go_w)
for pid in kids:
    if pid not in codes:
        codes[pid] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
print(sorted(codes.values()))
"""


def _memory_cap_mb(sandbox, request: ExecRequest) -> int:
    """What a run may hold in all: bwrap, the request's memory plus its three tmpfs mounts,
    the kernel's memory for their files and 64 MiB (a cgroup per run); docker, the pool's
    memory per container."""
    if sandbox.name == "bwrap":
        inodes = 3 * (MAX_INODES + len(request.files)) * KERNEL_BYTES_PER_INODE >> 20
        return request.memory_mb + 3 * request.disk_mb + 64 + inodes
    return sandbox.memory_mb


def _require_cgroups(sandbox) -> None:
    if sandbox.name == "bwrap":
        require(sandbox.cgroup is not None, "memory cgroups for bwrap runs (a root hub)")


def test_memory_outside_the_address_space_is_capped(isolating):
    """rlimits cap each process's address space, not memory files or pipes: with memory_mb=64
    a bwrap run wrote gigabytes into memfd_create files (host memory, up to 256 files of disk_mb
    each per process, 64 processes), enough to get the hub OOM-killed. Each bwrap run now has a
    memory cgroup; the run ends as memory_limit, as in docker."""
    _require_cgroups(isolating)
    probe = ExecRequest(command=["true"], memory_mb=64, disk_mb=16)
    target = _memory_cap_mb(isolating, probe) + 300
    request = ExecRequest(
        command=["python3", "-I", "main.py"],
        files={"main.py": MEMFD_BOMB.replace("{target_mb}", str(target))},
        memory_mb=64,
        disk_mb=16,
        timeout_s=60,
    )
    result = isolating.run(request)
    assert result.status == "memory_limit", result
    assert f"wrote {target}" not in result.stdout


def test_many_processes_share_one_memory_cap(isolating):
    """Each process under its address-space limit, together over the run's cap: the kernel's
    OOM killer ends some of them inside the run (before: 64 processes of memory_mb each on the
    host, 32 GiB with the defaults)."""
    _require_cgroups(isolating)
    memory_mb = 200
    probe = ExecRequest(command=["true"], memory_mb=memory_mb, disk_mb=16)
    each = 150
    kids = _memory_cap_mb(isolating, probe) // each + 2
    code = FORKED_HOGS.replace("{kids}", str(kids)).replace("{each_mb}", str(each))
    request = ExecRequest(
        command=["python3", "-I", "main.py"],
        files={"main.py": code},
        memory_mb=memory_mb,
        disk_mb=16,
        timeout_s=60,
    )
    result = isolating.run(request)
    assert result.status == "ok", result
    codes = ast.literal_eval(result.stdout)
    assert len(codes) == kids and -9 in codes, codes
    again = isolating.run(ExecRequest(command=["python3", "-c", "print('fine')"]))
    assert again.stdout == "fine\n", again


MANY_FOLDERS = r"""
import os
made = 0
name = "x" * 200  # a long name: more of the kernel's memory per entry
for folder in (".", "/tmp", "/dev/shm"):
    try:
        for i in range(70_000):
            os.mkdir(f"{folder}/{name}{i}")
            made += 1
    except OSError as exc:
        print(folder, exc.errno)
print("made", made)
"""


def test_a_run_inside_its_file_limits_is_not_out_of_memory(isolating):
    """The memory cap counts the kernel's memory for files and folders too: it must leave room
    for all the mounts may hold (65536 each), or a program inside its documented limits (the
    first cap said memory_limit to 196000 empty folders with long names) is cut short."""
    _require_cgroups(isolating)
    request = ExecRequest(
        command=["python3", "-I", "main.py"],
        files={"main.py": MANY_FOLDERS},
        memory_mb=64,
        disk_mb=16,
        timeout_s=120,
    )
    result = isolating.run(request)
    assert result.status == "ok", result
    assert result.stdout.split()[-2] == "made", result.stdout


HIDDEN_MEMORY_HOG = r"""
import os
# back from the OOM killer's first choice to where the launcher is
fd = os.open("/proc/self/oom_score_adj", os.O_WRONLY)
os.write(fd, b"0")
os.close(fd)
print(open("/proc/self/oom_score_adj").read().strip(), flush=True)
chunk = b"m" * (1 << 20)
fds = []
while True:  # memory files: the container's memory, but no process's size
    fd = os.memfd_create("hog")
    for _ in range(8):
        os.write(fd, chunk)
    fds.append(fd)
"""


def test_a_program_that_gets_the_launcher_oom_killed_is_memory_limit(isolating):
    """A program set its oom_score_adj back to 0 and held the container's memory in memfd files
    (in no process's resident size), so the kernel's OOM killer picked the launcher, pid 1: the
    container died, the run was retried on a fresh one, died again, and came back infra_error
    (masked by trainers) after a minute. Now a launcher the OOM killer ended is the program's
    memory_limit, at once."""
    _require_cgroups(isolating)
    request = ExecRequest(
        command=["python3", "-I", "main.py"],
        files={"main.py": HIDDEN_MEMORY_HOG},
        memory_mb=128,
        timeout_s=10,
    )
    result = isolating.run(request)
    assert result.status == "memory_limit", result
    again = isolating.run(ExecRequest(command=["python3", "-c", "print('fine')"]))
    assert again.status == "ok" and again.stdout == "fine\n", again


SHM_FILES = r"""
import os
n = 0
try:
    for n in range(200_000):
        os.close(os.open(f"/dev/shm/f{n}", os.O_CREAT | os.O_WRONLY, 0o600))
    n += 1
except OSError as exc:
    print("stopped", exc.errno)
print("files", n)
"""


def test_dev_shm_holds_a_bounded_number_of_files(isolating):
    """Docker's own /dev/shm had a size but no inode limit: a program made 485000 empty files
    there in 8 s, kernel memory its size does not count, and enough to keep the launcher's reset
    past its 10 s (the warm container was thrown away). /dev/shm is now a tmpfs with the same
    65536-inode cap as /sandbox and /tmp, as in bwrap."""
    request = ExecRequest(
        command=["python3", "-I", "main.py"], files={"main.py": SHM_FILES}, timeout_s=60
    )
    result = isolating.run(request)
    assert result.status == "ok", result
    assert int(result.stdout.split()[-1]) <= 65536 + 16, result.stdout
    after = isolating.run(ExecRequest(command=["ls", "-A", "/dev/shm"]))
    assert after.status == "ok" and after.stdout == "", after


SPARSE_OUTPUTS = r"""
import os
for name in ("a", "b", "c", "d"):
    with open(name, "wb") as handle:
        handle.truncate(16 << 20)  # 16 MiB that take no disk
print("made")
"""


def test_output_files_share_one_budget(isolating):
    """Output files come back with disk_mb for all of them together (bwrap did; docker read
    disk_mb of each, so sparse files, or one name listed twice, held the launcher's memory many
    times over)."""
    request = ExecRequest(
        command=["python3", "-I", "main.py"],
        files={"main.py": SPARSE_OUTPUTS},
        output_files=["a", "b", "c", "d", "a"],
        disk_mb=16,
        timeout_s=60,
    )
    result = isolating.run(request)
    assert result.status == "ok", result
    assert sum(len(data) for data in result.files.values()) <= 16 << 20, {
        name: len(data) for name, data in result.files.items()
    }


def test_auto_says_when_the_environment_picks_no_isolation(monkeypatch, caplog):
    """`auto` asks for isolation; GYMHUB_SANDBOX=local gave the unsafe backend without a word."""
    from gymhub.sandboxes import factory

    monkeypatch.setenv("GYMHUB_SANDBOX", "local")
    with caplog.at_level("WARNING", logger="gymhub.sandboxes"):
        assert factory.resolve_backend("auto") == "local"
    assert "isolates nothing" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="gymhub.sandboxes"):
        assert factory.resolve_backend("auto", allow_local=True) == "local"
        assert factory.resolve_backend("local") == "local"  # asked for by name
    assert "isolates nothing" not in caplog.text


def test_remote_says_when_its_server_isolates_nothing(caplog):
    """`auto` takes `remote` for an isolating backend; a server started with --backend local
    ran the policy's code unisolated without a word on the client's side."""
    from gymhub.sandboxes import get_sandbox
    from gymhub.sandboxes.server import create_app
    from tests.conftest import serve_app

    local = get_sandbox("local")
    with serve_app(create_app(local, token="t0k")) as url:
        remote = get_sandbox("remote", url=url, token="t0k")
        with caplog.at_level("WARNING", logger="gymhub.sandboxes"):
            for _ in range(2):
                result = remote.run(ExecRequest(command=["true"]))
                assert result.status == "ok" and result.backend == "local", result
        remote.close()
    assert caplog.text.count("isolates nothing") == 1, caplog.text


def test_bwrap_shell_setup_inputs_are_private_on_the_host(bwrap_shell_setup):
    """The shell set-up writes a run's input files to a host folder in /tmp, which was
    world-readable (0755) while the run lasted: any user of the host could read the inputs. It
    is now the run's own uid's alone."""
    request = ExecRequest(
        command=["python3", "-I", "main.py"],
        files={"main.py": "import time\nprint('up', flush=True)\ntime.sleep(3)"},
        timeout_s=20,
    )
    seen: dict[str, int] = {}

    def watch() -> None:
        end = time.monotonic() + 15
        while time.monotonic() < end and not seen:
            for folder in glob.glob("/tmp/gymhub-bwrap-*"):
                try:
                    seen[folder] = os.stat(folder).st_mode & 0o777
                except OSError:
                    pass
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    result = bwrap_shell_setup.run(request)
    watcher.join()
    assert result.status == "ok", result
    assert seen and all(mode & 0o077 == 0 for mode in seen.values()), seen


DENIED_CALLS = r"""
import ctypes, os, platform
libc = ctypes.CDLL(None, use_errno=True)
numbers = {
    "x86_64": {"io_uring_setup": 425, "keyctl": 250, "add_key": 248, "bpf": 321,
               "perf_event_open": 298, "userfaultfd": 323, "getppid": 110},
    "aarch64": {"io_uring_setup": 425, "keyctl": 219, "add_key": 217, "bpf": 280,
                "perf_event_open": 241, "userfaultfd": 282, "getppid": 173},
}[platform.machine()]
args = {"io_uring_setup": (1, 0), "keyctl": (0, -3, 0), "add_key": (b"user", b"k", b"v", 1, -3),
        "bpf": (0, 0, 0), "perf_event_open": (0, 0, -1, -1, 0), "userfaultfd": (0,)}
for name, number in numbers.items():
    ctypes.set_errno(0)
    done = libc.syscall(number, *args.get(name, ()))
    print(name, "ENOSYS" if done == -1 and ctypes.get_errno() == 38 else "reached")
"""

INT80_C = r"""
#include <stdio.h>
int main(void) {
#if defined(__x86_64__)
  long ret;
  /* the 32-bit system call gate: getpid is 20 there; other numbers for every call */
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
  printf("int80 %s\n", ret == -38 ? "ENOSYS" : "reached");
#else
  printf("int80 ENOSYS\n");
#endif
  return 0;
}
"""


def _denied_calls(sandbox) -> dict[str, str]:
    result = sandbox.run(ExecRequest(command=["python3", "-I", "-c", DENIED_CALLS]))
    assert result.status == "ok", result
    compiled = sandbox.run(
        ExecRequest(
            command=["bash", "-c", "gcc -O1 -o main main.c && ./main"],
            files={"main.c": INT80_C},
            timeout_s=60,
        )
    )
    assert compiled.status == "ok", compiled
    return dict(line.split() for line in (result.stdout + compiled.stdout).splitlines())


def test_kernel_attack_surface_calls_are_refused(isolating):
    """bwrap had no seccomp filter, and docker's engine profile (before Docker 25) allows
    io_uring: io_uring (a long list of privilege escalations), the key management calls, bpf,
    perf_event_open and userfaultfd reached the kernel, in bwrap also through the 32-bit system
    call gate (other numbers for every call, past any filter keyed on 64-bit ones). Both now
    install a filter that answers ENOSYS to them (bubblewrap's --seccomp; the docker launcher
    before exec)."""
    if os.uname().machine not in ("x86_64", "aarch64"):
        pytest.skip("the filter's table covers x86_64 and aarch64")
    calls = _denied_calls(isolating)
    assert calls.pop("getppid") == "reached", calls  # ordinary calls still work
    assert set(calls.values()) == {"ENOSYS"}, calls


def test_kernel_attack_surface_calls_are_refused_in_the_bwrap_shell_setup(bwrap_shell_setup):
    if os.uname().machine not in ("x86_64", "aarch64"):
        pytest.skip("the filter's table covers x86_64 and aarch64")
    calls = _denied_calls(bwrap_shell_setup)
    assert calls.pop("getppid") == "reached", calls
    assert set(calls.values()) == {"ENOSYS"}, calls


LEAVES_NO_CGROUPS = r"""
import subprocess
from gymhub.sandboxes import _cgroup
from gymhub.sandboxes.bwrap import BwrapSandbox

parent, version = BwrapSandbox().cgroup
group = _cgroup.RunCgroup.make(parent, version, 64 << 20)
# a run's last process, still ending when the run is over (as a pid namespace's are)
last = subprocess.Popen(["sleep", "0.5"])
with open(group.procs, "w") as handle:
    handle.write(str(last.pid))
group.remove()  # busy: left to a helper thread
print(group.path)
# and the process exits at once, as a CLI or a test session does
"""


def test_bwrap_runs_leave_no_cgroups_behind(bwrap_sandbox):
    """A run's cgroup is removed once the kernel has ended its pid namespace, a moment after the
    run, by a daemon thread; a process that exited at once (a CLI, a test session) killed that
    thread and left the empty cgroup behind (this machine had collected them). Removals now
    finish at exit, and stale empty ones are removed by the next backend made."""
    _require_cgroups(bwrap_sandbox)
    done = subprocess.run(
        [sys.executable, "-c", LEAVES_NO_CGROUPS],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    assert done.returncode == 0, done.stderr
    path = done.stdout.splitlines()[-1]
    assert path.startswith("/") and not os.path.exists(path), path


def test_local_kill_spares_a_process_that_took_a_marked_pid(monkeypatch):
    """The local backend kills a run's daemons by the marker in their environment: a pid read as
    marked, freed and handed to another process of the hub's user before the kill had that
    process SIGKILLed. Now each is pinned by a pidfd and its environment read again first."""
    from gymhub.sandboxes import local

    marker = "test-" + os.urandom(4).hex()
    env = {**os.environ, local.MARKER: marker}
    inside = subprocess.Popen(["/usr/bin/sleep", "60"], env=env)
    outsider = subprocess.Popen(["/usr/bin/sleep", "60"])
    try:
        real = local._marked
        seen: set[int] = set()

        def stale_first_read(pid: int, needle: bytes) -> bool:
            # the first read of the outsider's pid still saw the run's process that had it
            if pid == outsider.pid and pid not in seen:
                seen.add(pid)
                return True
            return real(pid, needle)

        monkeypatch.setattr(local, "_marked", stale_first_read)
        assert local.kill_marked(marker) >= 1
        assert inside.wait(5) == -9
        time.sleep(0.2)
        assert outsider.poll() is None, "a process without the run's marker was killed"
        assert seen == {outsider.pid}
    finally:
        for proc in (inside, outsider):
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("fast", [True, False])
def test_input_names_changed_after_validation_are_refused(tmp_path, fast):
    """ExecRequest checks file names when it is made, but `files` is a plain dict: a name put in
    afterwards reached the bwrap shell set-up, which writes each input below a host folder as
    root (an absolute name replaces that folder). Names are checked again where they are used."""
    make_backend("bwrap")
    sandbox = BwrapSandbox(fast=fast, cgroup=False)
    target = tmp_path / "planted.txt"
    request = ExecRequest(command=["true"], files={"main.py": "print(1)"})
    request.files[str(target)] = "written outside"
    with pytest.raises(ValueError, match="relative path"):
        sandbox.run(request)
    assert not target.exists()
    request.files.pop(str(target))
    request.files["../escape.txt"] = "x"
    with pytest.raises(ValueError, match="relative path"):
        request.file_bytes()


@pytest.fixture(scope="module")
def capped_local():
    from gymhub.sandboxes.local import LocalSandbox

    sandbox = LocalSandbox()
    require(sandbox.cgroup is not None, "memory cgroups for local runs (a root hub)")
    return sandbox


LOCAL_MEMFD_HOG = r"""
import os
chunk = b"m" * (1 << 20)
fds = []
for _ in range(2048):  # 2 GiB of memory files: no process's address space, no rlimit
    fd = os.memfd_create("hog")
    os.write(fd, chunk)
    fds.append(fd)
print("held 2 GiB")
"""


def test_local_runs_share_one_memory_cap(capped_local):
    """rlimits cap each process's address space only: a local run held gigabytes of the host's
    memory in memory files (the local backend ran no cgroup, unlike bwrap). Each local run now
    has a memory cgroup; the kernel's OOM killer ends the program inside it (memory_limit)."""
    result = capped_local.run(
        ExecRequest(command=["python3", "-I", "-c", LOCAL_MEMFD_HOG], memory_mb=128, disk_mb=16)
    )
    assert result.status == "memory_limit" and "held" not in result.stdout, result
    again = capped_local.run(ExecRequest(command=["python3", "-c", "print('fine')"]))
    assert (again.status, again.stdout) == ("ok", "fine\n"), again


def test_local_daemons_without_the_marker_are_killed(capped_local, tmp_path):
    """A daemon that left the process group and cleared its environment escaped the marker
    kill; the run's cgroup still holds it, and it is killed when the cgroup is removed."""
    pidfile = tmp_path / "daemon.pid"
    code = f"""
import os
if os.fork() == 0:
    os.setsid()
    os.execve("/usr/bin/bash", ["bash", "-c", "echo $$ > {pidfile}; exec sleep 60"], {{}})
os.wait() if False else None
import time
for _ in range(200):
    if os.path.exists({str(pidfile)!r}) and open({str(pidfile)!r}).read().strip():
        break
    time.sleep(0.01)
print("left")
"""
    result = capped_local.run(ExecRequest(command=["python3", "-I", "-c", code]))
    assert result.status == "ok" and result.stdout == "left\n", result
    pid = int(pidfile.read_text())
    end = time.monotonic() + 10
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < end:
        with open(f"/proc/{pid}/stat") as handle:
            if handle.read().split(") ")[1].startswith("Z"):
                break
        time.sleep(0.05)
    alive = os.path.exists(f"/proc/{pid}")
    if alive:
        with open(f"/proc/{pid}/stat") as handle:
            alive = not handle.read().split(") ")[1].startswith("Z")
    assert not alive, "a daemon of a local run outlived it"


@pytest.mark.parametrize(
    "argv",
    [
        ["/usr/bin/true"],  # exits at once
        ["/usr/bin/bash", "-c", "sleep 30 & exit 3"],  # leaves a member of its group behind
        ["/usr/bin/sleep", "30"],  # killed at the deadline
        ["/usr/bin/bash", "-c", "yes"],  # killed for its output
    ],
)
def test_a_process_group_is_killed_only_while_its_id_is_held(argv, monkeypatch):
    """run_process kills the child's process group (its pid) after the child exits; the child
    was already reaped then (Popen.poll), so the id could have been handed to another process's
    new group, which the hub (root) would have killed. Every group kill now comes while the
    child, alive or a zombie, still holds the id."""
    from gymhub.sandboxes import _proc

    real_killpg = os.killpg
    calls: list[tuple[int, str]] = []

    def killpg(pgid: int, sig: int) -> None:
        try:
            with open(f"/proc/{pgid}/stat") as handle:
                state = handle.read().rsplit(") ", 1)[1].split()[0]
        except OSError:
            state = "gone"
        calls.append((pgid, state))
        real_killpg(pgid, sig)

    monkeypatch.setattr(_proc.os, "killpg", killpg)
    out = _proc.run_process(argv, timeout_s=1.0, output_limit=10_000)
    assert calls, "the group was never killed"
    assert all(state != "gone" for _, state in calls), calls
    if argv == ["/usr/bin/true"]:
        assert out.exit_code == 0 and not out.timed_out
    elif argv[-1] == "sleep 30 & exit 3":
        assert out.exit_code == 3 and not out.timed_out
    elif argv[-1] == "30":
        assert out.timed_out and out.signal == 9
    else:
        assert out.truncated
