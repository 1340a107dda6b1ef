"""CodeVerifier: run the candidate's last fenced code block against tests in a sandbox.

Reference (a dict, or its JSON text):
- stdin/stdout: `{"language": "python", "tests": [{"stdin": "...", "expected_stdout": "..."}]}`
- function calls (Python): `{"language": "python", "fn_name": "add",
  "tests": [{"args": [1, 2], "kwargs": {}, "expected": 3}]}`
- optional `"checker": {"language": "python", "code": "..."}`: a special judge run in its own
  sandbox with `input.txt`, `output.txt` (the bytes the candidate printed) and `expected.txt`;
  exit 0 accepts.
- optional `"compare"` (`exact`, `whitespace` (default), `tokens`, `numeric`), `"rel_tol"`,
  `"abs_tol"`, `"timeout_s"`, `"memory_mb"`, per-test `"timeout_s"`, and `"solution"` (gold code,
  used only for `reference_response`).

Each test has its own deadline; all tests of one verification share `total_timeout_s` (tests
that would start after it time out), and a program over `max_code_bytes` is an `error` unrun.
Expected outputs never enter the candidate's sandbox; results come back as data and are compared
here. Inside the sandbox a warm runner (`code_harness.RUNNER_SOURCE`) gives each test case a
forked process of its own and leaves nothing of one case to the next (docs/verifiers.md);
compiled programs are cached by content hash (`BuildCache`). Reward 1.0 only when every test passes (`partial_credit=True`: the passing fraction).
Failures of the hub (no sandbox backend, engine down) give `infra_error`, never 0.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from gymhub.sandboxes.factory import backend_names, shared_sandbox
from gymhub.sandboxes.languages import Language, argv, get_language, is_language
from gymhub.sandboxes.types import MAX_FILES_BYTES, ExecRequest, ExecResult, Sandbox
from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.code_compare import COMPARE_MODES, outputs_match, values_equal
from gymhub.verifiers.code_harness import RUNNER_SOURCE, SHARED_BUILDS, BuildCache
from gymhub.verifiers.extract import last_code_block as extract_code  # the shared `code` policy


class _Infra(Exception):
    pass


#: the runner's command: the warm interpreter that forks one process per test case
RUNNER = ["python3", "-I", "harness.py"]


class CodeVerifier(Verifier):
    """Scores code by running tests in `sandbox` (default: the shared `auto` backend)."""

    name = "code"
    uses_public_tests = True

    def __init__(
        self,
        sandbox: Sandbox | None = None,
        *,
        backend: str = "auto",
        partial_credit: bool = False,
        timeout_s: float = 5.0,
        compile_timeout_s: float = 30.0,
        memory_mb: int = 512,
        max_workers: int = 4,
        total_timeout_s: float = 20.0,
        max_code_bytes: int = 1_000_000,
        build_cache: BuildCache | None = None,
    ) -> None:
        for label, value in (
            ("timeout_s", timeout_s),
            ("compile_timeout_s", compile_timeout_s),
            ("total_timeout_s", total_timeout_s),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{label} must be a number of seconds, got {value!r}")
            if not 0 < value <= 3600:
                raise ValueError(f"{label} must be in (0, 3600] seconds, got {value!r}")
        for label, value, least in (
            ("memory_mb", memory_mb, 8),
            ("max_workers", max_workers, 1),
            ("max_code_bytes", max_code_bytes, 1),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ValueError(f"{label} must be an int of at least {least}, got {value!r}")
        if sandbox is None and backend != "auto" and backend not in backend_names():
            raise ValueError(
                f"unknown sandbox backend {backend!r}; choose one of {['auto', *backend_names()]}"
            )
        self._sandbox = sandbox
        self.backend = backend
        self.partial_credit = partial_credit
        self.timeout_s = timeout_s
        self.compile_timeout_s = compile_timeout_s
        self.memory_mb = memory_mb
        self.max_workers = max_workers
        self.total_timeout_s = total_timeout_s
        self.max_code_bytes = max_code_bytes
        self.build_cache = build_cache if build_cache is not None else SHARED_BUILDS

    @property
    def sandbox(self) -> Sandbox:
        if self._sandbox is None:
            self._sandbox = shared_sandbox(self.backend)
        return self._sandbox

    # reference handling -----------------------------------------------------------------------
    @staticmethod
    def parse_reference(reference: Any) -> dict[str, Any]:
        """The reference as a validated dict; ValueError says what is wrong."""
        if isinstance(reference, str):
            try:
                reference = json.loads(reference)
            except json.JSONDecodeError as exc:
                raise ValueError(f"code reference is not valid JSON: {exc}") from exc
        if not isinstance(reference, dict):
            raise ValueError("code reference must be a dict with 'tests'")
        tests = reference.get("tests")
        if not isinstance(tests, list) or not tests or not all(isinstance(t, dict) for t in tests):
            raise ValueError("code reference needs a non-empty list of test dicts under 'tests'")
        get_language(reference.get("language", "python"))
        if "fn_name" in reference:
            if not isinstance(reference["fn_name"], str) or not reference["fn_name"].isidentifier():
                raise ValueError("fn_name must be a Python identifier")
            for test in tests:
                if "expected" not in test:
                    raise ValueError("function-call tests need 'expected'")
                if not isinstance(test.get("args", []), list) or not isinstance(
                    test.get("kwargs", {}), dict
                ):
                    raise ValueError("function-call tests need 'args' (list) and 'kwargs' (dict)")
            for index, test in enumerate(tests):
                for key in ("args", "kwargs", "expected"):
                    if key in test and not _json_data(test[key]):
                        raise ValueError(
                            f"tests[{index}].{key} must be JSON data (None, bools, numbers that "
                            "are finite, strings, lists, dicts with string keys): the program "
                            "gets and returns nothing else, so no result could ever equal it"
                        )
        else:
            for test in tests:
                if "expected_stdout" not in test and "checker" not in reference:
                    raise ValueError("stdin/stdout tests need 'expected_stdout' (or a checker)")
        if reference.get("compare", "whitespace") not in COMPARE_MODES:
            raise ValueError(f"compare must be one of {COMPARE_MODES}")
        _check_limits(reference, tests)
        return reference

    def reference_response(self, reference: Any) -> str | None:
        ref = self.parse_reference(reference)
        solution = ref.get("solution")
        if not solution:
            return None
        lang = get_language(ref.get("language", "python"))
        return f"```{lang.name}\n{solution}\n```"

    def time_limit_s(self, reference: Any = None) -> float:
        """The most seconds one `verify` of `reference` may take with every limit run out (a
        compile, each test's margin, a task's checker program), plus a few seconds for sandbox
        start-up: what a caller's deadline must stay above, or a slow program the policy wrote
        would end as the hub's failure. Without a reference, a task of 16 tests is assumed."""
        if isinstance(reference, str):  # a reference may be given as its JSON text
            try:
                reference = json.loads(reference)
            except ValueError:
                reference = None
        ref = reference if isinstance(reference, dict) else {}
        tests = ref.get("tests") if isinstance(ref.get("tests"), list) else [{}] * 16
        limit = self.total_timeout_s + 0.5 * len(tests) + 3.0 + self.compile_timeout_s
        checker = ref.get("checker")
        if isinstance(checker, dict):
            each = checker.get("timeout_s", 10.0)
            each = float(each) if isinstance(each, (int, float)) else 10.0
            limit += self.compile_timeout_s + each * len(tests)
        return limit + 5.0

    # scoring ----------------------------------------------------------------------------------
    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        ref = self.parse_reference(reference)
        shown = _case_keys(context.get("public_tests"))  # checked before any run
        tag, code = extract_code(response)
        if code is None or not code.strip():
            return Verdict.unparseable("no fenced code block in the response")
        size = len(code.encode("utf-8", "surrogatepass"))
        if size > self.max_code_bytes:
            return Verdict(
                reward=0.0,
                status="error",
                components={"tests_passed": 0.0},
                detail=f"the program is {size} bytes, over the limit of {self.max_code_bytes}",
            )
        try:
            if "fn_name" in ref:
                verdict = self._verify_function(code, ref, shown)
            else:
                lang = get_language(ref.get("language", "python"))
                if tag and is_language(tag) and not ref.get("strict_language", False):
                    lang = get_language(tag)
                verdict = self._verify_stdio(code, lang, ref, shown)
        except _Infra as exc:
            return Verdict(reward=0.0, status="infra_error", detail=str(exc))
        if verdict.detail:  # program-written text may hold lone surrogates: keep it encodable
            detail = verdict.detail.encode("utf-8", "replace").decode("utf-8")
            verdict = verdict.model_copy(update={"detail": detail})
        return verdict

    def verify_batch(
        self, responses: Sequence[str], references: Sequence[Any], **context: Any
    ) -> list[Verdict]:
        """Verifies responses concurrently (sandbox runs are independent)."""
        if len(responses) != len(references):
            raise ValueError(
                f"verify_batch got {len(responses)} responses and {len(references)} references"
            )
        with ThreadPoolExecutor(self.max_workers) as pool:
            return list(
                pool.map(lambda p: self.verify(p[0], p[1], **context), zip(responses, references))
            )

    def _box(self) -> Sandbox:
        """The sandbox; `_Infra` when there is none (no backend here, a bad backend name): the
        hub's failure, an `infra_error` verdict like a backend that fails to start."""
        try:
            return self.sandbox
        except Exception as exc:
            raise _Infra(f"sandbox unavailable: {exc}") from exc

    def _run(self, request: ExecRequest) -> ExecResult:
        box = self._box()
        try:
            result = box.run(request)
        except Exception as exc:  # a backend that cannot even start is the hub's failure
            raise _Infra(f"sandbox unavailable: {exc}") from exc
        if result.status == "infra_error":
            raise _Infra(f"sandbox failed: {result.detail}")
        return result

    def _backend_id(self) -> str:
        """Names the toolchain a compilation ran with (compiled binaries are cached per backend)."""
        box = self._box()
        kind = f"{type(box).__module__}.{type(box).__qualname__}"
        return f"{kind}:{box.name}:{getattr(box, 'image', '')}"

    def _private_tmp(self) -> bool:
        """Whether each sandbox run has its own /tmp and /dev/shm, which the runner may then
        wipe between test cases (never on `local`, whose /tmp is the host's; through a sandbox
        server, as its backend: it was never, so over `remote` a case saw what the one before
        it left in /tmp)."""
        box = self._box()
        if box.name == "remote":  # a sandbox server: its own backend's
            served = getattr(box, "served_backend", None)
            return callable(served) and served() in ("bwrap", "docker")
        return box.name in ("bwrap", "docker")

    @staticmethod
    def _compile_failed(text: str) -> Verdict:
        return Verdict(
            reward=0.0,
            status="error",
            components={"tests_passed": 0.0, "compiled": 0.0},
            detail=f"compilation failed: {text[-1500:]}",
        )

    def _build(self, code: str, lang: Language) -> dict[str, str | bytes] | Verdict:
        """The files to run: the source, or the compiled binary (a Verdict on compile error);
        compiled once per distinct source (see BuildCache)."""
        if lang.compile is None:
            return {lang.source: code}
        binary_name = lang.binary or "main"
        command = argv(lang.compile, lang)
        key = self.build_cache.key(self._backend_id(), command, code)
        cached = self.build_cache.get(key)
        if cached is None:
            result = self._run(
                ExecRequest(
                    command=command,
                    files={lang.source: code},
                    timeout_s=self.compile_timeout_s,
                    memory_mb=max(self.memory_mb, 1024),
                    output_files=[binary_name],
                    output_limit_bytes=100_000,
                )
            )
            binary = result.files.get(binary_name)
            if result.status == "ok" and binary is not None:
                cached = ("binary", binary)
            else:
                cached = ("error", result.stderr[-1500:])
            if result.status != "timeout":  # a timeout may be the machine's load: retried
                self.build_cache.put(key, *cached)
        if cached[0] == "error":
            return self._compile_failed(str(cached[1]))
        return {binary_name: cached[1]}

    def _verdict(
        self,
        outcomes: list[str],
        tests: list[Any],
        detail: str | None,
        shown: frozenset[str] = frozenset(),
    ) -> Verdict:
        """Reward 1.0 when every test passes; with `partial_credit`, the passing fraction of the
        tests the prompt does not show (`shown` holds the `case_key` of those it does): a
        program that only reproduces the shown examples earns nothing for them. With no hidden
        test, all count."""
        total = len(tests)
        passed = outcomes.count("pass")
        components = {"tests_passed": passed / total}
        if passed == total:
            return Verdict(reward=1.0, status="correct", components=components)
        failure = next(o for o in outcomes if o != "pass")
        status = {"timeout": "timeout", "error": "error"}.get(failure, "incorrect")
        if not self.partial_credit:
            return Verdict(reward=0.0, status=status, components=components, detail=detail)
        counted = [o for o, t in zip(outcomes, tests) if case_key(t) not in shown] or outcomes
        credit = counted.count("pass") / len(counted)
        if len(counted) < total:
            components["hidden_tests_passed"] = credit
        if credit:
            status = "partial"
        return Verdict(reward=credit, status=status, components=components, detail=detail)

    def _verify_stdio(
        self, code: str, lang: Language, ref: dict[str, Any], shown: frozenset[str] = frozenset()
    ) -> Verdict:
        """One sandbox run: the in-sandbox runner compiles once (or takes the cached binary)
        and runs every test as its own process with its own deadline; only inputs go in,
        outputs come back as data."""
        tests = ref["tests"]
        per_test = [float(t.get("timeout_s", ref.get("timeout_s", self.timeout_s))) for t in tests]
        cap = int(ref.get("output_limit_bytes", _default_cap(tests)))
        spec: dict[str, Any] = {
            "mode": "python" if lang.name == "python" else "exec",
            "source": lang.source,
            "run": argv(lang.run, lang),
            "output_limit": cap,
            "stop_on_failure": not self.partial_credit,
            "total_s": self.total_timeout_s,
            "wipe_shared_tmp": self._private_tmp(),
            "tests": [
                {"stdin": str(t.get("stdin", "")), "timeout_s": s} for t, s in zip(tests, per_test)
            ],
        }
        files: dict[str, str | bytes] = {"harness.py": RUNNER_SOURCE, lang.source: code}
        output_files: list[str] = []
        key = None
        if lang.compile:
            # the spec (every test's stdin) travels in the same request as a cached binary
            spec_bytes = len(json.dumps(spec)) + 4096
            binary_name = lang.binary or "main"
            command = argv(lang.compile, lang)
            key = self.build_cache.key(self._backend_id(), command, code)
            cached = self.build_cache.get(key)
            if cached is not None and cached[0] == "error":
                return self._compile_failed(str(cached[1]))
            if cached is not None and _fits(files, cached[1], spec_bytes):
                files[binary_name] = cached[1]
                key = None  # nothing to learn from this run
            else:  # not compiled yet, or too large to send in with the sources: compiled there
                spec.update(
                    compile=command, compile_timeout_s=self.compile_timeout_s, binary=binary_name
                )
                output_files = [binary_name]
        budget = (
            min(sum(per_test), self.total_timeout_s)
            + 0.5 * len(tests)
            + 3.0
            + (self.compile_timeout_s if "compile" in spec else 0)
        )
        result = self._run(
            ExecRequest(
                command=RUNNER,
                files=files,
                stdin=json.dumps(spec),
                timeout_s=budget,
                memory_mb=max(
                    int(ref.get("memory_mb", self.memory_mb)), 1024 if lang.compile else 0
                ),
                output_limit_bytes=_stdio_report_cap(cap, len(tests)),
                output_files=output_files,
            )
        )
        _check_report_room(result, _right_stdio_report(tests))
        if result.status != "ok":
            status = "timeout" if result.status == "timeout" else "error"
            return Verdict(
                reward=0.0,
                status=status,
                components={"tests_passed": 0.0},
                detail=f"the test harness did not finish ({result.status})",
            )
        report = _last_json(result.stdout)
        if report is None:
            return Verdict(
                reward=0.0,
                status="error",
                components={"tests_passed": 0.0},
                detail="no test results",
            )
        if key is not None and isinstance(report, dict):
            binary = result.files.get(output_files[0])
            if binary is not None and not _fits(files, binary):
                binary = None  # could never be sent in: not worth keeping
            self._learn_build(key, report, binary)
        if isinstance(report, dict) and "compile_error" in report:
            return self._compile_failed(str(report["compile_error"]))
        runs = report.get("results") if isinstance(report, dict) else None
        if (
            not isinstance(runs, list)
            or len(runs) != len(tests)
            or not all(isinstance(r, dict) for r in runs)
        ):
            return Verdict(
                reward=0.0,
                status="error",
                components={"tests_passed": 0.0},
                detail="malformed test results",
            )
        mode = ref.get("compare", "whitespace")
        rel_tol, abs_tol = float(ref.get("rel_tol", 1e-6)), float(ref.get("abs_tol", 1e-9))
        outcomes: list[str] = []
        detail = None
        for index, (run, test) in enumerate(zip(runs, tests)):
            raw = _raw(run.get("stdout_b64"))
            stdout = raw.decode("utf-8", "replace")
            if run.get("status") == "ok":
                if "checker" in ref:
                    ok = self._check(ref["checker"], str(test.get("stdin", "")), raw, test)
                else:
                    ok = outputs_match(stdout, str(test["expected_stdout"]), mode, rel_tol, abs_tol)
                outcome = "pass" if ok else "wrong"
            else:
                outcome = "timeout" if run.get("status") == "timeout" else "error"
            outcomes.append(outcome)
            if outcome != "pass" and detail is None:
                detail = (
                    f"test {index}: {outcome} ({run.get('status')}, exit {run.get('exit_code')})"
                )
                if outcome == "wrong":
                    detail += f"; your output began: {stdout[:300]!r}"
                elif run.get("stderr"):
                    detail += f"; stderr ended: {str(run['stderr'])[-500:]!r}"
        return self._verdict(outcomes, tests, detail, shown)

    def _check(
        self, checker: dict[str, Any], stdin: str, output: bytes, test: dict[str, Any]
    ) -> bool:
        """Whether the task's checker accepts `output`, the bytes the program printed (as
        text, each invalid byte took 3 bytes of U+FFFD and the checker never saw it)."""
        lang = get_language(checker.get("language", "python"))
        files = self._build(str(checker["code"]), lang)
        if isinstance(files, Verdict):
            raise _Infra("the task's checker program does not compile")
        files = {
            **files,
            "input.txt": stdin,
            "expected.txt": str(test.get("expected_stdout", "")),
        }
        # the output went into the request unmeasured: past MAX_FILES_BYTES the request raised
        # ValueError, reported as the hub's failure. Far more than a right output (twice the
        # expected one) is wrong; where even that could not be sent, the hub cannot check here
        sent = sum(len(_to_bytes(v)) for v in files.values())
        if sent + len(output) > MAX_FILES_BYTES:
            right = 2 * len(_to_bytes(files["expected.txt"])) + 65_536
            if sent + right <= MAX_FILES_BYTES:
                return False
            raise _Infra("the checker's files are over what one sandbox request may carry")
        result = self._run(
            ExecRequest(
                command=[*argv(lang.run, lang), "input.txt", "output.txt", "expected.txt"],
                files={**files, "output.txt": output},
                timeout_s=float(checker.get("timeout_s", 10.0)),
                memory_mb=int(checker.get("memory_mb", 512)),
            )
        )
        return result.status == "ok"

    def _learn_build(self, key: str, report: dict[str, Any], binary: bytes | None) -> None:
        """Cache what this run's compilation gave: the error text, or the binary when it is
        byte-for-byte what the compiler wrote (the runner hashed it before any test ran)."""
        if "compile_error" in report:
            text = str(report["compile_error"])
            if text != "compilation timed out":  # may be the machine's load: retried
                self.build_cache.put(key, "error", text[-1500:])
        elif binary is not None and report.get("binary_sha256") == _sha256(binary):
            self.build_cache.put(key, "binary", binary)

    def _verify_function(
        self, code: str, ref: dict[str, Any], shown: frozenset[str] = frozenset()
    ) -> Verdict:
        if get_language(ref.get("language", "python")).name != "python":
            raise ValueError("function-call tests are supported for Python only")
        tests = ref["tests"]
        per_test = [float(t.get("timeout_s", ref.get("timeout_s", self.timeout_s))) for t in tests]
        max_result = _default_cap(tests)
        spec = {
            "mode": "function",
            "module": "solution",
            "fn_name": ref["fn_name"],
            "max_result_bytes": max_result,
            "stop_on_failure": not self.partial_credit,
            "total_s": self.total_timeout_s,
            "wipe_shared_tmp": self._private_tmp(),
            "tests": [
                {"args": t.get("args", []), "kwargs": t.get("kwargs", {}), "timeout_s": s}
                for t, s in zip(tests, per_test)
            ],
        }
        result = self._run(
            ExecRequest(
                command=RUNNER,
                files={"harness.py": RUNNER_SOURCE, "solution.py": code},
                stdin=json.dumps(spec),
                timeout_s=min(sum(per_test), self.total_timeout_s) + 2.0 + 0.2 * len(tests),
                memory_mb=int(ref.get("memory_mb", self.memory_mb)),
                output_limit_bytes=_report_cap(tests, max_result),
            )
        )
        _check_report_room(result, _right_function_report(tests))
        if result.status != "ok":
            status = "timeout" if result.status == "timeout" else "error"
            return Verdict(
                reward=0.0,
                status=status,
                components={"tests_passed": 0.0},
                detail=f"the test harness did not finish ({result.status})",
            )
        report = _last_json(result.stdout)
        reports = report.get("results") if isinstance(report, dict) else None
        if not isinstance(reports, list) or len(reports) != len(tests):
            return Verdict(
                reward=0.0,
                status="error",
                components={"tests_passed": 0.0},
                detail="no test results",
            )
        rel_tol, abs_tol = float(ref.get("rel_tol", 1e-9)), float(ref.get("abs_tol", 1e-9))
        outcomes: list[str] = []
        detail = None
        for index, (report, test) in enumerate(zip(reports, tests)):
            status = report.get("status") if isinstance(report, dict) else None
            if status == "ok" and values_equal(
                report.get("value"), test["expected"], rel_tol, abs_tol
            ):
                outcomes.append("pass")
                continue
            outcome = {"ok": "wrong", "timeout": "timeout"}.get(str(status), "error")
            outcomes.append(outcome)
            if detail is None:
                detail = f"test {index}: {outcome}"
                if status == "error":
                    detail += f" ({str(report.get('error'))[:200]})"
        return self._verdict(outcomes, tests, detail, shown)


