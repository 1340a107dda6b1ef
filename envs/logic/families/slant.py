"""Slant / Gokigen Naname (Enigmata's search task): draw one diagonal in every cell so that
each numbered grid point touches exactly that many diagonals and the diagonals form no loop.

Generation draws random diagonals, choosing the other direction whenever one would close a loop
(a union-find over grid points; a dead end restarts), then shows the counts of a share of the
grid points. The verifier checks the rules (every shown count, no loop); any valid drawing
scores 1.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines
from gymhub.types import Task, Verdict

_SIDES = (3, 4, 4, 5, 5, 6, 6, 7, 8, 9)
_FWD, _BACK = "/", "\\"


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def ends(r: int, c: int, ch: str, n: int) -> tuple[int, int]:
    """The two grid points ((n+1) per row) a diagonal of cell (r, c) joins."""
    w = n + 1
    if ch == _BACK:
        return r * w + c, (r + 1) * w + c + 1
    return r * w + c + 1, (r + 1) * w + c


def loop_free(grid: list[str], n: int) -> bool:
    parent = list(range((n + 1) * (n + 1)))
    for r in range(n):
        for c in range(n):
            a, b = (_find(parent, x) for x in ends(r, c, grid[r][c], n))
            if a == b:
                return False
            parent[a] = b
    return True


def counts(grid: list[str], n: int) -> list[int]:
    out = [0] * ((n + 1) * (n + 1))
    for r in range(n):
        for c in range(n):
            for p in ends(r, c, grid[r][c], n):
                out[p] += 1
    return out


def _random_fill(rng: random.Random, n: int) -> list[str]:
    while True:
        parent = list(range((n + 1) * (n + 1)))
        rows: list[str] = []
        ok = True
        for r in range(n):
            row = ""
            for c in range(n):
                options = [_FWD, _BACK]
                rng.shuffle(options)
                for ch in options:
                    a, b = (_find(parent, x) for x in ends(r, c, ch, n))
                    if a != b:
                        parent[a] = b
                        row += ch
                        break
                else:
                    ok = False
                    break
            if not ok:
                break
            rows.append(row)
        if ok:
            return rows


def read_slants(answer: str, n: int) -> list[str] | None:
    lines = answer_lines(answer)
    if len(lines) != n or len(answer) > 20_000:
        return None
    out = []
    for line in lines:
        cells = [ch for ch in line if not ch.isspace() and ch not in ",|`"]
        if len(cells) != n or any(ch not in (_FWD, _BACK) for ch in cells):
            return None
        out.append("".join(cells))
    return out


@register_family
class Slant(LogicFamily):
    """Draw `/` or `\\` in every cell: numbered grid points touch exactly that many diagonals,
    and no diagonals form a closed loop. Any valid drawing scores 1.

    Accepted: n lines of n characters `/` or `\\` (spaces, `,` and `|` between cells ignored).
    Not accepted: any other symbol or shape.
    """

    name = "slant"
    title = "Slant"
    description = "Slant (Gokigen Naname): diagonals meeting point counts, without loops."
    difficulty_doc = (
        "grid side 3,4,4,5,5,6,6,7,8,9 (size = cells); shown point counts fall from 80% to 45%"
    )
    equivalents = {"enigmata": "slant"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIDES[difficulty - 1]
        grid = _random_fill(rng, n)
        full = counts(grid, n)
        share = 0.8 - 0.35 * (difficulty - 1) / 9
        w = n + 1
        clues = [v if rng.random() < share else -1 for v in full]
        lines = []
        for r in range(w):
            lines.append(
                " ".join("+" if clues[r * w + c] < 0 else str(clues[r * w + c]) for c in range(w))
            )
        question = (
            f"Slant. A {n}x{n} grid of cells has {w}x{w} grid points (its corners). Below, each "
            "grid point is shown as a digit (a clue) or `+` (no clue):\n\n"
            + "\n".join(lines)
            + "\n\n"
            "Draw one diagonal in every cell, either `/` (joining its bottom-left and top-right "
            "corners) or `\\` (joining its top-left and bottom-right corners), so that every "
            "digit equals the number of diagonals that touch that grid point and the diagonals "
            "never form a closed loop.\n"
            f"Answer with {n} lines of {n} characters `/` or `\\`, top row first (for example "
            "a line `/\\\\/`), inside <answer></answer>."
        )
        return make_task(question, grid, n * n, n=n, clues=clues)

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        grid = read_slants(answer, n)
        if grid is None:
            return Verdict.unparseable(f"expected {n} lines of {n} characters / or \\")
        got = counts(grid, n)
        w = n + 1
        for p, want in enumerate(task.metadata["clues"]):
            if want >= 0 and got[p] != want:
                return Verdict.incorrect(
                    f"grid point ({p // w + 1},{p % w + 1}) touches {got[p]} diagonals, not {want}"
                )
        if not loop_free(grid, n):
            return Verdict.incorrect("the diagonals form a closed loop")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Flip a cell that has a clued corner: that corner's count changes, so a rule breaks."""
        n = task.metadata["n"]
        clues = task.metadata["clues"]
        out = []
        for r in range(n):
            for c in range(n):
                corners = (
                    r * (n + 1) + c,
                    r * (n + 1) + c + 1,
                    (r + 1) * (n + 1) + c,
                    (r + 1) * (n + 1) + c + 1,
                )
                if any(clues[p] >= 0 for p in corners):
                    grid = [list(row) for row in task.answer]
                    grid[r][c] = _FWD if grid[r][c] == _BACK else _BACK
                    out.append("\n".join("".join(row) for row in grid))
                if len(out) >= 3:
                    return out
        return out

    def format_answer(self, task: Task) -> str:
        return "\n".join(task.answer)
