"""Seeded layouts where the nodes of one cluster sit together: clusters placed first as discs that do not overlap,
then each cluster laid out inside its disc; nodes linked to nothing go in a grid below the picture.

The page, the static pictures and the data formats (GEXF, Cytoscape JSON) all take their positions from here, so a
build looks the same in each. Positions are in pixels, y growing upwards (Graphviz's convention).

>>> import networkx as nx
>>> G = nx.Graph([("a", "b", {"weight": 3}), ("c", "d", {"weight": 1}), ("b", "c", {"weight": 1})])
>>> G.add_node("lone")
>>> nx.set_node_attributes(G, {"a": 1, "b": 1, "c": 2, "d": 2}, "cluster")
>>> pos = clustered_layout(G, seed=1)
>>> sorted(pos) == sorted(G) and pos == clustered_layout(G, seed=1)
True
>>> import math
>>> math.dist(pos["a"], pos["b"]) < math.dist(pos["a"], pos["d"])
True
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["clustered_layout", "NODE_SPACING"]

#: Room per node inside a cluster, in pixels: a disc of ``n`` nodes has a radius of ``NODE_SPACING * sqrt(n)``.
NODE_SPACING = 38.0


def _weight_of(d: dict, weight: str | None) -> float:
    if weight is None:
        return 1.0
    w = d.get(weight, 1.0)
    return max(float(w), 0.0) if isinstance(w, (int, float)) and not isinstance(w, bool) else 1.0


def _unit_disc(pos: dict[Any, Any]) -> dict[Any, tuple[float, float]]:
    """Positions centred on their mean and scaled into the unit disc."""
    if not pos:
        return {}
    cx = sum(float(p[0]) for p in pos.values()) / len(pos)
    cy = sum(float(p[1]) for p in pos.values()) / len(pos)
    r = max((math.hypot(float(p[0]) - cx, float(p[1]) - cy) for p in pos.values()), default=0.0) or 1.0
    return {n: ((float(p[0]) - cx) / r, (float(p[1]) - cy) / r) for n, p in pos.items()}


def _separate(centres: dict[Any, list[float]], radii: dict[Any, float], *, gap: float, rounds: int = 300) -> None:
    """Push overlapping discs apart (in place) until none overlap, keeping their arrangement."""
    keys = sorted(centres, key=str)
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                dx, dy = centres[b][0] - centres[a][0], centres[b][1] - centres[a][1]
                dist = math.hypot(dx, dy)
                need = radii[a] + radii[b] + gap
                if dist >= need:
                    continue
                if dist < 1e-9:  # same place: push along a fixed direction so the result is seeded
                    dx, dy, dist = 1.0, 0.0, 1.0
                push = (need - dist) / 2 + 0.01
                ux, uy = dx / dist, dy / dist
                centres[a][0] -= ux * push
                centres[a][1] -= uy * push
                centres[b][0] += ux * push
                centres[b][1] += uy * push
                moved = True
        if not moved:
            return


def clustered_layout(G: "nx.Graph", *, seed: int = 42, weight: str | None = "weight", key: str = "cluster",
                     spacing: float = NODE_SPACING) -> dict[Any, tuple[float, float]]:
    """Positions of every node of ``G``: one disc per value of the node attribute ``key`` (nodes without one share
    a disc), discs placed by a seeded spring layout of the graph between them (pulled by the summed ``weight`` of
    their links) and pushed apart until none overlap; inside each disc, a seeded spring layout of its members."""
    import networkx as nx

    linked = [n for n in G if G.degree(n) > 0]
    lone = [n for n in G if G.degree(n) == 0]
    groups: dict[Any, list[Any]] = {}
    for n in linked:
        c = G.nodes[n].get(key)
        groups.setdefault(c if c not in (None, "") else "", []).append(n)
    order = sorted(groups, key=lambda c: (-len(groups[c]), str(c)))
    radii = {c: spacing * math.sqrt(len(groups[c])) for c in order}
    group_of = {n: c for c, ns in groups.items() for n in ns}

    between = nx.Graph()
    between.add_nodes_from(order)
    for u, v, d in G.edges(data=True):
        a, b = group_of[u], group_of[v]
        if a != b:
            w = _weight_of(d, weight)
            prev = between.get_edge_data(a, b, {}).get("weight", 0.0)
            between.add_edge(a, b, weight=prev + w)
    for a, b, d in between.edges(data=True):  # share of the pair's possible links, so big clusters do not clump
        d["weight"] = d["weight"] / math.sqrt(len(groups[a]) * len(groups[b]))
    if len(order) == 1:
        unit = {order[0]: (0.0, 0.0)}
    else:
        unit = _unit_disc(nx.spring_layout(between, seed=seed, weight="weight", iterations=200))
    total = 1.3 * math.sqrt(sum(r * r for r in radii.values()))  # about the packed discs' extent
    centres = {c: [unit[c][0] * total, unit[c][1] * total] for c in order}
    _separate(centres, radii, gap=spacing)

    pos: dict[Any, tuple[float, float]] = {}
    for c in order:
        members = sorted(groups[c], key=str)
        # a fresh graph in a fixed order: a subgraph view iterates a set, whose order changes with the hash seed
        sub = nx.Graph()
        sub.add_nodes_from(members)
        inside = set(members)
        sub.add_edges_from(sorted(((u, v, d) for u, v, d in G.edges(members, data=True) if v in inside),
                                  key=lambda e: (str(e[0]), str(e[1]))))
        if len(members) == 1:
            inner = {members[0]: (0.0, 0.0)}
        else:
            inner = _unit_disc(nx.spring_layout(sub, seed=seed, weight=weight, iterations=100,
                                                k=1.5 / math.sqrt(len(members))))
        for n in members:
            x, y = inner[n]
            pos[n] = (round(centres[c][0] + x * radii[c], 2), round(centres[c][1] + y * radii[c], 2))
    if lone:
        xs = [p[0] for p in pos.values()] or [0.0]
        ys = [p[1] for p in pos.values()] or [0.0]
        cols = max(1, math.ceil(math.sqrt(len(lone))))
        left, top = min(xs), min(ys) - 3 * spacing
        for i, n in enumerate(sorted(lone, key=str)):
            pos[n] = (round(left + (i % cols) * 2 * spacing, 2), round(top - (i // cols) * spacing, 2))
    return pos
