"""`gymhub/GUIGround-v0`: find an element on a screenshot of a synthetic screen.

Each episode renders a seeded HTML screen in Chromium, picks a visible, unobstructed target and
asks "click the <element>". The observation is the instruction plus the PNG screenshot; the gold
box comes from the DOM and is never shown. Answer with `click(x, y)` (scored by point-in-box) or a
box `[x1, y1, x2, y2]` (scored by IoU with a box-size constraint). One step per episode.
"""

from __future__ import annotations

import base64
import math
import random
from typing import Any

from gymhub.env import Env, StepResult
from gymhub.envs.gui.screens import SCREEN_H, SCREEN_W, generate
from gymhub.envs.web.host import BrowserHost, Slot
from gymhub.errors import GymhubError
from gymhub.tasks import check_difficulty, derive_seed
from gymhub.tools import parse_text_tool_calls
from gymhub.types import Action, ImagePart, Message, Observation, Task, TextPart, Verdict
from gymhub.verifiers.extract import strip_think
from gymhub.verifiers.grounding import GroundingVerifier

#: how much of a reply (its end, where the answer is) is searched for tool calls written as
#: text; the tag scan costs time quadratic in the length (100,000 characters of `<tool_call>{`
#: took 8 s of CPU, 20,000 take 0.3 s)
MAX_TOOL_TEXT_CHARS = 20_000

# boxes of every target that is fully on screen and not covered at its centre
_BOXES_JS = """
() => {
  const out = {};
  for (const el of document.querySelectorAll('[data-gt]')) {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || r.left < 0 || r.top < 0 ||
        r.right > innerWidth || r.bottom > innerHeight) continue;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!hit || !(hit === el || el.contains(hit))) continue;
    out[el.dataset.gt] = [Math.floor(r.left), Math.floor(r.top), Math.ceil(r.right), Math.ceil(r.bottom)];
  }
  return out;
}
"""


#: coordinates are held within this distance of the origin: off any screen, still a number
_FAR = 1e7


