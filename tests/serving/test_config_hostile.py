"""Server limits that are not finite numbers are refused when the server is configured: a NaN
idle timeout passed every `<= 0` check, then no session was ever reaped and a full server
answered 422 'cannot convert float NaN to integer' instead of 503; a NaN or infinite step
deadline disabled the deadline that keeps a hung env from holding its session forever."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gymhub.server.sessions import ServerConfig

TIMEOUTS = [
    "idle_timeout_s",
    "step_timeout_s",
    "header_timeout_s",
    "body_timeout_s",
    "write_timeout_s",
    "disconnect_grace_s",
]


@pytest.mark.parametrize("field", TIMEOUTS)
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_timeout_that_is_not_a_finite_number_is_refused(field, value):
    with pytest.raises(ValueError, match=field):
        ServerConfig(**{field: value})


def test_finite_timeouts_are_taken():
    config = ServerConfig(idle_timeout_s=1e9, step_timeout_s=0.5, disconnect_grace_s=0.0)
    assert config.idle_timeout_s == 1e9 and config.disconnect_grace_s == 0.0


@pytest.mark.parametrize("flag", ["--idle-timeout", "--step-timeout", "--body-timeout"])
def test_the_serve_command_refuses_them_without_a_traceback(flag):
    out = subprocess.run(
        [sys.executable, "-m", "gymhub", "serve", "gymhub/Capitals-v0", flag, "nan"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2, (out.stdout[-500:], out.stderr[-2000:])
    assert "Traceback" not in out.stderr and "finite" in out.stderr


@pytest.mark.parametrize("command", [["gymhub", "serve"], ["gymhub.server"]])
def test_an_unknown_log_level_is_refused_without_a_traceback(command):
    out = subprocess.run(
        [sys.executable, "-m", *command, "gymhub/Capitals-v0", "--log-level", "zzz", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2, (out.stdout[-500:], out.stderr[-2000:])
    assert "Traceback" not in out.stderr and "zzz" in out.stderr
