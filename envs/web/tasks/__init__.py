"""The local task suite (MiniWoB++-style). Importing this package fills `TASKS`."""

from gymhub.envs.web.tasks import apps, forms  # noqa: F401  (registers the task classes)
from gymhub.envs.web.tasks.base import TASKS, WebTask

__all__ = ["TASKS", "WebTask"]
