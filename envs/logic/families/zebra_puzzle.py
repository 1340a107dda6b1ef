"""Zebra (Einstein) puzzles: houses in a row, one value of each attribute per house, and clues.

A constraint solver (bitmask domains, arc consistency on the clues, all-different per attribute,
backtracking) counts solutions. The generator adds true clues, each chosen to rule out a rival
solution the solver found, until exactly one solution remains, then drops clues that are not
needed. The verifier checks the submitted
table against the rules and every clue.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

ATTRIBUTES: list[tuple[str, list[str], str]] = [
    ("color", ["red", "green", "blue", "yellow", "white", "black", "orange"], "the person in the {} house"),
    ("nationality", ["Brit", "Swede", "Dane", "Norwegian", "German", "Spaniard", "Italian"], "the {}"),
    ("pet", ["dog", "cat", "bird", "fish", "horse", "rabbit", "snake"], "the person who keeps the {}"),
    ("drink", ["tea", "coffee", "milk", "water", "juice", "soda", "cocoa"], "the person who drinks {}"),
    ("hobby", ["chess", "painting", "hiking", "gardening", "reading", "cycling", "knitting"], "the person who enjoys {}"),
    ("food", ["pizza", "sushi", "pasta", "tacos", "salad", "curry", "soup"], "the person who eats {}"),
    ("music", ["jazz", "rock", "pop", "blues", "folk", "opera", "reggae"], "the person who likes {}"),
]  # fmt: skip

# (houses, attributes) for difficulty 1..10; size = houses * attributes, non-decreasing
_SHAPES = [(3, 2), (3, 3), (4, 3), (4, 4), (5, 4), (5, 5), (6, 5), (6, 6), (7, 6), (7, 7)]
_EASY = ["at", "same", "same", "not_same", "left_of", "next_to"]
_HARD = ["same", "same", "not_at", "not_same", "left_of", "next_to", "next_to", "before"]
_ORDINAL = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh"]


def _holds(kind: str, px: int, py: int) -> bool:
    if kind == "at":
        return px == py
    if kind == "not_at":
        return px != py
    if kind == "same":
        return px == py
    if kind == "not_same":
        return px != py
    if kind == "left_of":
        return px + 1 == py
    if kind == "next_to":
        return abs(px - py) == 1
    if kind == "before":
        return px < py
    raise ValueError(f"unknown clue kind {kind!r}")


def _support(kind: str, other: int, full: int, forward: bool) -> int:
    """Houses x may take given y's domain `other` (forward) or vice versa (backward)."""
    if kind == "same":
        return other
    if kind == "not_same":
        return full & ~other if other & (other - 1) == 0 else full
    if kind == "left_of":  # x + 1 == y
        return (other >> 1 if forward else other << 1) & full
    if kind == "next_to":
        return ((other >> 1) | (other << 1)) & full
    if kind == "before":  # x < y
        if forward:
            return (1 << (other.bit_length() - 1)) - 1
        low = other & -other
        return full & ~((low << 1) - 1)
    raise ValueError(kind)


