"""The test runner that runs INSIDE the sandbox: one warm interpreter per submission that gives
every test case a fresh process of its own, fast, and leaves nothing of one case to the next.

Standard library only, Python 3.8+ (the sandbox image is a minimal Debian). The hub ships this
source after the deletion helper `empty_folder` (sandboxes/_wipe.py) and starts it as
`python3 -I harness.py`; the spec arrives on stdin and never holds an expected value, and one
JSON line of results goes to stdout at the end.

Modes:
- `function`: a template process imports the candidate module once, then forks one child per
  case that calls the function and sends `{"ok": true, "value": ...}` back (plain JSON only).
- `python`: stdin/stdout tests of a Python program, compiled once here; each case is a forked
  child that runs the code object as `__main__` with fresh globals, its own stdin/stdout/stderr,
  `sys.argv`, exit codes, uncaught exceptions (exit 1 with a traceback), thread and atexit
  shutdown and the final flush, as `python3 -I main.py` would.
- `exec`: stdin/stdout tests of any other program (compiled once first when `compile` is set),
  each case one posix_spawn.

Isolation between cases: this process is a child subreaper, so every process a case leaves
(setsid'd, double-forked) comes back to it and is SIGKILLed before the next case starts; the
scratch folders (working folder, /tmp, /dev/shm) are put back to their state before the first
case (new entries deleted, changed files rewritten, modes restored); module globals and the
environment die with each case's process. The runner itself is not dumpable, so a case cannot
ptrace it or read its memory.
"""

import atexit
import base64
import builtins
import gc
import importlib.machinery
import io
import json
import os
import select
import signal
import stat
import sys
import time
import warnings

PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
_PRCTL = []
# bound before any candidate code runs: a program that patches `os._exit` or `os.execvp` (or
# json) still ends where the runner means it to, never inside the runner's own loop
_dumps = json.dumps
_exit = os._exit
_execvp = os.execvp
_type, _id, _issubclass, _len = type, id, issubclass, len
_keys, _values = dict.keys, dict.values
_SCALARS = frozenset((int, float, str, bool, type(None)))


def prctl(option, value):
    """prctl(2) through ctypes; False when it is not available."""
    try:
        if not _PRCTL:
            import ctypes

            _PRCTL.append(ctypes.CDLL(None, use_errno=True).prctl)
        return _PRCTL[0](option, value, 0, 0, 0) == 0
    except Exception:
        return False


# ---------------------------------------------------------------------------------- processes
def children(pid):
    """The direct children of `pid` (its threads' `children` files, else a scan of /proc)."""
    found = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        tids = []
    ok = bool(tids)
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found += [int(x) for x in handle.read().split()]
        except OSError:
            ok = False
    if ok:
        return found
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    data = handle.read()
                if int(data[data.rindex(b")") + 2 :].split()[1]) == pid:
                    found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


