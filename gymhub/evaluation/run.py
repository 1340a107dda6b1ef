"""Run an evaluation: `samples` episodes per (env, seed), streamed to JSONL as they finish.

Each episode is one job `(env, seed, sample)`. With an output file every finished trace is written
(one line, flushed) the moment it ends, so a crash or Ctrl-C loses at most the episodes in flight;
`resume=True` reads the file back, drops a half-written last line and runs only the missing jobs,
so every job is counted exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from gymhub.errors import InvalidOptionsError
from gymhub.evaluation.summary import EnvSummary, EvalTrace, failure_reason, summarise, task_pin
from gymhub.policies import (
    CALL_QUEUE,
    SAMPLE_INDEX,
    ContextLengthError,
    Policy,
    PolicyError,
    QueueClock,
    UnusableReplyError,
)
from gymhub.rollout import Trace, arollout, is_count, seed_list
from gymhub.types import Action, Message, ToolSpec

MAX_DETAIL_CHARS = 500
#: a run-file line longer than this is skipped unread (a hand-edited or hostile file could hold a
#: line of gigabytes); the traces of a real run are far shorter
MAX_LINE_BYTES = 64 * 1024 * 1024

#: bounds of a stored trace's figures: beyond them a line is corrupt or hand-made (a few rewards
#: of 1e308 summed to inf and crashed the summary, a turn count of 400 digits overflowed its mean)
MAX_ABS_REWARD = 1e15
MAX_COUNT = 10**9

JobKey = tuple[str, int, int, str]


def job_key(
    env_id: str | None,
    seed: int | None,
    sample: int,
    options: dict[str, Any],
    task_pin: str | None = None,
) -> JobKey:
    options_json = json.dumps(options, sort_keys=True, default=str)
    if task_pin is not None:
        options_json += f"#task={task_pin}"
    # a trace without its seed (a hand-made line) is no job's: it must not stand for seed 0's
    return (env_id or "?", -1 if seed is None else int(seed), sample, options_json)


def _key(trace: EvalTrace) -> JobKey:
    return job_key(trace.env_id, trace.seed, trace.sample, trace.options, trace.task_pin)


def _options_key(options: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (options or {}).items() if k != "task"}


def read_traces(
    path: str | Path, on_skip: Callable[[int, str], None] | None = None
) -> list[EvalTrace]:
    """Every complete trace of a run file; a half-written or corrupt line (not UTF-8, not JSON,
    not a trace) is skipped, `on_skip(line number, why)` is told; a repeated job keeps its first
    scored trace (its first trace when none scored)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no evaluation run at {str(path)!r}")
    out: list[EvalTrace] = []
    seen: dict[JobKey, int] = {}
    with path.open("rb") as handle:
        number = 0
        while raw := handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of it, never held whole
                    raw = handle.readline(1 << 20)
                if on_skip is not None:
                    on_skip(number, f"line longer than {MAX_LINE_BYTES:,} bytes")
                continue
            if not raw.strip():
                continue
            try:
                trace = EvalTrace.model_validate_json(raw.decode("utf-8"))
                _check_finite(trace)
            except ValueError as exc:  # UnicodeDecodeError and pydantic's ValidationError too
                if on_skip is not None:
                    on_skip(number, f"{type(exc).__name__}: {str(exc)[:200]}")
                continue
            key = _key(trace)
            if key not in seen:
                seen[key] = len(out)
                out.append(trace)
            elif failure_reason(out[seen[key]]) is not None and failure_reason(trace) is None:
                out[seen[key]] = trace  # a failure then a scored trace (two resumes at once)
    return out


