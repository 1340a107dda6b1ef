"""The `docker` backend: a pool of warm containers, each serving runs through its attached stream.

A cold `docker run` costs seconds (more with the vfs storage driver), a `docker exec` into a
running container tens of milliseconds, so containers are started once and reused, and each
one's pid 1 is the launcher (`_docker_launcher.py`), which reads requests from the container's
attached stdin and answers on its stdout: a run costs no exec and no interpreter start-up beyond
the program's own. Each container has no network, a read-only root, size-limited tmpfs mounts
for /sandbox and /tmp, memory, CPU and pids limits, all capabilities dropped but those the
launcher needs to switch to an unprivileged uid, and `no-new-privileges`. Before and after every
run the launcher kills every process of that uid and wipes the writable mounts; a container
that misbehaves (deadline missed, launcher dead) is thrown away and replaced.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import queue
import secrets
import select
import signal
import socket
import struct
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from gymhub import lifecycle
from gymhub.sandboxes.errors import SandboxConfigError, SandboxError
from gymhub.sandboxes.types import ExecRequest, ExecResult, Sandbox, build_result

log = logging.getLogger("gymhub.sandboxes")
DEFAULT_IMAGE = "gymhub-sandbox:latest"
LABEL = "gymhub.sandbox"
# the launcher runs with the deletion helper and the seccomp filter in front of it (one file of
# source in the container)
LAUNCHER = "\n".join(
    (Path(__file__).parent / name).read_text()
    for name in ("_wipe.py", "_seccomp.py", "_docker_launcher.py")
)
# files and folders per tmpfs mount: empty files cost kernel memory that `size=` does not count,
# and the launcher deletes whatever is left between runs
MAX_INODES = 65536
_MARK = b"GYMHUB-RESULT "
# how long past a run's deadline the launcher may take to answer: kill, reset (at most 10 s of
# wiping, `WIPE_S` in the launcher) and encode; a launcher silent for longer is broken
RESULT_MARGIN_S = 30.0


def docker_available(image: str = DEFAULT_IMAGE) -> bool:
    """True when the Docker SDK is installed, the engine answers and `image` exists."""
    try:
        import docker

        client = docker.from_env(timeout=5)
        client.ping()
        client.images.get(image)
        return True
    except Exception:
        return False


class DockerSandbox(Sandbox):
    """Pooled containers; `pool_size` of them run at most `pool_size` requests at once."""

    name = "docker"
    strength = 3

    def __init__(
        self,
        *,
        image: str = DEFAULT_IMAGE,
        pool_size: int = 2,
        memory_mb: int = 1024,
        cpus: float = 1.0,
        pids_limit: int = 128,
        disk_mb: int = 128,
    ) -> None:
        _check_options(image, pool_size, memory_mb, cpus, pids_limit, disk_mb)
        try:
            import docker
        except ImportError as exc:
            raise SandboxError(
                "the docker backend needs the SDK: pip install 'gymhub[docker]'"
            ) from exc
        try:
            self.client = docker.from_env(timeout=180)
            self.client.ping()
        except Exception as exc:
            raise SandboxError(f"the Docker engine is not reachable: {exc}") from exc
        try:
            self.client.images.get(image)
        except Exception as exc:
            raise SandboxError(
                f"sandbox image {image!r} is missing; build it with scripts/setup_sandboxes.sh"
            ) from exc
        self.image = image
        self.pool_size = pool_size
        self.memory_mb = memory_mb
        self.cpus = cpus
        self.pids_limit = pids_limit
        self.disk_mb = disk_mb
        self._idle: queue.Queue[Any] = queue.Queue()
        self._all: list[Any] = []
        self._streams: dict[str, Any] = {}  # container id -> its attached socket
        # ids of containers in which the kernel's OOM killer has struck (or whose launcher cannot
        # count it): the engine's OOMKilled flag covers a container's whole life, so for
        # these it no longer tells whether the launcher died of the current run's memory
        self._oom_seen: set[str] = set()
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(pool_size)
        self._closed = False
        self._net_sysctls = True
        self.session = uuid.uuid4().hex[:8]
        # containers must not outlive the hub process
        lifecycle.register(f"docker sandbox {self.session}", self.close, stage="sandboxes")

    @classmethod
    def available(cls) -> bool:
        return docker_available(os.environ.get("GYMHUB_SANDBOX_IMAGE", DEFAULT_IMAGE))

    # containers -------------------------------------------------------------------------------
    def _start_container(self) -> Any:
        from docker.types import LogConfig

        shm_mb = min(64, self.disk_mb)
        # create, record, then start: a process that exits mid-start still removes it at exit
        container = self.client.containers.create(
            self.image,
            ["python3", "-I", "-S", "-c", LAUNCHER, str(sandbox_uid())],
            detach=True,
            stdin_open=True,
            tty=False,
            network_mode="none",
            read_only=True,
            tmpfs={
                "/sandbox": f"size={self.disk_mb}m,nr_inodes={MAX_INODES},mode=0755,exec",
                "/tmp": f"size={self.disk_mb}m,nr_inodes={MAX_INODES},mode=1777,exec",
                # in place of the engine's own /dev/shm, which has no inode limit: a program
                # made 485000 empty files there in 8 s (kernel memory its size does not count,
                # and a reset past its 10 s, so a replaced container)
                "/dev/shm": f"size={shm_mb}m,nr_inodes={MAX_INODES},mode=1777,noexec",
            },
            mem_limit=f"{self.memory_mb}m",
            memswap_limit=f"{self.memory_mb}m",
            nano_cpus=int(self.cpus * 1e9),
            pids_limit=self.pids_limit,
            cap_drop=["ALL"],
            cap_add=["SETUID", "SETGID", "KILL", "CHOWN", "DAC_OVERRIDE", "FOWNER"],
            security_opt=["no-new-privileges"],
            user="0",
            working_dir="/sandbox",
            environment={},
            labels={LABEL: self.session},
            ipc_mode="private",
            shm_size=f"{shm_mb}m",
            sysctls={**_ipc_sysctls(shm_mb), **(_NET_SYSCTLS if self._net_sysctls else {})},
            # the launcher answers on stdout: with the engine's default json-file log every
            # result (a program's whole output, base64) would also pile up on the host's disk
            log_config=LogConfig(type=LogConfig.types.NONE),
        )
        with self._lock:
            self._all.append(container)
            closed = self._closed
        if closed:  # close() ran while it was being created: it listed the pool before this one
            self._discard(container)
            raise SandboxError("the docker sandbox was closed while a container started")
        try:
            # attached before the start: the launcher's first words (an error) are not lost
            stream = self.client.api.attach_socket(
                container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            with self._lock:
                self._streams[container.id] = stream
            container.start()
        except Exception as exc:
            self._discard(container)
            if self._net_sysctls and "sysctl" in str(exc).lower():
                # a kernel whose network namespaces lack the setting: without it a program's
                # closed connections linger (TIME_WAIT), and the launcher then reports the
                # container unclean, which replaces it
                log.warning("gymhub docker sandbox: starting without %s: %s", _NET_SYSCTLS, exc)
                self._net_sysctls = False
                return self._start_container()
            raise
        return container

    def _discard(self, container: Any) -> None:
        with self._lock:
            if container in self._all:
                self._all.remove(container)
            stream = self._streams.pop(container.id, None)
            self._oom_seen.discard(container.id)
        _close(stream)
        try:
            container.remove(force=True)
        except Exception:
            pass

    def warm(self) -> None:
        """Start the whole pool now (otherwise containers start on first use)."""
        with self._lock:
            missing = self.pool_size - len(self._all)
        for _ in range(max(missing, 0)):
            self._idle.put(self._start_container())

    def _acquire(self, fresh: bool = False) -> Any:
        """An idle container whose launcher still serves, else a new one (`fresh`: always a
        new one). Idle containers whose launcher has ended (the engine killed it, or restarted)
        are thrown away here: used, each cost a run an infra_error, and the retry took the next
        dead one, so a pool whose containers had all died failed runs until it had cycled."""
        if self._closed:  # a run that waited for a slot while the pool was closed
            raise SandboxError("the docker sandbox is closed")
        while not fresh:
            try:
                container = self._idle.get_nowait()
            except queue.Empty:
                break
            if self._serving(container):
                return container
            log.warning("gymhub docker sandbox: replacing container %s: its launcher ended",
                        container.id[:12])  # fmt: skip
            self._release(container, False)
        return self._start_container()

    def _serving(self, container: Any) -> bool:
        """Whether an idle container's launcher is still there, without asking the engine: an
        idle launcher writes nothing, so anything to read on its stream (the end of it) means
        it has ended."""
        stream = self._streams.get(container.id)
        if stream is None:
            return False
        raw = getattr(stream, "_sock", stream)
        try:
            # poll, not select: a busy hub's descriptors pass select's limit of 1024
            poller = select.poll()
            poller.register(raw, select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (OSError, ValueError, TypeError):
            return False

    def _release(self, container: Any, healthy: bool) -> None:
        """Back to the pool; or thrown away, in the background while the pool serves, at once
        once it is closed (a daemon thread dies with an exiting process, leaving the container
        running)."""
        if healthy and not self._closed:
            self._idle.put(container)
        elif self._closed:
            self._discard(container)
        else:
            threading.Thread(target=self._discard, args=(container,), daemon=True).start()

    # running ----------------------------------------------------------------------------------
    def run(self, request: ExecRequest) -> ExecResult:
        if self._closed:
            return ExecResult.infra("the docker sandbox is closed", self.name)
        if request.network:
            return ExecResult.infra("the docker backend does not grant network access", self.name)
        with self._slots:
            # a launcher that dies without a result (engine hiccup) is retried once on a fresh
            # container; the program cannot kill the root launcher, so a second failure is the
            # hub's, reported as infra_error
            for attempt in range(2):
                try:
                    # the retry on a container started for it: another idle one may have died
                    # of the same cause
                    container = self._acquire(fresh=attempt > 0)
                except Exception as exc:
                    return ExecResult.infra(f"could not start a container: {exc}", self.name)
                healthy = False
                try:
                    result, healthy = self._exec(container, request)
                except Exception as exc:
                    result = ExecResult.infra(f"docker exec failed: {exc}", self.name)
                finally:
                    self._release(container, healthy)
                if result.status != "infra_error" or attempt == 1 or self._closed:
                    return result
                log.warning(
                    "gymhub docker sandbox: retrying on a fresh container: %s", result.detail
                )
            return result

    def _exec(self, container: Any, request: ExecRequest) -> tuple[ExecResult, bool]:
        payload = json.dumps(
            {
                "command": request.command,
                "files": {k: base64.b64encode(v).decode() for k, v in request.file_bytes().items()},
                "stdin": base64.b64encode(request.stdin_bytes()).decode(),
                "timeout_s": request.timeout_s,
                "cpu_s": request.cpu_limit_s,
                "memory_mb": min(request.memory_mb, self.memory_mb),
                "disk_mb": min(request.disk_mb, self.disk_mb),
                "output_limit": request.output_limit_bytes,
                "output_files": request.output_files,
                "env": {
                    "PATH": "/usr/bin:/bin",
                    "HOME": "/sandbox",
                    "TMPDIR": "/tmp",
                    "LANG": "C.UTF-8",
                    "PYTHONDONTWRITEBYTECODE": "1",
                    **request.env,
                },
            }
        ).encode()
        stream = self._streams.get(container.id)
        if stream is None:
            return ExecResult.infra("the container has no attached stream", self.name), False
        raw: socket.socket = getattr(stream, "_sock", stream)
        deadline = time.monotonic() + request.timeout_s + RESULT_MARGIN_S
        # base64 of stdout, stderr and each output file, plus room for the JSON around them
        files_bytes = len(request.output_files) * self.disk_mb * 1024 * 1024
        limit = (2 * request.output_limit_bytes + files_bytes) * 4 // 3 + 1024 * 1024
        started = time.monotonic()
        try:
            raw.settimeout(request.timeout_s + RESULT_MARGIN_S)
            raw.sendall(b"%d\n" % len(payload) + payload)
            line, stderr = _read_result(raw, deadline, limit)
        except (TimeoutError, OSError, EOFError) as exc:
            return ExecResult.infra(
                f"the container launcher did not answer: {exc}", self.name
            ), False
        if line is None:
            state = _final_state(container)
            if state.get("OOMKilled") and container.id not in self._oom_seen:
                # the kernel's OOM killer ended the launcher (pid 1) while the program ran: the
                # program held the container's memory where no process's size shows it (memory
                # files, pipes) and, having set its oom_score_adj back to 0, left the launcher
                # the largest process. Its own failure, not the hub's: no retry, no infra_error
                return ExecResult(
                    status="memory_limit",
                    exit_code=128 + signal.SIGKILL,
                    stderr="the program's run used up the container's memory\n",
                    wall_s=round(time.monotonic() - started, 6),
                    backend=self.name,
                ), False
            detail = stderr.decode("utf-8", "replace")[-1000:]
            if state.get("OOMKilled"):
                # an earlier run's program was OOM-killed in this container and the flag stayed
                # set: unknown whether this run's program or the engine ended the launcher. The
                # retry, on a fresh container, tells (an innocent run was scored memory_limit)
                detail = "the OOM flag predates this run; " + detail
            return ExecResult.infra(
                f"the container launcher failed (state {state.get('Status')}, exit "
                f"{state.get('ExitCode')}): {detail}",
                self.name,
            ), False
        data = json.loads(line)
        if data.get("oom_killed") or data.get("oom_kills", 0) != 0:
            with self._lock:
                self._oom_seen.add(container.id)
        if "setup_error" in data:
            return ExecResult.infra(
                f"container reset failed: {data['setup_error']}", self.name
            ), False
        result = build_result(
            self.name,
            request,
            exit_code=data["exit_code"],
            signum=data["signal"],
            stdout=base64.b64decode(data["stdout"]),
            stderr=base64.b64decode(data["stderr"]),
            timed_out=data["timed_out"],
            truncated=data["truncated"],
            wall_s=data["wall_s"],
            files={k: base64.b64decode(v) for k, v in data["files"].items()},
            # the launcher counts the kernel's OOM kills in the container; the engine's own
            # flag, which covers the container's whole life, only where it cannot
            oom_killed=lambda: (
                bool(data.get("oom_killed"))
                or (data.get("oom_kills") is None and self._oom_killed_recently(container))
            ),
        )
        # a container whose mounts could not be emptied is replaced (the result still stands)
        return result, bool(data.get("clean", True))

    def _oom_killed_recently(self, container: Any) -> bool:
        try:
            container.reload()
            return bool(container.attrs.get("State", {}).get("OOMKilled"))
        except Exception:
            return False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        lifecycle.unregister(f"docker sandbox {self.session}")
        with self._lock:
            containers = list(self._all)
            self._all.clear()
            streams = list(self._streams.values())
            self._streams.clear()
        for stream in streams:
            _close(stream)
        try:  # also those being discarded or started by other threads right now
            labelled = self.client.containers.list(
                all=True, filters={"label": f"{LABEL}={self.session}"}
            )
        except Exception:
            labelled = []
        seen = set()
        for container in containers + labelled:
            if container.id in seen:
                continue
            seen.add(container.id)
            try:
                container.remove(force=True)
            except Exception:
                pass

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


def _check_options(
    image: Any, pool_size: Any, memory_mb: Any, cpus: Any, pids_limit: Any, disk_mb: Any
) -> None:
    """Refuse options the engine would read as "no limit" (0 memory, pids, CPUs or tmpfs size
    means unlimited to it) or that leave the launcher no room, with an error naming the option."""

    def whole(name: str, value: Any, least: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise SandboxConfigError(
                f"{name} must be an integer of at least {least}, not {value!r}"
            )

    if not isinstance(image, str) or not image.strip():
        raise SandboxConfigError(f"image must be a non-empty image name, not {image!r}")
    whole("pool_size", pool_size, 1)
    whole("memory_mb", memory_mb, 64)  # the launcher alone holds about 20 MB
    whole("pids_limit", pids_limit, 8)
    whole("disk_mb", disk_mb, 1)
    if (
        isinstance(cpus, bool)
        or not isinstance(cpus, (int, float))
        or not math.isfinite(cpus)
        or cpus * 1e9 < 1e7  # the engine's least CPU quota is 0.01 CPU
    ):
        raise SandboxConfigError(f"cpus must be a number of at least 0.01, not {cpus!r}")


def _final_state(container: Any, wait_s: float = 5.0) -> dict[str, Any]:
    """The engine's State of a container whose launcher just ended (it may take the engine a
    moment to see the exit); {} if it cannot be read."""
    end = time.monotonic() + wait_s
    while True:
        try:
            container.reload()
            state = container.attrs.get("State", {}) or {}
        except Exception:
            return {}
        if state.get("Status") != "running" or time.monotonic() > end:
            return state
        time.sleep(0.05)


def sandbox_uid() -> int:
    """A uid for one container's programs, random so that pools in other processes pick
    others too: without a user namespace a uid is the host's, and the kernel's per-user quotas
    (inotify instances, message queue bytes) are shared by every container whose programs run
    as it, so one program could use them up for the submissions running beside it."""
    return 100_000 + secrets.randbelow(900_000_000)


def _ipc_sysctls(shm_mb: int) -> dict[str, str]:
    """Caps on the container's System V IPC (its namespace is private): shared memory no
    larger than /dev/shm, and few message queues (each may hold 16 KiB of kernel memory), so
    that what a program leaves for the launcher to remove cannot fill the container's memory."""
    page = os.sysconf("SC_PAGE_SIZE")
    return {
        "kernel.shmmax": str(shm_mb * 1024 * 1024),
        "kernel.shmall": str(shm_mb * 1024 * 1024 // page),
        "kernel.msgmni": "64",
    }


# a closed TCP connection keeps its address for 60 s (TIME_WAIT) in the container's network
# namespace, which outlives the program: the next submission saw it in /proc/net/tcp and could
# not bind that port (a right answer scored 0, a channel between submissions). No such sockets
# are kept: a connection's end is final at once (only loopback exists)
_NET_SYSCTLS = {"net.ipv4.tcp_max_tw_buckets": "0"}


def _close(stream: Any) -> None:
    if stream is None:
        return
    try:
        stream.close()
    except Exception:
        pass


def _read_result(sock: socket.socket, deadline: float, limit: int) -> tuple[bytes | None, bytes]:
    """Read Docker's multiplexed stream (8-byte headers) until the launcher's result line (the
    JSON after the marker), end of stream (None), the deadline or `limit`; also the launcher's
    stderr, to explain a failure."""
    buf = bytearray()
    out, err = bytearray(), bytearray()
    while True:
        while len(buf) >= 8:
            stream, size = buf[0], struct.unpack(">I", bytes(buf[4:8]))[0]
            if len(buf) < 8 + size:
                break
            (err if stream == 2 else out).extend(buf[8 : 8 + size])
            del buf[: 8 + size]
        end = out.find(b"\n")
        if end >= 0:
            line = bytes(out[:end])
            if line.startswith(_MARK) and end + 1 == len(out):
                return line[len(_MARK) :], bytes(err)
            raise OSError(f"unexpected launcher output {line[:200]!r}")
        if len(out) + len(err) > limit:
            raise OSError("launcher output over the limit")
        if time.monotonic() > deadline:
            raise TimeoutError("deadline passed")
        chunk = sock.recv(1 << 20)
        if not chunk:
            return None, bytes(err)
        buf += chunk


def docker_run_once(command: list[str], image: str = DEFAULT_IMAGE) -> str:
    """One cold `docker run` per execution (the baseline the pool is measured against)."""
    import docker

    client = docker.from_env(timeout=120)
    output = client.containers.run(
        image,
        command,
        remove=True,
        network_mode="none",
        read_only=True,
        mem_limit="512m",
        pids_limit=128,
        cap_drop=["ALL"],
        labels={LABEL: "baseline"},
    )
    return output.decode("utf-8", "replace")
