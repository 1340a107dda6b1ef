"""How to build and run a program in each supported language: adding one is a table entry.

`compile` (optional) turns the source into `binary`; `run` executes the program. Both are argv
lists run inside the sandbox's working folder, with `{src}` / `{bin}` substituted.
"""

from __future__ import annotations

from dataclasses import dataclass

from gymhub.sandboxes.errors import UnsupportedLanguageError


@dataclass(frozen=True)
class Language:
    name: str
    source: str
    run: tuple[str, ...]
    compile: tuple[str, ...] | None = None
    binary: str | None = None
    aliases: tuple[str, ...] = ()


LANGUAGES: dict[str, Language] = {
    lang.name: lang
    for lang in (
        Language("python", "main.py", ("python3", "-I", "{src}"), aliases=("py", "python3")),
        Language("bash", "main.sh", ("bash", "{src}"), aliases=("sh", "shell")),
        Language(
            "c",
            "main.c",
            ("./{bin}",),
            compile=("gcc", "-O2", "-std=c11", "-o", "{bin}", "{src}", "-lm"),
            binary="main",
        ),
        Language(
            "cpp",
            "main.cpp",
            ("./{bin}",),
            compile=("g++", "-O2", "-std=c++17", "-o", "{bin}", "{src}"),
            binary="main",
            aliases=("c++", "cxx", "cc"),
        ),
    )
}

_ALIASES = {alias: lang for lang in LANGUAGES.values() for alias in (lang.name, *lang.aliases)}


def get_language(name: str) -> Language:
    """The language called `name` (or an alias such as `py`, `c++`); UnsupportedLanguageError
    (a ValueError) if unknown."""
    lang = _ALIASES.get((name or "").strip().lower() if isinstance(name, str) else "")
    if lang is None:
        raise UnsupportedLanguageError(
            f"unsupported language {name!r}; supported: {sorted(LANGUAGES)}"
        )
    return lang


def is_language(name: str) -> bool:
    return isinstance(name, str) and name.strip().lower() in _ALIASES


def argv(template: tuple[str, ...], lang: Language) -> list[str]:
    return [a.format(src=lang.source, bin=lang.binary or "") for a in template]
