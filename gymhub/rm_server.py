"""`gymhub rm serve`: a reward model behind HTTP, batching concurrent requests together.

Routes:
- `GET /health`: model name and batching counters.
- `POST /verify`: `{"items": [{"prompt": str | messages, "response": str, "reference": ...}]}`
  -> `{"verdicts": [Verdict, ...]}` (the native route, full verdicts with components).
- `POST /get_reward`: OpenRLHF's remote reward-model protocol, `{"query": [str], "prompts":
  [str], "labels": [...]}` -> `{"rewards": [...], "scores": [...], "extra_logs": {...}}`. Each
  query is the rendered conversation; when its prompt is given and is a prefix of the query, the
  response starts after it (so an overlong query loses the prompt's left, never the response),
  and a response with no content (a master key, punctuation, special-token text) or padded with
  its own repeats gets the verifier's floor without a model call, as in the learned envs.

Items from concurrent requests are queued and scored together by continuous batching: while the
model scores one batch in a worker thread, the event loop keeps accepting requests, and the next
batch is everything queued by then (up to `max_batch` items); nothing waits for a timer while
the model is idle (`max_wait_ms`, default 0, lets an under-full batch wait for company). Bad
input gets 422 with what is wrong, a body over `max_body_bytes` 413; a model failure gets 500
(clients map it to `infra_error`). With a token, every route needs `Authorization: Bearer
<token>`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hmac
from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

from gymhub.types import Verdict

MAX_ITEMS = 4096
MAX_TEXT_CHARS = 1_000_000
#: a whole request body; above it the server answers 413 before reading more (the per-item caps
#: alone would let one request hold gigabytes)
MAX_BODY_BYTES = 64 * 1024 * 1024


class DynamicBatcher:
    """Queue items from many callers; run `fn(items) -> results` on batches of them, one batch
    at a time in `executor`: each batch is what queued up while the previous one ran. When a
    batch of several callers' items fails, each caller's items run again on their own, so one
    caller's bad item (or text that breaks the model) fails only that caller."""

    def __init__(
        self,
        fn: Callable[[list[Any]], list[Any]],
        executor: concurrent.futures.Executor,
        *,
        max_batch: int,
        max_wait_s: float,
    ) -> None:
        self.fn = fn
        self.executor = executor
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self.queue: asyncio.Queue[tuple[Any, asyncio.Future, object]] = asyncio.Queue()
        self.batches = 0
        self.items = 0
        self.largest = 0
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def submit(self, items: list[Any]) -> list[Any]:
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in items]
        caller = object()  # which items came together, to retry them apart from the others
        for item, future in zip(items, futures):
            self.queue.put_nowait((item, future, caller))
        return list(await asyncio.gather(*futures))

    def _drain(self, batch: list[tuple[Any, asyncio.Future, object]]) -> None:
        while len(batch) < self.max_batch and not self.queue.empty():
            batch.append(self.queue.get_nowait())

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            await asyncio.sleep(0)  # let requests that are already read reach the queue
            self._drain(batch)
            if self.max_wait_s > 0 and len(batch) < self.max_batch:
                deadline = loop.time() + self.max_wait_s
                while len(batch) < self.max_batch and (timeout := deadline - loop.time()) > 0:
                    try:
                        batch.append(await asyncio.wait_for(self.queue.get(), timeout))
                    except asyncio.TimeoutError:
                        break
                    self._drain(batch)
            live = [entry for entry in batch if not entry[1].done()]
            if not live:
                continue
            self.batches += 1
            self.items += len(live)
            self.largest = max(self.largest, len(live))
            callers: dict[object, list[tuple[Any, asyncio.Future, object]]] = {}
            for entry in live:
                callers.setdefault(entry[2], []).append(entry)
            if not await self._score(loop, live, settle=len(callers) == 1):
                for group in callers.values():  # each caller alone: its failure is its own
                    await self._score(loop, group, settle=True)

    async def _score(
        self,
        loop: asyncio.AbstractEventLoop,
        entries: list[tuple[Any, asyncio.Future, object]],
        *,
        settle: bool,
    ) -> bool:
        """Run `fn` on `entries` and resolve their futures; on failure, fail them only when
        `settle` (else leave them for a retry) and return False."""
        try:
            results = await loop.run_in_executor(
                self.executor, self.fn, [item for item, _, _ in entries]
            )
            if len(results) != len(entries):
                raise RuntimeError(f"{len(results)} results for {len(entries)} items")
        except Exception as exc:
            if settle:
                for _, fut, _ in entries:
                    if not fut.done():
                        fut.set_exception(exc)
            return False
        for (_, fut, _), result in zip(entries, results):
            if not fut.done():
                fut.set_result(result)
        return True


