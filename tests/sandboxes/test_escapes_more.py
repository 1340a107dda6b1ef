"""More escape and abuse attempts against the isolating backends (bwrap, docker), each a
regression test for a hole found by an adversarial audit. In CI (CI=true) a missing bubblewrap
or Docker engine fails these tests instead of skipping them."""

from __future__ import annotations

import pytest

from gymhub.sandboxes import ExecRequest
from gymhub.sandboxes.bwrap import BwrapSandbox
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
