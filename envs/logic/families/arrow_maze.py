"""Arrow maze: fill every blank with an arrow so that each number shoots exactly that many.

Numbers shoot straight rays of arrows in any of the 8 directions; every blank belongs to one
ray. Generation is constructive (numbers placed on uncovered cells, rays grown from them over
uncovered cells). Several fillings are usually valid; the verifier checks the rules.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines
from gymhub.types import Task, Verdict

_SIZES = (4, 5, 5, 6, 6, 7, 7, 8, 8, 9)  # grid side per difficulty 1..10
_DIRS = {
    "↑": (-1, 0),
    "↓": (1, 0),
    "←": (0, -1),
    "→": (0, 1),
    "↖": (-1, -1),
    "↗": (-1, 1),
    "↙": (1, -1),
    "↘": (1, 1),
}
_ASCII = {"U": "↑", "D": "↓", "L": "←", "R": "→", "UL": "↖", "UR": "↗", "DL": "↙", "DR": "↘"}
_TOKEN = re.compile(r"\d+|UL|UR|DL|DR|[UDLR]|[↑↓←→↖↗↙↘]|\S", re.I)

Cell = tuple[int, int]


def _build(rng: random.Random, n: int) -> tuple[dict[Cell, int], dict[Cell, str]]:
    """Numbers (cell -> value) and a valid arrow filling (cell -> arrow) covering the grid."""
    numbers: dict[Cell, int] = {}
    arrows: dict[Cell, str] = {}

    def attach(cell: Cell) -> bool:
        """Cover `cell` by extending a ray that ends next to it, or starting a one-arrow ray
        from a neighbouring number."""
        dirs = list(_DIRS)
        rng.shuffle(dirs)
        for arrow in dirs:
            dr, dc = _DIRS[arrow]
            behind = (cell[0] - dr, cell[1] - dc)
            if behind in numbers or arrows.get(behind) == arrow:
                arrows[cell] = arrow
                owner = _ray_owner(cell, arrows, numbers)
                assert owner is not None
                numbers[owner] += 1
                return True
        return False

    order = [(r, c) for r in range(n) for c in range(n)]
    rng.shuffle(order)
    for cell in order:
        if cell in numbers or cell in arrows:
            continue
        if rng.random() < 0.5 and attach(cell):
            continue
        numbers[cell] = 0
        dirs = list(_DIRS)
        rng.shuffle(dirs)
        for arrow in dirs[: rng.randint(1, 4)]:
            dr, dc = _DIRS[arrow]
            length = rng.randint(1, n - 1)
            r, c = cell
            for _ in range(length):
                r, c = r + dr, c + dc
                if not (0 <= r < n and 0 <= c < n) or (r, c) in numbers or (r, c) in arrows:
                    break
                arrows[(r, c)] = arrow
                numbers[cell] += 1
        if numbers[cell] == 0:
            del numbers[cell]
            if not attach(cell):
                numbers[cell] = 0
    return numbers, arrows


def _ray_owner(cell: Cell, grid: dict[Cell, str], numbers: dict[Cell, int]) -> Cell | None:
    """The number a ray through `cell` starts from, walking back against the arrow."""
    arrow = grid[cell]
    dr, dc = _DIRS[arrow]
    r, c = cell
    while True:
        r, c = r - dr, c - dc
        if (r, c) in numbers:
            return (r, c)
        if grid.get((r, c)) != arrow:
            return None


@register_family
class ArrowMaze(LogicFamily):
    """Arrow maze: each number shoots straight rays of arrows (in any of the 8 directions, as
    many rays as it likes, each ray a contiguous line of arrows pointing away from it); every
    blank must lie on exactly one ray and each number equals the total length of its rays.
    Difficulty sets the grid side (4,5,5,6,6,7,7,8,8,9 for 1..10); `size` is the number of
    cells. Several fillings can be valid: any filling obeying the rules scores 1."""

    name = "arrow_maze"
    title = "ArrowMaze"
    description = "Fill blanks with arrows so each number shoots rays of exactly that length."
    difficulty_doc = "grid side 4,5,5,6,6,7,7,8,8,9 (size = cells); any valid filling scores"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIZES[max(1, min(10, int(difficulty))) - 1]
        numbers, arrows = _build(rng, n)
        width = max(len(str(v)) for v in numbers.values())
        table = "\n".join(
            " ".join(
                (str(numbers[(r, c)]) if (r, c) in numbers else "X").rjust(width) for c in range(n)
            )
            for r in range(n)
        )
        question = (
            f"Arrow maze. In the {n}x{n} grid below every X is a blank cell and every number is a "
            "source.\n\n"
            f"{table}\n\n"
            "Fill every X with one of the arrows ↑ ↓ ← → ↖ ↗ ↙ ↘ so that: each arrow lies on a "
            "straight ray that starts at a number and runs in the arrow's direction (walking "
            "backwards from an arrow you meet only arrows of the same direction until you reach "
            "the number); and every number equals the total count of arrows on all rays "
            "starting at it (a number may shoot rays in several directions; 0 means none).\n"
            f"Answer format: the whole grid, {n} lines of {n} entries separated by spaces, numbers "
            "kept as they are and each X replaced by an arrow (U D L R UL UR DL DR may be used "
            "instead of the arrow symbols). For example a 2x3 grid:\n2 → →\n↓ ↖ 1\n"
            "Put your grid inside <answer></answer>."
        )
        return make_task(
            question,
            [[r, c, a] for (r, c), a in sorted(arrows.items())],
            n * n,
            n=n,
            numbers=[[r, c, v] for (r, c), v in sorted(numbers.items())],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        numbers = {(r, c): v for r, c, v in task.metadata["numbers"]}
        lines = answer_lines(answer)
        if len(lines) != n:
            return Verdict.unparseable(f"expected {n} lines of {n} entries")
        grid: dict[Cell, str] = {}
        for r, line in enumerate(lines):
            tokens = [t for t in _TOKEN.findall(line[:2000]) if t not in ",|"]
            if len(tokens) != n:
                return Verdict.unparseable(f"line {r + 1} does not have {n} entries")
            for c, token in enumerate(tokens):
                if (r, c) in numbers:
                    if token != str(numbers[(r, c)]):
                        return Verdict.incorrect(f"the number at ({r + 1},{c + 1}) was changed")
                    continue
                arrow = _ASCII.get(token.upper(), token)
                if arrow not in _DIRS:
                    return Verdict.unparseable(f"({r + 1},{c + 1}) holds {token!r}, not an arrow")
                grid[(r, c)] = arrow
        shot = dict.fromkeys(numbers, 0)
        for cell in sorted(grid):
            owner = _ray_owner(cell, grid, numbers)
            if owner is None:
                r, c = cell
                return Verdict.incorrect(f"the arrow at ({r + 1},{c + 1}) is on no number's ray")
            shot[owner] += 1
        for (r, c), value in sorted(numbers.items()):
            if shot[(r, c)] != value:
                return Verdict.incorrect(
                    f"the number {value} at ({r + 1},{c + 1}) shoots {shot[(r, c)]} arrows"
                )
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Gold with one number changed, and gold with the first arrow of a ray of length >= 2
        turned (which orphans the rest of that ray): both always invalid."""
        n = task.metadata["n"]
        numbers = {(r, c): v for r, c, v in task.metadata["numbers"]}
        arrows = {(r, c): a for r, c, a in task.answer}
        out = []
        for cell, value in sorted(numbers.items())[:2]:
            out.append(self._render(n, {**numbers, cell: value + 1}, arrows))
        for (r, c), arrow in sorted(arrows.items()):
            dr, dc = _DIRS[arrow]
            nxt = (r + dr, c + dc)
            if (r - dr, c - dc) in numbers and arrows.get(nxt) == arrow:
                other = next(a for a in _DIRS if a != arrow)
                out.append(self._render(n, numbers, {**arrows, (r, c): other}))
                break
        return out

    @staticmethod
    def _render(n: int, numbers: dict[Cell, int], arrows: dict[Cell, str]) -> str:
        return "\n".join(
            " ".join(
                str(numbers[(r, c)]) if (r, c) in numbers else arrows[(r, c)] for c in range(n)
            )
            for r in range(n)
        )

    def format_answer(self, task: Task) -> str:
        numbers = {(r, c): v for r, c, v in task.metadata["numbers"]}
        arrows = {(r, c): a for r, c, a in task.answer}
        return self._render(task.metadata["n"], numbers, arrows)
