"""Whatever a program does inside its limits ends in one of the program's own statuses, never
`infra_error`, on every backend (local, bwrap, docker); the docker pool keeps its warm
containers and they come back clean. Table-driven over a hostile corpus, then property-based
over programs hypothesis composes from hostile steps."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gymhub.sandboxes import ExecRequest
from tests.sandboxes.conftest import make_backend
from tests.sandboxes.hostile import FUZZ, POLICY_STATUSES, PROGRAMS, SAFE_ON_HOST

#: programs whose status is fixed, and the same on every backend
EXPECTED = {
    "close_stdout": "ok",
    "daemon_outlives": "ok",
    "daemon_holds_stdout": "ok",
    "daemon_writes_after_exit": "ok",
    "huge_stderr": "output_limit",
    "huge_stdout_no_newline": "output_limit",
    "sleep_past_deadline": "timeout",
    "stop_itself": "timeout",
    "ignore_signals_and_spin": "timeout",
    "self_signal": "nonzero_exit",
    "memory_bomb": "memory_limit",
    "surrogate_output": "nonzero_exit",
    "forged_result": "ok",
}

PROBE = """
import os
for folder in (".", "/tmp", "/dev/shm"):
    try:
        print(folder, sorted(os.listdir(folder)))
    except OSError as exc:
        print(folder, "unreadable", exc)
mine = os.getuid()
others = [p for p in filter(str.isdigit, os.listdir("/proc"))
          if os.stat("/proc/" + p).st_uid == mine and int(p) != os.getpid()]
print("processes", len(others))
"""


#: programs that only end at their deadline; the others get room to end on their own even on a
#: loaded machine, so that their status is the one they earn
ENDLESS = {"sleep_past_deadline", "stop_itself", "ignore_signals_and_spin", "fork_bomb"}


def _request(code: str, **kw) -> ExecRequest:
    kw.setdefault("timeout_s", 1.5)
    return ExecRequest(
        command=["python3", "-I", "main.py"],
        files={"main.py": code},
        memory_mb=256,
        output_limit_bytes=100_000,
        output_files=["out.txt"],
        **kw,
    )


def _pool(sandbox) -> set[str]:
    return {c.id for c in getattr(sandbox, "_all", [])}


def _assert_unharmed(sandbox, pool_before: set[str]) -> None:
    """A reused container still works and holds nothing of the last run (bwrap and local start
    afresh for every run)."""
    if sandbox.name == "docker":
        after = sandbox.run(_request(PROBE))
        assert after.status == "ok", after
        assert _pool(sandbox) == pool_before, "a warm container was discarded"
        lines = after.stdout.splitlines()
        assert lines[0] == ". ['main.py']", after.stdout
        assert lines[1:3] == ["/tmp []", "/dev/shm []"], after.stdout
        assert lines[3] == "processes 0", after.stdout


@pytest.fixture(scope="session")
def local_sandbox():
    return make_backend("local")


def _check_hostile_program(sandbox, name: str, code: str, leftovers=None) -> None:
    pool_before = _pool(sandbox)
    result = sandbox.run(_request(code, timeout_s=1.5 if name in ENDLESS else 15))
    assert result.status in POLICY_STATUSES, result
    assert result.status == EXPECTED.get(name, result.status), result
    assert "out.txt" not in result.files  # a symlink is never followed out of the sandbox
    if name == "self_signal":
        assert result.exit_code == 128 + 15
    if leftovers is not None:
        assert os.listdir(leftovers) == [], "the run's folder was left behind"
    _assert_unharmed(sandbox, pool_before)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_hostile_program_ends_in_a_policy_status(isolating, name):
    _check_hostile_program(isolating, name, PROGRAMS[name])


@pytest.mark.parametrize("name", sorted(SAFE_ON_HOST))
def test_hostile_program_ends_in_a_policy_status_on_local(
    local_sandbox, tmp_path, monkeypatch, name
):
    """The programs that cannot harm the machine itself (local isolates nothing); the local
    backend's working folders go under tmp_path, so leftovers can be seen."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _check_hostile_program(local_sandbox, name, SAFE_ON_HOST[name], leftovers=tmp_path)


def test_local_daemons_are_killed(local_sandbox):
    """The isolating backends are checked by the security tests."""
    sandbox = local_sandbox
    marker = "gymhub-test-daemon-7e1d"
    code = f"""
import os, subprocess
daemon = ["bash", "-c", "exec -a {marker} sleep 30"]
subprocess.Popen(daemon, start_new_session=True, stdin=subprocess.DEVNULL,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("bash", daemon)
    os._exit(0)
print("daemonised")
"""
    result = sandbox.run(_request(code))
    assert result.status == "ok", result
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                assert marker.encode() not in handle.read(), f"daemon survived as pid {pid}"
        except OSError:
            continue


# -- property: programs composed from hostile steps ---------------------------------------------

STEPS = {
    "deep": lambda n: (
        f"d = os.getcwd()\nfor i in range({n * 40}):\n    os.mkdir('n')\n    os.chdir('n')\nos.chdir(d)"
    ),
    "files": lambda n: f"for i in range({n * 50}):\n    open('f%d' % i, 'wb').write(b'x' * {n})",
    "lock": lambda n: "os.makedirs('l/m', exist_ok=True)\nos.chmod('l/m', 0)\nos.chmod('l', 0)",
    "fifo": lambda n: f"os.mkfifo('p{n}') if not os.path.exists('p{n}') else None",
    "loop": lambda n: f"os.symlink('s{n}b', 's{n}a') if not os.path.lexists('s{n}a') else None",
    "stdout": lambda n: f"os.write(1, b'o' * {n * 20_000})",
    "stderr": lambda n: f"os.write(2, b'\\xff\\xed\\xa0\\x80' * {n * 5_000})",
    "close": lambda n: f"os.close({n % 3})",
    "daemon": lambda n: (
        "subprocess.Popen(['sleep', '20'], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)"
    ),
    "children": lambda n: f"for i in range({n % 8}):\n    os.fork() or os._exit(0)",
    "alloc": lambda n: f"x = bytearray({n} * 4 * 1024 * 1024)",
    "spin": lambda n: f"t = time.monotonic()\nwhile time.monotonic() - t < {n / 40}: pass",
}
ENDINGS = {
    "exit": lambda n: f"sys.exit({n % 4})",
    "os_exit": lambda n: f"os._exit({n % 3})",
    "signal": lambda n: f"os.kill(os.getpid(), {[9, 15, 11, 6][n % 4]})",
    "raise": lambda n: "raise RuntimeError('\\ud800')",
    "sleep": lambda n: "time.sleep(60)",
    "fall_off": lambda n: "pass",
}

program = st.builds(
    lambda steps, ending: "\n".join(
        ["import os, subprocess, sys, time", "try:\n    os.chdir('.')\nexcept OSError: pass"]
        + [STEPS[name](n) for name, n in steps]
        + [ENDINGS[ending[0]](ending[1])]
    ),
    st.lists(st.tuples(st.sampled_from(sorted(STEPS)), st.integers(1, 40)), max_size=4),
    st.tuples(st.sampled_from(sorted(ENDINGS)), st.integers(0, 40)),
)


@settings(max_examples=8, **FUZZ)
@given(code=program)
def test_composed_hostile_programs_never_cause_infra_errors(sandbox, code):
    pool_before = _pool(sandbox)
    result = sandbox.run(_request(code, timeout_s=1))
    assert result.status in POLICY_STATUSES, (code, result)
    if sandbox.name == "docker":
        assert _pool(sandbox) == pool_before, "a warm container was discarded"
