"""The remote backend against a real `gymhub sandbox serve` app on a local socket, and the CLI."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from gymhub.sandboxes import ExecRequest, get_sandbox
from gymhub.sandboxes.server import create_app
from tests.conftest import free_port, serve_app


@pytest.fixture(scope="module")
def server(bwrap_sandbox):
    with serve_app(create_app(bwrap_sandbox, token="s3cret", max_concurrency=2)) as url:
        yield url


def test_remote_runs_like_local(server):
    remote = get_sandbox("remote", url=server, token="s3cret")
    assert remote.health()["backend"] == "bwrap"
    r = remote.run(
        ExecRequest(
            command=["python3", "-c", "import sys;sys.stdout.buffer.write(open('b','rb').read())"],
            files={"b": b"\x00\x01\xff"},
        )
    )
    assert r.status == "ok" and r.stdout == "\x00\x01\ufffd" and r.backend == "bwrap"
    r = remote.run(ExecRequest(command=["python3", "-c", "while 1: pass"], timeout_s=1))
    assert r.status == "timeout"
    remote.close()


async def test_remote_async(server):
    remote = get_sandbox("remote", url=server, token="s3cret")
    r = await remote.arun(ExecRequest(command=["python3", "-c", "print(7)"]))
    assert r.stdout == "7\n"


def test_remote_errors_are_infra_errors(server):
    wrong = get_sandbox("remote", url=server, token="nope")
    r = wrong.run(ExecRequest(command=["true"]))
    assert r.status == "infra_error" and "401" in r.detail
    down = get_sandbox("remote", url=f"http://127.0.0.1:{free_port()}")
    assert down.run(ExecRequest(command=["true"])).status == "infra_error"
    import httpx

    bad = httpx.post(
        f"{server}/run", json={"command": []}, headers={"Authorization": "Bearer s3cret"}
    )
    assert bad.status_code == 422 and "invalid request" in bad.text


def test_remote_needs_a_url(monkeypatch):
    monkeypatch.delenv("GYMHUB_SANDBOX_URL", raising=False)
    with pytest.raises(ValueError, match="url"):
        get_sandbox("remote")


def test_cli_sandbox_info():
    from gymhub.cli import app

    result = CliRunner().invoke(app, ["sandbox", "info", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["available"]
    assert "local" in found and found[-1] == "local"


def test_auto_never_falls_back_to_local_silently(monkeypatch):
    import gymhub.sandboxes.factory as factory

    monkeypatch.setattr(factory, "available_backends", lambda: ["local"])
    monkeypatch.delenv("GYMHUB_SANDBOX", raising=False)
    with pytest.raises(factory.SandboxError, match="allow_local"):
        factory.get_sandbox("auto")
    assert factory.get_sandbox("auto", allow_local=True).name == "local"


def test_cli_serve_subprocess_end_to_end(tmp_path):
    """`gymhub sandbox serve` as a real process, reached by the remote backend over a socket."""
    import subprocess
    import sys

    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gymhub",
            "sandbox",
            "serve",
            "--backend",
            "local",
            "--port",
            str(port),
            "--token",
            "t0k",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        remote = get_sandbox("remote", url=f"http://127.0.0.1:{port}", token="t0k")
        for _ in range(200):
            try:
                if remote.health()["backend"] == "local":
                    break
            except Exception:
                time.sleep(0.1)
        r = remote.run(ExecRequest(command=["python3", "-c", "print(6 * 7)"]))
        assert r.status == "ok" and r.stdout == "42\n" and r.backend == "local"
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_remote_client_cannot_open_the_servers_network(server):
    """network=True is a field a remote client sets: served by bwrap it shared the server host's
    network namespace, so a client's code reached every service on that host's loopback (this
    sandbox server included, and through it any backend it serves). It is refused now, unless
    the server's operator built the backend with host_network=True."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    code = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=3); print('in')"
    try:
        remote = get_sandbox("remote", url=server, token="s3cret")
        r = remote.run(ExecRequest(command=["python3", "-c", code], network=True))
        assert r.status == "infra_error" and "host_network" in (r.detail or ""), r
        with pytest.raises(TimeoutError):
            listener.accept()
        remote.close()
    finally:
        listener.close()


