"""Survo: place the numbers 1..R*C once each in a grid so that rows and columns hit given sums.

Generation: a random arrangement of 1..R*C, a difficulty-dependent share of cells blanked, then
a bounded solver counts solutions; while a second exists, a gold cell where they differ is
revealed again, so the puzzle has exactly one solution.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

# (rows, columns, share of cells blanked) per difficulty 1..10
_LEVELS = (
    (3, 3, 0.45),
    (3, 3, 0.6),
    (3, 4, 0.5),
    (3, 4, 0.6),
    (4, 4, 0.5),
    (4, 4, 0.6),
    (4, 5, 0.55),
    (4, 5, 0.65),
    (5, 5, 0.6),
    (5, 5, 0.7),
)
_NODE_LIMIT = 6_000
_NUM = re.compile(r"\d+")


def solve(
    rows: int,
    cols: int,
    row_sums: list[int],
    col_sums: list[int],
    fixed: dict[tuple[int, int], int],
    limit: int = 2,
) -> tuple[list[list[list[int]]], bool]:
    """Up to `limit` solutions with the cells in `fixed` preset; False when out of budget."""
    top = rows * cols
    grid = [[0] * cols for _ in range(rows)]
    unused = set(range(1, top + 1))
    for (r, c), v in fixed.items():
        grid[r][c] = v
        unused.discard(v)
    sols: list[list[list[int]]] = []
    nodes = 0

    def allowed(
        need: int, empty: int, avail: list[int], prefix: list[int], suffix: list[int]
    ) -> int:
        """Bit mask of the values one blank of a line may take, from the line's sum bounds."""
        if empty == 0:
            return 0
        if empty == 1:
            return 1 << need if need in unused else 0
        lo, hi = prefix[empty - 1], suffix[empty - 1]
        mask = 0
        for v in avail:
            if lo <= need - v <= hi:
                mask |= 1 << v
        return mask

    def rec() -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _NODE_LIMIT:
            return False
        if not unused:
            sols.append([row[:] for row in grid])
            return len(sols) < limit
        avail = sorted(unused)
        prefix = [0]
        for v in avail:
            prefix.append(prefix[-1] + v)
        suffix = [0]
        for v in reversed(avail):
            suffix.append(suffix[-1] + v)
        row_ok = [
            allowed(row_sums[r] - sum(grid[r]), grid[r].count(0), avail, prefix, suffix)
            for r in range(rows)
        ]
        col_ok = []
        for c in range(cols):
            line = [grid[r][c] for r in range(rows)]
            col_ok.append(allowed(col_sums[c] - sum(line), line.count(0), avail, prefix, suffix))
        best = (0, 0)
        best_mask = 0
        best_count = top + 1
        for r in range(rows):
            for c in range(cols):
                if not grid[r][c]:
                    mask = row_ok[r] & col_ok[c]
                    count = mask.bit_count()
                    if count < best_count:
                        best, best_mask, best_count = (r, c), mask, count
        if best_count == 0:
            return True
        r, c = best
        for v in avail:
            if not best_mask >> v & 1:
                continue
            grid[r][c] = v
            unused.discard(v)
            go = rec()
            unused.add(v)
            grid[r][c] = 0
            if not go:
                return False
        return True

    rec()
    return sols, nodes <= _NODE_LIMIT