def _json_data(value: Any) -> bool:
    """Whether `value` is what JSON carries unchanged (tuples as lists): a set, NaN, an object
    or a dict with int keys as an expected value failed every right program (its result comes
    back as JSON), so such a reference was a task nobody could solve, silently."""
    stack = [value]
    while stack:
        item = stack.pop()
        if item is None or type(item) in (bool, int, str):
            continue
        if type(item) is float:
            if not math.isfinite(item):
                return False
        elif type(item) in (list, tuple):
            stack.extend(item)
        elif type(item) is dict:
            if not all(type(key) is str for key in item):
                return False
            stack.extend(item.values())
        else:
            return False
    return True


def _check_limits(ref: dict[str, Any], tests: list[dict[str, Any]]) -> None:
    """ValueError naming the field when a limit, a tolerance, a test's text or the checker of
    `ref` is malformed. They were read as they came: a negative `timeout_s` or
    `output_limit_bytes` failed every right program (scored 0, not refused), a list as `stdin`
    or None as `expected_stdout` was compared as its repr, a checker without code raised a
    KeyError after the program had run."""

    def number(value: Any) -> bool:
        return (
            not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
        )

    def seconds(where: dict[str, Any], label: str) -> None:
        value = where.get("timeout_s")
        if "timeout_s" in where and not (number(value) and 0 < value <= 3600):
            raise ValueError(
                f"{label}timeout_s must be a number of seconds in (0, 3600], got {value!r}"
            )

    def whole(where: dict[str, Any], key: str, least: int, most: int, label: str = "") -> None:
        value = where.get(key)
        if key in where and (
            isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most
        ):
            raise ValueError(f"{label}{key} must be an int in [{least}, {most}], got {value!r}")

    seconds(ref, "")
    whole(ref, "memory_mb", 8, 65536)
    whole(ref, "output_limit_bytes", 1, 256 * 1024 * 1024)
    for key in ("rel_tol", "abs_tol"):
        if key in ref and not (number(ref[key]) and ref[key] >= 0):
            raise ValueError(f"{key} must be a finite number >= 0, got {ref[key]!r}")
    for index, test in enumerate(tests):
        seconds(test, f"tests[{index}].")
        for key in ("stdin", "expected_stdout"):
            if key in test and not isinstance(test[key], str):
                raise ValueError(
                    f"tests[{index}].{key} must be a str, got {type(test[key]).__name__}"
                )
    if "checker" in ref:
        checker = ref["checker"]
        if not isinstance(checker, dict) or not isinstance(checker.get("code"), str):
            raise ValueError("checker must be a dict with the checker program as 'code' (a str)")
        get_language(checker.get("language", "python"))
        seconds(checker, "checker.")
        whole(checker, "memory_mb", 8, 65536, "checker.")


