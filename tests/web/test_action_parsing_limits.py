"""Reading an action costs time linear in its size: every shape of hostile text up to the action
length limit is refused (or read) at once, and so are tool calls by the ten thousand. No browser
needed."""

from __future__ import annotations

import time
import warnings

import pytest

from gymhub.envs.gui.env import _answer_text
from gymhub.envs.web.actions import MAX_ACTION_CHARS, BrowserAction, parse_text
from gymhub.types import Action, ToolCall

N = MAX_ACTION_CHARS - 10


@pytest.mark.parametrize(
    "text",
    [
        "```" + "a" * N,  # an unclosed fence and a long 'language' word: was 1.1 s
        "``` " + " " * N,
        "```" + "a " * (N // 2),
        "```" * (N // 3),
        "```a" * (N // 4),
        "```\n" + "click(" * (N // 6),
    ],
)
def test_hostile_text_is_read_in_linear_time(text: str) -> None:
    start = time.process_time()
    with pytest.raises(ValueError):
        parse_text(text)
    assert time.process_time() - start < 0.3


def test_fenced_blocks_are_still_read() -> None:
    text = 'I will type it.\n```python\nfill("3", "a b")\n```\nThat is all.'
    assert parse_text(text) == BrowserAction("fill", ("3", "a b"))
    assert parse_text('```\nclick("4")\n``` then ```') == BrowserAction("click", ("4",))


def test_gui_reads_many_tool_calls_in_linear_time() -> None:
    """GUIGround looked each distinct point of an answer's tool calls up in a list: 30,000
    native calls (2 MB, under a server's 4 MiB body limit) took 3 s of CPU, a whole body of them
    about 30 s, past the server's step deadline: an `infra_error` the policy chose."""
    calls = [ToolCall(id=f"c{i}", name="click", arguments={"x": i, "y": i}) for i in range(30_000)]
    start = time.process_time()
    text = _answer_text(Action(content="", tool_calls=calls))
    assert time.process_time() - start < 1.0
    assert text.count("click(") == 30_000  # every point reaches the verifier: a hedge


def test_odd_literals_in_model_output_print_no_syntax_warnings() -> None:
    """Python's parser warned on stderr about odd literals in the model's text, one line in the
    hub's log per candidate call (up to 1,000 an action); they are the policy's errors only."""
    with warnings.catch_warnings(record=True) as log:  # the filters in force, recorded
        for text in ("click(3j0)", "fill(0x1g, 'a')", "click(1if 1else 2)", "click(1_0a)\n" * 50):
            with pytest.raises(ValueError):
                parse_text(text)
        assert not [w for w in log if issubclass(w.category, SyntaxWarning)]
        compile("1if 1else 2", "<elsewhere>", "eval")  # other code's parsing still warns
        assert [w for w in log if issubclass(w.category, SyntaxWarning)]
