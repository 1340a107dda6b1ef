"""The ExecRequest/ExecResult contract, identical on every backend (local, bwrap, docker)."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError

from gymhub.sandboxes import ExecRequest, get_sandbox
from gymhub.sandboxes.languages import LANGUAGES, get_language


def py(code: str, files: dict | None = None, **kw) -> ExecRequest:
    return ExecRequest(
        command=["python3", "-I", "main.py"], files={"main.py": code, **(files or {})}, **kw
    )


def test_hello_stdin_and_exit_code(sandbox):
    r = sandbox.run(py("import sys\nprint(sys.stdin.read().upper())", stdin="abc"))
    assert r.status == "ok" and r.exit_code == 0 and r.stdout == "ABC\n"
    assert r.backend == sandbox.name
    r = sandbox.run(py("import sys\nprint('x', file=sys.stderr)\nsys.exit(3)"))
    assert r.status == "nonzero_exit" and r.exit_code == 3 and r.stderr == "x\n"


def test_files_in_and_selected_files_out(sandbox):
    blob = bytes(range(256))
    code = "d=open('data/in.bin','rb').read()\nopen('out.bin','wb').write(d[::-1])\nopen('junk','w').write('no')"
    r = sandbox.run(py(code, files={"data/in.bin": blob}, output_files=["out.bin", "missing"]))
    assert r.status == "ok", r
    assert r.files == {"out.bin": blob[::-1]}


def test_wall_clock_deadline(sandbox):
    r = sandbox.run(py("import time\ntime.sleep(60)", timeout_s=1))
    assert r.status == "timeout"
    assert r.wall_s < 10


def test_cpu_deadline(sandbox):
    r = sandbox.run(py("while True: pass", timeout_s=20, cpu_time_s=1))
    assert r.status == "timeout"
    assert r.wall_s < 15


def test_memory_limit(sandbox):
    r = sandbox.run(py("x = bytearray(1024 * 1024 * 1024)\nprint(len(x))", memory_mb=256))
    assert r.status == "memory_limit", r
    assert "1073741824" not in r.stdout


def test_output_limit_truncates(sandbox):
    r = sandbox.run(
        py(
            "import sys\nwhile True: sys.stdout.write('x' * 65536)",
            output_limit_bytes=10_000,
            timeout_s=10,
        )
    )
    assert r.status == "output_limit"
    assert len(r.stdout) <= 10_000


def test_environment_is_cleared(sandbox, monkeypatch):
    monkeypatch.setenv("GYMHUB_HOST_SECRET", "hunter2-host-secret")
    r = sandbox.run(py("import os\nprint(sorted(os.environ.items()))", env={"MY_VAR": "given"}))
    assert r.status == "ok"
    assert "hunter2-host-secret" not in r.stdout
    assert "'MY_VAR', 'given'" in r.stdout


@pytest.mark.parametrize(
    "lang,code",
    [
        (
            "c",
            '#include <stdio.h>\nint main(){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a*b);return 0;}',
        ),
        (
            "cpp",
            "#include <iostream>\nint main(){int a,b;std::cin>>a>>b;std::cout<<a*b<<std::endl;}",
        ),
        ("bash", "read a b\necho $((a*b))"),
        ("python", "a,b=map(int,input().split())\nprint(a*b)"),
    ],
)
def test_languages_from_the_table(sandbox, lang, code):
    spec = get_language(lang)
    files = {spec.source: code}
    if spec.compile:
        built = sandbox.run(
            ExecRequest(
                command=[a.format(src=spec.source, bin=spec.binary) for a in spec.compile],
                files=files,
                output_files=[spec.binary],
                memory_mb=1024,
                timeout_s=60,
            )
        )
        assert built.status == "ok", built.stderr
        files = {spec.binary: built.files[spec.binary]}
    r = sandbox.run(
        ExecRequest(
            command=[a.format(src=spec.source, bin=spec.binary) for a in spec.run],
            files=files,
            stdin="6 7\n",
        )
    )
    assert r.status == "ok", r
    assert r.stdout.strip() == "42"


def test_missing_program_is_the_programs_failure(sandbox):
    r = sandbox.run(ExecRequest(command=["definitely-not-a-program-xyz"]))
    assert r.status == "nonzero_exit"


async def test_async_runs_concurrently(sandbox):
    results = await asyncio.gather(*(sandbox.arun(py(f"print({i} * 2)")) for i in range(4)))
    assert [r.stdout.strip() for r in results] == ["0", "2", "4", "6"]


def test_bad_requests_raise_clear_errors():
    with pytest.raises(ValidationError, match="relative path"):
        ExecRequest(command=["true"], files={"../escape": "x"})
    with pytest.raises(ValidationError, match="relative path"):
        ExecRequest(command=["true"], files={"/etc/passwd": "x"})
    with pytest.raises(ValidationError, match="non-empty"):
        ExecRequest(command=[])
    with pytest.raises(ValidationError, match="timeout_s"):
        ExecRequest(command=["true"], timeout_s=0)
    with pytest.raises(ValidationError, match="environment variable"):
        ExecRequest(command=["true"], env={"BAD NAME": "x"})
    with pytest.raises(ValueError, match="unknown sandbox backend"):
        get_sandbox("nope")
    with pytest.raises(ValueError, match="unsupported language"):
        get_language("cobol")


def test_language_table_is_small_and_complete():
    assert {"python", "c", "cpp", "bash"} <= set(LANGUAGES)
    assert get_language("c++").name == "cpp" and get_language("py").name == "python"


def test_wire_format_round_trip():
    req = ExecRequest(command=["x"], files={"a": b"\x00\xff", "b": "text"}, stdin=b"\x01")
    back = ExecRequest.from_wire(req.to_wire())
    assert back.file_bytes() == {"a": b"\x00\xff", "b": b"text"} and back.stdin_bytes() == b"\x01"