class Solver:
    """Counts solutions of a zebra puzzle (up to a limit). Variables are (attribute, value) pairs
    numbered a*n + j; a clue is (kind, x, y) with y a house index for at/not_at."""

    def __init__(self, n: int, k: int, clues: list[tuple[str, int, int]]) -> None:
        self.n, self.k, self.full = n, k, (1 << n) - 1
        self.unary = [(kd, x, y) for kd, x, y in clues if kd in ("at", "not_at")]
        self.binary = [(kd, x, y) for kd, x, y in clues if kd not in ("at", "not_at")]
        self.by_var: list[list[tuple[str, int, int, bool]]] = [[] for _ in range(n * k)]
        for kd, x, y in self.binary:
            self.by_var[y].append((kd, x, y, True))  # when y changes, revise x
            self.by_var[x].append((kd, x, y, False))  # when x changes, revise y

    def _propagate(self, dom: list[int], queue: list[int]) -> bool:
        n, full = self.n, self.full
        while True:
            while queue:
                v = queue.pop()
                d = dom[v]
                if d == 0:
                    return False
                if d & (d - 1) == 0:  # singleton: all-different within the attribute
                    base = (v // n) * n
                    for w in range(base, base + n):
                        if w != v and dom[w] & d:
                            dom[w] &= ~d
                            if not dom[w]:
                                return False
                            queue.append(w)
                for kd, x, y, forward in self.by_var[v]:
                    if forward:
                        target, new = x, dom[x] & _support(kd, dom[y], full, True)
                    else:
                        target, new = y, dom[y] & _support(kd, dom[x], full, False)
                    if new != dom[target]:
                        if not new:
                            return False
                        dom[target] = new
                        queue.append(target)
            # hidden singles: a house that only one value of an attribute can still take
            for base in range(0, len(dom), n):
                once = twice = 0
                for w in range(base, base + n):
                    twice |= once & dom[w]
                    once |= dom[w]
                if once != full:
                    return False
                single = once & ~twice
                if single:
                    for w in range(base, base + n):
                        bit = dom[w] & single
                        if bit and dom[w] != bit:
                            if bit & (bit - 1):
                                return False  # one value would need two houses
                            dom[w] = bit
                            queue.append(w)
            if not queue:
                return True

    def solve(self, limit: int = 2, budget: int = 1_000) -> list[list[int]] | None:
        """Up to `limit` solutions (house of each variable); None when the search budget ran out
        before the answer was certain."""
        dom = [self.full] * (self.n * self.k)
        for kd, x, h in self.unary:
            dom[x] &= (1 << h) if kd == "at" else ~(1 << h)
        found: list[list[int]] = []
        steps = [0]

        def search(dom: list[int]) -> None:
            steps[0] += 1
            if len(found) >= limit or steps[0] > budget:
                return
            open_vars = [v for v in range(len(dom)) if dom[v] & (dom[v] - 1)]
            if not open_vars:
                found.append([d.bit_length() - 1 for d in dom])
                return
            v = min(open_vars, key=lambda w: bin(dom[w]).count("1"))
            d = dom[v]
            while d:
                bit = d & -d
                d ^= bit
                trial = list(dom)
                trial[v] = bit
                if self._propagate(trial, [v]):
                    search(trial)

        if self._propagate(dom, list(range(len(dom)))):
            search(dom)
        if steps[0] > budget and len(found) < limit:
            return None
        return found


def _phrase(a: int, j: int) -> str:
    return ATTRIBUTES[a][2].format(ATTRIBUTES[a][1][j])


def _clue_text(kind: str, x: int, y: int, n: int) -> str:
    px = _phrase(x // n, x % n)
    if kind in ("at", "not_at"):
        if x // n == 0:  # colours name the house itself
            verb = "is" if kind == "at" else "is not"
            color = ATTRIBUTES[0][1][x % n]
            return f"The {_ORDINAL[y]} house {verb} the {color} one."
        verb = "lives" if kind == "at" else "does not live"
        return f"{px[0].upper()}{px[1:]} {verb} in the {_ORDINAL[y]} house."
    py = _phrase(y // n, y % n)
    cap = px[0].upper() + px[1:]
    return {
        "same": f"{cap} is {py}.",
        "not_same": f"{cap} is not {py}.",
        "left_of": f"{cap} lives directly to the left of {py}.",
        "next_to": f"{cap} lives next to {py}.",
        "before": f"{cap} lives somewhere to the left of {py}.",
    }[kind]


def _random_clue(rng: random.Random, gold: list[int], n: int, k: int, kinds: list[str]):
    """A clue that is true of the gold solution (gold[var] = house)."""
    for _ in range(200):
        kind = rng.choice(kinds)
        x = rng.randrange(n * k)
        if kind in ("at", "not_at"):
            y = gold[x] if kind == "at" else rng.choice([h for h in range(n) if h != gold[x]])
            return (kind, x, y)
        y = rng.randrange(n * k)
        if x // n == y // n:
            continue
        if _holds(kind, gold[x], gold[y]):
            return (kind, x, y)
    return ("at", 0, gold[0])


def _prune(
    rng: random.Random, clues: list[tuple[str, int, int]], n: int, k: int, attempts: int
) -> list[tuple[str, int, int]]:
    """Drop clues the solution does not need (tried in random order, `attempts` at most), so
    puzzles are not padded with redundant facts; uniqueness is re-proved after each removal."""
    order = list(range(len(clues)))
    rng.shuffle(order)
    keep = [True] * len(clues)
    for i in order[:attempts]:
        keep[i] = False
        trial = [c for c, kept in zip(clues, keep) if kept]
        found = Solver(n, k, trial).solve(limit=2, budget=300)
        if found is None or len(found) != 1:  # not provably unique without it (cheaply): keep
            keep[i] = True
    return [c for c, kept in zip(clues, keep) if kept]


def _table(houses: list[list[str]]) -> str:
    return "\n".join(f"House {i + 1}: {', '.join(row)}" for i, row in enumerate(houses))


@register_family
class ZebraPuzzle(LogicFamily):
    """Einstein's riddle: fill a table of houses x attributes from clues; the solution is unique.

    Difficulty d sets houses x attributes: 3x2, 3x3, 4x3, 4x4, 5x4, 5x5, 6x5, 6x6, 7x6, 7x7 for
    d=1..10 (size = cells); from d=5 the clues drop direct "lives in the k-th house" facts in favour
    of negative and relative ones ("somewhere to the left of"). Uniqueness is checked by a
    constraint solver. Reward 1/0.
    """

    name = "zebra_puzzle"
    title = "ZebraPuzzle"
    description = "Einstein-style zebra puzzles: deduce who lives where from clues."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = (
        "houses x attributes 3x2, 3x3, 4x3, 4x4, 5x4, 5x5, 6x5, 6x6, 7x6, 7x7 (d1..d10); "
        "from d5 only negative/relative position clues"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, k = _SHAPES[max(1, min(10, difficulty)) - 1]
        kinds = _EASY if difficulty < 5 else _HARD
        attrs = sorted(rng.sample(range(len(ATTRIBUTES)), k))
        values = [sorted(rng.sample(range(len(ATTRIBUTES[a][1])), n)) for a in attrs]
        perms = []
        for _ in range(k):
            p = list(range(n))
            rng.shuffle(p)
            perms.append(p)
        gold = [perms[a][j] for a in range(k) for j in range(n)]  # var a*n+j -> house
        clues = [_random_clue(rng, gold, n, k, kinds) for _ in range(n * k // 2)]
        for _round in range(4 * n * k):
            solutions = Solver(n, k, clues).solve(limit=2)
            if solutions is None:  # too open to decide within budget: pin one value down
                x = rng.randrange(n * k)
                clues.append(("at", x, gold[x]))
                continue
            rivals = [s for s in solutions if s != gold]
            if not rivals:
                break
            rival, added = rivals[0], 0
            for _try in range(60):
                clue = _random_clue(rng, gold, n, k, kinds)
                if not _holds(clue[0], rival[clue[1]], _target(clue, rival)):
                    clues.append(clue)
                    added += 1
                    if added == 2:
                        break
            if not added:
                x = next(v for v in range(n * k) if rival[v] != gold[v])
                clues.append(("at", x, gold[x]))
        else:  # bounded: the round cap is never reached in practice, but uniqueness must hold
            clues += [("at", x, gold[x]) for x in range(n * k)]
        clues = list(dict.fromkeys(clues))  # drop repeated clues, keep the order
        attempts = len(clues) if difficulty <= 7 else 30
        clues = _prune(rng, clues, n, k, attempts)
        rng.shuffle(clues)

        def word(a: int, j: int) -> str:
            return ATTRIBUTES[attrs[a]][1][values[a][j]]

        # local (attr index, value index) -> display phrase uses the global attribute tables
        def text(clue: tuple[str, int, int]) -> str:
            kind, x, y = clue
            gx = attrs[x // n] * 7 + values[x // n][x % n]
            gy = y if kind in ("at", "not_at") else attrs[y // n] * 7 + values[y // n][y % n]
            return _clue_text(kind, gx, gy, 7)

        houses = [["" for _ in range(k)] for _ in range(n)]
        for a in range(k):
            for j in range(n):
                houses[gold[a * n + j]][a] = word(a, j)
        names = [ATTRIBUTES[attrs[a]][0] for a in range(k)]
        listing = "\n".join(
            f"- {names[a]}: {', '.join(word(a, j) for j in range(n))}" for a in range(k)
        )
        question = (
            f"{n} houses stand in a row, numbered 1 to {n} from left to right. Each house has "
            f"exactly one value of each attribute below, and no two houses share a value:\n"
            f"{listing}\n\nClues:\n"
            + "\n".join(f"{i + 1}. {text(c)}" for i, c in enumerate(clues))
            + "\n\n'Next to' means in an adjacent house; 'directly to the left' means in the house "
            "just before it.\nGive the full solution: one line per house, in the form\n"
            f"House 1: {', '.join(f'<{x}>' for x in names)}\n"
            "with the values in that attribute order. Put your final answer inside "
            "<answer></answer>."
        )
        return make_task(
            question,
            houses,
            n * k,
            houses=n,
            attributes=names,
            values=[[word(a, j) for j in range(n)] for a in range(k)],
            clues=[list(c) for c in clues],
        )

    def check(self, task: Task, answer: str) -> Verdict:
        n = int(task.metadata["houses"])
        values: list[list[str]] = task.metadata["values"]
        lookup = {v.lower(): (a, j) for a, vals in enumerate(values) for j, v in enumerate(vals)}
        k = len(values)
        position: list[int | None] = [None] * (n * k)
        lines = [ln for ln in answer[:20_000].splitlines() if ln.strip()]
        read_any = False
        listed: dict[int, str] = {}  # houses whose line placed a value: that line's words
        for row, line in enumerate(lines):
            m = re.match(r"\s*(?:house\s*)?(\d{1,6})\s*[:.)\-|]", line, re.I)
            house = int(m.group(1)) - 1 if m else row
            rest = line[m.end() :] if m else line
            placed = False
            words = " ".join(re.findall(r"[A-Za-z]+", rest)).lower()
            for w in re.findall(r"[A-Za-z]+", rest):
                if w.lower() not in lookup:
                    continue
                if not placed and listed.get(house, words) != words:
                    # a second line for the house: two solutions given at once, not one
                    return Verdict.incorrect(f"house {house + 1} is listed twice")
                placed = True
                if not 0 <= house < n:
                    return Verdict.incorrect(f"house {house + 1} does not exist")
                a, j = lookup[w.lower()]
                var = a * n + j
                if position[var] is not None and position[var] != house:
                    return Verdict.incorrect(f"{w} placed in two houses")
                position[var] = house
                read_any = True
            if placed:
                listed[house] = words
            elif m and words:
                # `House 1: fish, milk` after the solution: another puzzle's line, a second
                # answer for house 1 in values this puzzle does not have
                return Verdict.incorrect(f"house {house + 1}: no value of this puzzle in {words!r}")
        if not read_any:
            return Verdict.unparseable("no attribute values found")
        if any(p is None for p in position):
            return Verdict.incorrect("some values are not placed")
        for a in range(k):
            if sorted(position[a * n : (a + 1) * n]) != list(range(n)):  # type: ignore[type-var]
                return Verdict.incorrect(f"two houses share a {task.metadata['attributes'][a]}")
        pos = [int(p) for p in position]  # type: ignore[arg-type]
        for kind, x, y in task.metadata["clues"]:
            if not _holds(kind, pos[x], y if kind in ("at", "not_at") else pos[y]):
                return Verdict.incorrect("a clue is violated")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """Two houses swap one attribute's values (the solution is unique, so this is wrong)."""
        out = []
        k = len(task.answer[0])
        for a in sorted({0, k // 2, k - 1}):
            rows = [list(r) for r in task.answer]
            rows[0][a], rows[1][a] = rows[1][a], rows[0][a]
            out.append(_table(rows))
        return out

    def format_answer(self, task: Task) -> str:
        return _table(task.answer)


def _target(clue: tuple[str, int, int], solution: list[int]) -> int:
    kind, _x, y = clue
    return y if kind in ("at", "not_at") else solution[y]
