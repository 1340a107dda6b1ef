"""Synthetic screens for GUI grounding: seeded HTML layouts (forms, toolbars, dialogs, lists,
icon grids) whose target elements carry a `data-gt` description.

The difficulty knob (1..5) raises the number of panels and elements, adds clutter (decorative
boxes and text) and shrinks fonts and padding so that targets get small.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

SCREEN_W, SCREEN_H = 800, 600

_WORDS = (
    "Save Open Close Delete Rename Share Export Import Print Refresh Search Settings Help Undo "
    "Redo Copy Paste Upload Download Archive Send Reply Forward Edit Filter Sort Apply Cancel"
).split()
_FIELDS = "Name Email Phone City Country Company Street Password Username Website Title".split()
_PEOPLE = "Alice Bruno Chloe Dmitri Elena Farid Greta Hiro Ines Jonas Kira Lena Mateo".split()
# symbols present in DejaVu Sans, named for the instruction
_ICONS = {
    "home": "⌂",
    "mail": "✉",
    "star": "★",
    "settings": "⚙",
    "scissors": "✂",
    "pencil": "✎",
    "menu": "☰",
    "phone": "☎",
    "check": "✔",
    "warning": "⚠",
    "music": "♫",
    "sun": "☀",
    "cloud": "☁",
    "flag": "⚑",
    "heart": "♥",
}
_COLORS = ["#1f6feb", "#2da44e", "#cf222e", "#8250df", "#bf8700", "#57606a", "#0a7ea4"]


@dataclass
class Screen:
    html: str
    #: gt id -> human description ("the \"Save\" button")
    targets: dict[str, str]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class _Builder:
    def __init__(self, rng: random.Random, difficulty: int) -> None:
        self.rng, self.d = rng, difficulty
        self.targets: dict[str, str] = {}
        self.used: set[str] = set()

    def target(self, description: str) -> str:
        """A `data-gt` attribute for a target with a unique description ("" if taken)."""
        if description in self.used:
            self.targets.pop(
                next((k for k, v in self.targets.items() if v == description), ""), None
            )
            return ""
        self.used.add(description)
        gt = f"t{len(self.used)}"
        self.targets[gt] = description
        return f" data-gt='{gt}'"

    def quoted(self, label: str, rest: str) -> str:
        return self.target(f'the "{label}" {rest}')

    def style(self) -> str:
        font = max(9, 16 - 2 * (self.d - 1) + self.rng.randint(-1, 1))
        pad = max(1, 7 - self.d - self.rng.randint(0, 1))
        return f"font-size:{font}px;--pad:{pad}px"

    def form(self) -> str:
        fields = self.rng.sample(_FIELDS, min(len(_FIELDS), 2 + self.d))
        rows = "".join(
            f"<div class='row'><label>{_e(f)}</label>"
            f"<input{self.target(f'the {f} text field')} placeholder='{_e(f.lower())}'></div>"
            for f in fields
        )
        buttons = "".join(
            f"<button{self.quoted(b, 'button')}>{_e(b)}</button>"
            for b in self.rng.sample(_WORDS, 2)
        )
        title = self.rng.choice(["Profile", "Contact", "Account", "Billing", "Shipping"])
        return f"<div class='panel'><h3>{title}</h3>{rows}<div>{buttons}</div></div>"

    def toolbar(self) -> str:
        names = self.rng.sample(list(_ICONS), min(len(_ICONS), 3 + self.d))
        items = "".join(
            f"<span class='tool'{self.target(f'the {n} icon')} title='{n}'>{_ICONS[n]}"
            + (f"<small>{n}</small>" if self.d <= 2 else "")
            + "</span>"
            for n in names
        )
        return f"<div class='panel toolbar'>{items}</div>"

    def dialog(self) -> str:
        title = self.rng.choice(
            ["Unsaved changes", "Delete file?", "Update available", "Session expired"]
        )
        yes, no = self.rng.sample(["OK", "Yes", "Continue", "Discard", "Retry"], 2)
        checkbox = self.target('the "Don\'t ask again" checkbox')
        return (
            f"<div class='panel dialog'><b>{_e(title)}</b><p>Do you want to proceed?</p>"
            f"<label><input type='checkbox'{checkbox}> Don't ask again</label><br>"
            f"<button{self.quoted(yes, 'button in the dialog')}>{yes}</button>"
            f"<button{self.quoted(no, 'button in the dialog')}>{no}</button></div>"
        )

    def listing(self) -> str:
        people = self.rng.sample(_PEOPLE, min(len(_PEOPLE), 2 + self.d))
        action = self.rng.choice(["Edit", "Remove", "View"])
        rows = "".join(
            f"<li>{p} <a href='#'{self.quoted(action, 'link in the row of ' + p)}>{action}</a></li>"
            for p in people
        )
        return f"<div class='panel'><h3>Members</h3><ul>{rows}</ul></div>"

    def clutter(self) -> str:
        out = []
        for _ in range(2 * (self.d - 1)):
            x, y = self.rng.randint(0, SCREEN_W - 80), self.rng.randint(0, SCREEN_H - 40)
            color = self.rng.choice(_COLORS)
            text = " ".join(self.rng.sample(_WORDS, 2)).lower()
            out.append(
                f"<div class='clutter' style='left:{x}px;top:{y}px;border-color:{color}'>"
                f"{text}</div>"
            )
        return "".join(out)


_CSS = """
*{box-sizing:border-box}body{margin:0;width:{W}px;height:{H}px;overflow:hidden;background:#f6f8fa;
font-family:DejaVu Sans,sans-serif;position:relative}
.panel{position:absolute;background:#fff;border:1px solid #d0d7de;border-radius:6px;
padding:calc(var(--pad)*2)}
.panel h3{margin:0 0 6px 0;font-size:1.05em}.row{display:flex;gap:6px;margin:3px 0;
align-items:center}.row label{width:6em}input{font:inherit;padding:var(--pad);width:11em}input[type=checkbox]{width:auto;padding:0}
button{font:inherit;padding:var(--pad) calc(var(--pad)*2);margin:3px;border-radius:4px;
border:1px solid #888;background:#eaeef2}.toolbar{display:flex;gap:4px}
.tool{display:inline-flex;flex-direction:column;align-items:center;padding:var(--pad);
font-size:1.4em;border:1px solid #ccc;border-radius:4px}.tool small{font-size:0.45em}
.dialog{box-shadow:0 4px 16px rgba(0,0,0,.3)}ul{margin:0;padding-left:1.2em}li{margin:2px 0}
.clutter{position:absolute;border:2px solid;padding:2px;font-size:11px;color:#888;opacity:.6;
pointer-events:none}
""".replace("{W}", str(SCREEN_W)).replace("{H}", str(SCREEN_H))


def generate(rng: random.Random, difficulty: int) -> Screen:
    """A screen of `1 + difficulty // 2` to `2 + difficulty // 2` panels at seeded positions."""
    b = _Builder(rng, difficulty)
    kinds = [b.form, b.toolbar, b.dialog, b.listing]
    n_panels = min(4, rng.randint(1 + difficulty // 2, 2 + difficulty // 2))
    chosen = rng.sample(kinds, n_panels)
    # one panel per cell of a 2x2 grid, jittered inside the cell
    cells = rng.sample([(0, 0), (1, 0), (0, 1), (1, 1)], n_panels)
    panels = []
    for make, (cx, cy) in zip(chosen, cells):
        x = cx * SCREEN_W // 2 + rng.randint(8, 60)
        y = cy * SCREEN_H // 2 + rng.randint(8, 40)
        inner = make()
        panels.append(
            inner.replace(
                "class='panel", f"style='left:{x}px;top:{y}px;{b.style()}' class='panel", 1
            )
        )
    body = b.clutter() + "".join(panels)
    doc = (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{_CSS}</style></head>"
        f"<body>{body}</body></html>"
    )
    return Screen(html=doc, targets=dict(b.targets))
