"""What a program leaves in its container's network namespace: the namespace outlives the run in a
pooled container, so a closed connection's remains must not reach the next submission."""

from __future__ import annotations

from gymhub.sandboxes import ExecRequest


def py(code: str, **kw) -> ExecRequest:
    kw.setdefault("timeout_s", 10)
    return ExecRequest(command=["python3", "-I", "main.py"], files={"main.py": code}, **kw)


CONNECT_AND_CLOSE = r"""
import os, socket, time
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 5555))
server.listen()
client = socket.create_connection(("127.0.0.1", 5555))
accepted, _ = server.accept()
accepted.close()  # the side that closes first keeps the connection's address (TIME_WAIT)
client.close()
listener = socket.socket()
listener.bind(("127.0.0.1", 5556))
listener.listen()
if os.fork() == 0:  # a daemon holding a listening socket
    os.setsid()
    time.sleep(60)
print("done")
"""

SEE_SOCKETS = r"""
import socket
rows = []
for name in ("tcp", "tcp6", "udp", "udp6"):
    try:
        rows += open("/proc/net/" + name).read().splitlines()[1:]
    except OSError:
        pass
print("sockets", len(rows))
for port in (5555, 5556):
    s = socket.socket()
    s.bind(("127.0.0.1", port))  # no SO_REUSEADDR: as a plain server program binds
    s.listen()
    s.close()
print("bound")
"""


def test_closed_connections_do_not_reach_the_next_run(docker_sandbox):
    """A connection closed in one run kept its port in TIME_WAIT for 60 s: the next submission
    on the same warm container saw it in /proc/net/tcp and a server of its own on that port
    failed with EADDRINUSE (a right answer scored 0)."""
    first = docker_sandbox.run(py(CONNECT_AND_CLOSE))
    assert first.status == "ok", first
    assert first.stdout == "done\n"
    second = docker_sandbox.run(py(SEE_SOCKETS))
    assert second.status == "ok", second
    assert second.stdout == "sockets 0\nbound\n", second


def test_a_container_left_with_sockets_is_replaced():
    """Where the engine cannot drop closed connections at once (a kernel whose network
    namespaces lack the setting), the launcher finds them after the run and the container is
    replaced rather than handed to the next submission."""
    from gymhub.sandboxes.docker_pool import DockerSandbox
    from tests.conftest import require
    from tests.sandboxes.conftest import _docker_ok

    require(_docker_ok(), "a Docker engine with the gymhub-sandbox image")
    pool = DockerSandbox(pool_size=1)
    try:
        pool._net_sysctls = False
        first = pool.run(py(CONNECT_AND_CLOSE))
        assert first.status == "ok", first
        second = pool.run(py(SEE_SOCKETS))
        assert second.status == "ok", second
        assert second.stdout == "sockets 0\nbound\n", second
    finally:
        pool.close()


def test_a_kernel_that_refuses_the_setting_still_gets_containers(monkeypatch):
    """The setting is per network namespace only on newer kernels; where the engine cannot apply
    it, the pool starts its containers without it (the launcher's check still replaces a
    container left with sockets) instead of failing every run with infra_error."""
    from gymhub.sandboxes.docker_pool import DockerSandbox
    from tests.conftest import require
    from tests.sandboxes.conftest import _docker_ok

    require(_docker_ok(), "a Docker engine with the gymhub-sandbox image")
    from docker.models.containers import ContainerCollection

    pool = DockerSandbox(pool_size=1)
    create = ContainerCollection.create
    refused = []

    def create_refusing(self, *args, **kwargs):
        container = create(self, *args, **kwargs)
        if "net.ipv4.tcp_max_tw_buckets" in kwargs.get("sysctls", {}):

            def start(*_a, **_k):
                refused.append(container.id)
                raise RuntimeError("OCI runtime create failed: unable to apply sysctl: EPERM")

            container.start = start
        return container

    monkeypatch.setattr(ContainerCollection, "create", create_refusing)
    try:
        result = pool.run(py("print('fine')"))
        assert (result.status, result.stdout) == ("ok", "fine\n"), result
        assert len(refused) == 1 and not pool._net_sysctls
    finally:
        pool.close()
