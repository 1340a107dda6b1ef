"""Rush hour: slide cars on a 6x6 lot so that car A can leave through the exit on the right.

Cars move only along their own direction and never through each other; a move slides one car
any number of cells. A breadth-first search over positions finds the fewest moves at
generation; the verifier replays the answer (the rules) and accepts any legal sequence that
frees car A in that many moves or fewer.
"""

from __future__ import annotations

import random
import re
from collections import deque

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import swap_paid_example
from gymhub.types import Task, Verdict

SIDE = 6
EXIT_ROW = 2
MAX_STATES = 6_000  # a lot needing more positions counts as unsolved
ATTEMPTS = 4
_MOVE = re.compile(r"([A-Ma-m])[ \t]*([+-][ \t]*\d{1,2})")


def cells(car: list, offset: int) -> list[tuple[int, int]]:
    """The cells of a car [horizontal, fixed line, length] at `offset` along its line."""
    horizontal, line, length = car
    return [(line, offset + i) if horizontal else (offset + i, line) for i in range(length)]


def slides(cars: list[list], state: tuple[int, ...]):
    """Every legal (car, new offset) from `state`."""
    taken = {cell for car, off in zip(cars, state, strict=True) for cell in cells(car, off)}
    for i, (car, off) in enumerate(zip(cars, state, strict=True)):
        mine = set(cells(car, off))
        for step in (-1, 1):
            new = off + step
            while 0 <= new and new + car[2] <= SIDE:
                if any(c in taken and c not in mine for c in cells(car, new)):
                    break
                yield i, new
                new += step


def solve(cars: list[list], start: tuple[int, ...]) -> tuple[list[tuple[int, int]] | None, int]:
    """(fewest slides as (car, delta) that bring car 0 to the right edge, or None; expanded).
    Cells are bits of a 36-bit occupancy mask, so each position is cheap to expand."""
    masks = [
        [sum(1 << (r * SIDE + c) for r, c in cells(car, off)) for off in range(SIDE - car[2] + 1)]
        for car in cars
    ]
    goal = SIDE - cars[0][2]
    parent: dict = {start: None}
    queue = deque([start])
    expanded = 0
    while queue and expanded < MAX_STATES:
        state = queue.popleft()
        if state[0] == goal:
            path = []
            while parent[state] is not None:
                state, move = parent[state]
                path.append(move)
            return path[::-1], expanded
        expanded += 1
        occupied = 0
        for i, off in enumerate(state):
            occupied |= masks[i][off]
        for i, off in enumerate(state):
            mine = masks[i]
            other = occupied ^ mine[off]
            for step in (-1, 1):
                new = off + step
                while 0 <= new < len(mine) and not mine[new] & other:
                    nxt = state[:i] + (new,) + state[i + 1 :]
                    if nxt not in parent:
                        parent[nxt] = (state, (i, new - off))
                        queue.append(nxt)
                    new += step
    return None, expanded


def board(cars: list[list], state: tuple[int, ...]) -> str:
    grid = [["." for _ in range(SIDE)] for _ in range(SIDE)]
    for i, (car, off) in enumerate(zip(cars, state, strict=True)):
        for r, c in cells(car, off):
            grid[r][c] = chr(ord("A") + i)
    return "\n".join(" ".join(row) for row in grid)


