"""Registry: ids, metadata, gymnasium.make, suggestions, third-party plugins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import gymnasium
import pytest

import gymhub
from gymhub.errors import RegistrationError, UnknownEnvError


def test_reference_envs_listed_with_metadata():
    ids = {s.id for s in gymhub.list_envs()}
    assert {"gymhub/Capitals-v0", "gymhub/GuessNumber-v0", "gymhub/UnitConvert-v0"} <= ids
    spec = gymhub.spec("gymhub/GuessNumber-v0")
    assert (spec.family, spec.multi_turn, spec.version) == ("basic", True, 0)
    assert spec.description
    assert [s.family for s in gymhub.list_envs(family="basic")] == ["basic"] * len(
        gymhub.list_envs(family="basic")
    )
    json.dumps(spec.to_dict())


def test_every_env_works_through_gymnasium_make():
    for spec in gymhub.list_envs(family="basic"):
        env = gymnasium.make(spec.id)
        obs, info = env.reset(seed=0)
        assert isinstance(obs, gymhub.Observation)
        env.close()


def test_unknown_id_suggests_close_matches():
    with pytest.raises(UnknownEnvError) as exc_info:
        gymhub.make("gymhub/GuesNumber-v0")
    assert "gymhub/GuessNumber-v0" in str(exc_info.value)
    with pytest.raises(UnknownEnvError, match="GuessNumber"):
        gymhub.spec("guessnumber-v0")
    with pytest.raises(TypeError):
        gymhub.spec(42)  # type: ignore[arg-type]


def test_short_id_without_namespace_resolves():
    assert gymhub.spec("GuessNumber-v0").id == "gymhub/GuessNumber-v0"


def test_register_validates():
    with pytest.raises(RegistrationError, match="namespace/Name-vN"):
        gymhub.register("no version", "x:y")
    with pytest.raises(RegistrationError):
        gymhub.register("test/Bad-v0", 42)  # type: ignore[arg-type]
    gymhub.register("test/Tmp-v0", "gymhub.envs.basic.guess_number:GuessNumberEnv")
    with pytest.raises(RegistrationError, match="already registered"):
        gymhub.register("test/Tmp-v0", "gymhub.envs.basic.capitals:make_capitals_env")
    env = gymhub.make("test/Tmp-v0", difficulty=1)
    assert env.env_id == "test/Tmp-v0"


def test_make_kwargs_override_defaults():
    gymhub.register("test/Easy-v1", "gymhub.envs.basic.guess_number:GuessNumberEnv", difficulty=1)
    assert gymhub.make("test/Easy-v1").difficulty == 1
    assert gymhub.make("test/Easy-v1", difficulty=4).difficulty == 4
    assert gymhub.spec("test/Easy-v1").version == 1


def test_third_party_plugin_via_entry_points(tmp_path):
    """A separately installed package registers an env through the `gymhub.envs` group."""
    pkg = tmp_path / "plugin_src"
    (pkg / "gymhub_demo_plugin").mkdir(parents=True)
    (pkg / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"
            [project]
            name = "gymhub-demo-plugin"
            version = "0.0.1"
            [project.entry-points."gymhub.envs"]
            demo = "gymhub_demo_plugin:register_envs"
            """
        )
    )
    (pkg / "gymhub_demo_plugin" / "__init__.py").write_text(
        textwrap.dedent(
            """
            import gymhub

            def register_envs():
                gymhub.register(
                    "plugin/Echo-v0",
                    "gymhub.envs.basic.capitals:make_capitals_env",
                    family="plugin",
                    description="registered by a third-party package",
                )
            """
        )
    )
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(pkg),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import gymhub, gymnasium; s = gymhub.spec('plugin/Echo-v0'); "
        "print(s.family); e = gymnasium.make('plugin/Echo-v0'); print(type(e.reset(seed=0)[0]).__name__)"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["plugin", "Observation"]


def test_editable_install_sees_new_modules(tmp_path):
    """A module added to a mapped folder (envs/) imports as gymhub.envs.* without reinstalling."""
    import pathlib
    import uuid

    import gymhub.envs

    name = f"_probe_{uuid.uuid4().hex[:8]}"
    path = pathlib.Path(gymhub.envs.__path__[0]) / f"{name}.py"
    path.write_text("VALUE = 42\n")
    try:
        out = subprocess.run(
            [sys.executable, "-c", f"import gymhub.envs.{name} as m; print(m.VALUE)"],
            capture_output=True,
            text=True,
        )
        assert out.stdout.strip() == "42", out.stderr
    finally:
        path.unlink()
