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
    gymhub.register(
        "test/Easy-v1", "gymhub.envs.basic.guess_number:GuessNumberEnv", kwargs={"difficulty": 1}
    )
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


@pytest.fixture
def scratch_ids():
    """Env ids a test registers, removed afterwards so later tests see the registry as before."""
    from gymhub import registry

    before = set(registry._REGISTRY)
    yield
    for env_id in set(registry._REGISTRY) - before:
        del registry._REGISTRY[env_id]
        gymnasium.registry.pop(env_id, None)


class _Echo(gymhub.Env):
    """An env whose constructor arguments share names with spec metadata."""

    def __init__(self, family: str = "", tags: tuple[str, ...] = (), difficulty: int = 1) -> None:
        super().__init__()
        self.args = (family, tags, difficulty)


def test_env_arguments_and_metadata_are_separate_parameters(scratch_ids):
    spec = gymhub.register(
        "test/Named-v0",
        _Echo,
        kwargs={"family": "env-arg", "tags": ("x",)},
        family="metadata",
        tags=("meta",),
        difficulty_range=(1, 4),
        override=True,
    )
    assert (spec.family, spec.tags, spec.kwargs) == (
        "metadata",
        ("meta",),
        {"family": "env-arg", "tags": ("x",)},
    )
    env = gymhub.make("test/Named-v0", difficulty=3.0)
    assert env.args == ("env-arg", ("x",), 3) and isinstance(env.args[2], int)
    with pytest.warns(DeprecationWarning, match="kwargs="):
        old = gymhub.register("test/OldStyle-v0", _Echo, tags=("meta",), difficulty=2)
    assert old.kwargs == {"difficulty": 2} and old.tags == ("meta",)
    with pytest.raises(RegistrationError, match="kwargs must be a dict"):
        gymhub.register("test/BadKw-v0", _Echo, kwargs=[("family", "x")])  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [(5, 1), (1,), (1.5, 3), "1-5", (True, 3)])
def test_difficulty_range_is_checked_at_registration(bad, scratch_ids):
    with pytest.raises(RegistrationError, match="difficulty_range"):
        gymhub.register("test/BadRange-v0", _Echo, difficulty_range=bad)


def test_the_spec_range_is_enforced_for_make_and_reset(scratch_ids):
    gymhub.register("test/Ranged-v0", _Echo, difficulty_range=(1, 4), override=True)
    for bad in (0, 5, 2.5):
        with pytest.raises(gymhub.InvalidOptionsError, match="integer in 1..4"):
            gymhub.make("test/Ranged-v0", difficulty=bad)
    env = gymhub.make("test/Ranged-v0")
    assert env.difficulty_range == (1, 4)
    with pytest.raises(gymhub.InvalidOptionsError, match="option 'difficulty'"):
        env.validate_options({"difficulty": 9})
    assert env.validate_options({"difficulty": 4.0}) == {"difficulty": 4}
    # every built-in env with a difficulty states its range in its spec, checked the same way
    for env_id in ("gymhub/MathGen-v0", "gymhub/ToyArith-v0", "gymhub/GuessNumber-v0"):
        lo, hi = gymhub.spec(env_id).difficulty_range
        with pytest.raises(gymhub.InvalidOptionsError, match=f"integer in {lo}..{hi}"):
            gymhub.make(env_id).reset(seed=0, options={"difficulty": hi + 1})


def _fake_distribution(site, name: str, entry_points: dict[str, str]) -> None:
    """An installed distribution as importlib.metadata sees it (no pip run needed)."""
    info = site / f"{name}-0.0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.0.1\n")
    lines = "\n".join(f"{k} = {v}" for k, v in entry_points.items())
    (info / "entry_points.txt").write_text(f"[gymhub.envs]\n{lines}\n")


def _run(code: str, site, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(site), **env}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_broken_plugin_is_reported_once_and_skipped(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "good_gymhub_plugin.py").write_text(
        "import gymhub\n"
        "def register_envs():\n"
        "    gymhub.register('plugin/Good-v0', 'gymhub.envs.basic.capitals:make_capitals_env')\n"
    )
    (site / "raising_gymhub_plugin.py").write_text("raise RuntimeError('plugin bug')\n")
    _fake_distribution(
        site,
        "gymhub_test_plugins",
        {
            "good": "good_gymhub_plugin:register_envs",
            "raising": "raising_gymhub_plugin",
            "missing": "no_such_module_anywhere:register",
        },
    )
    out = _run(
        """
        import warnings
        warnings.simplefilter("always")
        import gymhub
        from gymhub import registry
        gymhub.make("gymhub/GuessNumber-v0").reset(seed=0)
        gymhub.list_envs(); gymhub.spec("plugin/Good-v0"); registry.load_plugins()
        print(sorted(registry.PLUGIN_ERRORS))
        """,
        site,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[0] == "['missing', 'raising']"
    assert out.stderr.count("skipping the gymhub.envs plugin 'raising'") == 1
    assert out.stderr.count("skipping the gymhub.envs plugin 'missing'") == 1
    assert "plugin bug" in out.stderr


def test_gymhub_plugins_variable_imports_user_modules(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "my_envs.py").write_text(
        "import gymhub\n"
        "gymhub.register('user/Mine-v0', 'gymhub.envs.basic.capitals:make_capitals_env',\n"
        "                family='mine')\n"
    )
    (site / "broken_envs.py").write_text("import not_installed_dependency\n")
    code = """
        import gymhub
        print([s.id for s in gymhub.list_envs(family="mine")])
        gymhub.make("user/Mine-v0").reset(seed=0)
        """
    out = _run(code, site, GYMHUB_PLUGINS=" my_envs , ")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['user/Mine-v0']"
    out = _run(code, site, GYMHUB_PLUGINS="my_envs,broken_envs")
    assert out.returncode != 0
    assert "RegistrationError" in out.stderr and "'broken_envs'" in out.stderr
    assert "not_installed_dependency" in out.stderr


def test_gymhub_plugins_finds_modules_in_the_working_directory(tmp_path):
    """As for a console script (`gymhub list`), the working directory is not on sys.path."""
    (tmp_path / "cwd_envs.py").write_text(
        "import gymhub\n"
        "gymhub.register('user/Cwd-v0', 'gymhub.envs.basic.capitals:make_capitals_env')\n"
    )
    code = "import sys, gymhub; assert '' not in sys.path; print(gymhub.spec('user/Cwd-v0').id)"
    out = subprocess.run(
        [sys.executable, "-I", "-c", code],
        cwd=tmp_path,
        env={**os.environ, "GYMHUB_PLUGINS": "cwd_envs"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "user/Cwd-v0"