@register_family
class RushHour(LogicFamily):
    """Free car A through the right-hand exit in the fewest slides (any optimal plan scores).

    Difficulty d sets the other cars 2+d (3..12; size = 3+d, the cars asked for: a lot too
    crowded to solve within the search budget loses its last cars); of up to 4 random lots the
    one needing the most slides is kept (stopping at 2+d//4 slides; the breadth-first search's
    expanded positions are `bfs_states`); effort falls back to size. Accepted: slides as
    `letter+cells` / `letter-cells` (right or down is +, left or up is -), separated by commas
    or spaces, at most the optimum. Reward 1/0.
    """

    name = "rush_hour"
    title = "RushHour"
    description = "Slide cars on a 6x6 lot so that car A can leave through the exit."
    difficulty_doc = "other cars 2+d (3..12); the hardest of up to 4 random lots is kept"
    equivalents = {"reasoning_gym": "rush_hour"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        best = None
        for _attempt in range(ATTEMPTS):
            cars: list[list] = [[True, EXIT_ROW, 2]]
            state = [rng.randint(0, 2)]
            taken = set(cells(cars[0], state[0]))
            for _ in range(60):
                if len(cars) == 3 + difficulty:
                    break
                car = [rng.random() < 0.5, rng.randrange(SIDE), rng.choice([2, 2, 3])]
                if car[0] and car[1] == EXIT_ROW:
                    continue  # no other car shares the exit row lengthwise
                off = rng.randint(0, SIDE - car[2])
                if taken.isdisjoint(cells(car, off)):
                    cars.append(car)
                    state.append(off)
                    taken.update(cells(car, off))
            path, expanded = solve(cars, tuple(state))
            if path and (best is None or len(path) > len(best[2])):
                best = (cars, tuple(state), path, expanded)
            if best and len(best[2]) >= 2 + difficulty // 4:
                break
        while best is None and len(cars) > 1:  # too crowded: take cars away until it solves
            cars, state = cars[:-1], state[:-1]
            path, expanded = solve(cars, tuple(state))
            if path:
                best = (cars, tuple(state), path, expanded)
        if best is None:  # car A alone always drives out (it never starts at the exit)
            best = ([[True, EXIT_ROW, 2]], (state[0],), [(0, SIDE - 2 - state[0])], 1)
        cars, start, path, expanded = best
        letters = [chr(ord("A") + i) for i in range(len(cars))]
        question = (
            f"A 6x6 parking lot (rows top to bottom; `.` is empty, letters are cars):\n\n"
            f"{board(cars, start)}\n\nThe exit is at the right end of row {EXIT_ROW + 1}, car "
            "A's row. Each car slides only along its length (a horizontal car left or right, a "
            "vertical car up or down), any number of empty cells per move, never through "
            "another car or off the lot. Give a plan with the fewest moves that brings car A to "
            "the right edge. Write each move as the car's letter and the cells it slides, `+` "
            "for right or down and `-` for left or up, separated by commas, for example "
            "`B-1, A+3`.\nPut your final answer inside <answer></answer>."
        )
        gold = [f"{letters[i]}{d:+d}" for i, d in path]
        task = make_task(
            question, gold, 3 + difficulty, cars=cars, start=list(start), optimum=len(path),
            bfs_states=expanded,
        )  # fmt: skip
        return swap_paid_example(self, task, "B-1, A+3", "C+1, A+2")

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:2000]
        moves = _MOVE.findall(text)
        if not moves or re.search(r"[^\s,;.]", _MOVE.sub(" ", text)):
            return Verdict.unparseable("expected moves such as B-1, A+3")
        m = task.metadata
        cars = m["cars"]
        state = list(m["start"])
        for k, (letter, delta) in enumerate(moves, 1):
            i, d = ord(letter.upper()) - ord("A"), int(re.sub(r"\s", "", delta))
            if i >= len(cars) or d == 0:
                return Verdict.incorrect(f"move {k}: no such car or no slide")
            legal = {new for car, new in slides(cars, tuple(state)) if car == i}
            if state[i] + d not in legal or not all(
                state[i] + s in legal for s in range(min(d, 0), max(d, 0) + 1) if s
            ):
                return Verdict.incorrect(f"move {k}: {letter}{delta} is blocked or off the lot")
            state[i] += d
        if state[0] != SIDE - cars[0][2]:
            return Verdict.incorrect("car A does not reach the exit")
        if len(moves) > m["optimum"]:
            return Verdict.incorrect(f"{len(moves)} moves; {m['optimum']} are enough")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """The plan without its last move, with an extra back-and-forth of car A, and car A
        driven straight out (blocked whenever the optimum needs other moves first)."""
        gold = list(task.answer)
        out = [", ".join(gold[:-1]) or "A-1", ", ".join([*gold, "A-1"])]
        out.append(", ".join(["A+1", "A-1", *gold]))
        return out

    def format_answer(self, task: Task) -> str:
        return ", ".join(task.answer)
