"""Reading an action costs time linear in its text: every shape of hostile text up to the action
length limit is refused (or read) at once. No browser needed."""

from __future__ import annotations

import time

import pytest

from gymhub.envs.web.actions import MAX_ACTION_CHARS, BrowserAction, parse_text

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
