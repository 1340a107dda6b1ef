"""The "writing a backend" recipe of docs/sandboxes.md works as written, and the registry,
`auto` and the errors behave as documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import gymhub.errors
from gymhub.sandboxes import ExecRequest, ExecResult, Sandbox, build_result, factory
from gymhub.sandboxes.errors import SandboxConfigError, SandboxError, UnsupportedLanguageError

ROOT = Path(__file__).resolve().parents[2]


def _recipe() -> str:
    page = (ROOT / "docs" / "sandboxes.md").read_text()
    section = page.split("## Writing a backend", 1)[1]
    match = re.search(r"<!-- runnable -->\n```python\n(.*?)\n```", section, re.S)
    assert match, "the recipe's runnable block is missing"
    return match.group(1)


def test_the_documented_recipe_runs():
    out = subprocess.run(
        [sys.executable, "-c", _recipe()], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr[-3000:]


class _Tiny(Sandbox):
    """A backend in a test module: one class, registered with one line."""

    name = "tiny"
    strength = 99

    def run(self, request: ExecRequest) -> ExecResult:
        return build_result(
            self.name, request, exit_code=0, signum=None, stdout=b"tiny", stderr=b"",
            timed_out=False, truncated=False, wall_s=0.0,
        )  # fmt: skip


@pytest.fixture()
def registry(monkeypatch):
    monkeypatch.setattr(factory, "_BACKENDS", dict(factory._BACKENDS))
    monkeypatch.delenv("GYMHUB_SANDBOX", raising=False)
    return factory


def test_a_registered_backend_is_picked_by_name_and_by_strength(registry):
    registry.register_backend("tiny", _Tiny)
    assert registry.get_sandbox("tiny").run(ExecRequest(command=["x"])).stdout == "tiny"
    assert registry.available_backends()[0] == "tiny"  # strongest first
    assert isinstance(registry.get_sandbox("auto"), _Tiny)


def test_auto_skips_unavailable_and_non_isolating_backends(registry):
    class Gone(_Tiny):
        name = "gone"
        strength = 100

        @classmethod
        def available(cls) -> bool:
            return False

    class Broken(_Tiny):
        name = "broken"
        strength = 101

        @classmethod
        def available(cls) -> bool:
            raise OSError("probe crashed")

    class Unsafe(_Tiny):
        name = "unsafe"
        strength = 0

    registry._BACKENDS.clear()
    for cls in (Gone, Broken, Unsafe):
        registry.register_backend(cls.name, cls)
    assert registry.available_backends() == ["unsafe"]
    with pytest.raises(SandboxError, match="allow_local"):
        registry.get_sandbox("auto")
    assert isinstance(registry.get_sandbox("auto", allow_local=True), Unsafe)
    registry.register_backend("tiny", _Tiny)
    assert isinstance(registry.get_sandbox("auto"), _Tiny)


def test_bad_registrations_and_names_are_clear_errors(registry):
    with pytest.raises(SandboxConfigError, match="Sandbox subclass"):
        registry.register_backend("thing", object)  # type: ignore[arg-type]
    with pytest.raises(SandboxConfigError, match="invalid"):
        registry.register_backend("auto", _Tiny)
    with pytest.raises(SandboxConfigError, match="unknown sandbox backend 'nope'"):
        registry.get_sandbox("nope")


def test_shared_sandbox_is_one_per_backend_and_closes(registry, monkeypatch):
    closed = []
    monkeypatch.setattr(_Tiny, "close", lambda self: closed.append(self))
    monkeypatch.setattr(factory, "_SHARED", {})
    registry.register_backend("tiny", _Tiny)
    first = factory.shared_sandbox("tiny")
    assert factory.shared_sandbox("tiny") is first
    factory.close_shared_sandboxes()
    assert closed == [first] and factory.shared_sandbox("tiny") is not first


def test_every_deliberate_sandbox_error_is_a_gymhub_error():
    import gymhub.sandboxes.errors as errors
    from gymhub.policies import PolicyError
    from gymhub.sandboxes.languages import get_language

    assert gymhub.errors.GymhubError is errors.GymhubError
    for cls in (SandboxError, SandboxConfigError, UnsupportedLanguageError, PolicyError):
        assert issubclass(cls, gymhub.errors.GymhubError), cls
    for raise_it in (
        lambda: factory.get_sandbox("nope"),
        lambda: get_language("cobol"),
        lambda: factory.get_sandbox("remote", url=""),
    ):
        with pytest.raises(gymhub.errors.GymhubError):
            raise_it()
    # the built-in types they replace still catch them
    with pytest.raises(ValueError):
        get_language("cobol")


def test_results_are_assembled_by_one_rule():
    req = ExecRequest(command=["x"], timeout_s=10, cpu_time_s=2)

    def status(**kw) -> str:
        base = dict(exit_code=None, signum=None, stdout=b"", stderr=b"", timed_out=False,
                    truncated=False, wall_s=0.1)  # fmt: skip
        return build_result("t", req, **{**base, **kw}).status

    assert status(exit_code=0) == "ok"
    assert status(exit_code=3) == "nonzero_exit"
    assert status(signum=24) == "timeout"  # SIGXCPU: the soft CPU limit
    assert status(signum=9, wall_s=1.9) == "timeout"  # SIGKILL at the hard CPU limit
    assert status(signum=9, wall_s=0.2) == "nonzero_exit"  # SIGKILL long before it
    assert status(signum=9, oom_killed=lambda: True) == "memory_limit"
    assert status(exit_code=1, stderr=b"MemoryError\n") == "memory_limit"
    assert status(exit_code=0, truncated=True) == "output_limit"
    assert status(exit_code=0, timed_out=True) == "timeout"
    assert build_result("t", req, exit_code=None, signum=15, stdout=b"\xff", stderr=b"",
                        timed_out=False, truncated=False, wall_s=0.1).exit_code == 143  # fmt: skip