def zombie(pid):
    """True when `pid` is gone or a zombie (dead, waiting for its parent to reap it)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return True
    end = data.rfind(b")")
    return data[end + 2 : end + 3] in (b"Z", b"X", b"")


def kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def reap(pid, block):
    """Wait for our child `pid`; its wait status, or None (still running / not ours)."""
    try:
        done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return None
    return status if done else None


class Tree:
    """Every process below this one, except the `keep` ones (the template), is a leftover."""

    def __init__(self):
        self.me = os.getpid()
        self.keep = set()
        self.dead = set()  # kept processes found dead while reaping

    def clear(self, deadline_s=5.0):
        """SIGKILL every leftover until none is left; False if some survived `deadline_s`."""
        end = time.monotonic() + deadline_s
        while True:
            self._reap_zombies()
            if not self.keep:
                try:
                    os.waitpid(-1, os.WNOHANG)  # raises when there is no child at all
                except ChildProcessError:
                    return True
            victims = [p for p in children(self.me) if p not in self.keep]
            for kept in self.keep:  # what the template forked and left running
                victims += [p for p in children(kept) if not zombie(p)]
            if not victims:
                return True
            if time.monotonic() > end:
                return False
            for pid in victims:
                kill(pid)
            for pid in victims:
                reap(pid, True)  # ours: wait for it, so its children are handed to us
            time.sleep(0)

    def _reap_zombies(self):
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.keep:
                self.keep.discard(pid)
                self.dead.add(pid)


# --------------------------------------------------------------------------- scratch folders
class Scratch:
    """The folders a case may write, and how to put them back as they were."""

    def __init__(self, roots, max_bytes=96 * 1024 * 1024):
        self.roots = []
        for root in roots:
            path = os.path.abspath(root)
            if os.path.isdir(path) and path not in self.roots:
                self.roots.append(path)
        self.max_bytes = max_bytes
        self.saved = {}
        self.problem = None
        self.snapshot()

    def snapshot(self):
        """Record every root: folders (mode, entry names), files (mode, content), links."""
        saved, budget = {}, self.max_bytes
        for root in self.roots:
            stack = [root]
            while stack:
                path = stack.pop()
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                mode = stat.S_IMODE(info.st_mode)
                if stat.S_ISDIR(info.st_mode):
                    try:
                        names = sorted(os.listdir(path))
                    except OSError:
                        names = []
                    saved[path] = ("dir", mode, names)
                    stack += [os.path.join(path, name) for name in names]
                elif stat.S_ISREG(info.st_mode) and info.st_size <= budget:
                    try:
                        with open(path, "rb") as handle:
                            data = handle.read()
                    except OSError:  # unreadable (an import may chmod 000): kept as found
                        saved[path] = ("other", mode, None)
                        continue
                    budget -= len(data)
                    saved[path] = ("file", mode, data)
                elif stat.S_ISLNK(info.st_mode):
                    try:
                        saved[path] = ("link", 0, os.readlink(path))
                    except OSError:
                        saved[path] = ("other", mode, None)
                else:
                    saved[path] = ("other", mode, None)  # kept as found, never compared
        self.saved = saved

    def clean(self):
        """True when every recorded entry is as recorded and nothing was added (else the first
        path that differs is in `self.problem`)."""
        for path, (kind, mode, data) in self.saved.items():
            self.problem = path
            if not self._same(path, kind, mode, data):
                return False
        self.problem = None
        return True

    @staticmethod
    def _same(path, kind, mode, data):
        try:
            info = os.lstat(path)
        except OSError:
            return False
        if kind == "dir":
            if not stat.S_ISDIR(info.st_mode) or stat.S_IMODE(info.st_mode) != mode:
                return False
            try:
                if sorted(os.listdir(path)) != data:
                    return False
            except OSError:
                return False
        elif kind == "file":
            if (
                not stat.S_ISREG(info.st_mode)
                or stat.S_IMODE(info.st_mode) != mode
                or info.st_size != len(data)
                or info.st_nlink != 1
            ):
                return False
            try:
                with open(path, "rb") as handle:
                    if handle.read() != data:
                        return False
            except OSError:
                return False
        elif kind == "link":
            try:
                if not stat.S_ISLNK(info.st_mode) or os.readlink(path) != data:
                    return False
            except OSError:
                return False
        return True

    def restore(self, deadline_s=10.0):
        """Put every root back as recorded; True when it is clean afterwards."""
        if self.clean():
            return True
        for path in sorted(p for p, v in self.saved.items() if v[0] == "dir"):
            kind, mode, names = self.saved[path]
            try:
                info = os.lstat(path)
                if not stat.S_ISDIR(info.st_mode):
                    os.unlink(path)
                    raise FileNotFoundError(path)
            except FileNotFoundError:
                try:
                    os.mkdir(path, 0o700)
                except OSError:
                    continue
            except OSError:
                continue
            try:  # ours to enter and empty (a shared sticky /tmp is not ours: left as it is)
                os.chmod(path, 0o700 | mode)
            except OSError:
                pass
            try:
                names = os.listdir(path)
            except OSError:
                continue
            for name in names:
                child = os.path.join(path, name)
                entry = self.saved.get(child)
                if entry is not None and entry[0] in ("dir", "other"):
                    continue
                if entry is not None and entry[0] == "file" and self._same_file(child, entry):
                    continue
                self._remove(child, deadline_s)
        for path in sorted(self.saved):
            kind, mode, data = self.saved[path]
            try:
                if kind == "file" and not os.path.lexists(path):
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(data)
                    os.chmod(path, mode)
                elif kind == "link" and not os.path.lexists(path):
                    os.symlink(data, path)
            except OSError:
                pass
        for path in sorted((p for p, v in self.saved.items() if v[0] == "dir"), reverse=True):
            try:
                os.chmod(path, self.saved[path][1])
            except OSError:
                pass
        return self.clean()

    @staticmethod
    def _same_file(path, entry):
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                return False
            if info.st_size != len(entry[2]):
                return False
            os.chmod(path, entry[1])
            with open(path, "rb") as handle:
                return handle.read() == entry[2]
        except OSError:
            return False

    @staticmethod
    def _remove(path, deadline_s):
        try:
            info = os.lstat(path)
        except OSError:
            return
        if stat.S_ISDIR(info.st_mode):
            empty_folder(path, deadline_s)  # noqa: F821 (shipped ahead of this source)
            try:
                os.rmdir(path)
            except OSError:
                pass
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


# ------------------------------------------------------------------------------- the child side
def to_devnull():
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if null > 2:
        os.close(null)


def write_all(fd, data):
    while data:
        data = data[os.write(fd, data) :]


def frame(payload):
    data = payload.encode("utf-8", "surrogatepass")
    return b"%d\n" % len(data) + data


def child_setup():
    """What every case's process does first: its own process group, dumpable again (so it can
    read its own /proc files), default signal dispositions of a fresh `python3`."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    prctl(PR_SET_DUMPABLE, 1)


