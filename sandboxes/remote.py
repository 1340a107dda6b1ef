"""The `remote` backend: the same ExecRequest/ExecResult over HTTP to `gymhub sandbox serve`.

Lets a trainer keep untrusted execution on other machines. Any transport failure is an
`infra_error` result (the hub failed, not the program).

A request over the server's ceilings (time, memory, disk, output) is answered 422 with the
ceilings as data; the client then runs it, and every later request, at those ceilings, and says
so once in the log. Refused, it was `infra_error` for every run of such a task, masked by
trainers: the code verifier asked for output room for every test's report (7 x 1 MB per test:
3 tests were over the default 16 MiB; 1.4 MB now) and asks for a compile on top of the tests'
time (a C++ answer to a task of 16 tests was over 60 s). At the ceilings, a program that needs more ends as its own
timeout, memory_limit or output_limit.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import random
import time

import httpx

from gymhub.sandboxes.errors import SandboxConfigError
from gymhub.sandboxes.types import ExecRequest, ExecResult, Sandbox

#: the request fields a server may put a ceiling on (`ServerLimits.ceilings`)
CEILING_FIELDS = ("timeout_s", "cpu_time_s", "memory_mb", "disk_mb", "output_limit_bytes")
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
        self._served: str | None = None  # the server's backend, once known
        #: the server's ceilings, once a 422 named them (field -> the most it accepts)
        self.ceilings: dict[str, float] = {}

    @classmethod
    def available(cls) -> bool:
        """Only where a server is configured (`GYMHUB_SANDBOX_URL`)."""
        return bool(os.environ.get("GYMHUB_SANDBOX_URL"))

    def health(self) -> dict:
        response = self._client.get(f"{self.url}/health", timeout=10)
        response.raise_for_status()
        return response.json()

    def served_backend(self) -> str | None:
        """The backend the server runs (`bwrap`, `docker`, `local`...), from its last result
        or, before any, its /health; None when it cannot be told. A caller that may wipe a
        run's /tmp (the code verifier's runner, between test cases) needs it: only bwrap and
        docker give a run a /tmp of its own."""
        if self._served is None:
            try:
                found = self.health().get("backend")
            except (httpx.HTTPError, ValueError, AttributeError):
                return None
            self._served = found if isinstance(found, str) else None
        return self._served

    def run(self, request: ExecRequest) -> ExecResult:
        try:
            sent = self.fit(request)
            response = self._post(sent)
            if self._learn_ceilings(response) and self.fit(request) != sent:
                response = self._post(self.fit(request))
        except httpx.HTTPError as exc:
            return ExecResult.infra(f"sandbox server unreachable: {exc}", self.name)
        return self._result(response)

    def _post(self, request: ExecRequest) -> httpx.Response:
        """POST the run; while the server answers 503 (at capacity), ask again after its
        `Retry-After`, for at most `extra_timeout_s` in all."""
        body = request.to_wire()
        end = time.monotonic() + self.extra_timeout_s
        while True:
            response = self._client.post(
                f"{self.url}/run", json=body, timeout=request.timeout_s + self.extra_timeout_s
            )
            pause = _busy_pause(response, end)
            if pause is None:
                return response
            time.sleep(pause)

    def fit(self, request: ExecRequest) -> ExecRequest:
        """`request` with every limit over a known ceiling of the server lowered to it (the
        same request when none is over, or when lowering would make it invalid)."""
        if not isinstance(request, ExecRequest):
            raise TypeError(f"request must be an ExecRequest, got {type(request).__name__}")
        asked = {field: getattr(request, field) for field in CEILING_FIELDS}
        asked["cpu_time_s"] = request.cpu_limit_s
        changes: dict[str, float] = {}
        for field, value in asked.items():
            ceiling = self.ceilings.get(field)
            if ceiling is not None and value > ceiling:
                changes[field] = int(ceiling) if isinstance(value, int) else float(ceiling)
        if not changes:
            return request
        try:
            return ExecRequest.model_validate({**request.model_dump(), **changes})
        except ValueError:  # a ceiling no request can meet: the server's answer says so
            return request

    def _learn_ceilings(self, response: httpx.Response) -> bool:
        """Keep the ceilings a 422 names (`ServerLimits.ceilings`); True when it named any."""
        if response.status_code != 422:
            return False
        try:
            named = response.json().get("ceilings")
        except (ValueError, AttributeError):
            return False
        if not isinstance(named, dict):
            return False
        found = {
            field: float(value)
            for field, value in named.items()
            if field in CEILING_FIELDS
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
            and 0 < value < float("inf")
        }
        if found and found != self.ceilings:
            log.warning(
                "gymhub sandbox: the server at %s has ceilings %s; requests over them run at "
                "them (a program that needs more ends as its own timeout, memory_limit or "
                "output_limit)",
                self.url,
                found,
            )
        self.ceilings.update(found)
        return bool(found)

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
        if result.backend:
            self._served = result.backend
        if result.backend == "local" and not self._warned_local:
            self._warned_local = True
            log.warning(
                "gymhub sandbox: the server at %s runs the local backend, which isolates nothing",
                self.url,
            )

    async def arun(self, request: ExecRequest) -> ExecResult:
        try:
            async with httpx.AsyncClient(headers=self.headers) as client:
                sent = self.fit(request)
                end = time.monotonic() + self.extra_timeout_s
                for _ in range(2):
                    while True:  # at capacity (503): again after Retry-After, as `_post`
                        response = await client.post(
                            f"{self.url}/run",
                            json=sent.to_wire(),
                            timeout=sent.timeout_s + self.extra_timeout_s,
                        )
                        pause = _busy_pause(response, end)
                        if pause is None:
                            break
                        await asyncio.sleep(pause)
                    if not self._learn_ceilings(response) or self.fit(request) == sent:
                        break
                    sent = self.fit(request)
        except httpx.HTTPError as exc:
            return ExecResult.infra(f"sandbox server unreachable: {exc}", self.name)
        return self._result(response)

    def close(self) -> None:
        self._client.close()


def _busy_pause(response: httpx.Response, end: float) -> float | None:
    """How long to wait before asking again a server that answered 503 (at capacity: its
    runs are busy, maybe with other programs' slow runs), or None: answer taken as it is (not a
    503, or no time left before `end`). Without it a burst of runs past the server's
    concurrency came back `infra_error`, masked by trainers."""
    if response.status_code != 503:
        return None
    try:
        after = float(response.headers.get("retry-after", "1"))
    except ValueError:
        after = 1.0
    if not math.isfinite(after):
        after = 1.0
    pause = min(max(after, 0.05), 5.0) * (0.5 + random.random())  # spread the retries out
    return pause if time.monotonic() + pause < end else None
