"""The `local` backend: resource limits only. UNSAFE for untrusted code.

The program runs as the hub's own user, on the host file system, with the host network. It gets
a fresh temporary working folder, a cleared environment and rlimits (address space, CPU time,
file size, open files), and its whole process group is killed at the end — that stops runaway
loops and memory bombs from a trusted program, not an attacker. Use `bwrap` or `docker` for
model-written code.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from gymhub.sandboxes._proc import run_process
from gymhub.sandboxes.types import ExecRequest, ExecResult, Sandbox, SandboxError, classify


class LocalSandbox(Sandbox):
    """rlimits + a temporary folder + a cleared environment; no isolation at all."""

    name = "local"
    strength = 0

    def __init__(self, *, max_open_files: int = 256) -> None:
        self.prlimit = shutil.which("prlimit")
        if self.prlimit is None:
            raise SandboxError("the local backend needs prlimit (util-linux)")
        self.max_open_files = max_open_files

    def run(self, request: ExecRequest) -> ExecResult:
        workdir = tempfile.mkdtemp(prefix="gymhub-local-")
        try:
            for name, data in request.file_bytes().items():
                path = os.path.join(workdir, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as handle:
                    handle.write(data)
                os.chmod(path, 0o755)
            tmp = os.path.join(workdir, ".tmp")
            os.makedirs(tmp)
            env = {
                "PATH": "/usr/bin:/bin",
                "HOME": workdir,
                "TMPDIR": tmp,
                "LANG": "C.UTF-8",
                "PYTHONDONTWRITEBYTECODE": "1",
                **request.env,
            }
            cpu = max(1, int(request.cpu_limit_s + 0.999))
            argv = [
                self.prlimit,
                f"--as={request.memory_mb * 1024 * 1024}",
                f"--cpu={cpu}:{cpu + 1}",
                f"--fsize={request.disk_mb * 1024 * 1024}",
                f"--nofile={self.max_open_files}",
                "--core=0",
                "--",
                *request.command,
            ]
            try:
                out = run_process(
                    argv,
                    stdin=request.stdin_bytes(),
                    timeout_s=request.timeout_s,
                    output_limit=request.output_limit_bytes,
                    env=env,
                    cwd=workdir,
                )
            except OSError as exc:
                return ExecResult.infra(f"could not start the program: {exc}", self.name)
            files = {}
            for name in request.output_files:
                path = os.path.join(workdir, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    with open(path, "rb") as handle:
                        files[name] = handle.read(request.disk_mb * 1024 * 1024)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        cpu_killed = out.signal == 24 or (
            out.signal == 9 and out.wall_s >= request.cpu_limit_s * 0.9
        )
        code = out.exit_code if out.signal is None else 128 + out.signal
        return ExecResult(
            status=classify(code, out.timed_out, out.truncated, out.stderr, cpu_killed),
            exit_code=code,
            stdout=out.stdout.decode("utf-8", "replace"),
            stderr=out.stderr.decode("utf-8", "replace"),
            wall_s=round(out.wall_s, 6),
            files=files,
            backend=self.name,
        )