def non_str_key(value, budget):
    """`[key]`: the first dict key in `value` that is not a str, or None. JSON writes an int,
    float, bool or None key as a string, so `{1: 2}` came back as `{"1": 2}` and was paid where
    a string-keyed dict was expected: a type the hub otherwise refuses (True is not 1). At most
    `budget` containers are looked at (a result of n bytes holds fewer than n / 2; a cycle,
    which JSON refuses anyway, ends there)."""
    stack = [value]
    while stack and budget > 0:
        budget -= 1
        item = stack.pop()
        kind = _type(item)
        if kind is list or kind is tuple or _issubclass(kind, (list, tuple)):
            stack += [x for x in item if _type(x) not in _SCALARS]
        elif _issubclass(kind, dict):
            for key in _keys(item):
                if not _issubclass(_type(key), str):
                    return [key]
            stack += [x for x in _values(item) if _type(x) not in _SCALARS]
    return None


def call_case(module_fn, test, result_w, max_bytes):
    """In a case's process: call the function, send the framed result, exit."""
    try:
        value = module_fn()(*test["args"], **test["kwargs"])
        found = non_str_key(value, max_bytes // 2 + 1)
        if found is not None:
            key = found[0]
            raise TypeError(f"dict keys must be str: JSON turns the key {key!r} into a string")
        payload = _dumps({"ok": True, "value": value}, allow_nan=False)
    except BaseException as exc:
        try:
            text = (type(exc).__name__ + ": " + str(exc))[:300]
        except BaseException:
            text = type(exc).__name__
        payload = _dumps({"ok": False, "error": text})
    try:
        write_all(result_w, frame(payload))
    finally:
        _exit(0)


class Template:
    """The process that imported the candidate module once; it forks one child per case."""

    def __init__(self, spec, tree, result_w):
        self.spec, self.tree, self.result_w = spec, tree, result_w
        self.pid = None
        self.error = None

    def start(self, deadline):
        """Fork the template and wait (until `deadline`) for its import; a status word."""
        cmd_r, cmd_w = os.pipe()
        evt_r, evt_w = os.pipe()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(cmd_w)
                os.close(evt_r)
                self._serve(cmd_r, evt_w)
            finally:
                _exit(1)
        os.close(cmd_r)
        os.close(evt_w)
        self.pid, self.cmd_w, self.evt = pid, cmd_w, os.fdopen(evt_r, "rb", buffering=0)
        self.tree.keep.add(pid)
        line = self.event(deadline)
        if line == b"ready":
            return "ready"
        self.stop()
        if line is None:
            return "timeout"
        if not line:
            return "crash"
        if line.startswith(b"error "):
            self.error = line[6:].decode("utf-8", "replace")
            return "error"
        return "crash"

    def _serve(self, cmd_r, evt_w):
        prctl(PR_SET_DUMPABLE, 1)
        to_devnull()
        spec = self.spec
        module = None
        try:
            sys.path.insert(0, os.getcwd())
            sys.dont_write_bytecode = True  # no __pycache__ in the working folder
            import importlib

            module = importlib.import_module(spec["module"])
            message = b"ready\n"
        except BaseException as exc:
            try:
                text = (type(exc).__name__ + ": " + str(exc))[:300]
            except BaseException:
                text = type(exc).__name__
            message = b"error " + text.replace("\n", " ").encode("utf-8", "replace") + b"\n"
        try:
            write_all(evt_w, message)
        except OSError:
            _exit(1)
        if module is None:
            _exit(0)
        name = spec["fn_name"]

        def lookup():
            fn = getattr(module, name, None)
            if fn is None and hasattr(module, "Solution"):
                fn = getattr(module.Solution(), name)
            if fn is None:
                raise NameError(f"function {name!r} is not defined")
            return fn

        gc.freeze()
        commands = os.fdopen(cmd_r, "rb", buffering=0)
        tests = spec["tests"]
        while True:
            line = commands.readline()
            if not line:
                _exit(0)
            try:
                pid = os.fork()
            except OSError:  # out of processes: this case never ran
                write_all(evt_w, b"done\n")
                continue
            if pid == 0:
                commands.close()
                os.close(evt_w)
                child_setup()
                call_case(lookup, tests[int(line)], self.result_w, spec["max_result_bytes"])
            reap(pid, True)
            while True:  # whatever else it left: the runner kills them, this one reaps them
                try:
                    if os.waitpid(-1, os.WNOHANG)[0] == 0:
                        break
                except ChildProcessError:
                    break
            write_all(evt_w, b"done\n")

    def event(self, deadline):
        """One line from the template, or None when it is gone or `deadline` passed."""
        data = b""
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.evt], [], [], left)[0]:
                return None
            chunk = self.evt.read(1)
            if not chunk:
                return b""  # the template is gone
            data += chunk
        return data[:-1]

    def run(self, index):
        """Ask for case `index`; False when the template is gone."""
        try:
            write_all(self.cmd_w, b"%d\n" % index)
        except OSError:
            return False
        return True

    def kill_case(self):
        """SIGKILL the running case (the template's live children)."""
        if self.pid is not None:
            for pid in children(self.pid):
                if not zombie(pid):
                    kill(pid)

    def finish(self):
        """After the case's process was killed: wait until the template has reaped it."""
        if self.event(time.monotonic() + 2.0) != b"done":
            self.stop()

    def stop(self):
        if self.pid is not None:
            if self.pid not in self.tree.dead:
                kill(self.pid)
                reap(self.pid, True)
            self.tree.keep.discard(self.pid)
            for fd in (self.cmd_w, self.evt):
                try:
                    fd.close() if hasattr(fd, "close") else os.close(fd)
                except OSError:
                    pass
        self.pid = None

    @property
    def alive(self):
        return self.pid is not None and self.pid not in self.tree.dead