class _Recorder:
    """A backend that records each request it runs (no execution needed)."""

    name = "recorder"

    def __init__(self) -> None:
        self.requests: list[ExecRequest] = []

    def run(self, request: ExecRequest):
        from gymhub.sandboxes import ExecResult

        self.requests.append(request)
        return ExecResult(status="ok", exit_code=0, stdout="ran")


@pytest.mark.parametrize("asynchronous", [False, True])
def test_requests_over_the_servers_ceilings_run_at_them(asynchronous):
    """A request over a server's ceiling was refused (422), an infra_error for every run of
    the task. The 422 names the ceilings; the client runs the request at them, and sends later
    requests fitted at once."""
    import asyncio

    from gymhub.sandboxes.server import ServerLimits

    backend = _Recorder()
    limits = ServerLimits(max_timeout_s=5, max_memory_mb=256, max_output_bytes=1 << 20)
    with serve_app(create_app(backend, token="t", limits=limits)) as url:
        remote = get_sandbox("remote", url=url, token="t")
        big = ExecRequest(
            command=["true"], timeout_s=30, memory_mb=1024, output_limit_bytes=16 << 20
        )
        for _ in range(2):
            if asynchronous:
                result = asyncio.run(remote.arun(big))
            else:
                result = remote.run(big)
            assert result.status == "ok" and result.stdout == "ran", result
        small = ExecRequest(command=["true"], timeout_s=1, memory_mb=64)
        assert remote.run(small).status == "ok"
        remote.close()
    first, second, third = backend.requests
    assert (first.timeout_s, first.cpu_limit_s, first.memory_mb) == (5, 5, 256)
    assert first.output_limit_bytes == 1 << 20 and first.command == ["true"]
    assert second == first  # fitted before it was sent: no second refusal
    assert (third.timeout_s, third.memory_mb) == (1, 64)  # under the ceilings: as asked
    assert remote.ceilings["output_limit_bytes"] == 1 << 20


def test_the_code_verifier_runs_on_a_default_remote_server(server):
    """With a server's default ceilings (60 s, 16 MiB of output) every stdio task of 3 tests or
    more came back infra_error (the verifier asks for 7 MB of report room per test), and a C++
    answer to a task of 16 tests too (a compile's time on top of the tests')."""
    from gymhub.verifiers import CodeVerifier

    remote = get_sandbox("remote", url=server, token="s3cret")
    verifier = CodeVerifier(remote)
    tests = [{"stdin": f"{n}\n", "expected_stdout": f"{2 * n}\n"} for n in range(16)]
    python = "```python\nprint(2 * int(input()))\n```"
    cpp = '```cpp\n#include <cstdio>\nint main(){int n;scanf("%d",&n);printf("%d\\n",2*n);}\n```'
    for answer, count in ((python, 3), (cpp, 16)):
        verdict = verifier.verify(answer, {"language": "python", "tests": tests[:count]})
        assert verdict.status == "correct" and verdict.reward == 1.0, verdict
    wrong = verifier.verify(python.replace("2 *", "3 *"), {"language": "python", "tests": tests})
    assert wrong.status == "incorrect" and wrong.reward == 0.0, wrong
    remote.close()


