"""Adapters that plug gymhub envs into outside RL trainers and env hubs.

One module per project (`trl`, `openenv`, `verifiers`, `verl`, `openrlhf`, `skyrl`,
`nemo_gym`), each a thin layer over `gymhub.make`, `areset`/`astep`, `Verdict` and the
token-exact runner. Each imports its library lazily and is installed with its own extra
(`pip install "gymhub[trl]"`), so importing this package costs nothing.
"""

from __future__ import annotations