def parse_frame(buf, limit):
    """(status, payload) of a complete `<length>\\n<payload>` frame in `buf`, else None."""
    head, sep, rest = buf.partition(b"\n")
    if not sep:
        return ("crash", None) if len(buf) > 32 else None
    if not head.isdigit() or int(head) > limit:
        return "crash", None
    if len(rest) >= int(head):
        return "ok", rest[: int(head)]
    return None


def await_case(result_fd, template, deadline, limit):
    """The case's result frame, until the case's process is gone or `deadline` passes:
    ((status, payload), whether the template already reported the process reaped)."""
    buf, exited = b"", False
    while True:
        found = parse_frame(buf, limit)
        if found is not None:
            return found, exited
        if exited:
            return ("crash", None), exited
        left = deadline - time.monotonic()
        if left <= 0:
            return ("timeout", None), exited
        ready = select.select([result_fd, template.evt], [], [], left)[0]
        if template.evt in ready:  # the process ended: what it sent is all in the pipe
            if template.event(time.monotonic() + 2.0) != b"done":
                template.stop()
            exited = True
        if result_fd in ready or exited:
            try:
                while len(buf) <= limit + 32:
                    chunk = os.read(result_fd, 1 << 20)
                    if not chunk:
                        break
                    buf += chunk
            except BlockingIOError:
                pass


