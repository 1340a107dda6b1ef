"""Hamiltonian path (Enigmata's graph task): visit every vertex of a graph exactly once.

The graph is a planted Hamiltonian path (or cycle, see `hamiltonian_cycle`) over shuffled
vertex labels plus random extra edges, so a solution always exists. The verifier checks the
rules: every vertex exactly once and every consecutive pair joined by an edge. Any such path
scores 1.
"""

from __future__ import annotations

import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._common import read_int_list
from gymhub.types import Task, Verdict


def vertices(difficulty: int) -> int:
    return 4 + 2 * difficulty  # 6..24


def planted_graph(rng: random.Random, n: int, cycle: bool) -> tuple[list[int], list[list[int]]]:
    """(planted order, sorted edge list) with vertices 1..n; about n/2 + n//3 decoy edges."""
    order = rng.sample(range(1, n + 1), n)
    edges = {tuple(sorted((order[i], order[i + 1]))) for i in range(n - 1)}
    if cycle:
        edges.add(tuple(sorted((order[0], order[-1]))))
    extra = n // 2 + n // 3
    tries = 0
    while extra and tries < 50 * n:
        tries += 1
        a, b = rng.sample(range(1, n + 1), 2)
        e = (min(a, b), max(a, b))
        if e not in edges:
            edges.add(e)
            extra -= 1
    return order, [list(e) for e in sorted(edges)]


def edge_text(edges: list[list[int]]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in edges)


def check_walk(order: list[int] | None, n: int, edges: list[list[int]], cycle: bool) -> Verdict:
    if order is None:
        return Verdict.unparseable("expected vertex numbers separated by spaces, commas or ->")
    if cycle and len(order) == n + 1 and order[0] == order[-1]:
        order = order[:-1]
    if sorted(order) != list(range(1, n + 1)):
        return Verdict.incorrect(f"the vertices 1..{n} are not each visited exactly once")
    known = {(a, b) for a, b in edges} | {(b, a) for a, b in edges}
    steps = list(zip(order, order[1:])) + ([(order[-1], order[0])] if cycle else [])
    for a, b in steps:
        if (a, b) not in known:
            return Verdict.incorrect(f"there is no edge {a}-{b}")
    return Verdict.correct()


@register_family
class HamiltonianPath(LogicFamily):
    """Give a path through an undirected graph that visits every vertex exactly once.

    Accepted: the vertex numbers in path order separated by spaces, commas or `->`. Not accepted:
    a vertex missing or repeated, any word, a step without an edge.
    """

    name = "hamiltonian_path"
    title = "HamiltonianPath"
    description = "Find a path visiting every vertex of a graph exactly once."
    difficulty_doc = "vertices 4+2d (6..24; size), about 0.8 extra edges per vertex beyond the path"
    equivalents = {"enigmata": "hamiltonian_path"}
    cycle = False

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        n = vertices(difficulty)
        order, edges = planted_graph(rng, n, self.cycle)
        what = (
            "a Hamiltonian cycle: a closed tour that visits every vertex exactly once and "
            "returns to its start along an edge"
            if self.cycle
            else "a Hamiltonian path: a route that visits every vertex exactly once"
        )
        example = "1 -> 3 -> 2 -> 4" + (" (the edge 4-1 closes it)" if self.cycle else "")
        question = (
            f"An undirected graph has the vertices 1 to {n} and these edges:\n"
            f"{edge_text(edges)}\n\n"
            f"Find {what}, moving only along edges. Answer with the vertices in order, separated "
            f"by ` -> ` (or spaces or commas), for example for another graph {example}. "
            "Put your answer inside <answer></answer>."
        )
        return make_task(question, order, n, n=n, edges=edges)

    def check(self, task: Task, answer: str) -> Verdict:
        return check_walk(
            read_int_list(answer), task.metadata["n"], task.metadata["edges"], self.cycle
        )

    def format_answer(self, task: Task) -> str:
        return " -> ".join(map(str, task.answer))
