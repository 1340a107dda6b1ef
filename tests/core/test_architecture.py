"""Imports point down the layers of docs/architecture.md: every module's imports, read with `ast`.

A new module needs one line in LAYER_OF (a package line covers everything inside it); the test
names the modules it cannot place.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: source folder -> import name (setup.py maps the top-level folders into the gymhub namespace)
FOLDERS = {
    "gymhub": "gymhub",
    "envs": "gymhub.envs",
    "verifiers": "gymhub.verifiers",
    "sandboxes": "gymhub.sandboxes",
    "trainers": "gymhub.trainers",
}

#: module (or package: it covers its submodules) -> layer
LAYER_OF = {
    # foundation: standard library only; every layer may use them, sandboxes included
    "gymhub.errors": "foundation",
    "gymhub.lifecycle": "foundation",
    "gymhub.shutdown": "foundation",
    # base: the contract every other part builds on
    "gymhub": "base",  # the package facade: imports the registry, loads the rest lazily
    "gymhub.types": "base",
    "gymhub.spaces": "base",
    "gymhub.conversation": "base",
    "gymhub.env": "base",
    "gymhub.registry": "base",
    "gymhub.tasks": "base",
    "gymhub.tools": "base",
    "gymhub.task_env": "base",
    "gymhub.episode": "base",  # the one episode-stepping helper
    "gymhub.wrappers": "base",
    "gymhub.curriculum": "base",  # a Wrapper: adaptive difficulty for any env with a range
    # runtime: runs envs through the base contract
    "gymhub.rollout": "runtime",
    "gymhub.trace": "runtime",
    "gymhub.rollout_ray": "runtime",
    "gymhub.evaluation": "runtime",
    "gymhub.checker": "runtime",
    "gymhub.policies": "runtime",
    "gymhub.client": "runtime",  # the old import path of RemoteEnv, an alias of gymhub.remote
    "gymhub.remote": "runtime",
    # apps: what users start
    "gymhub.server": "apps",
    "gymhub.rm_server": "apps",
    "gymhub.cli": "apps",
    "gymhub.__main__": "apps",
    # around the core
    "gymhub.sandboxes": "sandboxes",
    "gymhub.verifiers": "verifiers",
    "gymhub.envs": "envs",
    "gymhub.trainers": "trainers",
    # adapters to outside trainers and hubs: they may start gymhub's servers and make any env
    "gymhub.trainers.integrations": "apps",
}

#: layer -> the other layers it may import (its own layer is always allowed)
MAY_IMPORT = {
    "foundation": set(),
    "sandboxes": {"foundation"},
    "base": {"foundation"},
    "verifiers": {"foundation", "base", "sandboxes"},
    "envs": {"foundation", "base", "verifiers", "sandboxes"},
    "runtime": {"foundation", "base", "verifiers", "sandboxes"},
    "trainers": {"foundation", "base", "runtime", "verifiers"},
    "apps": {"foundation", "base", "runtime", "verifiers", "sandboxes", "envs", "trainers"},
}

#: the deliberate exceptions, each with its reason: (importer, imported module) -> why
EXCEPTIONS = {
    ("gymhub.registry", "gymhub.envs"): "registers the built-in families (string entry points)",
    # debt: the offline stand-in reward model is built by trainer code; it belongs below envs
    ("gymhub.envs.rlhf.env", "gymhub.trainers.rm_train"): "builds the stand-in reward model",
    ("gymhub.envs.rlhf.env", "gymhub.trainers.tiny"): "builds the stand-in reward model",
}


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


def layer_of(module: str) -> str | None:
    best = None
    for key in LAYER_OF:
        covers = module == key or (key != "gymhub" and module.startswith(key + "."))
        if covers and (best is None or len(key) > len(best)):
            best = key
    return None if best is None else LAYER_OF[best]


def imports_of(module: str, path: Path, known: dict[str, Path]) -> list[tuple[int, str]]:
    """(line, gymhub module) for every gymhub import, wherever it is in the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names = [(base, a.name) for a in node.names]
        else:
            continue
        for name, attr in names:
            if name != "gymhub" and not name.startswith("gymhub."):
                continue
            if attr and f"{name}.{attr}" in known:  # `from gymhub import lifecycle`
                name = f"{name}.{attr}"
            while name not in known and "." in name:
                name = name.rpartition(".")[0]
            found.append((node.lineno, name))
    return found


def test_every_module_has_a_layer():
    unmapped = sorted(m for m in modules() if layer_of(m) is None)
    assert not unmapped, (
        f"modules without a layer: {unmapped}. Add each (or its package) to LAYER_OF in "
        "tests/core/test_architecture.py and to docs/architecture.md"
    )


def test_imports_point_down_the_layers():
    known = modules()
    wrong = []
    for module, path in known.items():
        here = layer_of(module)
        if here is None:
            continue
        for line, target in imports_of(module, path, known):
            there = layer_of(target)
            if there is None or there == here or there in MAY_IMPORT[here]:
                continue
            if (module, target) in EXCEPTIONS:
                continue
            rel = path.relative_to(ROOT)
            wrong.append(f"{rel}:{line}: {module} ({here}) imports {target} ({there})")
    assert not wrong, "imports against docs/architecture.md:\n" + "\n".join(wrong)


def test_the_layer_map_matches_the_docs():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for layer in MAY_IMPORT:
        assert f"**{layer}**" in text, f"docs/architecture.md does not describe the {layer} layer"
    for (module, target), why in EXCEPTIONS.items():
        assert f"`{module}` imports `{target}`" in text, f"undocumented exception: {why}"


def test_the_checker_finds_a_violation(tmp_path):
    """The rule can fail: an env module importing the trainer is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom gymhub.trainers import trainer\n")
    known = {**modules(), "gymhub.envs.bad": bad}
    [(line, target)] = imports_of("gymhub.envs.bad", bad, known)
    assert (line, target) == (2, "gymhub.trainers.trainer")
    assert layer_of(target) not in MAY_IMPORT[layer_of("gymhub.envs.bad")]
    assert layer_of("gymhub.brand_new_module") is None