def _lock_run_file(path: Path) -> Callable[[], None]:
    """Take the run file's lock (a `.NAME.lock` file beside it) or raise ValueError when another
    run holds it; returns the function that releases it. Without `fcntl` (Windows) no lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return lambda: None
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(f".{path.name}.lock")
    for _ in range(100):
        try:
            handle = lock_path.open("a+b")
        except OSError:  # a folder where only the run file may be written: run unlocked
            return lambda: None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise ValueError(
                f"another run is writing {str(path)!r}: wait for it to finish (then --resume) "
                "or write to another --output"
            ) from None
        # the lock file a run that just finished unlinked (its release) locks nothing: a third
        # run makes a new one and locks that, and two runs wrote the same file. Held only if it
        # is still the file at the lock's path
        try:
            held = os.fstat(handle.fileno()).st_ino == os.stat(lock_path).st_ino
        except OSError:
            held = False
        if held:
            break
        handle.close()
    else:
        raise ValueError(f"cannot lock {str(path)!r}: its lock file keeps being replaced")

    def release() -> None:
        with contextlib.suppress(OSError):
            lock_path.unlink()
        handle.close()  # closing releases the lock

    return release


def _torn_tail(path: Path) -> bool:
    """Whether the file's last line lacks its newline (a write cut short)."""
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() == 0:
            return False
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) != b"\n"


def _check_finite(trace: EvalTrace) -> None:
    """Raise ValueError for values no run writes: a reward that is not finite (NaN, infinite, or
    a total that overflows) or beyond `MAX_ABS_REWARD`, a turn count or sample index below 0 or
    beyond `MAX_COUNT`, a time that is negative or not finite. A hand-edited or corrupted line,
    which would make its env's figures NaN or nonsense (a mean of -1 turns)."""
    values = [*trace.rewards, *trace.reward_components.values(), trace.total_reward]
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
        raise ValueError("a reward is not a finite number")
    if any(abs(v) > MAX_ABS_REWARD for v in values):  # a few of them summed overflow to inf
        raise ValueError(f"a reward beyond +-{MAX_ABS_REWARD:g}, which no env gives")
    if not (0 <= trace.turns <= MAX_COUNT and 0 <= trace.sample <= MAX_COUNT):
        raise ValueError(
            f"turns ({trace.turns}) and sample ({trace.sample}) must be from 0 to {MAX_COUNT:,}"
        )
    times = [getattr(trace.timings, f.name) for f in dataclasses.fields(trace.timings)]
    if not all(isinstance(v, (int, float)) and math.isfinite(v) and v >= 0 for v in times):
        raise ValueError("a time in `timings` is negative or not a finite number")


