"""One module per adapter for `benchmarks/integrations.py`.

Each module defines `NAME: str` and `measure(env_id: str, episodes: int) -> float`, the env
steps per second through that adapter on `env_id`, and may define `ENV_ID` when the adapter
needs a particular kind of env (multi-turn, tools). A module whose library is not installed
raises ImportError and is reported as skipped.
"""