@register_family
class Survo(LogicFamily):
    """Survo: fill the blanks so that every number 1..R*C appears exactly once and each row and
    column adds up to its given sum. Difficulty sets the grid (3x3, 3x3, 3x4, 3x4, 4x4, 4x4, 4x5,
    4x5, 5x5, 5x5 for 1..10) and the share of cells blanked before uniqueness repair (0.45 up to
    0.7); `size` is the number of cells. Unique solution (solver-checked)."""

    name = "survo"
    title = "Survo"
    description = "Fill a grid with 1..R*C, each once, so that rows and columns hit given sums."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "grid 3x3,3x3,3x4,3x4,4x4,4x4,4x5,4x5,5x5,5x5 (size = cells), blanks 45%..70%; "
        "unique solution"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        rows, cols, share = _LEVELS[max(1, min(10, int(difficulty))) - 1]
        values = list(range(1, rows * cols + 1))
        rng.shuffle(values)
        grid = [values[r * cols : (r + 1) * cols] for r in range(rows)]
        row_sums = [sum(row) for row in grid]
        col_sums = [sum(grid[r][c] for r in range(rows)) for c in range(cols)]
        cells = [(r, c) for r in range(rows) for c in range(cols)]
        blank = set(rng.sample(cells, max(2, round(share * len(cells)))))
        for _ in range(len(cells)):
            fixed = {(r, c): grid[r][c] for r, c in cells if (r, c) not in blank}
            sols, finished = solve(rows, cols, row_sums, col_sums, fixed)
            if finished and len(sols) == 1:
                break
            if not blank:
                break
            other = next((s for s in sols if s != grid), None)
            differ = [
                (r, c) for r, c in sorted(blank) if other is not None and other[r][c] != grid[r][c]
            ]
            # an unfinished search (budget out) reveals several cells at once, to stay bounded
            pool = differ or sorted(blank)
            for cell in rng.sample(pool, 1 if finished else min(3, len(pool))):
                blank.discard(cell)
        width = len(str(rows * cols))
        lines = []
        for r in range(rows):
            cells_txt = " ".join(
                ("_" if (r, c) in blank else str(grid[r][c])).rjust(width) for c in range(cols)
            )
            lines.append(f"{cells_txt} | {row_sums[r]}")
        lines.append(" ".join("-" * width for _ in range(cols)))
        lines.append(" ".join(str(s).rjust(width) for s in col_sums))
        table = "\n".join(lines)
        question = (
            f"Survo puzzle. Fill the blanks (_) of the {rows}x{cols} grid below so that every "
            f"number from 1 to {rows * cols} appears exactly once in the grid. The number after "
            "| is the sum of that row; the numbers under the line are the column sums.\n\n"
            f"{table}\n\n"
            f"Answer format: the complete grid, {rows} lines of {cols} numbers separated by "
            "spaces (given numbers included), for example for a 2x3 grid:\n4 1 6\n2 5 3\n"
            "Put your grid inside <answer></answer>."
        )
        return make_task(
            question,
            grid,
            rows * cols,
            rows=rows,
            cols=cols,
            row_sums=row_sums,
            col_sums=col_sums,
            givens=[[r, c, grid[r][c]] for r, c in cells if (r, c) not in blank],
            blanks=len(blank),
        )

    def check(self, task: Task, answer: str) -> Verdict:
        rows, cols = task.metadata["rows"], task.metadata["cols"]
        lines = [ln for ln in answer.strip().splitlines() if _NUM.search(ln)]
        col_sums = [str(x) for x in task.metadata["col_sums"]]
        if len(lines) == rows + 1 and "|" not in lines[-1] and _NUM.findall(lines[-1]) == col_sums:
            lines = lines[:-1]  # the column sums copied from the question
        if len(lines) != rows:
            return Verdict.unparseable(f"expected {rows} lines of {cols} numbers")
        grid = []
        for r, line in enumerate(lines):
            cells, _, copied = line.partition("|")
            if copied.strip() and _NUM.findall(copied) != [str(task.metadata["row_sums"][r])]:
                # only the row's sum may follow `|`: other numbers there are a second answer
                return Verdict.unparseable(f"after | on line {r + 1}: only the row's sum")
            nums = _NUM.findall(cells)
            if len(nums) != cols or any(len(x) > 4 for x in nums):
                return Verdict.unparseable(f"expected {rows} lines of {cols} numbers")
            grid.append([int(x) for x in nums])
        if sorted(v for row in grid for v in row) != list(range(1, rows * cols + 1)):
            return Verdict.incorrect(f"the grid must hold 1..{rows * cols} once each")
        for r in range(rows):
            if sum(grid[r]) != task.metadata["row_sums"][r]:
                return Verdict.incorrect(f"row {r + 1} does not add up to its sum")
        for c in range(cols):
            if sum(grid[r][c] for r in range(rows)) != task.metadata["col_sums"][c]:
                return Verdict.incorrect(f"column {c + 1} does not add up to its sum")
        for r, c, v in task.metadata["givens"]:
            if grid[r][c] != v:
                return Verdict.incorrect(f"given number at ({r + 1},{c + 1}) changed")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return "\n".join(" ".join(str(v) for v in row) for row in task.answer)
