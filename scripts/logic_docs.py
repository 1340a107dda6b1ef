"""Writes the generated part of docs/logic.md from the code: the table of families with their
difficulty parameters and measured sizes, and one example question and gold answer per family.

    python scripts/logic_docs.py docs/logic.md     # rewrite the generated section in place
    python scripts/logic_docs.py                   # print it
"""

from __future__ import annotations

import sys
from pathlib import Path

from gymhub.envs.logic import FAMILIES, discover_families, env_id
from gymhub.envs.logic.env import generate_task

BEGIN = "<!-- BEGIN GENERATED: python scripts/logic_docs.py docs/logic.md -->"
END = "<!-- END GENERATED -->"
EXAMPLE_DIFFICULTY = 1
MAX_EXAMPLE_CHARS = 1_500


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    discover_families()
    out = [
        BEGIN,
        "",
        f"{len(FAMILIES)} families. `size` is the measured quantity that difficulty controls "
        "(seed 0 of each difficulty).",
        "",
        "| family | env id | what difficulty changes | size at d1 / d5 / d10 | partial credit |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, family in sorted(FAMILIES.items()):
        sizes = " / ".join(f"{family.size(generate_task(family, 0, 0, d)):g}" for d in (1, 5, 10))
        out.append(
            f"| `{name}` | `{env_id(family)}` | {_cell(family.difficulty_doc)} | {sizes} | "
            f"{'yes' if family.partial_credit else 'no'} |"
        )
    out += ["", "### Examples (difficulty 1, seed 0)", ""]
    for name, family in sorted(FAMILIES.items()):
        task = generate_task(family, 0, 0, EXAMPLE_DIFFICULTY)
        question = task.question
        if len(question) > MAX_EXAMPLE_CHARS:
            question = question[:MAX_EXAMPLE_CHARS] + "\n[...]"
        out += [
            f"#### {family.title} (`{name}`)",
            "",
            _cell(family.description),
            "",
            "```text",
            question.replace("```", "'''"),
            "```",
            "",
            "Gold answer:",
            "",
            "```text",
            f"<answer>{family.format_answer(task)}</answer>",
            "```",
            "",
        ]
    out.append(END)
    return "\n".join(out)


def update(path: Path) -> None:
    """Replace the generated section of `path` (appending it when the markers are missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + render() + tail
    else:
        text = text.rstrip() + "\n\n" + render() + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        update(Path(sys.argv[1]))
    else:
        print(render())