class _Slow:
    """A backend whose runs take `seconds` each (no execution needed)."""

    name = "slow"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def run(self, request: ExecRequest):
        from gymhub.sandboxes import ExecResult

        time.sleep(self.seconds)
        return ExecResult(status="ok", exit_code=0, stdout="ran")


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_busy_server_is_asked_again_not_an_infra_error(asynchronous):
    """A server at capacity answers 503 with Retry-After; the client gave up at once and the
    run was `infra_error` (masked), so slow programs running beside it (within their limits)
    cost other samples their score. It asks again now, within its extra time."""
    import asyncio
    import threading

    with serve_app(create_app(_Slow(1.0), token="t", max_concurrency=1)) as url:
        first = get_sandbox("remote", url=url, token="t")
        second = get_sandbox("remote", url=url, token="t", timeout_s=10)
        request = ExecRequest(command=["true"], timeout_s=5)
        holder = threading.Thread(target=first.run, args=(request,))
        holder.start()
        time.sleep(0.3)  # the first run holds the only slot
        if asynchronous:
            result = asyncio.run(second.arun(request))
        else:
            result = second.run(request)
        holder.join()
        assert result.status == "ok" and result.stdout == "ran", result
        impatient = get_sandbox("remote", url=url, token="t", timeout_s=0.1)
        holder = threading.Thread(target=first.run, args=(request,))
        holder.start()
        time.sleep(0.3)
        busy = impatient.run(request)  # no time left to wait: the hub's failure, said so
        holder.join()
        assert busy.status == "infra_error" and "503" in (busy.detail or ""), busy
        for remote in (first, second, impatient):
            remote.close()


def test_test_cases_over_a_remote_bwrap_server_share_no_tmp(server):
    """The runner wipes /tmp and /dev/shm between test cases only where each run has its own
    (bwrap, docker); through a sandbox server it never did, so a case saw what the one before
    it left there. The server's backend decides now."""
    from gymhub.verifiers import CodeVerifier

    remote = get_sandbox("remote", url=server, token="s3cret")
    assert remote.served_backend() == "bwrap"
    verifier = CodeVerifier(remote)
    tests = [{"stdin": f"{n}\n", "expected_stdout": f"{n}\n"} for n in range(3)]
    code = (
        "import os\nfor path in ('/tmp/seen', '/dev/shm/seen'):\n"
        "    if os.path.exists(path):\n        print('left by an earlier case')\n"
        "    open(path, 'w').close()\nprint(input())"
    )
    verdict = verifier.verify(f"```python\n{code}\n```", {"language": "python", "tests": tests})
    assert verdict.status == "correct", verdict
    remote.close()
    unknown = get_sandbox("remote", url=f"http://127.0.0.1:{free_port()}")
    assert unknown.served_backend() is None  # unreachable: /tmp is left alone


def test_a_report_a_server_cuts_below_a_right_answers_size_is_the_hubs(bwrap_sandbox):
    """At a server's output ceiling (below what the verifier asks), a right program whose
    outputs are large had its report cut short: scored `error`, a right answer at 0. Now that is
    the hub's `infra_error` (masked); a program that prints far more than any right one still
    ends as its own `error`."""
    from gymhub.sandboxes.server import ServerLimits
    from gymhub.verifiers import CodeVerifier

    limits = ServerLimits(max_output_bytes=2 * 1024 * 1024)
    with serve_app(create_app(bwrap_sandbox, token="t", limits=limits)) as url:
        remote = get_sandbox("remote", url=url, token="t")
        verifier = CodeVerifier(remote)
        big = [{"stdin": f"{n}\n", "expected_stdout": f"{n}" * 900_000 + "\n"} for n in (1, 2)]
        right = "```python\nprint(input() * 900_000)\n```"
        verdict = verifier.verify(right, {"language": "python", "tests": big})
        assert verdict.status == "infra_error" and "ceiling" in verdict.detail, verdict
        small = [{"stdin": f"{n}\n", "expected_stdout": f"{n}\n"} for n in (1, 2, 3)]
        flood = "```python\nprint(input() * 999_000)\n```"
        verdict = verifier.verify(flood, {"language": "python", "tests": small})
        assert verdict.status == "error" and verdict.reward == 0.0, verdict
        fn = [{"args": [n], "kwargs": {}, "expected": [n] * 300_000} for n in (1, 2, 3)]
        verdict = verifier.verify(
            "```python\ndef f(n):\n    return [n] * 300_000\n```",
            {"language": "python", "fn_name": "f", "tests": fn},
        )
        assert verdict.status == "infra_error", verdict
        assert verifier.verify("```python\nprint(input())\n```", {
            "language": "python", "tests": small}).status == "correct"  # fmt: skip
        remote.close()
