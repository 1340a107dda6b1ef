"""The `remote` backend: the same ExecRequest/ExecResult over HTTP to `gymhub sandbox serve`.

Lets a trainer keep untrusted execution on other machines. Any transport failure is an
`infra_error` result (the hub failed, not the program).
"""

from __future__ import annotations

import logging
import os

import httpx

from gymhub.sandboxes.errors import SandboxConfigError
from gymhub.sandboxes.types import ExecRequest, ExecResult, Sandbox

TOKEN_ENV = "GYMHUB_SANDBOX_TOKEN"
log = logging.getLogger("gymhub.sandboxes")


class RemoteSandbox(Sandbox):
    """Client of a sandbox server; `url` like `http://host:8790`, `token` a shared secret."""

    name = "remote"
    strength = 1

    def __init__(
        self, url: str | None = None, *, token: str | None = None, timeout_s: float = 30.0
    ) -> None:
        url = url or os.environ.get("GYMHUB_SANDBOX_URL")
        if not url:
            raise SandboxConfigError("the remote backend needs url= or GYMHUB_SANDBOX_URL")
        self.url = url.rstrip("/")
        token = token or os.environ.get(TOKEN_ENV)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.extra_timeout_s = timeout_s
        self._client = httpx.Client(headers=self.headers)
        self._warned_local = False

    @classmethod
    def available(cls) -> bool:
        """Only where a server is configured (`GYMHUB_SANDBOX_URL`)."""
        return bool(os.environ.get("GYMHUB_SANDBOX_URL"))

    def health(self) -> dict:
        response = self._client.get(f"{self.url}/health", timeout=10)
        response.raise_for_status()
        return response.json()

    def run(self, request: ExecRequest) -> ExecResult:
        try:
            response = self._client.post(
                f"{self.url}/run",
                json=request.to_wire(),
                timeout=request.timeout_s + self.extra_timeout_s,
            )
        except httpx.HTTPError as exc:
            return ExecResult.infra(f"sandbox server unreachable: {exc}", self.name)
        return self._result(response)

    def _result(self, response: httpx.Response) -> ExecResult:
        """The run's result from the server's answer (anything but a result is the hub's)."""
        if response.status_code != 200:
            return ExecResult.infra(
                f"sandbox server answered {response.status_code}: {response.text[:500]}", self.name
            )
        try:
            result = ExecResult.from_wire(response.json())
        except Exception as exc:
            return ExecResult.infra(f"bad answer from the sandbox server: {exc}", self.name)
        self._check_isolation(result)
        return result

    def _check_isolation(self, result: ExecResult) -> None:
        """Say once when the server runs a backend that isolates nothing (`gymhub sandbox serve
        --backend local`): `auto` picks `remote` as an isolating backend."""
        if result.backend == "local" and not self._warned_local:
            self._warned_local = True
            log.warning(
                "gymhub sandbox: the server at %s runs the local backend, which isolates nothing",
                self.url,
            )

    async def arun(self, request: ExecRequest) -> ExecResult:
        try:
            async with httpx.AsyncClient(headers=self.headers) as client:
                response = await client.post(
                    f"{self.url}/run",
                    json=request.to_wire(),
                    timeout=request.timeout_s + self.extra_timeout_s,
                )
        except httpx.HTTPError as exc:
            return ExecResult.infra(f"sandbox server unreachable: {exc}", self.name)
        return self._result(response)

    def close(self) -> None:
        self._client.close()