def drain(fd):
    try:
        while os.read(fd, 1 << 20):
            pass
    except BlockingIOError:
        pass


def run_functions(spec, tree, scratch, end):
    """Function-call cases: import once in a template, one forked child per case."""
    tests = spec["tests"]
    result_r, result_w = os.pipe()
    os.set_blocking(result_r, False)
    template = Template(spec, tree, result_w)
    results = []
    first = min(time.monotonic() + tests[0]["timeout_s"], end) if tests else end
    state = template.start(first)
    if state != "ready":
        tree.clear()
        if state == "error":
            return [{"status": "error", "error": template.error}] * len(tests)
        return [{"status": "timeout" if state == "timeout" else "crash"}] * len(tests)
    if not tree.clear():  # what the import left running
        template.stop()
        return [{"status": "error", "error": "processes left at import could not be killed"}] * len(
            tests
        )
    scratch.snapshot()  # what the import wrote is part of every case's starting state
    gc.freeze()  # cases never scan (and so never copy) the runner's own objects
    for index, test in enumerate(tests):
        start = time.monotonic()
        if start >= end:
            results.append({"status": "timeout"})
            if stop_here(spec, results, tests):
                break
            continue
        if not template.alive:  # a case killed it: a fresh one for the next case
            template.stop()
            if template.start(min(start + test["timeout_s"], end)) != "ready":
                results.append({"status": "crash"})
                tree.clear()
                if stop_here(spec, results, tests):
                    break
                continue
            start = time.monotonic()
        if not template.run(index):
            status, payload = "crash", None
            template.stop()
        else:
            deadline = min(start + test["timeout_s"], end)
            found, exited = await_case(result_r, template, deadline, spec["max_result_bytes"])
            status, payload = found
            if not exited:
                template.kill_case()
                template.finish()
        problem = reset(tree, scratch)
        drain(result_r)
        results.append(decode_result(status, payload))
        if problem:
            results += [{"status": "error", "error": problem}] * (len(tests) - len(results))
            break
        if results[-1]["status"] != "ok" and stop_here(spec, results, tests):
            break
    template.stop()
    return results


def reset(tree, scratch):
    """Between two cases: no process of the last one left, scratch folders as recorded. None,
    or why the next case cannot start clean (the program's doing: its remaining tests fail)."""
    if not tree.clear():
        return "processes a test case left could not be killed"
    if not scratch.restore():
        where = str(scratch.problem)
        where = where if len(where) <= 300 else "..." + where[-300:]  # a path up to PATH_MAX
        return "files a test case left could not be removed (" + where + ")"
    return None


def decode_result(status, payload):
    if status != "ok":
        return {"status": status}
    try:
        message = json.loads(payload)
        if message.get("ok") is True:
            return {"status": "ok", "value": message["value"]}
        return {"status": "error", "error": str(message.get("error"))[:300]}
    except Exception:
        return {"status": "crash"}


def stop_here(spec, results, tests):
    """With stop_on_failure, the remaining cases are skipped after the first failure."""
    if not spec["stop_on_failure"]:
        return False
    results += [{"status": "skipped"}] * (len(tests) - len(results))
    return True


