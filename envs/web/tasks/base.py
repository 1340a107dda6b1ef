"""What a web task is: seeded parameters, pages served by the local server, a trusted check and a
scripted reference plan.

A task is drawn from `(rng, difficulty)` in `__init__` (`setup`), serves its pages through
`pages(method, path, params, state)`, and is scored by `check(state, message)` from the server-side
state only. Posting to the path `submit` ends the episode (its fields land in `state.outcome`);
`send_msg` ends it too, with the message passed to `check`.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # the server module (http.server) loads with the env, not at registration
    from gymhub.envs.web.server import SiteState


TASKS: dict[str, type[WebTask]] = {}

_CSS = """
body{font-family:DejaVu Sans,sans-serif;font-size:14px;margin:16px;color:#222;max-width:900px}
button,input,select,textarea{font:inherit;margin:3px}button{padding:4px 10px}
table{border-collapse:collapse}td,th{border:1px solid #aaa;padding:3px 8px}
.tabs button[aria-selected=true]{font-weight:bold;border-bottom:3px solid #36c}
.zone{border:2px dashed #888;min-height:60px;padding:6px;margin:6px;width:200px;display:inline-block;
vertical-align:top}.card{border:1px solid #555;padding:4px;margin:4px;background:#eef;cursor:grab}
.error{color:#b00}
"""

Step = tuple[Any, ...]


@dataclass(frozen=True)
class Redirect:
    """What `pages` returns to send the browser on to another page of the site (`303 See
    Other`): a form post that changes state (add to cart) answers with a redirect, so the page
    the browser shows was fetched with GET and going back never posts the form again."""

    path: str


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def page(title: str, body: str, script: str = "") -> str:
    """A complete HTML document in the suite's style."""
    js = f"<script>{script}</script>" if script else ""
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title>"
        f"<style>{_CSS}</style></head><body>{body}{js}</body></html>"
    )


def flat(params: dict[str, list[str]]) -> dict[str, Any]:
    """Form fields with one value as strings, repeated fields as lists."""
    return {k: v[0] if len(v) == 1 else list(v) for k, v in params.items()}


def words(rng: random.Random, pool: list[str], k: int) -> list[str]:
    return rng.sample(pool, k)


WORDS = (
    "apple river stone cloud maple tiger orbit amber cedar delta ember frost grove harbor ivory "
    "jasper kettle lemon meadow nickel olive pepper quartz raven saffron tulip umber violet walnut "
    "yarrow zephyr anchor bridge canyon dune falcon glacier hollow island jungle lagoon marble "
    "nectar oasis pebble quiver ridge summit thistle valley willow"
).split()
NAMES = (
    "Alice Bruno Chloe Dmitri Elena Farid Greta Hiro Ines Jonas Kira Lena Mateo Nadia Omar Priya "
    "Quinn Rosa Sven Tara Uma Viktor Wen Yara Zane"
).split()
COLORS = "Red Orange Yellow Green Teal Blue Indigo Violet Pink Brown Black White Gray Gold".split()


class WebTask:
    """Base class of the local task suite (one subclass per task)."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    max_steps: ClassVar[int] = 12
    start: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            TASKS[cls.name] = cls

    def __init__(self, rng: random.Random, difficulty: int = 1) -> None:
        self.rng = rng
        self.difficulty = difficulty
        self.goal = ""
        #: scripted reference steps; "#id" arguments name elements by their DOM id
        self.plan: list[Step] = []
        self.setup()

    # ----- what tasks implement ---------------------------------------------------------------
    def setup(self) -> None:
        raise NotImplementedError

    def pages(
        self, method: str, path: str, params: dict[str, list[str]], state: SiteState
    ) -> str | Redirect | None:
        raise NotImplementedError

    def check(self, outcome: dict[str, Any], state: SiteState, message: str | None) -> bool:
        """Whether the task was done, from the server-side state."""
        raise NotImplementedError

    # ----- shared machinery -------------------------------------------------------------------
    def render(
        self, method: str, path: str, params: dict[str, list[str]], state: SiteState
    ) -> str | Redirect | None:
        if path == "submit" and method == "POST" and not state.done:
            state.done = True
            state.outcome = flat(params)
            return page("Submitted", "<h2>Thank you, your answer was recorded.</h2>")
        return self.pages(method, path, params, state)

    def score(self, state: SiteState, message: str | None) -> tuple[float, str]:
        ok = bool(self.check(state.outcome, state, message))
        return (1.0, "task completed") if ok else (0.0, "task not completed")

    def submit_form(self, inner: str, button: str = "Submit", button_id: str = "submit") -> str:
        return (
            f"<form method='post' action='submit' id='task-form'>{inner}"
            f"<button type='submit' id='{button_id}'>{esc(button)}</button></form>"
        )
