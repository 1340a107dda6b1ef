"""Landmark navigation (Enigmata's NL navigation, graph category): from a starting place, find
the shortest route to the nearest landmark of a given kind in a town described in words.

The town is a random connected road network (a spanning tree plus extra roads) whose places are
named landmarks (`Maple Bank`, `River School`, ...), each of one kind. Dijkstra gives the
distance to the nearest landmark of the asked kind. The verifier checks the route: it starts at
the start, every step is a road, it ends at a landmark of that kind, and its length equals that
shortest distance. Any shortest route to any nearest landmark of the kind scores 1.
"""

from __future__ import annotations

import heapq
import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_NAMES = (
    "Maple", "River", "Hill", "Oak", "Lake", "Cedar", "Pine", "Stone", "Bridge", "Elm", "Park",
    "Mill", "Rose", "Harbor", "Valley", "Forest", "Sunny", "North", "South", "Old", "Green",
    "Willow", "Castle", "Meadow", "Birch", "Cliff", "Brook", "Garden",
)  # fmt: skip
_KINDS = ("Bank", "School", "Cafe", "Library", "Hospital", "Bakery", "Museum", "Pharmacy")
_SPLIT = re.compile(r"\s*(?:->|→|,|;|\bthen\b|\n)\s*", re.IGNORECASE)


def _shape(difficulty: int) -> tuple[int, int]:
    return 5 + 2 * difficulty, 3 + (difficulty - 1) // 3  # (places 7..25, kinds 3..6)


def distances(n: int, roads: list[list[int]], start: int) -> list[float]:
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for a, b, w in roads:
        adj[a].append((b, w))
        adj[b].append((a, w))
    dist = [float("inf")] * n
    dist[start] = 0
    heap = [(0, start)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v, w in adj[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist


@register_family
class LandmarkNavigation(LogicFamily):
    """Give the shortest route from the start to the nearest landmark of the asked kind.

    Accepted: the place names along the route from the start to the landmark, separated by `->`,
    commas, semicolons or lines (case and extra spaces ignored). Not accepted: an unknown
    place, a step with no road, a longer route, a route ending at a landmark of another kind.
    """

    name = "landmark_navigation"
    title = "LandmarkNavigation"
    description = "Find the shortest route to the nearest landmark of a kind in a described town."
    difficulty_doc = (
        "places 5+2d (7..25; size), kinds 3+(d-1)//3 (3..6); a spanning tree plus ~0.5 extra "
        "roads per place, lengths 1..9"
    )
    equivalents = {"enigmata": "natural_language_navigation"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n, k = _shape(difficulty)
        kinds = rng.sample(_KINDS, k)
        while True:
            adjectives = rng.sample(_NAMES, n)
            types = [kinds[i % k] for i in range(n)]
            rng.shuffle(types)
            names = [f"{a} {t}" for a, t in zip(adjectives, types)]
            roads: dict[tuple[int, int], int] = {}
            order = list(range(n))
            rng.shuffle(order)
            for i in range(1, n):
                a, b = order[i], order[rng.randrange(i)]
                roads[(min(a, b), max(a, b))] = rng.randint(1, 9)
            for _ in range(n // 2):
                a, b = rng.sample(range(n), 2)
                roads.setdefault((min(a, b), max(a, b)), rng.randint(1, 9))
            road_list = [[a, b, w] for (a, b), w in sorted(roads.items())]
            start = rng.randrange(n)
            goal = rng.choice([t for t in kinds if t != types[start]])
            dist = distances(n, road_list, start)
            targets = [i for i in range(n) if types[i] == goal]
            best = min(dist[i] for i in targets)
            if sum(dist[i] == best for i in targets) == 1 and best > 0:
                break
        end = next(i for i in targets if dist[i] == best)
        # one shortest route, walking back along tight roads
        route = [end]
        while route[-1] != start:
            here = route[-1]
            for a, b, w in road_list:
                other = b if a == here else a if b == here else None
                if other is not None and dist[other] + w == dist[here]:
                    route.append(other)
                    break
        route.reverse()
        facts = [f"A road of {w} km joins {names[a]} and {names[b]}." for a, b, w in road_list]
        rng.shuffle(facts)
        question = (
            "In a small town every place is a landmark named after its kind "
            f"({', '.join(kinds)}). These are all the roads (roads run both ways):\n"
            + "\n".join(facts)
            + f"\n\nYou are at {names[start]}. Find the shortest route to the nearest "
            f"{goal} (the one with the shortest road distance). Answer with the places along the "
            "route, from where you are to the destination, separated by ` -> `, for example "
            "<answer>Oak Cafe -> Lake Bank</answer>. Put your answer inside <answer></answer>."
        )
        return make_task(
            question,
            [names[i] for i in route],
            n,
            names=names,
            types=types,
            roads=road_list,
            start=start,
            goal=goal,
            distance=best,
        )

    def check(self, task: Task, answer: str) -> Verdict:
        names = [x.lower() for x in task.metadata["names"]]
        if len(answer) > 20_000:
            return Verdict.unparseable("answer too long")
        parts = [" ".join(p.lower().split()).strip(".") for p in _SPLIT.split(answer.strip())]
        parts = [p for p in parts if p]
        if not parts or any(p not in names for p in parts):
            return Verdict.unparseable("expected place names separated by ->")
        route = [names.index(p) for p in parts]
        if route[0] != task.metadata["start"]:
            return Verdict.incorrect("the route does not begin where you are")
        lengths = {}
        for a, b, w in task.metadata["roads"]:
            lengths[(a, b)] = lengths[(b, a)] = w
        total = 0
        for a, b in zip(route, route[1:]):
            if (a, b) not in lengths:
                return Verdict.incorrect(f"no road joins {parts[route.index(a)]} and {names[b]}")
            total += lengths[(a, b)]
        if task.metadata["types"][route[-1]] != task.metadata["goal"]:
            return Verdict.incorrect(f"the route does not end at a {task.metadata['goal']}")
        if total != task.metadata["distance"]:
            return Verdict.incorrect(f"the route is {total} km; a shorter one exists")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return " -> ".join(task.answer)
