"""The bwrap backend's in-sandbox init: a small C program, compiled once per machine.

The first process inside the sandbox has to finish the set-up bubblewrap cannot do itself (the
inode limit of the tmpfs mounts), apply the rlimits, drop every capability and exec the command;
afterwards it sends the wanted output files back. Done with a shell and util-linux tools that is
eight processes per run (bash, mount x3, cp, umount, setpriv, prlimit), which on a loaded machine
cost more than bubblewrap and the program together. This init does the same in one process and
one fork, with plain system calls.

It is compiled with the host's C compiler on first use and cached (by the hash of its source)
under `$GYMHUB_CACHE_DIR` or `~/.cache/gymhub`; `init_binary()` returns None when no compiler
works, and the backend then keeps its shell set-up, which does the same work.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

log = logging.getLogger("gymhub.sandboxes")

# Runs as uid 0 of the sandbox's user namespace with CAP_SYS_ADMIN and CAP_SETPCAP there (nothing
# on the host). argv: init FD INODES_WORK INODES_DISK AS CPU NPROC FSIZE NOFILE OUT_LIMIT NOUT
# OUT... -- COMMAND...   The protocol on FD: "S" once the command is about to be exec'd; then, for
# each wanted output file that is a regular file reached without symlinks: "F", the name's length
# (4 bytes, big endian), the name, chunks of (4-byte length, data), and a zero length. Without
# output files it execs the command itself; with them it forks, waits and sends them.
SOURCE = r"""
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

struct open_how_ { uint64_t flags, mode, resolve; };
#define RESOLVE_NO_SYMLINKS_ 0x04
#define RESOLVE_BENEATH_ 0x08

static int fail(const char *what) {
  fprintf(stderr, "gymhub sandbox init: %s: %s\n", what, strerror(errno));
  return 125;
}

static unsigned long long num(const char *text) {
  char *end;
  errno = 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno || end == text || *end) {
    fprintf(stderr, "gymhub sandbox init: bad number %s\n", text);
    exit(125);
  }
  return value;
}

static int limit(int resource, unsigned long long soft, unsigned long long hard) {
  struct rlimit r = {soft, hard};
  return setrlimit(resource, &r);
}

static int drop_capabilities(void) {
  for (int cap = 0; cap < 64; cap++)
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL) return -1;
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL) return -1;
  struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capset, &head, data)) return -1;
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* every descriptor but 0, 1, 2 and `keep` (the status pipe) */
static void close_others(int keep) {
  if (syscall(SYS_close_range, 3, keep - 1, 0) == 0 &&
      syscall(SYS_close_range, keep + 1, ~0U, 0) == 0)
    return;
  for (int fd = 3; fd < 65536; fd++)
    if (fd != keep) close(fd);
}

