"""Web environments: the local MiniWoB++-style task suite in a real Chromium (see docs/web.md).

Every task class of `gymhub.envs.web.tasks` (pure Python) is one env, registered here from the
class's name and description; playwright and the browser load on `make`/`reset`.
"""

from gymhub.envs.web.tasks import TASKS
from gymhub.registry import register

for _name, _task in TASKS.items():
    register(
        f"gymhub/Web-{_name}-v0",
        "gymhub.envs.web.env:BrowserEnv",
        kwargs={"task": _name},
        family="web",
        description=f"Browser: {_task.description}",
        multi_turn=True,
        modalities=("text",),
        difficulty_range=(1, 5),
        task_source="generator:web",
        tags=("browser", "tools"),
    )