# ------------------------------------------------------------------------------ stdin / stdout
def python_main(code, path, argv):
    """In a case's process: run `code` as `python3 -I main.py` would, then exit."""
    atexit._clear()
    module = type(sys)("__main__")
    module.__dict__.update(
        __file__=path,
        __cached__=None,
        __builtins__=builtins,
        __loader__=importlib.machinery.SourceFileLoader("__main__", path),
        __spec__=None,
        __package__=None,
    )
    sys.modules["__main__"] = module
    sys.argv[:] = argv
    try:
        sys.orig_argv = ["python3", "-I", *argv]
    except AttributeError:
        pass
    like = (sys.__stdin__, sys.__stdout__, sys.__stderr__)
    streams = []
    for fd, mode, old in zip((0, 1, 2), ("rb", "wb", "wb"), like):
        raw = open(fd, mode, buffering=-1, closefd=False)
        streams.append(
            io.TextIOWrapper(
                raw,
                encoding=getattr(old, "encoding", None) or "utf-8",
                errors=getattr(old, "errors", None) or "strict",
                newline="\n",
                line_buffering=bool(getattr(old, "line_buffering", fd == 2)),
                write_through=bool(getattr(old, "write_through", False)),
            )
        )
    sys.stdin = sys.__stdin__ = streams[0]
    sys.stdout = sys.__stdout__ = streams[1]
    sys.stderr = sys.__stderr__ = streams[2]
    rc = 0
    try:
        if isinstance(code, BaseException):  # the source did not compile
            rc = 1
            sys.excepthook(type(code), code.with_traceback(None), None)
        else:
            exec(code, module.__dict__)
    except SystemExit as exc:
        rc = exit_code(exc)
    except BaseException:
        rc = 1
        kind, value, trace = sys.exc_info()
        try:  # from the program's own frame on, as `python3 main.py` shows it
            trace = trace.tb_next if trace is not None else None
            sys.excepthook(kind, value.with_traceback(trace), trace)
        except BaseException:
            pass
    _exit(finalize(rc, streams))


def exit_code(exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        sys.stderr.write(str(code) + "\n")
    except BaseException:
        pass
    return 1


def finalize(rc, originals=()):
    """What the interpreter does at exit: join threads, run atexit, flush stdout/stderr, then
    the original streams (`sys.__stdout__`, which a program that swapped `sys.stdout` for a
    StringIO writes its output to), whose failures are ignored."""
    threading = sys.modules.get("threading")
    try:
        if threading is not None and hasattr(threading, "_shutdown"):
            threading._shutdown()
    except BaseException:
        pass
    try:
        atexit._run_exitfuncs()
    except SystemExit as exc:
        rc = exit_code(exc)
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not closed(stream):  # closed ones are skipped, as there
                stream.flush()
        except BaseException:
            if stream is sys.stdout:
                rc = 120
    for stream in originals:
        try:
            if not closed(stream):
                stream.flush()
        except BaseException:
            pass
    return rc


def closed(stream):
    """Whether the interpreter's exit would leave `stream` alone (its `closed` is true)."""
    try:
        return bool(stream.closed)
    except BaseException:
        return False


def stdin_fd(data):
    """A readable descriptor holding `data` (an anonymous memory file, rewound)."""
    try:
        fd = os.memfd_create("stdin", getattr(os, "MFD_CLOEXEC", 1))
    except (AttributeError, OSError):
        import tempfile

        fd, name = tempfile.mkstemp()
        os.unlink(name)
    write_all(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def run_stdio(spec, tree, scratch, end):
    """stdin/stdout cases, each its own process (forked Python, or spawned)."""
    tests = spec["tests"]
    cap = spec["output_limit"]
    code, path = None, None
    if spec["mode"] == "python":
        path = os.path.abspath(spec["source"])
        try:
            with open(path, "rb") as handle:
                source = handle.read()
            # compiled here, so the compiler's warnings (a SyntaxWarning for each `1 is 1`)
            # went to this runner's own stderr: 55,000 such lines flooded it past the output
            # cap, and the report cut short read as the sandbox's failure (`infra_error`)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                code = compile(source, path, "exec", dont_inherit=True)
        except BaseException as exc:
            code = exc
    results = []
    gc.freeze()  # cases never scan (and so never copy) the runner's own objects
    for test in tests:
        start = time.monotonic()
        if start >= end:
            results.append({"status": "timeout", "exit_code": None, "stdout_b64": "", "stderr": ""})
            if stop_here(spec, results, tests):
                break
            continue
        results.append(run_one(spec, test, code, path, min(start + test["timeout_s"], end), cap))
        problem = reset(tree, scratch)
        if problem:
            failed = {"status": "error", "exit_code": None, "stdout_b64": "", "stderr": problem}
            results += [failed] * (len(tests) - len(results))
            break
        if results[-1]["status"] != "ok" and stop_here(spec, results, tests):
            break
    return results


#: what Python itself ignores and an exec'd program must get back as default (as subprocess does)
RESET_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGPIPE", "SIGXFSZ", "SIGXCPU") if hasattr(signal, name)
)


def spawn(argv, fds):
    """Start `argv` with `fds` as its stdin/stdout/stderr, in its own process group, with
    default signal dispositions: posix_spawn (vfork-fast; no copy of this process)."""
    if not hasattr(os, "posix_spawnp"):
        pid = os.fork()
        if pid == 0:
            try:
                child_setup()
                for signum in RESET_SIGNALS:
                    signal.signal(signum, signal.SIG_DFL)
                for target, fd in enumerate(fds):
                    os.dup2(fd, target)
                _execvp(argv[0], argv)
            finally:
                _exit(127)
        return pid
    actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(fds)]
    return os.posix_spawnp(
        argv[0],
        argv,
        dict(os.environ),
        file_actions=actions,
        setpgroup=0,
        setsigdef=RESET_SIGNALS,
    )


