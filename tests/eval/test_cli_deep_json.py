"""JSON given on the command line nested thousands deep (`--options '{"a": [[[[...'`) is the
user's input: a clear error naming the option, never a RecursionError traceback."""

from __future__ import annotations

import pytest
import typer

from gymhub.cli.common import parse_json_object
from gymhub.cli.play import InputError, tool_call_from_command
from gymhub.cli.rm import _json_option
from gymhub.types import ToolSpec
from tests.eval.test_cli_eval import gymhub_cli

DEEP = '{"a": ' + "[" * 5000 + "]" * 5000 + "}"


def test_eval_refuses_deep_options_with_a_clear_error():
    out = gymhub_cli("eval", "gymhub/Capitals-v0", "--policy", "reference", "--options", DEEP)
    assert out.returncode == 2, (out.returncode, out.stderr[-1000:])
    assert "Traceback" not in out.stderr and "--options" in out.stderr
    assert "nested too deeply" in out.stderr


def test_the_shared_parsers_name_deep_json():
    with pytest.raises(typer.Exit):
        parse_json_object(DEEP)
    with pytest.raises(typer.BadParameter, match="nested too deeply"):
        _json_option(DEEP, "--env-kwargs")


def test_play_refuses_a_deep_tool_argument():
    tool = ToolSpec(
        name="f",
        description="d",
        parameters={"type": "object", "properties": {"x": {"type": "array"}}},
    )
    with pytest.raises(InputError, match="not a valid array"):
        tool_call_from_command("/tool f x=" + "[" * 5000 + "]" * 5000, [tool], 0)
