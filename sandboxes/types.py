"""The sandbox contract: one request/result shape for every backend (local, bwrap, docker, remote).

Backends differ only in how strongly they isolate; callers never branch on the backend.
"""

from __future__ import annotations

import asyncio
import base64
import errno
import re
import signal
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gymhub.sandboxes.errors import SandboxError

__all__ = [
    "ExecRequest",
    "ExecResult",
    "ExecStatus",
    "Sandbox",
    "SandboxError",
    "build_result",
    "refused_by_exec",
]

ExecStatus = Literal["ok", "nonzero_exit", "timeout", "memory_limit", "output_limit", "infra_error"]

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: the most bytes of input files one request may carry
MAX_FILES_BYTES = 64 * 1024 * 1024


def safe_relpath(name: str) -> str:
    """A file name inside the sandbox's working folder, or ValueError (no absolute paths, no ..)."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise ValueError(f"invalid file name {name!r}")
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or name.startswith("/") or any(p == ".." for p in parts):
        raise ValueError(f"file name {name!r} must be a relative path without '..'")
    return "/".join(parts)


def _os_text(text: str) -> str:
    """`text` as the OS will get it: a lone surrogate (text that is not UTF-8) becomes its raw
    bytes (surrogate-escaped), so policy-written text can never make argv or environ
    unencodable."""
    try:
        text.encode()
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogateescape")


def _to_bytes(data: str | bytes) -> bytes:
    """Text as UTF-8; lone surrogates keep their raw bytes instead of failing to encode."""
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


class ExecRequest(BaseModel):
    """What to run: `command` (argv) in a fresh working folder holding `files`, fed `stdin`.

    `timeout_s` is the wall-clock deadline, `cpu_time_s` (default: the wall deadline) the CPU-time
    one; `memory_mb` caps the address space; `output_limit_bytes` caps stdout and stderr each
    (truncated, status `output_limit`); `output_files` are copied back into the result. Text that
    is not valid UTF-8 (a lone surrogate, as a policy may write) reaches the program as its raw
    bytes; NaN and infinite numbers are refused.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    command: list[str]
    files: dict[str, str | bytes] = Field(default_factory=dict)
    stdin: str | bytes = ""
    timeout_s: float = 10.0
    cpu_time_s: float | None = None
    memory_mb: int = 512
    network: bool = False
    env: dict[str, str] = Field(default_factory=dict)
    output_limit_bytes: int = 1_000_000
    output_files: list[str] = Field(default_factory=list)
    disk_mb: int = 64

    @field_validator("command")
    @classmethod
    def _command(cls, value: list[str]) -> list[str]:
        if not value or not all(isinstance(a, str) and "\x00" not in a for a in value):
            raise ValueError("command must be a non-empty list of strings without NUL bytes")
        return [_os_text(a) for a in value]

    @field_validator("files")
    @classmethod
    def _files(cls, value: dict[str, str | bytes]) -> dict[str, str | bytes]:
        total = sum(len(v) for v in value.values())
        if total > MAX_FILES_BYTES:
            raise ValueError(f"files total {total} bytes, more than {MAX_FILES_BYTES}")
        return {safe_relpath(k): v for k, v in value.items()}

    @field_validator("output_files")
    @classmethod
    def _outputs(cls, value: list[str]) -> list[str]:
        return [safe_relpath(v) for v in value]

    @field_validator("env")
    @classmethod
    def _env(cls, value: dict[str, str]) -> dict[str, str]:
        for key, val in value.items():
            if not _ENV_NAME.match(key) or "\x00" in val:
                raise ValueError(f"invalid environment variable {key!r}")
        return {key: _os_text(val) for key, val in value.items()}

    @field_validator("timeout_s")
    @classmethod
    def _timeout(cls, value: float) -> float:
        if not 0 < value <= 3600:
            raise ValueError("timeout_s must be in (0, 3600]")
        return value

    @field_validator("cpu_time_s")
    @classmethod
    def _cpu(cls, value: float | None) -> float | None:
        if value is not None and not 0 < value <= 3600:
            raise ValueError("cpu_time_s must be in (0, 3600]")
        return value

    @field_validator("memory_mb", "disk_mb")
    @classmethod
    def _mb(cls, value: int) -> int:
        if not 8 <= value <= 65536:
            raise ValueError("memory_mb and disk_mb must be in [8, 65536]")
        return value

    @field_validator("output_limit_bytes")
    @classmethod
    def _cap(cls, value: int) -> int:
        if not 1 <= value <= 256 * 1024 * 1024:
            raise ValueError("output_limit_bytes must be in [1, 256 MiB]")
        return value

    @property
    def cpu_limit_s(self) -> float:
        return self.cpu_time_s if self.cpu_time_s is not None else self.timeout_s

    def stdin_bytes(self) -> bytes:
        return _to_bytes(self.stdin)

    def file_bytes(self) -> dict[str, bytes]:
        """The input files as bytes, their names checked again: `files` is a plain dict that
        code may change after validation, and the bwrap shell set-up and the docker launcher
        write each name below a folder as root (an absolute name would have written anywhere)."""
        return {safe_relpath(k): _to_bytes(v) for k, v in self.files.items()}

    # JSON wire format (bytes as base64) for the remote backend ----------------------------------
    def to_wire(self) -> dict[str, Any]:
        data = self.model_dump(exclude={"files", "stdin"})
        data["files_b64"] = {k: base64.b64encode(v).decode() for k, v in self.file_bytes().items()}
        data["stdin_b64"] = base64.b64encode(self.stdin_bytes()).decode()
        return data

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> ExecRequest:
        data = dict(data)
        files = {
            k: base64.b64decode(v, validate=True)
            for k, v in (data.pop("files_b64", {}) or {}).items()
        }
        stdin = base64.b64decode(data.pop("stdin_b64", "") or "", validate=True)
        return cls(files=files, stdin=stdin, **data)