class ModelFailure(RuntimeError):
    pass


def _bad(detail: str) -> HTTPException:
    return HTTPException(status_code=422, detail=detail)


def _check_items(payload: Any) -> list[dict[str, Any]]:
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise _bad("body must be {'items': [{'prompt': ..., 'response': ...}, ...]}")
    items = payload["items"]
    if not items or len(items) > MAX_ITEMS:
        raise _bad(f"items must hold 1 to {MAX_ITEMS} entries, got {len(items)}")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _bad(f"items[{i}] must be an object")
        unknown = set(item) - {"prompt", "response", "reference"}
        if unknown:
            raise _bad(f"items[{i}] has unknown fields {sorted(unknown)}")
        if not isinstance(item.get("response"), str):
            raise _bad(f"items[{i}].response must be a string")
        prompt = item.get("prompt")
        if not isinstance(prompt, str) and not (
            isinstance(prompt, list)
            and all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in prompt)
        ):
            raise _bad(f"items[{i}].prompt must be a string or a list of {{role, content}}")
        if isinstance(prompt, list) and not all(
            m.get("content") is None or isinstance(m["content"], str) for m in prompt
        ):
            raise _bad(f"items[{i}].prompt message content must be a string")
        if len(item["response"]) + len(str(prompt)) > MAX_TEXT_CHARS:
            raise _bad(f"items[{i}] is longer than {MAX_TEXT_CHARS} characters")
        if len(str(item.get("reference"))) > MAX_TEXT_CHARS:
            raise _bad(f"items[{i}].reference is longer than {MAX_TEXT_CHARS} characters")
    return items


def _strings(payload: dict[str, Any], key: str, count: int | None) -> list[str] | None:
    value = payload.get(key)
    if value is None and count is not None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(f"'{key}' must be a list of strings")
    if count is not None and len(value) != count:
        raise _bad(f"'{key}' has {len(value)} entries but 'query' has {count}")
    if count is None and not 0 < len(value) <= MAX_ITEMS:
        raise _bad(f"'{key}' must hold 1 to {MAX_ITEMS} entries")
    if any(len(v) > MAX_TEXT_CHARS for v in value):
        raise _bad(f"an entry of '{key}' is longer than {MAX_TEXT_CHARS} characters")
    return value


