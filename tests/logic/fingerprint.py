"""A fingerprint of every generated logic task, to prove a refactor left them byte-identical.

    python -m tests.logic.fingerprint          # print the digest (per-env digests with -v)
    python -m tests.logic.fingerprint --write  # store it in tests/logic/fingerprint.json

For each family env and Logic-Mix, seeds 0..SEEDS-1 at each of DIFFICULTIES, the digest covers
the prompt messages the env shows at reset, the reference action (the gold), the task id and the
task's answer and metadata. `test_fingerprint.py` compares it with the stored value.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import gymhub
from gymhub.envs.logic import FAMILIES, discover_families, env_id

SEEDS = 3
DIFFICULTIES = (1, 4, 7, 10)
MIX_SEEDS = 12
STORE = Path(__file__).with_name("fingerprint.json")


def _episode_record(env: gymhub.Env, seed: int, difficulty: int) -> str:
    obs, info = env.reset(seed=seed, options={"difficulty": difficulty})
    action = env.reference_action()
    task = env.task
    record = {
        "prompt": [m.model_dump(mode="json") for m in obs.messages],
        "gold": None if action is None else action.text,
        "task_id": info.get("task_id"),
        "answer": task.answer,
        "metadata": task.metadata,
    }
    return json.dumps(record, sort_keys=True, default=str)


def pinned_families() -> list[str]:
    """The families the stored fingerprint covers. Families added later are left out (their own
    tests cover them), so adding a family never changes the digests of the existing ones."""
    if not STORE.exists():
        return sorted(FAMILIES)
    stored = json.loads(STORE.read_text())["per_env"]
    return sorted(name for name, family in FAMILIES.items() if env_id(family) in stored)


def env_digest(id_: str, seeds: int, difficulties: tuple[int, ...], **kwargs: object) -> str:
    env = gymhub.make(id_, **kwargs)
    digest = hashlib.sha256()
    try:
        for difficulty in difficulties:
            for seed in range(seeds):
                digest.update(_episode_record(env, seed, difficulty).encode())
                digest.update(b"\0")
    finally:
        env.close()
    return digest.hexdigest()


def digests() -> dict[str, str]:
    discover_families()
    names = pinned_families()
    out = {env_id(FAMILIES[n]): env_digest(env_id(FAMILIES[n]), SEEDS, DIFFICULTIES) for n in names}
    # the mixture over the pinned families draws exactly what the default mixture drew then
    weights = {name: 1.0 for name in names}
    out["gymhub/Logic-Mix-v0"] = env_digest(
        "gymhub/Logic-Mix-v0", MIX_SEEDS, (2, 6), weights=weights
    )
    return out


_HASH_SEED_SCRIPT = """
import hashlib
from gymhub.envs.logic import FAMILIES, discover_families
from gymhub.envs.logic.env import generate_task
discover_families()
h = hashlib.sha256()
for name in {names}:
    for d in {difficulties!r}:
        h.update(generate_task(FAMILIES[name], {seed}, {index}, d).model_dump_json().encode())
print(h.hexdigest())
"""


def digests_under_hash_seeds(
    names: list[str] | None, difficulties: tuple[int, ...], seed: int, index: int
) -> set[str]:
    """The digest of the tasks of `names` (None: every family) at `difficulties`, computed in two
    fresh interpreters with different PYTHONHASHSEED: set and dict iteration orders of strings
    change with it, so a generator relying on them gives two digests instead of one."""
    code = _HASH_SEED_SCRIPT.format(
        names="sorted(FAMILIES)" if names is None else repr(list(names)),
        difficulties=tuple(difficulties),
        seed=seed,
        index=index,
    )
    out = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]
        out.add(done.stdout.strip())
    return out


def fingerprint(per_env: dict[str, str] | None = None) -> str:
    per_env = digests() if per_env is None else per_env
    return hashlib.sha256(json.dumps(per_env, sort_keys=True).encode()).hexdigest()


if __name__ == "__main__":
    per_env = digests()
    if "-v" in sys.argv:
        for name, value in per_env.items():
            print(value, name)
    if "--write" in sys.argv:
        record = {"fingerprint": fingerprint(per_env), "per_env": per_env}
        STORE.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    print(fingerprint(per_env))
