"""Answers of the truth-teller/liar families (knights and knaves, web of lies): every person
named with one of two labels, written as "name: label" pairs."""

from __future__ import annotations


def format_labels(names: list[str], labels: dict[str, str]) -> str:
    """The "name: label" pairs in the order of `names`, separated by commas."""
    return ", ".join(f"{name}: {labels[name]}" for name in names)


def one_flipped(names: list[str], labels: dict[str, str], kinds: tuple[str, str]) -> list[str]:
    """Answers with one person's label swapped for the other of `kinds`: the first person, the
    middle one and the last one (each once). With a unique solution each of these is wrong."""
    swap = {kinds[0]: kinds[1], kinds[1]: kinds[0]}
    out = []
    for i in sorted({0, len(names) // 2, len(names) - 1}):
        out.append(
            ", ".join(
                f"{n}: {swap[labels[n]] if j == i else labels[n]}" for j, n in enumerate(names)
            )
        )
    return out
