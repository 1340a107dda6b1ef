"""Rubik's cube: give a short move sequence that solves a scrambled 3x3x3 cube.

The cube is modelled as 54 stickers, each a (cubie position, outward normal) pair in {-1,0,1}^3;
a face turn rotates the stickers of its layer a quarter turn clockwise as seen from outside that
face. The question shows the scrambled cube as a net; the verifier applies the answer's moves and
checks that every face is one color (the rule), so any solution within the move limit (the
scramble's length: undoing it always works) scores 1.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

Vec = tuple[int, int, int]
NORMALS: dict[str, Vec] = {
    "U": (0, 1, 0), "D": (0, -1, 0), "R": (1, 0, 0), "L": (-1, 0, 0), "F": (0, 0, 1),
    "B": (0, 0, -1),
}  # fmt: skip
COLOR = {"U": "W", "D": "Y", "R": "R", "L": "O", "F": "G", "B": "B"}
_MOVE = re.compile(r"([UDRLFB])(2|'|’|′)?")


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _turn(v: Vec, n: Vec) -> Vec:
    """v rotated a quarter turn clockwise seen from the tip of the unit axis n."""
    c = _cross(n, v)
    d = sum(x * y for x, y in zip(n, v, strict=True))
    return (-c[0] + n[0] * d, -c[1] + n[1] * d, -c[2] + n[2] * d)


def solved_cube() -> dict[tuple[Vec, Vec], str]:
    cube = {}
    for face, n in NORMALS.items():
        for a in (-1, 0, 1):
            for b in (-1, 0, 1):
                p = tuple(n[i] if n[i] else (a if i == [j for j in range(3) if not n[j]][0] else b)
                          for i in range(3))  # fmt: skip
                cube[(p, n)] = COLOR[face]
    return cube


def apply(cube: dict, moves: list[str]) -> dict:
    for move in moves:
        face, turns = move[0], {"": 1, "2": 2, "'": 3}[move[1:]]
        n = NORMALS[face]
        for _ in range(turns):
            nxt = {}
            for (p, s), color in cube.items():
                if sum(x * y for x, y in zip(p, n, strict=True)) == 1:
                    p, s = _turn(p, n), _turn(s, n)
                nxt[(p, s)] = color
            cube = nxt
    return cube


def is_solved(cube: dict) -> bool:
    faces: dict[Vec, set[str]] = {}
    for (_, s), color in cube.items():
        faces.setdefault(s, set()).add(color)
    return all(len(colors) == 1 for colors in faces.values())


# net layout: for each face, the cubie position of (row, column), rows top to bottom
def _cell(face: str, r: int, c: int) -> Vec:
    a, b = 1 - r, c - 1  # a: up..down, b: left..right as seen on the net
    return {
        "U": (b, 1, -a),
        "D": (b, -1, a),
        "F": (b, a, 1),
        "B": (-b, a, -1),
        "R": (1, a, -b),
        "L": (-1, a, b),
    }[face]


def net(cube: dict) -> str:
    def row(face: str, r: int) -> str:
        return "".join(cube[(_cell(face, r, c), NORMALS[face])] for c in range(3))

    pad = " " * 4
    lines = [pad + row("U", r) for r in range(3)]
    lines += [" ".join(row(f, r) for f in "LFRB") for r in range(3)]
    lines += [pad + row("D", r) for r in range(3)]
    return "\n".join(lines)


def read_moves(text: str) -> list[str] | None:
    clean = text[:2000]
    moves = [f + {"": "", "2": "2"}.get(m, "'") for f, m in _MOVE.findall(clean)]
    if not moves or re.search(r"[^\s,;.]", _MOVE.sub(" ", clean)):
        return None
    return moves


@register_family
class RubiksCube(LogicFamily):
    """Solve a scrambled Rubik's cube shown as a net, within the scramble's number of moves.

    Difficulty d sets the scramble d quarter or half turns (1..10; size = move limit); effort =
    6^d, the move sequences of that length. Accepted: face turns in Singmaster notation (`R`,
    `U'`, `F2`; `’` also), separated by spaces or commas, at most the limit; any sequence that
    leaves every face one color. Reward 1/0.
    """

    name = "rubiks_cube"
    title = "RubiksCube"
    description = "Solve a scrambled Rubik's cube shown as a net within a move limit."
    difficulty_doc = "scramble of d face turns (1..10); the move limit is the scramble's length"
    equivalents = {"reasoning_gym": "rubiks_cube"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        scramble: list[str] = []
        while len(scramble) < difficulty:  # no face twice in a row: the scramble stays tight
            face = rng.choice("UDRLFB")
            if scramble and scramble[-1][0] == face:
                continue
            scramble.append(face + rng.choice(["", "'", "2"]))
        undo = [m[0] + {"": "'", "'": "", "2": "2"}[m[1:]] for m in reversed(scramble)]
        cube = apply(solved_cube(), scramble)
        question = (
            "A Rubik's cube is shown unfolded (W white, Y yellow, G green, B blue, R red, O "
            "orange). The top block is the up face U (its bottom row touches the front face), "
            "the middle rows are the left L, front F, right R and back B faces side by side as "
            "seen from outside, and the bottom block is the down face D (its top row touches "
            f"the front face):\n\n{net(cube)}\n\n"
            f"Solve it in at most {difficulty} moves: a move turns one face a quarter turn "
            "clockwise as seen looking at that face (`U`, `D`, `L`, `R`, `F`, `B`), "
            "counterclockwise with `'` (`R'`) or a half turn with `2` (`F2`); a half turn counts "
            "as one move. Answer with the moves separated by spaces, for example `R U' F2`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, undo, difficulty, scramble=scramble, effort=6**difficulty)

    def check(self, task: Task, answer: str) -> Verdict:
        moves = read_moves(answer)
        if moves is None:
            return Verdict.unparseable("expected face turns such as R U' F2")
        limit = len(task.metadata["scramble"])
        if len(moves) > limit:
            return Verdict.incorrect(f"{len(moves)} moves; the limit is {limit}")
        cube = apply(apply(solved_cube(), task.metadata["scramble"]), moves)
        if not is_solved(cube):
            return Verdict.incorrect("the cube is not solved")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return " ".join(task.answer)