def write_text_atomic(path: str | Path, text: str) -> None:
    """Replace `path` with `text` all at once: written to a temporary file beside it, flushed to
    disk, then renamed over it, so a crash or an error mid-write leaves the old file whole."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_traces(path: str | Path, traces: Sequence[EvalTrace]) -> None:
    """Rewrite a run file atomically (used by resume to drop a torn line, and by rescore)."""
    write_text_atomic(path, "".join(trace.model_dump_json() + "\n" for trace in traces))


def _comparable_sampling(sampling: Any) -> Any:
    """Sampling parameters that make two runs different experiments (not where the server is)."""
    if not isinstance(sampling, dict):
        return sampling
    return {k: v for k, v in sampling.items() if k != "base_url"}


def _check_same_policy(
    path: Path, stored: Sequence[EvalTrace], policy: Policy, run_info: dict[str, Any] | None
) -> None:
    """Resuming must not mix two policies (or two sampling settings) in one run file."""
    name = getattr(policy, "name", type(policy).__name__)
    sampling = _comparable_sampling((run_info or {}).get("sampling"))
    for trace in stored:
        if trace.policy is not None and trace.policy != name:
            raise ValueError(
                f"cannot resume {str(path)!r}: its episodes were played by policy "
                f"{trace.policy!r}, this run uses {name!r}; write to another --output"
            )
        old = _comparable_sampling(trace.run.get("sampling"))
        if sampling is not None and old is not None and old != sampling:
            raise ValueError(
                f"cannot resume {str(path)!r}: its episodes used sampling {old}, this run uses "
                f"{sampling}; resume with the same settings or write to another --output"
            )


def _check_same_turns(path: Path, stored: Sequence[EvalTrace], max_turns: int | None) -> None:
    """Resuming with another turn cap would mix episodes cut at different turns in one score."""
    for trace in stored:
        if "max_turns" in trace.run and trace.run["max_turns"] != max_turns:
            raise ValueError(
                f"cannot resume {str(path)!r}: its episodes were played with max_turns "
                f"{trace.run['max_turns']}, this run uses {max_turns}; resume with the same "
                "--max-turns or write to another --output"
            )


def _check_same_envs(
    path: Path,
    stored: Sequence[EvalTrace],
    wanted: Iterable[JobKey],
    make_env: Callable[[str], EnvSource] | None,
) -> None:
    """Resuming onto another version of an env, or another verifier, would mix two scorings in
    one summary (the hub upgraded between a crash and its resume): refused, naming the env."""
    import gymhub
    from gymhub.trace import _verifier_name

    asked = {key[0] for key in wanted}
    setups: dict[str, set[tuple[int, str | None]]] = {}
    for trace in stored:
        if failure_reason(trace) is None and trace.env_id in asked:
            setups.setdefault(trace.env_id, set()).add((trace.env_version, trace.verifier))
    for env_id, olds in setups.items():
        try:
            source = make_env(env_id) if make_env is not None else env_id
            env = gymhub.make(source) if isinstance(source, str) else source()
        except Exception:  # cannot be made now: its episodes will say why
            continue
        try:
            now = (getattr(env, "version", 0), _verifier_name(env))
        finally:
            with contextlib.suppress(Exception):
                env.close()
        for version, verifier in olds:
            if version != now[0] or (verifier is not None and verifier != now[1]):
                raise ValueError(
                    f"cannot resume {str(path)!r}: its {env_id} episodes were scored by env "
                    f"version {version} with verifier {verifier}, this run has version {now[0]} "
                    f"with {now[1]}; write to another --output (or rescore the old run)"
                )


EnvSource = str | Callable[[], Any]

# What a policy raises is never read as its reply: a KeyError or ValueError from inside `act` may
# be the hub's own bug (an env's `reference_action`, a message that cannot be sent) and was scored
# as the model's unparseable 0. Only what the policy *returned* can be an unusable reply.
#: the statuses a failed policy call leaves on its (unscored) episode
POLICY_TIMEOUT, POLICY_ERROR = "timeout", "error"


class _Guard(Policy):
    """The evaluated policy as one episode sees it.

    - A call that overruns `deadline_s` fails like a timeout: cut off when it awaits (an
      endpoint trickling bytes defeats per-read timeouts), refused when it returns late (a
      policy that blocks the event loop cannot be cut off). Time the call waited for a
      client-side slot (`requests_per_s`, `max_concurrent_requests`) is not counted.
    - A reply that cannot be made into an action (None, a number, an invalid dict) or an
      `UnusableReplyError` is recorded in `unusable`: the episode is scored `unparseable`.
    - A `ContextLengthError` (the server refused the conversation as too long for the model)
      passes through: the episode ends truncated (`"context_length"`) and is scored.
    - Anything the policy raises (a bug in it, out of memory, its own timeout) is the
      policy's failure, not the hub's: the episode fails (out of the scores) with
      `failed_status` "error" or "timeout", never `infra_error`."""

    def __init__(self, inner: Policy, deadline_s: float | None) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.deadline_s = deadline_s
        self.unusable: str | None = None
        self.failed_status: str | None = None
        self._deadline_passed = False

    async def act(
        self, conversation: list[Message], tools: list[ToolSpec], env: Any = None
    ) -> Action:
        started = time.monotonic()
        clock = QueueClock()  # the call's wait for a client-side slot: not held against it
        token = CALL_QUEUE.set(clock)
        self._deadline_passed = False
        try:
            call = self.inner.act(conversation, tools, env)
            if not inspect.isawaitable(call):  # a synchronous `act`: its reply is the result
                reply = call
            elif self.deadline_s:
                reply = await self._within_deadline(call, started, clock)
            else:
                reply = await call
        except UnusableReplyError as exc:
            self.unusable = str(exc)[:MAX_DETAIL_CHARS]
            raise
        except ContextLengthError:  # the episode outgrew the model: it ends truncated, scored
            raise
        except PolicyError:
            self.failed_status = POLICY_ERROR
            raise
        except asyncio.TimeoutError as exc:  # the deadline, or a timeout of the policy's own
            self.failed_status = POLICY_TIMEOUT
            if self._deadline_passed:
                raise PolicyError(
                    f"no reply within the {self.deadline_s:g} s call deadline"
                ) from exc
            raise PolicyError(f"the policy timed out: {_describe(exc)}") from exc
        except Exception as exc:
            self.failed_status = POLICY_ERROR
            raise PolicyError(f"the policy raised {_describe(exc)}") from exc
        finally:
            CALL_QUEUE.reset(token)
        took = time.monotonic() - started - clock.total()
        if self.deadline_s and took > self.deadline_s:
            self.failed_status = POLICY_TIMEOUT
            raise PolicyError(
                f"no reply within the {self.deadline_s:g} s call deadline (it took {took:.1f} s)"
            )
        try:
            return Action.coerce(reply)
        except (TypeError, ValueError) as exc:
            self.unusable = _describe(exc)
            raise PolicyError(f"unusable reply: {self.unusable}") from exc

    async def _within_deadline(self, call: Any, started: float, clock: QueueClock) -> Any:
        """Await `call` for at most `deadline_s` seconds of its own: the time it waited for a
        client-side slot (`clock`) extends the deadline. Past it the call is cancelled and
        `asyncio.TimeoutError` raised."""
        task = asyncio.ensure_future(call)
        try:
            while True:
                left = self.deadline_s + clock.total() - (time.monotonic() - started)
                if left <= 0:
                    self._deadline_passed = True
                    raise asyncio.TimeoutError()
                done, _ = await asyncio.wait({task}, timeout=left)
                if done:
                    return task.result()
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:MAX_DETAIL_CHARS]


def _scored_unusable(trace: Any, why: str) -> None:
    """The episode ends on the policy's unusable reply: scored, status unparseable, no more reward."""
    trace.error, trace.infra_error = None, False
    trace.status, trace.terminated = "unparseable", True
    trace.reward_components = {}
    trace.policy_fault = why


