"""The function-call test harness that runs INSIDE the sandbox (its source is shipped as a file).

It never receives expected values: only the function name, the arguments, per-test deadlines
and a total budget for all tests (tests that start after it has run out time out).
For each test it forks a child that imports the candidate module afresh, calls the function and
sends back `{"ok": true, "value": ...}` as JSON through a pipe; the parent enforces the test's
deadline, and a child that crashes, exits early (`sys.exit`, `os._exit`) or returns something
that is not plain JSON data yields an error for that test. The trusted side compares the values.
"""

HARNESS_SOURCE = r"""
import json, os, signal, sys, time
_dumps = json.dumps
spec = json.loads(open("harness_input.json").read())
os.unlink("harness_input.json")
results = []
end = time.monotonic() + spec["total_s"]
for test in spec["tests"]:
    if time.monotonic() >= end:
        results.append({"status": "timeout"})
        if spec["stop_on_failure"]:
            results += [{"status": "skipped"}] * (len(spec["tests"]) - len(results))
            break
        continue
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.setpgid(0, 0)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        try:
            sys.path.insert(0, os.getcwd())
            import importlib
            module = importlib.import_module(spec["module"])
            fn = getattr(module, spec["fn_name"], None)
            if fn is None and hasattr(module, "Solution"):
                fn = getattr(module.Solution(), spec["fn_name"])
            if fn is None:
                raise NameError("function %r is not defined" % spec["fn_name"])
            value = fn(*test["args"], **test["kwargs"])
            payload = _dumps({"ok": True, "value": value}, allow_nan=False)
        except BaseException as exc:
            payload = _dumps({"ok": False, "error": (type(exc).__name__ + ": " + str(exc))[:300]})
        data = payload.encode()
        while data:
            data = data[os.write(w, data):]
        os._exit(0)
    os.close(w)
    deadline = min(time.monotonic() + test["timeout_s"], end)
    chunks, timed_out = [], False
    import select
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([r], [], [], left)
        if ready:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            if sum(map(len, chunks)) > spec["max_result_bytes"]:
                break
    for target in (-pid, pid):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
    os.waitpid(pid, 0)
    os.close(r)
    if timed_out:
        results.append({"status": "timeout"})
        if spec["stop_on_failure"]:
            results += [{"status": "skipped"}] * (len(spec["tests"]) - len(results))
            break
        continue
    try:
        message = json.loads(b"".join(chunks))
        if message.get("ok") is True:
            results.append({"status": "ok", "value": message["value"]})
        else:
            results.append({"status": "error", "error": str(message.get("error"))[:300]})
    except Exception:
        results.append({"status": "crash"})
sys.stdout.write("\n" + _dumps(results) + "\n")
"""

STDIO_HARNESS_SOURCE = r"""
import json, os, subprocess, sys, time
spec = json.loads(open("harness_input.json").read())
os.unlink("harness_input.json")
results = []
cap = spec["output_limit"]
end = time.monotonic() + spec["total_s"]
if spec.get("compile"):
    try:
        done = subprocess.run(spec["compile"], stdin=subprocess.DEVNULL, capture_output=True, timeout=spec["compile_timeout_s"])
        if done.returncode != 0:
            sys.stdout.write("\n" + json.dumps({"compile_error": done.stderr[-2000:].decode("utf-8", "replace")}) + "\n")
            sys.exit(0)
    except subprocess.TimeoutExpired:
        sys.stdout.write("\n" + json.dumps({"compile_error": "compilation timed out"}) + "\n")
        sys.exit(0)
for test in spec["tests"]:
    start = time.monotonic()
    if start >= end:
        results.append({"status": "timeout", "exit_code": None, "stdout": "", "stderr": ""})
        if spec["stop_on_failure"]:
            results += [{"status": "skipped"}] * (len(spec["tests"]) - len(results))
            break
        continue
    try:
        proc = subprocess.Popen(spec["run"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        results.append({"status": "error", "exit_code": None, "stdout": "", "stderr": str(exc)})
        continue
    import threading
    out, err = bytearray(), bytearray()
    over = []
    def pump(stream, buf):
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            room = cap - len(buf)
            buf += chunk[:max(room, 0)]
            if len(chunk) > room:
                over.append(1)
                try:
                    os.killpg(proc.pid, 9)
                except OSError:
                    pass
                return
    threads = [threading.Thread(target=pump, args=(proc.stdout, out), daemon=True), threading.Thread(target=pump, args=(proc.stderr, err), daemon=True)]
    for t in threads:
        t.start()
    def feed():
        try:
            proc.stdin.write(test["stdin"].encode())
            proc.stdin.close()
        except OSError:
            pass
    threading.Thread(target=feed, daemon=True).start()
    timed_out = False
    try:
        proc.wait(timeout=min(test["timeout_s"], end - start))
    except subprocess.TimeoutExpired:
        timed_out = True
    try:
        os.killpg(proc.pid, 9)
    except OSError:
        pass
    proc.wait()
    for t in threads:
        t.join(0.5)
    code = proc.returncode
    status = "timeout" if timed_out else "output_limit" if over else "ok" if code == 0 else "error"
    if code is not None and code < 0 and -code == 24:
        status = "timeout"
    results.append({"status": status, "exit_code": code, "stdout": out.decode("utf-8", "replace"), "stderr": err[-1000:].decode("utf-8", "replace")})
    if status != "ok" and spec["stop_on_failure"]:
        results += [{"status": "skipped"}] * (len(spec["tests"]) - len(results))
        break
sys.stdout.write("\n" + json.dumps({"results": results}) + "\n")
"""