class ExecResult(BaseModel):
    """The outcome of one run. stdout/stderr are decoded as UTF-8 (invalid bytes replaced)."""

    model_config = ConfigDict(extra="forbid")

    status: ExecStatus
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    wall_s: float = 0.0
    files: dict[str, bytes] = Field(default_factory=dict)
    backend: str = ""
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_wire(self) -> dict[str, Any]:
        data = self.model_dump(exclude={"files"})
        data["files_b64"] = {k: base64.b64encode(v).decode() for k, v in self.files.items()}
        return data

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> ExecResult:
        data = dict(data)
        files = {k: base64.b64decode(v) for k, v in (data.pop("files_b64", {}) or {}).items()}
        return cls(files=files, **data)

    @classmethod
    def infra(cls, detail: str, backend: str = "") -> ExecResult:
        return cls(status="infra_error", detail=detail[:2000], backend=backend)


class Sandbox:
    """Runs untrusted commands in isolation. Subclasses implement `run`; `arun` runs it in a
    worker thread (every backend's `run` is blocking but thread-safe)."""

    name: str = "sandbox"
    #: how strongly the backend isolates: 0 = not at all (never picked by `auto` unless
    #: `allow_local=True`); among the available backends `auto` picks the highest
    strength: int = 0

    @classmethod
    def available(cls) -> bool:
        """Whether the backend can run here (binaries installed, engine up); cheap enough to call
        once per `get_sandbox("auto")`."""
        return True

    def run(self, request: ExecRequest) -> ExecResult:
        raise NotImplementedError

    async def arun(self, request: ExecRequest) -> ExecResult:
        return await asyncio.to_thread(self.run, request)

    def close(self) -> None:
        """Release processes and containers; safe to call more than once."""

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


MEMORY_MARKERS = (b"MemoryError", b"std::bad_alloc", b"Cannot allocate memory", b"out of memory")


def killed_by_cpu_limit(signum: int | None, wall_s: float, cpu_limit_s: float) -> bool:
    """The CPU-time rlimit's work: SIGXCPU at the soft limit, or SIGKILL at the hard limit (one
    second later) once the run has lasted about as long as its CPU allowance."""
    return signum == signal.SIGXCPU or (signum == signal.SIGKILL and wall_s >= 0.9 * cpu_limit_s)


def classify(
    exit_code: int | None, timed_out: bool, truncated: bool, stderr: bytes, cpu_killed: bool = False
) -> ExecStatus:
    """The result status from what the backend observed."""
    if timed_out or cpu_killed:
        return "timeout"
    if truncated:
        return "output_limit"
    if exit_code == 0:
        return "ok"
    tail = stderr[-4000:]
    if any(m in tail for m in MEMORY_MARKERS):
        return "memory_limit"
    return "nonzero_exit"


def build_result(
    backend: str,
    request: ExecRequest,
    *,
    exit_code: int | None,
    signum: int | None,
    stdout: bytes,
    stderr: bytes,
    timed_out: bool,
    truncated: bool,
    wall_s: float,
    files: dict[str, bytes] | None = None,
    oom_killed: Callable[[], bool] | None = None,
) -> ExecResult:
    """The one way every backend turns what it observed into an ExecResult.

    `signum` is the signal that ended the program (None if it exited); the exit code of a
    program killed by a signal is reported as 128 + the signal, as a shell does. `oom_killed`
    is asked, only for a SIGKILL that no deadline explains, whether the kernel's OOM killer
    did it (status `memory_limit`).
    """
    code = 128 + signum if signum is not None else exit_code
    cpu_killed = killed_by_cpu_limit(signum, wall_s, request.cpu_limit_s)
    status = classify(code, timed_out, truncated, stderr, cpu_killed)
    if (
        status == "nonzero_exit"
        and signum == signal.SIGKILL
        and oom_killed is not None
        and oom_killed()
    ):
        status = "memory_limit"
    return ExecResult(
        status=status,
        exit_code=code,
        stdout=stdout.decode("utf-8", "replace"),
        stderr=stderr.decode("utf-8", "replace"),
        wall_s=round(wall_s, 6),
        files=files or {},
        backend=backend,
    )


def refused_by_exec(backend: str, request: ExecRequest, exc: OSError) -> ExecResult | None:
    """The result for a request the kernel would not start because of its own size (argument
    list or environment too long: E2BIG): the program cannot run, exit 127 as a shell reports
    it, as in the docker backend, whose launcher meets the same error inside the container.
    None for any other error (the hub's failure)."""
    if exc.errno != errno.E2BIG:
        return None
    message = f"cannot run {request.command[0]!r}: {exc.strerror or exc}\n"
    return build_result(
        backend,
        request,
        exit_code=127,
        signum=None,
        stdout=b"",
        stderr=message.encode("utf-8", "replace"),
        timed_out=False,
        truncated=False,
        wall_s=0.0,
    )