def default_call_deadline(policy: Policy) -> float | None:
    """Total seconds one call of an `OpenAIPolicy` may take: every try's connect and first byte
    within its `timeout_s` (plus 5 s to read the body) and the longest backoff (60 s + 10%
    jitter) between tries. httpx's timeout bounds each read only, so a server trickling bytes
    needs this bound. None for other policies (a local model has no such limit)."""
    from gymhub.policies import OpenAIPolicy

    if not isinstance(policy, OpenAIPolicy):
        return None
    retries = policy.max_retries
    return (2 * policy.timeout_s + 5) * (retries + 1) + 66 * retries


class EnvEntry(Protocol):
    """One line of a suite: an env id with its own reset options and (optionally) seeds."""

    id: str
    options: dict[str, Any]
    seeds: list[int] | None


def _check_options(jobs: Iterable[tuple[str, int, int, dict[str, Any] | None]]) -> None:
    """Reset options an env refuses (a typo in a suite, a difficulty out of range) stop the run
    before it starts, naming the env; otherwise every one of that env's episodes would fail at
    reset, after the envs before it had run."""
    import gymhub
    from gymhub.env import check_reset_options

    checked: set[tuple[str, str]] = set()
    for env_id, _seed, _sample, opts in jobs:
        key = (env_id, json.dumps(opts, sort_keys=True, default=str))
        if not opts or key in checked:
            continue
        checked.add(key)
        env = gymhub.make(env_id)
        try:
            check_reset_options(env, opts)
        except InvalidOptionsError as exc:
            raise InvalidOptionsError(f"{env_id}: {exc}") from exc
        finally:
            env.close()


