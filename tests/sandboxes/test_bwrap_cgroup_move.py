"""How a bwrap run's first process enters its memory cgroup. On cgroup v1 the run's gate (a
small compiled program, `_gate`, or a bash where none can be built) moves itself in by writing 0
to the cgroup's `tasks` file, which spares the ~7 ms RCU grace period a move by pid waits for;
the hub's move by pid stays as the fallback (`cgroup_self_move=False`,
`GYMHUB_BWRAP_CGROUP_SELF_MOVE=0`, cgroup v2, or a host where the trial move fails). Either way
the run's processes are in the run's cgroup and capped together, the gate's descriptors never
reach the program, and no cgroup is left behind."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from gymhub.sandboxes import ExecRequest, _gate
from gymhub.sandboxes._cgroup import PREFIX, RunCgroup
from gymhub.sandboxes._proc import run_process
from gymhub.sandboxes.bwrap import UNPRIVILEGED_UID, BwrapSandbox
from tests.conftest import require
from tests.sandboxes.conftest import make_backend

# 40 MiB touched in one process, 3 x 30 MiB in forked ones: all of it must land in the cgroup
HOGS = r"""
import os, time
def hog(mb):
    block = bytearray(mb << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    return block
kids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        hog(30)
        time.sleep(0.3)
        os._exit(0)
    kids.append(pid)
keep = hog(40)
for pid in kids:
    os.waitpid(pid, 0)
print("done")
"""


def _v1_backend(**kwargs) -> BwrapSandbox:
    make_backend("bwrap")  # fails in CI / skips elsewhere when bubblewrap is missing
    sandbox = BwrapSandbox(**kwargs)
    require(
        sandbox.cgroup is not None and sandbox.cgroup[1] == 1,
        "cgroup v1 memory cgroups for bwrap runs (a root hub)",
    )
    return sandbox


@pytest.fixture(scope="module")
def self_moving() -> BwrapSandbox:
    return _v1_backend()


@pytest.fixture(scope="module")
def hub_moving() -> BwrapSandbox:
    return _v1_backend(cgroup_self_move=False)


@pytest.fixture(scope="module")
def bash_gated() -> BwrapSandbox:
    return _v1_backend(compiled_gate=False)


def _watch(monkeypatch) -> list[dict]:
    """Each run's cgroup as the run ends (before its removal): path and peak memory."""
    seen: list[dict] = []
    original = RunCgroup.oom_killed

    def oom_killed(self: RunCgroup) -> bool:
        with open(os.path.join(self.path, "memory.max_usage_in_bytes")) as handle:
            peak = int(handle.read())
        with open(os.path.join(self.path, "memory.limit_in_bytes")) as handle:
            limit = int(handle.read())
        seen.append({"path": self.path, "peak": peak, "limit": limit})
        return original(self)

    monkeypatch.setattr(RunCgroup, "oom_killed", oom_killed)
    return seen


def test_the_self_move_is_the_default_on_cgroup_v1(self_moving, hub_moving, bash_gated):
    assert self_moving.cgroup_self_move is True
    assert hub_moving.cgroup_self_move is False
    assert bash_gated.cgroup_self_move is True and bash_gated.gate is None


def test_the_compiled_gate_is_the_default_where_a_compiler_exists(self_moving):
    require(shutil.which("cc") is not None, "a C compiler")
    assert self_moving.gate is not None
    assert self_moving._move(RunCgroup("/x", 1))["gate_fd"] == self_moving.gate


def test_the_environment_turns_the_compiled_gate_off(monkeypatch):
    monkeypatch.setenv("GYMHUB_BWRAP_GATE", "0")
    sandbox = _v1_backend()
    assert sandbox.gate is None and sandbox.cgroup_self_move is True


def test_the_environment_turns_the_self_move_off(monkeypatch):
    monkeypatch.setenv("GYMHUB_BWRAP_CGROUP_SELF_MOVE", "0")
    assert _v1_backend().cgroup_self_move is False


def test_a_failed_trial_of_the_compiled_gate_falls_back_to_bash(monkeypatch):
    monkeypatch.setattr(BwrapSandbox, "_self_move_works", lambda self, gate: gate is None)
    sandbox = _v1_backend()
    assert sandbox.cgroup_self_move is True and sandbox.gate is None


def test_a_failed_trial_falls_back_to_the_move_by_pid(monkeypatch):
    monkeypatch.setattr(BwrapSandbox, "_self_move_works", lambda self, gate: False)
    sandbox = _v1_backend()
    assert sandbox.cgroup_self_move is False and sandbox.gate is None
    group = RunCgroup(os.path.join(sandbox.cgroup[0], "x"), 1)
    assert sandbox._move(group) == {"cgroup_procs": group.procs}


@pytest.mark.parametrize("which", ["self_moving", "bash_gated", "hub_moving"])
@pytest.mark.parametrize("fast", [True, False])
def test_all_of_a_runs_processes_are_charged_to_its_cgroup(request, monkeypatch, which, fast):
    """The memory of the program and of the processes it forks counts against the run's own
    cgroup, with the limit the request sets: with the gate's self-move as with the move by pid,
    and in both set-ups."""
    sandbox: BwrapSandbox = request.getfixturevalue(which)
    if not fast:
        sandbox = _v1_backend(
            fast=False,
            cgroup_self_move=sandbox.cgroup_self_move,
            compiled_gate=sandbox.gate is not None,
        )
    seen = _watch(monkeypatch)
    run = ExecRequest(
        command=["python3", "-I", "main.py"],
        files={"main.py": HOGS},
        memory_mb=256,
        disk_mb=16,
        timeout_s=60,
    )
    result = sandbox.run(run)
    assert result.status == "ok" and result.stdout == "done\n", result
    assert len(seen) == 1, seen
    group = seen[0]
    assert os.path.basename(group["path"]).startswith(PREFIX)
    assert os.path.dirname(group["path"]) == sandbox.cgroup[0]
    # 40 + 30 MiB at least at one time (the kids overlap the parent's hog in most runs)
    assert group["peak"] >= 70 << 20, group
    expected = sandbox._cgroup(run)
    assert expected is not None
    with open(os.path.join(expected.path, "memory.limit_in_bytes")) as handle:
        assert group["limit"] == int(handle.read())
    expected.remove()


FORKED_HOGS = r"""
import os, time
kids = []
for _ in range({kids}):
    pid = os.fork()
    if pid == 0:
        block = bytearray({each} << 20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(1)
        os._exit(0)
    kids.append(pid)
print(sorted(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in kids))
"""


@pytest.mark.parametrize("which", ["self_moving", "bash_gated"])
def test_a_self_moved_run_is_capped_as_a_whole(request, which):
    """Each process under its address-space limit, together over the run's cap: the kernel's
    OOM killer ends some of them inside the run, and the next run is fine."""
    self_moving: BwrapSandbox = request.getfixturevalue(which)
    request = ExecRequest(command=["true"], memory_mb=200, disk_mb=16)
    expected = self_moving._cgroup(request)
    assert expected is not None
    with open(os.path.join(expected.path, "memory.limit_in_bytes")) as handle:
        cap_mb = int(handle.read()) >> 20
    expected.remove()
    each = 150
    kids = cap_mb // each + 2
    code = FORKED_HOGS.replace("{kids}", str(kids)).replace("{each}", str(each))
    result = self_moving.run(
        ExecRequest(
            command=["python3", "-I", "main.py"],
            files={"main.py": code},
            memory_mb=200,
            disk_mb=16,
            timeout_s=60,
        )
    )
    assert result.status == "ok", result
    codes = ast.literal_eval(result.stdout)
    assert len(codes) == kids and -9 in codes, codes
    again = self_moving.run(ExecRequest(command=["python3", "-c", "print('fine')"]))
    assert again.stdout == "fine\n", again


def test_runs_leave_no_cgroup_behind(self_moving, monkeypatch):
    seen = _watch(monkeypatch)
    for _ in range(3):
        result = self_moving.run(ExecRequest(command=["true"]))
        assert result.status == "ok", result
    assert len(seen) == 3
    end = time.monotonic() + 10
    while any(os.path.exists(g["path"]) for g in seen) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(os.path.exists(g["path"]) for g in seen), seen


# run_process itself: the move, its failure, and the descriptor it must not leave open


@pytest.fixture()
def group(self_moving):
    made = RunCgroup.make(*self_moving.cgroup, 64 << 20)
    assert made is not None
    yield made
    made.remove()
    assert made.remove_when_empty(5)


@pytest.fixture(params=["compiled", "bash"])
def gate(request, self_moving) -> int | None:
    if request.param == "compiled":
        require(self_moving.gate is not None, "the compiled gate (a C compiler)")
        return self_moving.gate
    return None


def _run(argv: list[str], **kwargs):
    return run_process(argv, timeout_s=20, output_limit=100_000, user=123_457, **kwargs)


def test_the_gate_moves_itself_before_the_program_starts(group, gate):
    out = _run(["/usr/bin/cat", "/proc/self/cgroup"], cgroup_tasks=group.tasks, gate_fd=gate)
    assert out.exit_code == 0, out
    rows = [r for r in out.stdout.decode().splitlines() if ":memory:" in r]
    assert rows and rows[0].endswith("/" + group.name), rows
    # and it is not the hub's uid that did it: the program runs as the run's uid
    status = _run(["/usr/bin/id", "-u"], cgroup_tasks=group.tasks, gate_fd=gate)
    assert status.stdout == b"123457\n", status


def test_the_program_does_not_inherit_the_gates_descriptors(group, gate):
    out = _run(["/usr/bin/ls", "-l", "/proc/self/fd"], cgroup_tasks=group.tasks, gate_fd=gate)
    assert out.exit_code == 0, out
    listing = out.stdout.decode()
    assert "tasks" not in listing and "gate" not in listing, listing
    fds = sorted(line.split()[-3] for line in listing.splitlines()[1:])
    assert fds == ["0", "1", "2", "3"], listing  # 3: the listing's own


def test_a_failed_move_runs_nothing(gate):
    """The move fails (here: a file that refuses every write): the program never starts."""
    folder = tempfile.mkdtemp(prefix="gymhub-test-", dir="/tmp")
    os.chmod(folder, 0o777)
    marker = os.path.join(folder, "ran")
    out = run_process(
        ["/usr/bin/touch", str(marker)],
        timeout_s=20,
        output_limit=100_000,
        user=UNPRIVILEGED_UID,
        cgroup_tasks="/dev/full",
        gate_fd=gate,
    )
    try:
        assert out.exit_code == 125, out
        assert not os.path.exists(marker)
        # the same program without the failing move does run (the check above can fail)
        ran = run_process(
            ["/usr/bin/touch", marker], timeout_s=20, output_limit=1000, user=UNPRIVILEGED_UID
        )
        assert ran.exit_code == 0 and os.path.exists(marker), ran
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_missing_cgroup_is_the_callers_error():
    with pytest.raises(OSError):
        _run(["/usr/bin/true"], cgroup_tasks="/nonexistent/tasks")


def test_one_move_at_a_time():
    with pytest.raises(ValueError):
        _run(["/usr/bin/true"], cgroup_tasks="/dev/null", cgroup_procs="/dev/null")


def test_a_forked_child_holds_a_gate_of_its_own(self_moving):
    """A process forked from the hub does not use the parent's gate: after the fork it makes
    its own memory file (and a lock the parent's threads cannot be holding)."""
    require(self_moving.gate is not None, "the compiled gate (a C compiler)")
    parent_fd = _gate.gate_fd()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        try:
            child_fd = _gate.gate_fd()
            same = child_fd is not None and os.path.sameopenfile(child_fd, parent_fd)
            os.write(write, f"{child_fd is not None} {same}".encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.close(read)
    os.waitpid(pid, 0)
    assert answer == "True False", answer
    assert _gate.gate_fd() == parent_fd


# removing a run's cgroup: its leftovers are killed, and nothing else


@pytest.fixture()
def any_group():
    """A run cgroup on whatever this host offers (v1 or v2)."""
    make_backend("bwrap")
    from gymhub.sandboxes._cgroup import find_parent

    parent = find_parent()
    require(parent is not None, "memory cgroups for bwrap runs")
    made = RunCgroup.make(*parent, 64 << 20)
    assert made is not None
    yield made
    made.remove_when_empty(5)


def _sleeper() -> subprocess.Popen:
    return subprocess.Popen(["/usr/bin/sleep", "60"])


def test_removal_kills_what_is_left_in_the_cgroup(any_group):
    inside = [_sleeper() for _ in range(3)]
    for proc in inside:
        with open(any_group.procs, "w") as handle:
            handle.write(str(proc.pid))
    assert any_group.remove_when_empty(5)
    assert [proc.wait(5) for proc in inside] == [-9, -9, -9]
    assert not os.path.exists(any_group.path)


def test_removal_spares_a_host_process_that_took_a_listed_pid(any_group, monkeypatch):
    """The leftovers were killed by the pids read from cgroup.procs: a pid freed after that read
    and handed to another host process (pid_max is often 32768) had that process SIGKILLed by
    the root hub. Now each is pinned by a pidfd and killed only if still listed (v2: cgroup.kill)."""
    inside, outsider = _sleeper(), _sleeper()
    try:
        with open(any_group.procs, "w") as handle:
            handle.write(str(inside.pid))
        real = RunCgroup._pids
        reads: list[int] = []

        def stale_first_read(self: RunCgroup) -> list[int]:
            reads.append(1)
            # the first read still lists a pid that now belongs to a process outside
            return real(self) + ([outsider.pid] if len(reads) == 1 else [])

        monkeypatch.setattr(RunCgroup, "_pids", stale_first_read)
        any_group._kill_all()
        assert inside.wait(5) == -9
        time.sleep(0.2)
        assert outsider.poll() is None, "a process outside the run's cgroup was killed"
    finally:
        for proc in (inside, outsider):
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("backend", ["bwrap", "local"])
def test_a_run_whose_move_fails_is_the_hubs_failure_and_runs_nothing(
    backend, any_group, monkeypatch, tmp_path
):
    """Never the program outside its cgroup, and never a failed move passed off as the
    program's exit status: the run is infra_error and the command did not run."""
    from gymhub.sandboxes.local import LocalSandbox

    sandbox = BwrapSandbox() if backend == "bwrap" else LocalSandbox()
    require(sandbox.cgroup is not None, "memory cgroups for runs")
    broken = RunCgroup(str(tmp_path / "no-such-cgroup"), sandbox.cgroup[1])
    if backend == "bwrap" and sandbox.cgroup_self_move:
        # the gate's own move: a tasks file that refuses every write
        monkeypatch.setattr(RunCgroup, "tasks", property(lambda self: "/dev/full"))
        broken = any_group
    monkeypatch.setattr(type(sandbox), "_cgroup", lambda self, request: broken)
    marker = tmp_path / "ran"
    os.chmod(tmp_path, 0o777)
    result = sandbox.run(ExecRequest(command=["/usr/bin/touch", str(marker)]))
    assert result.status == "infra_error", result
    assert not marker.exists()


def _v2_hierarchy() -> str | None:
    """A mounted cgroup v2 hierarchy this process may make folders in (the whole tree on a v2
    host, `/sys/fs/cgroup/unified` beside a v1 memory controller), or None."""
    try:
        with open("/proc/self/mounts") as handle:
            mounts = [line.split()[1] for line in handle if line.split()[2:3] == ["cgroup2"]]
    except OSError:
        return None
    for mount in mounts:
        probe = os.path.join(mount, f"{PREFIX}probe-{os.getpid()}")
        try:
            os.mkdir(probe)
        except OSError:
            continue
        usable = os.path.exists(os.path.join(probe, "cgroup.kill"))
        os.rmdir(probe)
        if usable:
            return mount
    return None


def test_cgroup_v2_removal_kills_the_leftovers_with_cgroup_kill(monkeypatch):
    """The v2 branch of the removal (`cgroup.kill`, one write, no pid-reuse race) ran on no test
    machine of cgroup v1 hosts; it needs no memory controller, only a v2 folder with
    `cgroup.kill` (Linux 5.14+). The pidfd route is broken here: only `cgroup.kill` can end
    them."""
    mount = _v2_hierarchy()
    if mount is None:
        pytest.skip("no writable cgroup v2 hierarchy with cgroup.kill on this machine")
    path = os.path.join(mount, f"{PREFIX}test-{os.getpid()}")
    os.mkdir(path)
    group = RunCgroup(path, 2)
    inside = [_sleeper() for _ in range(3)]
    try:
        for proc in inside:
            with open(group.procs, "w") as handle:
                handle.write(str(proc.pid))

        def no_pidfd(pid: int) -> int:
            raise AssertionError("the v2 removal pinned a pid instead of writing cgroup.kill")

        monkeypatch.setattr(os, "pidfd_open", no_pidfd)
        assert group.remove_when_empty(5)
        assert [proc.wait(5) for proc in inside] == [-9, -9, -9]
        assert not os.path.exists(path)
    finally:
        monkeypatch.undo()
        for proc in inside:
            proc.kill()
            proc.wait()
        if os.path.exists(path):
            RunCgroup(path, 2).remove_when_empty(2)