#: the most a request may carry (files and stdin) when it sends a cached binary in. Far below
#: MAX_FILES_BYTES: a remote sandbox server refuses bodies over 32 MiB by default and base64
#: adds a third, so a program that compiles to a large binary (a big static array) got its
#: second verification answered 413, an `infra_error` the program caused. Larger binaries are
#: compiled there again.
MAX_SENT_BYTES = 16 * 1024 * 1024


#: the least a test's output (stdout, or a function's result as JSON) may be
DEFAULT_OUTPUT_CAP = 1_000_000
#: the most the default cap grows to for a task whose expected outputs are large
MAX_OUTPUT_CAP = 64 * 1024 * 1024


def _default_cap(tests: list[dict[str, Any]]) -> int:
    """The output cap of a task that sets none: 1 MB, or room for twice its largest expected
    output (stdout as UTF-8, a result as JSON) and 64 KiB more. A fixed 1 MB failed every right
    program of a task whose answer is larger (200,000 numbers, one per line: 1.4 MB), as
    `output_limit`. What the sandbox learns of it is a bound on the largest expected output,
    and only when that output is over ~470 KB."""
    largest = 0
    for test in tests:
        if isinstance(test.get("expected_stdout"), str):
            largest = max(largest, len(test["expected_stdout"].encode("utf-8", "surrogatepass")))
        if "expected" in test:
            largest = max(largest, len(json.dumps(test["expected"])))
    return min(MAX_OUTPUT_CAP, max(DEFAULT_OUTPUT_CAP, 2 * largest + 65_536))


