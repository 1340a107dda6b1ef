"""Shortest path: find a cheapest route between two towns of a weighted road network.

The verifier checks the rules: the route starts and ends at the asked towns, every step uses a
listed road, and its total length equals the optimum that Dijkstra's algorithm computes on the
stated roads, so any shortest route scores 1.
"""

from __future__ import annotations

import heapq
import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families.task_ordering import TOKEN
from gymhub.types import Task, Verdict

TOWNS = [
    "Ash", "Bay", "Cove", "Dale", "Elm", "Fen", "Glen", "Holt", "Isle", "Jade", "Kirk", "Lyme",
    "Moor", "Nook", "Oak", "Pike", "Quay", "Rye", "Sand", "Tarn",
]  # fmt: skip


def roads_of(edges: list[list]) -> dict[str, dict[str, int]]:
    roads: dict[str, dict[str, int]] = {}
    for a, b, w in edges:
        roads.setdefault(a, {})[b] = w
        roads.setdefault(b, {})[a] = w
    return roads


def shortest(edges: list[list], start: str, goal: str) -> tuple[int, list[str]]:
    """Dijkstra: (length, one shortest route), ties broken by town name."""
    roads = roads_of(edges)
    best = {start: 0}
    came: dict[str, str] = {}
    heap = [(0, start)]
    while heap:
        dist, town = heapq.heappop(heap)
        if dist > best.get(town, dist):
            continue
        if town == goal:
            break
        for other, w in sorted(roads.get(town, {}).items()):
            if dist + w < best.get(other, 1 << 60):
                best[other] = dist + w
                came[other] = town
                heapq.heappush(heap, (dist + w, other))
    route = [goal]
    while route[-1] != start:
        route.append(came[route[-1]])
    return best[goal], route[::-1]


@register_family
class ShortestPath(LogicFamily):
    """Find a shortest route between two towns; any route of optimal length scores.

    Difficulty d sets the towns 4 + 16*(d-1)//9 (4..20, size) and the roads (a random spanning
    tree plus about 0.6 extra roads per town, lengths 1..9, up to 15 from d6); the two towns
    asked about are far apart in road count. Reward 1/0.
    """

    name = "shortest_path"
    title = "ShortestPath"
    description = "Find a shortest route between two towns of a weighted road network."
    difficulty_doc = (
        "towns 4+16(d-1)//9 (4..20); a spanning tree plus ~0.6 extra roads per town; lengths "
        "1..9 (1..15 from d6); the asked towns are far apart"
    )

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 4 + 16 * (difficulty - 1) // 9
        towns = rng.sample(TOWNS, count)
        top = 9 if difficulty < 6 else 15
        edges: list[list] = []
        pairs: set[tuple[str, str]] = set()
        for i in range(1, count):
            a, b = towns[i], towns[rng.randrange(i)]
            edges.append([a, b, rng.randint(1, top)])
            pairs.add((min(a, b), max(a, b)))
        for _ in range(int(0.6 * count) + 1):
            a, b = rng.sample(towns, 2)
            if (min(a, b), max(a, b)) not in pairs:
                pairs.add((min(a, b), max(a, b)))
                edges.append([a, b, rng.randint(1, top)])
        rng.shuffle(edges)
        start = towns[0]
        hops = {t: len(shortest([[a, b, 1] for a, b, _ in edges], start, t)[1]) for t in towns}
        goal = max(towns[1:], key=lambda t: (hops[t], t))
        length, route = shortest(edges, start, goal)
        lines = "\n".join(f"- {a} - {b}: {w} km" for a, b, w in edges)
        question = (
            f"Two-way roads connect these {count} towns (length in km):\n{lines}\n\n"
            f"Find a shortest route from {start} to {goal}. Answer with the towns along the route "
            "in order, from start to end, separated by spaces, for example `Zed Yar Xen`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(question, route, count, edges=edges, start=start, goal=goal, length=length)

    def check(self, task: Task, answer: str) -> Verdict:
        edges = task.metadata["edges"]
        roads = roads_of(edges)
        by_lower = {t.lower(): t for t in roads}
        words = TOKEN.findall(answer[:5000])
        if not words or any(w.lower() not in by_lower for w in words):
            return Verdict.unparseable("expected town names separated by spaces")
        route = [by_lower[w.lower()] for w in words]
        start, goal = task.metadata["start"], task.metadata["goal"]
        if route[0] != start or route[-1] != goal:
            return Verdict.incorrect(f"the route must go from {start} to {goal}")
        total = 0
        for a, b in zip(route, route[1:], strict=False):
            if b not in roads[a]:
                return Verdict.incorrect(f"no road between {a} and {b}")
            total += roads[a][b]
        best, _ = shortest(edges, start, goal)
        if total != best:
            return Verdict.incorrect(f"route length {total} km, the shortest is {best} km")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """The route reversed, cut short, and with a detour back and forth along its first road."""
        route = list(task.answer)
        return [
            " ".join(route[::-1]),
            " ".join(route[:-1]),
            " ".join([route[0], route[1], *route]),
        ]

    def format_answer(self, task: Task) -> str:
        return " ".join(task.answer)