def run_one(spec, test, code, path, deadline, cap, tail=1000):
    """One stdin/stdout case: its status, exit code, stdout (over `cap`: `output_limit`) and
    the last `tail` bytes of its stderr (any amount; a program that only floods stderr runs
    into its deadline)."""
    infd = stdin_fd(test["stdin"].encode("utf-8", "surrogatepass"))
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        if spec["mode"] == "python":
            pid = os.fork()
        else:
            pid = spawn(spec["run"], (infd, out_w, err_w))
    except OSError as exc:
        for fd in (infd, out_r, out_w, err_r, err_w):
            os.close(fd)
        return {"status": "error", "exit_code": None, "stdout_b64": "", "stderr": str(exc)[:500]}
    if pid == 0:
        try:
            child_setup()
            os.dup2(infd, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in (infd, out_r, out_w, err_r, err_w):
                os.close(fd)
            if spec["mode"] == "python":
                python_main(code, path, [spec["source"]])
            argv = spec["run"]
            _execvp(argv[0], argv)
        except BaseException as exc:
            try:
                os.write(2, (f"cannot run the program: {exc!r}\n").encode())
            except BaseException:
                pass
        _exit(127)
    for fd in (infd, out_w, err_w):
        os.close(fd)
    bufs = {out_r: bytearray(), err_r: bytearray()}
    open_fds = [out_r, err_r]
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    status = None
    timed_out = over = False
    # until the program has exited, not only until its pipes are closed: a program that closes
    # its stdout and stderr before it exits (coreutils do, at exit; a C program may fclose
    # both) was SIGKILLed in that moment, a right answer scored as a crash (exit -9)
    while open_fds or status is None:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        watch = open_fds + ([pidfd] if pidfd is not None and status is None else [])
        wait = left if pidfd is not None or status is not None else min(left, 0.02)
        ready = select.select(watch, [], [], wait)[0]
        if status is None and (pidfd in ready or pidfd is None):
            status = reap(pid, False)
            if status is not None:
                tree.clear()  # leftovers holding the pipes: the program is over
        for fd in ready:
            if fd == pidfd:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.remove(fd)
                continue
            if fd == err_r:  # only its end is reported: a right program's debug output to
                # stderr (MBs of it) was an `output_limit`, scored 0 for what judges ignore
                bufs[fd] += chunk
                del bufs[fd][:-tail]
                continue
            room = cap - len(bufs[fd])
            bufs[fd] += chunk[: max(room, 0)]
            if len(chunk) > room:
                over = True
        if over:
            break
    if status is None:  # never signal a pid already reaped: it may be another process's now
        kill(pid)
        status = reap(pid, True)
    for fd in (out_r, err_r) + ((pidfd,) if pidfd is not None else ()):
        os.close(fd)
    if status is None:
        code_ = None
    elif os.WIFSIGNALED(status):
        code_ = -os.WTERMSIG(status)
    else:
        code_ = os.WEXITSTATUS(status)
    state = "timeout" if timed_out else "output_limit" if over else "ok" if code_ == 0 else "error"
    if code_ == -signal.SIGXCPU:
        state = "timeout"
    return {
        "status": state,
        "exit_code": code_,
        # the bytes as they came (base64: 4/3 of them), decoded by the hub; as text in JSON an
        # invalid byte took 6 (\ufffd), so the hub had to take 7 x the cap per test
        "stdout_b64": base64.b64encode(bytes(bufs[out_r])).decode("ascii"),
        "stderr": bytes(bufs[err_r][-tail:]).decode("utf-8", "replace"),
    }


def compile_program(spec):
    """Run the compiler once, within its own `compile_timeout_s`; None when it succeeded, else
    the error text."""
    argv = spec["compile"]
    deadline = time.monotonic() + spec["compile_timeout_s"]
    result = run_one(
        {"mode": "exec", "run": argv}, {"stdin": ""}, None, None, deadline, 1 << 20, 2000
    )
    tree.clear()
    if result["status"] == "timeout":
        return "compilation timed out"
    if result["status"] != "ok":
        return (result["stderr"] or "exit {}".format(result["exit_code"]))[-2000:]
    return None


def roomy_stack(most=64 << 20):
    """Raise the stack's soft limit to `most` (at most an eighth of the address-space limit,
    never past the hard limit) for the programs this runner starts. At the usual 8 MiB a right
    C++ depth-first search 300,000 calls deep died of SIGSEGV (scored 0), where judges give
    the stack far more. Not more: a thread's default stack takes this size of address space
    in a program started after this (glibc reads the limit at start-up; forked Python cases
    keep this interpreter's 8 MiB), and eight threads must still fit."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
        space = resource.getrlimit(resource.RLIMIT_AS)[0]
        infinite = resource.RLIM_INFINITY
        want = most if space == infinite else min(most, space // 8)
        if hard != infinite:
            want = min(want, hard)
        if soft == infinite or soft >= want:
            return
        resource.setrlimit(resource.RLIMIT_STACK, (want, hard))
    except (ImportError, ValueError, OSError):
        pass


def main():
    global tree
    spec = json.loads(sys.stdin.buffer.read())
    report = {"subreaper": prctl(PR_SET_CHILD_SUBREAPER, 1)}
    prctl(PR_SET_DUMPABLE, 0)
    roomy_stack()
    tree = Tree()
    if spec.get("compile"):
        error = compile_program(spec)
        if error is not None:
            sys.stdout.write("\n" + _dumps({"compile_error": error}) + "\n")
            return
        try:
            import hashlib

            with open(spec["binary"], "rb") as handle:
                report["binary_sha256"] = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            pass
    # the tests' shared deadline starts after the compile, which has its own (`compile_timeout_s`,
    # budgeted apart by the hub): counted in, a slow compile left a right program no time
    end = time.monotonic() + spec["total_s"]
    here = os.getcwd()
    roots = [here]
    tmp = os.path.abspath(os.environ.get("TMPDIR") or here)
    if tmp.startswith(here + os.sep):
        roots.append(tmp)
    if spec.get("wipe_shared_tmp"):  # only where the sandbox gives the run its own /tmp
        roots += ["/tmp", "/dev/shm", "/var/tmp"]
    scratch = Scratch(roots)
    if spec["mode"] == "function":
        report["results"] = run_functions(spec, tree, scratch, end)
    else:
        report["results"] = run_stdio(spec, tree, scratch, end)
    sys.stdout.write("\n" + _dumps(report) + "\n")
    sys.stdout.flush()


tree = None
if __name__ == "__main__":
    main()
