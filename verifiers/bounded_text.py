"""Policy text with long whitespace runs squeezed, before the answer readers' regexes see it.

Many readers open with `\\s*` or `[\\s*_]*` and are tried at many positions; on a run of n blank
characters each try scans the rest of the run, so a reply of 200,000 newlines took minutes in
`MultipleChoice` and seconds in `ExactMatch`. No answer needs more than a few blanks in a row, so
a run longer than `MAX_BLANK_RUN` is cut to what it separates: a paragraph break, a line break or
a space. Code is never squeezed (its whitespace is meaning); only readers of answers call this.
"""

from __future__ import annotations

import re

#: the longest run of whitespace kept as written
MAX_BLANK_RUN = 16

_LONG_BLANK_RUN = re.compile(rf"\s{{{MAX_BLANK_RUN + 1},}}")


def _cut(run: re.Match[str]) -> str:
    newlines = run.group().count("\n")
    return "\n\n" if newlines > 1 else "\n" if newlines else " "


def squeeze_blank_runs(text: str) -> str:
    """`text` with every whitespace run longer than `MAX_BLANK_RUN` cut to a paragraph break,
    a line break or a space (what the run held). Linear time; shorter runs are left alone."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return _LONG_BLANK_RUN.sub(_cut, text)
