"""Graph coloring: color a graph's vertices with k colors so that no edge joins equal colors.

Generation plants a k-coloring (every color used, one vertex of each color joined into a
k-clique so that k colors are really needed) and adds random edges between different colors.
Many colorings are valid; the verifier accepts any of them.
"""

from __future__ import annotations

import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.types import Task, Verdict

_NUM = re.compile(r"-?\d+")
_PAIR = re.compile(r"(?<!\d)(\d{1,4})[ \t]*[:=][ \t]*(-?\d{1,4})")


@register_family
class GraphColoring(LogicFamily):
    """Graph coloring: give each vertex a color 1..k so that the two ends of every edge differ.
    Difficulty sets the number of vertices, 10 + 3*(d-1) (10 to 37; `size`), and the number of
    colors (3 up to difficulty 5, then 4); the average degree stays about 5. Any valid coloring
    scores 1 (the graph has many)."""

    name = "graph_coloring"
    title = "GraphColoring"
    description = "Color a graph's vertices with k colors so that adjacent vertices differ."
    skips_words = True  # words around the answer are skipped: hedges refused first
    difficulty_doc = "vertices 10 + 3*(d-1) (size), colors 3 (d<=5) or 4; any valid coloring"

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        d = max(1, min(10, int(difficulty)))
        n = 10 + 3 * (d - 1)
        k = 3 if d <= 5 else 4
        colors = [i % k + 1 for i in range(n)]
        rng.shuffle(colors)
        by_color = {c: [v for v in range(n) if colors[v] == c] for c in range(1, k + 1)}
        clique = [rng.choice(by_color[c]) for c in range(1, k + 1)]
        edges = {tuple(sorted((a, b))) for i, a in enumerate(clique) for b in clique[i + 1 :]}
        p = min(0.9, 5.0 / (n * (k - 1) / k))
        for a in range(n):
            for b in range(a + 1, n):
                if colors[a] != colors[b] and rng.random() < p:
                    edges.add((a, b))
        edge_list = sorted(edges)
        edge_txt = ", ".join(f"{a}-{b}" for a, b in edge_list)
        question = (
            f"Graph coloring. A graph has {n} vertices numbered 0 to {n - 1} and these "
            f"{len(edge_list)} edges:\n{edge_txt}\n\n"
            f"Give every vertex one of the colors 1 to {k} so that the two vertices of every edge "
            "have different colors.\n"
            f"Answer format: the {n} colors in vertex order (vertex 0 first), separated by spaces; "
            "for example for a graph with 4 vertices: `2 1 3 1`. "
            "Put your answer inside <answer></answer>."
        )
        return make_task(question, colors, n, n=n, k=k, edges=[list(e) for e in edge_list])

    def check(self, task: Task, answer: str) -> Verdict:
        n, k = task.metadata["n"], task.metadata["k"]
        text = answer[:20_000]
        pairs = _PAIR.findall(text)
        if pairs:
            if re.search(r"\d", _PAIR.sub(" ", text)):
                return Verdict.incorrect("a number outside the vertex: color pairs (a hedge?)")
            colors: list[int | None] = [None] * n
            for v, c in pairs:
                if len(v) > 4 or len(c) > 4 or not 0 <= int(v) < n:
                    return Verdict.unparseable(f"vertex {v} does not exist")
                if colors[int(v)] not in (None, int(c)):
                    return Verdict.incorrect(f"vertex {v} given two colors")
                colors[int(v)] = int(c)
            if any(c is None for c in colors):
                return Verdict.unparseable("some vertices have no color")
        else:
            nums = _NUM.findall(text)
            if len(nums) != n or any(len(x) > 4 for x in nums):
                return Verdict.unparseable(f"expected {n} colors")
            colors = [int(x) for x in nums]
        for v, c in enumerate(colors):
            if not (isinstance(c, int) and 1 <= c <= k):
                return Verdict.incorrect(f"vertex {v} has color {c}, outside 1..{k}")
        for a, b in task.metadata["edges"]:
            if colors[a] == colors[b]:
                return Verdict.incorrect(f"edge {a}-{b} joins two vertices of color {colors[a]}")
        return Verdict.correct()

    def near_misses(self, task: Task) -> list[str]:
        """The gold coloring with one vertex recolored like a neighbour: always invalid."""
        out = []
        for a, b in task.metadata["edges"][:3]:
            colors = list(task.answer)
            colors[a] = colors[b]
            out.append(" ".join(str(c) for c in colors))
        return out

    def format_answer(self, task: Task) -> str:
        return " ".join(str(c) for c in task.answer)