async def aevaluate(
    env_ids: Sequence[str | EnvEntry],
    policy: Policy,
    *,
    seeds: Sequence[int],
    samples: int = 1,
    ks: Sequence[int] = (1,),
    concurrency: int = 32,
    options: dict[str, Any] | None = None,
    output: str | Path | None = None,
    resume: bool = False,
    run_info: dict[str, Any] | None = None,
    make_env: Callable[[str], EnvSource] | None = None,
    on_trace: Callable[[EvalTrace], None] | None = None,
    max_turns: int | None = None,
    policy_deadline_s: float | None = None,
    on_skip: Callable[[int, str], None] | None = None,
) -> tuple[list[EnvSummary], list[EvalTrace]]:
    """Evaluate `policy` on `env_ids`; returns the per-env summaries and every trace.

    `policy_deadline_s` bounds each policy call in total (retries included); a call that overruns
    it fails the episode like a timeout. Left out, an `OpenAIPolicy` gets the bound its own
    `timeout_s` and `max_retries` imply (`default_call_deadline`), so an endpoint trickling its
    reply cannot hold a run from Python either. A reply the policy made that cannot become an action
    ends the episode scored as `unparseable` (`policy_fault` says why), not as a failure.

    An item of `env_ids` may be a suite entry with its own options and seeds; `make_env(id)` is
    another way to reach an env (a `RemoteEnv` factory), `on_trace` is called as each episode
    ends (progress bars), `on_skip(line number, why)` for each line of a resumed run file that
    could not be read (its episode runs again). Resuming a file none of whose lines is a trace
    (not a run file) is refused rather than overwritten.
    """
    if isinstance(env_ids, str):  # one id, not its characters as ids
        env_ids = [env_ids]
    if not is_count(samples) or samples < 1:
        raise ValueError(f"samples must be an integer >= 1, got {samples!r}")
    if any(not is_count(k) or k < 1 or k > samples for k in ks):
        raise ValueError(f"pass@k needs integers 1 <= k <= samples ({samples}), got {list(ks)}")
    if not is_count(concurrency) or concurrency < 1:
        raise ValueError(f"concurrency must be an integer >= 1, got {concurrency!r}")
    if max_turns is not None and (not is_count(max_turns) or max_turns < 1):
        raise ValueError(f"max_turns must be a positive integer or None, got {max_turns!r}")
    if options is not None and not isinstance(options, dict):
        raise TypeError(f"options must be a dict or None, got {type(options).__name__}")
    if not callable(getattr(policy, "act", None)):
        raise TypeError(f"policy must be a gymhub Policy (with `act`), got {type(policy).__name__}")
    if policy_deadline_s is not None and not policy_deadline_s > 0:
        raise ValueError(f"policy_deadline_s must be > 0, got {policy_deadline_s}")
    if policy_deadline_s is None:
        policy_deadline_s = default_call_deadline(policy)
    all_seeds = seed_list(seeds)
    wanted: dict[JobKey, tuple[str, int, int, dict[str, Any] | None]] = {}
    for item in env_ids:  # a job named twice (an id and its family, a seed listed twice) runs
        env_id = item if isinstance(item, str) else item.id  # and counts once
        own = {} if isinstance(item, str) else item.options
        own_seeds = None if isinstance(item, str) or item.seeds is None else seed_list(item.seeds)
        opts = {**(options or {}), **own} or None
        for seed in own_seeds or all_seeds:
            for sample in range(samples):
                key = job_key(env_id, seed, sample, _options_key(opts), task_pin(opts))
                wanted.setdefault(key, (env_id, seed, sample, opts))
    if make_env is None:
        _check_options(wanted.values())
    done: list[EvalTrace] = []
    path = Path(output) if output is not None else None
    # one run at a time per file: a second (two resumes at once) would replace the file under
    # the first, whose traces would go to the replaced file and be lost
    lock = _lock_run_file(path) if path is not None else None
    try:
        if path is not None and resume and path.is_file():
            skipped: list[tuple[int, str]] = []
            stored = read_traces(path, on_skip=lambda number, why: skipped.append((number, why)))
            if not stored and skipped and not (len(skipped) == 1 and _torn_tail(path)):
                # not one trace, and more than a torn first line: not a run file, which resuming
                # would replace with this run's traces
                raise ValueError(
                    f"cannot resume {str(path)!r}: none of its lines is an evaluation trace "
                    f"(line {skipped[0][0]}: {skipped[0][1][:120]}); is it a run file?"
                )
            for number, why in skipped:
                if on_skip is not None:
                    on_skip(number, why)
            _check_same_policy(path, stored, policy, run_info)
            _check_same_turns(path, stored, max_turns)
            _check_same_envs(path, stored, wanted, make_env)
            # a requested episode that failed (endpoint down, infra error) was never scored: it runs
            # again and its new trace replaces the failure; the rewrite also drops a torn last line
            keep = [t for t in stored if failure_reason(t) is None or _key(t) not in wanted]
            write_traces(path, keep)
            done = [t for t in keep if _key(t) in wanted]  # the summary covers what was asked for
        finished = {_key(t) for t in done}
        jobs = [job for key, job in wanted.items() if key not in finished]
        run = {
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **(run_info or {}),
            "max_turns": max_turns,  # a turn cap changes scores: resuming must keep it
        }
        semaphore = asyncio.Semaphore(concurrency)
        handle = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = path.open("a" if resume else "w", encoding="utf-8")

        async def one(
            env_id: str, seed: int, sample: int, opts: dict[str, Any] | None
        ) -> EvalTrace:
            source: EnvSource = make_env(env_id) if make_env else env_id
            guard = _Guard(policy, policy_deadline_s)
            SAMPLE_INDEX.set(sample)  # this episode's task, hence its own context: no reset needed
            async with semaphore:
                try:
                    (trace,) = await arollout(
                        source, guard, seeds=[seed], options=opts, max_turns=max_turns
                    )
                except InvalidOptionsError:  # the caller's options (a remote env's): raised
                    raise
                except Exception as exc:  # the hub's own failure past the episode (an env
                    # whose close raised): this episode fails, the run and its file go on
                    trace = Trace(
                        env_id=env_id,
                        seed=seed,
                        options=_options_key(opts),
                        policy=guard.name,
                        error=f"the hub failed around the episode: {_describe(exc)}",
                        infra_error=True,
                    )
            if trace.env_id is None:
                trace.env_id = env_id
            record = EvalTrace(
                **trace.model_dump(), sample=sample, run=run, task_pin=task_pin(opts)
            )
            if guard.unusable is not None and not record.infra_error:
                _scored_unusable(record, guard.unusable)
            elif guard.failed_status is not None and record.error and not record.infra_error:
                record.status = guard.failed_status  # the policy's failure, not an env verdict
            if handle is not None:
                handle.write(record.model_dump_json() + "\n")
                handle.flush()
            if on_trace is not None:
                on_trace(record)
            return record

        try:
            new = await asyncio.gather(*(one(*job) for job in jobs))
        finally:
            if handle is not None:
                handle.close()
        ids = [e if isinstance(e, str) else e.id for e in env_ids]
        traces = sorted([*done, *new], key=_order(ids))
        return summarise(traces, ks), traces
    finally:
        if lock is not None:
            lock()


def _order(env_ids: Sequence[str]) -> Callable[[EvalTrace], tuple[Any, ...]]:
    position = {e: i for i, e in enumerate(env_ids)}
    return lambda t: (
        position.get(t.env_id or "?", len(position)),
        json.dumps(t.options, sort_keys=True, default=str),
        t.seed or 0,
        t.sample,
    )


def evaluate(
    env_ids: Sequence[str], policy: Policy, **kwargs: Any
) -> tuple[list[EnvSummary], list[EvalTrace]]:
    """Synchronous `aevaluate`."""
    return asyncio.run(aevaluate(env_ids, policy, **kwargs))
