"""A corpus of hostile programs: everything a policy's code can do inside its limits.

Each entry is Python source run as `python3 -I main.py`. `SAFE_ON_HOST` names the ones that may
run on the unisolated `local` backend (no fork bombs, no killing of other processes, no disk
filling on the host).
"""

from __future__ import annotations

from hypothesis import HealthCheck

DEEP_TREE = """
import os
for i in range({depth}):
    os.mkdir("d")
    os.chdir("d")
print("deep", {depth})
"""

LONG_PATHS = """
import os
name = "x" * 200
for i in range(60):
    os.mkdir(name)
    os.chdir(name)
open("leaf", "w").write("deep")
print("long")
"""

ODD_FILES = """
import os, socket
os.makedirs("locked/inner/more")
open("locked/inner/more/file", "w").write("x")
os.chmod("locked/inner/more", 0)
os.chmod("locked/inner", 0)
os.chmod("locked", 0)
os.mkfifo("fifo")
s = socket.socket(socket.AF_UNIX)
s.bind("sock")
os.symlink("loop1", "loop2")
os.symlink("loop2", "loop1")
os.symlink("/etc/passwd", "out.txt")
os.symlink("/", "root")
os.link("main.py", "hardlink")
open("readonly", "w").write("x")
os.chmod("readonly", 0)
os.makedirs("/tmp/t/locked")
os.chmod("/tmp/t/locked", 0)
os.chmod("/tmp/t", 0)
print("odd")
"""

LOCK_OWN_FOLDER = """
import os
open("f", "w").write("x")
os.chmod(".", 0)
print("locked")
"""

MANY_FILES = """
import os
n = 0
try:
    for i in range(100000):
        open("f%d" % i, "w").close()
        n += 1
except OSError as exc:
    print("stopped", n, type(exc).__name__)
print("files", n)
"""

FILL_DISK = """
import os
block = b"z" * (1 << 20)
for folder in (".", "/tmp", "/dev/shm"):
    for i in range(4096):
        try:
            with open(os.path.join(folder, "fill%d" % i), "wb") as f:
                f.write(block)
        except OSError:
            break
print("filled")
"""

CLOSE_STDOUT = """
import os, sys
os.close(1)
os.close(2)
x = sum(range(1000))
sys.exit(0)
"""

HUGE_STDERR = """
import os
chunk = b"e" * 65536
while True:
    os.write(2, chunk)
"""

HUGE_STDOUT_NO_NEWLINE = """
import sys
sys.stdout.write("y" * (50 * 1024 * 1024))
"""

SLEEP_PAST_DEADLINE = """
import time
print("sleeping", flush=True)
time.sleep(120)
"""

STOP_ITSELF = """
import os, signal
os.kill(os.getpid(), signal.SIGSTOP)
"""

IGNORE_SIGNALS_AND_SPIN = """
import signal
for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):
    signal.signal(s, signal.SIG_IGN)
while True:
    pass
"""

DAEMON_OUTLIVES = """
import os, subprocess, sys
subprocess.Popen(["sleep", "{sleep}"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "{sleep}"])
    os._exit(0)
print("daemonised")
"""

DAEMON_HOLDS_STDOUT = """
import os, subprocess
subprocess.Popen(["sleep", "{sleep}"], start_new_session=True)
print("left a child holding stdout", flush=True)
"""

DAEMON_WRITES_AFTER_EXIT = """
import os, time
if os.fork() == 0:
    os.setsid()
    time.sleep(0.3)
    for i in range(2000):
        try:
            os.makedirs("late/%d" % i)
        except OSError:
            pass
    os._exit(0)
print("parent gone")
"""

ZOMBIES = """
import os
n = 0
for i in range(40):
    try:
        if os.fork() == 0:
            os._exit(0)
        n += 1
    except OSError:
        break
print("zombies", n)
"""

SURROGATE_OUTPUT = """
import os, sys
os.write(1, b"\\xff\\xfe not utf-8 \\xed\\xa0\\x80\\n")
print("\\ud800")
"""

FORGED_RESULT = """
import os
os.write(1, b'GYMHUB-RESULT {"exit_code": 0, "signal": null}\\n')
os.write(2, b'GYMHUB-RESULT {"setup_error": "forged"}\\n')
"""

SELF_SIGNAL = """
import os, signal
os.kill(os.getpid(), signal.SIGTERM)
"""

MEMORY_BOMB = """
chunks = []
while True:
    chunks.append(bytearray(16 * 1024 * 1024))
"""

THREAD_BOMB = """
import threading, time
n = 0
try:
    while True:
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
        n += 1
except RuntimeError:
    print("threads", n)
"""

FORK_BOMB = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""

KILL_PARENT = """
import os, signal
try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError as exc:
    print("denied", exc)
"""

KILL_EVERYTHING = """
import os, signal
try:
    os.kill(-1, signal.SIGKILL)
except OSError as exc:
    print("denied", exc)
"""

PROGRAMS: dict[str, str] = {
    "deep_tree": DEEP_TREE.format(depth=5000),
    "long_paths": LONG_PATHS,
    "odd_files": ODD_FILES,
    "lock_own_folder": LOCK_OWN_FOLDER,
    "many_files": MANY_FILES,
    "fill_disk": FILL_DISK,
    "close_stdout": CLOSE_STDOUT,
    "huge_stderr": HUGE_STDERR,
    "huge_stdout_no_newline": HUGE_STDOUT_NO_NEWLINE,
    "sleep_past_deadline": SLEEP_PAST_DEADLINE,
    "stop_itself": STOP_ITSELF,
    "ignore_signals_and_spin": IGNORE_SIGNALS_AND_SPIN,
    "daemon_outlives": DAEMON_OUTLIVES.format(sleep=300),
    "daemon_holds_stdout": DAEMON_HOLDS_STDOUT.format(sleep=300),
    "daemon_writes_after_exit": DAEMON_WRITES_AFTER_EXIT,
    "zombies": ZOMBIES,
    "surrogate_output": SURROGATE_OUTPUT,
    "forged_result": FORGED_RESULT,
    "self_signal": SELF_SIGNAL,
    "memory_bomb": MEMORY_BOMB,
    "thread_bomb": THREAD_BOMB,
    "fork_bomb": FORK_BOMB,
    "kill_parent": KILL_PARENT,
    "kill_everything": KILL_EVERYTHING,
}

#: safe to run unisolated on the test machine (the local backend has no process or disk cap):
#: no bombs, no killing of other processes, no disk filling, shorter trees and daemons
UNSAFE_ON_HOST = {"many_files", "fill_disk", "thread_bomb", "fork_bomb", "kill_parent",
                  "kill_everything"}  # fmt: skip
SAFE_ON_HOST = {name: code for name, code in PROGRAMS.items() if name not in UNSAFE_ON_HOST} | {
    "deep_tree": DEEP_TREE.format(depth=1500),  # past Python's recursion limit, quick on disk
    "odd_files": ODD_FILES.replace("/tmp/t", "tmp_t"),
    "daemon_outlives": DAEMON_OUTLIVES.format(sleep=30),
    "daemon_holds_stdout": DAEMON_HOLDS_STDOUT.format(sleep=30),
}

#: hypothesis settings of the fuzz tests: a fixed sample (the same in CI every time), sized for
#: runs of a second each
FUZZ = {"deadline": None, "derandomize": True, "suppress_health_check": list(HealthCheck)}


#: statuses a program may end with; `infra_error` is the hub's alone
POLICY_STATUSES = {"ok", "nonzero_exit", "timeout", "memory_limit", "output_limit"}
