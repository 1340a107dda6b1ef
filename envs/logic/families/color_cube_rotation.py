"""Color cube rotation: track the colors of a cube's faces through a sequence of turns.

Each turn is one of six quarter turns whose effect on the faces is spelled out in the question.
The verifier replays the turns stored in the metadata and compares the asked faces (the rules),
so the answer is unique.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

FACES = ("top", "bottom", "front", "back", "left", "right")
COLORS = (
    "red", "blue", "green", "yellow", "orange", "purple", "white", "black", "pink", "brown",
    "gray", "cyan",
)  # fmt: skip
# turn -> {new face: old face}
TURNS = {
    "spin it to the right": {"right": "front", "back": "right", "left": "back", "front": "left"},
    "spin it to the left": {"left": "front", "back": "left", "right": "back", "front": "right"},
    "tip it forward": {"front": "top", "bottom": "front", "back": "bottom", "top": "back"},
    "tip it backward": {"back": "top", "bottom": "back", "front": "bottom", "top": "front"},
    "roll it to the right": {"right": "top", "bottom": "right", "left": "bottom", "top": "left"},
    "roll it to the left": {"left": "top", "bottom": "left", "right": "bottom", "top": "right"},
}
EXPLAIN = {
    "spin it to the right": "the front face moves to the right side, top and bottom stay",
    "spin it to the left": "the front face moves to the left side, top and bottom stay",
    "tip it forward": "the top face moves to the front, left and right stay",
    "tip it backward": "the top face moves to the back, left and right stay",
    "roll it to the right": "the top face moves to the right side, front and back stay",
    "roll it to the left": "the top face moves to the left side, front and back stay",
}
ASKED = 3
_FILLER = {"side", "face", "the", "is", "and"}


def turn(cube: dict[str, str], name: str) -> dict[str, str]:
    moved = TURNS[name]
    return {face: cube[moved.get(face, face)] for face in FACES}


def replay(colors: dict[str, str], turns: list[str]) -> dict[str, str]:
    cube = dict(colors)
    for name in turns:
        cube = turn(cube, name)
    return cube


def read_faces(text: str, asked: list[str]) -> dict[str, str] | str:
    """{face: color} from `face: color` items (any order) or bare colors in the asked order; a
    string says what was wrong."""
    items = [p.strip() for p in re.split(r"[,;\n]", text[:1000]) if p.strip()]
    out: dict[str, str] = {}
    bare: list[str] = []
    for item in items:
        words = [w for w in re.findall(r"[a-z]+", item.lower()) if w not in _FILLER]
        if re.search(r"[^A-Za-z\s:=\-.*>→]", item):  # `**top**: red`, `top -> red` too
            return "unexpected symbols"
        faces = [w for w in words if w in FACES]
        colors = [w for w in words if w in COLORS]
        if len(faces) + len(colors) != len(words):
            return "only face and color names are read"
        if len(faces) > 1 or len(colors) != 1:
            return f"one face and one color per item, got {item!r}"
        if faces:
            if faces[0] in out:
                return f"the {faces[0]} face is named twice"
            out[faces[0]] = colors[0]
        else:
            bare.append(colors[0])
    if out and bare:
        return "mixed `face: color` items and bare colors"
    if bare:
        if len(bare) != len(asked):
            return f"{len(bare)} colors for {len(asked)} faces"
        return dict(zip(asked, bare, strict=True))
    return out


@register_family
class ColorCubeRotation(LogicFamily):
    """Name the colors of three faces of a cube after a sequence of described turns.

    Difficulty d sets the number of turns 2d (2..20, size = effort = turns replayed). Accepted:
    `face: color` pairs for the three asked faces in any order (`the front side is red`), or the
    three colors in the asked order. Reward 1/0.
    """

    name = "color_cube_rotation"
    title = "ColorCubeRotation"
    description = "Track the face colors of a cube through a sequence of quarter turns."
    difficulty_doc = "turns 2d (2..20), six kinds of turn; three faces asked"
    equivalents = {"reasoning_gym": "color_cube_rotation"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        colors = dict(zip(FACES, rng.sample(COLORS, 6), strict=True))
        turns = [rng.choice(sorted(TURNS)) for _ in range(2 * difficulty)]
        asked = rng.sample(FACES, ASKED)
        final = replay(colors, turns)
        start = ", ".join(f"{f}: {colors[f]}" for f in FACES)
        kinds = "\n".join(f"- {name}: {EXPLAIN[name]}" for name in sorted(TURNS))
        steps = "\n".join(f"{i}. {name}" for i, name in enumerate(turns, 1))
        question = (
            f"A cube has one color on each face. Seen from the front, its faces are: {start}.\n"
            f"The turns you may meet:\n{kinds}\n\n"
            f"The cube is turned, in order:\n{steps}\n\n"
            f"What color are the {', '.join(asked[:-1])} and {asked[-1]} faces now? Answer with "
            "`face: color` pairs separated by commas, for example `top: red, left: blue, back: "
            "green`.\nPut your final answer inside <answer></answer>."
        )
        answer = {f: final[f] for f in asked}
        return make_task(
            question, answer, len(turns), colors=colors, turns=turns, asked=asked,
            effort=len(turns),
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        m = task.metadata
        got = read_faces(answer, m["asked"])
        if isinstance(got, str):
            return Verdict.unparseable(got)
        if sorted(got) != sorted(m["asked"]):
            return Verdict.incorrect(f"expected the faces {m['asked']}, got {sorted(got)}")
        final = replay(m["colors"], m["turns"])
        wrong = [f for f in m["asked"] if got[f] != final[f]]
        if wrong:
            return Verdict.incorrect(f"wrong color for {wrong}")
        return Verdict.correct()

    def secret_strings(self, task: Task) -> list[str]:
        return []  # color names are in the question by design

    def format_answer(self, task: Task) -> str:
        return ", ".join(f"{f}: {c}" for f, c in task.answer.items())
