"""Number wall (Nurikabe rules): build walls so that every number sits in an island of its size.

Generation is constructive: start from an all-wall grid and carve islands that never touch,
keeping the wall connected, until no 2x2 block of wall is left; each island shows its size in
one cell. A provably valid lattice layout is the bounded fallback. A bounded solver (island
shapes per clue, chosen with forward checking) then counts solutions; while a second exists, or
the search gives up, gold wall cells are revealed as known walls, so the solution is unique.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.grids import answer_lines, orth
from gymhub.types import Task, Verdict

_SIZES = (5, 5, 5, 6, 6, 6, 7, 7, 8, 8)  # grid side per difficulty 1..10
_TOKEN = re.compile(r"\d+|\S")
_WALL = frozenset("#WwXx■")
_OPEN = frozenset(".-_oO□")

Cell = tuple[int, int]


def _connected(cells: set[Cell], n: int) -> bool:
    if not cells:
        return True
    first = min(cells)
    seen = {first}
    stack = [first]
    while stack:
        for nb in orth(stack.pop(), n):
            if nb in cells and nb not in seen:
                seen.add(nb)
                stack.append(nb)
    return len(seen) == len(cells)


def _wall_blocks(wall: set[Cell], n: int) -> list[Cell]:
    return [
        (r, c)
        for r in range(n - 1)
        for c in range(n - 1)
        if {(r, c), (r + 1, c), (r, c + 1), (r + 1, c + 1)} <= wall
    ]


def _carve(rng: random.Random, n: int, max_island: int) -> list[list[Cell]] | None:
    """Islands (cell lists) of a valid layout, or None when this attempt got stuck."""
    wall = {(r, c) for r in range(n) for c in range(n)}
    owner: dict[Cell, int] = {}
    islands: list[list[Cell]] = []

    def can_take(cell: Cell, k: int) -> bool:
        if any(owner.get(nb, k) != k for nb in orth(cell, n)):
            return False  # would touch another island
        wall.discard(cell)
        ok = _connected(wall, n)
        wall.add(cell)
        return ok

    def take(cell: Cell, k: int) -> None:
        wall.discard(cell)
        owner[cell] = k
        if k == len(islands):
            islands.append([])
        islands[k].append(cell)

    # seed islands of random sizes first, so that sizes vary
    cells = sorted(wall)
    for _ in range(n * n // 10):
        seed = rng.choice(cells)
        if seed not in wall or not can_take(seed, len(islands)):
            continue
        k = len(islands)
        take(seed, k)
        for _ in range(rng.randint(0, max_island - 1)):
            grow = [nb for x in islands[k] for nb in orth(x, n) if nb in wall]
            rng.shuffle(grow)
            nxt = next((x for x in grow if can_take(x, k)), None)
            if nxt is None:
                break
            take(nxt, k)
    # then break every 2x2 wall block by growing an island or starting a one-cell island
    stuck = 0
    while stuck < 40:
        blocks = _wall_blocks(wall, n)
        if not blocks:
            return islands
        r, c = rng.choice(blocks)
        block = [(r, c), (r + 1, c), (r, c + 1), (r + 1, c + 1)]
        rng.shuffle(block)
        stuck += 1
        for cell in block:
            near = sorted({owner[nb] for nb in orth(cell, n) if nb in owner})
            if not near and can_take(cell, len(islands)):
                take(cell, len(islands))
                stuck = 0
                break
            if (
                len(near) == 1
                and len(islands[near[0]]) < max_island + 2
                and can_take(cell, near[0])
            ):
                take(cell, near[0])
                stuck = 0
                break
    return None


def _lattice(n: int) -> list[list[Cell]]:
    """One-cell islands at odd (row, column): always valid (wall connected, no 2x2 wall)."""
    return [[(r, c)] for r in range(1, n, 2) for c in range(1, n, 2)]


_PLACEMENT_CAP = 1_500  # island shapes per clue before the search gives up
_NODE_LIMIT = 2_500


def _placements(
    n: int, clue: Cell, size: int, forbidden: set[Cell]
) -> list[frozenset[Cell]] | None:
    """Every connected island of `size` cells containing `clue` and no forbidden cell; None
    when there are more than the cap."""
    level = {frozenset([clue])}
    for _ in range(size - 1):
        grown = set()
        for shape in level:
            for x in shape:
                for nb in orth(x, n):
                    if nb not in shape and nb not in forbidden:
                        grown.add(shape | {nb})
            if len(grown) > _PLACEMENT_CAP:
                return None
        level = grown
    return sorted(level, key=sorted)


def solve(
    n: int, clues: dict[Cell, int], walls: set[Cell], limit: int = 2
) -> tuple[list[set[Cell]], bool]:
    """Up to `limit` solutions (sets of wall cells) with `walls` known; False when the search
    gave up (too many island shapes or nodes). Islands are chosen clue by clue with forward
    checking; every 2x2 block must stay breakable by some island still possible."""
    everything = {(r, c) for r in range(n) for c in range(n)}
    domains: dict[Cell, list[frozenset[Cell]]] = {}
    for clue, size in clues.items():
        halo = {nb for other in clues if other != clue for nb in [other, *orth(other, n)]}
        shapes = _placements(n, clue, size, halo | walls)
        if shapes is None:
            return [], False
        domains[clue] = shapes
    blocks = [
        frozenset({(r, c), (r + 1, c), (r, c + 1), (r + 1, c + 1)})
        for r in range(n - 1)
        for c in range(n - 1)
    ]
    halos: dict[frozenset[Cell], frozenset[Cell]] = {}
    for shapes in domains.values():
        for shape in shapes:
            halos[shape] = frozenset(nb for x in shape for nb in [x, *orth(x, n)])
    adj = {cell: orth(cell, n) for cell in everything}
    sols: list[set[Cell]] = []
    nodes = 0

    def rec(domains: dict[Cell, list[frozenset[Cell]]], taken: set[Cell]) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return False
        reach = set(taken)
        for shapes in domains.values():
            for shape in shapes:
                reach |= shape
        if any(block.isdisjoint(reach) for block in blocks):
            return True
        if not domains:
            # every 2x2 block meets an island (the reach test above), so only the wall's
            # connectivity is left to check
            wall = everything - taken
            seen: set[Cell] = set()
            stack = [min(wall)] if wall else []
            seen.update(stack)
            while stack:
                for nb in adj[stack.pop()]:
                    if nb in wall and nb not in seen:
                        seen.add(nb)
                        stack.append(nb)
            if len(seen) == len(wall):
                sols.append(wall)
            return len(sols) < limit
        clue = min(domains, key=lambda k: (len(domains[k]), k))
        rest = {k: v for k, v in domains.items() if k != clue}
        for shape in domains[clue]:
            halo = halos[shape]
            narrowed = {k: [s for s in v if s.isdisjoint(halo)] for k, v in rest.items()}
            if all(narrowed.values()) and not rec(narrowed, taken | shape):
                return False
        return True

    rec(domains, set())
    return sols, nodes <= _NODE_LIMIT


@register_family
class NumberWall(LogicFamily):
    """Number wall (Nurikabe rules): make some cells wall so that every number lies in an island
    (orthogonally connected open cells) of exactly that many cells, every island holds exactly
    one number, all wall cells are orthogonally connected and no 2x2 square is all wall.
    Difficulty sets the grid side (5,5,5,6,6,6,7,7,8,8 for 1..10) and the island sizes (seeded
    up to 2 + d//3 cells, a few grown by 2 more); `size` is the number of cells. Unique solution
    (solver-checked; known wall cells are revealed while a second solution exists)."""

    name = "number_wall"
    title = "NumberWall"
    description = "Nurikabe rules: wall off islands whose sizes are the numbers they contain."
    difficulty_doc = (
        "grid side 5,5,5,6,6,6,7,7,8,8 (size = cells), islands up to about 2 + d//3 cells; "
        "unique solution"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        d = max(1, min(10, int(difficulty)))
        n = _SIZES[d - 1]
        islands = None
        for _ in range(8):
            islands = _carve(rng, n, 2 + d // 3)
            if islands is not None:
                break
        if islands is None:
            islands = _lattice(n)
        clues = {rng.choice(sorted(cells)): len(cells) for cells in islands}
        open_cells = {cell for cells in islands for cell in cells}
        gold_walls = sorted({(r, c) for r in range(n) for c in range(n)} - open_cells)
        # reveal wall cells until the solver proves the solution unique
        known: set[Cell] = set()
        for _ in range(len(gold_walls)):
            sols, finished = solve(n, clues, known)
            if finished and len(sols) == 1:
                break
            pool = [x for x in gold_walls if x not in known]
            if not pool:
                break
            other = next((w for w in sols if w != set(gold_walls)), None)
            differ = [x for x in pool if other is not None and x not in other]
            pick = differ or pool
            for cell in rng.sample(pick, 1 if finished else min(6, len(pick))):
                known.add(cell)
        width = max(len(str(v)) for v in clues.values())
        table = "\n".join(
            " ".join(
                ("#" if (r, c) in known else str(clues.get((r, c), "."))).rjust(width)
                for c in range(n)
            )
            for r in range(n)
        )
        question = (
            f"Number wall. Some cells of the {n}x{n} grid below hold numbers"
            + (", some are already known to be wall (#)" if known else "")
            + "; the others (.) are undecided.\n\n"
            f"{table}\n\n"
            "Make some cells wall (#) so that: (1) every number lies in an island (a group of "
            "orthogonally connected non-wall cells) with exactly that many cells; (2) every "
            "island contains exactly one number; (3) all wall cells form one orthogonally "
            "connected area; (4) no 2x2 square is entirely wall. Number cells are never wall.\n"
            f"Answer format: the whole grid, {n} lines of {n} entries separated by spaces: # for "
            "a wall, . for an island cell without a number, numbers kept as they are. For "
            "example a 3x3 grid:\n2 . #\n# # #\n1 # 1\n"
            "Put your grid inside <answer></answer>."
        )
        return make_task(
            question,
            [list(x) for x in gold_walls],
            n * n,
            known_walls=[list(x) for x in sorted(known)],
            n=n,
            clues=[[r, c, v] for (r, c), v in sorted(clues.items())],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = task.metadata["n"]
        clues = {(r, c): v for r, c, v in task.metadata["clues"]}
        lines = answer_lines(answer)
        if len(lines) != n:
            return Verdict.unparseable(f"expected {n} lines of {n} entries")
        wall: set[Cell] = set()
        for r, line in enumerate(lines):
            tokens = [t for t in _TOKEN.findall(line[:2000]) if t not in ",|"]
            if len(tokens) != n:
                return Verdict.unparseable(f"line {r + 1} does not have {n} entries")
            for c, token in enumerate(tokens):
                if (r, c) in clues:
                    if token != str(clues[(r, c)]):
                        return Verdict.incorrect(f"the number at ({r + 1},{c + 1}) was changed")
                elif token in _WALL:
                    wall.add((r, c))
                elif token not in _OPEN:
                    return Verdict.unparseable(f"({r + 1},{c + 1}) holds {token!r}; use # or .")
        for r, c in task.metadata.get("known_walls", []):
            if (r, c) not in wall:
                return Verdict.incorrect(f"the known wall at ({r + 1},{c + 1}) was removed")
        if not _connected(wall, n):
            return Verdict.incorrect("the wall is not one connected area")
        if blocks := _wall_blocks(wall, n):
            r, c = blocks[0]
            return Verdict.incorrect(f"2x2 wall block at ({r + 1},{c + 1})")
        seen: set[Cell] = set()
        for start in sorted((r, c) for r in range(n) for c in range(n) if (r, c) not in wall):
            if start in seen:
                continue
            island = {start}
            stack = [start]
            while stack:
                for nb in orth(stack.pop(), n):
                    if nb not in wall and nb not in island:
                        island.add(nb)
                        stack.append(nb)
            seen |= island
            numbers = [clues[x] for x in island if x in clues]
            if len(numbers) != 1:
                r, c = start
                return Verdict.incorrect(
                    f"the island at ({r + 1},{c + 1}) holds {len(numbers)} numbers, not 1"
                )
            if numbers[0] != len(island):
                return Verdict.incorrect(f"an island of {len(island)} cells holds {numbers[0]}")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        n = task.metadata["n"]
        clues = {(r, c): v for r, c, v in task.metadata["clues"]}
        walls = {tuple(x) for x in task.answer}
        return "\n".join(
            " ".join(
                str(clues[(r, c)]) if (r, c) in clues else "#" if (r, c) in walls else "."
                for c in range(n)
            )
            for r in range(n)
        )