static int write_text(const char *path, const char *text) {
  int out = open(path, O_WRONLY | O_CLOEXEC);
  if (out < 0) return -1;
  ssize_t n = write(out, text, strlen(text));
  close(out);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* the command's own user namespace, its uid and gid 0 those of this one: bubblewrap's pid 1 (as
   dumpable as the command and with no more capabilities) stays in this one, where the command
   has no capability, so it can neither trace it nor open its memory or descriptors; it may
   create no user namespace of its own */
static int nest_user_namespace(void) {
  if (unshare(CLONE_NEWUSER)) return -1;
  if (write_text("/proc/self/setgroups", "deny") || write_text("/proc/self/uid_map", "0 0 1") ||
      write_text("/proc/self/gid_map", "0 0 1"))
    return -1;
  /* and no user namespace below it: in one of its own the program would hold every capability
     again (mount, nf_tables, ... : the kernel's attack surface that docker's seccomp profile
     closes); the limit is this namespace's, and only its root, about to drop every capability,
     may raise it */
  return write_text("/proc/sys/user/max_user_namespaces", "0");
}

static int put(int fd, const void *data, size_t size) {
  const char *p = data;
  while (size) {
    ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    size -= (size_t)n;
  }
  return 0;
}

static int put_u32(int fd, uint32_t value) {
  unsigned char b[4] = {value >> 24, value >> 16, value >> 8, value};
  return put(fd, b, 4);
}

/* one output file, opened beneath the working folder without following any symlink */
static int send_file(int fd, const char *name, unsigned long long *budget) {
  struct open_how_ how = {O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW, 0,
                          RESOLVE_NO_SYMLINKS_ | RESOLVE_BENEATH_};
  int in = (int)syscall(SYS_openat2, AT_FDCWD, name, &how, sizeof how);
  if (in < 0 && errno == ENOSYS) in = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
  if (in < 0) return 0;
  struct stat st;
  if (fstat(in, &st) || !S_ISREG(st.st_mode)) {
    close(in);
    return 0;
  }
  uint32_t size = (uint32_t)strlen(name);
  if (put(fd, "F", 1) || put_u32(fd, size) || put(fd, name, size)) return -1;
  char buf[65536];
  while (*budget) {
    ssize_t n = read(in, buf, *budget < sizeof buf ? *budget : sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    *budget -= (unsigned long long)n;
    if (put_u32(fd, (uint32_t)n) || put(fd, buf, (size_t)n)) return -1;
  }
  close(in);
  return put_u32(fd, 0);
}

int main(int argc, char **argv) {
  if (argc < 12) return 125;
  int fd = (int)num(argv[1]);
  unsigned long long work_inodes = num(argv[2]), disk_inodes = num(argv[3]);
  unsigned long long as = num(argv[4]), cpu = num(argv[5]), nproc = num(argv[6]);
  unsigned long long fsize = num(argv[7]), nofile = num(argv[8]), budget = num(argv[9]);
  int nout = (int)num(argv[10]);
  if (nout < 0 || 11 + nout >= argc || strcmp(argv[11 + nout], "--") || 12 + nout >= argc)
    return 125;
  char **outs = argv + 11, **command = argv + 12 + nout;

  /* bubblewrap mounted the tmpfs mounts with their sizes; add the inode limit it cannot set
     (empty files cost kernel memory that `size=` does not count) */
  char opts[64];
  const char *mounts[] = {"/sandbox", "/tmp", "/dev/shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(opts, sizeof opts, "nr_inodes=%llu", i == 0 ? work_inodes : disk_inodes);
    if (mount("tmpfs", mounts[i], "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, opts))
      return fail(mounts[i]);
  }
  /* without output files to send back, nothing is left to do after the command: become it
     (one process fewer to wake when it ends); otherwise fork, wait and send them */
  pid_t pid = nout ? fork() : 0;
  if (pid < 0) return fail("fork");
  if (pid == 0) {
    if (nest_user_namespace()) _exit(fail("user namespace"));
    if (limit(RLIMIT_AS, as, as) || limit(RLIMIT_CPU, cpu, cpu + 1) ||
        limit(RLIMIT_NPROC, nproc, nproc) || limit(RLIMIT_FSIZE, fsize, fsize) ||
        limit(RLIMIT_CORE, 0, 0))
      _exit(fail("rlimit"));
    if (drop_capabilities()) _exit(fail("capabilities"));
    close_others(fd);
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) || limit(RLIMIT_NOFILE, nofile, nofile))
      _exit(fail("descriptors"));
    if (put(fd, "S", 1)) _exit(fail("status"));
    execvp(command[0], command);
    fprintf(stderr, "cannot run '%s': %s\n", command[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
  }
  /* this process needs no privilege any more either, and the program may not trace it (it
     holds the descriptor the output files go back on) */
  if (drop_capabilities() || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)) return fail("capabilities");
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return fail("wait");
  for (int i = 0; i < nout; i++)
    if (send_file(fd, outs[i], &budget)) break;
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
"""

_LOCK = threading.Lock()
_CACHED: dict[str, bytes | None] = {}


def cache_dir() -> Path:
    """Where compiled helpers are kept: `$GYMHUB_CACHE_DIR`, else `$XDG_CACHE_HOME/gymhub`,
    else `~/.cache/gymhub`."""
    if os.environ.get("GYMHUB_CACHE_DIR"):
        return Path(os.environ["GYMHUB_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gymhub"


def _trusted(path: Path) -> bool:
    """A cached binary is used only when this user owns it and nobody else can change it."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return (
        path.is_file()
        and not path.is_symlink()
        and info.st_uid == os.geteuid()
        and not info.st_mode & 0o022
    )


def compile_c(source: str, what: str) -> bytes | None:
    """`source` compiled with the first C compiler found, or None (`what` names it in the
    log: the init, the cgroup gate)."""
    compiler = next((c for c in ("cc", "gcc", "clang") if shutil.which(c)), None)
    if compiler is None:
        log.info("gymhub bwrap: no C compiler for the %s; using the slower fallback", what)
        return None
    with tempfile.TemporaryDirectory(prefix="gymhub-cc-") as work:
        src = os.path.join(work, "program.c")
        out = os.path.join(work, "program")
        Path(src).write_text(source)
        try:
            done = subprocess.run(
                [compiler, "-O2", "-o", out, src], capture_output=True, timeout=120, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.info("gymhub bwrap: compiling the %s failed: %r", what, exc)
            return None
        if done.returncode != 0:
            log.info("gymhub bwrap: compiling the %s failed: %s", what, done.stderr[-2000:])
            return None
        return Path(out).read_bytes()


def _store(target: Path, data: bytes) -> None:
    """Cache `data` at `target` (best effort; atomic, so concurrent processes see a whole
    binary or none)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        staged = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        staged.write_bytes(data)
        os.chmod(staged, 0o755)
        os.replace(staged, target)
    except OSError as exc:
        log.info("gymhub bwrap: cannot cache %s in %s: %r", target.name, target.parent, exc)


def cached_binary(source: str, name: str, what: str) -> bytes | None:
    """`source` compiled, from the cache (`cache_dir()/NAME-DIGEST`, one per source version)
    when a trusted copy is there, else compiled and cached; None when it cannot be built."""
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    target = cache_dir() / f"{name}-{digest}"
    if _trusted(target):
        return target.read_bytes()
    data = compile_c(source, what)
    if data is not None:
        _store(target, data)
    return data


def init_binary() -> bytes | None:
    """The compiled init (its bytes: the backend hands them to bubblewrap per run), or None
    when it cannot be built here. Compiled at most once per machine and source version."""
    digest = hashlib.sha256(SOURCE.encode()).hexdigest()[:16]
    with _LOCK:
        if digest not in _CACHED:
            _CACHED[digest] = cached_binary(SOURCE, "bwrap-init", "init")
        return _CACHED[digest]