def _report_cap(tests: list[dict[str, Any]], max_result: int) -> int:
    """The most a function-call run may print: room for each case's result to be as large as
    twice its expected value's JSON (64 KiB at least, `max_result` at most), times 3 (the report
    re-encodes results as ASCII JSON, at most 3 bytes per byte of UTF-8). A fixed 4 MB failed
    correct programs whose expected results were large only together, while results far larger
    than any expected one are wrong anyway and must not reach the hub's memory as JSON objects.
    Only the hub knows this cap: the sandbox never learns anything of the expected values."""
    room = sum(
        min(max_result, 2 * len(json.dumps(t["expected"], default=str)) + 65_536) for t in tests
    )
    return min(256 * 1024 * 1024, 3 * room + 1_000_000)


def _right_stdio_report(tests: list[dict[str, Any]]) -> int | None:
    """About the most a right program's stdin/stdout report takes (its outputs as base64 of
    the expected ones' size, the end of its stderr, the statuses); None when a checker decides
    (no expected output to size it by)."""
    if not all(isinstance(t.get("expected_stdout"), str) for t in tests):
        return None
    return 65_536 + sum(
        4 * (len(t["expected_stdout"].encode("utf-8", "surrogatepass")) // 3 + 1) + 8_192
        for t in tests
    )


def _right_function_report(tests: list[dict[str, Any]]) -> int:
    """About the most a right function's report takes (each expected value as ASCII JSON)."""
    return 65_536 + sum(3 * len(json.dumps(t["expected"], default=str)) + 512 for t in tests)


#: more than the runner itself ever writes to its stderr (a traceback, when it fails)
RUNNER_STDERR_MOST = 65_536


def _check_report_room(result: ExecResult, right: int | None) -> None:
    """The runner never prints more than the verifier asks room for, so a report cut short
    (`output_limit`) was cut by a backend that allows less (a sandbox server's ceiling). When
    what came back is less than a right program's report needs, the hub cannot score this
    task there: `_Infra`, masked, never a right answer scored 0. When it is more, the program
    printed more than any right one: its own `error`, as before. So is a flooded stderr
    (the runner writes a traceback there at most): compiler warnings once filled it."""
    if result.status != "output_limit" or len(result.stderr) > RUNNER_STDERR_MOST:
        return  # a flooded stderr: only what the runner ran can write that much there
    if right is None or len(result.stdout) < right:
        raise _Infra(
            f"the sandbox cut the test report at {len(result.stdout)} bytes, below what a right "
            "program's needs (a sandbox server's output ceiling?)"
        )


def _stdio_report_cap(cap: int, tests: int) -> int:
    """The most a stdin/stdout run may print: per test, its stdout as base64 (4 bytes per 3 of
    the `cap` the runner keeps) and a status with the end of its stderr (1000 bytes, at most 6
    bytes each as JSON escapes, and a clean-up problem of at most 300 characters); 1 MB for the
    rest (a compile error). It was 7 x the cap per test, for stdout as JSON text: 3 tests asked
    more than a remote server's default 16 MiB, and the hub held 6 x what a program printed."""
    per_test = 4 * (cap // 3 + 1) + 16_384
    return min(256 * 1024 * 1024, per_test * tests + 1_000_000)


def _raw(data: Any) -> bytes:
    """A program's output as the runner sent it (base64 of its bytes); empty when malformed."""
    if not isinstance(data, str):
        return b""
    try:
        return base64.b64decode(data, validate=True)
    except (ValueError, binascii.Error):
        return b""


def _to_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


def _fits(files: dict[str, str | bytes], binary: bytes | str, stdin_bytes: int = 0) -> bool:
    """Whether `files` and a compiled `binary` fit in one sandbox request together, on every
    backend (remote included), beside `stdin_bytes` of stdin: the spec with every test's input,
    which counted for nothing, so a task with 13 MB of inputs and a program with a 10 MB
    binary sent a 33 MiB body on the second verification (413: `infra_error`)."""
    sent = sum(len(v) for v in files.values()) + len(binary)
    return sent <= MAX_FILES_BYTES and sent + stdin_bytes <= MAX_SENT_BYTES


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _last_json(stdout: str) -> Any:
    """The runner's report: the JSON on the last non-empty line of its stdout, or None."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    try:
        return json.loads(lines[-1]) if lines else None
    except (ValueError, RecursionError):  # a returned value nested deeper than this stack allows
        return None


def case_key(test: Any) -> str:
    """A test case as comparable text: the prompt's shown tests (`public_tests`) are copies of
    some of the task's, found among them by this key."""
    return json.dumps(test, sort_keys=True, default=repr)


def _case_keys(public: Any) -> frozenset[str]:
    """The shown tests (`public_tests=` context) as keys; a list of test dicts or None."""
    if public is None:
        return frozenset()
    if not isinstance(public, (list, tuple)) or not all(isinstance(t, dict) for t in public):
        raise ValueError("public_tests must be a list of test dicts")
    return frozenset(case_key(t) for t in public)
