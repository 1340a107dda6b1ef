"""Hamiltonian cycle (Enigmata's graph task): a closed tour through every vertex exactly once.

Built like `hamiltonian_path` (a planted cycle plus decoy edges); the verifier checks that every
vertex is visited once, consecutive vertices are joined by edges and the last joins the first.
"""

from __future__ import annotations

from gymhub.envs.logic.base import register_family
from gymhub.envs.logic.families.hamiltonian_path import HamiltonianPath


@register_family
class HamiltonianCycle(HamiltonianPath):
    """Give a cycle through an undirected graph that visits every vertex exactly once.

    Accepted: the vertex numbers in tour order separated by spaces, commas or `->`, the start
    optionally repeated at the end. Not accepted: a vertex missing or repeated (other than the
    closing one), a step without an edge, a last vertex not joined to the first.
    """

    name = "hamiltonian_cycle"
    title = "HamiltonianCycle"
    description = "Find a cycle visiting every vertex of a graph exactly once."
    difficulty_doc = (
        "vertices 4+2d (6..24; size), about 0.8 extra edges per vertex beyond the cycle"
    )
    equivalents = {"enigmata": "hamiltonian_cycle"}
    cycle = True