def _coordinate(value: Any) -> float | None:
    """A tool call's x or y as a float held within +-_FAR, None for NaN; ValueError or
    TypeError when it is no number. An int too big for a float (400 digits) is far off the
    screen, not an error of the hub."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _FAR:
        return _FAR if value > 0 else -_FAR
    number = float(value)
    if math.isnan(number):
        return None
    return max(-_FAR, min(_FAR, number))


#: keys under which a tool call may give a point as one `[x, y]` pair besides `x`, `y`
#: (Qwen2.5-VL's `computer_use` call writes `{"action": "left_click", "coordinate": [x, y]}`)
_PAIR_KEYS = ("coordinate", "coordinates", "point", "position")


def _call_points(args: Any) -> list[tuple[float, float]]:
    """Every point a tool call's arguments give (`x`, `y` and each pair key), NaN ones left out;
    KeyError when they give none, ValueError or TypeError when one is no number. All of them
    go to the verifier: a call giving two different points is a hedge like two calls."""
    if not isinstance(args, dict):
        raise TypeError("tool-call arguments are not an object")
    raw = []
    if "x" in args or "y" in args:
        raw.append((args["x"], args["y"]))
    for key in _PAIR_KEYS:
        pair = args.get(key)
        if isinstance(pair, list) and len(pair) == 2:
            raw.append((pair[0], pair[1]))
    if not raw:
        raise KeyError("x")
    points = []
    for raw_x, raw_y in raw:
        x, y = _coordinate(raw_x), _coordinate(raw_y)
        if x is not None and y is not None:  # NaN: no point at all
            points.append((x, y))
    return points


def _points_of(calls: list[Any]) -> str:
    """The points of tool calls as `click(x, y)` text, each distinct point once. Fixed-point
    decimals, the form the verifier reads: `1e-07` or `1e+20` would not be read as a point, so
    a second call at such a point was no hedge. A call whose arguments give no point (bad or
    too deep JSON, no coordinates) adds nothing."""
    points: dict[str, None] = {}  # in order, each once: a list's `in` made 20,000 calls 4 s
    for call in calls:
        try:
            found = _call_points(call.parsed_arguments())
        except (ValueError, KeyError, TypeError):  # bad or too deep JSON: ValueError
            continue
        for x, y in found:
            points[f"click({x:.3f}, {y:.3f})"] = None
    return " ".join(points)


_OPEN_TAG, _CLOSE_TAG = "<tool_call>", "</tool_call>"
_HARMONY_CALL_END = "<|call|>"


def _answer_text(action: Action) -> str:
    """The reply as the verifier reads it: a tool call counts as the click it makes, written
    where the call is, and everything else the reply says stays in view, so one answer rule
    covers every form. A reply that called `click` at the target and also wrote another point
    (`<tool_call>...</tool_call> or click(10, 10)`, `... Actually [0, 0, 50, 50]`, a native
    call beside `click(10, 10)` in its text) was read by its calls alone and paid: a hedge.

    Native tool calls follow the text (after any `<think>` block). Calls written as text
    (`<tool_call>...`, as a model whose calls the trainer does not parse writes them; the last
    MAX_TOOL_TEXT_CHARS of the reply after any `<think>` block) are replaced in place by their
    points; in the other text formats, where the calls take the whole reply, the text after the
    last GPT-OSS `<|call|>` is kept after them."""
    text = strip_think(action.text)
    if action.tool_calls:
        return f"{text}\n{_points_of(list(action.tool_calls))}"
    tail = text[-MAX_TOOL_TEXT_CHARS:]
    calls = parse_text_tool_calls(tail)
    if not calls:
        return action.text  # plain text: the verifier reads it (and its <think> rule) itself
    # each `<tool_call>...</tool_call>` pair (the first closing tag after its opening one, as
    # the parser pairs them) becomes its points; a scan with str.find, linear in the text
    pieces, pos = [], 0
    while (start := tail.find(_OPEN_TAG, pos)) >= 0:
        end = tail.find(_CLOSE_TAG, start + len(_OPEN_TAG))
        if end < 0:
            break
        stop = end + len(_CLOSE_TAG)
        pieces += [tail[pos:start], " ", _points_of(parse_text_tool_calls(tail[start:stop])), " "]
        pos = stop
    if not pieces:  # the other formats: the calls take the whole reply, up to GPT-OSS's end
        after = tail.rpartition(_HARMONY_CALL_END)[2] if _HARMONY_CALL_END in tail else ""
        return f"{_points_of(calls)}\n{after}"
    pieces.append(tail[pos:])
    return "".join(pieces)


class GroundingEnv(Env):
    """GUI grounding from screenshots (see docs/envs/web.md)."""

    allowed_options = frozenset({"difficulty"})
    max_turns = 1
    #: also when built directly (make() sets the spec's, the same): reset options are checked
    difficulty_range = (1, 5)

    def __init__(self, difficulty: int = 2, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # the same rule as make() and reset(options=...), for an env built directly
        self.difficulty = check_difficulty(difficulty, self.difficulty_range)
        self.verifier = GroundingVerifier()
        self.host: BrowserHost | None = None
        self.slot: Slot | None = None
        self.box: list[int] | None = None

    def _reset(self, options: dict[str, Any]) -> Observation:
        if self._closed:
            raise GymhubError("the env is closed")
        d = options.get("difficulty", self.difficulty)
        seed, index = self.episode_seed or 0, self.episode_index
        if self.host is None:
            self.host = BrowserHost.acquire()
        for attempt in range(20):  # a screen with no usable target is redrawn (rare)
            rng = random.Random(derive_seed("gui-ground", seed, index, d, attempt))
            screen = generate(rng, d)
            boxes, png = self._render(screen.html)
            usable = sorted(gt for gt in boxes if gt in screen.targets)
            if usable:
                break
        else:
            raise GymhubError("could not draw a screen with a visible target")
        gt = rng.choice(usable)
        self.box = [int(v) for v in boxes[gt]]
        instruction = (
            f"This is a {SCREEN_W}x{SCREEN_H} screenshot. Click {screen.targets[gt]}. "
            "Answer with click(x, y) in pixels, or with the element's bounding box as "
            "[x1, y1, x2, y2]."
        )
        self.task = Task(
            id=f"gui/ground-s{seed}-i{index}-d{d}",
            question=instruction,
            answer=self.box,
            metadata={"difficulty": d, "target": screen.targets[gt], "n_targets": len(usable)},
        )
        image = base64.b64encode(png).decode()
        content = [TextPart(text=instruction), ImagePart(image=image)]
        return Observation(messages=[Message(role="user", content=content)])

    def _render(self, html: str) -> tuple[dict[str, list[int]], bytes]:
        assert self.host is not None
        for attempt in range(2):
            try:
                return self.host.run(self._arender(html), timeout=60)
            except Exception:
                if attempt:
                    raise
                self._drop_slot()  # a crashed page: retry once on a fresh context
        raise AssertionError("unreachable")

    async def _arender(self, html: str) -> tuple[dict[str, list[int]], bytes]:
        assert self.host is not None
        if self.slot is None or self.slot.crashed or self.slot.page.is_closed():
            self.slot = await self.host.acquire_slot({"width": SCREEN_W, "height": SCREEN_H})
        page = self.slot.page
        await page.set_content(html, wait_until="load")
        boxes = await page.evaluate(_BOXES_JS)
        png = await page.screenshot(type="png")
        return boxes, png

    def _step(self, action: Action) -> StepResult:
        assert self.box is not None
        try:
            verdict = self.verifier.verify(_answer_text(action), self.box)
        except Exception as exc:  # a verifier bug is the hub's failure
            verdict = Verdict(reward=0.0, status="infra_error", detail=f"verifier failed: {exc!r}")
        return StepResult(Observation(), verdict.reward, True, verdict)

    def reference_action(self) -> Action | None:
        if self.done or self.box is None:
            return None
        return Action(content=self.verifier.reference_response(self.box) or "")

    def secret_strings(self) -> list[str]:
        if self.box is None:
            return []
        x1, y1, x2, y2 = self.box
        return [f"[{x1}, {y1}, {x2}, {y2}]", f"click({(x1 + x2) // 2}, {(y1 + y2) // 2})"]

    def _drop_slot(self) -> None:
        if self.host is not None and self.slot is not None:
            try:
                self.host.run(self.host.release_slot(self.slot), timeout=15)
            except Exception:
                pass
        self.slot = None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._drop_slot()
        if self.host is not None:
            self.host.release()
            self.host = None
