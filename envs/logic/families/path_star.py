"""Path-star: the path from the center of a star-shaped graph to one leaf, from shuffled edges.

The graph is a center joined to several arms, each a path of the same length; the edges are
listed in random order with random node numbers. The verifier checks the rules: consecutive
nodes of the answer are joined by listed edges, it starts at the center and ends at the target
(in a tree that path is unique).
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict


def _shape(difficulty: int) -> tuple[int, int]:
    """(arms, nodes per arm)."""
    return 2 + (difficulty + 1) // 2, 2 + difficulty // 2


@register_family
class PathStar(LogicFamily):
    """Give the path from the center of a star graph to a target leaf, from shuffled edges.

    Difficulty d sets the arms 2+(d+1)//2 (3..7) and the nodes per arm 2+d//2 (2..7); size =
    effort = edges a search reads. Accepted: the node numbers from the center to the target,
    separated by spaces, commas or `->`. Reward 1/0.
    """

    name = "path_star"
    title = "PathStar"
    description = "Find the path from the center of a star-shaped graph to a leaf."
    difficulty_doc = "arms 2+(d+1)//2 (3..7), nodes per arm 2+d//2 (2..7); edges shuffled"
    equivalents = {"reasoning_gym": "path_star"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        arms, length = _shape(difficulty)
        count = 1 + arms * length
        labels = rng.sample(range(1, 10 * count), count)
        center = labels[0]
        edges, paths = [], []
        for a in range(arms):
            arm = labels[1 + a * length : 1 + (a + 1) * length]
            chain = [center, *arm]
            paths.append(chain)
            edges += [sorted(pair, key=lambda _: rng.random()) for pair in zip(chain, chain[1:])]
        rng.shuffle(edges)
        target = rng.choice(paths)
        shown = ", ".join(f"{a}-{b}" for a, b in edges)
        question = (
            f"An undirected graph has the edges {shown}. Give the path from node {center} to "
            f"node {target[-1]}: the node numbers in order, from {center} to {target[-1]}, "
            "separated by spaces, for example `5 17 3`.\n"
            "Put your final answer inside <answer></answer>."
        )
        return make_task(
            question, target, len(edges), edges=[list(e) for e in edges], start=center,
            end=target[-1], effort=len(edges),
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        text = answer[:2000].strip().rstrip(".")
        if not re.fullmatch(r"[\d\s,;>\-→]+", text):
            return Verdict.unparseable("expected node numbers")
        nodes = [int(v) for v in re.findall(r"\d+", text)]
        m = task.metadata
        if not nodes or nodes[0] != m["start"] or nodes[-1] != m["end"]:
            return Verdict.incorrect(f"the path must run from {m['start']} to {m['end']}")
        if len(set(nodes)) != len(nodes):
            return Verdict.incorrect("a node is visited twice")
        edges = {frozenset(e) for e in m["edges"]}
        for a, b in zip(nodes, nodes[1:], strict=False):
            if frozenset((a, b)) not in edges:
                return Verdict.incorrect(f"no edge {a}-{b}")
        return Verdict.correct()

    def secret_strings(self, task: Task) -> list[str]:
        return []

    def format_answer(self, task: Task) -> str:
        return " ".join(map(str, task.answer))