def create_rm_app(
    verifier: Any,
    *,
    token: str | None = None,
    max_batch: int = 64,
    max_wait_ms: float = 0.0,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> FastAPI:
    """The reward server for `verifier` (a RewardModelVerifier or anything with `verify_batch`
    and `verify_texts`); the caller keeps ownership of the verifier."""
    from gymhub.server.body_limit import BodyLimit

    if max_batch < 1 or max_wait_ms < 0 or max_body_bytes < 1:
        raise ValueError("max_batch and max_body_bytes must be >= 1 and max_wait_ms >= 0")
    executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="gymhub-rm")

    def verdict_batch(items: list[dict[str, Any]]) -> list[Any]:
        return verifier.verify_batch(
            [i["response"] for i in items],
            [i.get("reference") for i in items],
            prompts=[i["prompt"] for i in items],
        )

    def text_batch(items: list[tuple[str, int]]) -> list[Any]:
        # the rule gate first (here, off the event loop: a long reply takes a while to read)
        refused = {i: why for i, (t, s) in enumerate(items) if s and (why := _refusal(t[s:]))}
        live = [i for i in range(len(items)) if i not in refused]
        scored = verifier.verify_texts([items[i][0] for i in live], [items[i][1] for i in live])
        if len(scored) != len(live):
            raise RuntimeError(f"{len(scored)} verdicts for {len(live)} texts")
        out: list[Any] = [None] * len(items)
        for i, verdict in zip(live, scored):
            out[i] = verdict
        floor = float(getattr(verifier, "floor", 0.0))
        for i, why in refused.items():
            out[i] = Verdict.incorrect(f"gate: {why}", reward=floor, components={"gate": 0.0})
        return out

    batchers: dict[str, DynamicBatcher] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        wait = max_wait_ms / 1000.0
        for name, fn in (("verify", verdict_batch), ("text", text_batch)):
            batchers[name] = DynamicBatcher(fn, executor, max_batch=max_batch, max_wait_s=wait)
            batchers[name].start()
        try:
            yield
        finally:
            for batcher in batchers.values():
                await batcher.stop()
            executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="gymhub reward model", version="1", lifespan=lifespan)
    app.add_middleware(BodyLimit, limit=max_body_bytes, on_reject=lambda: None)

    async def check_auth(request: Request) -> None:  # async: no thread hop per request
        if token is None:
            return
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise HTTPException(status_code=401, detail="missing or wrong bearer token")

    async def run(name: str, items: list[Any]) -> list[Any]:
        try:
            return await batchers[name].submit(items)
        except ValueError as exc:
            raise _bad(str(exc)) from exc
        except Exception as exc:
            raise ModelFailure(f"reward model failed: {exc!r}") from exc

    @app.exception_handler(ModelFailure)
    async def model_failure(request: Request, exc: ModelFailure) -> JSONResponse:
        return JSONResponse({"detail": str(exc)[:1000]}, status_code=500)

    @app.get("/health", dependencies=[Depends(check_auth)])
    async def health() -> dict[str, Any]:
        counters = {
            name: {"batches": b.batches, "items": b.items, "largest_batch": b.largest}
            for name, b in batchers.items()
        }
        return {"status": "ok", "model": repr(verifier), "batching": counters}

    # the scoring routes return their JSONResponse themselves: FastAPI's response encoding walks
    # every value of the body again, which costs more per request than scoring a short item
    @app.post("/verify", dependencies=[Depends(check_auth)])
    async def verify(request: Request) -> JSONResponse:
        items = _check_items(await _json(request))
        verdicts = await run("verify", items)
        return JSONResponse({"verdicts": [v.model_dump(mode="json") for v in verdicts]})

    @app.post("/get_reward", dependencies=[Depends(check_auth)])
    async def get_reward(request: Request) -> JSONResponse:
        payload = await _json(request)
        if not isinstance(payload, dict):
            raise _bad("body must be a JSON object with 'query'")
        queries = _strings(payload, "query", None)
        assert queries is not None
        prompts = _strings(payload, "prompts", len(queries))
        labels = payload.get("labels")
        if labels is not None and (not isinstance(labels, list) or len(labels) != len(queries)):
            raise _bad("'labels' must be a list as long as 'query'")
        starts = [
            len(p) if prompts and q.startswith(p) else 0
            for q, p in zip(queries, prompts or [""] * len(queries))
        ]
        verdicts = await run("text", list(zip(queries, starts)))
        scores = [v.components.get("rm_score") for v in verdicts]
        return JSONResponse(
            {
                "rewards": [v.reward for v in verdicts],
                "scores": [v.reward if s is None else s for v, s in zip(verdicts, scores)],
                "extra_logs": {
                    "rm_score": [0.0 if s is None else s for s in scores],
                    "unparseable": [float(v.status == "unparseable") for v in verdicts],
                    "gated": [float(v.components.get("gate") == 0.0) for v in verdicts],
                },
            }
        )

    return app


def _refusal(response: str) -> str | None:
    """Why OpenRLHF's reward for `response` (the part of a query after its prompt) is the floor
    without asking the model: no content (`judge_gate.gate_reason`: empty, punctuation, a master
    key such as `Thought process:`, special-token text) or padding (`repetition_reason`). The
    envs put their scorers behind the same rules; this route is a training reward too."""
    from gymhub.verifiers.judge_gate import gate_reason, repetition_reason

    if len(response) > 100_000 or not response.strip():
        # the verifier's own verdicts: `unparseable` for an empty response or one longer than
        # it reads (refused without reading it; the rules would take a while on megabytes)
        return None
    return gate_reason(response) or repetition_reason(response)


async def _json(request: Request) -> Any:
    try:
        return await request.json()
    except Exception as exc:
        raise _bad(f"body is not valid JSON: {exc}") from exc
