"""Norinori: shade exactly two cells per region so that shaded cells form separate dominoes.

Generation: non-touching dominoes scattered at random, then regions grown around each domino
(so every region holds exactly two shaded cells). A bounded solver counts solutions; while a
second exists (or the search runs out of budget), gold shaded cells are revealed, so the
solution is unique. Random regions are loose, so puzzles come with a fair number of revealed
cells; the reasoning left is pairing the rest.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines, connected, orth, region_label, symbol_cells
from gymhub.types import Task, Verdict

_SIZES = (4, 4, 5, 5, 6, 6, 7, 7, 8, 8)  # grid side per difficulty 1..10
_NODE_LIMIT = 600  # per solver call
_REFINE_BUDGET = 1_500  # solver nodes spent reshaping regions, in all
_SHADED = frozenset("#Xx*1■")
_EMPTY = frozenset(".-_0□")

Cell = tuple[int, int]


def _dominoes(rng: random.Random, n: int) -> list[tuple[Cell, Cell]]:
    shaded: set[Cell] = set()
    out = []
    order = [(r, c) for r in range(n) for c in range(n)]
    rng.shuffle(order)
    for cell in order:
        partners = orth(cell, n)
        rng.shuffle(partners)
        for other in partners:
            pair = (cell, other)
            if any(x in shaded for p in pair for x in [p, *orth(p, n)]):
                continue
            out.append(tuple(sorted(pair)))
            shaded.update(pair)
            break
    return sorted(out)


def _grow(rng: random.Random, n: int, dominoes: list[tuple[Cell, Cell]]) -> list[list[int]]:
    region = [[-1] * n for _ in range(n)]
    frontier: list[tuple[Cell, int]] = []
    for k, pair in enumerate(dominoes):
        for cell in pair:
            region[cell[0]][cell[1]] = k
            frontier += [(x, k) for x in orth(cell, n)]
    while frontier:
        i = rng.randrange(len(frontier))
        (r, c), k = frontier[i]
        frontier[i] = frontier[-1]
        frontier.pop()
        if region[r][c] < 0:
            region[r][c] = k
            frontier += [(x, k) for x in orth((r, c), n)]
    return region


_UNKNOWN, _EMPTY_STATE, _SHADED_STATE = -1, 0, 1


def _propagate(state: list[int], nbrs: list[list[int]], cells_of: list[list[int]]) -> bool:
    """Apply the forced deductions in place; False on a contradiction."""
    size = len(state)
    while True:
        changed = False
        for cells in cells_of:
            shaded = 0
            unknown = []
            for i in cells:
                if state[i] == _SHADED_STATE:
                    shaded += 1
                elif state[i] == _UNKNOWN:
                    unknown.append(i)
            if shaded > 2 or shaded + len(unknown) < 2:
                return False
            if unknown and (shaded == 2 or shaded + len(unknown) == 2):
                fill = _EMPTY_STATE if shaded == 2 else _SHADED_STATE
                for i in unknown:
                    state[i] = fill
                changed = True
        hits = [0] * size
        for i in range(size):
            if state[i] != _SHADED_STATE:
                continue
            paired = 0
            unknown = []
            for j in nbrs[i]:
                if state[j] == _SHADED_STATE:
                    paired += 1
                elif state[j] == _UNKNOWN:
                    unknown.append(j)
                    hits[j] += 1
            if paired > 1:
                return False
            if paired and unknown:
                for j in unknown:
                    state[j] = _EMPTY_STATE
                changed = True
            elif not paired:
                if not unknown:
                    return False
                if len(unknown) == 1:
                    state[unknown[0]] = _SHADED_STATE
                    changed = True
        for j in range(size):
            # an unknown cell next to two shaded cells would give itself two shaded neighbours
            if hits[j] > 1 and state[j] == _UNKNOWN:
                state[j] = _EMPTY_STATE
                changed = True
        if not changed:
            return True


def _refine(rng: random.Random, region: list[list[int]], gold: list[Cell]) -> None:
    """Kill alternative solutions: move a cell the alternative shades (and gold does not) into a
    neighbouring region, which then holds a wrong count. Gold stays valid, regions connected.
    Bounded by a node budget; revealed cells finish the job."""
    n = len(region)
    gold_set = set(gold)
    budget = _REFINE_BUDGET
    while budget > 0:
        sols, finished, used = solve(region, [], node_limit=min(budget, _NODE_LIMIT))
        budget -= used
        if not finished or len(sols) < 2:
            return
        alt = sols[0] if sols[0] != gold else sols[1]
        moves = [
            (cell, region[x[0]][x[1]])
            for cell in alt
            if cell not in gold_set
            for x in orth(cell, n)
            if region[x[0]][x[1]] != region[cell[0]][cell[1]]
        ]
        rng.shuffle(moves)
        for (r, c), other in moves:
            k = region[r][c]
            rest = [
                (rr, cc)
                for rr in range(n)
                for cc in range(n)
                if region[rr][cc] == k and (rr, cc) != (r, c)
            ]
            if connected(rest):
                region[r][c] = other
                break
        else:
            return


def solve(
    region: list[list[int]], known: list[Cell], limit: int = 2, node_limit: int = 0
) -> tuple[list[list[Cell]], bool, int]:
    """Up to `limit` solutions (shaded cells) containing `known`, whether the search finished
    within `node_limit` nodes, and the nodes used. Deductions are propagated at every node;
    branching picks an unknown cell of the region with the fewest unknown cells."""
    n = len(region)
    node_limit = node_limit or _NODE_LIMIT
    count = max(max(row) for row in region) + 1
    cells_of: list[list[int]] = [[] for _ in range(count)]
    for r in range(n):
        for c in range(n):
            cells_of[region[r][c]].append(r * n + c)
    nbrs = [[rr * n + cc for rr, cc in orth(divmod(i, n), n)] for i in range(n * n)]
    state = [_UNKNOWN] * (n * n)
    for r, c in known:
        state[r * n + c] = _SHADED_STATE
    sols: list[list[Cell]] = []
    nodes = 0

    def rec(state: list[int]) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > node_limit:
            return False
        if not _propagate(state, nbrs, cells_of):
            return True
        best: list[int] | None = None
        for cells in cells_of:
            unknown = [i for i in cells if state[i] == _UNKNOWN]
            if unknown and (best is None or len(unknown) < len(best)):
                best = unknown
        if best is None:
            sols.append([divmod(i, n) for i in range(n * n) if state[i] == _SHADED_STATE])
            return len(sols) < limit
        for value in (_SHADED_STATE, _EMPTY_STATE):
            child = state[:]
            child[best[0]] = value
            if not rec(child):
                return False
        return True

    rec(state)
    return sols, nodes <= node_limit, nodes


@register_family
class Norinori(LogicFamily):
    """Norinori: shade cells so that every region holds exactly two shaded cells and every shaded
    cell touches exactly one other shaded cell orthogonally (shaded cells form dominoes that may
    cross region borders). Difficulty sets the grid side (4,4,5,5,6,6,7,7,8,8 for 1..10);
    `size` is the number of cells. Unique solution (solver-checked; known shaded cells are
    revealed while a second solution exists)."""

    name = "norinori"
    title = "Norinori"
    description = "Shade two cells per region so that shaded cells form separate dominoes."
    difficulty_doc = "grid side 4,4,5,5,6,6,7,7,8,8 (size = cells); unique solution"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = _SIZES[max(1, min(10, int(difficulty))) - 1]
        dominoes = _dominoes(rng, n)
        region = _grow(rng, n, dominoes)
        gold = sorted(cell for pair in dominoes for cell in pair)
        _refine(rng, region, gold)
        known: list[Cell] = []
        for _ in range(len(gold)):
            sols, finished, _ = solve(region, known)
            if finished and len(sols) == 1:
                break
            other = next((s for s in sols if s != gold), [])
            pool = [x for x in gold if x not in known]
            differ = [x for x in pool if x not in other]
            # an unfinished search (budget out) reveals several cells at once, to stay bounded
            if not pool:
                break
            pick = differ or pool
            for cell in rng.sample(pick, 1 if finished else min(3, len(pick))):
                known.append(cell)
        known.sort()
        grid = "\n".join(" ".join(region_label(region[r][c]) for c in range(n)) for r in range(n))
        known_txt = (
            "Cells already known to be shaded (row, column), counted from 1: "
            + ", ".join(f"({r + 1}, {c + 1})" for r, c in known)
            + ".\n"
            if known
            else ""
        )
        question = (
            f"Norinori. The {n}x{n} grid below is divided into {len(dominoes)} regions, one "
            "letter per region.\n\n"
            f"{grid}\n\n"
            "Rules: shade some cells so that (1) every region contains exactly two shaded cells; "
            "(2) every shaded cell is orthogonally adjacent to exactly one other shaded cell, so "
            "the shaded cells form dominoes (pairs) that do not touch each other orthogonally. "
            "A domino may cross a region border.\n"
            f"{known_txt}"
            f"Answer format: {n} lines of {n} characters, `#` for a shaded cell and `.` for an "
            "unshaded one (spaces between cells are allowed). For example a 3x3 grid:\n"
            "##.\n..#\n..#\n"
            "Put your grid inside <answer></answer>."
        )
        return make_task(
            question,
            [list(x) for x in gold],
            n * n,
            n=n,
            regions=region,
            known=[list(x) for x in known],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        region = task.metadata["regions"]
        lines = answer_lines(answer)
        rows = [symbol_cells(ln) for ln in lines]
        if len(rows) != n or any(len(row) != n for row in rows):
            return Verdict.unparseable(f"expected {n} lines of {n} cells ('#' or '.')")
        if any(ch not in _SHADED and ch not in _EMPTY for row in rows for ch in row):
            return Verdict.unparseable("cells must be '#' (shaded) or '.' (unshaded)")
        shaded = {(r, c) for r in range(n) for c in range(n) if rows[r][c] in _SHADED}
        count = max(max(row) for row in region) + 1
        per_region = [0] * count
        for r, c in shaded:
            per_region[region[r][c]] += 1
        for k, m in enumerate(per_region):
            if m != 2:
                return Verdict.incorrect(f"region {region_label(k)} has {m} shaded cells, not 2")
        for cell in sorted(shaded):
            m = sum(1 for x in orth(cell, n) if x in shaded)
            if m != 1:
                r, c = cell
                return Verdict.incorrect(
                    f"shaded cell ({r + 1},{c + 1}) has {m} shaded neighbours, not 1"
                )
        for r, c in task.metadata["known"]:
            if (r, c) not in shaded:
                return Verdict.incorrect(f"known shaded cell ({r + 1},{c + 1}) is not shaded")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        n = task.metadata["n"]
        shaded = {tuple(x) for x in task.answer}
        return "\n".join(
            "".join("#" if (r, c) in shaded else "." for c in range(n)) for r in range(n)
        )
